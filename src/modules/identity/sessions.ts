import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db, PreparedQuery } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { minutes } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { OrganisationType } from '../organisations/contract.ts';
import type { Membership, SessionStage } from './contract.ts';
import { MFA_REQUIRED_SQL } from './mfa.ts';
import { newSecretToken, sha256 } from './passwords.ts';
import { type Role, sessions } from './schema.ts';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

/** Only touch last_seen_at once a minute: a session lookup per request must not be a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export async function createSession(
  tx: Db,
  userId: string,
  stage: SessionStage,
  actingOrganisationId: string | null,
  now: Date,
  policy: SessionPolicy,
): Promise<{ token: string; id: string; csrfToken: string }> {
  const { token, hash } = newSecretToken();
  const id = newId();
  const csrfToken = newSecretToken(24).token;
  await tx.insert(sessions).values({
    tokenHash: hash,
    id,
    userId,
    stage,
    actingOrganisationId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + policy.maxHours * 3_600_000),
  });
  return { token, id, csrfToken };
}

export interface ResolvedSession {
  sessionId: string;
  tokenHash: string;
  stage: SessionStage;
  csrfToken: string;
  user: { id: string; email: string; name: string; mfaEnabled: boolean };
  memberships: Membership[];
  actingOrganisationId: string | null;
  /** The acting organisation and all below it. */
  scope: string[];
  mfaRequired: boolean;
}

interface SessionRow {
  id: string;
  stage: SessionStage;
  csrf_token: string;
  last_seen_at: string | Date;
  expires_at: string | Date;
  acting_organisation_id: string | null;
  user_id: string;
  email: string;
  name: string;
  mfa_enabled: boolean;
  assignments:
    | { organisationId: string; organisationName: string; organisationType: OrganisationType; role: Role }[]
    | null;
  scope: string[] | string | null;
  mfa_required: boolean;
}

// One statement, prepared once per connection: every API request runs it.
const RESOLVE_SESSION = `
  select s.id, s.stage, s.csrf_token, s.last_seen_at, s.expires_at, s.acting_organisation_id,
         u.id as user_id, u.email, u.name, u.mfa_enabled,
         (select json_agg(json_build_object('organisationId', o.id, 'organisationName', o.name,
                                            'organisationType', o.type, 'role', ra.role) order by o.name, ra.role)
            from role_assignments ra join organisations o on o.id = ra.organisation_id
           where ra.user_id = u.id) as assignments,
         (with recursive sub(id) as (
            select o.id from organisations o where o.id = s.acting_organisation_id
            union all
            select o.id from organisations o join sub on o.parent_id = sub.id)
          select array_agg(id) from sub) as scope,
         ${MFA_REQUIRED_SQL} as mfa_required
    from sessions s join users u on u.id = s.user_id
   where s.token_hash = $1 and s.revoked_at is null and u.active`;

const TOUCH_SESSION = 'update sessions set last_seen_at = $2 where token_hash = $1';

/**
 * Finds the live session for a cookie token, with the user's memberships, tenant scope and whether two-factor is
 * required of them, in one query. Returns null for unknown, revoked, idle-expired or past-maximum sessions, and
 * for deactivated users.
 */
export async function resolveSession(
  query: PreparedQuery,
  token: string,
  now: Date,
  policy: SessionPolicy,
): Promise<ResolvedSession | null> {
  const tokenHash = sha256(token);
  const [row] = await query<SessionRow>('linkwork_resolve_session', RESOLVE_SESSION, [tokenHash]);
  if (!row) return null;
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (
    now.getTime() - lastSeen > minutes(policy.idleMinutes) ||
    now.getTime() >= new Date(row.expires_at).getTime()
  ) {
    return null;
  }
  if (now.getTime() - lastSeen > TOUCH_INTERVAL_MS) {
    await query('linkwork_touch_session', TOUCH_SESSION, [tokenHash, now]);
  }
  const byOrg = new Map<string, Membership>();
  for (const a of row.assignments ?? []) {
    const m = byOrg.get(a.organisationId) ?? {
      organisationId: a.organisationId,
      organisationName: a.organisationName,
      organisationType: a.organisationType,
      roles: [],
    };
    m.roles.push(a.role);
    byOrg.set(a.organisationId, m);
  }
  const memberships = [...byOrg.values()];
  // A role removed since the session began no longer lets the user act for that organisation.
  const acting =
    row.acting_organisation_id && byOrg.has(row.acting_organisation_id) ? row.acting_organisation_id : null;
  return {
    sessionId: row.id,
    tokenHash,
    // Someone given the admin role, or whose organisation began requiring two-factor, after signing in must set
    // it up before doing anything more.
    stage:
      row.stage === 'complete' && row.mfa_required && !row.mfa_enabled ? 'mfa_enrolment_required' : row.stage,
    csrfToken: row.csrf_token,
    user: { id: row.user_id, email: row.email, name: row.name, mfaEnabled: row.mfa_enabled },
    memberships,
    actingOrganisationId: acting,
    scope: acting ? parsePgArray(row.scope) : [],
    mfaRequired: !!row.mfa_required,
  };
}

/** node-postgres parses uuid[] into an array; PGlite may hand back the text form. */
function parsePgArray(value: string[] | string | null): string[] {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
}

export function actorFromSession(s: ResolvedSession, requestId: string, ip: string | null, now: Date): Actor {
  const acting = s.memberships.find((m) => m.organisationId === s.actingOrganisationId) ?? null;
  return {
    userId: s.user.id,
    sessionId: s.sessionId,
    actingOrganisationId: acting?.organisationId ?? null,
    actingOrganisationType: acting?.organisationType ?? null,
    roles: acting?.roles ?? [],
    scopeOrganisationIds: s.scope,
    requestId,
    ip,
    now,
  };
}

export async function revokeSession(tx: Db, sessionId: string, now: Date): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(tx: Db, userId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length;
}

export async function revokeOtherSessions(
  tx: Db,
  userId: string,
  keepSessionId: string,
  now: Date,
): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), ne(sessions.id, keepSessionId)));
}

export async function setSessionStage(tx: Db, sessionId: string, stage: SessionStage): Promise<void> {
  await tx.update(sessions).set({ stage }).where(eq(sessions.id, sessionId));
}

export async function setActingOrganisation(
  tx: Db,
  sessionId: string,
  organisationId: string,
): Promise<void> {
  await tx.update(sessions).set({ actingOrganisationId: organisationId }).where(eq(sessions.id, sessionId));
}
