import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  agreementQuery,
  agreementReport,
  caseCodeMatrix,
  matrixCsv,
  matrixQuery,
  matrixXlsx,
  quotesCsv,
  retrievalQuery,
  retrieveSegments,
} from './analysis.ts';
import { resolveDisagreement } from './coding.ts';
import { disagreementResolution, idParams } from './contract.ts';

const tags = ['research'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Agreement between coders, retrieval of coded text, the case × code matrix. */
export const analysisRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/research/studies/:id/agreement',
    {
      schema: {
        tags,
        summary:
          'Two coders’ agreement per code: character-level Cohen’s κ (as NVivo), κ and α on speaker turns, disagreements',
        params: idParams,
        querystring: agreementQuery,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => agreementReport(tx, actor, req.params.id, req.query)),
  );
  app.post(
    '/research/studies/:id/agreement/resolutions',
    {
      schema: {
        tags,
        summary:
          'Settle one disagreement (leads): both coders code the stretch, or the one who coded it no longer does',
        params: idParams,
        body: disagreementResolution,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => resolveDisagreement(tx, actor, req.params.id, req.body)),
  );
  app.get(
    '/research/studies/:id/segments',
    {
      schema: {
        tags,
        summary: 'Coded text for a combination of codes (all / any / not), by case, site, role, work package',
        params: idParams,
        querystring: retrievalQuery,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => retrieveSegments(tx, actor, req.params.id, req.query)),
  );
  app.get(
    '/research/studies/:id/quotes.csv',
    {
      schema: {
        tags,
        summary: 'Coded text as quotes (CSV), only from participants who agreed to anonymised quotes',
        params: idParams,
        querystring: retrievalQuery,
      },
    },
    async (req, reply) => {
      const out = await asActor(deps, req, (tx, actor) => quotesCsv(tx, actor, req.params.id, req.query));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="quotes.csv"')
        .send(out.csv);
    },
  );
  app.get(
    '/research/studies/:id/matrix',
    {
      schema: {
        tags,
        summary: 'Cases × codes: codings, sources or coverage',
        params: idParams,
        querystring: matrixQuery,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => caseCodeMatrix(tx, actor, req.params.id, req.query)),
  );
  app.get(
    '/research/studies/:id/matrix.csv',
    {
      schema: { tags, summary: 'The case × code matrix as CSV', params: idParams, querystring: matrixQuery },
    },
    async (req, reply) => {
      const matrix = await asActor(deps, req, (tx, actor) =>
        caseCodeMatrix(tx, actor, req.params.id, req.query),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="case-code-matrix-${matrix.count}.csv"`)
        .send(matrixCsv(matrix));
    },
  );
  app.get(
    '/research/studies/:id/matrix.xlsx',
    {
      schema: {
        tags,
        summary: 'The case × code matrix as an Excel workbook',
        params: idParams,
        querystring: matrixQuery,
      },
    },
    async (req, reply) => {
      const matrix = await asActor(deps, req, (tx, actor) =>
        caseCodeMatrix(tx, actor, req.params.id, req.query),
      );
      return reply
        .type(XLSX)
        .header('content-disposition', `attachment; filename="case-code-matrix-${matrix.count}.xlsx"`)
        .send(await matrixXlsx(matrix));
    },
  );
};
