import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { PreparedQuery } from '../db/client.ts';
import {
  actorFromSession,
  type ResolvedSession,
  resolveSession,
  type SessionPolicy,
} from '../modules/identity/sessions.ts';
import type { Actor, SystemContext } from './actor.ts';
import { ForbiddenError, UnauthenticatedError } from './errors.ts';

/** Who may call a route: anyone, anyone with a session at any stage, or a fully signed-in user (the default). */
export type RouteAuth = 'public' | 'session' | 'signed-in';

declare module 'fastify' {
  interface FastifyRequest {
    now: Date;
    session: ResolvedSession | null;
    /** The signed-in actor; routes marked 'public' or 'session' must not read it. */
    actor: Actor;
    system: SystemContext;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** Cookie-authenticated writes need the CSRF header unless the route opts out (it has no session yet). */
    csrf?: boolean;
  }
}

export interface AuthOptions {
  prepared: PreparedQuery;
  now: () => Date;
  policy: SessionPolicy;
  cookieName: string;
  secureCookies: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_CACHE_MS = 2_000;
const SESSION_CACHE_MAX = 10_000;

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-lw_session' : 'lw_session');

export const authPlugin = fp(async (app: FastifyInstance, opts: AuthOptions) => {
  app.decorateRequest('now', null as unknown as Date);
  app.decorateRequest('session', null);
  app.decorateRequest('actor', {
    getter(this: FastifyRequest): Actor {
      const s = this.session;
      if (s?.stage !== 'complete') throw new UnauthenticatedError('Sign in to use Linkwork.');
      return actorFromSession(s, this.id, this.ip ?? null, this.now);
    },
  });
  app.decorateRequest('system', {
    getter(this: FastifyRequest): SystemContext {
      return { system: true, now: this.now, requestId: this.id, ip: this.ip ?? null };
    },
  });

  /**
   * Sessions seen in the last couple of seconds, so a burst of reads costs one lookup. Any write through this
   * process empties it before its response leaves, so a change (a revoked session, a new role, a new organisation)
   * is seen by the next request here at once, and by other processes within SESSION_CACHE_MS.
   */
  const cache = new Map<string, { session: ResolvedSession; at: number }>();
  // Bumped by every write: a lookup that began before a write must not cache what it read.
  let generation = 0;
  const lookup = async (token: string, now: Date): Promise<ResolvedSession | null> => {
    const hit = cache.get(token);
    if (hit && now.getTime() - hit.at < SESSION_CACHE_MS && now.getTime() >= hit.at) return hit.session;
    const startedAt = generation;
    const session = await resolveSession(opts.prepared, token, now, opts.policy);
    if (cache.size >= SESSION_CACHE_MAX) cache.clear();
    if (session && generation === startedAt) cache.set(token, { session, at: now.getTime() });
    else cache.delete(token);
    return session;
  };
  app.addHook('onSend', async (req) => {
    if (!SAFE_METHODS.has(req.method)) {
      generation++;
      cache.clear();
    }
  });

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    req.now = opts.now();
    reply.header('x-request-id', req.id);
    // The API description is public, like the API's existence; every other API route needs a session. The matched
    // route is what counts, not the raw URL, which a client can spell in percent-encoding.
    const route = req.routeOptions.url;
    if (!route?.startsWith('/api/') || route.startsWith('/api/docs')) return;
    const auth = req.routeOptions.config?.auth ?? 'signed-in';
    const token = req.cookies[opts.cookieName];
    if (token && token.length <= 100) {
      // Identity tables carry no row-level security, so the lookup needs no transaction: one round trip.
      req.session = await lookup(token, req.now);
      if (!req.session) clearSessionCookie(reply, opts);
    }
    if (auth === 'public') return;
    if (!req.session) {
      throw new UnauthenticatedError('Your session has ended or you are not signed in. Sign in to carry on.');
    }
    if (auth === 'signed-in' && req.session.stage !== 'complete') {
      throw new UnauthenticatedError(
        req.session.stage === 'mfa_required'
          ? 'Enter the security code from your authenticator app to finish signing in.'
          : 'Set up two-factor authentication to finish signing in.',
      );
    }
    if (!SAFE_METHODS.has(req.method) && req.routeOptions.config?.csrf !== false) {
      if (req.headers['x-csrf-token'] !== req.session.csrfToken) {
        throw new ForbiddenError(
          'The security token for this page is missing or out of date. Reload the page and try again.',
        );
      }
    }
  });
});

export function setSessionCookie(
  reply: FastifyReply,
  opts: Pick<AuthOptions, 'cookieName' | 'secureCookies'>,
  token: string,
) {
  reply.setCookie(opts.cookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: opts.secureCookies,
  });
}

export function clearSessionCookie(
  reply: FastifyReply,
  opts: Pick<AuthOptions, 'cookieName' | 'secureCookies'>,
) {
  reply.clearCookie(opts.cookieName, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: opts.secureCookies,
  });
}
