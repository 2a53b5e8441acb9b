import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, type RequestContext } from '../../platform/actor.ts';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { users } from '../identity/schema.ts';
import { assertDateWithinEpisode, episodeFor, type ReferralRow } from '../pathway/access.ts';
import { personFor } from '../pathway/episode.ts';
import { referrals } from '../referrals/schema.ts';
import type { InstrumentDefinition } from './definition.ts';
import {
  completedByKinds,
  measureModes,
  outcomeInstruments,
  outcomeResponses,
  timepoints,
} from './schema.ts';
import { answerErrors, scoreResponse } from './scoring.ts';
import { type instrumentsFor, instrumentsHere } from './service.ts';

/*
 * Recording a completed measure on an episode, by the link worker with the person (or for them, or the person's
 * own answers typed in). Answers are checked against the instrument's options, item by item; a partial set is
 * kept as partial and scored only where a score's items are all there. The same submission sent twice is one
 * response; an amendment is a new version and the original stays.
 */

const answers = z.record(z.string().max(60), z.unknown());

export const measureBody = z.strictObject({
  instrumentCode: z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'Choose an instrument'),
  timepoint: z.enum(timepoints, { error: 'Choose when in the episode this measure was taken' }),
  completedOn: z.iso.date({ error: 'Enter the date as YYYY-MM-DD' }),
  completedBy: z.enum(completedByKinds, { error: 'Choose who completed it' }),
  mode: z.enum(measureModes, { error: 'Choose how it was completed' }),
  answers,
  /** A fresh UUID made by the form when it opens: sending the form twice records one response. */
  submissionId: z.uuid('The submission id is not valid'),
});

export const amendBody = z.strictObject({
  answers,
  /** The id of the response being amended must be the latest version. */
  reason: z.string().trim().min(1, 'Say why the answers are being changed').max(500),
});

export interface MeasureRecord {
  id: string;
  instrumentCode: string;
  instrumentTitle: string;
  timepoint: string;
  completedOn: string;
  completedBy: string;
  mode: string;
  status: 'complete' | 'partial';
  answers: Record<string, number>;
  scores: { code: string; value: number; band: string | null }[];
  amends: string | null;
  recordedAt: string;
  recordedBy: string | null;
}

type Instruments = Awaited<ReturnType<typeof instrumentsFor>>;

/** The instrument's latest usable version here, and the conversion tables its licence supplies. */
export function usableInstrument({ items, conversions }: Instruments, code: string) {
  const found = items.find((i) => i.code === code);
  if (!found) throw new ValidationError(`There is no instrument ${code} here`, { field: 'instrumentCode' });
  if (!found.enabled) {
    throw new ValidationError(`${found.title} can be used once your organisation has recorded its licence`, {
      field: 'instrumentCode',
    });
  }
  return { ...found, conversions: conversions.get(code) ?? {} };
}

export function checkAnswers(definition: InstrumentDefinition, given: Record<string, unknown>) {
  const errors = answerErrors(definition, given);
  if (errors.length > 0) {
    throw new ValidationError(
      'Some answers are not ones this questionnaire offers',
      errors.map((e) => ({ field: `answers.${e.linkId}`, message: e.message })),
    );
  }
  return given as Record<string, number>;
}

export async function recordMeasure(
  tx: Db,
  actor: Actor,
  referralId: string,
  body: z.infer<typeof measureBody>,
): Promise<{ created: boolean; measure: MeasureRecord }> {
  const episode = await episodeFor(tx, actor, referralId);
  // The same form sent twice: the first response, not a second one.
  const [earlier] = await tx
    .select({ id: outcomeResponses.id, referralId: outcomeResponses.referralId })
    .from(outcomeResponses)
    .where(
      and(
        eq(outcomeResponses.organisationId, episode.organisationId),
        eq(outcomeResponses.submissionId, body.submissionId),
      ),
    );
  if (earlier && earlier.referralId !== referralId) {
    throw new ConflictError('This submission was already recorded on another episode: open the form again.');
  }
  if (earlier)
    return { created: false, measure: (await measuresOf(tx, actor, referralId, [earlier.id]))[0]! };
  if (episode.status !== 'accepted' && episode.status !== 'discharged') {
    throw new ConflictError('Measures are recorded on an accepted episode.');
  }
  assertDateWithinEpisode(actor, episode, body.completedOn, 'completedOn', 'The date it was completed');
  const instrument = usableInstrument(await instrumentsHere(tx, actor), body.instrumentCode);
  const id = await storeMeasure(tx, actor, episode, instrument, body, actor.userId);
  return { created: true, measure: (await measuresOf(tx, actor, referralId, [id]))[0]! };
}

/**
 * Checks, scores and stores one response on an episode, and audits it: for a link worker recording it, and for a
 * person's own answers sent by a self-completion link (no user: `recordedBy` null).
 */
export async function storeMeasure(
  tx: Db,
  ctx: RequestContext,
  episode: ReferralRow,
  instrument: ReturnType<typeof usableInstrument>,
  body: z.infer<typeof measureBody>,
  recordedBy: string | null,
): Promise<string> {
  const given = checkAnswers(instrument.definition, body.answers);
  const scored = scoreResponse(instrument.definition, given, instrument.conversions);
  const id = newId();
  await tx.insert(outcomeResponses).values({
    id,
    organisationId: episode.organisationId,
    personId: episode.personId,
    referralId: episode.id,
    instrumentId: instrument.id,
    instrumentCode: instrument.code,
    timepoint: body.timepoint,
    completedOn: body.completedOn,
    completedBy: body.completedBy,
    mode: body.mode,
    answers: given,
    status: scored.status,
    scores: scored.scores.map((s) => ({ code: s.code, value: s.value, band: s.band })),
    submissionId: body.submissionId,
    recordedBy,
    recordedAt: ctx.now,
  });
  await recordAudit(tx, ctx, {
    action: 'outcomes.measure.recorded',
    recordType: 'outcome_response',
    recordIds: [id],
    organisationId: episode.organisationId,
    detail: {
      referralId: episode.id,
      instrument: instrument.code,
      timepoint: body.timepoint,
      status: scored.status,
    },
  });
  return id;
}

/** An amendment: a new version with the corrected answers, the original kept and marked replaced. */
export async function amendMeasure(
  tx: Db,
  actor: Actor,
  responseId: string,
  body: z.infer<typeof amendBody>,
): Promise<MeasureRecord> {
  assertRole(actor, 'link_worker', 'lead_link_worker');
  const [original] = await tx
    .select()
    .from(outcomeResponses)
    .where(
      and(
        eq(outcomeResponses.id, responseId),
        eq(outcomeResponses.organisationId, actor.actingOrganisationId ?? ''),
      ),
    )
    .for('update');
  if (!original) throw new NotFoundError('There is no such measure in your caseload.');
  await episodeFor(tx, actor, original.referralId);
  if (original.superseded) throw new VersionConflictError('measure');
  const [instrument] = await tx
    .select()
    .from(outcomeInstruments)
    .where(eq(outcomeInstruments.id, original.instrumentId));
  const given = checkAnswers(instrument!.definition, body.answers);
  const { conversions } = await instrumentsHere(tx, actor);
  const scored = scoreResponse(instrument!.definition, given, conversions.get(original.instrumentCode) ?? {});
  const id = newId();
  await tx.update(outcomeResponses).set({ superseded: true }).where(eq(outcomeResponses.id, responseId));
  await tx.insert(outcomeResponses).values({
    ...original,
    id,
    answers: given,
    status: scored.status,
    scores: scored.scores.map((s) => ({ code: s.code, value: s.value, band: s.band })),
    submissionId: newId(),
    amends: responseId,
    superseded: false,
    recordedBy: actor.userId,
    recordedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'outcomes.measure.amended',
    recordType: 'outcome_response',
    recordIds: [responseId, id],
    detail: { reason: body.reason },
  });
  return (await measuresOf(tx, actor, original.referralId, [id]))[0]!;
}

function toRecord(r: typeof outcomeResponses.$inferSelect, title: string, by: string | null): MeasureRecord {
  return {
    id: r.id,
    instrumentCode: r.instrumentCode,
    instrumentTitle: title,
    timepoint: r.timepoint,
    completedOn: r.completedOn,
    completedBy: r.completedBy,
    mode: r.mode,
    status: r.status,
    answers: r.answers,
    scores: r.scores,
    amends: r.amends,
    recordedAt: r.recordedAt.toISOString(),
    recordedBy: by,
  };
}

/** The episode's measures, current versions first by date (amended originals are left out unless asked by id). */
export async function measuresOf(
  tx: Db,
  actor: Actor,
  referralId: string,
  ids?: string[],
): Promise<MeasureRecord[]> {
  await episodeFor(tx, actor, referralId);
  const rows = await tx
    .select({ r: outcomeResponses, title: outcomeInstruments.title, by: users.name })
    .from(outcomeResponses)
    .innerJoin(outcomeInstruments, eq(outcomeInstruments.id, outcomeResponses.instrumentId))
    .leftJoin(users, eq(users.id, outcomeResponses.recordedBy))
    .where(
      and(
        eq(outcomeResponses.referralId, referralId),
        ids ? inArray(outcomeResponses.id, ids) : eq(outcomeResponses.superseded, false),
      ),
    )
    .orderBy(asc(outcomeResponses.completedOn), asc(outcomeResponses.recordedAt));
  if (!ids) {
    await recordAudit(tx, actor, {
      action: 'outcomes.measures.listed',
      recordType: 'outcome_response',
      recordIds: rows.map((r) => r.r.id),
      detail: { referralId },
    });
  }
  return rows.map(({ r, title, by }) => toRecord(r, title, by));
}

/** Every current measure of a person across their episodes in the PCN, oldest first, for their charts. */
export async function personMeasures(tx: Db, actor: Actor, personId: string) {
  await personFor(tx, actor, personId);
  const rows = await tx
    .select({
      r: outcomeResponses,
      title: outcomeInstruments.title,
      by: users.name,
      receivedAt: referrals.receivedAt,
    })
    .from(outcomeResponses)
    .innerJoin(outcomeInstruments, eq(outcomeInstruments.id, outcomeResponses.instrumentId))
    .innerJoin(referrals, eq(referrals.id, outcomeResponses.referralId))
    .leftJoin(users, eq(users.id, outcomeResponses.recordedBy))
    .where(
      and(
        eq(outcomeResponses.personId, personId),
        eq(outcomeResponses.organisationId, actor.actingOrganisationId!),
        eq(outcomeResponses.superseded, false),
      ),
    )
    .orderBy(asc(outcomeResponses.completedOn), asc(outcomeResponses.recordedAt));
  await recordAudit(tx, actor, {
    action: 'outcomes.measures.listed',
    recordType: 'outcome_response',
    recordIds: rows.map((r) => r.r.id),
    detail: { personId },
  });
  return {
    items: rows.map(({ r, title, by, receivedAt }) => ({
      ...toRecord(r, title, by),
      referralId: r.referralId,
      referralReceivedOn: londonDate(receivedAt),
    })),
  };
}
