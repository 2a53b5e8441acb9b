import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AppDeps, asActor, asReportReader } from '../../platform/deps.ts';
import { createCandidateCmoc, explorerOptions } from './candidates.ts';
import { candidateInput, explorerQuery } from './contract.ts';
import { explorerCaches, explorerCsv, explorerModel, explorerTable } from './explorer.ts';

const tags = ['insight'];

/** What works, for whom, in what circumstances (issue 8): the explorer's tables, its model, and candidate CMOCs. */
export const insightRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const caches = explorerCaches();
  app.get(
    '/insight/explorer',
    {
      schema: {
        tags,
        summary:
          'Outcome change by one factor or two crossed: n, mean change with 95% CI, effect size, missing data; cells under 5 suppressed (and any that would give them away)',
        querystring: explorerQuery,
      },
    },
    async (req) => asReportReader(deps, req, (tx, actor) => explorerTable(tx, actor, req.query, caches)),
  );
  app.get(
    '/insight/explorer.csv',
    {
      schema: {
        tags,
        summary: 'The explorer’s table as CSV (UTF-8, CRLF); suppressed cells say why',
        querystring: explorerQuery,
      },
    },
    async (req, reply) => {
      const table = await asReportReader(deps, req, (tx, actor) =>
        explorerTable(tx, actor, req.query, caches),
      );
      const name = `what-works-${table.instrument.code}-${table.factors.map((f) => f.key).join('-by-')}-${table.period.from}-to-${table.period.to}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(explorerCsv(table));
    },
  );
  app.get(
    '/insight/explorer/model',
    {
      schema: {
        tags,
        summary:
          'The adjusted model: change on the chosen factors, adjusting for baseline score, age, sex and IMD quintile; complete cases and all available',
        querystring: explorerQuery,
      },
    },
    async (req) => asReportReader(deps, req, (tx, actor) => explorerModel(tx, actor, req.query, caches)),
  );
  app.get(
    '/insight/options',
    {
      schema: {
        tags,
        summary: 'What the explorer offers: instruments and their measures, factors, places, studies',
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => explorerOptions(tx, actor)),
  );
  app.post(
    '/insight/candidate-cmocs',
    {
      schema: {
        tags,
        summary:
          'Turn a pattern into a candidate CMO configuration in a study: context and outcome with the figures filled in, the mechanism left to the qualitative work',
        body: candidateInput,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => createCandidateCmoc(tx, actor, req.body))),
  );
};
