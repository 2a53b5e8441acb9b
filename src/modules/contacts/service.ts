import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, hasRole } from '../../platform/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import type { CodedEvent, FirstContactInput } from './contract.ts';
import { codedConcepts, codedEvents, contacts } from './schema.ts';

type Purpose = 'social_prescribing_accepted' | 'social_prescribing_declined';

/** The current code for a purpose: the newest version in the code list. */
async function conceptFor(tx: Db, purpose: Purpose) {
  const [concept] = await tx
    .select()
    .from(codedConcepts)
    .where(eq(codedConcepts.purpose, purpose))
    .orderBy(desc(codedConcepts.version))
    .limit(1);
  if (!concept) throw new Error(`No code is configured for ${purpose}`);
  return concept;
}

/**
 * Records the person's first interaction with their link worker and their answer. PCN DES: when they accept,
 * record 871731000000106 once for the episode (never for later contacts); when they decline, 871711000000103 —
 * and the episode closes as declined by the person. Contact, code, status and audit commit together.
 */
export async function recordFirstContact(
  tx: Db,
  actor: Actor,
  referralId: string,
  input: FirstContactInput,
): Promise<{ contactId: string; referralStatus: string; codedEvent: CodedEvent }> {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const [referral] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, referralId), eq(referrals.organisationId, actor.actingOrganisationId!)))
    .for('update');
  const mayRecord =
    referral && (hasRole(actor, 'lead_link_worker') || referral.allocatedLinkWorkerId === actor.userId);
  if (!referral || !mayRecord) throw new NotFoundError('There is no referral with this id allocated to you.');
  if (referral.status !== 'accepted' || !referral.allocatedLinkWorkerId) {
    throw new ConflictError('Only a referral accepted and allocated at triage can have a first contact.');
  }
  const occurredAt = new Date(input.occurredAt);
  if (occurredAt < referral.receivedAt) {
    throw new ValidationError('The first contact cannot be before the referral was received', {
      field: 'occurredAt',
    });
  }
  if (occurredAt.getTime() > actor.now.getTime() + 5 * 60_000) {
    throw new ValidationError('The first contact cannot be in the future', { field: 'occurredAt' });
  }
  const [earlier] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.referralId, referralId), eq(contacts.kind, 'first_contact')));
  if (earlier) throw new ConflictError('The first contact for this referral is already recorded.');

  const contactId = newId();
  await tx.insert(contacts).values({
    id: contactId,
    organisationId: referral.organisationId,
    referralId,
    personId: referral.personId,
    linkWorkerId: referral.allocatedLinkWorkerId,
    occurredAt,
    mode: input.mode,
    durationMinutes: input.durationMinutes ?? null,
    kind: 'first_contact',
    note: input.note ?? null,
    createdAt: actor.now,
  });
  const concept = await conceptFor(
    tx,
    input.personDecision === 'accepts' ? 'social_prescribing_accepted' : 'social_prescribing_declined',
  );
  const eventId = newId();
  await tx.insert(codedEvents).values({
    id: eventId,
    organisationId: referral.organisationId,
    referralId,
    personId: referral.personId,
    purpose: concept.purpose,
    system: concept.system,
    code: concept.code,
    display: concept.display,
    recordedAt: occurredAt,
    recordedBy: actor.userId,
  });
  const referralStatus = input.personDecision === 'accepts' ? 'accepted' : 'declined_by_person';
  await tx
    .update(referrals)
    .set({ status: referralStatus, version: sql`${referrals.version} + 1`, updatedAt: actor.now })
    .where(eq(referrals.id, referralId));
  await recordAudit(tx, actor, {
    action: 'contact.first_contact_recorded',
    recordType: 'referral',
    recordIds: [referralId, referral.personId, contactId],
    organisationId: referral.organisationId,
    detail: { code: concept.code, personDecision: input.personDecision },
  });
  return {
    contactId,
    referralStatus,
    codedEvent: {
      id: eventId,
      referralId,
      personId: referral.personId,
      system: concept.system,
      code: concept.code,
      display: concept.display,
      recordedAt: occurredAt.toISOString(),
    },
  };
}

const csvCell = (value: string | null | undefined) => {
  const v = value ?? '';
  // Quote everything; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replaceAll('"', '""')}"`;
};

/**
 * The PCN's coded extract, one row per coded event, for each GP practice to enter into its clinical system
 * (until a GP system integration sends them). The person's registered practice, else the referring practice.
 */
export async function codedExtractCsv(
  tx: Db,
  actor: Actor,
  query: { from: string; to: string; practiceId?: string },
): Promise<{ csv: string; rows: number }> {
  assertRole(actor, 'lead_link_worker', 'admin');
  if (query.to < query.from)
    throw new ValidationError('The end date must be on or after the start date', { field: 'to' });
  const end = new Date(`${query.to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  const practiceId = sql`coalesce(${people.registeredPracticeId}, ${referrals.referringOrganisationId})`;
  const rows = await tx
    .select({
      practiceOds: organisations.odsCode,
      practiceName: organisations.name,
      personId: people.id,
      nhsNumber: people.nhsNumber,
      familyName: people.familyName,
      givenName: people.givenName,
      dateOfBirth: people.dateOfBirth,
      code: codedEvents.code,
      display: codedEvents.display,
      recordedAt: codedEvents.recordedAt,
      reference: referrals.reference,
    })
    .from(codedEvents)
    .innerJoin(referrals, eq(referrals.id, codedEvents.referralId))
    .innerJoin(people, eq(people.id, codedEvents.personId))
    .leftJoin(organisations, sql`${organisations.id} = ${practiceId}`)
    .where(
      and(
        eq(codedEvents.organisationId, actor.actingOrganisationId!),
        gte(codedEvents.recordedAt, new Date(`${query.from}T00:00:00Z`)),
        lt(codedEvents.recordedAt, end),
        query.practiceId ? sql`${practiceId} = ${query.practiceId}` : undefined,
      ),
    )
    .orderBy(organisations.name, codedEvents.recordedAt);
  const header = [
    'practice_ods_code',
    'practice_name',
    'nhs_number',
    'family_name',
    'given_name',
    'date_of_birth',
    'snomed_ct_code',
    'snomed_ct_display',
    'event_date',
    'referral_reference',
  ];
  const lines = rows.map((r) =>
    [
      r.practiceOds,
      r.practiceName ?? 'No practice recorded',
      r.nhsNumber,
      r.familyName,
      r.givenName,
      r.dateOfBirth,
      r.code,
      r.display,
      r.recordedAt.toISOString().slice(0, 10),
      r.reference,
    ]
      .map(csvCell)
      .join(','),
  );
  await recordAudit(tx, actor, {
    action: 'coded_extract.exported',
    recordType: 'person',
    recordIds: [...new Set(rows.map((r) => r.personId))],
    detail: { from: query.from, to: query.to, practiceId: query.practiceId ?? null, rows: rows.length },
  });
  return { csv: `${header.join(',')}\r\n${lines.map((l) => `${l}\r\n`).join('')}`, rows: rows.length };
}

/**
 * A link worker's work at one PCN over a period, as counts (no person's data): referrals allocated to them that
 * arrived in it, contacts they made, people first contacted, discharges, and the median days from referral to
 * first contact of the referrals that arrived in it. For evaluation (a research case's period); the caller
 * applies disclosure control.
 */
export async function linkWorkerPeriodFigures(
  tx: Db,
  pcnId: string,
  linkWorkerId: string,
  from: string,
  to: string,
): Promise<{
  referrals: number;
  contacts: number;
  firstContacts: number;
  discharges: number;
  medianDaysToFirstContact: number | null;
}> {
  const rows = await tx.execute(sql`
    with period_referrals as (
      select r.id, r.received_at from referrals r
      where r.organisation_id = ${pcnId} and r.allocated_link_worker_id = ${linkWorkerId}
        and (r.received_at at time zone 'Europe/London')::date between ${from}::date and ${to}::date
    ),
    waits as (
      select extract(epoch from (min(c.occurred_at) - pr.received_at)) / 86400 as days
      from period_referrals pr join contacts c on c.referral_id = pr.id and c.kind = 'first_contact'
      group by pr.id, pr.received_at
    )
    select
      (select count(*)::int from period_referrals) as referrals,
      (select count(*)::int from contacts c where c.organisation_id = ${pcnId} and c.link_worker_id = ${linkWorkerId}
         and c.kind <> 'attempt'
         and (c.occurred_at at time zone 'Europe/London')::date between ${from}::date and ${to}::date) as contacts,
      (select count(*)::int from contacts c where c.organisation_id = ${pcnId} and c.link_worker_id = ${linkWorkerId}
         and c.kind = 'first_contact'
         and (c.occurred_at at time zone 'Europe/London')::date between ${from}::date and ${to}::date) as first_contacts,
      (select count(*)::int from discharges d where d.organisation_id = ${pcnId} and d.discharged_by = ${linkWorkerId}
         and d.discharged_on between ${from}::date and ${to}::date) as discharges,
      (select percentile_cont(0.5) within group (order by days)::float8 from waits) as median_days`);
  const r = (Array.isArray(rows) ? rows : (rows as { rows: Record<string, unknown>[] }).rows)[0] as Record<
    string,
    unknown
  >;
  return {
    referrals: Number(r.referrals),
    contacts: Number(r.contacts),
    firstContacts: Number(r.first_contacts),
    discharges: Number(r.discharges),
    medianDaysToFirstContact: r.median_days === null ? null : Math.round(Number(r.median_days) * 10) / 10,
  };
}
