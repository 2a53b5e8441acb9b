import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { type Db, rowsOf } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import { sha256 } from './passwords.ts';
import { recoveryCodes, users } from './schema.ts';

const ISSUER = 'Linkwork';
const RECOVERY_CODE_COUNT = 10;

export async function startEnrolment(
  tx: Db,
  user: { id: string; email: string },
): Promise<{ secret: string; otpauthUri: string; qrCodeSvg: string }> {
  const secret = generateSecret();
  await tx.update(users).set({ mfaPendingSecret: secret }).where(eq(users.id, user.id));
  const otpauthUri = generateURI({ issuer: ISSUER, label: user.email, secret });
  const qrCodeSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUri, qrCodeSvg };
}

/** Checks a 6-digit code, allowing one step of clock drift each way and refusing a code already used. */
export async function checkTotp(
  secret: string,
  code: string,
  now: Date,
  lastTimeStep: number | null,
): Promise<{ valid: false } | { valid: true; timeStep: number }> {
  if (!/^\d{6}$/.test(code)) return { valid: false };
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: 30,
    ...(lastTimeStep != null ? { afterTimeStep: lastTimeStep } : {}),
  }).catch(() => ({ valid: false as const }));
  return result.valid
    ? { valid: true, timeStep: (result as { timeStep: number }).timeStep }
    : { valid: false };
}

export async function confirmEnrolment(
  tx: Db,
  userId: string,
  code: string,
  now: Date,
): Promise<{ recoveryCodes: string[] } | null> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!user?.mfaPendingSecret) return null;
  const check = await checkTotp(user.mfaPendingSecret, code.replace(/\s/g, ''), now, null);
  if (!check.valid) return null;
  await tx
    .update(users)
    .set({
      mfaSecret: user.mfaPendingSecret,
      mfaPendingSecret: null,
      mfaEnabled: true,
      mfaLastTimeStep: check.timeStep,
      updatedAt: now,
      version: sql`${users.version} + 1`,
    })
    .where(eq(users.id, userId));
  return { recoveryCodes: await replaceRecoveryCodes(tx, userId, now) };
}

/** New recovery codes replace any earlier set; only their hashes are kept. */
export async function replaceRecoveryCodes(tx: Db, userId: string, now: Date): Promise<string[]> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = randomBytes(8).toString('hex'); // 64 bits each
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12)}`;
  });
  await tx
    .insert(recoveryCodes)
    .values(
      codes.map((c) => ({ id: newId(), userId, codeHash: sha256(normaliseRecoveryCode(c)), createdAt: now })),
    );
  return codes;
}

const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[^0-9a-f]/g, '');

/** A second factor: a current TOTP code, or an unused recovery code (which is then spent). */
export async function verifySecondFactor(
  tx: Db,
  userId: string,
  code: string,
  now: Date,
): Promise<'totp' | 'recovery_code' | null> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
  if (!user?.mfaEnabled || !user.mfaSecret) return null;
  const compact = code.replace(/\s/g, '');
  if (/^\d{6}$/.test(compact)) {
    const check = await checkTotp(user.mfaSecret, compact, now, user.mfaLastTimeStep);
    if (!check.valid) return null;
    await tx.update(users).set({ mfaLastTimeStep: check.timeStep }).where(eq(users.id, userId));
    return 'totp';
  }
  const normalised = normaliseRecoveryCode(compact);
  if (normalised.length !== 16) return null;
  const spent = await tx
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, sha256(normalised)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return spent.length > 0 ? 'recovery_code' : null;
}

/**
 * Two-factor is required for anyone holding the admin role, and for everyone with a role at an organisation
 * (or below one) whose administrators switched on "require two-factor for all". A SQL expression over the user
 * `u`, shared by sign-in and the per-request session lookup so the rule lives in one place.
 */
export const MFA_REQUIRED_SQL = `(with recursive up(id, role) as (
    select ra.organisation_id, ra.role::text from role_assignments ra where ra.user_id = u.id
    union
    select o.parent_id, null from organisations o join up on o.id = up.id where o.parent_id is not null)
  select coalesce(bool_or(up.role = 'admin' or o.require_mfa_for_all), false)
    from up join organisations o on o.id = up.id)`;

export async function isMfaRequired(tx: Db, userId: string): Promise<boolean> {
  const result = await tx.execute(
    sql`select ${sql.raw(MFA_REQUIRED_SQL)} as required from users u where u.id = ${userId}`,
  );
  return !!rowsOf<{ required: boolean }>(result)[0]?.required;
}
