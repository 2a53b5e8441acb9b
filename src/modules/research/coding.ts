import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import type {
  codeInput,
  codeUpdate,
  codingInput,
  disagreementResolution,
  memoInput,
  redactionsBody,
  sourceUploadQuery,
} from './contract.ts';
import {
  researchCases,
  researchCodes,
  researchCodings,
  researchCollections,
  researchMemos,
  researchParticipantContacts,
  researchParticipants,
  researchSites,
  researchSources,
} from './schema.ts';
import { type Need, studyFor, studyOfRecord } from './service.ts';
import { findIdentifiers } from './sources/identifiers.ts';
import { normaliseSource } from './sources/normalise-source.ts';
import { codePointLength } from './sources/offsets.ts';
import { applyRedactions } from './sources/redactions.ts';

/*
 * Sources (transcripts and documents), the codebook, codings and memos (issue 7). A source is uploaded, its likely
 * identifiers are highlighted, a researcher accepts redactions, and only then is it coded. Positions everywhere are
 * Unicode code point offsets into the source's text, [start, end).
 *
 * Blind parallel coding: while the study's blindCoding is on, coders and researchers see only their own codings;
 * leads see everyone's (they compare them).
 */

type Source = typeof researchSources.$inferSelect;

async function sourceFor(tx: Db, actor: Actor, sourceId: string, need: Need) {
  assertRole(actor, 'researcher');
  const [source] = await tx.select().from(researchSources).where(eq(researchSources.id, sourceId));
  const { record, ...access } = await studyOfRecord(tx, actor, source, need, 'source');
  return { source: record, ...access };
}

/** Coding needs more than reading: coders, researchers and leads code; read-only members do not. */
async function sourceForCoding(tx: Db, actor: Actor, sourceId: string) {
  const found = await sourceFor(tx, actor, sourceId, 'read');
  if (found.role === 'read_only') {
    throw new ForbiddenError('Read-only members of a study do not code.');
  }
  return found;
}

function sourceSummary(s: Source) {
  return {
    id: s.id,
    studyId: s.studyId,
    name: s.name,
    kind: s.kind,
    fileName: s.fileName,
    participantId: s.participantId,
    caseId: s.caseId,
    collectionId: s.collectionId,
    workPackage: s.workPackage,
    length: s.length,
    status: s.status,
    uploadedAt: s.uploadedAt.toISOString(),
    deidentifiedAt: s.deidentifiedAt?.toISOString() ?? null,
    redactionCount: s.redactions.length,
    unredactedKept: s.unredactedText !== null && s.status === 'ready',
    warnings: s.warnings,
    version: s.version,
  };
}

export async function uploadSource(
  tx: Db,
  actor: Actor,
  studyId: string,
  query: z.infer<typeof sourceUploadQuery>,
  bytes: Uint8Array,
  mediaType: string | undefined,
) {
  const { study } = await studyFor(tx, actor, studyId, 'transcribe');
  let participantId = query.participantId ?? null;
  let caseId: string | null = null;
  let workPackage: 'WP1' | 'WP2' | null = null;
  if (query.collectionId) {
    const [c] = await tx
      .select()
      .from(researchCollections)
      .where(and(eq(researchCollections.id, query.collectionId), eq(researchCollections.studyId, studyId)));
    if (!c) throw new ValidationError('Choose an interview of this study', { field: 'collectionId' });
    if (participantId && c.participantId && participantId !== c.participantId) {
      throw new ValidationError('That interview was with someone else', { field: 'participantId' });
    }
    participantId = participantId ?? c.participantId;
    caseId = c.caseId;
    workPackage = c.workPackage;
  }
  if (participantId) {
    const [p] = await tx
      .select()
      .from(researchParticipants)
      .where(and(eq(researchParticipants.id, participantId), eq(researchParticipants.studyId, studyId)));
    if (!p) throw new ValidationError('Choose a participant of this study', { field: 'participantId' });
    if (p.withdrawnOn) {
      throw new ConflictError(`${p.studyCode} withdrew on ${p.withdrawnOn}: add no more of their data.`);
    }
    caseId = caseId ?? p.caseId;
  }
  const normalised = normaliseSource({ fileName: query.fileName, bytes, mediaType });
  const id = newId();
  await tx.insert(researchSources).values({
    id,
    organisationId: study.organisationId,
    studyId,
    name: query.name || query.fileName.replace(/\.[^.]+$/, ''),
    kind: normalised.kind,
    fileName: query.fileName,
    participantId,
    caseId,
    collectionId: query.collectionId ?? null,
    workPackage,
    text: normalised.text,
    turns: normalised.turns,
    length: codePointLength(normalised.text),
    status: 'awaiting_deidentification',
    unredactedText: null,
    redactions: [],
    warnings: normalised.warnings,
    uploadedBy: actor.userId,
    uploadedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'research.source.uploaded',
    recordType: 'research_source',
    recordIds: [id],
    detail: { studyId, kind: normalised.kind, bytes: bytes.length, turns: normalised.turns.length },
  });
  return getSource(tx, actor, id, { audit: false });
}

export async function listSources(tx: Db, actor: Actor, studyId: string) {
  await studyFor(tx, actor, studyId, 'read');
  const rows = await tx
    .select({
      s: researchSources,
      participantCode: researchParticipants.studyCode,
      caseLabel: researchCases.label,
    })
    .from(researchSources)
    .leftJoin(researchParticipants, eq(researchParticipants.id, researchSources.participantId))
    .leftJoin(researchCases, eq(researchCases.id, researchSources.caseId))
    .where(eq(researchSources.studyId, studyId))
    .orderBy(asc(researchSources.name));
  return rows.map((r) => ({
    ...sourceSummary(r.s),
    participantCode: r.participantCode,
    caseLabel: r.caseLabel,
  }));
}

/** Names of people and places the source may mention, to find in its text: never shown, only matched. */
async function identifierHints(tx: Db, source: Source) {
  const names: string[] = [];
  const places: string[] = [];
  const organisations: string[] = [];
  if (source.participantId) {
    const [contact] = await tx
      .select({ name: researchParticipantContacts.name })
      .from(researchParticipantContacts)
      .where(eq(researchParticipantContacts.participantId, source.participantId));
    if (contact?.name) names.push(contact.name, ...contact.name.split(/\s+/).filter((w) => w.length > 2));
  }
  const sites = await tx
    .select({ name: researchSites.name })
    .from(researchSites)
    .where(eq(researchSites.studyId, source.studyId));
  places.push(...sites.map((s) => s.name));
  const linked = rowsOf<{ name: string; org: string | null }>(
    await tx.execute(sql`
      select u.name, o.name as org from research_cases c
      left join users u on u.id = c.link_worker_id
      left join organisations o on o.id = c.link_worker_organisation_id
      where c.study_id = ${source.studyId}`),
  );
  for (const l of linked) {
    if (l.name) names.push(l.name);
    if (l.org) organisations.push(l.org);
  }
  return { names, places, organisations };
}

export async function getSource(tx: Db, actor: Actor, sourceId: string, opts: { audit?: boolean } = {}) {
  const { source, role, study } = await sourceFor(tx, actor, sourceId, 'read');
  const seeAll = role === 'lead' || !study.blindCoding;
  const codings = await tx
    .select()
    .from(researchCodings)
    .where(
      and(
        eq(researchCodings.sourceId, sourceId),
        seeAll ? undefined : eq(researchCodings.coderId, actor.userId),
      ),
    )
    .orderBy(researchCodings.startOffset, researchCodings.endOffset);
  const candidates =
    source.status === 'awaiting_deidentification' && role !== 'coder' && role !== 'read_only'
      ? findIdentifiers(source.text, await identifierHints(tx, source))
      : [];
  if (opts.audit !== false) {
    await recordAudit(tx, actor, {
      action: 'research.source.read',
      recordType: 'research_source',
      recordIds: [sourceId],
    });
  }
  // Coders work on de-identified text only.
  const hidden = source.status !== 'ready' && (role === 'coder' || role === 'read_only');
  return {
    ...sourceSummary(source),
    text: hidden ? null : source.text,
    turns: hidden ? [] : source.turns,
    candidates,
    codingsShown: seeAll ? ('all' as const) : ('own' as const),
    codings: codings.map((c) => ({
      id: c.id,
      codeId: c.codeId,
      coderId: c.coderId,
      start: c.startOffset,
      end: c.endOffset,
    })),
  };
}

/**
 * Accepts the redactions a researcher chose: the text, its turns and any codings move to the redacted text; the
 * text as uploaded is kept only when the study allows it. The audit says how many, of what length, never what.
 */
export async function deidentifySource(
  tx: Db,
  actor: Actor,
  sourceId: string,
  body: z.infer<typeof redactionsBody>,
) {
  const { source, study } = await sourceFor(tx, actor, sourceId, 'write');
  if (source.version !== body.version) throw new VersionConflictError('source', source.version);
  if (source.status === 'ready' && body.redactions.length === 0) {
    throw new ValidationError('Choose at least one more redaction, or leave the source as it is', {
      field: 'redactions',
    });
  }
  const result = applyRedactions(source.text, source.turns, body.redactions);
  // Codings made before (a source redacted again) move with the text.
  const codings = await tx.select().from(researchCodings).where(eq(researchCodings.sourceId, sourceId));
  for (const c of codings) {
    const start = result.map.toNew(c.startOffset, 'start');
    const end = Math.max(result.map.toNew(c.endOffset, 'end'), start + 1);
    if (start !== c.startOffset || end !== c.endOffset) {
      await tx
        .update(researchCodings)
        .set({ startOffset: start, endOffset: end })
        .where(eq(researchCodings.id, c.id));
    }
  }
  const firstTime = source.status === 'awaiting_deidentification';
  await tx
    .update(researchSources)
    .set({
      text: result.text,
      turns: result.turns,
      length: codePointLength(result.text),
      status: 'ready',
      unredactedText: study.keepUnredactedText ? (source.unredactedText ?? source.text) : null,
      redactions: [...(firstTime ? [] : source.redactions), ...body.redactions],
      deidentifiedBy: actor.userId,
      deidentifiedAt: actor.now,
      version: sql`${researchSources.version} + 1`,
    })
    .where(eq(researchSources.id, sourceId));
  await recordAudit(tx, actor, {
    action: 'research.source.deidentified',
    recordType: 'research_source',
    recordIds: [sourceId],
    detail: {
      redactions: body.redactions.length,
      replacements: [...new Set(body.redactions.map((r) => r.replacement))],
      unredactedKept: study.keepUnredactedText,
      codingsMoved: codings.length,
    },
  });
  return getSource(tx, actor, sourceId, { audit: false });
}

// ---------------------------------------------------------------------------------------------------------------
// Codebook

type Code = typeof researchCodes.$inferSelect;

function codeView(c: Code, counts?: Map<string, number>) {
  return {
    id: c.id,
    parentId: c.parentId,
    name: c.name,
    definition: c.definition,
    whenToUse: c.whenToUse,
    whenNotToUse: c.whenNotToUse,
    colour: c.colour,
    version: c.version,
    codings: counts?.get(c.id) ?? 0,
  };
}

export async function listCodes(tx: Db, actor: Actor, studyId: string) {
  const { role, study } = await studyFor(tx, actor, studyId, 'read');
  const codes = await tx
    .select()
    .from(researchCodes)
    .where(eq(researchCodes.studyId, studyId))
    .orderBy(researchCodes.name);
  const seeAll = role === 'lead' || !study.blindCoding;
  const counts = rowsOf<{ code_id: string; n: number }>(
    await tx.execute(sql`select code_id, count(*)::int as n from research_codings
      where study_id = ${studyId} ${seeAll ? sql`` : sql`and coder_id = ${actor.userId}`} group by code_id`),
  );
  return codes.map((c) => codeView(c, new Map(counts.map((x) => [x.code_id, x.n]))));
}

async function codeIn(tx: Db, studyId: string, codeId: string, field: string) {
  const [code] = await tx
    .select()
    .from(researchCodes)
    .where(and(eq(researchCodes.id, codeId), eq(researchCodes.studyId, studyId)));
  if (!code) throw new ValidationError('Choose a code from this study’s codebook', { field });
  return code;
}

async function assertNameFree(
  tx: Db,
  studyId: string,
  parentId: string | null,
  name: string,
  except?: string,
) {
  const siblings = await tx
    .select({ id: researchCodes.id, name: researchCodes.name })
    .from(researchCodes)
    .where(
      and(
        eq(researchCodes.studyId, studyId),
        parentId ? eq(researchCodes.parentId, parentId) : sql`${researchCodes.parentId} is null`,
      ),
    );
  if (siblings.some((s) => s.id !== except && s.name.toLowerCase() === name.toLowerCase())) {
    throw new ValidationError(`There is already a code called ${name} here`, { field: 'name' });
  }
}

export async function createCode(tx: Db, actor: Actor, studyId: string, input: z.infer<typeof codeInput>) {
  const { study } = await studyFor(tx, actor, studyId, 'write');
  if (input.parentId) await codeIn(tx, studyId, input.parentId, 'parentId');
  await assertNameFree(tx, studyId, input.parentId, input.name);
  const id = newId();
  await tx.insert(researchCodes).values({
    id,
    organisationId: study.organisationId,
    studyId,
    ...input,
    createdBy: actor.userId,
    createdAt: actor.now,
    updatedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'research.code.created',
    recordType: 'research_code',
    recordIds: [id],
  });
  return codeView((await tx.select().from(researchCodes).where(eq(researchCodes.id, id)))[0]!);
}

/** Renames, redefines or moves a code (not under itself or its own descendants). */
export async function updateCode(tx: Db, actor: Actor, codeId: string, input: z.infer<typeof codeUpdate>) {
  assertRole(actor, 'researcher');
  const [found] = await tx.select().from(researchCodes).where(eq(researchCodes.id, codeId));
  const { record: code } = await studyOfRecord(tx, actor, found, 'write', 'code');
  if (input.parentId) {
    await codeIn(tx, code.studyId, input.parentId, 'parentId');
    const below = rowsOf<{ id: string }>(
      await tx.execute(sql`
        with recursive down(id) as (
          select ${codeId}::uuid
          union all select c.id from research_codes c join down on c.parent_id = down.id)
        select id from down`),
    );
    if (below.some((b) => b.id === input.parentId)) {
      throw new ValidationError('A code cannot go under itself or one of its own codes', {
        field: 'parentId',
      });
    }
  }
  await assertNameFree(tx, code.studyId, input.parentId, input.name, codeId);
  const { version, ...rest } = input;
  const updated = await tx
    .update(researchCodes)
    .set({ ...rest, updatedAt: actor.now, version: sql`${researchCodes.version} + 1` })
    .where(and(eq(researchCodes.id, codeId), eq(researchCodes.version, version)))
    .returning();
  if (updated.length === 0) throw new VersionConflictError('code', code.version);
  await recordAudit(tx, actor, {
    action: 'research.code.updated',
    recordType: 'research_code',
    recordIds: [codeId],
    detail: { moved: code.parentId !== input.parentId },
  });
  return codeView(updated[0]!);
}

/**
 * Merges a code into another: its codings, memos and child codes move to the other, and it goes. A coder's
 * codings of the two that overlap become one span.
 */
export async function mergeCode(tx: Db, actor: Actor, codeId: string, intoId: string) {
  assertRole(actor, 'researcher');
  const [found] = await tx.select().from(researchCodes).where(eq(researchCodes.id, codeId));
  const { record: code } = await studyOfRecord(tx, actor, found, 'write', 'code');
  if (intoId === codeId) throw new ValidationError('Choose another code to merge into', { field: 'intoId' });
  const into = await codeIn(tx, code.studyId, intoId, 'intoId');
  const below = rowsOf<{ id: string }>(
    await tx.execute(sql`
      with recursive down(id) as (
        select ${codeId}::uuid
        union all select c.id from research_codes c join down on c.parent_id = down.id)
      select id from down`),
  );
  if (below.some((b) => b.id === intoId)) {
    throw new ValidationError('Merge a code into one outside its own branch', { field: 'intoId' });
  }
  const moved = await tx
    .update(researchCodings)
    .set({ codeId: intoId })
    .where(eq(researchCodings.codeId, codeId))
    .returning({ id: researchCodings.id });
  // Overlapping or touching spans of one coder under the merged code become one.
  await tx.execute(sql`
    with spans as (
      select id, source_id, coder_id, start_offset, end_offset,
        max(end_offset) over (partition by source_id, coder_id order by start_offset, end_offset
          rows between unbounded preceding and 1 preceding) as reach
      from research_codings where code_id = ${intoId}
    ),
    grouped as (
      select *, sum(case when reach is null or start_offset > reach then 1 else 0 end)
        over (partition by source_id, coder_id order by start_offset, end_offset) as grp
      from spans
    ),
    merged as (
      select source_id, coder_id, grp, min(id::text)::uuid as keep, min(start_offset) as s, max(end_offset) as e,
        count(*) as n
      from grouped group by source_id, coder_id, grp
    ),
    widened as (
      update research_codings c set start_offset = m.s, end_offset = m.e
      from merged m where c.id = m.keep and m.n > 1
      returning c.id
    )
    delete from research_codings c using grouped g, merged m
    where c.id = g.id and g.source_id = m.source_id and g.coder_id = m.coder_id and g.grp = m.grp
      and m.n > 1 and c.id <> m.keep`);
  await tx.update(researchCodes).set({ parentId: intoId }).where(eq(researchCodes.parentId, codeId));
  await tx
    .update(researchMemos)
    .set({ targetId: intoId })
    .where(and(eq(researchMemos.targetType, 'code'), eq(researchMemos.targetId, codeId)));
  await tx.delete(researchCodes).where(eq(researchCodes.id, codeId));
  await recordAudit(tx, actor, {
    action: 'research.code.merged',
    recordType: 'research_code',
    recordIds: [codeId, intoId],
    detail: { codingsMoved: moved.length, into: into.name },
  });
  return listCodes(tx, actor, code.studyId);
}

// ---------------------------------------------------------------------------------------------------------------
// Codings

/**
 * Applies one or more codes to a span of a de-identified source. Codings overlap freely across codes and coders;
 * the same coder's coding of the same code that overlaps an existing one is refused with where it is.
 */
export async function codeSpan(tx: Db, actor: Actor, sourceId: string, input: z.infer<typeof codingInput>) {
  const { source, study } = await sourceForCoding(tx, actor, sourceId);
  if (source.status !== 'ready') {
    throw new ConflictError('De-identify this source (accept its redactions) before coding it.');
  }
  if (input.end <= input.start || input.end > source.length) {
    throw new ValidationError(
      `Choose text within the source: positions 0 to ${source.length}, the end after the start (you gave ${input.start}–${input.end}).`,
      { field: 'end' },
    );
  }
  const codeIds = [...new Set(input.codeIds)];
  const codes = await tx
    .select({ id: researchCodes.id, name: researchCodes.name })
    .from(researchCodes)
    .where(and(eq(researchCodes.studyId, source.studyId), inArray(researchCodes.id, codeIds)));
  if (codes.length !== codeIds.length) {
    throw new ValidationError('Choose codes from this study’s codebook', { field: 'codeIds' });
  }
  const clashes = await tx
    .select()
    .from(researchCodings)
    .where(
      and(
        eq(researchCodings.sourceId, sourceId),
        eq(researchCodings.coderId, actor.userId),
        inArray(researchCodings.codeId, codeIds),
        sql`${researchCodings.startOffset} < ${input.end} and ${researchCodings.endOffset} > ${input.start}`,
      ),
    );
  if (clashes.length) {
    const c = clashes[0]!;
    const name = codes.find((x) => x.id === c.codeId)?.name ?? 'this code';
    throw new ConflictError(
      `You already coded ${c.startOffset}–${c.endOffset} of this source as ${name}, which overlaps ${input.start}–${input.end}. Remove or change that coding first.`,
    );
  }
  const rows = codeIds.map((codeId) => ({
    id: newId(),
    organisationId: study.organisationId,
    studyId: source.studyId,
    sourceId,
    codeId,
    coderId: actor.userId,
    startOffset: input.start,
    endOffset: input.end,
    createdAt: actor.now,
  }));
  await tx.insert(researchCodings).values(rows);
  await recordAudit(tx, actor, {
    action: 'research.coding.added',
    recordType: 'research_source',
    recordIds: [sourceId],
    detail: { codings: rows.length },
  });
  return rows.map((r) => ({
    id: r.id,
    codeId: r.codeId,
    coderId: r.coderId,
    start: r.startOffset,
    end: r.endOffset,
  }));
}

export async function removeCoding(tx: Db, actor: Actor, codingId: string) {
  assertRole(actor, 'researcher');
  const [coding] = await tx.select().from(researchCodings).where(eq(researchCodings.id, codingId));
  if (!coding) throw new NotFoundError('There is no coding with this id in a study you are on.');
  const { role } = await sourceForCoding(tx, actor, coding.sourceId);
  if (coding.coderId !== actor.userId && role !== 'lead') {
    throw new NotFoundError('There is no coding with this id in a study you are on.');
  }
  await tx.delete(researchCodings).where(eq(researchCodings.id, codingId));
  await tx
    .delete(researchMemos)
    .where(and(eq(researchMemos.targetType, 'coding'), eq(researchMemos.targetId, codingId)));
  await recordAudit(tx, actor, {
    action: 'research.coding.removed',
    recordType: 'research_source',
    recordIds: [coding.sourceId],
  });
}

/**
 * A lead settles one disagreement the agreement report lists: either both coders code the stretch (the coder who
 * had not gets codings over the parts of it they had not coded) or neither does (the coder who had has their codings
 * of that code cut back out of it: removed where wholly inside, shortened or split where they reach beyond). The
 * codings stay the coders' own; the audit trail says which lead decided. A stretch already settled is a 409, so two
 * leads working through the same list do not undo each other.
 */
export async function resolveDisagreement(
  tx: Db,
  actor: Actor,
  studyId: string,
  input: z.infer<typeof disagreementResolution>,
) {
  const { study } = await studyFor(tx, actor, studyId, 'lead');
  const [source] = await tx
    .select({ id: researchSources.id, length: researchSources.length, status: researchSources.status })
    .from(researchSources)
    .where(and(eq(researchSources.id, input.sourceId), eq(researchSources.studyId, studyId)));
  if (!source) throw new ValidationError('Choose a source of this study', { field: 'sourceId' });
  if (input.end <= input.start || input.end > source.length) {
    throw new ValidationError(
      `Choose text within the source: positions 0 to ${source.length}, the end after the start (you gave ${input.start}–${input.end}).`,
      { field: 'end' },
    );
  }
  const [code] = await tx
    .select({ id: researchCodes.id })
    .from(researchCodes)
    .where(and(eq(researchCodes.id, input.codeId), eq(researchCodes.studyId, studyId)));
  if (!code) throw new ValidationError('Choose a code from this study’s codebook', { field: 'codeId' });
  const members = rowsOf<{ user_id: string }>(
    await tx.execute(sql`select user_id from research_study_members
      where study_id = ${studyId} and user_id in (${input.codedBy}, ${input.notCodedBy})`),
  );
  for (const field of ['codedBy', 'notCodedBy'] as const) {
    if (!members.some((m) => m.user_id === input[field]))
      throw new ValidationError('Choose a coder on the study’s team', { field });
  }
  const codingsOf = async (coderId: string) =>
    tx
      .select()
      .from(researchCodings)
      .where(
        and(
          eq(researchCodings.sourceId, input.sourceId),
          eq(researchCodings.codeId, input.codeId),
          eq(researchCodings.coderId, coderId),
          sql`${researchCodings.startOffset} < ${input.end} and ${researchCodings.endOffset} > ${input.start}`,
        ),
      )
      .orderBy(asc(researchCodings.startOffset));

  let changed = 0;
  if (input.decision === 'code_both') {
    // The parts of the stretch the second coder has not coded, filled in as their codings.
    const gaps: { start: number; end: number }[] = [];
    let at = input.start;
    for (const c of await codingsOf(input.notCodedBy)) {
      if (c.startOffset > at) gaps.push({ start: at, end: c.startOffset });
      at = Math.max(at, c.endOffset);
    }
    if (at < input.end) gaps.push({ start: at, end: input.end });
    if (gaps.length) {
      await tx.insert(researchCodings).values(
        gaps.map((g) => ({
          id: newId(),
          organisationId: study.organisationId,
          studyId,
          sourceId: input.sourceId,
          codeId: input.codeId,
          coderId: input.notCodedBy,
          startOffset: g.start,
          endOffset: g.end,
          createdAt: actor.now,
        })),
      );
    }
    changed = gaps.length;
  } else {
    for (const c of await codingsOf(input.codedBy)) {
      const left = c.startOffset < input.start ? { start: c.startOffset, end: input.start } : null;
      const right = c.endOffset > input.end ? { start: input.end, end: c.endOffset } : null;
      const keep = left ?? right;
      if (!keep) {
        await tx.delete(researchCodings).where(eq(researchCodings.id, c.id));
        await tx
          .delete(researchMemos)
          .where(and(eq(researchMemos.targetType, 'coding'), eq(researchMemos.targetId, c.id)));
      } else {
        await tx
          .update(researchCodings)
          .set({ startOffset: keep.start, endOffset: keep.end })
          .where(eq(researchCodings.id, c.id));
        if (left && right) {
          await tx.insert(researchCodings).values({
            ...c,
            id: newId(),
            startOffset: right.start,
            endOffset: right.end,
            createdAt: actor.now,
          });
        }
      }
      changed += 1;
    }
  }
  if (changed === 0) {
    throw new ConflictError(
      'This disagreement has already been settled: compare the coders again to see what is left.',
    );
  }
  await recordAudit(tx, actor, {
    action: 'research.disagreement.resolved',
    recordType: 'research_source',
    recordIds: [input.sourceId],
    detail: { decision: input.decision, codingsChanged: changed },
  });
  return { decision: input.decision, codingsChanged: changed };
}

// ---------------------------------------------------------------------------------------------------------------
// Memos

export async function addMemo(tx: Db, actor: Actor, studyId: string, input: z.infer<typeof memoInput>) {
  const { study } = await studyFor(tx, actor, studyId, 'read');
  const targetId = input.targetType === 'study' ? studyId : input.targetId;
  if (!targetId) throw new ValidationError('Choose what the memo is about', { field: 'targetId' });
  const table = {
    study: null,
    case: sql`research_cases`,
    source: sql`research_sources`,
    code: sql`research_codes`,
    coding: sql`research_codings`,
  }[input.targetType];
  if (table) {
    const [found] = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from ${table} where id = ${targetId} and study_id = ${studyId}`),
    );
    if (!found)
      throw new ValidationError(`There is no such ${input.targetType} in this study`, { field: 'targetId' });
  }
  const id = newId();
  await tx.insert(researchMemos).values({
    id,
    organisationId: study.organisationId,
    studyId,
    targetType: input.targetType,
    targetId,
    text: input.text,
    authorId: actor.userId,
    createdAt: actor.now,
    updatedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'research.memo.added',
    recordType: 'research_memo',
    recordIds: [id],
  });
  return { id, targetType: input.targetType, targetId, text: input.text, authorId: actor.userId };
}

export async function listMemos(
  tx: Db,
  actor: Actor,
  studyId: string,
  target: { targetType?: string; targetId?: string },
) {
  await studyFor(tx, actor, studyId, 'read');
  const rows = rowsOf<{
    id: string;
    target_type: string;
    target_id: string;
    text: string;
    author_id: string;
    author_name: string;
    created_at: string;
  }>(
    await tx.execute(sql`
      select m.id, m.target_type, m.target_id, m.text, m.author_id, u.name as author_name, m.created_at::text
      from research_memos m join users u on u.id = m.author_id
      where m.study_id = ${studyId}
        ${target.targetType ? sql`and m.target_type = ${target.targetType}` : sql``}
        ${target.targetId ? sql`and m.target_id = ${target.targetId}` : sql``}
      order by m.created_at`),
  );
  return rows.map((r) => ({
    id: r.id,
    targetType: r.target_type,
    targetId: r.target_id,
    text: r.text,
    authorId: r.author_id,
    authorName: r.author_name,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
