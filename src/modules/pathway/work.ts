import { and, asc, eq, inArray, max, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { contacts } from '../contacts/schema.ts';
import { roleAssignments } from '../identity/schema.ts';
import { needsDomains, referrals } from '../referrals/schema.ts';
import {
  assertDateWithinEpisode,
  assertLinkWorkerOf,
  assertOpen,
  assertWithinEpisode,
  episodeFor,
  type ReferralRow,
  settingsOf,
} from './access.ts';
import type {
  AppointmentInput,
  AppointmentUpdate,
  ContactInput,
  DischargeInput,
  flagBody,
  handOverBody,
  PlanInput,
  progressBody,
  reallocateBody,
  resolveFlagBody,
  settingsBody,
  WhatMattersInput,
} from './contract.ts';
import {
  composeMessageBack,
  contactCounters,
  flagsOfPerson,
  personFor,
  planOf,
  toAppointment,
} from './episode.ts';
import {
  allocations,
  appointments,
  discharges,
  goalProgress,
  goals,
  pathwaySettings,
  personFlags,
  supportPlans,
  supportPlanVersions,
  whatMattersConversations,
} from './schema.ts';

export async function updateSettings(tx: Db, actor: Actor, input: z.infer<typeof settingsBody>) {
  assertRole(actor, 'lead_link_worker');
  const organisationId = actor.actingOrganisationId!;
  const current = await settingsOf(tx, organisationId);
  if (current.version !== input.version) throw new VersionConflictError('setting', current.version);
  const values = {
    firstContactTargetWorkingDays: input.firstContactTargetWorkingDays,
    unableToContactAttempts: input.unableToContactAttempts,
    version: current.version + 1,
    updatedAt: actor.now,
    updatedBy: actor.userId,
  };
  await tx
    .insert(pathwaySettings)
    .values({ organisationId, ...values })
    .onConflictDoUpdate({ target: pathwaySettings.organisationId, set: values });
  await recordAudit(tx, actor, {
    action: 'pathway_settings.updated',
    recordType: 'organisation',
    recordIds: [organisationId],
    detail: {
      firstContactTargetWorkingDays: input.firstContactTargetWorkingDays,
      unableToContactAttempts: input.unableToContactAttempts,
    },
  });
  return settingsOf(tx, organisationId);
}

async function contactsOf(tx: Db, referralId: string) {
  return tx
    .select({ kind: contacts.kind, occurredAt: contacts.occurredAt })
    .from(contacts)
    .where(eq(contacts.referralId, referralId));
}

async function activeGoalIds(tx: Db, referralId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ id: goals.id })
    .from(goals)
    .where(and(eq(goals.referralId, referralId), eq(goals.status, 'active')));
  return new Set(rows.map((r) => r.id));
}

/** A contact with the person, or an attempt that did not reach them, with any goal progress talked through. */
export async function recordContact(tx: Db, actor: Actor, referralId: string, input: ContactInput) {
  const r = await episodeFor(tx, actor, referralId, { forUpdate: true });
  assertOpen(r, 'log a contact');
  const occurredAt = new Date(input.occurredAt);
  assertWithinEpisode(actor, r, occurredAt, 'occurredAt', 'A contact');
  const earlier = await contactsOf(tx, referralId);
  if (input.kind === 'contact' && !earlier.some((c) => c.kind === 'first_contact')) {
    throw new ConflictError(
      'Record the first contact first: it says whether the person accepts social prescribing and records its code.',
    );
  }
  if (input.kind === 'attempt' && input.goalProgress.length) {
    throw new ValidationError('Goal progress is recorded when you spoke with the person', {
      field: 'goalProgress',
    });
  }
  const goalIds = await activeGoalIds(tx, referralId);
  input.goalProgress.forEach((p, i) => {
    if (!goalIds.has(p.goalId)) {
      throw new ValidationError('This goal is not an active goal of this person’s plan', {
        field: `goalProgress.${i}.goalId`,
      });
    }
  });
  const contactId = newId();
  await tx.insert(contacts).values({
    id: contactId,
    organisationId: r.organisationId,
    referralId,
    personId: r.personId,
    linkWorkerId: actor.userId,
    occurredAt,
    mode: input.mode,
    durationMinutes: input.durationMinutes ?? null,
    kind: input.kind,
    note: input.note ?? null,
    present: input.present ?? null,
    createdAt: actor.now,
  });
  if (input.goalProgress.length) {
    await tx.insert(goalProgress).values(
      input.goalProgress.map((p) => ({
        id: newId(),
        organisationId: r.organisationId,
        goalId: p.goalId,
        referralId,
        personId: r.personId,
        contactId,
        rating: p.rating,
        note: p.note ?? null,
        recordedOn: londonDate(occurredAt),
        recordedBy: actor.userId,
        recordedAt: actor.now,
      })),
    );
  }
  const settings = await settingsOf(tx, r.organisationId);
  const { failedAttempts } = contactCounters([...earlier, { kind: input.kind, occurredAt }]);
  await recordAudit(tx, actor, {
    action: input.kind === 'attempt' ? 'contact.attempt_recorded' : 'contact.recorded',
    recordType: 'referral',
    recordIds: [referralId, r.personId, contactId],
    detail: { mode: input.mode, goalProgress: input.goalProgress.length, failedAttempts },
  });
  return { contactId, failedAttempts, unableToContact: failedAttempts >= settings.unableToContactAttempts };
}

export async function scheduleAppointment(tx: Db, actor: Actor, referralId: string, input: AppointmentInput) {
  const r = await episodeFor(tx, actor, referralId, { forUpdate: true });
  assertOpen(r, 'book an appointment');
  const startsAt = new Date(input.startsAt);
  assertWithinEpisode(actor, r, startsAt, 'startsAt', 'An appointment', { future: true });
  const id = newId();
  const [row] = await tx
    .insert(appointments)
    .values({
      id,
      organisationId: r.organisationId,
      referralId,
      personId: r.personId,
      linkWorkerId: r.allocatedLinkWorkerId ?? actor.userId,
      startsAt,
      durationMinutes: input.durationMinutes,
      mode: input.mode,
      location: input.location ?? null,
      status: 'booked',
      note: input.note ?? null,
      createdAt: actor.now,
      updatedAt: actor.now,
    })
    .returning();
  await recordAudit(tx, actor, {
    action: 'appointment.booked',
    recordType: 'referral',
    recordIds: [referralId, r.personId, id],
  });
  return toAppointment(row!);
}

export async function updateAppointment(tx: Db, actor: Actor, id: string, input: AppointmentUpdate) {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const [current] = await tx
    .select()
    .from(appointments)
    .where(and(eq(appointments.id, id), eq(appointments.organisationId, actor.actingOrganisationId!)))
    .for('update');
  if (!current) throw new NotFoundError('There is no appointment with this id in your caseload.');
  const r = await episodeFor(tx, actor, current.referralId);
  if (current.version !== input.version) throw new VersionConflictError('appointment', current.version);
  const startsAt = input.startsAt ? new Date(input.startsAt) : current.startsAt;
  if (input.startsAt) {
    assertOpen(r, 'move an appointment');
    assertWithinEpisode(actor, r, startsAt, 'startsAt', 'An appointment', { future: true });
  }
  if ((input.status === 'attended' || input.status === 'did_not_attend') && startsAt > actor.now) {
    throw new ValidationError('An appointment still to come cannot be marked as attended or missed', {
      field: 'status',
    });
  }
  const [row] = await tx
    .update(appointments)
    .set({
      status: input.status,
      startsAt,
      note: input.note === undefined ? current.note : input.note,
      version: current.version + 1,
      updatedAt: actor.now,
    })
    .where(eq(appointments.id, id))
    .returning();
  await recordAudit(tx, actor, {
    action: 'appointment.updated',
    recordType: 'referral',
    recordIds: [r.id, r.personId, id],
    detail: { status: input.status, moved: !!input.startsAt },
  });
  return toAppointment(row!);
}

async function assertNeedsDomains(
  tx: Db,
  codes: (string | null | undefined)[],
  field: (i: number) => string,
) {
  const known = new Set((await tx.select({ code: needsDomains.code }).from(needsDomains)).map((d) => d.code));
  codes.forEach((code, i) => {
    if (code && !known.has(code))
      throw new ValidationError('Choose the need from the list', { field: field(i) });
  });
}

/** A new version of the "what matters to me" conversation; earlier versions stay as they were. */
export async function recordWhatMatters(tx: Db, actor: Actor, referralId: string, input: WhatMattersInput) {
  const r = await episodeFor(tx, actor, referralId, { forUpdate: true });
  assertOpen(r, 'record the conversation');
  const earlier = await contactsOf(tx, referralId);
  if (!earlier.some((c) => c.kind === 'first_contact')) {
    throw new ConflictError('Record the first contact first: the person has to accept social prescribing.');
  }
  assertDateWithinEpisode(actor, r, input.heldOn, 'heldOn', 'The conversation');
  await assertNeedsDomains(
    tx,
    input.needs.map((n) => n.domain),
    (i) => `needs.${i}.domain`,
  );
  const [{ latest } = { latest: null }] = await tx
    .select({ latest: max(whatMattersConversations.version) })
    .from(whatMattersConversations)
    .where(eq(whatMattersConversations.referralId, referralId));
  if ((latest ?? null) !== input.baseVersion) {
    throw new VersionConflictError('conversation', latest ?? undefined);
  }
  const id = newId();
  const version = (latest ?? 0) + 1;
  await tx.insert(whatMattersConversations).values({
    id,
    organisationId: r.organisationId,
    referralId,
    personId: r.personId,
    version,
    heldOn: input.heldOn,
    needs: input.needs,
    ownWords: input.ownWords,
    strengths: input.strengths ?? null,
    barriers: input.barriers ?? null,
    recordedBy: actor.userId,
    recordedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'what_matters.recorded',
    recordType: 'referral',
    recordIds: [referralId, r.personId, id],
    detail: { version },
  });
  return { id, version };
}

/**
 * Creates or edits the support plan in one transaction. Goals sent with their id keep it (so their progress
 * history stays with them); goals left out are marked stopped, never deleted. Every version is kept as saved.
 */
export async function savePlan(tx: Db, actor: Actor, referralId: string, input: PlanInput) {
  const r = await episodeFor(tx, actor, referralId, { forUpdate: true });
  assertOpen(r, 'change the support plan');
  assertDateWithinEpisode(actor, r, input.agreedOn, 'agreedOn', 'The date the plan was agreed');
  const [existing] = await tx
    .select()
    .from(supportPlans)
    .where(eq(supportPlans.referralId, referralId))
    .for('update');
  if (input.version === null && existing) throw new VersionConflictError('plan', existing.version);
  if (input.version !== null && (!existing || existing.version !== input.version)) {
    throw new VersionConflictError('plan', existing?.version);
  }
  await assertNeedsDomains(
    tx,
    input.goals.map((g) => g.needsDomain),
    (i) => `goals.${i}.needsDomain`,
  );
  const currentGoals = existing
    ? await tx.select().from(goals).where(eq(goals.planId, existing.id)).orderBy(asc(goals.position))
    : [];
  const known = new Map(currentGoals.map((g) => [g.id, g]));
  const seen = new Set<string>();
  input.goals.forEach((g, i) => {
    if (g.id && (!known.has(g.id) || seen.has(g.id))) {
      throw new ValidationError('This goal is not part of this plan (or is listed twice)', {
        field: `goals.${i}.id`,
      });
    }
    if (g.id) seen.add(g.id);
    if (g.reviewOn && g.reviewOn < input.agreedOn) {
      throw new ValidationError('The review date cannot be before the plan was agreed', {
        field: `goals.${i}.reviewOn`,
      });
    }
  });
  const planId = existing?.id ?? newId();
  const version = (existing?.version ?? 0) + 1;
  if (existing) {
    await tx
      .update(supportPlans)
      .set({
        agreedOn: input.agreedOn,
        summary: input.summary ?? null,
        version,
        updatedBy: actor.userId,
        updatedAt: actor.now,
      })
      .where(eq(supportPlans.id, planId));
  } else {
    await tx.insert(supportPlans).values({
      id: planId,
      organisationId: r.organisationId,
      referralId,
      personId: r.personId,
      agreedOn: input.agreedOn,
      summary: input.summary ?? null,
      version,
      createdBy: actor.userId,
      createdAt: actor.now,
      updatedBy: actor.userId,
      updatedAt: actor.now,
    });
  }
  const actionsOf = (g: PlanInput['goals'][number]) =>
    g.actions.map((a) => ({ who: a.who, what: a.what, byWhen: a.byWhen ?? null, done: a.done }));
  for (const [position, g] of input.goals.entries()) {
    const values = {
      position,
      description: g.description,
      needsDomain: g.needsDomain ?? null,
      services: g.services ?? null,
      reviewOn: g.reviewOn ?? null,
      status: g.status,
      actions: actionsOf(g),
    };
    if (g.id) await tx.update(goals).set(values).where(eq(goals.id, g.id));
    else {
      await tx.insert(goals).values({
        id: newId(),
        organisationId: r.organisationId,
        planId,
        referralId,
        personId: r.personId,
        createdAt: actor.now,
        ...values,
      });
    }
  }
  const dropped = currentGoals.filter((g) => !seen.has(g.id));
  for (const [i, g] of dropped.entries()) {
    await tx
      .update(goals)
      .set({ status: g.status === 'achieved' ? 'achieved' : 'stopped', position: input.goals.length + i })
      .where(eq(goals.id, g.id));
  }
  const plan = (await planOf(tx, referralId))!;
  await tx.insert(supportPlanVersions).values({
    organisationId: r.organisationId,
    planId,
    version,
    snapshot: {
      agreedOn: plan.agreedOn,
      summary: plan.summary,
      goals: plan.goals.map(({ progress: _, ...g }) => g),
    },
    savedBy: actor.userId,
    savedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: existing ? 'support_plan.updated' : 'support_plan.created',
    recordType: 'referral',
    recordIds: [referralId, r.personId, planId],
    detail: { version, goals: input.goals.length, stopped: dropped.length },
  });
  return plan;
}

export async function recordProgress(
  tx: Db,
  actor: Actor,
  goalId: string,
  input: z.infer<typeof progressBody>,
) {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const [goal] = await tx
    .select()
    .from(goals)
    .where(and(eq(goals.id, goalId), eq(goals.organisationId, actor.actingOrganisationId!)));
  if (!goal) throw new NotFoundError('There is no goal with this id in your caseload.');
  const r = await episodeFor(tx, actor, goal.referralId, { forUpdate: true });
  assertOpen(r, 'record progress');
  if (goal.status !== 'active')
    throw new ConflictError('This goal is no longer active: reopen it in the plan first.');
  assertDateWithinEpisode(actor, r, input.recordedOn, 'recordedOn', 'Progress');
  const id = newId();
  await tx.insert(goalProgress).values({
    id,
    organisationId: r.organisationId,
    goalId,
    referralId: r.id,
    personId: r.personId,
    contactId: null,
    rating: input.rating,
    note: input.note ?? null,
    recordedOn: input.recordedOn,
    recordedBy: actor.userId,
    recordedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'goal_progress.recorded',
    recordType: 'referral',
    recordIds: [r.id, r.personId, goalId],
    detail: { rating: input.rating },
  });
  return { id };
}

/** Closes an open episode with the reason and the message back, in one transaction; booked appointments are cancelled. */
export async function dischargeEpisode(tx: Db, actor: Actor, referralId: string, input: DischargeInput) {
  const r = await episodeFor(tx, actor, referralId, { forUpdate: true });
  assertOpen(r, 'discharge this person');
  if (r.version !== input.version) throw new VersionConflictError('episode', r.version);
  assertDateWithinEpisode(actor, r, input.dischargedOn, 'dischargedOn', 'The discharge date');
  await tx.insert(discharges).values({
    referralId,
    organisationId: r.organisationId,
    personId: r.personId,
    reason: input.reason,
    dischargedOn: input.dischargedOn,
    closingSummary: input.closingSummary,
    supportOffered: input.supportOffered,
    outcome: input.outcome,
    followUpForGp: input.followUpForGp ?? null,
    consentToFollowUp: input.consentToFollowUp ?? null,
    dischargedBy: actor.userId,
    dischargedAt: actor.now,
  });
  const [updated] = await tx
    .update(referrals)
    .set({ status: 'discharged', version: r.version + 1, updatedAt: actor.now })
    .where(eq(referrals.id, referralId))
    .returning();
  const cancelled = await tx
    .update(appointments)
    .set({ status: 'cancelled', version: sql`${appointments.version} + 1`, updatedAt: actor.now })
    .where(and(eq(appointments.referralId, referralId), eq(appointments.status, 'booked')))
    .returning({ id: appointments.id });
  await recordAudit(tx, actor, {
    action: 'episode.discharged',
    recordType: 'referral',
    recordIds: [referralId, r.personId],
    detail: { reason: input.reason, appointmentsCancelled: cancelled.length },
  });
  return composeMessageBack(tx, updated as ReferralRow);
}

export async function raiseFlag(tx: Db, actor: Actor, personId: string, input: z.infer<typeof flagBody>) {
  const person = await personFor(tx, actor, personId);
  const id = newId();
  await tx.insert(personFlags).values({
    id,
    organisationId: person.organisationId,
    personId,
    kind: input.kind,
    note: input.note,
    raisedBy: actor.userId,
    raisedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'person_flag.raised',
    recordType: 'person',
    recordIds: [personId, id],
    detail: { kind: input.kind },
  });
  return (await flagsOfPerson(tx, personId)).find((f) => f.id === id)!;
}

export async function resolveFlag(
  tx: Db,
  actor: Actor,
  flagId: string,
  input: z.infer<typeof resolveFlagBody>,
) {
  assertRole(actor, 'lead_link_worker');
  const [flag] = await tx
    .select()
    .from(personFlags)
    .where(and(eq(personFlags.id, flagId), eq(personFlags.organisationId, actor.actingOrganisationId!)))
    .for('update');
  if (!flag) throw new NotFoundError('There is no flag with this id in your PCN.');
  if (flag.resolvedAt) throw new ConflictError('This flag was already closed.');
  await tx
    .update(personFlags)
    .set({ resolvedAt: actor.now, resolvedBy: actor.userId, resolutionNote: input.resolutionNote })
    .where(eq(personFlags.id, flagId));
  await recordAudit(tx, actor, {
    action: 'person_flag.resolved',
    recordType: 'person',
    recordIds: [flag.personId, flagId],
  });
  return (await flagsOfPerson(tx, flag.personId)).find((f) => f.id === flagId)!;
}

async function moveEpisodes(
  tx: Db,
  actor: Actor,
  rows: ReferralRow[],
  toLinkWorkerId: string,
  reason: string,
): Promise<void> {
  if (!rows.length) return;
  const ids = rows.map((r) => r.id);
  await tx
    .update(referrals)
    .set({
      allocatedLinkWorkerId: toLinkWorkerId,
      version: sql`${referrals.version} + 1`,
      updatedAt: actor.now,
    })
    .where(inArray(referrals.id, ids));
  await tx.insert(allocations).values(
    rows.map((r) => ({
      id: newId(),
      organisationId: r.organisationId,
      referralId: r.id,
      fromLinkWorkerId: r.allocatedLinkWorkerId,
      toLinkWorkerId,
      reason,
      allocatedBy: actor.userId,
      allocatedAt: actor.now,
    })),
  );
  // Appointments still to come go with the person to their new link worker.
  await tx
    .update(appointments)
    .set({ linkWorkerId: toLinkWorkerId, version: sql`${appointments.version} + 1`, updatedAt: actor.now })
    .where(and(inArray(appointments.referralId, ids), eq(appointments.status, 'booked')));
}

export async function reallocate(
  tx: Db,
  actor: Actor,
  referralId: string,
  input: z.infer<typeof reallocateBody>,
) {
  assertRole(actor, 'lead_link_worker');
  const r = await episodeFor(tx, actor, referralId, { forUpdate: true });
  assertOpen(r, 'reallocate this episode');
  if (r.version !== input.version) throw new VersionConflictError('episode', r.version);
  await assertLinkWorkerOf(tx, r.organisationId, input.linkWorkerId, 'linkWorkerId');
  if (input.linkWorkerId === r.allocatedLinkWorkerId) {
    throw new ValidationError('This person is already allocated to this link worker', {
      field: 'linkWorkerId',
    });
  }
  await moveEpisodes(tx, actor, [r], input.linkWorkerId, input.reason);
  await recordAudit(tx, actor, {
    action: 'episode.reallocated',
    recordType: 'referral',
    recordIds: [referralId, r.personId],
    detail: { from: r.allocatedLinkWorkerId, to: input.linkWorkerId },
  });
  return { referralId, linkWorkerId: input.linkWorkerId, version: r.version + 1 };
}

/** Hands a link worker's whole open caseload to another (leaving, long-term absence), with history, at once. */
export async function handOver(
  tx: Db,
  actor: Actor,
  fromLinkWorkerId: string,
  input: z.infer<typeof handOverBody>,
) {
  assertRole(actor, 'lead_link_worker');
  const organisationId = actor.actingOrganisationId!;
  const [from] = await tx
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, fromLinkWorkerId),
        eq(roleAssignments.organisationId, organisationId),
        eq(roleAssignments.role, 'link_worker'),
      ),
    );
  if (!from) throw new NotFoundError('There is no link worker with this id in your PCN.');
  await assertLinkWorkerOf(tx, organisationId, input.toLinkWorkerId, 'toLinkWorkerId');
  if (input.toLinkWorkerId === fromLinkWorkerId) {
    throw new ValidationError('Choose a different link worker to take over', { field: 'toLinkWorkerId' });
  }
  const rows = await tx
    .select()
    .from(referrals)
    .where(
      and(
        eq(referrals.organisationId, organisationId),
        eq(referrals.allocatedLinkWorkerId, fromLinkWorkerId),
        eq(referrals.status, 'accepted'),
      ),
    )
    .for('update');
  await moveEpisodes(tx, actor, rows, input.toLinkWorkerId, input.reason);
  await recordAudit(tx, actor, {
    action: 'caseload.handed_over',
    recordType: 'referral',
    recordIds: rows.map((r) => r.id),
    detail: { from: fromLinkWorkerId, to: input.toLinkWorkerId, moved: rows.length },
  });
  return { moved: rows.length };
}
