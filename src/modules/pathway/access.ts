import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { londonDate } from '../../platform/working-days.ts';
import { roleAssignments, users } from '../identity/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { pathwaySettings } from './schema.ts';

export type ReferralRow = typeof referrals.$inferSelect;

const statusWords: Record<string, string> = {
  awaiting_triage: 'still awaiting triage',
  declined: 'declined at triage',
  signposted: 'signposted elsewhere',
  declined_by_person: 'closed: the person declined social prescribing',
  discharged: 'discharged',
};

/**
 * One episode of the acting PCN that the actor may work on: a lead any of the PCN's, a link worker only the ones
 * allocated to them. Anything else is "not found", so ids reveal nothing.
 */
export async function episodeFor(
  tx: Db,
  actor: Actor,
  referralId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReferralRow> {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const query = tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, referralId), eq(referrals.organisationId, actor.actingOrganisationId!)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  if (!row || (!hasRole(actor, 'lead_link_worker') && row.allocatedLinkWorkerId !== actor.userId)) {
    throw new NotFoundError('There is no episode with this id in your caseload.');
  }
  return row;
}

/** Work on an episode needs it open: accepted at triage, not closed. */
export function assertOpen(row: ReferralRow, what: string): void {
  if (row.status !== 'accepted') {
    throw new ConflictError(`You cannot ${what}: this episode is ${statusWords[row.status] ?? row.status}.`);
  }
}

/** A moment given in a body must not be before the referral nor in the future (a few minutes of clock skew allowed). */
export function assertWithinEpisode(
  actor: Actor,
  row: ReferralRow,
  when: Date,
  field: string,
  what: string,
  options: { future?: boolean } = {},
): void {
  if (when < row.receivedAt) {
    throw new ValidationError(`${what} cannot be before the referral was received`, { field });
  }
  if (!options.future && when.getTime() > actor.now.getTime() + 5 * 60_000) {
    throw new ValidationError(`${what} cannot be in the future`, { field });
  }
}

/** A calendar date (YYYY-MM-DD), compared by the date in England: from the referral's day up to today. */
export function assertDateWithinEpisode(
  actor: Actor,
  row: ReferralRow,
  isoDate: string,
  field: string,
  what: string,
): void {
  if (isoDate < londonDate(row.receivedAt)) {
    throw new ValidationError(`${what} cannot be before the referral was received`, { field });
  }
  if (isoDate > londonDate(actor.now)) {
    throw new ValidationError(`${what} cannot be in the future`, { field });
  }
}

export interface Settings {
  organisationId: string;
  firstContactTargetWorkingDays: number;
  unableToContactAttempts: number;
  version: number;
}

/** The PCN's pathway settings, or the defaults (10 working days, 3 attempts) until a lead changes them. */
export async function settingsOf(tx: Db, organisationId: string): Promise<Settings> {
  const [row] = await tx
    .select()
    .from(pathwaySettings)
    .where(eq(pathwaySettings.organisationId, organisationId));
  return row
    ? {
        organisationId,
        firstContactTargetWorkingDays: row.firstContactTargetWorkingDays,
        unableToContactAttempts: row.unableToContactAttempts,
        version: row.version,
      }
    : { organisationId, firstContactTargetWorkingDays: 10, unableToContactAttempts: 3, version: 1 };
}

/** The link worker must hold the link worker role in this PCN. */
export async function assertLinkWorkerOf(
  tx: Db,
  organisationId: string,
  userId: string,
  field: string,
): Promise<void> {
  const [holder] = await tx
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(
      and(
        eq(users.active, true),
        eq(roleAssignments.userId, userId),
        eq(roleAssignments.organisationId, organisationId),
        eq(roleAssignments.role, 'link_worker'),
      ),
    );
  if (!holder) throw new ValidationError('Choose a link worker in this PCN', { field });
}
