import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  cmocInput,
  cmocJudgement,
  cmocRefinement,
  evidenceInput,
  idParams,
  participantRoles,
  ramesesInput,
  workPackageCodes,
} from './contract.ts';
import {
  addEvidence,
  createCmoc,
  crossCaseMatrix,
  getCmoc,
  judgeCmoc,
  listCmocs,
  ramesesChecklist,
  ramesesPdf,
  refineCmoc,
  removeEvidence,
  saveRameses,
  theoryHistory,
} from './realist.ts';

const tags = ['research'];

/** CMO configurations, their evidence and refinement, the cross-case matrix and the RAMESES II checklist. */
export const realistRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/research/studies/:id/cmocs',
    {
      schema: {
        tags,
        summary: 'The programme theory now: each configuration’s latest version',
        params: idParams,
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => listCmocs(tx, actor, req.params.id)) }),
  );
  app.post(
    '/research/studies/:id/cmocs',
    { schema: { tags, summary: 'Propose a CMO configuration', params: idParams, body: cmocInput } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => createCmoc(tx, actor, req.params.id, req.body))),
  );
  app.get(
    '/research/studies/:id/theory-history',
    { schema: { tags, summary: 'How the programme theory changed, and on what evidence', params: idParams } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => theoryHistory(tx, actor, req.params.id)),
    }),
  );
  app.get(
    '/research/cmocs/:id',
    { schema: { tags, summary: 'A configuration with its evidence and versions', params: idParams } },
    async (req) => asActor(deps, req, (tx, actor) => getCmoc(tx, actor, req.params.id)),
  );
  app.post(
    '/research/cmocs/:id/evidence',
    {
      schema: {
        tags,
        summary: 'Link a segment that supports, refutes or refines it',
        params: idParams,
        body: evidenceInput,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => addEvidence(tx, actor, req.params.id, req.body))),
  );
  app.delete(
    '/research/evidence/:id',
    { schema: { tags, summary: 'Unlink a piece of evidence', params: idParams } },
    async (req) => asActor(deps, req, (tx, actor) => removeEvidence(tx, actor, req.params.id)),
  );
  app.put(
    '/research/cmocs/:id/judgement',
    {
      schema: {
        tags,
        summary: 'Mark it supported or refuted, with confidence',
        params: idParams,
        body: cmocJudgement,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => judgeCmoc(tx, actor, req.params.id, req.body)),
  );
  app.post(
    '/research/cmocs/:id/refinements',
    {
      schema: {
        tags,
        summary: 'Refine it into a new version, with the reason',
        params: idParams,
        body: cmocRefinement,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => refineCmoc(tx, actor, req.params.id, req.body))),
  );
  app.get(
    '/research/studies/:id/cross-case',
    {
      schema: {
        tags,
        summary:
          'Cases × configurations: evidence, contexts side by side, pathway figures (n < 5 suppressed)',
        params: idParams,
        querystring: z.strictObject({
          role: z.enum(participantRoles, { error: 'Choose a participant role from the list' }).optional(),
          workPackage: z.enum(workPackageCodes, { error: 'Choose WP1 or WP2' }).optional(),
        }),
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => crossCaseMatrix(tx, actor, req.params.id, req.query)),
  );
  app.get(
    '/research/studies/:id/rameses',
    { schema: { tags, summary: 'The RAMESES II reporting checklist', params: idParams } },
    async (req) => asActor(deps, req, (tx, actor) => ramesesChecklist(tx, actor, req.params.id)),
  );
  app.put(
    '/research/studies/:id/rameses',
    {
      schema: {
        tags,
        summary: 'Mark checklist items reported, and where',
        params: idParams,
        body: ramesesInput,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => saveRameses(tx, actor, req.params.id, req.body)),
  );
  app.get(
    '/research/studies/:id/rameses.pdf',
    { schema: { tags, summary: 'The RAMESES II checklist as a PDF', params: idParams } },
    async (req, reply) => {
      const checklist = await asActor(deps, req, (tx, actor) => ramesesChecklist(tx, actor, req.params.id));
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="rameses-ii-checklist.pdf"')
        .send(await ramesesPdf(checklist));
    },
  );
};
