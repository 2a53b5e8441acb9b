import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole, inScope } from '../../platform/actor.ts';
import { csvCell } from '../../platform/csv.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { VersionedCache } from '../../platform/versioned-cache.ts';
import { londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import { roleAssignments, users } from '../identity/schema.ts';
import { employmentModels } from '../link-workers/contract.ts';
import { sexes } from '../people/contract.ts';
import { needsDomains } from '../referrals/schema.ts';
import type { InstrumentDefinition } from './definition.ts';
import { DEFAULT_OUTCOME_SETTINGS } from './schedule.ts';
import {
  type ChangeCell,
  type CompletionCell,
  type CountCell,
  changeCell,
  completionCell,
  countCell,
  type MeaningfulChange,
  MINIMUM_CELL_SIZE,
  meaningfulChangeFor,
  SUPPRESSED_TEXT,
} from './stats.ts';

/*
 * The service-level change table: for one instrument, each of its scores (and each item of a multi-item
 * instrument) from baseline to discharge and to the short- and long-term follow-ups, over the episodes whose
 * baseline was completed in a period, for an ICB, PCN or practice and the filters chosen. Aggregates only: no
 * person's data leaves the database, and every cell or count of fewer than 5 people is suppressed.
 *
 * Pairing: within one episode, the latest current (not amended-away) complete response per timepoint (for the
 * baseline, the latest completed in the period; for later timepoints, the latest on or after its start). Reaching a
 * timepoint: discharge once the episode is discharged; a follow-up once its window (months after discharge, the
 * PCN's outcome settings) has closed for someone who agreed to be contacted — or as soon as a measure is recorded
 * there. Completion is the share of episodes that reached a timepoint with a measure there.
 */

export const comparisons = ['discharge', 'follow_up_short', 'follow_up_long'] as const;
export type Comparison = (typeof comparisons)[number];
export const comparisonLabels: Record<Comparison, string> = {
  discharge: 'Baseline to discharge',
  follow_up_short: 'Baseline to short-term follow-up',
  follow_up_long: 'Baseline to long-term follow-up (9–12 months)',
};

/** Age at the baseline measure, in the bands ONS uses for adults (under 18 as one band). */
export const ageBands = {
  under_18: { label: 'Under 18', from: 0, to: 17 },
  '18_24': { label: '18 to 24', from: 18, to: 24 },
  '25_34': { label: '25 to 34', from: 25, to: 34 },
  '35_44': { label: '35 to 44', from: 35, to: 44 },
  '45_54': { label: '45 to 54', from: 45, to: 54 },
  '55_64': { label: '55 to 64', from: 55, to: 64 },
  '65_74': { label: '65 to 74', from: 65, to: 74 },
  '75_84': { label: '75 to 84', from: 75, to: 84 },
  '85_plus': { label: '85 and over', from: 85, to: 200 },
} as const;
export type AgeBand = keyof typeof ageBands;

/** NHS Data Dictionary ethnic category letters by their 2001 census group. */
export const ethnicGroups = {
  white: { label: 'White (A, B, C)', letters: ['A', 'B', 'C'] },
  mixed: { label: 'Mixed (D, E, F, G)', letters: ['D', 'E', 'F', 'G'] },
  asian: { label: 'Asian or Asian British (H, J, K, L)', letters: ['H', 'J', 'K', 'L'] },
  black: { label: 'Black or Black British (M, N, P)', letters: ['M', 'N', 'P'] },
  other: { label: 'Other ethnic groups (R, S)', letters: ['R', 'S'] },
  not_stated: { label: 'Not stated (Z)', letters: ['Z'] },
} as const;
export type EthnicGroup = keyof typeof ethnicGroups;

/** An age in whole years in the bands above, as SQL; `otherwise` where none fits (null: no band). */
export function ageBandSql(age: SQL, otherwise: string | null): SQL {
  const cases = Object.entries(ageBands).map(
    ([code, b]) =>
      sql`when ${age} between ${sql.raw(String(b.from))} and ${sql.raw(String(b.to))} then ${code}`,
  );
  return sql`case ${sql.join(cases, sql` `)} else ${otherwise} end`;
}

/** An ethnic category letter's group above, as SQL; `otherwise` for a letter in none (null: no group). */
export function ethnicGroupSql(letter: SQL, otherwise: string | null): SQL {
  const cases = Object.entries(ethnicGroups).map(
    ([code, g]) =>
      sql`when ${letter} in (${sql.join(
        g.letters.map((l) => sql`${l}`),
        sql`, `,
      )}) then ${code}`,
  );
  return sql`case ${sql.join(cases, sql` `)} else ${otherwise} end`;
}

const isoDate = (what: string) => z.iso.date(`Enter ${what} as YYYY-MM-DD, like 2026-04-01`);
const id = (what: string) => z.uuid(`Choose ${what} from the list`);

export const changeQuery = z
  .strictObject({
    instrument: z
      .string({ error: 'Choose an instrument' })
      .regex(/^[a-z][a-z0-9_]{1,59}$/, 'Choose an instrument'),
    from: isoDate('the start of the period').optional(),
    to: isoDate('the end of the period').optional(),
    organisationId: id('an ICB, PCN or GP practice').optional(),
    pcnId: id('a PCN').optional(),
    practiceId: id('a GP practice').optional(),
    linkWorkerId: id('a link worker').optional(),
    implementationModel: z.enum(employmentModels, { error: 'Choose an implementation model' }).optional(),
    needDomain: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,59}$/, 'Choose a need from the list')
      .optional(),
    ageBand: z
      .enum(Object.keys(ageBands) as [AgeBand, ...AgeBand[]], { error: 'Choose an age band' })
      .optional(),
    sex: z.enum(sexes, { error: 'Choose a sex' }).optional(),
    ethnicity: z
      .enum(Object.keys(ethnicGroups) as [EthnicGroup, ...EthnicGroup[]], {
        error: 'Choose an ethnic group',
      })
      .optional(),
    imdQuintile: z
      .enum(['1', '2', '3', '4', '5'], { error: 'Choose an IMD quintile from 1 to 5' })
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.to < q.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The end of the period must be on or after its start',
      });
    }
  });
export type ChangeQuery = z.infer<typeof changeQuery>;

// ---------------------------------------------------------------------------------------------------------------
// Response contract

const nullableNumber = z.number().nullable();
const countCellSchema = z.object({ value: nullableNumber, suppressed: z.boolean() });
const changeCellSchema = z.object({
  suppressed: z.boolean(),
  reason: z.string().nullable(),
  n: nullableNumber,
  meanBefore: nullableNumber,
  meanAfter: nullableNumber,
  meanChange: nullableNumber,
  sdBefore: nullableNumber,
  sdAfter: nullableNumber,
  sdChange: nullableNumber,
  ci95: z.object({ lower: z.number(), upper: z.number() }).nullable(),
  effectSize: z.object({ kazis: nullableNumber, srm: nullableNumber, dAv: nullableNumber }),
  improvedPercent: nullableNumber,
  samePercent: nullableNumber,
  worsePercent: nullableNumber,
});
const completionCellSchema = z.object({
  suppressed: z.boolean(),
  reason: z.string().nullable(),
  reached: nullableNumber,
  completed: nullableNumber,
  ratePercent: nullableNumber,
});

export const changeRow = z.object({
  measure: z.object({
    key: z.string(),
    kind: z.enum(['score', 'item']),
    code: z.string(),
    label: z.string(),
    higherIsBetter: z.boolean(),
    /** The published meaningful change used for improved / worse; null: any change counts. */
    threshold: z.object({ value: z.number(), source: z.string() }).nullable(),
  }),
  comparison: z.enum(comparisons),
  comparisonLabel: z.string(),
  change: changeCellSchema,
  completion: completionCellSchema,
  missing: z.object({
    /** Reached the timepoint without a measure there. */
    notCompleted: countCellSchema,
    /** Still open, or the follow-up window has not closed. */
    notYetDue: countCellSchema,
    /** Follow-ups only: discharged without agreeing to be contacted again. */
    noConsentToFollowUp: countCellSchema.nullable(),
  }),
});
export type ChangeRow = z.infer<typeof changeRow>;

export const changeReport = z.object({
  instrument: z.object({ code: z.string(), version: z.string(), title: z.string() }),
  organisation: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  period: z.object({ from: z.string(), to: z.string() }),
  filters: z.record(z.string(), z.string()),
  generatedOn: z.string(),
  minimumCellSize: z.number(),
  /** Episodes with a baseline for this instrument in the period, after the filters (suppressed when 1–4). */
  episodes: countCellSchema,
  effectSizeShown: z.literal('kazis'),
  notes: z.array(z.string()),
  rows: z.array(changeRow),
});
export type ChangeReport = z.infer<typeof changeReport>;

export const REPORT_NOTES = [
  'Change is the later score minus the baseline score, within the same episode (the latest current measure at each timepoint).',
  '95% confidence intervals use Student’s t with n − 1 degrees of freedom.',
  'Effect size is the mean change divided by the standard deviation of the baseline scores (Kazis et al. 1989): about 0.2 is small, 0.5 moderate and 0.8 large. The standardised response mean (mean change ÷ SD of change) is in the API as srm.',
  'Improved, same and worse use a published meaningful-change threshold where one exists; otherwise any change in the better direction counts as improved.',
  `Any cell or count of fewer than ${MINIMUM_CELL_SIZE} people is suppressed.`,
];

// ---------------------------------------------------------------------------------------------------------------
// Who may see it, and where

export const REPORT_READERS = ['lead_link_worker', 'admin', 'commissioner'] as const;

interface OrganisationRow {
  id: string;
  name: string;
  type: string;
  parent_id: string | null;
}

/** An organisation and everything below it. */
export async function subtreeOf(tx: Db, organisationId: string): Promise<OrganisationRow[]> {
  return rowsOf<OrganisationRow>(
    await tx.execute(sql`
      with recursive down(id, name, type, parent_id, depth) as (
        select id, name, type, parent_id, 0 from organisations where id = ${organisationId}
        union all
        select o.id, o.name, o.type, o.parent_id, down.depth + 1 from organisations o join down on o.parent_id = down.id
        where down.depth < 10
      )
      select id, name, type, parent_id from down order by depth, name`),
  );
}

export interface Reach {
  organisation: { id: string; name: string; type: string };
  /** The PCNs whose episodes count. */
  pcnIds: string[];
  practiceId: string | null;
}

/** The organisation the report is for and the PCNs (and practice) it covers; 404 for anything out of reach. */
export async function reachOf(
  tx: Db,
  actor: Actor,
  q: Pick<ChangeQuery, 'organisationId' | 'pcnId' | 'practiceId'>,
): Promise<Reach> {
  const organisationId = q.organisationId ?? actor.actingOrganisationId!;
  if (!inScope(actor, organisationId)) {
    throw new NotFoundError('organisationId: there is no organisation with this id within your reach.');
  }
  const tree = await subtreeOf(tx, organisationId);
  const top = tree[0];
  if (!top)
    throw new NotFoundError('organisationId: there is no organisation with this id within your reach.');
  let pcnIds: string[];
  let practiceId: string | null = null;
  if (top.type === 'icb') pcnIds = tree.filter((o) => o.type === 'pcn').map((o) => o.id);
  else if (top.type === 'pcn') pcnIds = [top.id];
  else if (top.type === 'gp_practice' && top.parent_id) {
    pcnIds = [top.parent_id];
    practiceId = top.id;
  } else {
    throw new ValidationError(
      'Choose an ICB, PCN or GP practice: this report is not kept for this organisation',
      {
        field: 'organisationId',
      },
    );
  }
  if (q.pcnId) {
    if (!pcnIds.includes(q.pcnId) || !inScope(actor, q.pcnId)) {
      throw new NotFoundError(`pcnId: there is no PCN with this id within ${top.name}.`);
    }
    pcnIds = [q.pcnId];
  }
  if (q.practiceId && q.practiceId !== practiceId) {
    const practice = tree.find((o) => o.id === q.practiceId && o.type === 'gp_practice');
    if (!practice || practiceId !== null || !pcnIds.includes(practice.parent_id ?? '')) {
      throw new NotFoundError(`practiceId: there is no GP practice with this id within ${top.name}.`);
    }
    practiceId = practice.id;
  }
  return { organisation: { id: top.id, name: top.name, type: top.type }, pcnIds, practiceId };
}

async function assertLinkWorkerIn(tx: Db, linkWorkerId: string, pcnIds: string[]): Promise<void> {
  const [found] = await tx
    .select({ id: roleAssignments.userId })
    .from(roleAssignments)
    .where(
      and(
        eq(roleAssignments.userId, linkWorkerId),
        inArray(roleAssignments.role, ['link_worker', 'lead_link_worker']),
        pcnIds.length ? inArray(roleAssignments.organisationId, pcnIds) : sql`false`,
      ),
    )
    .limit(1);
  if (!found)
    throw new NotFoundError('linkWorkerId: there is no link worker with this id in the PCNs chosen.');
}

async function assertNeedDomain(tx: Db, code: string): Promise<void> {
  const [found] = await tx
    .select({ code: needsDomains.code })
    .from(needsDomains)
    .where(eq(needsDomains.code, code));
  if (!found)
    throw new ValidationError(`There is no need ${code}: choose one from the list`, { field: 'needDomain' });
}

interface InstrumentRow {
  id: string;
  code: string;
  version: string;
  title: string;
  definition: InstrumentDefinition;
}

/** The instruments the actor's organisations may use: the shipped ones, and their chain's and scope's own. */
export async function visibleInstruments(tx: Db, actor: Actor, code?: string): Promise<InstrumentRow[]> {
  const orgs = actor.scopeOrganisationIds;
  return rowsOf<InstrumentRow>(
    await tx.execute(sql`
      with recursive up(id, parent_id, depth) as (
        select id, parent_id, 0 from organisations where id = ${actor.actingOrganisationId}
        union all
        select o.id, o.parent_id, up.depth + 1 from organisations o join up on o.id = up.parent_id where up.depth < 10
      )
      select distinct on (code) id, code, version, title, definition
      from outcome_instruments
      where (organisation_id is null
             or organisation_id in (select id from up)
             or organisation_id = any(${sql.param(orgs)}::uuid[]))
        ${code ? sql`and code = ${code}` : sql``}
      order by code, string_to_array(version, '.')::int[] desc, created_at desc`),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The measures reported: each score, and each item of a multi-item instrument

export interface ReportedMeasure {
  key: string;
  kind: 'score' | 'item';
  code: string;
  label: string;
  higherIsBetter: boolean;
  threshold: MeaningfulChange | null;
}

/**
 * Scores in the instrument's order, then the items that are not already a score of their own (ONS4's questions
 * are). An item reads in the direction of the first score it is part of.
 */
export function reportedMeasures(definition: InstrumentDefinition): ReportedMeasure[] {
  const scores: ReportedMeasure[] = definition.scores.map((s) => ({
    key: `score:${s.code}`,
    kind: 'score',
    code: s.code,
    label: s.label,
    higherIsBetter: s.higherIsBetter,
    threshold: meaningfulChangeFor(definition.code, s.code),
  }));
  if (definition.items.length < 2) return scores;
  const ownScores = new Set(definition.scores.filter((s) => s.kind === 'item').map((s) => s.items[0]));
  const items: ReportedMeasure[] = definition.items
    .filter((i) => !ownScores.has(i.linkId))
    .map((i) => ({
      key: `item:${i.linkId}`,
      kind: 'item',
      code: i.linkId,
      label: `Item: ${i.text}`,
      higherIsBetter: definition.scores.find((s) => s.items.includes(i.linkId))?.higherIsBetter ?? true,
      threshold: null,
    }));
  return [...scores, ...items];
}

// ---------------------------------------------------------------------------------------------------------------
// The query

/** Sums over the pairs of one measure at one comparison. */
interface PairRow {
  comparison: Comparison;
  idx: number;
  n: number;
  sum_before: number;
  sum_before_sq: number;
  sum_after: number;
  sum_after_sq: number;
  sum_change: number;
  sum_change_sq: number;
  improved: number;
  worse: number;
}

/** How the episodes stand at one comparison's later timepoint. */
interface ReachRow {
  reached: number;
  not_yet_due: number;
  no_consent: number;
}

export const addYears = (date: string, years: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** What the change table's statement is for: the instrument, its measures, where, when and the filters. */
export interface ChangeStatementArgs {
  code: string;
  measures: ReportedMeasure[];
  pcnIds: string[];
  practiceId?: string | null;
  from: string;
  to: string;
  /** Today in London: a follow-up window is closed when it ended before today. */
  today: string;
  q?: Omit<Partial<ChangeQuery>, 'instrument' | 'from' | 'to'>;
}

/** The later timepoints' columns in outcome_changes. */
export const laterColumns: Record<Comparison, { on: string; value: string }> = {
  discharge: { on: 'discharge_on', value: 'discharge_value' },
  follow_up_short: { on: 'follow_up_short_on', value: 'follow_up_short_value' },
  follow_up_long: { on: 'follow_up_long_on', value: 'follow_up_long_value' },
};

/**
 * The change table's one statement over outcome_changes (schema.ts): per measure and comparison, the sums and sums
 * of squares of the paired scores and changes and the improved and worse counts; per comparison, how many episodes
 * reached the later timepoint; and how many episodes there are. Aggregates only: no person's row leaves the
 * database, and an unfiltered ICB's year is two index-only range scans of outcome_changes_report_idx (episode rows,
 * then the measures' rows). Filters by person or referral join people and referrals to the episode rows only.
 *
 * Pairing, as before the pair table: an episode counts in the period through its latest current complete baseline
 * completed in it (a row's baseline is that one when the episode's next baseline, if any, is after the period);
 * at each later timepoint, the latest current complete response, when completed on or after the period's start.
 * Rows come as kind 'pair' (comparison, idx from 1, sums), 'reach' (comparison, counts) and 'episodes' (n).
 */
export function changeReportStatement(args: ChangeStatementArgs): SQL {
  const q = args.q ?? {};
  const from = sql`${args.from}::date`;
  const to = sql`${args.to}::date`;
  const needsPerson = !!(args.practiceId || q.ageBand || q.sex || q.ethnicity || q.imdQuintile);
  const needsReferral = !!(args.practiceId || q.linkWorkerId || q.needDomain || q.implementationModel);
  const age = q.ageBand ? ageBands[q.ageBand] : null;
  const filters = [
    args.practiceId
      ? sql`and coalesce(p.registered_practice_id, ref.referring_organisation_id) = ${args.practiceId}`
      : sql``,
    q.linkWorkerId ? sql`and ref.allocated_link_worker_id = ${q.linkWorkerId}` : sql``,
    q.needDomain ? sql`and ref.reasons @> ${JSON.stringify([q.needDomain])}::jsonb` : sql``,
    age
      ? sql`and extract(year from age(e.baseline_on, p.date_of_birth)) between ${age.from} and ${age.to}`
      : sql``,
    q.sex ? sql`and p.sex = ${q.sex}` : sql``,
    q.ethnicity
      ? sql`and p.ethnic_category = any(${sql.param([...ethnicGroups[q.ethnicity].letters])}::text[])`
      : sql``,
    q.imdQuintile
      ? sql`and p.imd_decile between ${2 * Number(q.imdQuintile) - 1} and ${2 * Number(q.imdQuintile)}`
      : sql``,
    // The link worker's implementation model as it was on the day of the baseline (context history per PCN).
    q.implementationModel
      ? sql`and (select lc.employment_model from link_worker_contexts lc
                 where lc.organisation_id = ref.organisation_id and lc.link_worker_id = ref.allocated_link_worker_id
                   and lc.effective_from <= e.baseline_on
                 order by lc.effective_from desc limit 1) = ${q.implementationModel}`
      : sql``,
  ];
  const filtered = needsPerson || needsReferral;
  // Rows of this instrument in the PCNs covered whose baseline is the episode's latest in the period.
  const inPeriod = (alias: string) => {
    const a = sql.raw(alias);
    return sql`${a}.instrument_code = ${args.code} and ${a}.organisation_id = any(${sql.param(args.pcnIds)}::uuid[])
      and ${a}.baseline_on between ${from} and ${to}
      and (${a}.next_baseline_on is null or ${a}.next_baseline_on > ${to})`;
  };
  const defaults = DEFAULT_OUTCOME_SETTINGS;
  // Discharged on or after the baseline, so not before the period: an earlier discharge does not count.
  const discharged = sql`e.discharged_on >= ${from}`;
  const closed = (column: string, fallback: number) =>
    sql`${discharged} and coalesce(e.consent_to_follow_up, false) and (e.discharged_on
      + make_interval(months => coalesce(s.${sql.raw(column)}, ${fallback})::int))::date < ${args.today}::date`;
  const seen = (comparison: Comparison) => sql`e.${sql.raw(laterColumns[comparison].on)} >= ${from}`;
  const sums = comparisons.map((comparison, k) => {
    const { on, value } = laterColumns[comparison];
    const after = sql.raw(`c.${value}`);
    const ok = sql`${after} is not null and c.${sql.raw(on)} >= ${from}`;
    const by = sql`(${after} - c.baseline_value) * m.better`;
    const n = sql.raw(String(k));
    return sql`count(*) filter (where ${ok})::int as n${n},
      sum(c.baseline_value) filter (where ${ok})::float8 as sb${n},
      sum(c.baseline_value * c.baseline_value) filter (where ${ok})::float8 as sbb${n},
      sum(${after}) filter (where ${ok})::float8 as sa${n},
      sum(${after} * ${after}) filter (where ${ok})::float8 as saa${n},
      sum(${after} - c.baseline_value) filter (where ${ok})::float8 as sc${n},
      sum((${after} - c.baseline_value) * (${after} - c.baseline_value)) filter (where ${ok})::float8 as scc${n},
      -- The same test as classifyChange in stats.ts, with its allowance for rounding.
      count(*) filter (where ${ok} and ${by} > 1e-9 and ${by} >= m.threshold - 1e-9)::int as up${n},
      count(*) filter (where ${ok} and ${by} < -1e-9 and -${by} >= m.threshold - 1e-9)::int as down${n}`;
  });
  const unpivot = comparisons.map((comparison, k) => {
    const n = sql.raw(String(k));
    return sql`(${comparison}, n${n}, sb${n}, sbb${n}, sa${n}, saa${n}, sc${n}, scc${n}, up${n}, down${n})`;
  });
  return sql`
    with
    m(key, idx, better, threshold) as (
      select * from unnest(${sql.param(args.measures.map((m) => m.key))}::text[],
        ${sql.param(args.measures.map((_, i) => i + 1))}::int[],
        ${sql.param(args.measures.map((m) => (m.higherIsBetter ? 1 : -1)))}::float8[],
        ${sql.param(args.measures.map((m) => m.threshold?.value ?? 0))}::float8[])
    ),
    episode as materialized (
      select e.referral_id,
        ${discharged} and not coalesce(e.consent_to_follow_up, false) as no_consent,
        coalesce(${seen('discharge')}, false) or coalesce(${discharged}, false) as reached_discharge,
        coalesce(${seen('follow_up_short')}, false)
          or coalesce(${closed('short_follow_up_to_months', defaults.shortFollowUpToMonths)}, false) as reached_short,
        coalesce(${seen('follow_up_long')}, false)
          or coalesce(${closed('long_follow_up_to_months', defaults.longFollowUpToMonths)}, false) as reached_long
      from outcome_changes e
      ${needsReferral ? sql`join referrals ref on ref.id = e.referral_id` : sql``}
      ${needsPerson ? sql`join people p on p.id = e.person_id` : sql``}
      left join outcome_settings s on s.organisation_id = e.organisation_id
      where e.measure = '' and ${inPeriod('e')}
        ${sql.join(filters, sql` `)}
    ),
    standing as (
      select count(*)::int as episodes,
        count(*) filter (where reached_discharge)::int as reached_discharge,
        count(*) filter (where not reached_discharge)::int as waiting_discharge,
        count(*) filter (where reached_short)::int as reached_short,
        count(*) filter (where not reached_short and not coalesce(no_consent, false))::int as waiting_short,
        count(*) filter (where not reached_short and coalesce(no_consent, false))::int as no_consent_short,
        count(*) filter (where reached_long)::int as reached_long,
        count(*) filter (where not reached_long and not coalesce(no_consent, false))::int as waiting_long,
        count(*) filter (where not reached_long and coalesce(no_consent, false))::int as no_consent_long
      from episode
    ),
    sums as (
      select m.idx, ${sql.join(sums, sql`, `)}
      from outcome_changes c
      join m on m.key = c.measure
      where c.measure = any(${sql.param(args.measures.map((m) => m.key))}::text[]) and ${inPeriod('c')}
        ${filtered ? sql`and c.referral_id in (select referral_id from episode)` : sql``}
      group by m.idx
    )
    select 'pair' as kind, t.comparison, sums.idx, t.n, t.sum_before, t.sum_before_sq, t.sum_after,
      t.sum_after_sq, t.sum_change, t.sum_change_sq, t.improved, t.worse, 0 as reached, 0 as not_yet_due,
      0 as no_consent
    from sums cross join lateral (values ${sql.join(unpivot, sql`, `)})
      t(comparison, n, sum_before, sum_before_sq, sum_after, sum_after_sq, sum_change, sum_change_sq, improved, worse)
    where t.n > 0
    union all
    select 'reach', t.comparison, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, t.reached, t.not_yet_due, t.no_consent
    from standing cross join lateral (values
      ('discharge', reached_discharge, waiting_discharge, 0),
      ('follow_up_short', reached_short, waiting_short, no_consent_short),
      ('follow_up_long', reached_long, waiting_long, no_consent_long)) t(comparison, reached, not_yet_due, no_consent)
    union all
    select 'episodes', null, 0, episodes, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 from standing`;
}

interface CellSums {
  pairs: PairRow[];
  reached: Map<Comparison, ReachRow>;
  episodes: number;
}

/** Whether the statement reads outcome_changes and outcome_settings only (no filter by person or referral). */
export function readsPairsOnly(args: ChangeStatementArgs): boolean {
  const q = args.q ?? {};
  return !(
    args.practiceId ||
    q.ageBand ||
    q.sex ||
    q.ethnicity ||
    q.imdQuintile ||
    q.linkWorkerId ||
    q.needDomain ||
    q.implementationModel
  );
}

/**
 * Sums without filters by person or referral, kept by the PCNs' outcome_change_versions (migration 0030): any
 * write to their pairs or settings moves a counter, and with it the key. A year of an ICB is ~0.4 s of a core;
 * commissioners reading the same table while nothing changed share one computation. One cache per app (and so per
 * database): report routes make theirs; a caller without one computes every time.
 */
export const changeSumsCache = () => new VersionedCache<CellSums>(200, 15 * 60_000);
export type ChangeSumsCache = ReturnType<typeof changeSumsCache>;

/** Runs the change table's statement (or takes its result for unchanged data) and reads its rows. */
async function cellSums(tx: Db, args: ChangeStatementArgs, cache?: ChangeSumsCache): Promise<CellSums> {
  if (!cache || !readsPairsOnly(args)) return computeCellSums(tx, args);
  const [version] = rowsOf<{ version: string; organisations: number }>(
    await tx.execute(sql`
      select coalesce(sum(version), 0)::text as version, count(*)::int as organisations
      from outcome_change_versions where organisation_id = any(${sql.param(args.pcnIds)}::uuid[])`),
  );
  const key = JSON.stringify([
    args.code,
    args.measures.map((m) => [m.key, m.higherIsBetter, m.threshold?.value ?? 0]),
    [...args.pcnIds].sort(),
    args.from,
    args.to,
    args.today,
    version?.version,
    version?.organisations,
  ]);
  return cache.get(key, () => computeCellSums(tx, args));
}

async function computeCellSums(tx: Db, args: ChangeStatementArgs): Promise<CellSums> {
  const rows = rowsOf<Record<string, unknown>>(await tx.execute(changeReportStatement(args)));
  const num = (row: Record<string, unknown>, key: string) => Number(row[key] ?? 0);
  const pairs: PairRow[] = rows
    .filter((r) => r.kind === 'pair')
    .map((r) => ({
      comparison: r.comparison as Comparison,
      // The query counts measures from 1.
      idx: num(r, 'idx') - 1,
      n: num(r, 'n'),
      sum_before: num(r, 'sum_before'),
      sum_before_sq: num(r, 'sum_before_sq'),
      sum_after: num(r, 'sum_after'),
      sum_after_sq: num(r, 'sum_after_sq'),
      sum_change: num(r, 'sum_change'),
      sum_change_sq: num(r, 'sum_change_sq'),
      improved: num(r, 'improved'),
      worse: num(r, 'worse'),
    }));
  const reached = new Map(
    rows
      .filter((r) => r.kind === 'reach')
      .map((r) => [
        r.comparison as Comparison,
        { reached: num(r, 'reached'), not_yet_due: num(r, 'not_yet_due'), no_consent: num(r, 'no_consent') },
      ]),
  );
  const episodes = num(rows.find((r) => r.kind === 'episodes') ?? {}, 'n');
  return { pairs, reached, episodes };
}

const emptyPair = (comparison: Comparison, idx: number): PairRow => ({
  comparison,
  idx,
  n: 0,
  sum_before: 0,
  sum_before_sq: 0,
  sum_after: 0,
  sum_after_sq: 0,
  sum_change: 0,
  sum_change_sq: 0,
  improved: 0,
  worse: 0,
});

/** The filters as given, for the report's heading and its audit record (ids and codes only). */
function filtersOf(q: ChangeQuery): Record<string, string> {
  const { instrument: _i, from: _f, to: _t, organisationId: _o, ...rest } = q;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

/** The service-level change table for one instrument; aggregates only, suppressed below 5. */
export async function changeReportFor(
  tx: Db,
  actor: Actor,
  q: ChangeQuery,
  format: 'json' | 'csv' | 'xlsx' = 'json',
  cache?: ChangeSumsCache,
): Promise<ChangeReport> {
  assertRole(actor, ...REPORT_READERS);
  const [instrument] = await visibleInstruments(tx, actor, q.instrument);
  if (!instrument) {
    throw new ValidationError(`There is no instrument ${q.instrument} here: choose one from the list`, {
      field: 'instrument',
    });
  }
  const reach = await reachOf(tx, actor, q);
  if (q.linkWorkerId) await assertLinkWorkerIn(tx, q.linkWorkerId, reach.pcnIds);
  if (q.needDomain) await assertNeedDomain(tx, q.needDomain);
  const today = londonDate(actor.now);
  const to = q.to ?? (q.from && q.from > today ? q.from : today);
  const from = q.from ?? addDays(addYears(to, -1), 1);
  const measures = reportedMeasures(instrument.definition);
  const { pairs, reached, episodes } =
    reach.pcnIds.length === 0
      ? { pairs: [], reached: new Map<Comparison, ReachRow>(), episodes: 0 }
      : await cellSums(
          tx,
          {
            code: instrument.code,
            measures,
            pcnIds: reach.pcnIds,
            practiceId: reach.practiceId,
            from,
            to,
            today,
            q,
          },
          cache,
        );
  const byKey = new Map(pairs.map((c) => [`${c.comparison}:${c.idx}`, c]));
  const rows: ChangeRow[] = measures.flatMap((m, idx) =>
    comparisons.map((comparison) => {
      const c = byKey.get(`${comparison}:${idx}`) ?? emptyPair(comparison, idx);
      const standing = reached.get(comparison) ?? { reached: 0, not_yet_due: 0, no_consent: 0 };
      const change: ChangeCell = changeCell({
        n: c.n,
        sumBefore: c.sum_before,
        sumBeforeSq: c.sum_before_sq,
        sumAfter: c.sum_after,
        sumAfterSq: c.sum_after_sq,
        sumChange: c.sum_change,
        sumChangeSq: c.sum_change_sq,
        improved: c.improved,
        same: c.n - c.improved - c.worse,
        worse: c.worse,
      });
      const completion: CompletionCell = completionCell(standing.reached, c.n);
      const notCompleted: CountCell = completion.suppressed
        ? { value: null, suppressed: true }
        : countCell(standing.reached - c.n);
      return {
        measure: m,
        comparison,
        comparisonLabel: comparisonLabels[comparison],
        change,
        completion,
        missing: {
          notCompleted,
          notYetDue: countCell(standing.not_yet_due),
          noConsentToFollowUp: comparison === 'discharge' ? null : countCell(standing.no_consent),
        },
      };
    }),
  );
  const filters = filtersOf(q);
  await recordAudit(tx, actor, {
    action: 'outcomes.change_report.read',
    recordType: 'outcome_report',
    recordIds: [],
    detail: { instrument: instrument.code, organisationId: reach.organisation.id, from, to, filters, format },
  });
  return {
    instrument: { code: instrument.code, version: instrument.version, title: instrument.title },
    organisation: reach.organisation,
    period: { from, to },
    filters,
    generatedOn: today,
    minimumCellSize: MINIMUM_CELL_SIZE,
    episodes: countCell(episodes),
    effectSizeShown: 'kazis',
    notes: REPORT_NOTES,
    rows,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The choices the report's filters offer

export const changeReportOptions = z.object({
  instruments: z.array(z.object({ code: z.string(), title: z.string() })),
  organisations: z.array(
    z.object({ id: z.string(), name: z.string(), type: z.string(), parentId: z.string().nullable() }),
  ),
  linkWorkers: z.array(z.object({ id: z.string(), name: z.string() })),
  needDomains: z.array(z.object({ code: z.string(), label: z.string() })),
  implementationModels: z.array(z.enum(employmentModels)),
  ageBands: z.array(z.object({ code: z.string(), label: z.string() })),
  sexes: z.array(z.enum(sexes)),
  ethnicGroups: z.array(z.object({ code: z.string(), label: z.string() })),
  actingOrganisationId: z.string(),
});
export type ChangeReportOptions = z.infer<typeof changeReportOptions>;

/** What the report can be filtered by, within the actor's reach: instruments, organisations, link workers, needs. */
export async function changeReportOptionsFor(tx: Db, actor: Actor): Promise<ChangeReportOptions> {
  assertRole(actor, ...REPORT_READERS);
  const acting = actor.actingOrganisationId!;
  const tree = (await subtreeOf(tx, acting)).filter((o) => ['icb', 'pcn', 'gp_practice'].includes(o.type));
  const pcnIds = tree.filter((o) => o.type === 'pcn').map((o) => o.id);
  const top = tree[0];
  if (top?.type === 'gp_practice' && top.parent_id) pcnIds.push(top.parent_id);
  const instruments = await visibleInstruments(tx, actor);
  const linkWorkers = pcnIds.length
    ? await tx
        .selectDistinct({ id: users.id, name: users.name })
        .from(roleAssignments)
        .innerJoin(users, eq(users.id, roleAssignments.userId))
        .where(and(eq(roleAssignments.role, 'link_worker'), inArray(roleAssignments.organisationId, pcnIds)))
        .orderBy(users.name)
    : [];
  const needs = await tx
    .select({ code: needsDomains.code, label: needsDomains.label })
    .from(needsDomains)
    .orderBy(needsDomains.position);
  return {
    instruments: instruments
      .map((i) => ({ code: i.code, title: i.title }))
      .sort((a, b) => a.title.localeCompare(b.title)),
    organisations: tree.map((o) => ({ id: o.id, name: o.name, type: o.type, parentId: o.parent_id })),
    linkWorkers,
    needDomains: needs,
    implementationModels: [...employmentModels],
    ageBands: Object.entries(ageBands).map(([code, b]) => ({ code, label: b.label })),
    sexes: [...sexes],
    ethnicGroups: Object.entries(ethnicGroups).map(([code, g]) => ({ code, label: g.label })),
    actingOrganisationId: acting,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The same table as CSV and XLSX

type TableValue = string | number | null;

const round = (x: number | null | undefined, places: number) =>
  x === null || x === undefined ? null : Math.round(x * 10 ** places) / 10 ** places;

export const TABLE_HEADERS = [
  'Measure',
  'Kind',
  'Better when',
  'Comparison',
  'People with paired measures (n)',
  'Mean at baseline',
  'Mean later',
  'Mean change',
  '95% CI lower',
  '95% CI upper',
  'SD of change',
  'Effect size (mean change / baseline SD)',
  'Standardised response mean',
  'Improved %',
  'Same %',
  'Worse %',
  'Meaningful change threshold',
  'Threshold source',
  'Reached the timepoint',
  'Completed at the timepoint',
  'Completion %',
  'Not completed',
  'Not yet due',
  'No consent to follow-up',
] as const;

/** The report as rows of plain values: numbers rounded for reading, suppressed cells saying so. */
export function changeReportTable(report: ChangeReport): TableValue[][] {
  const suppressed = (cell: { suppressed: boolean }, value: TableValue) =>
    cell.suppressed ? SUPPRESSED_TEXT : value;
  const count = (c: CountCell | null) => (c === null ? 'not applicable' : suppressed(c, c.value));
  return report.rows.map((r) => {
    const ch = r.change;
    const ci = ch.ci95;
    return [
      r.measure.label,
      r.measure.kind,
      r.measure.higherIsBetter ? 'higher' : 'lower',
      r.comparisonLabel,
      ch.suppressed ? (ch.n === 0 ? 0 : SUPPRESSED_TEXT) : ch.n,
      suppressed(ch, round(ch.meanBefore, 2)),
      suppressed(ch, round(ch.meanAfter, 2)),
      suppressed(ch, round(ch.meanChange, 2)),
      suppressed(ch, round(ci?.lower, 2)),
      suppressed(ch, round(ci?.upper, 2)),
      suppressed(ch, round(ch.sdChange, 2)),
      suppressed(ch, round(ch.effectSize.kazis, 2)),
      suppressed(ch, round(ch.effectSize.srm, 2)),
      suppressed(ch, round(ch.improvedPercent, 1)),
      suppressed(ch, round(ch.samePercent, 1)),
      suppressed(ch, round(ch.worsePercent, 1)),
      r.measure.threshold ? r.measure.threshold.value : 'any change (no published threshold)',
      r.measure.threshold ? r.measure.threshold.source : '',
      suppressed(r.completion, r.completion.reached),
      suppressed(r.completion, r.completion.completed),
      suppressed(r.completion, round(r.completion.ratePercent, 1)),
      count(r.missing.notCompleted),
      count(r.missing.notYetDue),
      count(r.missing.noConsentToFollowUp),
    ];
  });
}

/** UTF-8 CSV with CRLF line ends, one header row then one row per measure and comparison. */
export function changeReportCsv(report: ChangeReport): string {
  return [[...TABLE_HEADERS], ...changeReportTable(report)]
    .map((row) => row.map(csvCell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/** The table on a "Change" sheet, and what it is (instrument, organisation, period, filters, notes) on "About". */
export async function changeReportXlsx(report: ChangeReport): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linkwork';
  const sheet = workbook.addWorksheet('Change', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  sheet.addRow([...TABLE_HEADERS]).font = { bold: true };
  for (const row of changeReportTable(report)) sheet.addRow(row);
  sheet.columns.forEach((column, i) => {
    column.width = i === 0 ? 48 : i === 3 ? 36 : 16;
  });
  const about = workbook.addWorksheet('About');
  about.addRows([
    ['Outcome change report'],
    ['Instrument', `${report.instrument.title} (version ${report.instrument.version})`],
    ['Organisation', report.organisation.name],
    ['Baseline completed between', `${report.period.from} and ${report.period.to}`],
    ...Object.entries(report.filters).map(([k, v]) => [`Filter: ${k}`, v]),
    ['Episodes with a baseline', report.episodes.suppressed ? SUPPRESSED_TEXT : report.episodes.value],
    ['Produced on', report.generatedOn],
    [],
    ...report.notes.map((note) => ['Note', note]),
  ]);
  about.getRow(1).font = { bold: true, size: 14 };
  about.getColumn(1).width = 28;
  about.getColumn(2).width = 110;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
