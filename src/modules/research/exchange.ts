import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { type MemoTarget, type WorkPackageCode, workPackageCodes } from './contract.ts';
import type {
  QdaCase,
  QdaCode,
  QdaNote,
  QdaPositionsUnit,
  QdaProject,
  QdaTextSelection,
  QdaTextSource,
  QdaValue,
  QdaVariable,
  QdaVariableValue,
} from './refi-qda/model.ts';
import { readQdpx } from './refi-qda/read-qdpx.ts';
import { writeQdpx } from './refi-qda/write-qdpx.ts';
import {
  researchCases,
  researchCodes,
  researchCodings,
  researchMemos,
  researchParticipants,
  researchSources,
} from './schema.ts';
import { getStudy, studyFor } from './service.ts';
import { codePointLength } from './sources/offsets.ts';
import { findLabelledTurns } from './sources/speaker-turns.ts';

/*
 * A study's coded data as a REFI-QDA project (.qdpx), out and back in (issue 7), so researchers can move between
 * Linkwork and NVivo, ATLAS.ti, MAXQDA or QualCoder. Positions are Unicode code points (see refi-qda/model.ts).
 *
 * Out: the team as users (GUID = user id), the codebook, de-identified text sources with every coder's codings (one
 * PlainTextSelection per coding), memos as notes, and the cases with a few variables. Nothing that identifies a
 * participant leaves: sources awaiting de-identification, the text as uploaded and participants' contact details
 * are never read; participants appear only by study code and role.
 *
 * In: into an existing study, in the caller's one transaction, so a refused file leaves nothing behind.
 */

const ORIGIN = 'Linkwork';
const DEFAULT_COLOUR = '#1D70B8';
const MAX_CODE_NAME = 120;
const INSERT_CHUNK = 1000;

// A code's definition, when to use it and when not, travel as one Description that other tools show as it is.
const WHEN_TO_USE = '\n\nWhen to use: ';
const WHEN_NOT_TO_USE = '\n\nWhen not to use: ';
// Memos on a case: the standard's Case has no NoteRef, so they go as notes with this name and come back by it.
const CASE_MEMO = /^Case memo: (.+)$/s;

/** Variables Linkwork writes (and reads back where it can), by the name other tools show. */
const variableNames = {
  site: 'Site',
  caseStarts: 'Case starts',
  caseEnds: 'Case ends',
  employmentModel: 'Employment model at case start',
  deliveryMode: 'Delivery mode at case start',
  participantRoles: 'Participant roles',
  participant: 'Participant',
  participantRole: 'Participant role',
  workPackage: 'Work package',
} as const;
type VariableKey = keyof typeof variableNames;
const variableTypes: Record<VariableKey, QdaVariable['typeOfVariable']> = {
  site: 'Text',
  caseStarts: 'Date',
  caseEnds: 'Date',
  employmentModel: 'Text',
  deliveryMode: 'Text',
  participantRoles: 'Text',
  participant: 'Text',
  participantRole: 'Text',
  workPackage: 'Text',
};

/**
 * A GUID that is always the same for the same input (the shape of a version 5 UUID, from SHA-256), for the objects
 * Linkwork holds no id for — variables and selections — so exporting the same study twice gives the same GUIDs.
 */
function stableGuid(input: string): string {
  const h = createHash('sha256').update(input).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function codeDescription(c: {
  definition: string | null;
  whenToUse: string | null;
  whenNotToUse: string | null;
}): string | undefined {
  let text = c.definition ?? '';
  if (c.whenToUse) text += `${WHEN_TO_USE}${c.whenToUse}`;
  if (c.whenNotToUse) text += `${WHEN_NOT_TO_USE}${c.whenNotToUse}`;
  return text === '' ? undefined : text;
}

/** The inverse of codeDescription: another tool's description is all definition. */
export function parseCodeDescription(description: string | undefined) {
  let rest = description ?? '';
  let whenNotToUse: string | null = null;
  let whenToUse: string | null = null;
  const not = rest.lastIndexOf(WHEN_NOT_TO_USE);
  if (not >= 0) {
    whenNotToUse = rest.slice(not + WHEN_NOT_TO_USE.length).trim() || null;
    rest = rest.slice(0, not);
  }
  const when = rest.lastIndexOf(WHEN_TO_USE);
  if (when >= 0) {
    whenToUse = rest.slice(when + WHEN_TO_USE.length).trim() || null;
    rest = rest.slice(0, when);
  }
  return { definition: rest.trim() || null, whenToUse, whenNotToUse };
}

/** A file name for the download: the study's title in letters, digits and dashes. */
export function qdpxFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '')
    .toLowerCase();
  return `${slug || 'study'}.qdpx`;
}

// ---------------------------------------------------------------------------------------------------------------
// Export

/** The study as a REFI-QDA project (.qdpx). Leads only: it holds every coder's work. */
export async function exportStudyQdpx(tx: Db, actor: Actor, studyId: string): Promise<Uint8Array> {
  return (await exportStudyQdpxFile(tx, actor, studyId)).bytes;
}

/** exportStudyQdpx with the file name to download it as. */
export async function exportStudyQdpxFile(
  tx: Db,
  actor: Actor,
  studyId: string,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  const { study } = await studyFor(tx, actor, studyId, 'lead');
  const detail = await getStudy(tx, actor, studyId, { audit: false });

  // Only de-identified text, and nothing of anyone who withdrew and asked for their data to be removed.
  const sourceRows = await tx
    .select({
      s: researchSources,
      participantCode: researchParticipants.studyCode,
      participantRole: researchParticipants.role,
    })
    .from(researchSources)
    .leftJoin(researchParticipants, eq(researchParticipants.id, researchSources.participantId))
    .where(
      and(
        eq(researchSources.studyId, studyId),
        eq(researchSources.status, 'ready'),
        sql`${researchParticipants.withdrawalChoice} is distinct from 'remove_data'`,
      ),
    )
    .orderBy(asc(researchSources.name), asc(researchSources.uploadedAt), asc(researchSources.id));
  const sourceIds = sourceRows.map((r) => r.s.id);
  const [codes, codings, memos, participants] = await Promise.all([
    tx
      .select()
      .from(researchCodes)
      .where(eq(researchCodes.studyId, studyId))
      .orderBy(asc(researchCodes.name), asc(researchCodes.id)),
    sourceIds.length
      ? tx
          .select()
          .from(researchCodings)
          .where(and(eq(researchCodings.studyId, studyId), inArray(researchCodings.sourceId, sourceIds)))
          .orderBy(
            asc(researchCodings.startOffset),
            asc(researchCodings.endOffset),
            asc(researchCodings.createdAt),
            asc(researchCodings.id),
          )
      : [],
    tx
      .select()
      .from(researchMemos)
      .where(eq(researchMemos.studyId, studyId))
      .orderBy(asc(researchMemos.createdAt), asc(researchMemos.id)),
    tx
      .select({
        caseId: researchParticipants.caseId,
        role: researchParticipants.role,
        withdrawalChoice: researchParticipants.withdrawalChoice,
      })
      .from(researchParticipants)
      .where(eq(researchParticipants.studyId, studyId)),
  ]);

  // Memos go with what they are about, and only when that is exported.
  const exportedCodings = new Set(codings.map((c) => c.id));
  const exportedSources = new Set(sourceIds);
  const exportedCodes = new Set(codes.map((c) => c.id));
  const caseLabels = new Map(detail.cases.map((c) => [c.id, c.label]));
  const exported: Record<MemoTarget, (id: string) => boolean> = {
    study: () => true,
    case: (id) => caseLabels.has(id),
    source: (id) => exportedSources.has(id),
    code: (id) => exportedCodes.has(id),
    coding: (id) => exportedCodings.has(id),
  };
  const keptMemos = memos.filter((m) => exported[m.targetType](m.targetId));
  const memosOn = (type: MemoTarget, id: string) =>
    keptMemos.filter((m) => m.targetType === type && m.targetId === id).map((m) => m.id);

  // Users: the team, and anyone else whose work is in the file (a coder who has since left the team).
  const userIds = new Set<string>(detail.members.map((m) => m.userId));
  const others = new Set<string>([
    study.createdBy,
    ...sourceRows.map((r) => r.s.uploadedBy),
    ...codings.map((c) => c.coderId),
    ...keptMemos.map((m) => m.authorId),
  ]);
  for (const id of userIds) others.delete(id);
  const otherNames = others.size
    ? rowsOf<{ id: string; name: string }>(
        await tx.execute(
          sql`select id, name from users where id = any(${sql.param([...others])}::uuid[]) order by name, id`,
        ),
      )
    : [];
  const users = [
    ...detail.members.map((m) => ({ guid: m.userId, name: m.name })),
    ...otherNames.map((u) => ({ guid: u.id, name: u.name })),
  ];

  const children = groupBy(codes, (c) => c.parentId);
  const codeTree = (parentId: string | null): QdaCode[] =>
    (children.get(parentId) ?? []).map((c) => {
      const code: QdaCode = {
        guid: c.id,
        name: c.name,
        isCodable: true,
        color: c.colour,
        noteRefs: memosOn('code', c.id),
        children: codeTree(c.id),
      };
      const description = codeDescription(c);
      if (description !== undefined) code.description = description;
      return code;
    });

  const used = new Set<VariableKey>();
  const variableGuid = (key: VariableKey) => stableGuid(`${studyId}:variable:${key}`);
  const value = (key: VariableKey, text: string | null | undefined): QdaVariableValue[] => {
    if (text === null || text === undefined || text === '') return [];
    used.add(key);
    return [{ variableRef: variableGuid(key), value: { type: variableTypes[key], value: text } as QdaValue }];
  };

  const codingsBySource = groupBy(codings, (c) => c.sourceId);
  const sources: QdaTextSource[] = sourceRows.map(({ s, participantCode, participantRole }) => ({
    guid: s.id,
    name: s.name,
    text: s.text,
    creatingUser: s.uploadedBy,
    creationDateTime: s.uploadedAt.toISOString(),
    selections: (codingsBySource.get(s.id) ?? []).map(
      (c): QdaTextSelection => ({
        guid: stableGuid(`${c.id}:selection`),
        startPosition: c.startOffset,
        endPosition: c.endOffset,
        creatingUser: c.coderId,
        creationDateTime: c.createdAt.toISOString(),
        codings: [
          {
            guid: c.id,
            codeRef: c.codeId,
            creatingUser: c.coderId,
            creationDateTime: c.createdAt.toISOString(),
            noteRefs: [],
          },
        ],
        noteRefs: memosOn('coding', c.id),
      }),
    ),
    codings: [],
    variableValues: [
      ...value('participant', participantCode),
      ...value('participantRole', participantRole),
      ...value('workPackage', s.workPackage),
    ],
    noteRefs: memosOn('source', s.id),
  }));

  const siteNames = new Map(detail.sites.map((s) => [s.id, s.name]));
  const cases: QdaCase[] = detail.cases.map((c) => {
    const context = c.contextAtStart as
      | { employmentModel?: string; deliveryMode?: string }
      | null
      | undefined;
    const roles = [
      ...new Set(
        participants
          .filter((p) => p.caseId === c.id && p.withdrawalChoice !== 'remove_data')
          .map((p) => p.role),
      ),
    ].sort();
    const kase: QdaCase = {
      guid: c.id,
      name: c.label,
      codeRefs: [],
      variableValues: [
        ...value('site', siteNames.get(c.siteId)),
        ...value('caseStarts', c.startsOn),
        ...value('caseEnds', c.endsOn),
        ...value('employmentModel', context?.employmentModel),
        ...value('deliveryMode', context?.deliveryMode),
        ...value('participantRoles', roles.join(', ')),
      ],
      sourceRefs: sourceRows.filter((r) => r.s.caseId === c.id).map((r) => r.s.id),
      selectionRefs: [],
    };
    if (c.description) kase.description = c.description;
    return kase;
  });

  const notes: QdaNote[] = keptMemos.map((m) => {
    const note: QdaNote = {
      guid: m.id,
      text: m.text,
      creatingUser: m.authorId,
      creationDateTime: m.createdAt.toISOString(),
    };
    if (m.updatedAt.getTime() !== m.createdAt.getTime()) {
      note.modifyingUser = m.authorId;
      note.modifiedDateTime = m.updatedAt.toISOString();
    }
    if (m.targetType === 'case') note.name = `Case memo: ${caseLabels.get(m.targetId)}`;
    return note;
  });

  const project: QdaProject = {
    name: study.title,
    origin: ORIGIN,
    creatingUserGUID: study.createdBy,
    creationDateTime: study.createdAt.toISOString(),
    modifiedDateTime: actor.now.toISOString(),
    description: study.question,
    users,
    codebook: { codes: codeTree(null) },
    variables: (Object.keys(variableNames) as VariableKey[])
      .filter((key) => used.has(key))
      .map((key) => ({
        guid: variableGuid(key),
        name: variableNames[key],
        typeOfVariable: variableTypes[key],
      })),
    cases,
    sources,
    notes,
    sets: [],
    noteRefs: memosOn('study', studyId),
  };
  const bytes = writeQdpx(project);
  await recordAudit(tx, actor, {
    action: 'research.study.exported',
    recordType: 'study',
    recordIds: [studyId],
    detail: {
      format: 'qdpx',
      sources: sources.length,
      codes: codes.length,
      codings: codings.length,
      memos: notes.length,
      cases: cases.length,
      users: users.length,
      bytes: bytes.length,
    },
  });
  return { fileName: qdpxFileName(study.title), bytes };
}

// ---------------------------------------------------------------------------------------------------------------
// Import

export interface ImportQdpxOptions {
  /** What the file's positions count: code points (Linkwork, QualCoder) or UTF-16 code units. */
  positionsUnit?: QdaPositionsUnit;
  /** Work by people not on the study's team is attributed to the importing lead instead of refusing the file. */
  attributeUnknownTo?: 'me';
}

export interface ImportQdpxSummary {
  codesCreated: number;
  codesMatched: number;
  sources: number;
  codings: number;
  memos: number;
  casesMatched: number;
  warnings: string[];
}

interface CodingDraft {
  id: string;
  sourceId: string;
  codeId: string;
  coderId: string;
  start: number;
  end: number;
  noteGuids: string[];
}

const IMPORTED_WARNING =
  'Imported from a REFI-QDA project and taken as already de-identified: Linkwork did not look for identifiers in it.';

/**
 * Imports a REFI-QDA project (.qdpx) into an existing study. Leads only; all or nothing (a problem throws, and the
 * caller's transaction writes nothing).
 *
 * - Codes match existing ones by name (any case) under the same parent; others are created with their colour and
 *   description.
 * - Coders and memo authors match members of the study's team by exact name. Work by anyone else is refused,
 *   naming them, unless `attributeUnknownTo: 'me'` gives it to the importing lead.
 * - Text sources become de-identified ('ready') sources. Their text is kept exactly as the project has it, since
 *   the selections count into it, except that CR LF and lone CR line endings become LF (as every Linkwork source's
 *   do), with positions moved to match. It is not otherwise normalised (NFC, spaces at line ends): that would move
 *   text under the selections.
 * - A selection of no text is left out, with a warning; a coder's overlapping codings of the same code are joined
 *   into one, as Linkwork keeps them.
 * - Cases match existing cases by label, linking their sources; others are reported, not created (a case needs a
 *   site and a link worker). A source's "Participant" variable links it to the participant with that study code;
 *   a source of a participant who withdrew is left out.
 * - Notes become memos on what refers to them: the study, a code, a source or a coding (a selection's note goes on
 *   its first coding). A note named "Case memo: <label>" goes on that case; any other note nothing refers to goes
 *   on the study.
 */
export async function importStudyQdpx(
  tx: Db,
  actor: Actor,
  studyId: string,
  bytes: Uint8Array,
  options: ImportQdpxOptions = {},
): Promise<ImportQdpxSummary> {
  const { study } = await studyFor(tx, actor, studyId, 'lead');
  const project = readQdpx(bytes, { positionsUnit: options.positionsUnit ?? 'codePoint' });
  const warnings = project.warnings.map((w) => w.message);
  const organisationId = study.organisationId;
  const now = actor.now;

  const [team, existingCodes, cases, participants] = await Promise.all([
    rowsOf<{ user_id: string; name: string }>(
      await tx.execute(sql`select m.user_id, u.name from research_study_members m join users u on u.id = m.user_id
        where m.study_id = ${studyId}`),
    ),
    tx
      .select({ id: researchCodes.id, parentId: researchCodes.parentId, name: researchCodes.name })
      .from(researchCodes)
      .where(eq(researchCodes.studyId, studyId)),
    tx
      .select({ id: researchCases.id, label: researchCases.label })
      .from(researchCases)
      .where(eq(researchCases.studyId, studyId)),
    tx
      .select({
        id: researchParticipants.id,
        studyCode: researchParticipants.studyCode,
        caseId: researchParticipants.caseId,
        withdrawnOn: researchParticipants.withdrawnOn,
      })
      .from(researchParticipants)
      .where(eq(researchParticipants.studyId, studyId)),
  ]);

  // People: every coder and memo author must be on the team (by exact name), or be given to the importer.
  const projectUsers = new Map(project.users.map((u) => [u.guid, u]));
  const coderOf = (selection: QdaTextSelection, coding: { creatingUser?: string }) =>
    coding.creatingUser ?? selection.creatingUser;
  const referenced = new Set<string>();
  for (const source of project.sources) {
    for (const selection of source.selections) {
      for (const coding of selection.codings) {
        const user = coderOf(selection, coding);
        if (user) referenced.add(user);
      }
    }
    for (const coding of source.codings) if (coding.creatingUser) referenced.add(coding.creatingUser);
  }
  for (const note of project.notes) if (note.creatingUser) referenced.add(note.creatingUser);
  const userMap = new Map<string, string>();
  const unknown: string[] = [];
  for (const guid of referenced) {
    const name = projectUsers.get(guid)?.name?.trim();
    const matches = name ? team.filter((m) => m.name === name) : [];
    if (matches.length === 1) userMap.set(guid, matches[0]!.user_id);
    else {
      const label = name ? `“${name}”` : `the user with GUID ${guid} (no name)`;
      unknown.push(
        matches.length > 1 ? `${label} (${matches.length} people on the team have this name)` : label,
      );
    }
  }
  if (unknown.length && options.attributeUnknownTo !== 'me') {
    throw new ValidationError(
      `The project has coding or memos by ${unknown.length === 1 ? 'someone who is' : `${unknown.length} people who are`} not on this study’s team: ${unknown.join(', ')}. Add them to the team under the same name first, or import again attributing their work to you.`,
      unknown.map((u) => ({ field: 'users', message: `${u} is not on the study’s team.` })),
    );
  }
  if (unknown.length) {
    warnings.push(`Coding and memos by ${unknown.join(', ')} are attributed to you.`);
  }
  const personFor = (guid: string | undefined) => (guid ? (userMap.get(guid) ?? actor.userId) : actor.userId);

  // Codes: by name under the same parent, else new.
  const problems: FieldError[] = [];
  const siblingKey = (parentId: string | null, name: string) =>
    `${parentId ?? ''}\u0000${name.toLowerCase()}`;
  const codeIds = new Map(existingCodes.map((c) => [siblingKey(c.parentId, c.name), c.id]));
  const codeMap = new Map<string, string>();
  const newCodes: (typeof researchCodes.$inferInsert)[] = [];
  const created = new Set<string>();
  let codesMatched = 0;
  const addCodes = (codes: readonly QdaCode[], parentId: string | null, path: string) => {
    for (const code of codes) {
      const name = code.name.trim();
      const where = path ? `${path} › ${name}` : name;
      if (!name || name.length > MAX_CODE_NAME) {
        problems.push({
          field: 'Code.name',
          message: name
            ? `Code “${where}” has a name of ${name.length} characters; Linkwork keeps code names to ${MAX_CODE_NAME}. Shorten it in the other tool and export again.`
            : `Code ${code.guid}${path ? ` under “${path}”` : ''} has no name.`,
        });
        continue;
      }
      const key = siblingKey(parentId, name);
      let id = codeIds.get(key);
      if (id) {
        if (!created.has(id)) codesMatched++;
      } else {
        id = newId();
        codeIds.set(key, id);
        created.add(id);
        newCodes.push({
          id,
          organisationId,
          studyId,
          parentId,
          name,
          ...parseCodeDescription(code.description),
          colour: code.color ?? DEFAULT_COLOUR,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        });
      }
      codeMap.set(code.guid, id);
      addCodes(code.children, id, where);
    }
  };
  addCodes(project.codebook.codes, null, '');
  if (problems.length) {
    throw new ValidationError(
      `The .qdpx project cannot be imported: ${problems.length === 1 ? problems[0]!.message : `${problems.length} problems. The first: ${problems[0]!.message}`}`,
      problems,
    );
  }

  // Cases by label; sources they refer to are linked to them.
  const caseByLabel = new Map(cases.map((c) => [c.label, c.id]));
  const caseOfSource = new Map<string, string>();
  const unmatchedCases: string[] = [];
  let casesMatched = 0;
  for (const kase of project.cases) {
    const label = kase.name?.trim() ?? '';
    const id = caseByLabel.get(label);
    if (!id) {
      unmatchedCases.push(label ? `“${label}”` : kase.guid);
      continue;
    }
    casesMatched++;
    for (const sourceGuid of kase.sourceRefs) caseOfSource.set(sourceGuid, id);
  }
  if (unmatchedCases.length) {
    warnings.push(
      `Cases not in this study were left out: ${unmatchedCases.join(', ')}. Add a case with the same label and import again to link their sources.`,
    );
  }

  // Sources, and codings from their selections.
  const variableName = new Map(project.variables.map((v) => [v.guid, v.name]));
  const textValue = (values: readonly QdaVariableValue[], name: string) => {
    const found = values.find((v) => variableName.get(v.variableRef) === name && v.value?.type === 'Text');
    return found?.value?.type === 'Text' ? found.value.value.trim() : undefined;
  };
  const participantByCode = new Map(participants.map((p) => [p.studyCode, p]));
  const sourceMap = new Map<string, string>();
  const newSources: (typeof researchSources.$inferInsert)[] = [];
  const drafts: CodingDraft[] = [];
  const selectionNotes: { noteGuids: string[]; draft: CodingDraft | undefined; sourceId: string }[] = [];
  let emptySelections = 0;
  for (const source of project.sources) {
    const label = source.name ? `“${source.name}”` : source.guid;
    const participantCode = textValue(source.variableValues, variableNames.participant);
    const participant = participantCode ? participantByCode.get(participantCode) : undefined;
    if (participant?.withdrawnOn) {
      warnings.push(
        `Source ${label} was left out: it is from ${participant.studyCode}, who withdrew from the study on ${participant.withdrawnOn}.`,
      );
      continue;
    }
    if (participantCode && !participant) {
      warnings.push(
        `Source ${label} is from participant ${participantCode}, who is not in this study: it was imported without a participant.`,
      );
    }
    if (source.text.length === 0) {
      warnings.push(`Source ${label} has no text, so it was left out.`);
      continue;
    }
    const { text, toNew, changed } = withLfLineEndings(source.text);
    if (changed) {
      warnings.push(
        `Source ${label} had Windows or old Mac line endings (CR): they are LF now, and its selections moved with them.`,
      );
    }
    const id = newId();
    sourceMap.set(source.guid, id);
    const length = codePointLength(text);
    const workPackage = textValue(source.variableValues, variableNames.workPackage);
    const name = source.name?.trim() || `Source ${source.guid}`;
    newSources.push({
      id,
      organisationId,
      studyId,
      name,
      kind: 'text',
      fileName: /\.txt$/i.test(name) ? name : `${name}.txt`,
      participantId: participant?.id ?? null,
      caseId: participant?.caseId ?? caseOfSource.get(source.guid) ?? null,
      collectionId: null,
      workPackage: workPackageCodes.includes(workPackage as WorkPackageCode)
        ? (workPackage as WorkPackageCode)
        : null,
      text,
      turns: findLabelledTurns(text),
      length,
      status: 'ready',
      unredactedText: null,
      redactions: [],
      warnings: [IMPORTED_WARNING],
      uploadedBy: actor.userId,
      uploadedAt: now,
      deidentifiedBy: actor.userId,
      deidentifiedAt: now,
    });
    for (const selection of source.selections) {
      const start = toNew(selection.startPosition);
      const end = toNew(selection.endPosition);
      const made: CodingDraft[] = [];
      if (end > start) {
        for (const coding of selection.codings) {
          made.push({
            id: newId(),
            sourceId: id,
            codeId: codeMap.get(coding.codeRef)!,
            coderId: personFor(coderOf(selection, coding)),
            start,
            end,
            noteGuids: [...coding.noteRefs],
          });
        }
      } else if (selection.codings.length) {
        emptySelections++;
      }
      drafts.push(...made);
      if (selection.noteRefs.length) {
        selectionNotes.push({ noteGuids: selection.noteRefs, draft: made[0], sourceId: id });
      }
    }
    // Codings of the whole source (a few tools write them) cover all its text.
    for (const coding of source.codings) {
      drafts.push({
        id: newId(),
        sourceId: id,
        codeId: codeMap.get(coding.codeRef)!,
        coderId: personFor(coding.creatingUser),
        start: 0,
        end: length,
        noteGuids: [...coding.noteRefs],
      });
    }
  }
  if (emptySelections) {
    warnings.push(
      `${emptySelections} selection${emptySelections === 1 ? '' : 's'} of no text (start and end at the same place) ${emptySelections === 1 ? 'was' : 'were'} left out.`,
    );
  }
  for (const { noteGuids, draft } of selectionNotes) {
    if (draft) draft.noteGuids.push(...noteGuids);
  }
  const { codings, joined, keptId } = joinOverlaps(drafts);
  if (joined) {
    warnings.push(
      `${joined} coding${joined === 1 ? '' : 's'} overlapping another of the same code by the same coder ${joined === 1 ? 'was' : 'were'} joined to it.`,
    );
  }

  // Notes to memos, one per thing that refers to them.
  const targets = new Map<string, Map<string, { type: MemoTarget; id: string }>>();
  const attach = (noteGuid: string, type: MemoTarget, id: string) => {
    const forNote = targets.get(noteGuid) ?? new Map();
    forNote.set(`${type}:${id}`, { type, id });
    targets.set(noteGuid, forNote);
  };
  for (const guid of project.noteRefs) attach(guid, 'study', studyId);
  const walk = (codes: readonly QdaCode[]) => {
    for (const code of codes) {
      const id = codeMap.get(code.guid);
      if (id) for (const guid of code.noteRefs) attach(guid, 'code', id);
      walk(code.children);
    }
  };
  walk(project.codebook.codes);
  for (const source of project.sources) {
    const id = sourceMap.get(source.guid);
    if (id) for (const guid of source.noteRefs) attach(guid, 'source', id);
  }
  for (const draft of drafts) {
    for (const guid of draft.noteGuids) attach(guid, 'coding', keptId.get(draft.id) ?? draft.id);
  }
  // A selection's note with no coding made from it (a selection of no text) stays with its source.
  for (const { noteGuids, draft, sourceId } of selectionNotes) {
    if (!draft) for (const guid of noteGuids) attach(guid, 'source', sourceId);
  }
  const referencedNotes = new Set<string>([
    ...project.noteRefs,
    ...project.sources.flatMap((s) => [
      ...s.noteRefs,
      ...s.codings.flatMap((c) => c.noteRefs),
      ...s.selections.flatMap((sel) => [...sel.noteRefs, ...sel.codings.flatMap((c) => c.noteRefs)]),
    ]),
    ...allCodes(project.codebook.codes).flatMap((c) => c.noteRefs),
  ]);
  const newMemos: (typeof researchMemos.$inferInsert)[] = [];
  let looseNotes = 0;
  let emptyNotes = 0;
  for (const note of project.notes) {
    const caseMemo = note.name ? CASE_MEMO.exec(note.name.trim()) : null;
    const caseId = caseMemo ? caseByLabel.get(caseMemo[1]!.trim()) : undefined;
    if (caseId) attach(note.guid, 'case', caseId);
    else if (!referencedNotes.has(note.guid)) {
      attach(note.guid, 'study', studyId);
      looseNotes++;
    }
    const text = (
      note.name && !caseId
        ? note.text.trim()
          ? `${note.name.trim()}\n\n${note.text}`
          : note.name
        : note.text
    ).trim();
    const where = targets.get(note.guid);
    if (!where) continue;
    if (!text) {
      emptyNotes++;
      continue;
    }
    for (const target of where.values()) {
      newMemos.push({
        id: newId(),
        organisationId,
        studyId,
        targetType: target.type,
        targetId: target.id,
        text,
        authorId: personFor(note.creatingUser),
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  if (looseNotes) {
    warnings.push(
      `${looseNotes} note${looseNotes === 1 ? '' : 's'} that nothing in the project refers to became memos on the study.`,
    );
  }
  if (emptyNotes) {
    warnings.push(`${emptyNotes} empty note${emptyNotes === 1 ? ' was' : 's were'} left out.`);
  }
  if (project.sets.length) {
    warnings.push(
      `${project.sets.length} set${project.sets.length === 1 ? ' was' : 's were'} not imported: Linkwork has no sets.`,
    );
  }
  const ours = new Set<string>(Object.values(variableNames));
  const otherVariables = project.variables.filter((v) => !ours.has(v.name)).map((v) => `“${v.name}”`);
  if (otherVariables.length) {
    warnings.push(
      `Variables Linkwork does not keep were not imported: ${otherVariables.join(', ')}. Cases and sources keep their details in Linkwork.`,
    );
  }
  if (newSources.length) {
    warnings.push(
      `${newSources.length} source${newSources.length === 1 ? ' was' : 's were'} taken as already de-identified: check ${newSources.length === 1 ? 'it' : 'them'} before sharing any quotes.`,
    );
  }

  await insertInChunks(newCodes, (rows) => tx.insert(researchCodes).values(rows));
  await insertInChunks(newSources, (rows) => tx.insert(researchSources).values(rows));
  await insertInChunks(
    codings.map((c) => ({
      id: c.id,
      organisationId,
      studyId,
      sourceId: c.sourceId,
      codeId: c.codeId,
      coderId: c.coderId,
      startOffset: c.start,
      endOffset: c.end,
      createdAt: now,
    })),
    (rows) => tx.insert(researchCodings).values(rows),
  );
  await insertInChunks(newMemos, (rows) => tx.insert(researchMemos).values(rows));

  const summary: ImportQdpxSummary = {
    codesCreated: newCodes.length,
    codesMatched,
    sources: newSources.length,
    codings: codings.length,
    memos: newMemos.length,
    casesMatched,
    warnings,
  };
  await recordAudit(tx, actor, {
    action: 'research.study.imported',
    recordType: 'study',
    recordIds: [studyId],
    detail: {
      format: 'qdpx',
      positionsUnit: options.positionsUnit ?? 'codePoint',
      bytes: bytes.length,
      codesCreated: summary.codesCreated,
      codesMatched: summary.codesMatched,
      sources: summary.sources,
      codings: summary.codings,
      memos: summary.memos,
      casesMatched: summary.casesMatched,
      attributedToImporter: unknown.length,
      warnings: warnings.length,
    },
  });
  return summary;
}

function* allCodesOf(codes: readonly QdaCode[]): Generator<QdaCode> {
  for (const code of codes) {
    yield code;
    yield* allCodesOf(code.children);
  }
}
const allCodes = (codes: readonly QdaCode[]) => [...allCodesOf(codes)];

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

async function insertInChunks<T>(rows: T[], insert: (rows: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insert(rows.slice(i, i + INSERT_CHUNK));
}

/**
 * CR LF and lone CR become LF. `toNew` moves a code point offset in the text as given to the same place in the
 * result: each CR removed before it (the CR of a CR LF) takes one off; an offset between a CR and its LF lands on
 * the LF.
 */
export function withLfLineEndings(text: string): {
  text: string;
  toNew: (offset: number) => number;
  changed: boolean;
} {
  if (!text.includes('\r')) return { text, toNew: (offset) => offset, changed: false };
  // Code point offsets of the CRs that are dropped, ascending.
  const dropped: number[] = [];
  let offset = 0;
  let previousCr = -1;
  for (const ch of text) {
    if (ch === '\n' && previousCr === offset - 1) dropped.push(previousCr);
    if (ch === '\r') previousCr = offset;
    offset++;
  }
  const toNew = (position: number) => {
    let low = 0;
    let high = dropped.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (dropped[mid]! < position) low = mid + 1;
      else high = mid;
    }
    return position - low;
  };
  return { text: text.replace(/\r\n?/g, '\n'), toNew, changed: true };
}

/**
 * A coder's codings of one code on one source that overlap become one span (touching ones stay apart, as
 * codeSpan allows them). `keptId` says which coding each joined one became, for its memos.
 */
function joinOverlaps(drafts: CodingDraft[]) {
  const groups = groupBy(drafts, (d) => `${d.sourceId}|${d.codeId}|${d.coderId}`);
  const codings: CodingDraft[] = [];
  const keptId = new Map<string, string>();
  let joined = 0;
  for (const group of groups.values()) {
    group.sort((a, b) => a.start - b.start || a.end - b.end);
    let current: CodingDraft | undefined;
    for (const d of group) {
      if (current && d.start < current.end) {
        current.end = Math.max(current.end, d.end);
        keptId.set(d.id, current.id);
        joined++;
      } else {
        current = { ...d };
        codings.push(current);
      }
    }
  }
  return { codings, joined, keptId };
}
