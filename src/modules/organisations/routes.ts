import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  createOrganisationBody,
  organisation,
  organisationList,
  organisationParams,
  updateOrganisationBody,
} from './contract.ts';
import { createOrganisation, getOrganisation, listOrganisations, updateOrganisation } from './service.ts';

export const organisationRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/organisations',
    {
      schema: {
        tags: ['organisations'],
        summary: 'The organisation tree you work in',
        response: { 200: organisationList },
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => listOrganisations(tx, actor)) }),
  );
  app.post(
    '/organisations',
    { schema: { tags: ['organisations'], body: createOrganisationBody, response: { 201: organisation } } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => createOrganisation(tx, actor, req.body))),
  );
  app.get(
    '/organisations/:id',
    { schema: { tags: ['organisations'], params: organisationParams, response: { 200: organisation } } },
    async (req) => asActor(deps, req, (tx, actor) => getOrganisation(tx, actor, req.params.id)),
  );
  app.patch(
    '/organisations/:id',
    {
      schema: {
        tags: ['organisations'],
        params: organisationParams,
        body: updateOrganisationBody,
        response: { 200: organisation },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => updateOrganisation(tx, actor, req.params.id, req.body)),
  );
};
