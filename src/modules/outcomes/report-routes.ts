import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  type ChangeQuery,
  changeQuery,
  changeReport,
  changeReportCsv,
  changeReportFor,
  changeReportOptions,
  changeReportOptionsFor,
  changeReportXlsx,
  changeSumsCache,
} from './report.ts';

const tags = ['outcomes'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const fileName = (q: ChangeQuery, from: string, to: string, extension: string) =>
  `outcome-change-${q.instrument}-${from}-to-${to}.${extension}`;

/** The service-level change table (issue 6, "Seeing change"): JSON for the page, CSV and XLSX to download. */
export const outcomeReportRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const sums = changeSumsCache();
  app.get(
    '/outcomes/change',
    {
      schema: {
        tags,
        summary:
          'Change from baseline to discharge and follow-ups for one instrument: n, mean change with 95% CI, effect size, improved/same/worse, completion; cells under 5 suppressed',
        querystring: changeQuery,
        response: { 200: changeReport },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => changeReportFor(tx, actor, req.query, 'json', sums)),
  );

  app.get(
    '/outcomes/change.csv',
    {
      schema: {
        tags,
        summary: 'The change table as CSV (UTF-8, CRLF); suppressed cells say “suppressed (n < 5)”',
        querystring: changeQuery,
      },
    },
    async (req, reply) => {
      const report = await asActor(deps, req, (tx, actor) =>
        changeReportFor(tx, actor, req.query, 'csv', sums),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${fileName(req.query, report.period.from, report.period.to, 'csv')}"`,
        )
        .send(changeReportCsv(report));
    },
  );

  app.get(
    '/outcomes/change.xlsx',
    {
      schema: {
        tags,
        summary: 'The change table as an Excel workbook, with a sheet saying what it covers',
        querystring: changeQuery,
      },
    },
    async (req, reply) => {
      const report = await asActor(deps, req, (tx, actor) =>
        changeReportFor(tx, actor, req.query, 'xlsx', sums),
      );
      return reply
        .type(XLSX_TYPE)
        .header(
          'content-disposition',
          `attachment; filename="${fileName(req.query, report.period.from, report.period.to, 'xlsx')}"`,
        )
        .send(await changeReportXlsx(report));
    },
  );

  app.get(
    '/outcomes/change/options',
    {
      schema: {
        tags,
        summary: 'What the change table can be filtered by, within your reach',
        response: { 200: changeReportOptions },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => changeReportOptionsFor(tx, actor)),
  );
};
