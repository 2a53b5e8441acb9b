import { type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import { csvCell } from '../../platform/csv.ts';
import { ValidationError } from '../../platform/errors.ts';
import { VersionedCache } from '../../platform/versioned-cache.ts';
import { londonDate } from '../../platform/working-days.ts';
import { recordAudit } from '../audit/service.ts';
import {
  addDays,
  addYears,
  type Comparison,
  comparisonLabels,
  laterColumns,
  REPORT_READERS,
  type ReportedMeasure,
  reachOf,
  reportedMeasures,
  visibleInstruments,
} from '../outcomes/report.ts';
import { DEFAULT_OUTCOME_SETTINGS } from '../outcomes/schedule.ts';
import {
  type ChangeCell,
  type CountCell,
  changeCell,
  countCell,
  hiddenChangeCell,
  MINIMUM_CELL_SIZE,
  type PairedSums,
  SUPPRESSED_TEXT,
} from '../outcomes/stats.ts';
import { monthsOf } from '../reporting/operational.ts';
import { dayOfMonth, type MonthOfPeriod, monthsOfPeriod } from '../reporting/report-pieces.ts';
import { suppressTable } from '../reporting/suppression.ts';
import type { ExplorerQuery } from './contract.ts';
import { type Factor, factorByKey, factorGroups, joinsFor } from './factors.ts';
import { type Coefficient, fitLinearModel, type LinearModel, type ModelTerm } from './model.ts';

/*
 * "What works, for whom, in what circumstances": outcome change (later score − baseline, within an episode) broken
 * down by one factor or two crossed — person context, the link worker's implementation context as it was on the
 * day of the baseline, or a mechanism proxy — with n, mean change and its 95% CI, effect size and missing data per
 * cell, every cell under 5 suppressed and enough others with it that none can be worked out from the margins.
 *
 * Pairing is the change table's (src/modules/outcomes/report.ts): the episodes whose latest current complete
 * baseline of the instrument fell in the period, their latest value at the later timepoint when completed on or
 * after the period's start. Episodes that reached the timepoint without a value there are the cell's missing data.
 * The sums are made in the database, by cell and baseline day (no identifiers leave it for the tables; a day's
 * group may be one episode's figures, kept in the server's memory a few minutes, never shown); the adjusted model
 * reads one row per paired episode — change, baseline, age, sex, IMD quintile and the chosen factors, no
 * identifiers — and fits it here (model.ts).
 *
 * Two analyses side by side: all available pairs, and complete cases only (pairs where IMD quintile and every
 * chosen factor are recorded: the model's covariates). The model is fitted on complete cases, and again on all
 * available pairs with "not recorded" as a level of its own (the missing-indicator method, which is biased in
 * general but shows whether leaving people out moves the estimate).
 */

export const EXPLORER_READERS = [...REPORT_READERS, 'researcher'] as const;

export const CAUTION =
  'These are associations in routine data, to test with the qualitative work — not proof that one thing caused another. People were not assigned to link workers, services or contact patterns at random, and what is not recorded (for example, how unwell someone was) may explain a difference.';

const NOT_RECORDED = 'not_recorded';

interface Resolved {
  instrument: { code: string; version: string; title: string };
  measure: ReportedMeasure;
  /** The measure is the instrument's first score, whose pairs the episode facts keep beside the factors. */
  headline: boolean;
  organisation: { id: string; name: string; type: string };
  pcnIds: string[];
  practiceId: string | null;
  from: string;
  to: string;
  today: string;
  comparison: Comparison;
  factors: Factor[];
  /** Level labels of each factor, the needs domains' labels filled in. */
  labels: Map<string, Map<string, string>>;
}

async function resolve(tx: Db, actor: Actor, q: ExplorerQuery): Promise<Resolved> {
  assertRole(actor, ...EXPLORER_READERS);
  const [instrument] = await visibleInstruments(tx, actor, q.instrument);
  if (!instrument) {
    throw new ValidationError(`There is no instrument ${q.instrument} here: choose one from the list`, {
      field: 'instrument',
    });
  }
  const measures = reportedMeasures(instrument.definition);
  const measure = q.measure ? measures.find((m) => m.key === q.measure) : measures[0];
  if (!measure) {
    throw new ValidationError(
      `${instrument.title} has no ${q.measure}: choose one of its scores or questions`,
      {
        field: 'measure',
      },
    );
  }
  const reach = await reachOf(tx, actor, { organisationId: q.organisationId });
  const today = londonDate(actor.now);
  const to = q.to ?? (q.from && q.from > today ? q.from : today);
  const from = q.from ?? addDays(addYears(to, -1), 1);
  const factors = [q.factor, ...(q.by ? [q.by] : [])].map((k) => factorByKey.get(k)!);
  const labels = new Map<string, Map<string, string>>();
  for (const f of factors) {
    let list = f.levels;
    if (f.key === 'main_need') {
      list = rowsOf<{ code: string; label: string }>(
        await tx.execute(sql`select code, label from needs_domains order by position, code`),
      );
    }
    labels.set(f.key, new Map(list.map((l) => [l.code, l.label])));
  }
  return {
    instrument: { code: instrument.code, version: instrument.version, title: instrument.title },
    measure,
    headline: measure.kind === 'score' && measure.key === measures[0]?.key,
    organisation: reach.organisation,
    pcnIds: reach.pcnIds,
    practiceId: reach.practiceId,
    from,
    to,
    today,
    comparison: q.comparison,
    factors,
    labels,
  };
}

/** Every read is audited with the question asked (codes and ids only: no one's data). */
function auditRead(tx: Db, actor: Actor, action: string, r: Resolved, extra: Record<string, unknown> = {}) {
  return recordAudit(tx, actor, {
    action,
    recordType: 'insight_explorer',
    recordIds: [],
    detail: {
      instrument: r.instrument.code,
      measure: r.measure.key,
      comparison: r.comparison,
      organisationId: r.organisation.id,
      from: r.from,
      to: r.to,
      factors: r.factors.map((f) => f.key),
      ...extra,
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Kept results

/**
 * Tables' sums and fitted models, kept per app (routes.ts makes them) under a key naming the question and the
 * PCNs' outcome data versions (migration 0030's counters, moved by every write to measures and discharges): a
 * change of outcomes shows at once. Changes elsewhere (a person's postcode, a link worker's context, contacts)
 * show within five minutes, the entries' age limit. Aggregates only.
 *
 * And a table's months (sumsByMonths), under the question's key without its period: a period not asked for before
 * is added up from the months earlier periods read (an ICB's year ending any day: ~13 months, of which a new one
 * now and then), each read whole once by baseline day. Its figures are then of moments up to five minutes apart,
 * as a kept table's are. The model reads its rows for the period alone, as before.
 */
export interface ExplorerCaches {
  tables: VersionedCache<SumsRow[]>;
  models: VersionedCache<readonly [FittedOut, FittedOut]>;
  /** A question's months, by baseline day (sumsByMonths). */
  months: VersionedCache<MonthSums>;
}
type FittedOut = ReturnType<typeof fitModel>;

export const EXPLORER_CACHE_AGE_MS = 5 * 60_000;
export const explorerCaches = (): ExplorerCaches => ({
  tables: new VersionedCache(200, EXPLORER_CACHE_AGE_MS),
  models: new VersionedCache(50, EXPLORER_CACHE_AGE_MS),
  months: new VersionedCache(2000, EXPLORER_CACHE_AGE_MS, undefined, {
    of: monthSumsBytes,
    max: 64 * 1024 * 1024,
  }),
});

/** The question asked whatever its period (the months' key), and the data's version. */
async function questionKey(tx: Db, r: Resolved): Promise<string> {
  const [version] = rowsOf<{ version: string; organisations: number }>(
    await tx.execute(sql`
      select coalesce(sum(version), 0)::text as version, count(*)::int as organisations
      from outcome_change_versions where organisation_id = any(${sql.param(r.pcnIds)}::uuid[])`),
  );
  return JSON.stringify([
    r.instrument.code,
    r.instrument.version,
    r.measure.key,
    r.comparison,
    [...r.pcnIds].sort(),
    r.practiceId,
    r.today,
    r.factors.map((f) => f.key),
    version?.version,
    version?.organisations,
  ]);
}

const cacheKey = (question: string, r: Resolved, q: ExplorerQuery) =>
  JSON.stringify([question, r.from, r.to, q.reference ?? null, q.byReference ?? null, q.interaction]);

/**
 * An ICB's year joins ~100,000 episodes to their pairs by hashing them; the default 4 MB of work memory spills those
 * hashes to disk in batches. And the planner, multiplying the selectivities of the pairs' correlated conditions
 * (measure, PCNs, baselines in the period, later measure since), can expect a few thousand pairs where there are
 * ~65,000 and join them to the episodes by a nested loop, one index probe each (the adjusted model: ~700 ms, where
 * hashing takes ~250 ms on the benchmark's data): a nested loop is never the explorer's join of those (the caseload's
 * months, a range join, still is: its cost then counts as "disabled", so no JIT compiling for that, as for any
 * report; see asReportReader). This transaction only, and only for the explorer's statements.
 *
 * `groups`: for the model's statement, which groups its ~65,000 pairs into a few hundred rows. Expecting a few
 * thousand pairs, the planner sorts them all to group them (~40 ms of ~160 on the benchmark's data) instead of
 * hashing them into the groups; sorting stays possible where nothing else can do (its cost then counts as
 * "disabled", as above).
 */
async function roomToHash(tx: Db, options: { groups?: boolean } = {}) {
  await tx.execute(
    sql`select set_config('work_mem', '48MB', true), set_config('enable_nestloop', 'off', true),
      set_config('jit', 'off', true) ${options.groups ? sql`, set_config('enable_sort', 'off', true)` : sql``}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The statement

/**
 * The facts' columns the statement reads: those of the covering index (migration 0038), so that the read is
 * index-only. Not the baseline's id: within an instrument, the period's condition (the latest baseline in it) leaves
 * one row per referral, so the pairs join on the referral alone (and read outcome_changes index-only too).
 */
const FACT_COLUMNS = sql.raw(
  [
    'instrument_code',
    'organisation_id',
    'baseline_on',
    'referral_id',
    'next_baseline_on',
    'discharged_on',
    'consent_to_follow_up',
    'practice_id',
    'link_worker_id',
    'age',
    'sex',
    'ethnic_category',
    'imd_decile',
    'main_need',
    'referral_source',
    'employment_model',
    'supervision',
    'clinical_system_access',
    'practice_meetings',
    'delivery_mode',
    'days_to_first_contact',
    'contacts',
    'in_person',
    'goals',
    'warm',
    'signposted',
    'attended',
  ].join(', '),
);

/**
 * Where a question's pairs come from: the episode facts, which keep the headline score's pair beside the factors
 * (migration 0052: the period is one index-only range read, no join), or outcome_changes, joined (any measure).
 */
type PairsFrom = 'facts' | 'changes';

/**
 * Baseline days to read whole, whatever period asks (`lo`, `hi`: dates), for the months a table is added up from:
 * every episode some period could count, with what decides whether it does (its baseline day, its next baseline's,
 * and the rare dates before its baseline that a period's start judges) beside its factors.
 */
interface Span {
  lo: string;
  hi: string;
}

/**
 * The episodes of the period with their pair at the comparison's timepoint, whether they reached it, and the
 * chosen factors' levels (a, b), IMD quintile, sex and age: the CTE `x` both the tables and the model read. The
 * episodes and their factors come from insight_episode_facts (one range read of the period's rows), the pairs from
 * there too for the headline score, else from outcome_changes' covering index; the caseload, when asked for, from
 * the link workers' caseload steps for just the (link worker, month) pairs of the period. `stale`: the facts kept
 * another measure's pair for this episode, or none (reading from the facts only).
 */
function episodesWithFactors(r: Resolved, pairsFrom: PairsFrom, span?: Span): SQL {
  const from = sql`${span ? span.lo : r.from}::date`;
  const to = sql`${span ? span.hi : r.to}::date`;
  const { on, value } = laterColumns[r.comparison];
  // Whether the episode reached the timepoint without a measure there, given when it was discharged: since the
  // period's start (a period's statement), or since its baseline (a span's rows, beside the discharge date when it
  // was earlier than that, for the period to judge).
  const reachedWith = (discharged: SQL): SQL =>
    ({
      discharge: sql`coalesce(${discharged}, false)`,
      follow_up_short: sql`coalesce(${discharged} and coalesce(f.consent_to_follow_up, false) and (f.discharged_on
      + make_interval(months => coalesce(s.short_follow_up_to_months, ${DEFAULT_OUTCOME_SETTINGS.shortFollowUpToMonths})::int))::date
      < ${r.today}::date, false)`,
      follow_up_long: sql`coalesce(${discharged} and coalesce(f.consent_to_follow_up, false) and (f.discharged_on
      + make_interval(months => coalesce(s.long_follow_up_to_months, ${DEFAULT_OUTCOME_SETTINGS.longFollowUpToMonths})::int))::date
      < ${r.today}::date, false)`,
    })[r.comparison];
  // A span keeps every episode that some period could count: not one whose next baseline is on its own day (a
  // period's end is never before its baseline), which also leaves one row per referral and baseline day.
  const inPeriod = (alias: string) => {
    const a = sql.raw(alias);
    return sql`${a}.instrument_code = ${r.instrument.code} and ${a}.organisation_id = any(${sql.param(r.pcnIds)}::uuid[])
      and ${a}.baseline_on between ${from} and ${to}
      and (${a}.next_baseline_on is null or ${a}.next_baseline_on > ${span ? sql`${a}.baseline_on` : to})`;
  };
  const joins = joinsFor(r.factors);
  const factsInPeriod = sql`${inPeriod('f')} ${r.practiceId ? sql`and f.practice_id = ${r.practiceId}` : sql``}`;
  const [fa, fb] = r.factors;
  const inFacts = pairsFrom === 'facts';
  const pr = sql.raw(inFacts ? 'f' : 'pr');
  const c = { on: sql.raw(`c.${on}`), value: sql.raw(`c.${value}`) };
  const kept = sql.raw(`f.${value}`);
  // The pair as the facts keep it (the headline score's), when they keep the one asked for: its later measure is
  // never dated before its baseline, which is in the period, so it counts. An episode that kept another measure's
  // pair, or none (a baseline without scores, or a later measure before the baseline), is stale for this question,
  // and the statement says so (the caller asks again, joining).
  const factsPair = sql`,
        case when ${kept} is not null then f.baseline_value end as before, ${kept} as after,
        (f.headline_measure is distinct from ${r.measure.key}) as stale`;
  return sql`
    ${
      inFacts
        ? sql``
        : span
          ? sql`pairs as (
      select c.referral_id, c.baseline_on, c.baseline_value as before, ${c.value} as after, ${c.on} as later_on
      from outcome_changes c
      where c.measure = ${r.measure.key} and ${inPeriod('c')} and ${c.value} is not null
    ),`
          : sql`pairs as (
      select c.referral_id, c.baseline_value as before, ${c.value} as after
      from outcome_changes c
      where c.measure = ${r.measure.key} and ${inPeriod('c')} and ${c.value} is not null and ${c.on} >= ${from}
    ),`
    }
    f as (
      select ${FACT_COLUMNS} ${inFacts ? factsPair : sql``} from insight_episode_facts f where ${factsInPeriod}
    ),
    ${
      // Each link worker's caseload in each month of the period: the steps summed once, running, with the month
      // the next step starts, spread over the months of the period each holds (~13 rows per link worker for a
      // year, however many episodes), for the episodes to find by hashing. The months are listed, not generated,
      // so that the planner knows how few they are.
      joins.has('caseload')
        ? sql`cum as (
      select lw, month, sum(change) over (partition by lw order by month)::int as caseload,
        coalesce(lead(month) over (partition by lw order by month), 'infinity'::date) as until
      from (select link_worker_id as lw, month, sum(change) as change from link_worker_caseload_steps
            group by link_worker_id, month) st
    ),
    months(month) as (values ${sql.join(
      monthsOf(span ? span.lo : r.from, span ? span.hi : r.to).map((m) => sql`(${`${m.key}-01`}::date)`),
      sql`, `,
    )}),
    cl as (
      select cum.lw, months.month, cum.caseload
      from cum join months on cum.month <= months.month and months.month < cum.until
    ),`
        : sql``
    }
    x as (
      select ${
        span
          ? sql`f.baseline_on, f.next_baseline_on, ${reachedWith(sql`f.discharged_on >= f.baseline_on`)} as reach_dis,
        case when f.discharged_on < f.baseline_on and ${reachedWith(sql`true`)} then f.discharged_on end as reach_since,
        ${inFacts ? sql`null::date` : sql`case when pr.later_on < f.baseline_on then pr.later_on end`} as pair_since,
        ${pr}.after is not null as has_after,`
          : sql`(${reachedWith(sql`f.discharged_on >= ${from}`)} or ${pr}.after is not null) as reached,`
      } ${pr}.before, ${pr}.after,
        ${inFacts ? sql`f.stale` : sql`false`} as stale,
        ${fa!.level} as a,
        ${fb ? fb.level : sql`null::text`} as b,
        f.imd_decile, f.sex, f.age
      from f
      left join outcome_settings s on s.organisation_id = f.organisation_id
      ${
        inFacts
          ? sql``
          : span
            ? sql`left join pairs pr on pr.referral_id = f.referral_id and pr.baseline_on = f.baseline_on`
            : sql`left join pairs pr on pr.referral_id = f.referral_id`
      }
      ${joins.has('caseload') ? sql`left join cl on cl.lw = f.link_worker_id and cl.month = date_trunc('month', f.baseline_on)::date` : sql``}
    )`;
}

/**
 * A statement's rows, its pairs read from the facts when the question is on the headline score, unless some of the
 * period's episodes there are stale for it (`stale` of a row): then, and for any other measure, joining the pairs.
 */
async function pairedRows<T>(
  tx: Db,
  r: Resolved,
  statement: (r: Resolved, pairsFrom: PairsFrom) => SQL,
  stale: (row: T) => boolean,
): Promise<T[]> {
  if (r.headline) {
    const rows = rowsOf<T>(await tx.execute(statement(r, 'facts')));
    if (!rows.some(stale)) return rows;
  }
  return rowsOf<T>(await tx.execute(statement(r, 'changes')));
}

/** Sums per cell and margin, for all available pairs and for complete cases (IMD and every factor recorded). */
function cellsStatement(r: Resolved, pairsFrom: PairsFrom): SQL {
  const better = r.measure.higherIsBetter ? 1 : -1;
  const threshold = sql.raw(String(r.measure.threshold?.value ?? 0));
  const crossed = r.factors.length === 2;
  // Episodes whose factor is not recorded stay out of the table and its totals (a handful of them would otherwise
  // force other cells to be hidden with them); they are counted beside it (ga = 2).
  const recorded = sql`a is not null ${crossed ? sql`and b is not null` : sql``}`;
  // One pass over the episodes, hashed into their cells (a few dozen rows) by whether they are paired and whether
  // their IMD is recorded too, with plain sums: the cells' figures for all available pairs are the sums of their
  // paired rows, and for complete cases (IMD and every factor recorded) of those with IMD among the recorded. The
  // margins and the total are sums of the cells' sums. The unrecorded ones are a group of their own.
  const summedAs = (name: 'all' | 'cc', where: SQL) =>
    ['n', 'sb', 'sbb', 'sa', 'saa', 'sc', 'scc', 'up', 'down'].map((k) => {
      const [column, as] = [sql.raw(k), sql.raw(`${k}_${name}`)];
      return ['n', 'up', 'down'].includes(k)
        ? sql`coalesce(sum(${column}) filter (where ${where}), 0)::int as ${as}`
        : sql`coalesce(sum(${column}) filter (where ${where}), 0)::float8 as ${as}`;
    });
  const summed = [...summedAs('all', sql`paired`), ...summedAs('cc', sql`paired and imd_known and recorded`)];
  return sql`
    with ${episodesWithFactors(r, pairsFrom)},
    y as (
      select x.*, (${recorded}) as recorded, (after is not null and before is not null) as paired,
        imd_decile is not null as imd_known, (after - before) * ${sql.raw(String(better))} as gain
      from x
    ),
    cells as (
      select recorded, a, b, paired, imd_known, count(*)::int as n,
        count(*) filter (where reached)::int as reached, count(*) filter (where stale)::int as stale,
        sum(before)::float8 as sb, sum(before * before)::float8 as sbb,
        sum(after)::float8 as sa, sum(after * after)::float8 as saa,
        sum(after - before)::float8 as sc, sum((after - before) * (after - before))::float8 as scc,
        count(*) filter (where gain > 1e-9 and gain >= ${threshold} - 1e-9)::int as up,
        count(*) filter (where gain < -1e-9 and -gain >= ${threshold} - 1e-9)::int as down
      from y group by recorded, a, b, paired, imd_known
    )
    select a, b, case when recorded then grouping(a) else 2 end::int as ga,
      case when recorded then grouping(b) else 2 end::int as gb,
      sum(n)::int as episodes, sum(reached)::int as reached, sum(stale)::int as stale, ${sql.join(summed, sql`, `)}
    from cells
    group by grouping sets (${crossed ? sql`(recorded, a, b), (recorded, a), (recorded, b), (recorded)` : sql`(recorded, a, b), (recorded)`})
    having recorded or (grouping(a) = 1 and grouping(b) = 1)`;
}

/**
 * A span's sums, grouped by all a period needs to judge them (see SpanRow): one pass over its episodes, hashed into
 * a few thousand groups a month at an ICB's scale.
 */
function spanStatement(span: Span) {
  return (r: Resolved, pairsFrom: PairsFrom): SQL => {
    const better = r.measure.higherIsBetter ? 1 : -1;
    const threshold = sql.raw(String(r.measure.threshold?.value ?? 0));
    return sql`
    with ${episodesWithFactors(r, pairsFrom, span)},
    y as (
      select x.*, (after is not null and before is not null) as paired, imd_decile is not null as imd_known,
        (after - before) * ${sql.raw(String(better))} as gain
      from x
    )
    select to_char(baseline_on, 'YYYY-MM-DD') as day, a, b, to_char(next_baseline_on, 'YYYY-MM-DD') as nb,
      imd_known, to_char(pair_since, 'YYYY-MM-DD') as pair_since, has_after, paired, reach_dis,
      to_char(reach_since, 'YYYY-MM-DD') as reach_since,
      count(*)::int as episodes, count(*) filter (where stale)::int as stale,
      coalesce(sum(before), 0)::float8 as sb, coalesce(sum(before * before), 0)::float8 as sbb,
      coalesce(sum(after), 0)::float8 as sa, coalesce(sum(after * after), 0)::float8 as saa,
      coalesce(sum(after - before), 0)::float8 as sc,
      coalesce(sum((after - before) * (after - before)), 0)::float8 as scc,
      count(*) filter (where gain > 1e-9 and gain >= ${threshold} - 1e-9)::int as up,
      count(*) filter (where gain < -1e-9 and -gain >= ${threshold} - 1e-9)::int as down
    from y
    group by baseline_on, a, b, next_baseline_on, imd_known, pair_since, has_after, paired, reach_dis, reach_since`;
  };
}

/**
 * A group of a span's episodes alike in all a period judges: their baseline day, their next baseline's (a period
 * counts an episode whose next baseline is after its end), the factors' levels, whether IMD is recorded; whether
 * they have a later measure, dated before their baseline (`pairSince`: then it counts only when the period starts
 * by then) or not, and paired; whether they reached the timepoint by a discharge on or after their baseline
 * (`reachDis`) or before it (`reachSince`: counts from a period starting by then). Sums of the pairs as the
 * period's statement makes them.
 */
interface SpanRow {
  day: string;
  a: string | null;
  b: string | null;
  nb: string | null;
  imd_known: boolean;
  pair_since: string | null;
  has_after: boolean;
  paired: boolean;
  reach_dis: boolean;
  reach_since: string | null;
  episodes: number;
  stale: number;
  sb: number;
  sbb: number;
  sa: number;
  saa: number;
  sc: number;
  scc: number;
  up: number;
  down: number;
}

/** A cell's figures, in this order: episodes, reached, stale, then the pairs' sums (n, sb … down). */
const SUM_KEYS = ['n', 'sb', 'sbb', 'sa', 'saa', 'sc', 'scc', 'up', 'down'] as const;
const WIDTH = 3 + SUM_KEYS.length;

/** Episodes alike in what the table sums them by: the levels, IMD recorded or not, paired or not, reached or not. */
interface SpanCell {
  a: string | null;
  b: string | null;
  imdKnown: boolean;
  paired: boolean;
  reached: boolean;
}

/**
 * A month of a question, kept: its groups that every period judges alike (no next baseline, no date before the
 * baseline) as running totals by day of the cells they fall in (day d's sums from the 1st at [d * cells * WIDTH,
 * …), day 0 all zeros), so that a period takes any days of it with two reads a cell; the others as they are, judged
 * one by one.
 */
export interface MonthSums {
  /** Its first day (YYYY-MM-01), as monthsOfPeriod names it. */
  month: string;
  cells: SpanCell[];
  running: Float64Array;
  judged: SpanRow[];
}

/** A month's groups (all dated in it) as kept. */
function monthSumsOf(m: MonthOfPeriod, rows: SpanRow[]): MonthSums {
  const days = dayOfMonth(m.end);
  const index = new Map<string, number>();
  const cells: SpanCell[] = [];
  const judged: SpanRow[] = [];
  const plain: [number, number, SpanRow][] = [];
  for (const g of rows) {
    if (g.nb !== null || g.pair_since !== null || g.reach_since !== null) {
      judged.push(g);
      continue;
    }
    const reached = g.has_after || g.reach_dis;
    const key = `${g.a}\u0000${g.b}\u0000${g.a === null}${g.b === null}${g.imd_known}${g.paired}${reached}`;
    let c = index.get(key);
    if (c === undefined) {
      c = cells.length;
      index.set(key, c);
      cells.push({ a: g.a, b: g.b, imdKnown: g.imd_known, paired: g.paired, reached });
    }
    plain.push([dayOfMonth(g.day), c, g]);
  }
  const stride = cells.length * WIDTH;
  const running = new Float64Array((days + 1) * stride);
  for (const [day, c, g] of plain) {
    const at = day * stride + c * WIDTH;
    running[at]! += g.episodes;
    running[at + 1]! += g.has_after || g.reach_dis ? g.episodes : 0;
    running[at + 2]! += g.stale;
    if (!g.paired) continue;
    running[at + 3]! += g.episodes;
    running[at + 4]! += g.sb;
    running[at + 5]! += g.sbb;
    running[at + 6]! += g.sa;
    running[at + 7]! += g.saa;
    running[at + 8]! += g.sc;
    running[at + 9]! += g.scc;
    running[at + 10]! += g.up;
    running[at + 11]! += g.down;
  }
  for (let i = stride; i < running.length; i++) running[i]! += running[i - stride]!;
  return { month: m.month, cells, running, judged };
}

const monthSumsBytes = (m: MonthSums) =>
  300 + m.cells.length * 120 + m.running.byteLength + m.judged.length * 250;

/**
 * The period's sums per cell and margin, as cellsStatement gives them, added up from its months: each month's days
 * in the period from its running totals, and its other groups judged against the period (counted when their next
 * baseline, if any, is after its end; their later measure and discharge when dated on or after its start).
 */
function sumsOfMonths(months: MonthSums[], from: string, to: string, crossed: boolean): SumsRow[] {
  const out = new Map<string, { row: SumsRow; v: Float64Array }>();
  const put = (
    key: string,
    a: string | null,
    b: string | null,
    ga: number,
    gb: number,
    v: Float64Array,
    cc: boolean,
  ) => {
    let o = out.get(key);
    if (!o) {
      o = { row: { a, b, ga, gb }, v: new Float64Array(3 + 2 * SUM_KEYS.length) };
      out.set(key, o);
    }
    for (let k = 0; k < WIDTH; k++) o.v[k]! += v[k]!;
    if (cc) for (let k = 3; k < WIDTH; k++) o.v[k + SUM_KEYS.length]! += v[k]!;
  };
  const add = (a: string | null, b: string | null, imdKnown: boolean, v: Float64Array) => {
    if (!(a !== null && (!crossed || b !== null))) {
      put('u', null, null, 2, 2, v, false);
      return;
    }
    put(`c${a}\u0000${b}`, a, b, 0, 0, v, imdKnown);
    put('t', null, null, 1, 1, v, imdKnown);
    if (crossed) {
      put(`a${a}`, a, null, 0, 1, v, imdKnown);
      put(`b${b}`, null, b, 1, 0, v, imdKnown);
    }
  };
  const v = new Float64Array(WIDTH);
  const covered = new Map(monthsOfPeriod(from, to).map((p) => [p.month, p]));
  for (const m of months) {
    const part = covered.get(m.month);
    if (!part) continue;
    const [lo, hi] = [dayOfMonth(part.lo), dayOfMonth(part.hi)];
    const stride = m.cells.length * WIDTH;
    m.cells.forEach((cell, c) => {
      const [end, start] = [hi * stride + c * WIDTH, (lo - 1) * stride + c * WIDTH];
      for (let k = 0; k < WIDTH; k++) v[k] = m.running[end + k]! - m.running[start + k]!;
      if (v[0]! > 0) add(cell.a, cell.b, cell.imdKnown, v);
    });
    for (const g of m.judged) {
      if (g.day < from || g.day > to || (g.nb !== null && g.nb <= to)) continue;
      const pairCounts = g.pair_since === null || g.pair_since >= from;
      const paired = g.paired && pairCounts;
      const reached =
        (g.has_after && pairCounts) || g.reach_dis || (g.reach_since !== null && g.reach_since >= from);
      v.fill(0);
      v[0] = g.episodes;
      v[1] = reached ? g.episodes : 0;
      v[2] = g.stale;
      if (paired) {
        v[3] = g.episodes;
        v.set([g.sb, g.sbb, g.sa, g.saa, g.sc, g.scc, g.up, g.down], 4);
      }
      add(g.a, g.b, g.imd_known, v);
    }
  }
  return [...out.values()].map(({ row, v: o }) => {
    row.episodes = o[0];
    row.reached = o[1];
    row.stale = o[2];
    SUM_KEYS.forEach((k, i) => {
      row[`${k}_all`] = o[3 + i];
      row[`${k}_cc`] = o[3 + SUM_KEYS.length + i];
    });
    return row;
  });
}

/**
 * The table's sums from months kept (caches.months): each month the period touches is read whole, by baseline day,
 * once, and kept for every period over it, so that a period not asked for before reads only the months no period
 * before it read. The months not kept are read in one statement, from the first to the last of them; when the
 * facts kept another measure's pair for some episode there, the statement is made again, joining the pairs.
 */
async function sumsByMonths(
  tx: Db,
  r: Resolved,
  questionKey: string,
  caches: ExplorerCaches,
): Promise<SumsRow[]> {
  const months = monthsOfPeriod(r.from, r.to);
  const keyOf = (m: MonthOfPeriod) => `${questionKey}|${m.month}`;
  const missing = months.filter((m) => !caches.months.has(keyOf(m)));
  const read = async (first: MonthOfPeriod, last: MonthOfPeriod) => {
    const span = { lo: first.month, hi: last.end };
    const rows = await pairedRows<SpanRow>(tx, r, spanStatement(span), (x) => x.stale > 0);
    const byMonth = new Map<string, SpanRow[]>();
    for (const x of rows) {
      const m = `${x.day.slice(0, 7)}-01`;
      const list = byMonth.get(m);
      if (list) list.push(x);
      else byMonth.set(m, [x]);
    }
    return byMonth;
  };
  let batch: Promise<Map<string, SpanRow[]>> | undefined;
  const pieces: MonthSums[] = [];
  // One at a time: the statements share the request's transaction.
  for (const m of months) {
    pieces.push(
      await caches.months.get(keyOf(m), async () => {
        if (!missing.includes(m)) return monthSumsOf(m, (await read(m, m)).get(m.month) ?? []);
        batch ??= read(missing[0]!, missing.at(-1)!);
        return monthSumsOf(m, (await batch).get(m.month) ?? []);
      }),
    );
  }
  return sumsOfMonths(pieces, r.from, r.to, r.factors.length === 2);
}

// ---------------------------------------------------------------------------------------------------------------
// Tables

type SumsRow = Record<string, unknown>;

function pairedSumsOf(row: SumsRow, name: 'all' | 'cc'): PairedSums {
  const num = (k: string) => Number(row[`${k}_${name}`] ?? 0);
  const n = num('n');
  return {
    n,
    sumBefore: num('sb'),
    sumBeforeSq: num('sbb'),
    sumAfter: num('sa'),
    sumAfterSq: num('saa'),
    sumChange: num('sc'),
    sumChangeSq: num('scc'),
    improved: num('up'),
    same: n - num('up') - num('down'),
    worse: num('down'),
  };
}

const SECONDARY_REASON = 'Not shown, so that a small group cannot be worked out from the totals';

export interface ExplorerCell {
  /** Level codes; null in a margin (all levels of that factor); NOT_RECORDED where the episode has none. */
  a: string | null;
  b: string | null;
  aLabel: string;
  bLabel: string | null;
  /** Episodes with a baseline in the period. */
  episodes: CountCell;
  /** Of them, those that reached the later timepoint (or have a measure there). */
  reached: CountCell;
  /** Reached it without a measure there. */
  missing: CountCell;
  /** All available pairs. */
  change: ChangeCell;
  /** Complete cases: IMD quintile and the chosen factors recorded. */
  completeCase: ChangeCell;
}

/** Primary and secondary suppression over one set of counts laid out as cells with margins. */
function suppressionOf(
  counts: (row: SumsRow) => number,
  rows: SumsRow[],
  aCodes: string[],
  bCodes: string[] | null,
) {
  const at = (a: string | null, b: string | null) =>
    rows.find(
      (r) =>
        (a === null ? Number(r.ga) === 1 : Number(r.ga) === 0 && (r.a ?? NOT_RECORDED) === a) &&
        (b === null ? Number(r.gb) === 1 || !bCodes : Number(r.gb) === 0 && (r.b ?? NOT_RECORDED) === b),
    );
  const value = (a: string | null, b: string | null) => {
    const row = at(a, b);
    return row ? counts(row) : 0;
  };
  if (!bCodes) {
    const pattern = suppressTable({
      cells: [aCodes.map((a) => value(a, null))],
      rowTotals: [value(null, null)],
    });
    return (a: string | null, _b: string | null) =>
      a === null ? pattern.rowTotals![0]! : pattern.cells[0]![aCodes.indexOf(a)]!;
  }
  const pattern = suppressTable({
    cells: aCodes.map((a) => bCodes.map((b) => value(a, b))),
    rowTotals: aCodes.map((a) => value(a, null)),
    columnTotals: bCodes.map((b) => value(null, b)),
    grandTotal: value(null, null),
  });
  return (a: string | null, b: string | null) => {
    if (a === null && b === null) return pattern.grandTotal!;
    if (a === null) return pattern.columnTotals![bCodes.indexOf(b!)]!;
    if (b === null) return pattern.rowTotals![aCodes.indexOf(a)]!;
    return pattern.cells[aCodes.indexOf(a)]![bCodes.indexOf(b)]!;
  };
}

/** A factor's levels in their order, then any other level found, then "not recorded" when some episode has none. */
function levelsPresent(labels: Map<string, string>, found: (string | null)[]): string[] {
  const seen = new Set(found.map((x) => x ?? NOT_RECORDED));
  const known = [...labels.keys()].filter((k) => seen.has(k));
  const other = [...seen].filter((k) => k !== NOT_RECORDED && !labels.has(k)).sort();
  return [...known, ...other, ...(seen.has(NOT_RECORDED) ? [NOT_RECORDED] : [])];
}

const labelOf = (labels: Map<string, string>, code: string) =>
  code === NOT_RECORDED ? 'Not recorded' : (labels.get(code) ?? code.replace(/_/g, ' '));

function describe(r: Resolved) {
  return {
    instrument: r.instrument,
    measure: {
      key: r.measure.key,
      label: r.measure.label,
      higherIsBetter: r.measure.higherIsBetter,
      threshold: r.measure.threshold,
    },
    comparison: r.comparison,
    comparisonLabel: comparisonLabels[r.comparison],
    organisation: r.organisation,
    period: { from: r.from, to: r.to },
    factors: r.factors.map((f) => ({
      key: f.key,
      label: f.label,
      group: f.group,
      groupLabel: factorGroups[f.group],
      about: f.about,
    })),
    minimumCellSize: MINIMUM_CELL_SIZE,
    caution: CAUTION,
  };
}

/** A label inside a sentence: "Age band" → "age band", but "IMD quintile" stays as it is. */
const inSentence = (label: string) =>
  /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);

const oneDecimal = (x: number) => (Math.abs(x) < 0.05 ? '0.0' : x.toFixed(1));

/** "improved by 2.1 points on average (95% CI 1.4 to 2.8)" in the score's better direction. */
function changePhrase(cell: ChangeCell, higherIsBetter: boolean): string {
  if (cell.suppressed || cell.meanChange === null) return '';
  const sign = higherIsBetter ? 1 : -1;
  const better = sign * cell.meanChange;
  // The interval in the words' direction: "improved by 0.8 (0.7 to 1.0)", "got worse by 0.3 (0.1 to 0.5)".
  const toward = better >= 0 ? sign : -sign;
  const ends = cell.ci95 ? [toward * cell.ci95.lower, toward * cell.ci95.upper].sort((x, y) => x - y) : null;
  const ci = ends ? ` (95% CI ${oneDecimal(ends[0]!)} to ${oneDecimal(ends[1]!)})` : '';
  const size = Math.abs(cell.meanChange);
  const verb = better > 0 ? 'improved' : better < 0 ? 'got worse' : 'did not change';
  return better === 0
    ? `${verb} on average${ci}`
    : `${verb} by ${oneDecimal(size)} ${size === 1 ? 'point' : 'points'} on average${ci}`;
}

/** The explorer's table: a factor's levels (or two factors crossed, with margins), each cell's change and gaps. */
export async function explorerTable(tx: Db, actor: Actor, q: ExplorerQuery, caches?: ExplorerCaches) {
  const r = await resolve(tx, actor, q);
  const question = caches ? await questionKey(tx, r) : '';
  const compute = async () => {
    if (!r.pcnIds.length) return [];
    await roomToHash(tx);
    if (caches) return sumsByMonths(tx, r, question, caches);
    return pairedRows<SumsRow>(tx, r, cellsStatement, (x) => Number(x.stale) > 0);
  };
  const all = caches ? await caches.tables.get(cacheKey(question, r, q), compute) : await compute();
  const rows = all.filter((x) => Number(x.ga) !== 2);
  const unrecorded = all.find((x) => Number(x.ga) === 2);
  const [fa, fb] = r.factors;
  const aLabels = r.labels.get(fa!.key)!;
  const bLabels = fb ? r.labels.get(fb.key)! : null;
  const aCodes = levelsPresent(
    aLabels,
    rows.filter((x) => Number(x.ga) === 0).map((x) => x.a as string | null),
  );
  const bCodes = fb
    ? levelsPresent(
        bLabels!,
        rows.filter((x) => Number(x.gb) === 0).map((x) => x.b as string | null),
      )
    : null;
  const hidePairs = suppressionOf((row) => Number(row.n_all), rows, aCodes, bCodes);
  const hideComplete = suppressionOf((row) => Number(row.n_cc), rows, aCodes, bCodes);
  const hideReached = suppressionOf((row) => Number(row.reached), rows, aCodes, bCodes);
  const hideEpisodes = suppressionOf((row) => Number(row.episodes), rows, aCodes, bCodes);

  const cellAt = (a: string | null, b: string | null): ExplorerCell => {
    const row = rows.find(
      (x) =>
        (a === null ? Number(x.ga) === 1 : Number(x.ga) === 0 && (x.a ?? NOT_RECORDED) === a) &&
        (b === null ? Number(x.gb) === 1 || !fb : Number(x.gb) === 0 && (x.b ?? NOT_RECORDED) === b),
    );
    const all = row ? pairedSumsOf(row, 'all') : pairedSumsOf({}, 'all');
    const cc = row ? pairedSumsOf(row, 'cc') : pairedSumsOf({}, 'cc');
    const pairsHidden = hidePairs(a, b);
    const reachedHidden = hideReached(a, b) || pairsHidden;
    const reached = Number(row?.reached ?? 0);
    const episodes = Number(row?.episodes ?? 0);
    const secondary = (n: number, hidden: boolean) => hidden && n >= MINIMUM_CELL_SIZE;
    return {
      a,
      b,
      aLabel: a === null ? `All (${inSentence(fa!.label)})` : labelOf(aLabels, a),
      bLabel: fb ? (b === null ? `All (${inSentence(fb.label)})` : labelOf(bLabels!, b)) : null,
      episodes: hideEpisodes(a, b) ? { value: null, suppressed: true } : countCell(episodes),
      reached: reachedHidden ? { value: null, suppressed: true } : countCell(reached),
      missing: reachedHidden ? { value: null, suppressed: true } : countCell(reached - all.n),
      change: secondary(all.n, pairsHidden) ? hiddenChangeCell(SECONDARY_REASON) : changeCell(all),
      completeCase: secondary(cc.n, hideComplete(a, b)) ? hiddenChangeCell(SECONDARY_REASON) : changeCell(cc),
    };
  };

  const cells: ExplorerCell[] = [];
  if (bCodes) {
    for (const a of aCodes) for (const b of bCodes) cells.push(cellAt(a, b));
  }
  const aMargins = aCodes.map((a) => cellAt(a, null));
  const bMargins = bCodes ? bCodes.map((b) => cellAt(null, b)) : [];
  const total = cellAt(null, null);
  const reading = tableReading(r, aMargins, total);
  await auditRead(tx, actor, 'insight.explorer.read', r);
  return {
    ...describe(r),
    levels: {
      a: aCodes.map((code) => ({ code, label: labelOf(aLabels, code) })),
      b: bCodes ? bCodes.map((code) => ({ code, label: labelOf(bLabels!, code) })) : null,
    },
    /** Two factors: every a × b cell. */
    cells,
    /** Each level of the first factor over all of the second. */
    aMargins,
    /** Two factors: each level of the second over all of the first. */
    bMargins,
    total,
    /** Episodes without the factor(s) recorded: outside the table and its totals. */
    notRecorded: {
      episodes: countCell(Number(unrecorded?.episodes ?? 0)),
      pairs: countCell(Number(unrecorded?.n_all ?? 0)),
    },
    reading,
  };
}

function tableReading(r: Resolved, margins: ExplorerCell[], total: ExplorerCell): string[] {
  const [fa] = r.factors;
  const lines: string[] = [];
  const what = `${r.measure.label}, ${comparisonLabels[r.comparison].toLowerCase()}`;
  const recorded = r.factors.map((f) => inSentence(f.label)).join(' and ');
  if (!total.change.suppressed) {
    lines.push(
      `Over everyone in the table — measures at both timepoints, ${recorded} recorded (n = ${total.change.n}) — ${what}: people ${changePhrase(total.change, r.measure.higherIsBetter)}.`,
    );
  } else {
    lines.push(`Too few people have measures at both timepoints to say anything about ${what}.`);
    return lines;
  }
  const shown = margins.filter((m) => !m.change.suppressed && m.a !== NOT_RECORDED);
  if (shown.length >= 2) {
    const better = (c: ExplorerCell) => (r.measure.higherIsBetter ? 1 : -1) * (c.change.meanChange ?? 0);
    const sorted = [...shown].sort((x, y) => better(y) - better(x));
    const top = sorted[0]!;
    const bottom = sorted.at(-1)!;
    lines.push(
      `By ${inSentence(fa!.label)}: ${fa!.who(top.aLabel)} ${changePhrase(top.change, r.measure.higherIsBetter)}, n = ${top.change.n}; ${fa!.who(bottom.aLabel)} ${changePhrase(bottom.change, r.measure.higherIsBetter)}, n = ${bottom.change.n}.`,
    );
    const overlap =
      top.change.ci95 &&
      bottom.change.ci95 &&
      top.change.ci95.lower <= bottom.change.ci95.upper &&
      bottom.change.ci95.lower <= top.change.ci95.upper;
    if (overlap) {
      lines.push(
        'Their confidence intervals overlap: the difference may be chance. The adjusted model below tests it.',
      );
    }
  }
  const hidden = margins.filter((m) => m.change.suppressed && (m.change.n ?? 1) !== 0).length;
  if (hidden > 0) {
    lines.push(
      `${hidden} ${hidden === 1 ? 'group is' : 'groups are'} not shown: fewer than ${MINIMUM_CELL_SIZE} people, or hidden so that a small group cannot be worked out from the totals.`,
    );
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// The adjusted model

/**
 * The model's data, grouped in the database: one row per group of episodes alike in the factors, baseline, sex and
 * IMD quintile (and whether age is known: a group without it is left out of the model, counted), with how many, their mean age and change, and the sums of squares and
 * products of age and change about those means (model.ts fits them as the episodes themselves). An ICB's year is
 * a few thousand rows, not ~65,000.
 */
function modelStatement(r: Resolved, pairsFrom: PairsFrom): SQL {
  return sql`
    with ${episodesWithFactors(r, pairsFrom)}
    select a, b, before::float8 as before, sex,
      case when imd_decile is null then null else ((imd_decile + 1) / 2)::text end as imd,
      count(*)::int as n, avg(age)::float8 as age, avg(after - before)::float8 as change,
      coalesce(regr_sxx(after - before, age), 0)::float8 as sxx,
      coalesce(regr_sxy(after - before, age), 0)::float8 as sxy,
      coalesce(regr_syy(after - before, age), 0)::float8 as syy, stale
    from x where (after is not null and before is not null) or stale
    group by a, b, x.before, sex, 5, age is null, stale`;
}

interface ModelRowOut {
  a: string | null;
  b: string | null;
  before: number;
  sex: string;
  imd: string | null;
  n: number;
  age: number | null;
  change: number;
  sxx: number;
  sxy: number;
  syy: number;
  /** The facts kept another measure's pair (or none) for episodes in this group: ask again, joining the pairs. */
  stale: boolean;
}

export interface ModelCoefficientOut {
  term: string;
  termLabel: string;
  level: string | null;
  levelLabel: string | null;
  /** For the two factors' interaction, the level of each. */
  interaction: { a: string; aLabel: string; b: string; bLabel: string } | null;
  /** Fewer than 5 people at this level (or in this combination): the estimate is not shown. */
  suppressed: boolean;
  aliased: boolean;
  estimate: number | null;
  standardError: number | null;
  pValue: number | null;
  ci95: { lower: number; upper: number } | null;
}

function fitModel(
  r: Resolved,
  rows: ModelRowOut[],
  q: ExplorerQuery,
  analysis: 'complete_case' | 'all_available',
) {
  const [fa, fb] = r.factors;
  const fill = (v: string | null) => (analysis === 'all_available' ? (v ?? NOT_RECORDED) : v);
  const data = rows.map((x) => ({
    change: Number(x.change),
    before: Number(x.before),
    age: x.age === null ? null : Number(x.age),
    sex: x.sex,
    imd: fill(x.imd),
    a: fill(x.a),
    b: fill(x.b),
    n: Number(x.n),
    sxx: Number(x.sxx),
    sxy: Number(x.sxy),
    syy: Number(x.syy),
  }));
  const usesSex = fa!.key !== 'sex' && fb?.key !== 'sex';
  const usesImd = fa!.key !== 'imd_quintile' && fb?.key !== 'imd_quintile';
  const counts = (key: 'a' | 'b') => {
    const m = new Map<string, number>();
    for (const d of data) if (d[key] !== null) m.set(d[key]!, (m.get(d[key]!) ?? 0) + d.n);
    return m;
  };
  const countsA = counts('a');
  const countsB = counts('b');
  const valid = (ref: string | undefined, c: Map<string, number>) =>
    ref && (c.get(ref) ?? 0) >= MINIMUM_CELL_SIZE ? ref : undefined;
  const terms: ModelTerm[] = [
    { kind: 'categorical', name: 'a', reference: valid(q.reference, countsA) },
    ...(fb ? [{ kind: 'categorical', name: 'b', reference: valid(q.byReference, countsB) } as const] : []),
    ...(fb && q.interaction === 'true' ? [{ kind: 'interaction', between: ['a', 'b'] } as const] : []),
    { kind: 'numeric', name: 'before' },
    { kind: 'numeric', name: 'age' },
    ...(usesSex ? [{ kind: 'categorical', name: 'sex', reference: 'female' } as const] : []),
    ...(usesImd ? [{ kind: 'categorical', name: 'imd', reference: '1' } as const] : []),
  ];
  const model = fitLinearModel({
    rows: data,
    outcome: 'change',
    terms,
    grouped: { count: 'n', syy: 'syy', within: { term: 'age', sxx: 'sxx', sxy: 'sxy' } },
  });
  const aLabels = r.labels.get(fa!.key)!;
  const bLabels = fb ? r.labels.get(fb.key)! : null;
  const pairCounts = new Map<string, number>();
  for (const d of data)
    if (d.a && d.b) pairCounts.set(`${d.a}:${d.b}`, (pairCounts.get(`${d.a}:${d.b}`) ?? 0) + d.n);
  const termLabels: Record<string, string> = {
    '(Intercept)': 'Intercept',
    a: fa!.label,
    b: fb?.label ?? '',
    before: 'Baseline score (per point)',
    age: 'Age (per year)',
    sex: 'Sex',
    imd: 'IMD quintile',
  };
  const levelLabel = (term: string, level: string | null) => {
    if (level === null) return null;
    if (term === 'a') return labelOf(aLabels, level);
    if (term === 'b') return labelOf(bLabels!, level);
    if (term === 'sex') return factorByKey.get('sex')!.levels.find((l) => l.code === level)?.label ?? level;
    if (term === 'imd')
      return labelOf(new Map(factorByKey.get('imd_quintile')!.levels.map((l) => [l.code, l.label])), level);
    return level;
  };
  const out = (c: Coefficient): ModelCoefficientOut => {
    let n = Number.POSITIVE_INFINITY;
    if (c.kind === 'categorical' && c.term === 'a') n = countsA.get(c.level!) ?? 0;
    if (c.kind === 'categorical' && c.term === 'b') n = countsB.get(c.level!) ?? 0;
    if (c.kind === 'interaction' && c.interaction) {
      n = pairCounts.get(`${c.interaction[0].level}:${c.interaction[1].level}`) ?? 0;
    }
    const suppressed = n < MINIMUM_CELL_SIZE;
    return {
      term: c.term,
      termLabel: c.kind === 'interaction' ? `${fa!.label} × ${fb?.label}` : (termLabels[c.term] ?? c.term),
      level: c.level,
      levelLabel: c.kind === 'interaction' ? null : levelLabel(c.term, c.level),
      interaction:
        c.kind === 'interaction' && c.interaction
          ? {
              a: c.interaction[0].level,
              aLabel: labelOf(aLabels, c.interaction[0].level),
              b: c.interaction[1].level,
              bLabel: labelOf(bLabels!, c.interaction[1].level),
            }
          : null,
      suppressed,
      aliased: c.aliased,
      estimate: suppressed ? null : c.estimate,
      standardError: suppressed ? null : c.standardError,
      pValue: suppressed ? null : c.pValue,
      ci95: suppressed ? null : c.ci95,
    };
  };
  return { model, coefficients: model.fitted ? model.coefficients.map(out) : [] };
}

function modelSummary(
  r: Resolved,
  fitted: { model: LinearModel; coefficients: ModelCoefficientOut[] },
  analysis: 'complete_case' | 'all_available',
) {
  const { model } = fitted;
  const [fa] = r.factors;
  const factorsOut = model.factors
    .filter((f) => f.reference !== undefined)
    .map((f) => ({
      term: f.term,
      reference: f.reference,
      referenceLabel:
        f.term === 'a'
          ? labelOf(r.labels.get(fa!.key)!, f.reference)
          : f.term === 'b'
            ? labelOf(r.labels.get(r.factors[1]!.key)!, f.reference)
            : f.reference,
      levels: f.levels.map((l) => ({ level: l.level, n: l.n < MINIMUM_CELL_SIZE ? null : l.n })),
    }));
  return {
    analysis,
    label:
      analysis === 'complete_case'
        ? 'Complete cases: people with IMD quintile and every chosen factor recorded'
        : 'All available: “not recorded” as a group of its own',
    fitted: model.fitted,
    reason: model.fitted ? null : model.reason,
    n: model.n < MINIMUM_CELL_SIZE ? null : model.n,
    dropped: model.dropped,
    residualDf: model.fitted ? model.residualDf : null,
    rSquared: model.fitted ? model.rSquared : null,
    adjustedRSquared: model.fitted ? model.adjustedRSquared : null,
    residualStandardError: model.fitted ? model.residualStandardError : null,
    factors: factorsOut,
    coefficients: fitted.coefficients,
    reading: model.fitted ? modelReading(r, fitted.coefficients, factorsOut) : [],
  };
}

function modelReading(
  r: Resolved,
  coefficients: ModelCoefficientOut[],
  factors: { term: string; referenceLabel: string }[],
): string[] {
  const lines: string[] = [];
  const adjusted: string[] = ['baseline score', 'age'];
  if (r.factors.every((f) => f.key !== 'sex')) adjusted.push('sex');
  if (r.factors.every((f) => f.key !== 'imd_quintile')) adjusted.push('IMD quintile');
  const sign = r.measure.higherIsBetter ? 1 : -1;
  for (const [term, factor] of [
    ['a', r.factors[0]],
    ['b', r.factors[1]],
  ] as const) {
    if (!factor) continue;
    const reference = factors.find((f) => f.term === term)?.referenceLabel ?? '';
    for (const c of coefficients.filter((x) => x.term === term && x.level !== NOT_RECORDED)) {
      if (c.suppressed || c.estimate === null || c.ci95 === null) continue;
      const better = sign * c.estimate;
      const lo = sign > 0 ? c.ci95.lower : -c.ci95.upper;
      const hi = sign > 0 ? c.ci95.upper : -c.ci95.lower;
      const amount = oneDecimal(Math.abs(better));
      const direction = better >= 0 ? 'more' : 'less';
      const crosses = lo <= 0 && hi >= 0;
      lines.push(
        `${capitalise(factor.who(c.levelLabel ?? ''))} improved by ${amount} ${amount === '1.0' ? 'point' : 'points'} ${direction} (95% CI ${oneDecimal(lo)} to ${oneDecimal(hi)} points of improvement) than ${factor.who(reference)}, with the same ${listOf(adjusted)}${crosses ? '; the interval includes no difference' : ''}.`,
      );
    }
  }
  return lines;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const listOf = (items: string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** The adjusted model, complete cases and all available side by side. */
export async function explorerModel(tx: Db, actor: Actor, q: ExplorerQuery, caches?: ExplorerCaches) {
  const r = await resolve(tx, actor, q);
  // The fitted models are kept, never the rows they were fitted on.
  const compute = async () => {
    let rows: ModelRowOut[] = [];
    if (r.pcnIds.length) {
      await roomToHash(tx, { groups: true });
      rows = await pairedRows<ModelRowOut>(tx, r, modelStatement, (x) => x.stale);
    }
    return [fitModel(r, rows, q, 'complete_case'), fitModel(r, rows, q, 'all_available')] as const;
  };
  const [complete, available] = caches
    ? await caches.models.get(cacheKey(await questionKey(tx, r), r, q), compute)
    : await compute();
  await auditRead(tx, actor, 'insight.model.read', r, { interaction: q.interaction === 'true' });
  return {
    ...describe(r),
    outcome: 'Change (later score minus baseline)',
    method:
      'Ordinary least squares (Householder QR), 95% CIs with Student’s t on the residual degrees of freedom; categorical factors coded against a reference group.',
    interaction: !!r.factors[1] && q.interaction === 'true',
    models: [modelSummary(r, complete, 'complete_case'), modelSummary(r, available, 'all_available')],
  };
}

export { NOT_RECORDED };

// ---------------------------------------------------------------------------------------------------------------
// CSV

type ExplorerTable = Awaited<ReturnType<typeof explorerTable>>;

const round2 = (x: number | null | undefined) =>
  x === null || x === undefined ? null : Math.round(x * 100) / 100;

/** Every cell and margin of the table, a row each; a suppressed figure says why instead. */
export function explorerCsv(table: ExplorerTable): string {
  const [fa, fb] = table.factors;
  const headers = [
    fa!.label,
    ...(fb ? [fb.label] : []),
    'Episodes',
    'Reached the timepoint',
    'Missing (reached, no measure)',
    'n (pairs)',
    'Mean before',
    'Mean after',
    'Mean change',
    '95% CI lower',
    '95% CI upper',
    'Effect size (Kazis)',
    'n (complete cases)',
    'Mean change (complete cases)',
    '95% CI lower (complete cases)',
    '95% CI upper (complete cases)',
  ];
  const count = (c: CountCell) => (c.suppressed ? SUPPRESSED_TEXT : c.value);
  const change = (c: ChangeCell, what: 'all' | 'cc') =>
    c.suppressed
      ? what === 'all'
        ? [c.n === 0 ? 0 : c.reason, null, null, null, null, null, null]
        : [c.n === 0 ? 0 : c.reason, null, null, null]
      : what === 'all'
        ? [
            c.n,
            round2(c.meanBefore),
            round2(c.meanAfter),
            round2(c.meanChange),
            round2(c.ci95?.lower),
            round2(c.ci95?.upper),
            round2(c.effectSize.kazis),
          ]
        : [c.n, round2(c.meanChange), round2(c.ci95?.lower), round2(c.ci95?.upper)];
  const line = (cell: ExplorerCell) => [
    cell.aLabel,
    ...(fb ? [cell.bLabel] : []),
    count(cell.episodes),
    count(cell.reached),
    count(cell.missing),
    ...change(cell.change, 'all'),
    ...change(cell.completeCase, 'cc'),
  ];
  const rows = [...table.cells, ...table.aMargins, ...table.bMargins, table.total].map(line);
  const about = [
    [`${table.measure.label} (${table.instrument.title}), ${table.comparisonLabel.toLowerCase()}`],
    [`${table.organisation.name}, baselines ${table.period.from} to ${table.period.to}`],
    [table.caution],
  ];
  return [...about, [], headers, ...rows]
    .map((row) => row.map((v) => csvCell(v as string | number | null)).join(','))
    .join('\r\n')
    .concat('\r\n');
}
