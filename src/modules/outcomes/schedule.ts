import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import { NotFoundError, ValidationError, VersionConflictError } from '../../platform/errors.ts';
import { addDays, addMonths, londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { episodeFor } from '../pathway/access.ts';
import { discharges, whatMattersConversations } from '../pathway/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { outcomeResponses, outcomeSettings, type timepoints } from './schema.ts';
import { listInstruments } from './service.ts';

/*
 * When measures are due. Baseline: from acceptance until the first "what matters" conversation (overdue after
 * it). Discharge: around the discharge (two weeks before to four weeks after). Follow-ups, only for people who
 * agreed at discharge to be contacted: a window of months after discharge — by default 3–4 months, and the
 * long-term one 9–12 months, which is the sustainment question.
 */

export const DEFAULT_OUTCOME_SETTINGS = {
  instrumentCodes: ['ons4', 'ucla3'],
  shortFollowUpFromMonths: 3,
  shortFollowUpToMonths: 4,
  longFollowUpFromMonths: 9,
  longFollowUpToMonths: 12,
  version: 0,
};
export type OutcomeSettings = typeof DEFAULT_OUTCOME_SETTINGS;

export type DueStatus = 'not_yet' | 'due' | 'overdue' | 'done';
export interface DueMeasure {
  timepoint: (typeof timepoints)[number];
  instrumentCode: string;
  from: string;
  /** The last day of the window; null while it is open-ended (baseline before the first conversation). */
  to: string | null;
  status: DueStatus;
}

/** Every measure an episode calls for, with its window and status on `today`. Pure, so it is tested directly. */
export function dueMeasures(input: {
  acceptedOn: string;
  firstWhatMattersOn: string | null;
  discharge: { on: string; consentToFollowUp: boolean | null } | null;
  today: string;
  settings: OutcomeSettings;
  /** "timepoint:instrument" of complete, current responses. */
  done: ReadonlySet<string>;
}): DueMeasure[] {
  const { settings, today, done } = input;
  const windows: { timepoint: DueMeasure['timepoint']; from: string; to: string | null }[] = [
    { timepoint: 'baseline', from: input.acceptedOn, to: input.firstWhatMattersOn },
  ];
  if (input.discharge) {
    const on = input.discharge.on;
    windows.push({ timepoint: 'discharge', from: addDays(on, -14), to: addDays(on, 28) });
    if (input.discharge.consentToFollowUp) {
      windows.push(
        {
          timepoint: 'follow_up_short',
          from: addMonths(on, settings.shortFollowUpFromMonths),
          to: addMonths(on, settings.shortFollowUpToMonths),
        },
        {
          timepoint: 'follow_up_long',
          from: addMonths(on, settings.longFollowUpFromMonths),
          to: addMonths(on, settings.longFollowUpToMonths),
        },
      );
    }
  }
  return windows.flatMap((w) =>
    settings.instrumentCodes.map((instrumentCode) => ({
      timepoint: w.timepoint,
      instrumentCode,
      from: w.from,
      to: w.to,
      status: done.has(`${w.timepoint}:${instrumentCode}`)
        ? 'done'
        : today < w.from
          ? 'not_yet'
          : w.to !== null && today > w.to
            ? 'overdue'
            : 'due',
    })),
  );
}

export async function outcomeSettingsOf(tx: Db, organisationId: string): Promise<OutcomeSettings> {
  const [s] = await tx
    .select()
    .from(outcomeSettings)
    .where(eq(outcomeSettings.organisationId, organisationId));
  return s
    ? {
        instrumentCodes: s.instrumentCodes,
        shortFollowUpFromMonths: s.shortFollowUpFromMonths,
        shortFollowUpToMonths: s.shortFollowUpToMonths,
        longFollowUpFromMonths: s.longFollowUpFromMonths,
        longFollowUpToMonths: s.longFollowUpToMonths,
        version: s.version,
      }
    : DEFAULT_OUTCOME_SETTINGS;
}

export const outcomeSettingsBody = z
  .strictObject({
    instrumentCodes: z.array(z.string().max(60)).min(1, 'Choose at least one instrument').max(10),
    shortFollowUpFromMonths: z.number().int().min(1).max(24),
    shortFollowUpToMonths: z.number().int().min(1).max(24),
    longFollowUpFromMonths: z.number().int().min(1).max(36),
    longFollowUpToMonths: z.number().int().min(1).max(36),
    version: z.number().int().min(0),
  })
  .superRefine((b, ctx) => {
    if (b.shortFollowUpToMonths <= b.shortFollowUpFromMonths) {
      ctx.addIssue({
        code: 'custom',
        path: ['shortFollowUpToMonths'],
        message: 'The window must end after it opens',
      });
    }
    if (b.longFollowUpToMonths <= b.longFollowUpFromMonths) {
      ctx.addIssue({
        code: 'custom',
        path: ['longFollowUpToMonths'],
        message: 'The window must end after it opens',
      });
    }
    if (b.longFollowUpFromMonths < b.shortFollowUpToMonths) {
      ctx.addIssue({
        code: 'custom',
        path: ['longFollowUpFromMonths'],
        message: 'The long-term follow-up opens after the short-term one closes',
      });
    }
  });

export async function updateOutcomeSettings(tx: Db, actor: Actor, body: z.infer<typeof outcomeSettingsBody>) {
  assertRole(actor, 'lead_link_worker', 'admin');
  const org = actor.actingOrganisationId!;
  const usable = new Map((await listInstruments(tx, actor)).items.map((i) => [i.code, i]));
  const errors = body.instrumentCodes.flatMap((code, i) =>
    !usable.has(code)
      ? [{ field: `instrumentCodes.${i}`, message: `There is no instrument ${code}` }]
      : !usable.get(code)!.enabled
        ? [
            {
              field: `instrumentCodes.${i}`,
              message: `${usable.get(code)!.title} needs its licence recorded first`,
            },
          ]
        : [],
  );
  if (errors.length > 0) throw new ValidationError('Some instruments cannot be used here', errors);
  const current = await outcomeSettingsOf(tx, org);
  if (current.version !== body.version) throw new VersionConflictError('outcome setting', current.version);
  const values = { ...body, version: body.version + 1, updatedAt: actor.now, updatedBy: actor.userId };
  await tx
    .insert(outcomeSettings)
    .values({ organisationId: org, ...values })
    .onConflictDoUpdate({ target: outcomeSettings.organisationId, set: values });
  await recordAudit(tx, actor, {
    action: 'outcomes.settings.updated',
    detail: { instruments: body.instrumentCodes },
  });
  return outcomeSettingsOf(tx, org);
}

async function doneFor(tx: Db, referralIds: string[]): Promise<Map<string, Set<string>>> {
  const done = new Map<string, Set<string>>();
  if (referralIds.length === 0) return done;
  const rows = await tx
    .select({
      referralId: outcomeResponses.referralId,
      timepoint: outcomeResponses.timepoint,
      code: outcomeResponses.instrumentCode,
    })
    .from(outcomeResponses)
    .where(
      and(
        inArray(outcomeResponses.referralId, referralIds),
        eq(outcomeResponses.status, 'complete'),
        eq(outcomeResponses.superseded, false),
      ),
    );
  for (const r of rows) {
    const set = done.get(r.referralId) ?? new Set<string>();
    set.add(`${r.timepoint}:${r.code}`);
    done.set(r.referralId, set);
  }
  return done;
}

/** The measures one episode calls for, and how each stands today. */
export async function episodeDueMeasures(tx: Db, actor: Actor, referralId: string) {
  const episode = await episodeFor(tx, actor, referralId);
  const settings = await outcomeSettingsOf(tx, episode.organisationId);
  const [first] = await tx
    .select({ on: sql<string>`min(${whatMattersConversations.heldOn})::text` })
    .from(whatMattersConversations)
    .where(eq(whatMattersConversations.referralId, referralId));
  const [discharge] = await tx.select().from(discharges).where(eq(discharges.referralId, referralId));
  const done = (await doneFor(tx, [referralId])).get(referralId) ?? new Set();
  return {
    items: dueMeasures({
      acceptedOn: londonDate(episode.triagedAt ?? episode.receivedAt),
      firstWhatMattersOn: first?.on ?? null,
      discharge: discharge
        ? { on: discharge.dischargedOn, consentToFollowUp: discharge.consentToFollowUp }
        : null,
      today: londonDate(actor.now),
      settings,
      done,
    }),
    settings,
  };
}

/**
 * People discharged who agreed to be contacted later, whose follow-up window is open (or opens within a month):
 * a lead sees the PCN's, a link worker the people they discharged.
 */
export async function followUps(tx: Db, actor: Actor) {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const org = actor.actingOrganisationId!;
  const settings = await outcomeSettingsOf(tx, org);
  const today = londonDate(actor.now);
  const earliest = addMonths(today, -settings.longFollowUpToMonths);
  const rows = await tx
    .select({
      referralId: discharges.referralId,
      personId: discharges.personId,
      dischargedOn: discharges.dischargedOn,
      givenName: people.givenName,
      familyName: people.familyName,
      linkWorkerId: referrals.allocatedLinkWorkerId,
    })
    .from(discharges)
    .innerJoin(referrals, eq(referrals.id, discharges.referralId))
    .innerJoin(people, eq(people.id, discharges.personId))
    .where(
      and(
        eq(discharges.organisationId, org),
        eq(discharges.consentToFollowUp, true),
        gte(discharges.dischargedOn, earliest),
      ),
    );
  const mine = hasRole(actor, 'lead_link_worker')
    ? rows
    : rows.filter((r) => r.linkWorkerId === actor.userId);
  const done = await doneFor(
    tx,
    mine.map((r) => r.referralId),
  );
  const soon = addMonths(today, 1);
  const items = mine.flatMap((r) => {
    const due = dueMeasures({
      acceptedOn: r.dischargedOn,
      firstWhatMattersOn: r.dischargedOn,
      discharge: { on: r.dischargedOn, consentToFollowUp: true },
      today,
      settings,
      done: done.get(r.referralId) ?? new Set(),
    }).filter((d) => d.timepoint === 'follow_up_short' || d.timepoint === 'follow_up_long');
    const windows = new Map<string, DueMeasure[]>();
    for (const d of due) windows.set(d.timepoint, [...(windows.get(d.timepoint) ?? []), d]);
    return [...windows.entries()]
      .filter(([, ds]) => ds.some((d) => d.status === 'due' || (d.status === 'not_yet' && d.from <= soon)))
      .map(([timepoint, ds]) => ({
        referralId: r.referralId,
        personId: r.personId,
        personName: `${r.givenName} ${r.familyName}`,
        dischargedOn: r.dischargedOn,
        timepoint,
        from: ds[0]!.from,
        to: ds[0]!.to!,
        open: ds[0]!.status !== 'not_yet',
        instrumentsOutstanding: ds.filter((d) => d.status !== 'done').map((d) => d.instrumentCode),
      }));
  });
  items.sort((a, b) => (a.to < b.to ? -1 : 1));
  await recordAudit(tx, actor, {
    action: 'outcomes.follow_ups.listed',
    recordType: 'referral',
    recordIds: [...new Set(items.map((i) => i.referralId))],
  });
  return { items, settings };
}

/** How long a missed window stays on the caseload's list after it closes. */
export const OVERDUE_SHOWN_DAYS = 28;

export const caseloadDueQuery = z.strictObject({
  linkWorkerId: z.uuid('This link worker id is not valid').optional(),
});

interface CaseloadDueRow {
  referral_id: string;
  person_id: string;
  given_name: string;
  family_name: string;
  accepted_on: string;
  first_what_matters_on: string | null;
  discharged_on: string | null;
  consent_to_follow_up: boolean | null;
  done: string[];
}

/**
 * The link worker's episodes that can call for measures: the open ones (from the caseload's index) and those
 * discharged by them within the discharge window, or within the follow-up windows for people who agreed to be
 * contacted (from the discharges' index by who discharged, so a year of discharges is read, not the PCN's history).
 * Exported for the benchmark, which times it raw.
 */
export function caseloadDueStatement(
  organisationId: string,
  linkWorkerId: string,
  dischargeSince: string,
  followUpsSince: string,
) {
  return sql`
    with episodes as (
      select r.id, r.person_id, r.triaged_at, r.received_at, null::date as discharged_on, null::boolean as consent
      from referrals r
      where r.allocated_link_worker_id = ${linkWorkerId} and r.status = 'accepted'
        and r.organisation_id = ${organisationId}
      union all
      select r.id, r.person_id, r.triaged_at, r.received_at, d.discharged_on, d.consent_to_follow_up
      from discharges d
      join referrals r on r.id = d.referral_id
      where d.discharged_by = ${linkWorkerId} and d.organisation_id = ${organisationId}
        and d.discharged_on >= least(${dischargeSince}::date, ${followUpsSince}::date)
        and (d.discharged_on >= ${dischargeSince}::date
          or (d.consent_to_follow_up and d.discharged_on >= ${followUpsSince}::date))
        and r.allocated_link_worker_id = ${linkWorkerId} and r.status = 'discharged'
    )
    select e.id as referral_id, e.person_id, p.given_name, p.family_name,
      (coalesce(e.triaged_at, e.received_at) at time zone 'Europe/London')::date::text as accepted_on,
      (select min(w.held_on)::text from what_matters_conversations w where w.referral_id = e.id)
        as first_what_matters_on,
      e.discharged_on::text as discharged_on, e.consent as consent_to_follow_up,
      -- What is already done, as doneFor reads it: "timepoint:instrument" of current complete responses.
      array(select distinct o.timepoint || ':' || o.instrument_code from outcome_responses o
            where o.referral_id = e.id and o.status = 'complete' and not o.superseded) as done
    from episodes e
    join people p on p.id = e.person_id`;
}

/**
 * The measures a link worker's caseload calls for today: baselines on open episodes (overdue once the first
 * conversation has passed), discharge measures around a discharge, and follow-up windows that are open for people
 * who agreed to be contacted. One row per episode and timepoint, overdue first, then by the window's end.
 */
export async function caseloadDue(tx: Db, actor: Actor, query: z.infer<typeof caseloadDueQuery>) {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const linkWorkerId = query.linkWorkerId ?? actor.userId;
  if (linkWorkerId !== actor.userId && !hasRole(actor, 'lead_link_worker')) {
    throw new NotFoundError('You can see your own caseload’s measures; leads see the whole team’s.');
  }
  const org = actor.actingOrganisationId!;
  if (linkWorkerId !== actor.userId) {
    const [known] = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select ra.user_id as id from role_assignments ra where ra.user_id = ${linkWorkerId}
          and ra.organisation_id = ${org} and ra.role in ('link_worker', 'lead_link_worker') limit 1`),
    );
    if (!known) throw new NotFoundError('There is no link worker with this id in your PCN.');
  }
  const settings = await outcomeSettingsOf(tx, org);
  const today = londonDate(actor.now);
  // One rule for every closed window: overdue is shown for four weeks after it closes, then drops off the list
  // (the episode keeps it as overdue). A baseline stays overdue while the episode is open, and goes with discharge.
  const stillShownFrom = addDays(today, -OVERDUE_SHOWN_DAYS);
  const followUpsSince = addDays(addMonths(today, -settings.longFollowUpToMonths), -OVERDUE_SHOWN_DAYS);
  const dischargeSince = addDays(today, -28 - OVERDUE_SHOWN_DAYS);
  const rows = rowsOf<CaseloadDueRow>(
    await tx.execute(caseloadDueStatement(org, linkWorkerId, dischargeSince, followUpsSince)),
  );
  const items = rows.flatMap((r) => {
    const due = dueMeasures({
      acceptedOn: r.accepted_on,
      firstWhatMattersOn: r.first_what_matters_on,
      discharge: r.discharged_on ? { on: r.discharged_on, consentToFollowUp: r.consent_to_follow_up } : null,
      today,
      settings,
      done: new Set(r.done),
    }).filter((d) =>
      // A baseline is for an open episode: after discharge it can no longer be taken.
      d.timepoint === 'baseline'
        ? r.discharged_on === null && (d.status === 'due' || d.status === 'overdue')
        : d.status === 'due' || (d.status === 'overdue' && d.to !== null && d.to >= stillShownFrom),
    );
    const byTimepoint = new Map<string, DueMeasure[]>();
    for (const d of due) byTimepoint.set(d.timepoint, [...(byTimepoint.get(d.timepoint) ?? []), d]);
    return [...byTimepoint.entries()].map(([timepoint, ds]) => ({
      referralId: r.referral_id,
      personId: r.person_id,
      personName: `${r.given_name} ${r.family_name}`,
      timepoint,
      from: ds[0]!.from,
      to: ds[0]!.to,
      status: ds.some((d) => d.status === 'overdue') ? ('overdue' as const) : ('due' as const),
      instrumentsOutstanding: ds.map((d) => d.instrumentCode),
    }));
  });
  items.sort((a, b) =>
    a.status !== b.status ? (a.status === 'overdue' ? -1 : 1) : (a.to ?? '9999') < (b.to ?? '9999') ? -1 : 1,
  );
  if (items.length) {
    await recordAudit(tx, actor, {
      action: 'outcomes.due.listed',
      recordType: 'person',
      recordIds: [...new Set(items.map((i) => i.personId))],
      detail: { linkWorkerId },
    });
  }
  return { items };
}
