import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { csvCell } from '../../platform/csv.ts';
import { ValidationError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { characterKappa } from './agreement/character-kappa.ts';
import { disagreements } from './agreement/disagreements.ts';
import type { Coding } from './agreement/input.ts';
import { differenceOf, lengthOf, type Span, unionOf, unionOfBoth } from './agreement/spans.ts';
import { unitAgreement } from './agreement/unit-agreement.ts';
import { participantRoles, workPackageCodes } from './contract.ts';
import { studyFor } from './service.ts';
import { createOffsetConverter } from './sources/offsets.ts';

/*
 * Reading a study's coding (issue 7): inter-coder agreement for two coders, retrieval of coded segments by a boolean
 * combination of codes with filters, and the case × code matrix. Positions are code point offsets; PostgreSQL's
 * substr counts characters (code points in a UTF-8 database), so segments are cut by the database, and only the
 * segments' text is read, never whole transcripts.
 */

const uuidList = (what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return [];
      const ids = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const id of ids) {
        if (!z.uuid().safeParse(id).success) {
          ctx.addIssue({ code: 'custom', message: `Choose ${what} from the list (${id} is not an id)` });
          return z.NEVER;
        }
      }
      return [...new Set(ids)];
    });

export const agreementQuery = z.strictObject({
  coderA: z.uuid('Choose the first coder from the team'),
  coderB: z.uuid('Choose the second coder from the team'),
  excludeUncoded: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  minimumOverlapPercent: z.coerce
    .number()
    .gt(0, 'Give a percentage above 0')
    .max(100, 'Give a percentage of 100 or less')
    .optional(),
  codeIds: uuidList('codes'),
  sourceIds: uuidList('sources'),
  /** Each code × source cell too (large for a big study: 100 codes × 200 sources is 20,000 cells). */
  bySource: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const retrievalQuery = z.strictObject({
  /** Text coded with every one of these codes (AND). */
  all: uuidList('codes'),
  /** Text coded with any of these (OR). */
  any: uuidList('codes'),
  /** Leaving out text coded with any of these (NOT). */
  not: uuidList('codes'),
  caseId: z.uuid('Choose a case from the list').optional(),
  siteId: z.uuid('Choose a site from the list').optional(),
  role: z.enum(participantRoles, { error: 'Choose a participant role from the list' }).optional(),
  workPackage: z.enum(workPackageCodes, { error: 'Choose WP1 or WP2' }).optional(),
  coderId: z.uuid('Choose a coder from the team').optional(),
});

export const matrixQuery = z.strictObject({
  count: z
    .enum(['codings', 'sources', 'coverage'], { error: 'Count codings, sources or coverage' })
    .default('codings'),
  role: z.enum(participantRoles, { error: 'Choose a participant role from the list' }).optional(),
  workPackage: z.enum(workPackageCodes, { error: 'Choose WP1 or WP2' }).optional(),
});

interface SourceRow {
  id: string;
  name: string;
  length: number;
  turns: { start: number; end: number }[];
}

// ---------------------------------------------------------------------------------------------------------------
// Agreement

/** Two coders' agreement, character-level and on speaker turns, with their disagreements and the text of each. */
export async function agreementReport(
  tx: Db,
  actor: Actor,
  studyId: string,
  q: z.infer<typeof agreementQuery>,
) {
  await studyFor(tx, actor, studyId, 'lead');
  if (q.coderA === q.coderB) throw new ValidationError('Choose two different coders', { field: 'coderB' });
  const team = rowsOf<{ user_id: string; name: string }>(
    await tx.execute(sql`select m.user_id, u.name from research_study_members m join users u on u.id = m.user_id
      where m.study_id = ${studyId} and m.user_id in (${q.coderA}, ${q.coderB})`),
  );
  for (const [field, id] of [
    ['coderA', q.coderA],
    ['coderB', q.coderB],
  ] as const) {
    if (!team.some((t) => t.user_id === id))
      throw new ValidationError('Choose a coder on the study’s team', { field });
  }
  const codings = rowsOf<Coding>(
    await tx.execute(sql`
      select c.coder_id as "coderId", c.code_id as "codeId", c.source_id as "sourceId",
        c.start_offset as start, c.end_offset as "end"
      from research_codings c
      where c.study_id = ${studyId} and c.coder_id in (${q.coderA}, ${q.coderB})
        ${q.sourceIds.length ? sql`and c.source_id = any(${sql.param(q.sourceIds)}::uuid[])` : sql``}`),
  );
  // The sources compared: those asked for, or every source either coder coded.
  const sourceIds = q.sourceIds.length ? q.sourceIds : [...new Set(codings.map((c) => c.sourceId))];
  const sources = sourceIds.length
    ? rowsOf<SourceRow>(
        await tx.execute(sql`select id, name, length, turns from research_sources
          where study_id = ${studyId} and status = 'ready' and id = any(${sql.param(sourceIds)}::uuid[])
          order by name, id`),
      )
    : [];
  if (q.sourceIds.length && sources.length !== q.sourceIds.length) {
    throw new ValidationError('Choose de-identified sources of this study', { field: 'sourceIds' });
  }
  const codeIds = q.codeIds.length ? q.codeIds : undefined;
  const compared = sources.map((s) => ({ id: s.id, length: s.length }));
  const characters = characterKappa({
    sources: compared,
    codings,
    coderA: q.coderA,
    coderB: q.coderB,
    codeIds,
    excludeUncoded: q.excludeUncoded,
  });
  const withTurns = sources.filter((s) => s.turns.length > 0);
  const units = withTurns.length
    ? unitAgreement({
        sources: withTurns.map((s) => ({ id: s.id, length: s.length, turns: s.turns })),
        codings: codings.filter((c) => withTurns.some((s) => s.id === c.sourceId)),
        coderIds: [q.coderA, q.coderB],
        codeIds,
        minimumOverlapPercent: q.minimumOverlapPercent,
        // Both coders read every source compared, whether or not they coded something in it.
        assignments: withTurns.flatMap((s) => [
          { coderId: q.coderA, sourceId: s.id },
          { coderId: q.coderB, sourceId: s.id },
        ]),
      })
    : null;
  const differences = disagreements({
    sources: compared,
    codings,
    coderA: q.coderA,
    coderB: q.coderB,
    codeIds,
  });
  const LISTED = 500;
  const listed = differences.slice(0, LISTED);
  const texts = await segmentTexts(tx, listed);
  const codeNames = await codeNamesOf(tx, studyId);
  const sourceNames = new Map(sources.map((s) => [s.id, s.name]));
  const names = new Map(team.map((t) => [t.user_id, t.name]));
  await recordAudit(tx, actor, {
    action: 'research.agreement.read',
    recordType: 'study',
    recordIds: [studyId],
    detail: { coderA: q.coderA, coderB: q.coderB, sources: sources.length, excludeUncoded: q.excludeUncoded },
  });
  return {
    coderA: { id: q.coderA, name: names.get(q.coderA)! },
    coderB: { id: q.coderB, name: names.get(q.coderB)! },
    sources: sources.map((s) => ({ id: s.id, name: s.name, length: s.length, turns: s.turns.length })),
    characters: {
      ...characters,
      codes: characters.codes.map(({ sources: cells, ...c }) => ({
        ...c,
        codeName: codeNames.get(c.codeId) ?? null,
        ...(q.bySource ? { sources: cells } : {}),
      })),
    },
    turns: units && {
      ...units,
      codes: units.codes.map((c) => ({ ...c, codeName: codeNames.get(c.codeId) ?? null })),
    },
    sourcesWithoutTurns: sources.filter((s) => s.turns.length === 0).map((s) => s.id),
    disagreements: {
      total: differences.length,
      listed: listed.map((d, i) => ({
        ...d,
        codeName: codeNames.get(d.codeId) ?? null,
        sourceName: sourceNames.get(d.sourceId) ?? null,
        codedByName: names.get(d.codedBy) ?? null,
        text: texts[i] ?? '',
      })),
    },
  };
}

async function codeNamesOf(tx: Db, studyId: string) {
  const rows = rowsOf<{ id: string; name: string }>(
    await tx.execute(sql`select id, name from research_codes where study_id = ${studyId}`),
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The text of some spans, at most 2,000 characters each. Each source is cut once by the database, over the range
 * its spans cover (substr counts code points; cutting per span would walk a long transcript from its start every
 * time), and the spans are taken from that piece here, by code point.
 */
async function segmentTexts(
  tx: Db,
  spans: { sourceId: string; start: number; end: number }[],
): Promise<string[]> {
  if (spans.length === 0) return [];
  const MAX = 2000;
  const ranges = new Map<string, { lo: number; hi: number }>();
  for (const x of spans) {
    const r = ranges.get(x.sourceId);
    const end = Math.min(x.end, x.start + MAX);
    if (!r) ranges.set(x.sourceId, { lo: x.start, hi: end });
    else {
      r.lo = Math.min(r.lo, x.start);
      r.hi = Math.max(r.hi, end);
    }
  }
  const ids = [...ranges.keys()];
  const rows = rowsOf<{ id: string; piece: string }>(
    await tx.execute(sql`
      select k.id, substr(s.text, k.lo + 1, k.hi - k.lo) as piece
      from unnest(${sql.param(ids)}::uuid[], ${sql.param(ids.map((id) => ranges.get(id)!.lo))}::int[],
        ${sql.param(ids.map((id) => ranges.get(id)!.hi))}::int[]) as k(id, lo, hi)
      join research_sources s on s.id = k.id`),
  );
  const pieces = new Map(rows.map((r) => [r.id, { piece: r.piece, at: createOffsetConverter(r.piece) }]));
  return spans.map((x) => {
    const p = pieces.get(x.sourceId);
    if (!p) return '';
    const lo = ranges.get(x.sourceId)!.lo;
    const from = Math.min(x.start - lo, p.at.codePointLength);
    const to = Math.min(Math.min(x.end, x.start + MAX) - lo, p.at.codePointLength);
    return p.piece.slice(p.at.toUtf16(from), p.at.toUtf16(to));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Retrieval

/** Who sees whose codings: leads everyone's; others their own while the study codes blind. */
async function visibleCoders(tx: Db, actor: Actor, studyId: string, coderId?: string) {
  const { role, study } = await studyFor(tx, actor, studyId, 'read');
  const seeAll = role === 'lead' || !study.blindCoding;
  if (!seeAll && coderId && coderId !== actor.userId) {
    throw new ValidationError('While coding is blind you see your own codings only', { field: 'coderId' });
  }
  return seeAll ? (coderId ?? null) : actor.userId;
}

/**
 * Segments coded with a boolean combination of codes — all of `all`, any of `any`, none of `not` — by the visible
 * coders, in the sources the filters leave (case, site, participant role, work package), with each source's
 * coverage and the whole set's. Codings of a code by several coders count as that code's text.
 */
export async function retrieveSegments(
  tx: Db,
  actor: Actor,
  studyId: string,
  q: z.infer<typeof retrievalQuery>,
) {
  const coder = await visibleCoders(tx, actor, studyId, q.coderId);
  if (q.all.length === 0 && q.any.length === 0) {
    throw new ValidationError('Choose at least one code to find (all of, or any of)', { field: 'all' });
  }
  const wanted = [...new Set([...q.all, ...q.any, ...q.not])];
  const known = await codeNamesOf(tx, studyId);
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length) throw new ValidationError('Choose codes from this study’s codebook', { field: 'all' });
  const sources = rowsOf<{
    id: string;
    name: string;
    length: number;
    participant_code: string | null;
    role: string | null;
    case_label: string | null;
    site_name: string | null;
    work_package: string | null;
  }>(
    await tx.execute(sql`
      select s.id, s.name, s.length, p.study_code as participant_code, p.role, c.label as case_label,
        si.name as site_name, s.work_package
      from research_sources s
      left join research_participants p on p.id = s.participant_id
      left join research_cases c on c.id = s.case_id
      left join research_sites si on si.id = c.site_id
      where s.study_id = ${studyId} and s.status = 'ready'
        ${q.caseId ? sql`and s.case_id = ${q.caseId}` : sql``}
        ${q.siteId ? sql`and c.site_id = ${q.siteId}` : sql``}
        ${q.role ? sql`and p.role = ${q.role}` : sql``}
        ${q.workPackage ? sql`and s.work_package = ${q.workPackage}` : sql``}
      order by s.name, s.id`),
  );
  const inSources = new Map(sources.map((s) => [s.id, s]));
  const codings = sources.length
    ? rowsOf<{ source_id: string; code_id: string; start_offset: number; end_offset: number }>(
        await tx.execute(sql`
          select source_id, code_id, start_offset, end_offset from research_codings
          where study_id = ${studyId} and code_id = any(${sql.param(wanted)}::uuid[])
            ${coder ? sql`and coder_id = ${coder}` : sql``}`),
      )
    : [];
  // Per source, per code: the union of its codings.
  const bySource = new Map<string, Map<string, Span[]>>();
  for (const c of codings) {
    if (!inSources.has(c.source_id)) continue;
    let codes = bySource.get(c.source_id);
    if (!codes) {
      codes = new Map();
      bySource.set(c.source_id, codes);
    }
    const list = codes.get(c.code_id) ?? [];
    list.push({ start: c.start_offset, end: c.end_offset });
    codes.set(c.code_id, list);
  }
  const segments: { sourceId: string; start: number; end: number }[] = [];
  const perSource: { sourceId: string; covered: number; segments: number }[] = [];
  for (const [sourceId, codes] of bySource) {
    const of = (id: string) => unionOf(codes.get(id) ?? []);
    let result: Span[] | null = null;
    for (const id of q.all) {
      const u = of(id);
      result = result === null ? u : differenceOf(result, differenceOf(result, u));
    }
    if (q.any.length) {
      const anyUnion = q.any.map(of).reduce((a, b) => unionOfBoth(a, b), [] as Span[]);
      result = result === null ? anyUnion : differenceOf(result, differenceOf(result, anyUnion));
    }
    for (const id of q.not) result = differenceOf(result ?? [], of(id));
    if (!result || result.length === 0) continue;
    for (const s of result) segments.push({ sourceId, start: s.start, end: s.end });
    perSource.push({ sourceId, covered: lengthOf(result), segments: result.length });
  }
  segments.sort((a, b) => {
    const na = inSources.get(a.sourceId)!.name;
    const nb = inSources.get(b.sourceId)!.name;
    return na < nb
      ? -1
      : na > nb
        ? 1
        : a.sourceId < b.sourceId
          ? -1
          : a.sourceId > b.sourceId
            ? 1
            : a.start - b.start;
  });
  const LISTED = 1000;
  const listed = segments.slice(0, LISTED);
  const texts = await segmentTexts(tx, listed);
  const totalLength = sources.reduce((n, s) => n + s.length, 0);
  const covered = perSource.reduce((n, s) => n + s.covered, 0);
  await recordAudit(tx, actor, {
    action: 'research.segments.retrieved',
    recordType: 'study',
    recordIds: [studyId],
    detail: { all: q.all, any: q.any, not: q.not, segments: segments.length },
  });
  const percent = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0);
  return {
    query: { all: q.all, any: q.any, not: q.not },
    codingsOf:
      coder === null
        ? ('everyone' as const)
        : coder === actor.userId
          ? ('you' as const)
          : ('one coder' as const),
    sourcesSearched: sources.length,
    coverage: { characters: covered, ofCharacters: totalLength, percent: percent(covered, totalLength) },
    sources: perSource
      .map((p) => {
        const s = inSources.get(p.sourceId)!;
        return {
          sourceId: s.id,
          sourceName: s.name,
          participantCode: s.participant_code,
          role: s.role,
          caseLabel: s.case_label,
          siteName: s.site_name,
          workPackage: s.work_package,
          segments: p.segments,
          coveragePercent: percent(p.covered, s.length),
        };
      })
      .sort((a, b) => (a.sourceName < b.sourceName ? -1 : a.sourceName > b.sourceName ? 1 : 0)),
    segments: {
      total: segments.length,
      listed: listed.map((seg, i) => {
        const s = inSources.get(seg.sourceId)!;
        return {
          ...seg,
          sourceName: s.name,
          participantCode: s.participant_code,
          caseLabel: s.case_label,
          text: texts[i] ?? '',
        };
      }),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Case × code matrix

/**
 * Cases down, codes across: codings, sources with the code, or coverage % of the case's text, for the visible
 * coders' codings; filterable by participant role and work package. Sources without a case form their own row.
 */
export async function caseCodeMatrix(tx: Db, actor: Actor, studyId: string, q: z.infer<typeof matrixQuery>) {
  const coder = await visibleCoders(tx, actor, studyId);
  const filters = sql`s.study_id = ${studyId} and s.status = 'ready'
    ${q.role ? sql`and p.role = ${q.role}` : sql``}
    ${q.workPackage ? sql`and s.work_package = ${q.workPackage}` : sql``}`;
  const cells = rowsOf<{
    case_id: string | null;
    code_id: string;
    codings: number;
    sources: number;
    spans: unknown;
  }>(
    await tx.execute(sql`
      select s.case_id, c.code_id, count(*)::int as codings, count(distinct c.source_id)::int as sources,
        ${q.count === 'coverage' ? sql`jsonb_agg(jsonb_build_array(c.source_id, c.start_offset, c.end_offset))` : sql`null`} as spans
      from research_codings c
      join research_sources s on s.id = c.source_id
      left join research_participants p on p.id = s.participant_id
      where ${filters} ${coder ? sql`and c.coder_id = ${coder}` : sql``}
      group by s.case_id, c.code_id`),
  );
  const lengths = rowsOf<{ case_id: string | null; length: number; sources: number }>(
    await tx.execute(sql`
      select s.case_id, sum(s.length)::int as length, count(*)::int as sources
      from research_sources s left join research_participants p on p.id = s.participant_id
      where ${filters} group by s.case_id`),
  );
  const cases = rowsOf<{ id: string; label: string; site_name: string }>(
    await tx.execute(sql`select c.id, c.label, s.name as site_name from research_cases c
      join research_sites s on s.id = c.site_id where c.study_id = ${studyId} order by c.label`),
  );
  const codes = rowsOf<{ id: string; name: string; parent_id: string | null }>(
    await tx.execute(
      sql`select id, name, parent_id from research_codes where study_id = ${studyId} order by name`,
    ),
  );
  const lengthOfCase = new Map(lengths.map((l) => [l.case_id ?? '', l.length]));
  const value = (cell: (typeof cells)[number] | undefined, caseKey: string) => {
    if (!cell) return 0;
    if (q.count === 'codings') return cell.codings;
    if (q.count === 'sources') return cell.sources;
    const bySource = new Map<string, Span[]>();
    for (const [sourceId, start, end] of cell.spans as [string, number, number][]) {
      const list = bySource.get(sourceId) ?? [];
      list.push({ start, end });
      bySource.set(sourceId, list);
    }
    let covered = 0;
    for (const spans of bySource.values()) covered += lengthOf(unionOf(spans));
    const whole = lengthOfCase.get(caseKey) ?? 0;
    return whole > 0 ? Math.round((1000 * covered) / whole) / 10 : 0;
  };
  const rowsFor = [
    ...cases.map((c) => ({
      caseId: c.id as string | null,
      label: c.label,
      siteName: c.site_name as string | null,
    })),
    ...(lengths.some((l) => l.case_id === null) ? [{ caseId: null, label: 'No case', siteName: null }] : []),
  ];
  await recordAudit(tx, actor, {
    action: 'research.matrix.read',
    recordType: 'study',
    recordIds: [studyId],
    detail: { count: q.count },
  });
  return {
    count: q.count,
    codes: codes.map((c) => ({ id: c.id, name: c.name, parentId: c.parent_id })),
    rows: rowsFor.map((r) => ({
      ...r,
      sources: lengths.find((l) => l.case_id === r.caseId)?.sources ?? 0,
      cells: codes.map((code) =>
        value(
          cells.find((c) => c.case_id === r.caseId && c.code_id === code.id),
          r.caseId ?? '',
        ),
      ),
    })),
  };
}

/** The matrix as CSV (UTF-8 with BOM for Excel, CRLF): cases down, codes across. */
export function matrixCsv(matrix: Awaited<ReturnType<typeof caseCodeMatrix>>): string {
  const unit = { codings: 'codings', sources: 'sources', coverage: 'coverage %' }[matrix.count];
  const lines = [
    ['Case', 'Site', 'Sources', ...matrix.codes.map((c) => `${c.name} (${unit})`)].map(csvCell).join(','),
    ...matrix.rows.map((r) => [r.label, r.siteName, r.sources, ...r.cells].map(csvCell).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The matrix as an Excel workbook: the same table, frozen headings. */
export async function matrixXlsx(matrix: Awaited<ReturnType<typeof caseCodeMatrix>>): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linkwork';
  const sheet = workbook.addWorksheet('Case × code', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  const unit = { codings: 'codings', sources: 'sources', coverage: 'coverage %' }[matrix.count];
  sheet.addRow(['Case', 'Site', 'Sources', ...matrix.codes.map((c) => `${c.name} (${unit})`)]).font = {
    bold: true,
  };
  for (const r of matrix.rows) sheet.addRow([r.label, r.siteName ?? '', r.sources, ...r.cells]);
  sheet.columns.forEach((column, i) => {
    column.width = i < 2 ? 20 : 14;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Coded text as quotes for a report (CSV): only from participants whose latest consent allows anonymised quotes,
 * never from someone who withdrew; the file says how many segments were left out and why. Participants are named
 * by study ID only.
 */
export async function quotesCsv(tx: Db, actor: Actor, studyId: string, q: z.infer<typeof retrievalQuery>) {
  const found = await retrieveSegments(tx, actor, studyId, q);
  const sourceIds = [...new Set(found.segments.listed.map((s) => s.sourceId))];
  const allowed = new Set(
    sourceIds.length
      ? rowsOf<{ id: string }>(
          await tx.execute(sql`
            select s.id from research_sources s
            join research_participants p on p.id = s.participant_id and p.withdrawn_on is null
            join lateral (select c.anonymised_quotes from research_consents c where c.participant_id = p.id
              order by c.consented_on desc, c.recorded_at desc, c.id desc limit 1) latest on latest.anonymised_quotes
            where s.id = any(${sql.param(sourceIds)}::uuid[])`),
        ).map((r) => r.id)
      : [],
  );
  const kept = found.segments.listed.filter((s) => allowed.has(s.sourceId));
  const left = found.segments.listed.length - kept.length;
  await recordAudit(tx, actor, {
    action: 'research.quotes.exported',
    recordType: 'study',
    recordIds: [studyId],
    detail: { quotes: kept.length, leftOutWithoutConsent: left },
  });
  const lines = [
    ['Participant', 'Case', 'Source', 'Start', 'End', 'Quote'].map(csvCell).join(','),
    ...kept.map((s) =>
      [s.participantCode, s.caseLabel, s.sourceName, s.start, s.end, s.text].map(csvCell).join(','),
    ),
  ];
  if (left > 0) {
    lines.push(
      csvCell(
        `${left} segment${left === 1 ? ' was' : 's were'} left out: the participant did not agree to anonymised quotes, withdrew, or is not a participant.`,
      ),
    );
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, quotes: kept.length, leftOut: left };
}
