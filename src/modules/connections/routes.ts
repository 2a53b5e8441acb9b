import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import { connectionBody, connectionList, connectionStatusBody } from './contract.ts';
import { connectionsOf, connectPerson, updateConnectionStatus } from './service.ts';

const tags = ['connections'];
const referralParams = z.strictObject({ id: z.uuid('This referral id is not valid') });

export const connectionRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/referrals/:id/connections',
    {
      schema: {
        tags,
        summary: 'The services this episode connected the person to, with what happened',
        params: referralParams,
        response: { 200: connectionList },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => connectionsOf(tx, actor, req.params.id)),
  );
  app.post(
    '/referrals/:id/connections',
    {
      schema: {
        tags,
        summary: 'Connect the person to a service: signposted, warm handover or referred',
        params: referralParams,
        body: connectionBody,
        response: { 201: z.object({ id: z.string(), version: z.number() }) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => connectPerson(tx, actor, req.params.id, req.body))),
  );
  app.post(
    '/connections/:id/status',
    {
      schema: {
        tags,
        summary:
          'Record what happened: accepted, declined (with a reason), attended, did not attend, completed …',
        params: z.strictObject({ id: z.uuid('This connection id is not valid') }),
        body: connectionStatusBody,
        response: { 200: z.object({ version: z.number() }) },
      },
    },
    async (req) =>
      asActor(deps, req, (tx, actor) => updateConnectionStatus(tx, actor, req.params.id, req.body)),
  );
};
