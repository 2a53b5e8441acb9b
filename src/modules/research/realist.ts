import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { linkWorkerPeriodFigures } from '../contacts/service.ts';
import { type LinkWorkerChange, linkWorkerChangeFigures } from '../outcomes/link-worker-change.ts';
import type {
  CmocInput,
  cmocJudgement,
  cmocRefinement,
  EvidenceStance,
  evidenceInput,
  ParticipantRole,
  ramesesInput,
  WorkPackageCode,
} from './contract.ts';
import { researchCmocEvidence, researchCmocs, researchRamesesItems, researchSources } from './schema.ts';
import { getStudy, studyFor, studyOfRecord } from './service.ts';

/*
 * Realist analysis (issue 7): context–mechanism–outcome configurations (CMOCs) with the evidence that supports,
 * refutes or refines them, their refinement into new versions (the programme theory's history), the cross-case
 * matrix, and the RAMESES II reporting checklist.
 */

type Cmoc = typeof researchCmocs.$inferSelect;

// Sentence case inside the statement, leaving acronyms (GP, VCSE) as they are.
const lowerFirst = (s: string) => (/^[A-Z](?![A-Z])/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);
const trimStop = (s: string) => s.trim().replace(/[.;,]+$/, '');

/** The configuration as an if–then–because statement, from its parts. */
export function statementOf(
  c: Pick<CmocInput, 'contexts' | 'mechanismResource' | 'mechanismResponse' | 'outcome'>,
) {
  const contexts = c.contexts.map((x) => lowerFirst(trimStop(x)));
  const joined =
    contexts.length > 1 ? `${contexts.slice(0, -1).join(', ')} and ${contexts.at(-1)}` : contexts[0];
  return (
    `If ${joined}, then ${lowerFirst(trimStop(c.outcome))}, because ${lowerFirst(trimStop(c.mechanismResource))} ` +
    `leads to ${lowerFirst(trimStop(c.mechanismResponse))}.`
  );
}

function cmocView(c: Cmoc) {
  return {
    id: c.id,
    studyId: c.studyId,
    lineageId: c.lineageId,
    lineageVersion: c.lineageVersion,
    number: c.number,
    label: `CMOC ${c.number}${c.lineageVersion > 1 ? ` v${c.lineageVersion}` : ''}`,
    title: c.title,
    contexts: c.contexts,
    mechanismResource: c.mechanismResource,
    mechanismResponse: c.mechanismResponse,
    outcome: c.outcome,
    intervention: c.intervention,
    actor: c.actor,
    statement: c.statement,
    status: c.status,
    confidence: c.confidence,
    memo: c.memo,
    initial: c.initial,
    refinedFrom: c.refinedFrom,
    refineReason: c.refineReason,
    current: c.supersededAt === null,
    createdAt: c.createdAt.toISOString(),
    version: c.version,
  };
}

async function insertCmoc(
  tx: Db,
  actor: Actor,
  studyId: string,
  organisationId: string,
  input: CmocInput,
  lineage: { id: string; version: number; number: number; refinedFrom?: string; reason?: string } | null,
  initial: boolean,
) {
  const id = newId();
  let number = lineage?.number;
  if (number === undefined) {
    // One configuration at a time gets its number.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`research-cmocs:${studyId}`}, 0))`);
    const [max] = rowsOf<{ n: number | null }>(
      await tx.execute(sql`select max(number)::int as n from research_cmocs where study_id = ${studyId}`),
    );
    number = (max?.n ?? 0) + 1;
  }
  await tx.insert(researchCmocs).values({
    id,
    organisationId,
    studyId,
    lineageId: lineage?.id ?? id,
    lineageVersion: lineage?.version ?? 1,
    number,
    title: input.title,
    contexts: input.contexts,
    mechanismResource: input.mechanismResource,
    mechanismResponse: input.mechanismResponse,
    outcome: input.outcome,
    intervention: input.intervention ?? null,
    actor: input.actor ?? null,
    statement: input.statement ?? statementOf(input),
    status: 'proposed',
    confidence: input.confidence,
    memo: input.memo,
    initial,
    refinedFrom: lineage?.refinedFrom ?? null,
    refineReason: lineage?.reason ?? null,
    createdBy: actor.userId,
    createdAt: actor.now,
    updatedAt: actor.now,
  });
  return id;
}

/** The initial programme theory's configurations, given when the study is set up. */
export async function seedInitialCmocs(
  tx: Db,
  actor: Actor,
  studyId: string,
  organisationId: string,
  cmocs: CmocInput[],
) {
  for (const c of cmocs) await insertCmoc(tx, actor, studyId, organisationId, c, null, true);
}

export async function createCmoc(tx: Db, actor: Actor, studyId: string, input: CmocInput) {
  const { study } = await studyFor(tx, actor, studyId, 'write');
  const id = await insertCmoc(tx, actor, studyId, study.organisationId, input, null, false);
  await recordAudit(tx, actor, {
    action: 'research.cmoc.created',
    recordType: 'research_cmoc',
    recordIds: [id],
  });
  return getCmoc(tx, actor, id);
}

interface EvidenceRow {
  id: string;
  cmoc_id: string;
  source_id: string;
  start_offset: number;
  end_offset: number;
  coding_id: string | null;
  stance: EvidenceStance;
  note: string | null;
  added_at: string;
  source_name: string;
  participant_code: string | null;
  role: ParticipantRole | null;
  case_id: string | null;
  case_label: string | null;
  work_package: WorkPackageCode | null;
  text: string;
}

/** Evidence of some configurations, with where it comes from: source, case, informant role and work package. */
async function evidenceOf(tx: Db, cmocIds: string[], filters: { role?: string; workPackage?: string } = {}) {
  if (cmocIds.length === 0) return [];
  return rowsOf<EvidenceRow>(
    await tx.execute(sql`
      select e.id, e.cmoc_id, e.source_id, e.start_offset, e.end_offset, e.coding_id, e.stance, e.note,
        e.added_at::text, s.name as source_name, p.study_code as participant_code, p.role, s.case_id,
        c.label as case_label, s.work_package,
        substr(s.text, e.start_offset + 1, least(e.end_offset - e.start_offset, 2000)) as text
      from research_cmoc_evidence e
      join research_sources s on s.id = e.source_id
      left join research_participants p on p.id = s.participant_id
      left join research_cases c on c.id = s.case_id
      where e.cmoc_id = any(${sql.param(cmocIds)}::uuid[])
        ${filters.role ? sql`and p.role = ${filters.role}` : sql``}
        ${filters.workPackage ? sql`and s.work_package = ${filters.workPackage}` : sql``}
      order by s.name, e.start_offset`),
  );
}

const evidenceView = (e: EvidenceRow) => ({
  id: e.id,
  cmocId: e.cmoc_id,
  sourceId: e.source_id,
  sourceName: e.source_name,
  start: e.start_offset,
  end: e.end_offset,
  codingId: e.coding_id,
  stance: e.stance,
  note: e.note,
  participantCode: e.participant_code,
  role: e.role,
  caseId: e.case_id,
  caseLabel: e.case_label,
  workPackage: e.work_package,
  text: e.text,
});

function tally(rows: { stance: EvidenceStance }[]) {
  return {
    supports: rows.filter((r) => r.stance === 'supports').length,
    refutes: rows.filter((r) => r.stance === 'refutes').length,
    refines: rows.filter((r) => r.stance === 'refines').length,
  };
}

/** The programme theory now: each configuration's latest version, with its evidence counted over its versions. */
export async function listCmocs(tx: Db, actor: Actor, studyId: string) {
  await studyFor(tx, actor, studyId, 'read');
  const all = await tx
    .select()
    .from(researchCmocs)
    .where(eq(researchCmocs.studyId, studyId))
    .orderBy(asc(researchCmocs.number), asc(researchCmocs.lineageVersion));
  const evidence = rowsOf<{ cmoc_id: string; stance: EvidenceStance }>(
    await tx.execute(sql`select cmoc_id, stance from research_cmoc_evidence where study_id = ${studyId}`),
  );
  return all
    .filter((c) => c.supersededAt === null)
    .map((c) => {
      const versions = all.filter((v) => v.lineageId === c.lineageId).map((v) => v.id);
      return {
        ...cmocView(c),
        versions: versions.length,
        evidence: tally(evidence.filter((e) => e.cmoc_id === c.id)),
        evidenceAllVersions: tally(evidence.filter((e) => versions.includes(e.cmoc_id))),
      };
    });
}

async function cmocFor(tx: Db, actor: Actor, cmocId: string, need: 'read' | 'write') {
  assertRole(actor, 'researcher');
  const [c] = await tx.select().from(researchCmocs).where(eq(researchCmocs.id, cmocId));
  const { record, ...access } = await studyOfRecord(tx, actor, c, need, 'configuration');
  return { cmoc: record, ...access };
}

/** A configuration with its evidence and its history: every version, why each was refined, on what evidence. */
export async function getCmoc(tx: Db, actor: Actor, cmocId: string) {
  const { cmoc } = await cmocFor(tx, actor, cmocId, 'read');
  const versions = await tx
    .select()
    .from(researchCmocs)
    .where(eq(researchCmocs.lineageId, cmoc.lineageId))
    .orderBy(asc(researchCmocs.lineageVersion));
  const evidence = await evidenceOf(
    tx,
    versions.map((v) => v.id),
  );
  await recordAudit(tx, actor, {
    action: 'research.cmoc.read',
    recordType: 'research_cmoc',
    recordIds: [cmocId],
  });
  return {
    ...cmocView(cmoc),
    evidence: evidence.filter((e) => e.cmoc_id === cmoc.id).map(evidenceView),
    history: versions.map((v) => ({
      ...cmocView(v),
      evidence: tally(evidence.filter((e) => e.cmoc_id === v.id)),
      evidenceItems: evidence.filter((e) => e.cmoc_id === v.id).map(evidenceView),
    })),
  };
}

export async function addEvidence(
  tx: Db,
  actor: Actor,
  cmocId: string,
  input: z.infer<typeof evidenceInput>,
) {
  const { cmoc } = await cmocFor(tx, actor, cmocId, 'write');
  if (cmoc.supersededAt) {
    throw new ConflictError('This version has been refined: add evidence to its latest version.');
  }
  const [source] = await tx
    .select({ id: researchSources.id, length: researchSources.length, status: researchSources.status })
    .from(researchSources)
    .where(and(eq(researchSources.id, input.sourceId), eq(researchSources.studyId, cmoc.studyId)));
  if (!source) throw new ValidationError('Choose a source of this study', { field: 'sourceId' });
  if (source.status !== 'ready') throw new ConflictError('Use de-identified sources as evidence.');
  if (input.end <= input.start || input.end > source.length) {
    throw new ValidationError(
      `Choose text within the source: positions 0 to ${source.length}, the end after the start (you gave ${input.start}–${input.end}).`,
      { field: 'end' },
    );
  }
  if (input.codingId) {
    const [coding] = rowsOf<{ id: string }>(
      await tx.execute(
        sql`select id from research_codings where id = ${input.codingId} and source_id = ${input.sourceId}`,
      ),
    );
    if (!coding) throw new ValidationError('Choose a coding of that source', { field: 'codingId' });
  }
  const id = newId();
  await tx.insert(researchCmocEvidence).values({
    id,
    organisationId: cmoc.organisationId,
    studyId: cmoc.studyId,
    cmocId,
    sourceId: input.sourceId,
    startOffset: input.start,
    endOffset: input.end,
    codingId: input.codingId,
    stance: input.stance,
    note: input.note,
    addedBy: actor.userId,
    addedAt: actor.now,
  });
  await recordAudit(tx, actor, {
    action: 'research.cmoc.evidence_added',
    recordType: 'research_cmoc',
    recordIds: [cmocId],
    detail: { stance: input.stance, sourceId: input.sourceId },
  });
  return getCmoc(tx, actor, cmocId);
}

export async function removeEvidence(tx: Db, actor: Actor, evidenceId: string) {
  assertRole(actor, 'researcher');
  const [e] = await tx.select().from(researchCmocEvidence).where(eq(researchCmocEvidence.id, evidenceId));
  if (!e) throw new NotFoundError('There is no evidence with this id in a study you are on.');
  const { cmoc } = await cmocFor(tx, actor, e.cmocId, 'write');
  if (cmoc.supersededAt) throw new ConflictError('Evidence of a refined version stays as its history.');
  await tx.delete(researchCmocEvidence).where(eq(researchCmocEvidence.id, evidenceId));
  await recordAudit(tx, actor, {
    action: 'research.cmoc.evidence_removed',
    recordType: 'research_cmoc',
    recordIds: [cmoc.id],
  });
  return getCmoc(tx, actor, cmoc.id);
}

/** The team's judgement of a configuration on its evidence: supported, refuted (or still proposed), confidence. */
export async function judgeCmoc(tx: Db, actor: Actor, cmocId: string, input: z.infer<typeof cmocJudgement>) {
  const { cmoc } = await cmocFor(tx, actor, cmocId, 'write');
  if (cmoc.supersededAt) throw new ConflictError('This version has been refined: judge its latest version.');
  if (input.status === 'refined') {
    throw new ValidationError('Refine a configuration by writing its new version', { field: 'status' });
  }
  const updated = await tx
    .update(researchCmocs)
    .set({
      status: input.status,
      confidence: input.confidence,
      memo: input.memo,
      updatedAt: actor.now,
      version: sql`${researchCmocs.version} + 1`,
    })
    .where(and(eq(researchCmocs.id, cmocId), eq(researchCmocs.version, input.version)))
    .returning({ id: researchCmocs.id });
  if (updated.length === 0) throw new VersionConflictError('configuration', cmoc.version);
  await recordAudit(tx, actor, {
    action: 'research.cmoc.judged',
    recordType: 'research_cmoc',
    recordIds: [cmocId],
    detail: { status: input.status, confidence: input.confidence },
  });
  return getCmoc(tx, actor, cmocId);
}

/** Refines a configuration into a new version with the reason; the old one and its evidence stay as history. */
export async function refineCmoc(
  tx: Db,
  actor: Actor,
  cmocId: string,
  input: z.infer<typeof cmocRefinement>,
) {
  const { cmoc } = await cmocFor(tx, actor, cmocId, 'write');
  if (cmoc.supersededAt)
    throw new ConflictError('This version has already been refined: refine its latest version.');
  const superseded = await tx
    .update(researchCmocs)
    .set({
      supersededAt: actor.now,
      status: 'refined',
      updatedAt: actor.now,
      version: sql`${researchCmocs.version} + 1`,
    })
    .where(
      and(
        eq(researchCmocs.id, cmocId),
        eq(researchCmocs.version, input.version),
        isNull(researchCmocs.supersededAt),
      ),
    )
    .returning({ id: researchCmocs.id });
  if (superseded.length === 0) throw new VersionConflictError('configuration', cmoc.version);
  const { reason, version: _v, ...content } = input;
  const id = await insertCmoc(
    tx,
    actor,
    cmoc.studyId,
    cmoc.organisationId,
    content,
    {
      id: cmoc.lineageId,
      version: cmoc.lineageVersion + 1,
      number: cmoc.number,
      refinedFrom: cmoc.id,
      reason,
    },
    cmoc.initial,
  );
  await recordAudit(tx, actor, {
    action: 'research.cmoc.refined',
    recordType: 'research_cmoc',
    recordIds: [cmocId, id],
  });
  return getCmoc(tx, actor, id);
}

/** How the programme theory changed: every version of every configuration in the order they were made. */
export async function theoryHistory(tx: Db, actor: Actor, studyId: string) {
  await studyFor(tx, actor, studyId, 'read');
  const all = await tx
    .select()
    .from(researchCmocs)
    .where(eq(researchCmocs.studyId, studyId))
    .orderBy(asc(researchCmocs.createdAt), asc(researchCmocs.id));
  const evidence = rowsOf<{ cmoc_id: string; stance: EvidenceStance }>(
    await tx.execute(sql`select cmoc_id, stance from research_cmoc_evidence where study_id = ${studyId}`),
  );
  const byId = new Map(all.map((c) => [c.id, c]));
  return all.map((c) => ({
    ...cmocView(c),
    change: c.refinedFrom ? ('refined' as const) : c.initial ? ('initial' as const) : ('proposed' as const),
    refinedFromLabel: c.refinedFrom
      ? `CMOC ${c.number}${(byId.get(c.refinedFrom)?.lineageVersion ?? 1) > 1 ? ` v${byId.get(c.refinedFrom)!.lineageVersion}` : ''}`
      : null,
    // What the refined version stood on when it was refined.
    evidenceBehindChange: c.refinedFrom ? tally(evidence.filter((e) => e.cmoc_id === c.refinedFrom)) : null,
    evidence: tally(evidence.filter((e) => e.cmoc_id === c.id)),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-case matrix

/** Cells of aggregate pathway figures below this are not shown (disclosure control). */
export const MINIMUM_CELL = 5;
const suppressed = (n: number) =>
  n < MINIMUM_CELL ? { value: null, suppressed: true } : { value: n, suppressed: false };

/**
 * Cases × the programme theory's configurations: evidence supporting, refuting and refining each (over all its
 * versions), filtered by informant role and work package, with a few words of each; each case's implementation
 * context side by side; and where a case's link worker has pathway data, aggregate figures for the case period,
 * cells under 5 suppressed.
 */
export async function crossCaseMatrix(
  tx: Db,
  actor: Actor,
  studyId: string,
  q: { role?: ParticipantRole; workPackage?: WorkPackageCode },
) {
  const study = await getStudy(tx, actor, studyId, { audit: false });
  const current = await listCmocs(tx, actor, studyId);
  const lineageIds = rowsOf<{ id: string; lineage_id: string }>(
    await tx.execute(sql`select id, lineage_id from research_cmocs where study_id = ${studyId}`),
  );
  const evidence = await evidenceOf(
    tx,
    lineageIds.map((l) => l.id),
    q,
  );
  const lineageOf = new Map(lineageIds.map((l) => [l.id, l.lineage_id]));
  const figures = new Map<string, Awaited<ReturnType<typeof linkWorkerPeriodFigures>> | null>();
  const changes = new Map<string, LinkWorkerChange[]>();
  for (const c of study.cases) {
    figures.set(
      c.id,
      c.linkWorkerId && c.linkWorkerOrganisationId
        ? await linkWorkerPeriodFigures(tx, c.linkWorkerOrganisationId, c.linkWorkerId, c.startsOn, c.endsOn)
        : null,
    );
    if (c.linkWorkerId && c.linkWorkerOrganisationId) {
      changes.set(
        c.id,
        await linkWorkerChangeFigures(tx, c.linkWorkerOrganisationId, c.linkWorkerId, c.startsOn, c.endsOn),
      );
    }
  }
  const rows = [
    ...study.cases.map((c) => ({ caseId: c.id as string | null, label: c.label })),
    ...(evidence.some((e) => e.case_id === null) ? [{ caseId: null, label: 'No case' }] : []),
  ];
  await recordAudit(tx, actor, {
    action: 'research.cross_case.read',
    recordType: 'study',
    recordIds: [studyId],
    detail: { role: q.role ?? null, workPackage: q.workPackage ?? null },
  });
  return {
    filters: { role: q.role ?? null, workPackage: q.workPackage ?? null },
    minimumCell: MINIMUM_CELL,
    cmocs: current.map((c) => ({
      id: c.id,
      lineageId: c.lineageId,
      label: c.label,
      title: c.title,
      status: c.status,
    })),
    rows: rows.map((r) => {
      const kase = study.cases.find((c) => c.id === r.caseId);
      const f = r.caseId ? figures.get(r.caseId) : null;
      return {
        ...r,
        context: kase
          ? {
              linkWorkerName: kase.linkWorkerName,
              pcnName: kase.linkWorkerOrganisationName,
              startsOn: kase.startsOn,
              endsOn: kase.endsOn,
              atStart: kase.contextAtStart ?? null,
              atEnd: kase.contextAtEnd ?? null,
            }
          : null,
        pathway: f
          ? {
              referrals: suppressed(f.referrals),
              contacts: suppressed(f.contacts),
              firstContacts: suppressed(f.firstContacts),
              discharges: suppressed(f.discharges),
              // A median of fewer than 5 waits would say too much about too few people.
              medianDaysToFirstContact:
                f.firstContacts >= MINIMUM_CELL && f.medianDaysToFirstContact !== null
                  ? { value: f.medianDaysToFirstContact, suppressed: false }
                  : { value: null, suppressed: true },
            }
          : null,
        // Outcome change of the link worker's people whose baseline fell in the case period, as the what-works
        // explorer computes it for a group (each instrument's main score; fewer than 5 pairs suppressed).
        outcomes: r.caseId
          ? (changes.get(r.caseId) ?? []).map((o) => ({
              instrument: o.instrument,
              measure: o.measure,
              higherIsBetter: o.higherIsBetter,
              comparison: o.comparison,
              comparisonLabel: o.comparisonLabel,
              suppressed: o.change.suppressed,
              reason: o.change.reason,
              n: o.change.n,
              meanChange: o.change.meanChange,
              ci95: o.change.ci95,
            }))
          : null,
        cells: current.map((c) => {
          const mine = evidence.filter(
            (e) => lineageOf.get(e.cmoc_id) === c.lineageId && e.case_id === r.caseId,
          );
          return {
            cmocId: c.id,
            ...tally(mine),
            // A few words of each piece, for the matrix's summary.
            summaries: mine.slice(0, 3).map((e) => ({
              stance: e.stance,
              participantCode: e.participant_code,
              role: e.role,
              workPackage: e.work_package,
              text: e.note ?? (e.text.length > 160 ? `${e.text.slice(0, 157)}…` : e.text),
            })),
          };
        }),
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// RAMESES II

/** The RAMESES II reporting standard for realist evaluations (Wong et al. 2016, BMC Medicine 14:96): 20 items. */
export const RAMESES_ITEMS: { item: number; section: string; title: string }[] = [
  { item: 1, section: 'Title', title: 'Title' },
  { item: 2, section: 'Summary or abstract', title: 'Summary or abstract' },
  { item: 3, section: 'Introduction', title: 'Rationale for evaluation' },
  { item: 4, section: 'Introduction', title: 'Programme theory' },
  { item: 5, section: 'Introduction', title: 'Evaluation questions, objectives and focus' },
  { item: 6, section: 'Introduction', title: 'Ethical approval' },
  { item: 7, section: 'Methods', title: 'Rationale for using realist evaluation' },
  { item: 8, section: 'Methods', title: 'Environment surrounding the evaluation' },
  { item: 9, section: 'Methods', title: 'Describe the programme evaluated' },
  { item: 10, section: 'Methods', title: 'Evaluation design' },
  { item: 11, section: 'Methods', title: 'Data collection methods' },
  { item: 12, section: 'Methods', title: 'Recruitment process and sampling strategy' },
  { item: 13, section: 'Methods', title: 'Data analysis' },
  { item: 14, section: 'Results', title: 'Details of participants' },
  { item: 15, section: 'Results', title: 'Main findings' },
  { item: 16, section: 'Discussion', title: 'Summary of findings' },
  { item: 17, section: 'Discussion', title: 'Strengths, limitations and future research directions' },
  { item: 18, section: 'Discussion', title: 'Comparison with existing literature' },
  { item: 19, section: 'Discussion', title: 'Conclusion and recommendations' },
  { item: 20, section: 'Discussion', title: 'Funding and conflict of interest' },
];

/** Where in Linkwork the evidence for an item usually is, offered when nothing is recorded yet. */
const RAMESES_PLACES: Record<number, string> = {
  4: 'Programme theory (CMO configurations and their history)',
  5: 'Study details: research question',
  6: 'Study details: ethics reference',
  9: 'Cases: each link worker’s implementation context',
  10: 'Study details: work packages; cases and their periods',
  11: 'Interviews and observations (modes, topic guide versions)',
  12: 'Participants (roles, cases, consent)',
  13: 'Codebook, agreement between coders, cross-case matrix',
  14: 'Participants by role and case',
  15: 'Programme theory: supported, refuted and refined configurations with evidence',
  20: 'Study details: funder',
};

export async function ramesesChecklist(tx: Db, actor: Actor, studyId: string) {
  const { study } = await studyFor(tx, actor, studyId, 'read');
  const saved = await tx.select().from(researchRamesesItems).where(eq(researchRamesesItems.studyId, studyId));
  return {
    studyTitle: study.title,
    items: RAMESES_ITEMS.map((i) => {
      const s = saved.find((x) => x.item === i.item);
      return {
        ...i,
        reported: s?.reported ?? null,
        location: s?.location ?? null,
        note: s?.note ?? null,
        suggestedLocation: RAMESES_PLACES[i.item] ?? null,
      };
    }),
  };
}

export async function saveRameses(
  tx: Db,
  actor: Actor,
  studyId: string,
  input: z.infer<typeof ramesesInput>,
) {
  const { study } = await studyFor(tx, actor, studyId, 'write');
  const items = input.items.map((i) => i.item);
  if (new Set(items).size !== items.length)
    throw new ValidationError('Give each item once', { field: 'items' });
  for (const i of input.items) {
    await tx
      .insert(researchRamesesItems)
      .values({
        organisationId: study.organisationId,
        studyId,
        ...i,
        updatedBy: actor.userId,
        updatedAt: actor.now,
      })
      .onConflictDoUpdate({
        target: [researchRamesesItems.studyId, researchRamesesItems.item],
        set: {
          reported: i.reported,
          location: i.location,
          note: i.note,
          updatedBy: actor.userId,
          updatedAt: actor.now,
        },
      });
  }
  await recordAudit(tx, actor, {
    action: 'research.rameses.saved',
    recordType: 'study',
    recordIds: [studyId],
    detail: { items },
  });
  return ramesesChecklist(tx, actor, studyId);
}

/** The checklist as a PDF (pdfkit): the study's title, then each item with its answer and where it is reported. */
export async function ramesesPdf(checklist: Awaited<ReturnType<typeof ramesesChecklist>>): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `RAMESES II checklist: ${checklist.studyTitle}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(16).text('RAMESES II reporting checklist', { underline: false });
  doc.moveDown(0.3).fontSize(11).text(checklist.studyTitle);
  doc
    .moveDown(0.3)
    .fontSize(9)
    .fillColor('#4c6272')
    .text('Wong G et al. RAMESES II reporting standards for realist evaluations. BMC Medicine 2016;14:96.');
  doc.fillColor('black');
  let section = '';
  for (const i of checklist.items) {
    if (i.section !== section) {
      section = i.section;
      doc.moveDown(0.8).fontSize(12).text(section);
    }
    const answer =
      { yes: 'Reported', no: 'Not reported', unclear: 'Unclear' }[i.reported ?? 'unclear'] ?? 'Not answered';
    doc
      .moveDown(0.3)
      .fontSize(10)
      .text(`${i.item}. ${i.title}: ${i.reported ? answer : 'Not answered'}`);
    if (i.location) doc.fontSize(9).text(`Where: ${i.location}`, { indent: 14 });
    if (i.note) doc.fontSize(9).text(i.note, { indent: 14 });
  }
  doc.end();
  return done;
}
