import { createHash, randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import { days } from '../../platform/clock.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { alsoAllowTenant } from '../../platform/transaction.ts';
import { recordAudit } from '../audit/service.ts';
import { roleAssignments, users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { allocations } from '../pathway/schema.ts';
import type { PersonInput } from '../people/contract.ts';
import { people } from '../people/schema.ts';
import { createPerson, findPersonByNhsNumber, probableMatches } from '../people/service.ts';
import type { Referral, ReferralInput, TriageInput, TriageItem } from './contract.ts';
import { needsDomains, referrals } from './schema.ts';

const notFound = () => new NotFoundError('There is no referral with this id in your organisation.');

/** The PCN whose link worker service receives a referral from this actor: their PCN, or their practice's PCN. */
export async function receivingPcn(
  tx: Db,
  actor: Actor,
): Promise<{ pcnId: string; referringOrganisationId: string }> {
  assertRole(actor, 'referrer', 'link_worker', 'lead_link_worker');
  const acting = actor.actingOrganisationId!;
  if (actor.actingOrganisationType === 'pcn') return { pcnId: acting, referringOrganisationId: acting };
  if (actor.actingOrganisationType === 'gp_practice') {
    const [practice] = await tx
      .select({ parentId: organisations.parentId })
      .from(organisations)
      .where(eq(organisations.id, acting));
    if (practice?.parentId) return { pcnId: practice.parentId, referringOrganisationId: acting };
  }
  throw new ForbiddenError(
    'Referrals are made by a GP practice or within a PCN: act for one of those to refer.',
  );
}

// Crockford's base32: no I, L, O or U, so a reference read out on the phone is not misheard.
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newReference(): string {
  const c = () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `LW-${c()}${c()}${c()}${c()}-${c()}${c()}${c()}${c()}`;
}

const fingerprint = (input: ReferralInput) =>
  createHash('sha256').update(JSON.stringify(input)).digest('hex');

const allocated = alias(users, 'allocated');
const referralColumns = {
  r: referrals,
  givenName: people.givenName,
  familyName: people.familyName,
  dateOfBirth: people.dateOfBirth,
  sex: people.sex,
  nhsNumber: people.nhsNumber,
  phone: people.phone,
  email: people.email,
  postcode: people.postcode,
  preferredContactMethod: people.preferredContactMethod,
  preferredContactTimes: people.preferredContactTimes,
  interpreterLanguage: people.interpreterLanguage,
  accessibilityNeeds: people.accessibilityNeeds,
  allocatedName: allocated.name,
};
type Row = {
  r: typeof referrals.$inferSelect;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sex: Referral['personSex'];
  allocatedName: string | null;
} & Referral['contact'];

/** Referrals with their person and allocated link worker: every read of referrals goes through this. */
const selectReferrals = (tx: Db) =>
  tx
    .select(referralColumns)
    .from(referrals)
    .innerJoin(people, eq(people.id, referrals.personId))
    .leftJoin(allocated, eq(allocated.id, referrals.allocatedLinkWorkerId));

type Extras = Pick<Referral, 'possibleDuplicates' | 'otherEpisodes'>;
const noExtras: Extras = { possibleDuplicates: [], otherEpisodes: [] };

function toReferral(row: Row, now: Date, extras: Extras = noExtras): Referral {
  const r = row.r;
  return {
    id: r.id,
    organisationId: r.organisationId,
    personId: r.personId,
    personName: `${row.givenName} ${row.familyName}`,
    personDateOfBirth: row.dateOfBirth,
    personSex: row.sex,
    source: r.source,
    referrerUserId: r.referrerUserId,
    referringOrganisationId: r.referringOrganisationId,
    reasons: r.reasons,
    context: r.context,
    urgency: r.urgency,
    status: r.status,
    declineReason: r.declineReason,
    triageNote: r.triageNote,
    allocatedLinkWorkerId: r.allocatedLinkWorkerId,
    allocatedLinkWorkerName: row.allocatedName,
    triagedAt: r.triagedAt?.toISOString() ?? null,
    contact: {
      nhsNumber: row.nhsNumber,
      phone: row.phone,
      email: row.email,
      postcode: row.postcode,
      preferredContactMethod: row.preferredContactMethod,
      preferredContactTimes: row.preferredContactTimes,
      interpreterLanguage: row.interpreterLanguage,
      accessibilityNeeds: row.accessibilityNeeds,
    },
    reference: r.reference,
    receivedAt: r.receivedAt.toISOString(),
    daysWaiting: Math.max(0, Math.floor((now.getTime() - r.receivedAt.getTime()) / days(1))),
    version: r.version,
    ...extras,
  };
}

/** Possible duplicates and other episodes for a set of referrals, in two queries whatever the number of rows. */
async function extrasFor(tx: Db, rows: Row[]): Promise<Map<string, Extras>> {
  const candidateIds = [...new Set(rows.flatMap((r) => r.r.possibleDuplicatePersonIds))];
  const personIds = [...new Set([...rows.map((r) => r.r.personId), ...candidateIds])];
  if (personIds.length === 0) return new Map();
  const [candidates, episodes] = await Promise.all([
    candidateIds.length
      ? tx
          .select({
            id: people.id,
            givenName: people.givenName,
            familyName: people.familyName,
            dateOfBirth: people.dateOfBirth,
            postcode: people.postcode,
            nhsNumber: people.nhsNumber,
          })
          .from(people)
          .where(inArray(people.id, candidateIds))
      : Promise.resolve([]),
    tx
      .select({
        id: referrals.id,
        personId: referrals.personId,
        reference: referrals.reference,
        receivedAt: referrals.receivedAt,
        status: referrals.status,
      })
      .from(referrals)
      .where(inArray(referrals.personId, personIds))
      .orderBy(desc(referrals.receivedAt)),
  ]);
  const episodesOf = (personId: string) => episodes.filter((e) => e.personId === personId);
  return new Map(
    rows.map((row) => [
      row.r.id,
      {
        possibleDuplicates: candidates
          .filter((c) => row.r.possibleDuplicatePersonIds.includes(c.id))
          .map((c) => ({
            personId: c.id,
            name: `${c.givenName} ${c.familyName}`,
            dateOfBirth: c.dateOfBirth,
            postcode: c.postcode,
            nhsNumber: c.nhsNumber,
            episodes: episodesOf(c.id).length,
          })),
        otherEpisodes: episodesOf(row.r.personId)
          .filter((e) => e.id !== row.r.id)
          .map((e) => ({
            id: e.id,
            reference: e.reference,
            receivedAt: e.receivedAt.toISOString(),
            status: e.status,
          })),
      },
    ]),
  );
}

async function loadReferral(tx: Db, id: string, now: Date): Promise<Referral | null> {
  const [row] = await selectReferrals(tx).where(eq(referrals.id, id));
  if (!row) return null;
  return toReferral(row, now, (await extrasFor(tx, [row])).get(row.r.id));
}

async function assertKnownReasons(tx: Db, reasons: string[]) {
  const known = new Set(
    (
      await tx.select({ code: needsDomains.code }).from(needsDomains).where(eq(needsDomains.active, true))
    ).map((r) => r.code),
  );
  const unknown = reasons.filter((r) => !known.has(r));
  if (unknown.length)
    throw new ValidationError(`Choose reasons from the list (not ${unknown.join(', ')})`, {
      field: 'reasons',
    });
}

/** An exact NHS number match in the PCN is the same person; otherwise a new person record. */
async function findOrCreatePerson(
  tx: Db,
  actor: Actor,
  pcnId: string,
  input: PersonInput,
): Promise<{ id: string; created: boolean }> {
  if (input.nhsNumber) {
    const existing = await findPersonByNhsNumber(tx, pcnId, input.nhsNumber);
    if (existing) return { id: existing, created: false };
  }
  return { id: await createPerson(tx, actor.now, pcnId, input, { fieldPrefix: 'person.' }), created: true };
}

/**
 * Takes in a professional referral. With an Idempotency-Key, the same key and body return the first referral
 * (`replayed`), and the same key with a different body is a conflict: a retried request never makes a duplicate.
 */
export async function createReferral(
  tx: Db,
  actor: Actor,
  input: ReferralInput,
  idempotencyKey?: string,
): Promise<{ referral: Referral; replayed: boolean }> {
  const { pcnId, referringOrganisationId } = await receivingPcn(tx, actor);
  await alsoAllowTenant(tx, actor, pcnId);
  const print = fingerprint(input);
  if (idempotencyKey) {
    await tx.execute(sql`select pg_advisory_xact_lock(727276, hashtext(${`${pcnId}:${idempotencyKey}`}))`);
    const [earlier] = await tx
      .select({ id: referrals.id, print: referrals.idempotencyFingerprint, by: referrals.referrerUserId })
      .from(referrals)
      .where(and(eq(referrals.organisationId, pcnId), eq(referrals.idempotencyKey, idempotencyKey)));
    if (earlier) {
      if (earlier.print !== print || earlier.by !== actor.userId) {
        throw new ConflictError(
          'This Idempotency-Key was already used for a different referral. Use a new key for a new referral.',
        );
      }
      return { referral: (await loadReferral(tx, earlier.id, actor.now))!, replayed: true };
    }
  }
  await assertKnownReasons(tx, input.reasons);
  const person = await findOrCreatePerson(tx, actor, pcnId, input.person);
  const possibleDuplicatePersonIds = person.created
    ? await probableMatches(tx, pcnId, person.id, {
        ...input.person,
        postcode: input.person.postcode ?? null,
      })
    : [];
  const id = newId();
  const [inserted] = await tx
    .insert(referrals)
    .values({
      id,
      organisationId: pcnId,
      personId: person.id,
      source: idempotencyKey ? 'api' : 'professional',
      referrerUserId: actor.userId,
      referringOrganisationId,
      reasons: [...new Set(input.reasons)],
      context: input.context ?? null,
      urgency: input.urgency,
      consentToReferral: input.consentToReferral,
      status: 'awaiting_triage',
      receivedAt: actor.now,
      reference: newReference(),
      possibleDuplicatePersonIds,
      idempotencyKey: idempotencyKey ?? null,
      idempotencyFingerprint: idempotencyKey ? print : null,
      createdAt: actor.now,
      updatedAt: actor.now,
    })
    .returning();
  await recordAudit(tx, actor, {
    action: 'referral.created',
    recordType: 'referral',
    recordIds: [id, person.id],
    organisationId: pcnId,
    detail: { personCreated: person.created, source: idempotencyKey ? 'api' : 'professional' },
  });
  // A new person with no look-alikes has no other episodes and nothing to show as a possible match: answer from
  // what was just written, without reading it back (the common case, three queries fewer per referral).
  if (person.created && possibleDuplicatePersonIds.length === 0 && inserted) {
    const p = input.person;
    const row: Row = {
      r: inserted,
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      allocatedName: null,
      nhsNumber: p.nhsNumber ?? null,
      phone: p.phone ?? null,
      email: p.email ?? null,
      postcode: p.postcode ?? null,
      preferredContactMethod: p.preferredContactMethod ?? null,
      preferredContactTimes: p.preferredContactTimes ?? null,
      interpreterLanguage: p.interpreterLanguage ?? null,
      accessibilityNeeds: p.accessibilityNeeds ?? null,
    };
    return { referral: toReferral(row, actor.now), replayed: false };
  }
  return { referral: (await loadReferral(tx, id, actor.now))!, replayed: false };
}

/**
 * One referral with its person's summary, for the PCN's leads and link workers (a link worker only when it is
 * allocated to them or awaiting triage). Opening it is audited.
 */
export async function getReferral(tx: Db, actor: Actor, id: string): Promise<Referral> {
  assertRole(actor, 'lead_link_worker', 'link_worker');
  const found = await loadReferral(tx, id, actor.now);
  if (!found || found.organisationId !== actor.actingOrganisationId) throw notFound();
  const isLead = actor.roles.includes('lead_link_worker');
  if (!isLead && found.allocatedLinkWorkerId !== actor.userId) throw notFound();
  await recordAudit(tx, actor, {
    action: 'referral.viewed',
    recordType: 'referral',
    recordIds: [found.id, found.personId],
  });
  return found;
}

/** A referrer's own referrals with their status: what they need, never the case notes. */
export async function listMyReferrals(tx: Db, actor: Actor) {
  assertRole(actor, 'referrer', 'link_worker', 'lead_link_worker');
  const { pcnId } = await receivingPcn(tx, actor);
  await alsoAllowTenant(tx, actor, pcnId);
  const rows = await selectReferrals(tx)
    .where(eq(referrals.referrerUserId, actor.userId))
    .orderBy(desc(referrals.receivedAt))
    .limit(500);
  const items = rows.map((r) => toReferral(r, actor.now));
  if (items.length) {
    await recordAudit(tx, actor, {
      action: 'referral.list_viewed',
      recordType: 'referral',
      recordIds: items.map((i) => i.id),
      organisationId: pcnId,
    });
  }
  return items.map(
    ({ id, reference, personName, personDateOfBirth, reasons, urgency, status, receivedAt }) => ({
      id,
      reference,
      personName,
      personDateOfBirth,
      reasons,
      urgency,
      status,
      receivedAt,
    }),
  );
}

/**
 * The PCN's referrals awaiting triage, urgent first, then oldest first. Earlier episodes and possible matches are
 * counted here (one grouped query) and shown in full when the lead opens the referral.
 */
export async function triageQueue(tx: Db, actor: Actor): Promise<TriageItem[]> {
  assertRole(actor, 'lead_link_worker');
  const rows = await selectReferrals(tx)
    .where(
      and(eq(referrals.organisationId, actor.actingOrganisationId!), eq(referrals.status, 'awaiting_triage')),
    )
    .orderBy(desc(sql`${referrals.urgency} = 'urgent'`), asc(referrals.receivedAt))
    .limit(500);
  const personIds = [...new Set(rows.map((r) => r.r.personId))];
  const counts = personIds.length
    ? await tx
        .select({ personId: referrals.personId, n: sql<number>`count(*)::int` })
        .from(referrals)
        .where(inArray(referrals.personId, personIds))
        .groupBy(referrals.personId)
    : [];
  const episodesOf = new Map(counts.map((c) => [c.personId, Number(c.n)]));
  const items = rows.map((row) => {
    const { possibleDuplicates: _p, otherEpisodes: _o, ...rest } = toReferral(row, actor.now);
    return {
      ...rest,
      earlierEpisodes: Math.max(0, (episodesOf.get(row.r.personId) ?? 1) - 1),
      possibleMatches: row.r.possibleDuplicatePersonIds.length,
    };
  });
  if (items.length) {
    await recordAudit(tx, actor, {
      action: 'referral.triage_queue_viewed',
      recordType: 'referral',
      recordIds: items.map((i) => i.id),
    });
  }
  return items;
}

/** Accepts (and allocates), declines with a reason, or signposts a referral awaiting triage, in one transaction. */
export async function triageReferral(
  tx: Db,
  actor: Actor,
  id: string,
  input: TriageInput,
): Promise<Referral> {
  assertRole(actor, 'lead_link_worker');
  const [current] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, id), eq(referrals.organisationId, actor.actingOrganisationId!)))
    .for('update');
  if (!current) throw notFound();
  // Someone else deciding first is the likelier story than a stale form: say so.
  if (current.status !== 'awaiting_triage') {
    throw new ConflictError(`This referral was already triaged (${current.status.replace('_', ' ')}).`);
  }
  if (current.version !== input.version) throw new VersionConflictError('referral');
  if (current.possibleDuplicatePersonIds.length > 0) {
    throw new ConflictError(
      'This person may already be known to the service: confirm or reject the possible match first.',
    );
  }
  if (input.decision === 'accept') {
    const [holder] = await tx
      .select({ id: roleAssignments.id })
      .from(roleAssignments)
      .where(
        and(
          eq(roleAssignments.userId, input.linkWorkerId),
          eq(roleAssignments.organisationId, current.organisationId),
          eq(roleAssignments.role, 'link_worker'),
        ),
      );
    if (!holder) throw new ValidationError('Choose a link worker in this PCN', { field: 'linkWorkerId' });
  }
  await tx
    .update(referrals)
    .set({
      status:
        input.decision === 'accept' ? 'accepted' : input.decision === 'decline' ? 'declined' : 'signposted',
      allocatedLinkWorkerId: input.decision === 'accept' ? input.linkWorkerId : null,
      declineReason: input.decision === 'decline' ? input.reason : null,
      triageNote: input.note ?? null,
      triagedBy: actor.userId,
      triagedAt: actor.now,
      version: current.version + 1,
      updatedAt: actor.now,
    })
    .where(eq(referrals.id, id));
  if (input.decision === 'accept') {
    await tx.insert(allocations).values({
      id: newId(),
      organisationId: current.organisationId,
      referralId: id,
      fromLinkWorkerId: null,
      toLinkWorkerId: input.linkWorkerId,
      reason: 'Allocated at triage',
      allocatedBy: actor.userId,
      allocatedAt: actor.now,
    });
  }
  await recordAudit(tx, actor, {
    action: `referral.${input.decision === 'accept' ? 'accepted' : input.decision === 'decline' ? 'declined' : 'signposted'}`,
    recordType: 'referral',
    recordIds: [id, current.personId],
    organisationId: current.organisationId,
    detail:
      input.decision === 'accept'
        ? { linkWorkerId: input.linkWorkerId }
        : input.decision === 'decline'
          ? { reason: input.reason }
          : {},
  });
  return (await loadReferral(tx, id, actor.now))!;
}

export async function listNeedsDomains(tx: Db) {
  return tx
    .select({ code: needsDomains.code, label: needsDomains.label })
    .from(needsDomains)
    .where(eq(needsDomains.active, true))
    .orderBy(needsDomains.position);
}

/**
 * The triager's answer to "is this someone we already know?". Same person: the referral moves to the existing
 * record and the new record is marked as merged into it (kept, never silently deleted). Someone else: the
 * suggestion is cleared. Either way, audited.
 */
export async function decideDuplicate(
  tx: Db,
  actor: Actor,
  id: string,
  input: { version: number; samePersonId: string | null },
): Promise<Referral> {
  assertRole(actor, 'lead_link_worker');
  const [current] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, id), eq(referrals.organisationId, actor.actingOrganisationId!)))
    .for('update');
  if (!current) throw notFound();
  if (current.version !== input.version) throw new VersionConflictError('referral');
  if (current.possibleDuplicatePersonIds.length === 0) {
    throw new ConflictError('There is no possible match to decide on for this referral.');
  }
  if (input.samePersonId && !current.possibleDuplicatePersonIds.includes(input.samePersonId)) {
    throw new ValidationError('Choose one of the people suggested as a possible match', {
      field: 'samePersonId',
    });
  }
  const newPersonId = current.personId;
  await tx
    .update(referrals)
    .set({
      personId: input.samePersonId ?? current.personId,
      possibleDuplicatePersonIds: [],
      version: current.version + 1,
      updatedAt: actor.now,
    })
    .where(eq(referrals.id, id));
  if (input.samePersonId) {
    await tx
      .update(people)
      .set({
        mergedIntoPersonId: input.samePersonId,
        updatedAt: actor.now,
        version: sql`${people.version} + 1`,
      })
      .where(eq(people.id, newPersonId));
  }
  await recordAudit(tx, actor, {
    action: input.samePersonId ? 'person.duplicate_confirmed' : 'person.duplicate_rejected',
    recordType: 'referral',
    recordIds: [
      id,
      newPersonId,
      ...(input.samePersonId ? [input.samePersonId] : current.possibleDuplicatePersonIds),
    ],
    organisationId: current.organisationId,
  });
  return (await loadReferral(tx, id, actor.now))!;
}
