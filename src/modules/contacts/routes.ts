import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import { extractQuery, firstContactBody, firstContactResult } from './contract.ts';
import { codedExtractCsv, recordFirstContact } from './service.ts';

export const contactRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.post(
    '/referrals/:id/first-contact',
    {
      schema: {
        tags: ['contacts'],
        summary:
          'Record the first contact and whether the person accepts social prescribing (records the SNOMED code)',
        params: z.strictObject({ id: z.uuid('This referral id is not valid') }),
        body: firstContactBody,
        response: { 201: firstContactResult },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await asActor(deps, req, (tx, actor) => recordFirstContact(tx, actor, req.params.id, req.body)),
        ),
  );

  app.get(
    '/coded-extract.csv',
    {
      schema: {
        tags: ['contacts'],
        summary: 'SNOMED-coded events per GP practice for a period, as CSV (UTF-8, CRLF)',
        querystring: extractQuery,
      },
    },
    async (req, reply) => {
      const { csv } = await asActor(deps, req, (tx, actor) => codedExtractCsv(tx, actor, req.query));
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="coded-extract-${req.query.from}-to-${req.query.to}.csv"`,
        )
        .send(csv);
    },
  );
};
