import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertRole } from '../../platform/actor.ts';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import { inTransaction } from '../../platform/transaction.ts';
import {
  directorySettings,
  directorySettingsBody,
  needTerms,
  needTermsBody,
  reportBody,
  resolveReportBody,
  searchQuery,
  searchResponse,
  serviceDetail,
  tasksResponse,
  taxonomyTermsResponse,
  verifyBody,
} from './contract.ts';
import {
  DIRECTORY_READERS,
  directoryOf,
  getDirectorySettings,
  getNeedTerms,
  getService,
  listTerms,
  reportService,
  resolveReport,
  saveService,
  searchDirectory,
  serviceUsage,
  setNeedTerms,
  updateDirectorySettings,
  verificationTasks,
  verifyService,
} from './service.ts';

const idParams = z.strictObject({ id: z.uuid('This service id is not valid') });
const tags = ['directory'];
/** An ORUK 3.0 service: validated by the service layer with the same rules as an import, fields named. */
const orukBody = z.record(z.string(), z.unknown());

export const directoryRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/directory/search',
    {
      schema: {
        tags,
        summary: 'Find community services by words, need, distance from a postcode, day and time, and more',
        querystring: searchQuery,
        response: { 200: searchResponse },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => searchDirectory(tx, actor, req.query)),
  );

  app.get(
    '/directory/services/:id',
    { schema: { tags, params: idParams, response: { 200: serviceDetail } } },
    async (req) => {
      // How link workers used the service is counted across every PCN of the ICB: aggregates only, from 5 up.
      const icbId = await asActor(deps, req, async (tx, actor) => {
        assertRole(actor, ...DIRECTORY_READERS);
        return directoryOf(tx, actor);
      });
      const usage = await inTransaction(deps.db, { system: true, now: req.now }, (tx) =>
        serviceUsage(tx, icbId, req.params.id),
      );
      return asActor(deps, req, (tx, actor) => getService(tx, actor, req.params.id, usage));
    },
  );

  app.post(
    '/directory/services',
    {
      schema: {
        tags,
        summary: 'Add a service (an ORUK 3.0 service record)',
        body: orukBody,
        response: { 201: z.object({ id: z.string(), version: z.number() }) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await asActor(deps, req, (tx, actor) => saveService(tx, actor, req.body, null))),
  );
  app.put(
    '/directory/services/:id',
    {
      schema: {
        tags,
        summary: 'Change a service: the whole ORUK 3.0 record, with the version you read',
        params: idParams,
        body: z.strictObject({ version: z.number().int().min(1), service: orukBody }),
        response: { 200: z.object({ id: z.string(), version: z.number() }) },
      },
    },
    async (req) =>
      asActor(deps, req, (tx, actor) =>
        saveService(tx, actor, { ...req.body.service, id: req.params.id }, req.body.version),
      ),
  );
  app.post(
    '/directory/services/:id/verify',
    {
      schema: {
        tags,
        summary: 'Confirm the service’s details are right today',
        params: idParams,
        body: verifyBody,
        response: { 200: z.object({ version: z.number() }) },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => verifyService(tx, actor, req.params.id, req.body)),
  );
  app.post(
    '/directory/services/:id/reports',
    {
      schema: {
        tags,
        summary: 'Report that a service has closed or its details are wrong',
        params: idParams,
        body: reportBody,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => reportService(tx, actor, req.params.id, req.body))),
  );
  app.post(
    '/directory/reports/:id/resolve',
    {
      schema: {
        tags,
        params: z.strictObject({ id: z.uuid('This report id is not valid') }),
        body: resolveReportBody,
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await asActor(deps, req, (tx, actor) => resolveReport(tx, actor, req.params.id, req.body));
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/directory/tasks',
    {
      schema: {
        tags,
        summary: 'Verification tasks: stale services and open reports',
        querystring: z.strictObject({
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          perPage: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: { 200: tasksResponse },
      },
    },
    async (req) =>
      asActor(deps, req, (tx, actor) => verificationTasks(tx, actor, req.query.page, req.query.perPage)),
  );
  app.get(
    '/directory/needs',
    { schema: { tags, summary: 'Which taxonomy terms answer each need', response: { 200: needTerms } } },
    async (req) => asActor(deps, req, (tx, actor) => getNeedTerms(tx, actor)),
  );
  app.put(
    '/directory/needs',
    { schema: { tags, body: needTermsBody, response: { 200: needTerms } } },
    async (req) => asActor(deps, req, (tx, actor) => setNeedTerms(tx, actor, req.body)),
  );
  app.get('/directory/terms', { schema: { tags, response: { 200: taxonomyTermsResponse } } }, async (req) =>
    asActor(deps, req, (tx, actor) => listTerms(tx, actor)),
  );
  app.get('/directory/settings', { schema: { tags, response: { 200: directorySettings } } }, async (req) =>
    asActor(deps, req, (tx, actor) => getDirectorySettings(tx, actor)),
  );
  app.put(
    '/directory/settings',
    { schema: { tags, body: directorySettingsBody, response: { 200: directorySettings } } },
    async (req) => asActor(deps, req, (tx, actor) => updateDirectorySettings(tx, actor, req.body)),
  );
};
