import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  addInstrument,
  instrumentQuestionnaire,
  licenceBody,
  listInstruments,
  recordLicence,
} from './service.ts';

const tags = ['outcomes'];
const codeParams = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'This instrument code is not valid'),
});

export const outcomeRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/outcomes/instruments',
    {
      schema: {
        tags,
        summary: 'The outcome instruments usable here, and whether each needs a licence first',
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => listInstruments(tx, actor)),
  );
  app.get(
    '/outcomes/instruments/:code/questionnaire',
    { schema: { tags, summary: 'An instrument as a FHIR R4 Questionnaire', params: codeParams } },
    async (req, reply) => {
      const q = await asActor(deps, req, (tx, actor) =>
        instrumentQuestionnaire(tx, actor, req.params.code, deps.publicUrl),
      );
      return reply.type('application/fhir+json; charset=utf-8').send(JSON.stringify(q));
    },
  );
  app.post(
    '/outcomes/instruments',
    {
      schema: {
        tags,
        summary: 'Add your organisation’s own instrument, in the definition format',
        body: z.record(z.string(), z.unknown()),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await asActor(deps, req, (tx, actor) => addInstrument(tx, actor, req.body))),
  );
  app.put(
    '/outcomes/licences/:code',
    {
      schema: {
        tags,
        summary: 'Record your organisation’s licence for an instrument, with its conversion tables',
        params: codeParams,
        body: licenceBody,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => recordLicence(tx, actor, req.params.code, req.body)),
  );
};
