import { and, desc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole, type RequestContext } from '../../platform/actor.ts';
import { ConflictError, UnsupportedMediaTypeError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { addMonths, londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { recordingMediaTypes, type recordingUploadQuery } from './contract.ts';
import { researchCollections, researchConsents, researchParticipants, researchRecordings } from './schema.ts';
import { studyFor, studyOfRecord } from './service.ts';

/*
 * Audio recordings of interviews (issue 7): uploaded only where the participant agreed to recording, seen only by
 * the study's leads and transcribers, deleted — the audio itself; the record that it existed stays — on the date
 * the study's retention rule sets (its end plus its retention months), on withdrawal, or by a lead. Every upload,
 * play and deletion is audited.
 */

export const MAX_RECORDING_BYTES = 200 * 1024 * 1024;

type Recording = typeof researchRecordings.$inferSelect;

function recordingView(r: Recording, participantCode: string | null) {
  return {
    id: r.id,
    participantId: r.participantId,
    participantCode,
    collectionId: r.collectionId,
    fileName: r.fileName,
    mediaType: r.mediaType,
    sizeBytes: r.sizeBytes,
    deleteOn: r.deleteOn,
    uploadedAt: r.uploadedAt.toISOString(),
    deletedAt: r.deletedAt?.toISOString() ?? null,
    deletedReason: r.deletedReason,
  };
}

export async function uploadRecording(
  tx: Db,
  actor: Actor,
  studyId: string,
  query: z.infer<typeof recordingUploadQuery>,
  bytes: Uint8Array,
  mediaType: string | undefined,
) {
  const { study } = await studyFor(tx, actor, studyId, 'recordings');
  if (!mediaType || !(recordingMediaTypes as readonly string[]).includes(mediaType)) {
    throw new UnsupportedMediaTypeError(
      `Send the recording as audio (${recordingMediaTypes.join(', ')}); ${mediaType ?? 'no type'} is not one of them.`,
    );
  }
  if (bytes.length === 0)
    throw new ValidationError(`${query.fileName} is empty (0 bytes)`, { field: 'file' });
  const [p] = await tx
    .select()
    .from(researchParticipants)
    .where(and(eq(researchParticipants.id, query.participantId), eq(researchParticipants.studyId, studyId)));
  if (!p) throw new ValidationError('Choose a participant of this study', { field: 'participantId' });
  if (p.withdrawnOn)
    throw new ConflictError(`${p.studyCode} withdrew on ${p.withdrawnOn}: keep no recording of them.`);
  const [consent] = await tx
    .select()
    .from(researchConsents)
    .where(eq(researchConsents.participantId, p.id))
    .orderBy(desc(researchConsents.consentedOn), desc(researchConsents.recordedAt), desc(researchConsents.id))
    .limit(1);
  if (!consent?.audioRecording) {
    throw new ConflictError(
      `${p.studyCode} has not agreed to audio recording on their latest consent form: the recording cannot be kept.`,
    );
  }
  if (query.collectionId) {
    const [c] = await tx
      .select({ participantId: researchCollections.participantId })
      .from(researchCollections)
      .where(and(eq(researchCollections.id, query.collectionId), eq(researchCollections.studyId, studyId)));
    if (!c || c.participantId !== p.id) {
      throw new ValidationError('Choose an interview with this participant', { field: 'collectionId' });
    }
  }
  const id = newId();
  const deleteOn = addMonths(study.endsOn, study.audioRetentionMonths);
  await tx.insert(researchRecordings).values({
    id,
    organisationId: study.organisationId,
    studyId,
    participantId: p.id,
    collectionId: query.collectionId ?? null,
    fileName: query.fileName,
    mediaType,
    sizeBytes: bytes.length,
    content: bytes,
    deleteOn,
    uploadedBy: actor.userId,
    uploadedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'research.recording.uploaded',
    recordType: 'research_recording',
    recordIds: [id],
    detail: { studyId, participantId: p.id, sizeBytes: bytes.length, deleteOn },
  });
  const [row] = await tx.select().from(researchRecordings).where(eq(researchRecordings.id, id));
  return recordingView(row!, p.studyCode);
}

export async function listRecordings(tx: Db, actor: Actor, studyId: string) {
  await studyFor(tx, actor, studyId, 'recordings');
  const rows = await tx
    .select({
      id: researchRecordings.id,
      organisationId: researchRecordings.organisationId,
      studyId: researchRecordings.studyId,
      participantId: researchRecordings.participantId,
      collectionId: researchRecordings.collectionId,
      fileName: researchRecordings.fileName,
      mediaType: researchRecordings.mediaType,
      sizeBytes: researchRecordings.sizeBytes,
      deleteOn: researchRecordings.deleteOn,
      uploadedBy: researchRecordings.uploadedBy,
      uploadedAt: researchRecordings.uploadedAt,
      deletedAt: researchRecordings.deletedAt,
      deletedReason: researchRecordings.deletedReason,
      deletedBy: researchRecordings.deletedBy,
      participantCode: researchParticipants.studyCode,
    })
    .from(researchRecordings)
    .innerJoin(researchParticipants, eq(researchParticipants.id, researchRecordings.participantId))
    .where(eq(researchRecordings.studyId, studyId))
    .orderBy(desc(researchRecordings.uploadedAt));
  return rows.map((r) => recordingView({ ...r, content: null }, r.participantCode));
}

async function recordingFor(tx: Db, actor: Actor, id: string) {
  assertRole(actor, 'researcher');
  const [r] = await tx
    .select({ studyId: researchRecordings.studyId })
    .from(researchRecordings)
    .where(eq(researchRecordings.id, id));
  await studyOfRecord(tx, actor, r, 'recordings', 'recording');
}

/** The audio, for a lead or transcriber; each play is audited. */
export async function recordingAudio(tx: Db, actor: Actor, id: string) {
  await recordingFor(tx, actor, id);
  const [r] = await tx.select().from(researchRecordings).where(eq(researchRecordings.id, id));
  if (!r!.content) {
    throw new ConflictError(
      `This recording was deleted on ${londonDate(r!.deletedAt!)} (${r!.deletedReason}).`,
    );
  }
  await recordAudit(tx, actor, {
    action: 'research.recording.played',
    recordType: 'research_recording',
    recordIds: [id],
  });
  return { bytes: r!.content, mediaType: r!.mediaType, fileName: r!.fileName };
}

async function deleteAudio(
  tx: Db,
  ctx: RequestContext,
  where: ReturnType<typeof and>,
  reason: 'retention' | 'withdrawal' | 'by_lead',
) {
  const deleted = await tx
    .update(researchRecordings)
    .set({
      content: null,
      deletedAt: ctx.now,
      deletedReason: reason,
      deletedBy: 'userId' in ctx ? ctx.userId : null,
    })
    .where(and(where, isNotNull(researchRecordings.content)))
    .returning({ id: researchRecordings.id, organisationId: researchRecordings.organisationId });
  if (deleted.length) {
    await recordAudit(tx, ctx, {
      action: 'research.recording.deleted',
      recordType: 'research_recording',
      recordIds: deleted.map((d) => d.id),
      organisationId: [...new Set(deleted.map((d) => d.organisationId))],
      detail: { reason, recordings: deleted.length },
    });
  }
  return deleted.length;
}

export async function deleteRecording(tx: Db, actor: Actor, id: string) {
  await recordingFor(tx, actor, id);
  const [r] = await tx
    .select({ studyId: researchRecordings.studyId })
    .from(researchRecordings)
    .where(eq(researchRecordings.id, id));
  await studyFor(tx, actor, r!.studyId, 'lead');
  const n = await deleteAudio(tx, actor, and(eq(researchRecordings.id, id)), 'by_lead');
  if (n === 0) throw new ConflictError('This recording was already deleted.');
}

/** On withdrawal: every recording of the participant goes. */
export async function deleteRecordingsOfParticipant(tx: Db, actor: Actor, participantId: string) {
  return deleteAudio(tx, actor, and(eq(researchRecordings.participantId, participantId)), 'withdrawal');
}

/** The retention rule: recordings whose date has come are deleted (run by the server, hourly). */
export async function deleteExpiredRecordings(tx: Db, ctx: RequestContext): Promise<number> {
  return deleteAudio(
    tx,
    ctx,
    and(lte(researchRecordings.deleteOn, sql`${londonDate(ctx.now)}::date`)),
    'retention',
  );
}

/** Runs the retention rule at start and then hourly, as the system; a failure is logged and tried next hour. */
export function startRecordingRetention(
  db: Db,
  clock: { now(): Date },
  logger: { info(o: object, m: string): void; error(o: object, m: string): void },
  intervalMs = 3_600_000,
): { stop(): void } {
  const run = async () => {
    try {
      const now = clock.now();
      const n = await inTransaction(db, { system: true, now }, (tx) =>
        deleteExpiredRecordings(tx, { system: true, now }),
      );
      if (n > 0) logger.info({ recordings: n }, 'research recordings deleted on their retention date');
    } catch (err) {
      logger.error({ err }, 'research recording retention failed; it runs again within the hour');
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
