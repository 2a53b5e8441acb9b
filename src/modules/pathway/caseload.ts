import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { londonDate, workingDaysBetween } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { type Settings, settingsOf } from './access.ts';
import type { CaseloadItem, caseloadQuery } from './contract.ts';

interface CaseloadRow {
  referral_id: string;
  reference: string | null;
  person_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  reasons: string[];
  urgency: 'routine' | 'urgent';
  received_at: Date | string;
  link_worker_id: string;
  first_contact_at: Date | string | null;
  last_contact_at: Date | string | null;
  failed_attempts: number | string;
  next_appointment_at: Date | string | null;
  goals_due: number | string;
  connections_awaiting: number | string;
  baseline_due: number | string;
  conversation_before_today: boolean;
  has_what_matters: boolean;
  has_plan: boolean;
  flags: string[] | null;
}

/**
 * One link worker's open episodes with what the caseload shows, in one statement: each lateral subquery walks a
 * (referral_id, time) index, so the cost grows with the caseload, not with the database. Exported so the
 * benchmark runs exactly this statement as raw SQL.
 */
export function caseloadStatement(organisationId: string, linkWorkerId: string | string[], now: Date): SQL {
  const today = londonDate(now);
  const ids = Array.isArray(linkWorkerId) ? linkWorkerId : [linkWorkerId];
  // One link worker (the caseload page) or the whole team at once (the leads' summary), never one query each.
  const whose =
    ids.length === 1
      ? sql`r.allocated_link_worker_id = ${ids[0]}`
      : sql`r.allocated_link_worker_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`;
  // One pass over each episode's contacts gives the first contact, the last time the person was reached and the
  // attempts since; the other subqueries each read one small index range.
  return sql`
    select r.id as referral_id, r.reference, r.person_id, p.given_name, p.family_name, p.date_of_birth,
      r.reasons, r.urgency, r.received_at, r.allocated_link_worker_id as link_worker_id,
      cs.first_contact_at, cs.last_contact_at,
      (select count(*) from unnest(cs.attempts) a(at)
        where a.at > coalesce(cs.last_contact_at, '-infinity'::timestamptz)) as failed_attempts,
      (select min(ap.starts_at) from appointments ap
        where ap.referral_id = r.id and ap.status = 'booked' and ap.starts_at >= ${now}) as next_appointment_at,
      (select count(*) from goals g
        where g.referral_id = r.id and g.status = 'active' and g.review_on <= ${today}::date) as goals_due,
      (select count(*) from connections cn
        where cn.referral_id = r.id and cn.status = 'referred' and cn.status_on < ${today}::date - (
          select coalesce(max(ds.reply_expected_within_days), 10)
          from organisations o join directory_settings ds on ds.organisation_id = o.parent_id
          where o.id = ${organisationId})) as connections_awaiting,
      (select count(*) from unnest(coalesce(
          (select os.instrument_codes from outcome_settings os where os.organisation_id = ${organisationId}),
          '{ons4,ucla3}'::text[])) ic(code)
        where not exists (select 1 from outcome_responses om where om.referral_id = r.id
          and om.timepoint = 'baseline' and om.instrument_code = ic.code and om.status = 'complete'
          and not om.superseded)) as baseline_due,
      exists (select 1 from what_matters_conversations w
        where w.referral_id = r.id and w.held_on < ${today}::date) as conversation_before_today,
      exists (select 1 from what_matters_conversations w where w.referral_id = r.id) as has_what_matters,
      exists (select 1 from support_plans sp where sp.referral_id = r.id) as has_plan,
      (select array_agg(distinct f.kind) from person_flags f
        where f.person_id = r.person_id and f.resolved_at is null) as flags
    from referrals r
    join people p on p.id = r.person_id
    left join lateral (
      select min(c.occurred_at) filter (where c.kind = 'first_contact') as first_contact_at,
        max(c.occurred_at) filter (where c.kind <> 'attempt') as last_contact_at,
        array_agg(c.occurred_at) filter (where c.kind = 'attempt') as attempts
      from contacts c where c.referral_id = r.id
    ) cs on true
    where ${whose} and r.status = 'accepted'
      and r.organisation_id = ${organisationId}
    order by r.received_at
    limit ${1000 * ids.length}`;
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

export function toCaseloadItem(
  row: CaseloadRow,
  linkWorkerName: string,
  settings: Settings,
  now: Date,
): CaseloadItem {
  const firstContactAt = iso(row.first_contact_at);
  const receivedAt = new Date(row.received_at);
  const workingDaysWaiting = workingDaysBetween(receivedAt, firstContactAt ? new Date(firstContactAt) : now);
  const failedAttempts = Number(row.failed_attempts);
  return {
    referralId: row.referral_id,
    reference: row.reference,
    personId: row.person_id,
    personName: `${row.given_name} ${row.family_name}`,
    dateOfBirth: String(row.date_of_birth).slice(0, 10),
    reasons: row.reasons,
    urgency: row.urgency,
    receivedAt: receivedAt.toISOString(),
    linkWorkerId: row.link_worker_id,
    linkWorkerName,
    stage: !firstContactAt
      ? 'awaiting_first_contact'
      : !row.has_what_matters
        ? 'what_matters'
        : !row.has_plan
          ? 'planning'
          : 'supporting',
    firstContactAt,
    lastContactAt: iso(row.last_contact_at),
    nextAppointmentAt: iso(row.next_appointment_at),
    failedAttempts,
    unableToContact: failedAttempts >= settings.unableToContactAttempts,
    workingDaysWaiting,
    // Still waiting for a first contact, and longer than the PCN's target.
    overTarget: !firstContactAt && workingDaysWaiting > settings.firstContactTargetWorkingDays,
    goalsDueForReview: Number(row.goals_due),
    connectionsAwaitingReply: Number(row.connections_awaiting),
    baselineMeasuresDue: Number(row.baseline_due),
    // Baseline is taken at or before the first "what matters" conversation: after it, it is overdue.
    baselineMeasuresOverdue: Number(row.baseline_due) > 0 && row.conversation_before_today,
    flags: (row.flags ?? []).filter((f): f is 'safeguarding_concern' | 'risk' =>
      ['safeguarding_concern', 'risk'].includes(f),
    ),
  };
}

const sorters: Record<string, (a: CaseloadItem, b: CaseloadItem) => number> = {
  // Longest wait for a first contact first, then everyone else by how long since they were last reached.
  waiting: (a, b) =>
    Number(!!a.firstContactAt) - Number(!!b.firstContactAt) ||
    b.workingDaysWaiting - a.workingDaysWaiting ||
    (a.lastContactAt ?? '').localeCompare(b.lastContactAt ?? ''),
  last_contact: (a, b) => (a.lastContactAt ?? '').localeCompare(b.lastContactAt ?? ''),
  next_appointment: (a, b) => (a.nextAppointmentAt ?? '9999').localeCompare(b.nextAppointmentAt ?? '9999'),
  name: (a, b) => a.personName.localeCompare(b.personName, 'en-GB'),
};

/** A link worker's caseload; a lead may open any link worker's in the PCN. The people shown are audited. */
export async function caseloadOf(tx: Db, actor: Actor, query: z.infer<typeof caseloadQuery>) {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const linkWorkerId = query.linkWorkerId ?? actor.userId;
  const organisationId = actor.actingOrganisationId!;
  if (linkWorkerId !== actor.userId && !hasRole(actor, 'lead_link_worker')) {
    throw new NotFoundError('You can see your own caseload; leads see the whole team’s.');
  }
  const [who] = rowsOf<{ name: string }>(
    await tx.execute(sql`
      select u.name from users u
      where u.id = ${linkWorkerId}
        and exists (select 1 from role_assignments ra where ra.user_id = u.id
          and ra.organisation_id = ${organisationId} and ra.role in ('link_worker', 'lead_link_worker'))`),
  );
  if (!who) throw new NotFoundError('There is no link worker with this id in your PCN.');
  const settings = await settingsOf(tx, organisationId);
  const rows = rowsOf<CaseloadRow>(
    await tx.execute(caseloadStatement(organisationId, linkWorkerId, actor.now)),
  );
  let items = rows.map((r) => toCaseloadItem(r, who.name, settings, actor.now));
  if (query.stage) items = items.filter((i) => i.stage === query.stage);
  if (query.flagged === 'true') items = items.filter((i) => i.flags.length > 0);
  items.sort(sorters[query.sort]);
  if (items.length) {
    await recordAudit(tx, actor, {
      action: 'caseload.viewed',
      recordType: 'person',
      recordIds: items.map((i) => i.personId),
      detail: { linkWorkerId },
    });
  }
  return { linkWorker: { id: linkWorkerId, name: who.name }, settings, items };
}

/** Counts per link worker in the PCN, for leads allocating work and balancing caseloads. No names of people. */
export async function caseloadSummary(tx: Db, actor: Actor) {
  assertRole(actor, 'lead_link_worker');
  const organisationId = actor.actingOrganisationId!;
  const settings = await settingsOf(tx, organisationId);
  const team = rowsOf<{ id: string; name: string }>(
    await tx.execute(sql`
      select distinct u.id, u.name from users u
      join role_assignments ra on ra.user_id = u.id
      where ra.organisation_id = ${organisationId} and ra.role = 'link_worker' and u.active
      order by u.name`),
  );
  const rows = team.length
    ? rowsOf<CaseloadRow>(
        await tx.execute(
          caseloadStatement(
            organisationId,
            team.map((m) => m.id),
            actor.now,
          ),
        ),
      )
    : [];
  const linkWorkers = team.map((member) => {
    const items = rows
      .filter((r) => r.link_worker_id === member.id)
      .map((r) => toCaseloadItem(r, member.name, settings, actor.now));
    return {
      id: member.id,
      name: member.name,
      active: items.length,
      awaitingFirstContact: items.filter((i) => i.stage === 'awaiting_first_contact').length,
      overTarget: items.filter((i) => i.overTarget).length,
      flagged: items.filter((i) => i.flags.length > 0).length,
    };
  });
  return { settings, linkWorkers };
}

interface WaitingRow {
  referral_id: string;
  reference: string | null;
  person_id: string;
  given_name: string;
  family_name: string;
  status: 'awaiting_triage' | 'accepted';
  urgency: 'routine' | 'urgent';
  received_at: Date | string;
  link_worker_id: string | null;
  link_worker_name: string | null;
  failed_attempts: number | string;
}

/** The PCN's waiting list: not yet reached for a first contact, longest wait first, against the target. */
export async function waitingListOf(tx: Db, actor: Actor) {
  assertRole(actor, 'lead_link_worker');
  const organisationId = actor.actingOrganisationId!;
  const settings = await settingsOf(tx, organisationId);
  const rows = rowsOf<WaitingRow>(
    await tx.execute(sql`
      select r.id as referral_id, r.reference, r.person_id, p.given_name, p.family_name, r.status, r.urgency,
        r.received_at, r.allocated_link_worker_id as link_worker_id, u.name as link_worker_name,
        (select count(*) from contacts a where a.referral_id = r.id and a.kind = 'attempt') as failed_attempts
      from referrals r
      join people p on p.id = r.person_id
      left join users u on u.id = r.allocated_link_worker_id
      where r.organisation_id = ${organisationId}
        and (r.status = 'awaiting_triage'
          or (r.status = 'accepted'
            and not exists (select 1 from contacts c where c.referral_id = r.id and c.kind <> 'attempt')))
      order by r.received_at
      limit 2000`),
  );
  const items = rows.map((r) => {
    const workingDaysWaiting = workingDaysBetween(new Date(r.received_at), actor.now);
    return {
      referralId: r.referral_id,
      reference: r.reference,
      personId: r.person_id,
      personName: `${r.given_name} ${r.family_name}`,
      status: r.status,
      urgency: r.urgency,
      receivedAt: new Date(r.received_at).toISOString(),
      linkWorkerId: r.link_worker_id,
      linkWorkerName: r.link_worker_name,
      workingDaysWaiting,
      overTarget: workingDaysWaiting > settings.firstContactTargetWorkingDays,
      failedAttempts: Number(r.failed_attempts),
    };
  });
  if (items.length) {
    await recordAudit(tx, actor, {
      action: 'waiting_list.viewed',
      recordType: 'person',
      recordIds: items.map((i) => i.personId),
    });
  }
  return { settings, items };
}
