import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { TooManyRequestsError } from '../../platform/errors.ts';
import { signInThrottle } from './schema.ts';

type Scope = 'account' | 'ip';

// An account is slowed after 5 failures; an IP (a whole GP practice can share one) after 20.
const FREE_FAILURES: Record<Scope, number> = { account: 5, ip: 20 };
const MAX_DELAY_S = 15 * 60;
const FORGET_AFTER_MS = 60 * 60_000;

/** Delay after the nth failure: 0 for the free ones, then doubling from 2 s, capped at 15 minutes. */
export function delaySecondsAfter(scope: Scope, failures: number): number {
  const over = failures - FREE_FAILURES[scope] + 1;
  return over <= 0 ? 0 : Math.min(MAX_DELAY_S, 2 ** over);
}

const keysFor = (email: string, ip: string | null) =>
  [
    ['account', email],
    ['ip', ip],
  ].filter((k): k is [Scope, string] => !!k[1]);

/**
 * Makes attempts on the same account and from the same address take turns until this transaction ends.
 * Always account before address, so two attempts can never wait on each other.
 */
export async function lockThrottle(tx: Db, key: string, ip: string | null): Promise<void> {
  for (const k of keysFor(key, ip)) {
    await tx.execute(sql`select pg_advisory_xact_lock(727275, hashtext(${`${k[0]}:${k[1]}`}))`);
  }
}

/** Refuses a sign-in attempt while the account or the IP is in its delay. Same message either way. */
export async function assertNotThrottled(tx: Db, email: string, ip: string | null, now: Date): Promise<void> {
  for (const [scope, key] of keysFor(email, ip)) {
    const [row] = await tx
      .select()
      .from(signInThrottle)
      .where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)));
    if (row?.blockedUntil && row.blockedUntil > now) {
      const wait = Math.ceil((row.blockedUntil.getTime() - now.getTime()) / 1000);
      throw new TooManyRequestsError(
        `Too many sign-in attempts. Wait ${wait} second${wait === 1 ? '' : 's'} and try again.`,
        wait,
      );
    }
  }
}

export async function recordFailure(tx: Db, email: string, ip: string | null, now: Date): Promise<void> {
  for (const [scope, key] of keysFor(email, ip)) {
    const [row] = await tx
      .select()
      .from(signInThrottle)
      .where(and(eq(signInThrottle.scope, scope), eq(signInThrottle.key, key)))
      .for('update');
    const stale = !row || now.getTime() - row.lastFailureAt.getTime() > FORGET_AFTER_MS;
    const failures = stale ? 1 : row.failures + 1;
    const delay = delaySecondsAfter(scope, failures);
    const blockedUntil = delay > 0 ? new Date(now.getTime() + delay * 1000) : null;
    await tx
      .insert(signInThrottle)
      .values({ scope, key, failures, lastFailureAt: now, blockedUntil })
      .onConflictDoUpdate({
        target: [signInThrottle.scope, signInThrottle.key],
        set: { failures, lastFailureAt: now, blockedUntil },
      });
  }
}

export async function clearAccountFailures(tx: Db, email: string): Promise<void> {
  await tx
    .delete(signInThrottle)
    .where(and(eq(signInThrottle.scope, 'account'), eq(signInThrottle.key, email)));
}

/** Housekeeping for old counters; safe to run at any time. */
export async function forgetOldFailures(tx: Db, now: Date): Promise<void> {
  await tx
    .delete(signInThrottle)
    .where(sql`${signInThrottle.lastFailureAt} < ${new Date(now.getTime() - FORGET_AFTER_MS)}`);
}
