import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from './db/client.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { connectionRoutes } from './modules/connections/routes.ts';
import { contactRoutes } from './modules/contacts/routes.ts';
import { defaultIcbResolver, icbFromParams, orukRoutes } from './modules/directory/oruk-api.ts';
import { directoryRoutes } from './modules/directory/routes.ts';
import { identityRoutes } from './modules/identity/routes.ts';
import { insightRoutes } from './modules/insight/routes.ts';
import { linkWorkerRoutes } from './modules/link-workers/routes.ts';
import { messagingRoutes } from './modules/messaging/routes.ts';
import { organisationRoutes } from './modules/organisations/routes.ts';
import { fhirMeasureRoutes } from './modules/outcomes/fhir-routes.ts';
import { outcomeReportRoutes } from './modules/outcomes/report-routes.ts';
import {
  completionLinkRoutes,
  measureRoutes,
  outcomeRoutes,
  publicCompletionRoutes,
  scheduleRoutes,
} from './modules/outcomes/routes.ts';
import { pathwayRoutes } from './modules/pathway/routes.ts';
import { referralRoutes } from './modules/referrals/routes.ts';
import { reportingRoutes } from './modules/reporting/routes.ts';
import { analysisRoutes } from './modules/research/analysis-routes.ts';
import { codingRoutes } from './modules/research/coding-routes.ts';
import { exchangeRoutes } from './modules/research/exchange-routes.ts';
import { realistRoutes } from './modules/research/realist-routes.ts';
import { recordingRoutes } from './modules/research/recording-routes.ts';
import { researchRoutes } from './modules/research/routes.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { AppDeps } from './platform/deps.ts';
import { ServiceUnavailableError } from './platform/errors.ts';
import { authPlugin, sessionCookieName } from './platform/http-auth.ts';
import { webDist } from './platform/paths.ts';
import { apiNotFound, errorHandler } from './platform/problem.ts';

export { webDist };

export interface BuildOptions {
  database: Database;
  clock?: Clock;
  publicUrl?: string;
  session?: { idleMinutes: number; maxHours: number };
  logLevel?: string;
  trustProxy?: boolean;
  /** Where JSON log lines go (default stdout); tests read them to prove no personal data is logged. */
  logStream?: { write(line: string): void };
  /** The ICB whose directory /oruk/v3 publishes (default: the first ICB made). */
  orukIcbOdsCode?: string | null;
  /** Serve the built web app from web/dist when it exists (default true). */
  serveWeb?: boolean;
  /** How messages are sent: the development inbox (default) or GOV.UK Notify. */
  messageTransport?: 'dev' | 'notify';
  /** Background work of route plugins (keeping the default reports computed): the server, not tests. */
  backgroundWork?: boolean;
  /** How long one statement of a report may run (default 30 s); see AppDeps. */
  reportStatementTimeoutMs?: number;
}

/** Builds the whole app without listening: tests drive it with app.inject. */
export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const publicUrl = options.publicUrl ?? 'http://localhost:3000';
  const secureCookies = publicUrl.startsWith('https://');
  const deps: AppDeps = {
    db: options.database.db,
    clock: options.clock ?? systemClock,
    publicUrl,
    session: options.session ?? { idleMinutes: 30, maxHours: 12 },
    secureCookies,
    cookieName: sessionCookieName(secureCookies),
    ping: () => options.database.ping(),
    databaseKind: options.database.kind,
    backgroundWork: options.backgroundWork ?? false,
    ...(options.reportStatementTimeoutMs
      ? { reportStatementTimeoutMs: options.reportStatementTimeoutMs }
      : {}),
  };

  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      ...(options.logStream ? { stream: options.logStream } : {}),
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
      // Query strings can carry tokens and search terms: log the path only.
      serializers: {
        // A self-completion link's token is a key: its page's address is logged without it.
        req: (req) => ({
          method: req.method,
          path: (req.url.split('?')[0] ?? '').replace(/^\/r\/[^/]+/, '/r/…'),
          id: req.id,
        }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    },
    genReqId: () => randomUUID(),
    bodyLimit: 1_048_576,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // JSON only: a text/plain body is a 415, not a string the schema then rejects.
  app.removeContentTypeParser('text/plain');

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  await app.register(cookie);
  await app.register(authPlugin, {
    prepared: options.database.prepared,
    now: () => deps.clock.now(),
    policy: deps.session,
    cookieName: deps.cookieName,
    secureCookies,
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Linkwork API',
        version: '0.1.0',
        description:
          'Social prescribing in NHS England primary care. Errors are RFC 9457 application/problem+json. ' +
          'Cookie-authenticated writes need the x-csrf-token header from GET /api/me.',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/health/live', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get(
    '/health/ready',
    {
      schema: { hide: true, response: { 200: z.object({ status: z.literal('ok'), database: z.string() }) } },
    },
    async () => {
      try {
        await deps.ping();
      } catch {
        throw new ServiceUnavailableError('The database is not answering.');
      }
      return { status: 'ok' as const, database: deps.databaseKind };
    },
  );

  await app.register(
    async (api) => {
      await api.register(identityRoutes, deps);
      await api.register(organisationRoutes, deps);
      await api.register(linkWorkerRoutes, deps);
      await api.register(auditRoutes, deps);
      await api.register(referralRoutes, deps);
      await api.register(contactRoutes, deps);
      await api.register(pathwayRoutes, deps);
      await api.register(directoryRoutes, deps);
      await api.register(connectionRoutes, deps);
      await api.register(outcomeRoutes, deps);
      await api.register(measureRoutes, deps);
      await api.register(fhirMeasureRoutes, deps);
      await api.register(outcomeReportRoutes, deps);
      await api.register(reportingRoutes, deps);
      await api.register(researchRoutes, deps);
      await api.register(codingRoutes, deps);
      await api.register(analysisRoutes, deps);
      await api.register(realistRoutes, deps);
      await api.register(exchangeRoutes, deps);
      await api.register(recordingRoutes, deps);
      await api.register(insightRoutes, deps);
      await api.register(messagingRoutes, { ...deps, messageTransport: options.messageTransport ?? 'dev' });
      await api.register(scheduleRoutes, deps);
      await api.register(completionLinkRoutes, deps);
      await api.register(publicCompletionRoutes, deps);
    },
    { prefix: '/api' },
  );

  // The directory as an Open Referral UK 3.0 API: the deployment's ICB at /oruk/v3, any ICB by its ODS code.
  await app.register(orukRoutes, {
    ...deps,
    resolveIcb: defaultIcbResolver(options.orukIcbOdsCode ?? null),
    prefix: '/oruk/v3',
  });
  await app.register(orukRoutes, { ...deps, resolveIcb: icbFromParams, prefix: '/oruk/v3/icbs/:ods' });

  const serveWeb = (options.serveWeb ?? true) && existsSync(path.join(webDist, 'index.html'));
  if (serveWeb) {
    // One route per built file (the build runs before start); every other GET falls through to index.html.
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const p = req.url.split('?')[0] ?? '';
    if (p.startsWith('/api/') || p === '/api' || p.startsWith('/health') || p.startsWith('/oruk/')) {
      return apiNotFound(req, reply);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return apiNotFound(req, reply);
    if (serveWeb && p.startsWith('/r/') && existsSync(path.join(webDist, 'respond.html'))) {
      // A self-completion link opens the small public questionnaire page, not the staff app.
      return reply
        .type('text/html')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store')
        .sendFile('respond.html', { cacheControl: false });
    }
    if (serveWeb && !path.extname(p)) {
      // Client-side routes: the web app shows its own NHS-styled "page not found" for unknown ones.
      return reply.type('text/html').sendFile('index.html', { cacheControl: false });
    }
    if (!serveWeb) {
      return reply
        .status(404)
        .type('text/plain')
        .send('The web app is not built. Run `npm start` (it builds it) or `npm run build:web`.');
    }
    return apiNotFound(req, reply);
  });

  return app;
}
