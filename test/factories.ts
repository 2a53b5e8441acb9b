import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate, generateSecret } from 'otplib';
import { type BuildOptions, buildApp } from '../src/app.ts';
import type { Database, Db } from '../src/db/client.ts';
import type { Role } from '../src/modules/identity/contract.ts';
import { hashPassword } from '../src/modules/identity/passwords.ts';
import { roleAssignments, users } from '../src/modules/identity/schema.ts';
import type { OrganisationType } from '../src/modules/organisations/contract.ts';
import { organisations } from '../src/modules/organisations/schema.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { newId } from '../src/platform/ids.ts';
import { inTransaction } from '../src/platform/transaction.ts';

export const TEST_PASSWORD = 'correct-horse-battery-staple';
let passwordHash: Promise<string> | undefined;
let seq = 0;
const unique = () => `${Date.now().toString(36)}${(++seq).toString(36)}`;

const system = (now: Date) => ({ system: true as const, now });

export async function makeOrganisation(
  db: Db,
  input: {
    type: OrganisationType;
    name?: string;
    parentId?: string | null;
    odsCode?: string | null;
    requireMfaForAll?: boolean;
  },
) {
  const id = newId();
  const now = new Date();
  await inTransaction(db, system(now), (tx) =>
    tx.insert(organisations).values({
      id,
      type: input.type,
      name: input.name ?? `${input.type} ${unique()}`,
      odsCode: input.odsCode ?? null,
      parentId: input.parentId ?? null,
      requireMfaForAll: input.requireMfaForAll ?? false,
      createdAt: now,
      updatedAt: now,
    }),
  );
  return id;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  mfaSecret: string | null;
}

/** A user with a password and roles; administrators get two-factor set up, as the app requires. */
export async function makeUser(
  db: Db,
  input: { roles: [string, Role][]; name?: string; email?: string; active?: boolean; mfa?: boolean },
): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  const now = new Date();
  const email = input.email ?? `user-${unique()}@test.linkwork.example`;
  const needsMfa = input.mfa ?? input.roles.some(([, r]) => r === 'admin');
  const mfaSecret = needsMfa ? generateSecret() : null;
  await inTransaction(db, system(now), async (tx) => {
    await tx.insert(users).values({
      id,
      email,
      name: input.name ?? `Test ${unique()}`,
      passwordHash: await passwordHash!,
      active: input.active ?? true,
      mfaEnabled: needsMfa,
      mfaSecret,
      createdAt: now,
      updatedAt: now,
    });
    if (input.roles.length) {
      await tx.insert(roleAssignments).values(
        input.roles.map(([organisationId, role]) => ({
          id: newId(),
          userId: id,
          organisationId,
          role,
          createdAt: now,
        })),
      );
    }
  });
  return { id, email, password: TEST_PASSWORD, mfaSecret };
}

export async function setUserActive(db: Db, userId: string, active: boolean) {
  await inTransaction(db, system(new Date()), (tx) =>
    tx.update(users).set({ active }).where(eq(users.id, userId)),
  );
}

export interface TestApp {
  app: FastifyInstance;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function makeTestApp(
  database: Database,
  clock = new ManualClock(new Date()),
  options: Pick<BuildOptions, 'reportStatementTimeoutMs'> = {},
): Promise<TestApp> {
  const app = await buildApp({
    database,
    clock,
    logLevel: 'silent',
    serveWeb: false,
    publicUrl: 'http://localhost:3000',
    ...options,
  });
  await app.ready();
  return { app, clock, close: () => app.close() };
}

/** A signed-in browser-like client: session cookie plus the CSRF token every write needs. */
export interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export function sessionCookieFrom(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'lw_session');
  if (!cookie) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
  return `lw_session=${cookie.value}`;
}

export async function totpFor(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/** Signs in through the API (password, then TOTP when set up) and acts for the given organisation. */
export async function signIn(t: TestApp, user: TestUser, actingOrganisationId?: string): Promise<Session> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email: user.email, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieFrom(res);
  if (res.json().stage === 'mfa_required') {
    const code = await totpFor(user.mfaSecret!, t.clock.now());
    const mfa = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      headers: { cookie, 'x-csrf-token': res.json().csrfToken },
      payload: { code },
    });
    if (mfa.statusCode !== 200) throw new Error(`mfa failed: ${mfa.statusCode} ${mfa.body}`);
    // A TOTP code is single-use: move past its time step so the next sign-in gets a fresh one.
    t.clock.advance(30_000);
  }
  let me = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
  if (actingOrganisationId && me.json().acting?.organisationId !== actingOrganisationId) {
    me = await t.app.inject({
      method: 'PUT',
      url: '/api/me/acting-organisation',
      headers: { cookie, 'x-csrf-token': me.json().csrfToken },
      payload: { organisationId: actingOrganisationId },
    });
    if (me.statusCode !== 200) throw new Error(`acting failed: ${me.statusCode} ${me.body}`);
  }
  return { cookie, csrfToken: me.json().csrfToken, userId: user.id };
}

/** Calls the API as a signed-in session. */
export function call(
  t: TestApp,
  session: Session | null,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  const headers: Record<string, string> = {};
  if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrfToken;
  }
  return t.app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined
      ? { payload: payload as Record<string, unknown> }
      : method === 'GET'
        ? {}
        : { payload: {} }),
  });
}

/** A bare sign-in request from a given address, for throttle and enumeration tests. */
export const signInRaw = (t: TestApp, email: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password }, remoteAddress: ip });

/**
 * Signed-in users for a suite: each signs in once (on first use) and keeps the session. `req` calls the API as
 * them (the URL without its /api prefix); `forget` drops the sessions, e.g. after the clock jumps past them. Takes
 * the app by a getter because suites make it in beforeAll.
 */
export function signedInUsers(app: () => TestApp) {
  const sessions = new Map<string, Promise<Session>>();
  const as = (user: TestUser) => {
    if (!sessions.has(user.id)) sessions.set(user.id, signIn(app(), user));
    return sessions.get(user.id)!;
  };
  const req = async (
    user: TestUser,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ) => call(app(), await as(user), method, `/api${url}`, body);
  return { as, req, forget: () => sessions.clear() };
}
