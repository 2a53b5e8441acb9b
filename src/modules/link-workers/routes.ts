import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  asOfQuery,
  contextInput,
  linkWorkerContext,
  linkWorkerList,
  linkWorkerParams,
  linkWorkerProfile,
} from './contract.ts';
import { getContextAsOf, getLinkWorkerProfile, listLinkWorkers, recordContext } from './service.ts';

export const linkWorkerRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/link-workers',
    {
      schema: {
        tags: ['link workers'],
        summary: 'Link workers in your scope, with their current context',
        response: { 200: linkWorkerList },
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => listLinkWorkers(tx, actor)) }),
  );
  app.get(
    '/link-workers/:id',
    { schema: { tags: ['link workers'], params: linkWorkerParams, response: { 200: linkWorkerProfile } } },
    async (req) => asActor(deps, req, (tx, actor) => getLinkWorkerProfile(tx, actor, req.params.id)),
  );
  app.get(
    '/link-workers/:id/context',
    {
      schema: {
        tags: ['link workers'],
        summary: 'The implementation context as it was on a date',
        params: linkWorkerParams,
        querystring: asOfQuery,
        response: { 200: linkWorkerContext },
      },
    },
    async (req) =>
      asActor(deps, req, (tx, actor) => getContextAsOf(tx, actor, req.params.id, req.query.date)),
  );
  app.post(
    '/link-workers/:id/contexts',
    {
      schema: {
        tags: ['link workers'],
        summary: 'Record a change in implementation context from a date on',
        params: linkWorkerParams,
        body: contextInput,
        response: { 201: linkWorkerContext },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => recordContext(tx, actor, req.params.id, req.body))),
  );
};
