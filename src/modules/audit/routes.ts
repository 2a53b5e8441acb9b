import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import { auditPage, auditQuery } from './contract.ts';
import { listAuditEvents } from './service.ts';

export const auditRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log of your organisation and those below it',
        querystring: auditQuery,
        response: { 200: auditPage },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => listAuditEvents(tx, actor, req.query)),
  );
};
