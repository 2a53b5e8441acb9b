import { parse } from 'csv-parse/sync';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, inScope } from '../../platform/actor.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import { londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { ageBands, ethnicGroups } from '../outcomes/report.ts';
import { sexes } from '../people/contract.ts';
import {
  POPULATION_CSV_COLUMNS,
  type PopulationBandType,
  type PopulationLoadResult,
  populationBandTypes,
} from './contract.ts';
import { practicePopulations } from './schema.ts';

/** The bands of each kind, in the order reports show them (the outcomes report's age bands and ethnic groups). */
export const populationBands: Record<PopulationBandType, { code: string; label: string }[]> = {
  age_band: Object.entries(ageBands).map(([code, b]) => ({ code, label: b.label })),
  sex: sexes.map((code) => ({ code, label: code === 'not_stated' ? 'Not stated' : capitalise(code) })),
  ethnicity: Object.entries(ethnicGroups).map(([code, g]) => ({ code, label: g.label })),
  imd_quintile: [1, 2, 3, 4, 5].map((q) => ({
    code: String(q),
    label: `IMD quintile ${q}${q === 1 ? ' (most deprived)' : q === 5 ? ' (least deprived)' : ''}`,
  })),
};

function capitalise(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Who may load population figures: administrators, and the ICB's analysts, whose figures they are. */
const POPULATION_LOADERS = ['admin', 'commissioner'] as const;
const MAX_PROBLEMS = 100;
const MAX_COUNT = 2_000_000;

interface PracticeRow {
  id: string;
  ods_code: string | null;
  parent_id: string | null;
  parent_type: string | null;
}

interface ParsedRow {
  line: number;
  practice: string;
  bandType: PopulationBandType;
  band: string;
  count: number;
  asOf: string;
}

/**
 * Loads practice populations from CSV (columns practice, band_type, band, count, as_of in any order; practice is
 * the GP practice's ODS code or its Linkwork id). Every line is checked first and every problem is reported with
 * its line number; one bad line loads nothing. A practice, band type and date already loaded is replaced whole,
 * so a corrected file can be loaded again.
 */
export async function loadPracticePopulations(
  tx: Db,
  actor: Actor,
  text: string | null,
): Promise<PopulationLoadResult> {
  assertRole(actor, ...POPULATION_LOADERS);
  if (text === null) {
    throw new ValidationError('Send the CSV file itself as the request body, with Content-Type text/csv', {
      field: 'file',
    });
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const message = (err as Error).message;
    throw new ValidationError(`The CSV file cannot be read: ${message}`, [{ field: 'file', message }]);
  }
  const [header, ...lines] = records;
  const columns = (header?.record ?? []).map((h) => h.trim().toLowerCase());
  const missing = POPULATION_CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (!header || missing.length) {
    throw new ValidationError(
      `Line 1 must name the columns ${POPULATION_CSV_COLUMNS.join(', ')}: ${missing.join(', ')} missing`,
      { field: 'line 1' },
    );
  }
  if (lines.length === 0) {
    throw new ValidationError('The file has no population rows under its header line', { field: 'file' });
  }
  const at = Object.fromEntries(POPULATION_CSV_COLUMNS.map((c) => [c, columns.indexOf(c)])) as Record<
    (typeof POPULATION_CSV_COLUMNS)[number],
    number
  >;
  const problems: FieldError[] = [];
  const problem = (line: number, message: string) =>
    problems.push({ field: `line ${line}`, message: `Line ${line}: ${message}` });
  const today = londonDate(actor.now);

  const parsed: ParsedRow[] = [];
  for (const { record, info } of lines) {
    // csv-parse counts the lines read so far: a quoted value over two lines still names the line it ends on.
    const line = info.lines;
    const cell = (c: keyof typeof at) => (record[at[c]] ?? '').trim();
    if (record.length !== columns.length) {
      problem(line, `has ${record.length} values; the header has ${columns.length}`);
      continue;
    }
    const practice = cell('practice');
    const bandType = cell('band_type') as PopulationBandType;
    const band = cell('band');
    const count = cell('count');
    const asOf = cell('as_of');
    const before = problems.length;
    if (!practice) problem(line, 'practice is empty: give the practice’s ODS code');
    if (!populationBandTypes.includes(bandType)) {
      problem(line, `band_type “${bandType}” is not one of ${populationBandTypes.join(', ')}`);
    } else if (!populationBands[bandType].some((b) => b.code === band)) {
      problem(
        line,
        `band “${band}” is not one of the ${bandType} bands (${populationBands[bandType].map((b) => b.code).join(', ')})`,
      );
    }
    if (!/^\d+$/.test(count) || Number(count) > MAX_COUNT) {
      problem(line, `count “${count}” is not a whole number from 0 to ${MAX_COUNT.toLocaleString('en-GB')}`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
      problem(line, `as_of “${asOf}” is not a date like 2026-04-01`);
    } else if (new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) !== asOf) {
      problem(line, `as_of “${asOf}” is not a real date`);
    } else if (asOf > today) {
      problem(line, `as_of ${asOf} is in the future`);
    }
    if (problems.length === before) {
      parsed.push({ line, practice, bandType, band, count: Number(count), asOf });
    }
    if (problems.length >= MAX_PROBLEMS) break;
  }

  // Practices by ODS code or id, within the organisations the loader acts for.
  const wanted = [...new Set(parsed.map((p) => p.practice))];
  const ids = wanted.filter((w) => /^[0-9a-f-]{36}$/i.test(w)).map((w) => w.toLowerCase());
  const codes = wanted.map((w) => w.toUpperCase());
  const practices = wanted.length
    ? rowsOf<PracticeRow>(
        await tx.execute(sql`
          select o.id, o.ods_code, o.parent_id, parent.type as parent_type
          from organisations o left join organisations parent on parent.id = o.parent_id
          where o.type = 'gp_practice'
            and (o.ods_code = any(${sql.param(codes)}::text[]) or o.id::text = any(${sql.param(ids)}::text[]))`),
      )
    : [];
  const byKey = new Map<string, PracticeRow>();
  for (const p of practices) {
    byKey.set(p.id, p);
    if (p.ods_code) byKey.set(p.ods_code, p);
  }
  const seen = new Map<string, number>();
  const rows: (ParsedRow & { practiceId: string; pcnId: string })[] = [];
  for (const p of parsed) {
    const found = byKey.get(p.practice.toUpperCase()) ?? byKey.get(p.practice.toLowerCase());
    if (!found || !inScope(actor, found.id)) {
      problem(p.line, `there is no GP practice “${p.practice}” within your organisation`);
      continue;
    }
    if (!found.parent_id || found.parent_type !== 'pcn') {
      problem(p.line, `practice “${p.practice}” is not in a PCN, so its population cannot be used`);
      continue;
    }
    const key = [found.id, p.bandType, p.band, p.asOf].join('|');
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problem(p.line, `the same practice, band and as_of date as line ${earlier}`);
      continue;
    }
    seen.set(key, p.line);
    rows.push({ ...p, practiceId: found.id, pcnId: found.parent_id });
  }
  if (problems.length) {
    problems.sort((a, b) => Number(a.field.slice(5)) - Number(b.field.slice(5)));
    const shown = problems.slice(0, MAX_PROBLEMS);
    throw new ValidationError(
      `The population file was not loaded: ${problems.length === 1 ? 'one line has a problem' : `${problems.length >= MAX_PROBLEMS ? `at least ${MAX_PROBLEMS}` : problems.length} lines have problems`}. ${shown[0]!.message}`,
      shown,
    );
  }

  // Each practice, band type and date in the file replaces what was loaded for it before.
  const groups = [...new Set(rows.map((r) => [r.pcnId, r.practiceId, r.bandType, r.asOf].join('|')))];
  for (const g of groups) {
    const [pcnId, practiceId, bandType, asOf] = g.split('|') as [string, string, PopulationBandType, string];
    await tx
      .delete(practicePopulations)
      .where(
        and(
          eq(practicePopulations.organisationId, pcnId),
          eq(practicePopulations.practiceId, practiceId),
          eq(practicePopulations.bandType, bandType),
          eq(practicePopulations.asOf, asOf),
        ),
      );
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await tx.insert(practicePopulations).values(
      rows.slice(i, i + 1000).map((r) => ({
        organisationId: r.pcnId,
        practiceId: r.practiceId,
        bandType: r.bandType,
        band: r.band,
        asOf: r.asOf,
        count: r.count,
        loadedBy: actor.userId,
        loadedAt: actor.now,
      })),
    );
  }
  const result: PopulationLoadResult = {
    rows: rows.length,
    practices: new Set(rows.map((r) => r.practiceId)).size,
    asOf: [...new Set(rows.map((r) => r.asOf))].sort(),
  };
  await recordAudit(tx, actor, {
    action: 'reporting.practice_population.loaded',
    recordType: 'practice_population',
    recordIds: [...new Set(rows.map((r) => r.practiceId))],
    detail: { ...result },
  });
  return result;
}

export interface PopulationSlice {
  bandType: PopulationBandType;
  /** Practices with figures for this band type, and the date used for each. */
  asOfByPractice: Map<string, string>;
  /** Registered patients per band, summed over those practices. */
  byBand: Map<string, number>;
}

/**
 * For each band type, the practices with a population loaded and their figures: for each practice the latest
 * date on or before the end of the period, or failing that the earliest after it.
 */
export async function populationFor(
  tx: Db,
  pcnIds: string[],
  practiceIds: string[],
  periodEnd: string,
): Promise<Map<PopulationBandType, PopulationSlice>> {
  const slices = new Map<PopulationBandType, PopulationSlice>(
    populationBandTypes.map((t) => [t, { bandType: t, asOfByPractice: new Map(), byBand: new Map() }]),
  );
  if (practiceIds.length === 0) return slices;
  const rows = rowsOf<{
    practice_id: string;
    band_type: PopulationBandType;
    band: string;
    as_of: string;
    n: number;
  }>(
    await tx.execute(sql`
      with chosen as (
        select distinct on (practice_id, band_type) practice_id, band_type, as_of
        from practice_populations
        where organisation_id = any(${sql.param(pcnIds)}::uuid[])
          and practice_id = any(${sql.param(practiceIds)}::uuid[])
        order by practice_id, band_type, (as_of > ${periodEnd}::date), abs(as_of - ${periodEnd}::date)
      )
      select pp.practice_id, pp.band_type, pp.band, to_char(pp.as_of, 'YYYY-MM-DD') as as_of, pp.count::int as n
      from practice_populations pp
      join chosen c using (practice_id, band_type, as_of)
      where pp.organisation_id = any(${sql.param(pcnIds)}::uuid[])`),
  );
  for (const r of rows) {
    const slice = slices.get(r.band_type)!;
    slice.asOfByPractice.set(r.practice_id, r.as_of);
    slice.byBand.set(r.band, (slice.byBand.get(r.band) ?? 0) + Number(r.n));
  }
  return slices;
}

/** What is loaded, per practice and band type: the dates and the total registered at the latest. */
export async function loadedPopulations(tx: Db, actor: Actor) {
  assertRole(actor, 'lead_link_worker', 'admin', 'commissioner');
  const rows = await tx
    .select({
      practiceId: practicePopulations.practiceId,
      bandType: practicePopulations.bandType,
      asOf: practicePopulations.asOf,
      total: sql<number>`sum(${practicePopulations.count})::int`,
    })
    .from(practicePopulations)
    .where(inArray(practicePopulations.organisationId, actor.scopeOrganisationIds))
    .groupBy(practicePopulations.practiceId, practicePopulations.bandType, practicePopulations.asOf)
    .orderBy(practicePopulations.practiceId, practicePopulations.bandType, practicePopulations.asOf);
  return rows;
}
