import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { alsoAllowTenant } from '../../platform/transaction.ts';
import { workingDaysBetween } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { codedEvents, contacts } from '../contacts/schema.ts';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { receivingPcn } from '../referrals/service.ts';
import { episodeFor, type ReferralRow, settingsOf } from './access.ts';
import type { Episode, MessageBack, Plan } from './contract.ts';
import {
  allocations,
  appointments,
  discharges,
  goalProgress,
  goals,
  personFlags,
  supportPlans,
  whatMattersConversations,
} from './schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function flagsOfPerson(tx: Db, personId: string) {
  const raisedBy = alias(users, 'raised_by_user');
  const rows = await tx
    .select({ f: personFlags, raisedByName: raisedBy.name })
    .from(personFlags)
    .innerJoin(raisedBy, eq(raisedBy.id, personFlags.raisedBy))
    .where(eq(personFlags.personId, personId))
    .orderBy(desc(personFlags.raisedAt));
  return rows.map(({ f, raisedByName }) => ({
    id: f.id,
    personId: f.personId,
    kind: f.kind,
    note: f.note,
    raisedByName,
    raisedAt: f.raisedAt.toISOString(),
    resolvedAt: iso(f.resolvedAt),
    resolutionNote: f.resolutionNote,
  }));
}

/** The episode's support plan with goals (in order) and each goal's progress over time. */
export async function planOf(tx: Db, referralId: string): Promise<Plan | null> {
  const [row] = await tx
    .select({ p: supportPlans, updatedByName: users.name })
    .from(supportPlans)
    .innerJoin(users, eq(users.id, supportPlans.updatedBy))
    .where(eq(supportPlans.referralId, referralId));
  if (!row) return null;
  const goalRows = await tx
    .select()
    .from(goals)
    .where(eq(goals.planId, row.p.id))
    .orderBy(asc(goals.position));
  const progress = goalRows.length
    ? await tx
        .select()
        .from(goalProgress)
        .where(
          inArray(
            goalProgress.goalId,
            goalRows.map((g) => g.id),
          ),
        )
        .orderBy(asc(goalProgress.recordedOn), asc(goalProgress.recordedAt))
    : [];
  return {
    id: row.p.id,
    referralId,
    agreedOn: row.p.agreedOn,
    summary: row.p.summary,
    version: row.p.version,
    updatedAt: row.p.updatedAt.toISOString(),
    updatedByName: row.updatedByName,
    goals: goalRows.map((g) => ({
      id: g.id,
      position: g.position,
      description: g.description,
      needsDomain: g.needsDomain,
      services: g.services,
      reviewOn: g.reviewOn,
      status: g.status,
      actions: g.actions.map((a) => ({ who: a.who, what: a.what, byWhen: a.byWhen ?? null, done: a.done })),
      progress: progress
        .filter((p) => p.goalId === g.id)
        .map((p) => ({ id: p.id, rating: p.rating, note: p.note, recordedOn: p.recordedOn })),
    })),
  };
}

/** Failed attempts since the person was last reached, and when the first contact was. */
export function contactCounters(rows: { kind: string; occurredAt: Date }[]) {
  const reached = rows.filter((c) => c.kind !== 'attempt').map((c) => c.occurredAt.getTime());
  const lastReached = reached.length ? Math.max(...reached) : -Infinity;
  const first = rows.find((c) => c.kind === 'first_contact');
  return {
    failedAttempts: rows.filter((c) => c.kind === 'attempt' && c.occurredAt.getTime() > lastReached).length,
    firstContactAt: first ? first.occurredAt : null,
  };
}

/** Everything about one episode, for its link worker and the PCN's leads. Opening it is audited. */
export async function getEpisode(tx: Db, actor: Actor, referralId: string): Promise<Episode> {
  const r = await episodeFor(tx, actor, referralId);
  return loadEpisode(tx, actor, r, true);
}

export async function loadEpisode(tx: Db, actor: Actor, r: ReferralRow, audit: boolean): Promise<Episode> {
  const [person] = await tx.select().from(people).where(eq(people.id, r.personId));
  const [linkWorker] = r.allocatedLinkWorkerId
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, r.allocatedLinkWorkerId))
    : [];
  const settings = await settingsOf(tx, r.organisationId);
  const contactRows = await tx
    .select({ c: contacts, linkWorkerName: users.name })
    .from(contacts)
    .innerJoin(users, eq(users.id, contacts.linkWorkerId))
    .where(eq(contacts.referralId, r.id))
    .orderBy(asc(contacts.occurredAt));
  const appointmentRows = await tx
    .select()
    .from(appointments)
    .where(eq(appointments.referralId, r.id))
    .orderBy(asc(appointments.startsAt));
  const conversations = await tx
    .select({ w: whatMattersConversations, recordedByName: users.name })
    .from(whatMattersConversations)
    .innerJoin(users, eq(users.id, whatMattersConversations.recordedBy))
    .where(eq(whatMattersConversations.referralId, r.id))
    .orderBy(desc(whatMattersConversations.version));
  const plan = await planOf(tx, r.id);
  const dischargedBy = alias(users, 'discharged_by_user');
  const [discharge] = await tx
    .select({ d: discharges, byName: dischargedBy.name })
    .from(discharges)
    .innerJoin(dischargedBy, eq(dischargedBy.id, discharges.dischargedBy))
    .where(eq(discharges.referralId, r.id));
  const toUser = alias(users, 'to_user');
  const fromUser = alias(users, 'from_user');
  const byUser = alias(users, 'by_user');
  const allocationRows = await tx
    .select({
      fromName: fromUser.name,
      toName: toUser.name,
      reason: allocations.reason,
      byName: byUser.name,
      at: allocations.allocatedAt,
    })
    .from(allocations)
    .innerJoin(toUser, eq(toUser.id, allocations.toLinkWorkerId))
    .leftJoin(fromUser, eq(fromUser.id, allocations.fromLinkWorkerId))
    .innerJoin(byUser, eq(byUser.id, allocations.allocatedBy))
    .where(eq(allocations.referralId, r.id))
    .orderBy(asc(allocations.allocatedAt));
  const { failedAttempts, firstContactAt } = contactCounters(contactRows.map(({ c }) => c));
  const workingDaysWaiting = workingDaysBetween(r.receivedAt, firstContactAt ?? actor.now);
  if (audit) {
    await recordAudit(tx, actor, {
      action: 'episode.viewed',
      recordType: 'referral',
      recordIds: [r.id, r.personId],
    });
  }
  return {
    referralId: r.id,
    reference: r.reference,
    status: r.status,
    version: r.version,
    personId: r.personId,
    personName: person ? `${person.givenName} ${person.familyName}` : '',
    receivedAt: r.receivedAt.toISOString(),
    reasons: r.reasons,
    context: r.context,
    triageNote: r.triageNote,
    urgency: r.urgency,
    reach: {
      phone: person?.phone ?? null,
      email: person?.email ?? null,
      preferredContactMethod: person?.preferredContactMethod ?? null,
      preferredContactTimes: person?.preferredContactTimes ?? null,
      interpreterLanguage: person?.interpreterLanguage ?? null,
      accessibilityNeeds: person?.accessibilityNeeds ?? null,
      postcode: person?.postcode ?? null,
    },
    linkWorkerId: r.allocatedLinkWorkerId,
    linkWorkerName: linkWorker?.name ?? null,
    settings,
    failedAttempts,
    unableToContact: r.status === 'accepted' && failedAttempts >= settings.unableToContactAttempts,
    workingDaysWaiting,
    overTarget:
      r.status === 'accepted' &&
      !firstContactAt &&
      workingDaysWaiting > settings.firstContactTargetWorkingDays,
    firstContactAt: iso(firstContactAt),
    contacts: contactRows.map(({ c, linkWorkerName }) => ({
      id: c.id,
      kind: c.kind,
      occurredAt: c.occurredAt.toISOString(),
      mode: c.mode,
      durationMinutes: c.durationMinutes,
      present: c.present,
      note: c.note,
      linkWorkerName,
    })),
    appointments: appointmentRows.map(toAppointment),
    whatMatters: conversations.map(({ w, recordedByName }) => ({
      id: w.id,
      version: w.version,
      heldOn: w.heldOn,
      needs: w.needs,
      ownWords: w.ownWords,
      strengths: w.strengths,
      barriers: w.barriers,
      recordedByName,
      recordedAt: w.recordedAt.toISOString(),
    })),
    plan,
    discharge: discharge
      ? {
          reason: discharge.d.reason,
          dischargedOn: discharge.d.dischargedOn,
          closingSummary: discharge.d.closingSummary,
          supportOffered: discharge.d.supportOffered,
          outcome: discharge.d.outcome,
          followUpForGp: discharge.d.followUpForGp,
          dischargedByName: discharge.byName,
        }
      : null,
    allocations: allocationRows.map((a) => ({ ...a, at: a.at.toISOString() })),
    flags: await flagsOfPerson(tx, r.personId),
  };
}

export function toAppointment(a: typeof appointments.$inferSelect) {
  return {
    id: a.id,
    referralId: a.referralId,
    startsAt: a.startsAt.toISOString(),
    durationMinutes: a.durationMinutes,
    mode: a.mode as Episode['appointments'][number]['mode'],
    location: a.location,
    status: a.status,
    note: a.note,
    version: a.version,
  };
}

/**
 * The PRSB-style message back: what happened, the support offered, the outcome. The referrer who made the
 * referral sees it (never the case notes); so do the PCN's leads and the allocated link worker.
 */
export async function messageBackFor(tx: Db, actor: Actor, referralId: string): Promise<MessageBack> {
  assertRole(actor, 'referrer', 'link_worker', 'lead_link_worker');
  let own: ReferralRow | undefined;
  if (actor.actingOrganisationType === 'gp_practice' || actor.actingOrganisationType === 'pcn') {
    // A GP practice's referrer reads their own referral, which the PCN holds.
    const { pcnId } = await receivingPcn(tx, actor);
    await alsoAllowTenant(tx, actor, pcnId);
    [own] = await tx
      .select()
      .from(referrals)
      .where(and(eq(referrals.id, referralId), eq(referrals.referrerUserId, actor.userId)));
  }
  let r: ReferralRow;
  if (own) {
    r = own;
  } else {
    if (!hasRole(actor, 'link_worker', 'lead_link_worker')) {
      throw new NotFoundError('There is no referral with this id that you made.');
    }
    r = await episodeFor(tx, actor, referralId);
  }
  const message = await composeMessageBack(tx, r);
  await recordAudit(tx, actor, {
    action: 'message_back.viewed',
    recordType: 'referral',
    recordIds: [r.id, r.personId],
    organisationId: [r.organisationId, ...(actor.actingOrganisationId ? [actor.actingOrganisationId] : [])],
  });
  return message;
}

export async function composeMessageBack(tx: Db, r: ReferralRow): Promise<MessageBack> {
  const [person] = await tx.select().from(people).where(eq(people.id, r.personId));
  const referrer = alias(users, 'referrer_user');
  const linkWorker = alias(users, 'link_worker_user');
  const referring = alias(organisations, 'referring_org');
  const pcn = alias(organisations, 'pcn_org');
  const [names] = await tx
    .select({
      referrerName: referrer.name,
      linkWorkerName: linkWorker.name,
      referringOrganisationName: referring.name,
      pcnName: pcn.name,
    })
    .from(referrals)
    .innerJoin(pcn, eq(pcn.id, referrals.organisationId))
    .leftJoin(referrer, eq(referrer.id, referrals.referrerUserId))
    .leftJoin(linkWorker, eq(linkWorker.id, referrals.allocatedLinkWorkerId))
    .leftJoin(referring, eq(referring.id, referrals.referringOrganisationId))
    .where(eq(referrals.id, r.id));
  const contactRows = await tx
    .select({ kind: contacts.kind, occurredAt: contacts.occurredAt })
    .from(contacts)
    .where(eq(contacts.referralId, r.id));
  const codes = await tx
    .select()
    .from(codedEvents)
    .where(eq(codedEvents.referralId, r.id))
    .orderBy(asc(codedEvents.recordedAt));
  const goalRows = await tx
    .select({ description: goals.description, status: goals.status })
    .from(goals)
    .where(eq(goals.referralId, r.id))
    .orderBy(asc(goals.position));
  const [d] = await tx.select().from(discharges).where(eq(discharges.referralId, r.id));
  const { firstContactAt } = contactCounters(contactRows);
  return {
    referralId: r.id,
    reference: r.reference,
    personName: person ? `${person.givenName} ${person.familyName}` : '',
    dateOfBirth: person?.dateOfBirth ?? '',
    nhsNumber: person?.nhsNumber ?? null,
    referredOn: r.receivedAt.toISOString().slice(0, 10),
    referrerName: names?.referrerName ?? null,
    referringOrganisationName: names?.referringOrganisationName ?? null,
    pcnName: names?.pcnName ?? '',
    linkWorkerName: names?.linkWorkerName ?? null,
    status: r.status,
    firstContactOn: firstContactAt ? firstContactAt.toISOString().slice(0, 10) : null,
    contactsCount: contactRows.filter((c) => c.kind !== 'attempt').length,
    codedEvents: codes.map((c) => ({
      code: c.code,
      display: c.display,
      recordedOn: c.recordedAt.toISOString().slice(0, 10),
    })),
    goals: goalRows,
    discharge: d
      ? {
          reason: d.reason,
          dischargedOn: d.dischargedOn,
          supportOffered: d.supportOffered,
          outcome: d.outcome,
          followUpForGp: d.followUpForGp,
        }
      : null,
  };
}

const dischargeWords: Record<string, string> = {
  goals_met: 'Goals met',
  referred_on: 'Referred on to another service',
  disengaged_or_unable_to_contact: 'Disengaged or unable to contact',
  declined: 'Declined further support',
  moved_away: 'Moved away',
  died: 'Died',
  other: 'Other',
};

/** The message back as plain text, for attaching to the GP record or an email. */
export function messageBackText(m: MessageBack): string {
  const lines = [
    'Social prescribing: message back to the referrer and GP',
    '',
    `Patient: ${m.personName}`,
    `Date of birth: ${m.dateOfBirth}`,
    `NHS number: ${m.nhsNumber ?? 'not recorded'}`,
    `Referral reference: ${m.reference ?? m.referralId}`,
    `Referred on: ${m.referredOn}${m.referrerName ? ` by ${m.referrerName}` : ''}${m.referringOrganisationName ? `, ${m.referringOrganisationName}` : ''}`,
    `Link worker service: ${m.pcnName}${m.linkWorkerName ? ` (link worker: ${m.linkWorkerName})` : ''}`,
    `First contact: ${m.firstContactOn ?? 'not yet'}`,
    `Contacts with the person: ${m.contactsCount}`,
    '',
    'Coded events for the GP record:',
    ...(m.codedEvents.length
      ? m.codedEvents.map((c) => `  ${c.recordedOn}  SNOMED CT ${c.code}  ${c.display}`)
      : ['  none yet']),
    '',
    'Goals agreed with the person:',
    ...(m.goals.length
      ? m.goals.map(
          (g) =>
            `  - ${g.description} (${g.status === 'active' ? (m.discharge ? 'open at discharge' : 'in progress') : g.status})`,
        )
      : ['  none recorded']),
    '',
  ];
  if (m.discharge) {
    lines.push(
      `Discharged on ${m.discharge.dischargedOn}: ${dischargeWords[m.discharge.reason] ?? m.discharge.reason}`,
      '',
      'Support offered:',
      m.discharge.supportOffered,
      '',
      'Outcome:',
      m.discharge.outcome,
      '',
      'For the GP to follow up:',
      m.discharge.followUpForGp ?? 'Nothing further.',
    );
  } else {
    lines.push(`Status: ${m.status.replaceAll('_', ' ')} (not yet discharged).`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

interface TimelineRow {
  at: Date | string;
  kind: string;
  referral_id: string | null;
  a: string | null;
  b: string | null;
  c: string | null;
}

/** Exported so the benchmark runs exactly this statement as raw SQL. */
export function timelineStatement(personId: string, now: Date) {
  return sql`
    select * from (
      select r.received_at as at, 1 as seq, 'referral' as kind, r.id as referral_id, r.source as a, r.reference as b,
        r.urgency as c from referrals r where r.person_id = ${personId}
      union all
      select r.triaged_at, 2, 'triage', r.id, r.status, r.decline_reason, r.triage_note
        from referrals r where r.person_id = ${personId} and r.triaged_at is not null
      union all
      select a.allocated_at, 3, 'allocation', a.referral_id, u.name, a.reason, null
        from allocations a join referrals r on r.id = a.referral_id join users u on u.id = a.to_link_worker_id
        where r.person_id = ${personId}
      union all
      select c.occurred_at, 4, case when c.kind = 'attempt' then 'attempt' else 'contact' end, c.referral_id,
        c.mode, c.kind, left(c.note, 300) from contacts c where c.person_id = ${personId}
      union all
      select ap.starts_at, 9, 'appointment', ap.referral_id, ap.mode, ap.status, ap.location
        from appointments ap where ap.person_id = ${personId} and ap.starts_at <= ${now}
      union all
      select e.recorded_at, 5, 'coded_event', e.referral_id, e.code, e.display, null
        from coded_events e where e.person_id = ${personId}
      union all
      select w.recorded_at, 6, 'what_matters', w.referral_id, w.version::text, left(w.own_words, 300), null
        from what_matters_conversations w where w.person_id = ${personId}
      union all
      select sp.updated_at, 7, 'plan', sp.referral_id, sp.version::text, sp.agreed_on::text, null
        from support_plans sp where sp.person_id = ${personId}
      union all
      select gp.recorded_at, 8, 'goal_progress', gp.referral_id, gp.rating::text, g.description, gp.note
        from goal_progress gp join goals g on g.id = gp.goal_id where gp.person_id = ${personId}
      union all
      select f.raised_at, 10, 'flag', null, f.kind, left(f.note, 300), null
        from person_flags f where f.person_id = ${personId}
      union all
      select f.resolved_at, 10, 'flag_resolved', null, f.kind, left(f.resolution_note, 300), null
        from person_flags f where f.person_id = ${personId} and f.resolved_at is not null
      union all
      select ce.recorded_at, 9, 'connection', cn.referral_id, ce.status, cn.service_name,
          coalesce(ce.reason, case when ce.status in ('suggested', 'referred') then cn.kind end)
        from connection_events ce join connections cn on cn.id = ce.connection_id
        where ce.person_id = ${personId}
      union all
      select om.recorded_at, 9, 'measure', om.referral_id, oi.title, om.timepoint, om.status
        from outcome_responses om join outcome_instruments oi on oi.id = om.instrument_id
        where om.person_id = ${personId} and not om.superseded
      union all
      select d.discharged_at, 11, 'discharge', d.referral_id, d.reason, left(d.outcome, 300), null
        from discharges d where d.person_id = ${personId}
    ) t
    -- Things recorded in the same moment keep the order of the story (referral, triage, allocation, …).
    order by at desc, seq desc
    limit 300`;
}

const modeWords: Record<string, string> = {
  in_practice: 'face to face in the practice',
  home_visit: 'home visit',
  community_venue: 'at a community venue',
  phone: 'by phone',
  video: 'by video',
  text_or_email: 'by text or email',
};

/** "Referred to Headingley Health Walk (warm handover)", "Attended Headingley Health Walk", "… declined: full". */
function connectionTitle(status: string, service: string, extra: string | null): string {
  const kind = extra === 'warm_handover' ? 'warm handover' : extra;
  switch (status) {
    case 'suggested':
      return `Signposted to ${service}`;
    case 'referred':
      return `Connected to ${service} (${kind === 'referred' ? 'referral' : kind})`;
    case 'accepted':
      return `${service} accepted the referral`;
    case 'declined':
      return `${service}: declined${extra ? ` (${extra})` : ''}`;
    case 'attended':
      return `Attended ${service}`;
    case 'did_not_attend':
      return `Did not attend ${service}`;
    case 'completed':
      return `Completed ${service}`;
    case 'dropped_out':
      return `Stopped going to ${service}${extra ? ` (${extra})` : ''}`;
    default:
      return `${service}: ${status}`;
  }
}

function describe(row: TimelineRow) {
  const { kind, a, b, c } = row;
  switch (kind) {
    case 'referral':
      return {
        title: `Referred (${a === 'self' ? 'self-referral' : a}${c === 'urgent' ? ', urgent' : ''})`,
        detail: b,
      };
    case 'triage':
      return {
        title: `Triage: ${(a ?? '').replaceAll('_', ' ')}`,
        detail: [b?.replaceAll('_', ' '), c].filter(Boolean).join(': ') || null,
      };
    case 'allocation':
      return { title: `Allocated to ${a}`, detail: b };
    case 'contact':
      return {
        title: `${b === 'first_contact' ? 'First contact' : 'Contact'} ${modeWords[a ?? ''] ?? a}`,
        detail: c,
      };
    case 'attempt':
      return { title: `Tried to contact ${modeWords[a ?? ''] ?? a}: not reached`, detail: c };
    case 'appointment':
      return {
        title: `Appointment ${modeWords[a ?? ''] ?? a} (${(b ?? '').replaceAll('_', ' ')})`,
        detail: c,
      };
    case 'coded_event':
      return { title: `Coded: ${b}`, detail: `SNOMED CT ${a}` };
    case 'what_matters':
      return { title: `What matters to me conversation (version ${a})`, detail: b };
    case 'plan':
      return { title: `Support plan saved (version ${a})`, detail: b ? `Agreed on ${b}` : null };
    case 'goal_progress':
      return { title: `Goal progress ${a}/10: ${b}`, detail: c };
    case 'flag':
      return {
        title: a === 'safeguarding_concern' ? 'Safeguarding concern raised' : 'Risk flagged',
        detail: b,
      };
    case 'flag_resolved':
      return {
        title: a === 'safeguarding_concern' ? 'Safeguarding concern closed' : 'Risk flag closed',
        detail: b,
      };
    case 'discharge':
      return { title: `Discharged: ${dischargeWords[a ?? ''] ?? a}`, detail: b };
    case 'connection':
      return { title: connectionTitle(a ?? '', b ?? '', c), detail: null };
    case 'measure':
      return {
        title: `Outcome measure: ${a} (${(b ?? '').replaceAll('_', ' ')})`,
        detail: c === 'partial' ? 'Partly completed' : null,
      };
    default:
      return { title: kind, detail: null };
  }
}

export async function timelineRows(tx: Db, personId: string, now: Date) {
  const rows = rowsOf<TimelineRow>(await tx.execute(timelineStatement(personId, now)));
  return rows.map((row) => ({
    at: new Date(row.at).toISOString(),
    kind: row.kind as 'referral',
    referralId: row.referral_id,
    ...describe(row),
  }));
}

/** A person of the acting PCN the actor may see: leads any; a link worker someone they have an episode with. */
export async function personFor(tx: Db, actor: Actor, personId: string) {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const [person] = await tx
    .select()
    .from(people)
    .where(and(eq(people.id, personId), eq(people.organisationId, actor.actingOrganisationId!)));
  if (person && !hasRole(actor, 'lead_link_worker')) {
    const [mine] = await tx
      .select({ id: referrals.id })
      .from(referrals)
      .where(
        sql`${referrals.personId} = ${personId} and (${referrals.allocatedLinkWorkerId} = ${actor.userId}
          or exists (select 1 from allocations a where a.referral_id = ${referrals.id}
            and a.to_link_worker_id = ${actor.userId}))`,
      )
      .limit(1);
    if (!mine) throw new NotFoundError('There is no person with this id in your caseload.');
  }
  if (!person) throw new NotFoundError('There is no person with this id in your PCN.');
  return person;
}

export async function personTimeline(tx: Db, actor: Actor, personId: string) {
  await personFor(tx, actor, personId);
  const items = await timelineRows(tx, personId, actor.now);
  await recordAudit(tx, actor, {
    action: 'person.timeline_viewed',
    recordType: 'person',
    recordIds: [personId],
  });
  return { items };
}

/** The person's record: details, flags, episodes and timeline. Audited as a read of the person's record. */
export async function personRecord(tx: Db, actor: Actor, personId: string) {
  const p = await personFor(tx, actor, personId);
  const [practice] = p.registeredPracticeId
    ? await tx
        .select({ name: organisations.name })
        .from(organisations)
        .where(eq(organisations.id, p.registeredPracticeId))
    : [];
  const episodes = await tx
    .select({
      referralId: referrals.id,
      reference: referrals.reference,
      receivedAt: referrals.receivedAt,
      status: referrals.status,
      linkWorkerName: users.name,
    })
    .from(referrals)
    .leftJoin(users, eq(users.id, referrals.allocatedLinkWorkerId))
    .where(eq(referrals.personId, personId))
    .orderBy(desc(referrals.receivedAt));
  const record = {
    id: p.id,
    name: `${p.givenName} ${p.familyName}`,
    nhsNumber: p.nhsNumber,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    genderIdentity: p.genderIdentity,
    ethnicCategory: p.ethnicCategory,
    addressLines: p.addressLines,
    postcode: p.postcode,
    imdDecile: p.imdDecile,
    phone: p.phone,
    email: p.email,
    preferredContactMethod: p.preferredContactMethod,
    preferredContactTimes: p.preferredContactTimes,
    interpreterLanguage: p.interpreterLanguage,
    accessibilityNeeds: p.accessibilityNeeds,
    registeredPracticeName: practice?.name ?? null,
    consentToShareWithServices: p.consentToShareWithServices,
    flags: await flagsOfPerson(tx, personId),
    episodes: episodes.map((e) => ({ ...e, receivedAt: e.receivedAt.toISOString() })),
    timeline: await timelineRows(tx, personId, actor.now),
  };
  await recordAudit(tx, actor, {
    action: 'person.viewed',
    recordType: 'person',
    recordIds: [personId, ...episodes.map((e) => e.referralId)],
  });
  return record;
}
