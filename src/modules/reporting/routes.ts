import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor, asReportReader } from '../../platform/deps.ts';
import {
  type OperationalReport,
  operationalOptions,
  operationalQuery,
  operationalReport,
  populationLoadResult,
} from './contract.ts';
import { operationalCsvStream, operationalXlsx } from './export.ts';
import {
  operationalOptionsFor,
  operationalReportCache,
  operationalReportFor,
  startReportWarming,
} from './operational.ts';
import { loadedPopulations, loadPracticePopulations } from './population.ts';

const tags = ['reporting'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_POPULATION_BYTES = 5 * 1024 * 1024;

const fileName = (report: OperationalReport, extension: string) =>
  `operational-report-${report.organisation.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}-${report.period.from}-to-${report.period.to}.${extension}`;

/** The operational report (issue 8): JSON for the page, one CSV and a workbook to download; practice populations. */
export const reportingRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const reports = operationalReportCache();
  if (deps.backgroundWork) {
    const warming = startReportWarming(deps.db, deps.clock, reports, app.log);
    app.addHook('onClose', async () => warming.stop());
  }
  // A practice population file is sent as itself (this plugin only).
  app.addContentTypeParser(
    ['text/csv', 'application/csv'],
    { parseAs: 'string', bodyLimit: MAX_POPULATION_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/reports/operational',
    {
      schema: {
        tags,
        summary:
          'Referrals, waiting times, caseloads, contacts, discharges, connections, SNOMED counts and demographic reach for an ICB, PCN or practice over a period (default: the last 12 complete months); counts under 5 suppressed, with secondary suppression',
        querystring: operationalQuery,
        response: { 200: operationalReport },
      },
    },
    async (req) =>
      asReportReader(deps, req, (tx, actor) => operationalReportFor(tx, actor, req.query, 'json', reports)),
  );

  app.get(
    '/reports/operational.csv',
    {
      schema: {
        tags,
        summary:
          'Every table of the operational report in one CSV, a line per figure: table, row, column, unit, value, suppressed',
        querystring: operationalQuery,
      },
    },
    async (req, reply) => {
      const report = await asReportReader(deps, req, (tx, actor) =>
        operationalReportFor(tx, actor, req.query, 'csv', reports),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName(report, 'csv')}"`)
        .send(operationalCsvStream(report));
    },
  );

  app.get(
    '/reports/operational.xlsx',
    {
      schema: {
        tags,
        summary:
          'The operational report as an Excel workbook: a sheet per table and one saying what it covers',
        querystring: operationalQuery,
      },
    },
    async (req, reply) => {
      const report = await asReportReader(deps, req, (tx, actor) =>
        operationalReportFor(tx, actor, req.query, 'xlsx', reports),
      );
      return reply
        .type(XLSX_TYPE)
        .header('content-disposition', `attachment; filename="${fileName(report, 'xlsx')}"`)
        .send(await operationalXlsx(report));
    },
  );

  app.get(
    '/reports/operational/options',
    {
      schema: {
        tags,
        summary:
          'The organisations the operational report can be run for, within your reach, and the default period',
        response: { 200: operationalOptions },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => operationalOptionsFor(tx, actor)),
  );

  app.post(
    '/reports/practice-populations',
    {
      bodyLimit: MAX_POPULATION_BYTES,
      schema: {
        tags,
        summary:
          'Load registered patients by practice and band from CSV (practice, band_type, band, count, as_of): all or nothing, every problem with its line number',
        response: { 201: populationLoadResult },
      },
    },
    async (req, reply) => {
      // Who may load is checked before what was sent: a JSON body from someone without the role is a 403.
      const text = typeof req.body === 'string' ? req.body : null;
      const result = await asActor(deps, req, (tx, actor) => loadPracticePopulations(tx, actor, text));
      // Reports worked out before this load would show the old denominators.
      reports.clear();
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/reports/practice-populations',
    {
      schema: {
        tags,
        summary: 'The practice populations loaded: per practice and band type, each date and its total',
        response: {
          200: z.object({
            items: z.array(
              z.object({ practiceId: z.string(), bandType: z.string(), asOf: z.string(), total: z.number() }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => loadedPopulations(tx, actor)) }),
  );
};
