import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../platform/actor.ts';
import { days } from '../../platform/clock.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { SessionStage } from './contract.ts';
import { isMfaRequired } from './mfa.ts';
import { assertGoodPassword, hashPassword, newSecretToken, sha256, verifyPassword } from './passwords.ts';
import { passwordTokens, roleAssignments, users } from './schema.ts';
import { createSession, revokeAllSessions, revokeOtherSessions, type SessionPolicy } from './sessions.ts';
import { assertNotThrottled, clearAccountFailures, lockThrottle, recordFailure } from './throttle.ts';

/** The organisations where a user holds roles: events about the user are recorded for each of them. */
export async function userOrganisationIds(tx: Db, userId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ id: roleAssignments.organisationId })
    .from(roleAssignments)
    .where(eq(roleAssignments.userId, userId));
  return rows.map((r) => r.id);
}

export type SignInResult =
  | { ok: true; token: string; stage: SessionStage; csrfToken: string }
  | { ok: false };

/**
 * Checks email and password and opens a session at the right stage. A failure is recorded (and committed)
 * here and reported as `ok: false`, so the caller can answer with one message that does not say which part was wrong.
 */
export async function signIn(
  tx: Db,
  ctx: RequestContext,
  input: { email: string; password: string },
  policy: SessionPolicy,
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  // Attempts on one account (and from one address) take turns, so parallel guesses cannot all get in before
  // the first failure is counted.
  await lockThrottle(tx, email, ctx.ip ?? null);
  await assertNotThrottled(tx, email, ctx.ip ?? null, ctx.now);
  const [user] = await tx.select().from(users).where(eq(users.email, email));
  const passwordOk = await verifyPassword(user?.active ? user.passwordHash : null, input.password);
  if (!user?.active || !passwordOk) {
    await recordFailure(tx, email, ctx.ip ?? null, ctx.now);
    await recordAudit(tx, ctx, {
      action: 'auth.sign_in_failed',
      recordType: user ? 'user' : undefined,
      recordIds: user ? [user.id] : [],
      // An unknown address belongs to no tenant: that event is visible in the database only.
      organisationId: user ? await userOrganisationIds(tx, user.id) : null,
    });
    return { ok: false };
  }
  await clearAccountFailures(tx, email);
  const stage: SessionStage = user.mfaEnabled
    ? 'mfa_required'
    : (await isMfaRequired(tx, user.id))
      ? 'mfa_enrolment_required'
      : 'complete';
  // Someone with roles at one organisation acts for it straight away; with several, they choose.
  const orgs = await userOrganisationIds(tx, user.id);
  const acting = orgs.length === 1 ? orgs[0]! : null;
  const session = await createSession(tx, user.id, stage, acting, ctx.now, policy);
  await tx.update(users).set({ lastSignedInAt: ctx.now }).where(eq(users.id, user.id));
  await recordAudit(tx, ctx, {
    action: 'auth.sign_in',
    recordType: 'user',
    recordIds: [user.id],
    organisationId: orgs,
    detail: { stage, sessionId: session.id },
  });
  return { ok: true, token: session.token, stage, csrfToken: session.csrfToken };
}

/** A single-use link to set a password: 7 days for an invitation, 1 day for a reset. */
export async function issuePasswordToken(
  tx: Db,
  userId: string,
  purpose: 'invitation' | 'reset',
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  // A new link replaces any earlier unused one.
  await tx
    .update(passwordTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordTokens.userId, userId), isNull(passwordTokens.usedAt)));
  const { token, hash } = newSecretToken();
  const expiresAt = new Date(now.getTime() + (purpose === 'invitation' ? days(7) : days(1)));
  await tx.insert(passwordTokens).values({ tokenHash: hash, userId, purpose, expiresAt, createdAt: now });
  return { token, expiresAt };
}

async function findLiveToken(tx: Db, token: string, now: Date) {
  const [row] = await tx
    .select({
      userId: passwordTokens.userId,
      purpose: passwordTokens.purpose,
      name: users.name,
      email: users.email,
    })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(
      and(
        eq(passwordTokens.tokenHash, sha256(token)),
        isNull(passwordTokens.usedAt),
        gt(passwordTokens.expiresAt, now),
        eq(users.active, true),
      ),
    );
  return row;
}

const expiredLink =
  'This link has expired or has already been used. Ask your administrator to send you a new one.';

export async function describePasswordToken(tx: Db, token: string, now: Date) {
  const row = await findLiveToken(tx, token, now);
  if (!row) throw new NotFoundError(expiredLink);
  return { purpose: row.purpose, name: row.name };
}

/** Sets a password from an invitation or reset link; every existing session of that user ends. */
export async function setPasswordWithToken(
  tx: Db,
  ctx: RequestContext,
  input: { token: string; password: string },
): Promise<void> {
  const row = await findLiveToken(tx, input.token, ctx.now);
  if (!row) throw new NotFoundError(expiredLink);
  assertGoodPassword(input.password, { email: row.email });
  await tx
    .update(users)
    .set({ passwordHash: await hashPassword(input.password), updatedAt: ctx.now })
    .where(eq(users.id, row.userId));
  await tx
    .update(passwordTokens)
    .set({ usedAt: ctx.now })
    .where(eq(passwordTokens.tokenHash, sha256(input.token)));
  await revokeAllSessions(tx, row.userId, ctx.now);
  await recordAudit(tx, ctx, {
    action: row.purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset',
    recordType: 'user',
    recordIds: [row.userId],
    organisationId: await userOrganisationIds(tx, row.userId),
  });
}

/**
 * Changes the signed-in user's password. A wrong current password is counted like a failed sign-in (and the
 * count committed), so a stolen session cannot be used to guess it; the user's other sessions end.
 */
export async function changePassword(
  tx: Db,
  ctx: RequestContext & { userId: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
): Promise<'changed' | 'wrong_current_password'> {
  const key = `password:${ctx.userId}`;
  await lockThrottle(tx, key, null);
  await assertNotThrottled(tx, key, null, ctx.now);
  const [user] = await tx.select().from(users).where(eq(users.id, ctx.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await recordFailure(tx, key, null, ctx.now);
    return 'wrong_current_password';
  }
  await clearAccountFailures(tx, key);
  assertGoodPassword(input.newPassword, { email: user.email }, 'newPassword');
  await tx
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), updatedAt: ctx.now })
    .where(eq(users.id, user.id));
  await revokeOtherSessions(tx, user.id, ctx.sessionId, ctx.now);
  await recordAudit(tx, ctx, { action: 'auth.password_changed', recordType: 'user', recordIds: [user.id] });
  return 'changed';
}
