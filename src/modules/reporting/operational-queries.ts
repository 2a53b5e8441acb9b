import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { addDays, addMonths, londonMidnight, nextDay } from '../../platform/working-days.ts';
import { ageBandSql, ethnicGroupSql } from '../outcomes/report.ts';
import { MAX_PERIOD_MONTHS, populationBandTypes } from './contract.ts';
import {
  type AtRow,
  byRunningTotals,
  daysOf,
  gather,
  type PieceKeeping,
  type PieceReader,
  scopeKeyOf,
  type Totalled,
  takePiece,
} from './report-pieces.ts';

/*
 * The statements behind the operational report. Each is set-based and aggregates in the database: nothing about
 * a person leaves it, only counts (and percentiles) by month, practice, band or category. Every statement starts
 * from one tenant table filtered by organisation_id = any(the PCNs covered) and a time range on its own column,
 * so an index on (organisation_id, time) bounds the work to the period; see the indexes listed in the note.
 */

export interface Scope {
  pcnIds: string[];
  /** A practice-level report: only referrals whose person is registered at (or was referred by) it. */
  practiceId: string | null;
  /** The period's first and last London calendar days. */
  from: string;
  to: string;
  /** The instants the period's first day starts and the day after its last starts (London time). */
  fromTs: Date;
  toTs: Date;
  /** Where months already read are kept (report-pieces.ts); none: each figure counted for this period alone. */
  keeping?: PieceKeeping;
  /** By band type, the practices with a population loaded for it (the demographic reach compares only those). */
  covered?: Partial<Record<string, string[]>>;
}

/**
 * A statement's `at`: the London day or month of a date column. As a timestamp without a time zone (a date alone
 * would be taken as one with the session's, converted for each of tens of thousands of rows to the same day).
 */
const atOf = (date: SQL, byDay: boolean) =>
  sql`to_char(${date}::timestamp, ${byDay ? 'YYYY-MM-DD' : 'YYYY-MM'})`;
/** The same of a timestamp column, in London. */
const londonAt = (column: SQL, byDay: boolean) => atOf(sql`(${column} at time zone 'Europe/London')`, byDay);
/** The instants a London day range starts and ends (the day after its last begins). */
const dayRange = (from: string, to: string) => [londonMidnight(from), londonMidnight(nextDay(to))] as const;

const pcns = (s: { pcnIds: string[] }) => sql`${sql.param(s.pcnIds)}::uuid[]`;
const practiceOf = sql`coalesce(p.registered_practice_id, r.referring_organisation_id)`;
/** Narrows to the practice for a practice-level report (the statement joins referrals r and people p). */
const practiceFilter = (s: { practiceId: string | null }) =>
  s.practiceId ? sql`and ${practiceOf} = ${s.practiceId}` : sql``;
/** The same, for a statement over the referral facts f (which keep each referral's practice). */
const factsPracticeFilter = (s: { practiceId: string | null }) =>
  s.practiceId ? sql`and f.practice_id = ${s.practiceId}` : sql``;

// ---------------------------------------------------------------------------------------------------------------
// Referrals received in the period: by month and source, practice and reason; the people referred by band; the
// days to first contact; and who could not be reached

export interface WaitRow {
  /** null: the whole period. */
  month: string | null;
  firstContacted: number;
  withinTarget: number;
  medianDays: number | null;
  p90Days: number | null;
  medianWorkingDays: number | null;
}

export interface ReachRow {
  month: string | null;
  triaged: number;
  unableToContact: number;
}

export interface ReferralFigures {
  bySource: { month: string; key: string; n: number }[];
  byPractice: { month: string; key: string | null; n: number }[];
  byReason: { month: string; key: string; n: number }[];
  /**
   * People referred in the period (each once, at their first referral in it) by band, and whether their practice
   * has a population loaded for the band's type (Scope.covered).
   */
  peopleByBand: { bandType: string; band: string; covered: boolean; n: number }[];
  waits: WaitRow[];
  reach: ReachRow[];
}

/**
 * What a referral's facts add to its month, as the kept monthly counts have it (migrations/0046, the one place it is
 * written): a row each by source and practice (none: ''), one per reason, its days and working days to the first
 * contact once taken on (a, b), and whether it could be reached (untriaged, triaged, unable, or no_contact with
 * a = its attempts).
 */
const referralMonthRows = sql`cross join lateral report_referral_month_rows(f.source, f.practice_id, f.reasons,
    f.received_on, f.first_contact_on, f.status, f.decline_reason, f.discharge_reason, f.attempts) x`;

/** A part's sign as a literal (1 or -1: the part's counts added or taken away). */
const signOf = (part: PeriodPart) => sql.raw(part.sign === -1 ? '-1' : '1');

/** A percentile of a histogram (value, count; values ascending) as PostgreSQL's percentile_cont works it out. */
export function percentileOf(histogram: [number, number][], p: number): number | null {
  const total = histogram.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const position = p * (total - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const valueAt = (index: number) => {
    let seen = 0;
    for (const [value, n] of histogram) {
      seen += n;
      if (index < seen) return value;
    }
    return histogram[histogram.length - 1]![0];
  };
  const first = valueAt(lower);
  if (upper === lower) return first;
  return first + (valueAt(upper) - first) * (position - lower);
}

interface ReferralRow extends AtRow {
  measure: string;
  key: string;
  a: number;
  b: number;
  n: number;
  within: number;
  unable: number;
}

const firstContactTarget = sql`coalesce(ps.first_contact_target_working_days, 10)`;
const attemptsRule = sql`coalesce(ps.unable_to_contact_attempts, 3)`;

/**
 * Referral figures as kept by month (report_referral_months) or by day (report_referral_days), of the months or days
 * first to last, `at` each month or day (byDay) or their month.
 */
async function keptReferralRows(
  tx: Db,
  s: { pcnIds: string[] },
  by: 'month' | 'day',
  first: string,
  last: string,
  byDay: boolean,
): Promise<ReferralRow[]> {
  const [table, column] =
    by === 'month' ? ['report_referral_months', 'month'] : ['report_referral_days', 'day'];
  return rowsOf<ReferralRow>(
    await tx.execute(sql`
      select m.measure, ${atOf(sql.raw(`m.${column}`), byDay)} as at, m.key, m.a, m.b, sum(m.n)::int as n,
        coalesce(sum(m.n) filter (where m.measure = 'wait' and m.b <= ${firstContactTarget}), 0)::int as within,
        coalesce(sum(m.n) filter (where m.measure = 'reach' and m.key = 'no_contact'
          and m.a >= ${attemptsRule}), 0)::int as unable
      from ${sql.raw(table)} m
      left join pathway_settings ps on ps.organisation_id = m.organisation_id
      where m.organisation_id = any(${pcns(s)}) and m.${sql.raw(column)} between ${first}::date and ${last}::date
        and m.n <> 0
      group by m.measure, 2, m.key, m.a, m.b
      having sum(m.n) <> 0`),
  );
}

/**
 * Referral figures: kept by month and by day; a practice's report counts them from the referral facts as the kept
 * counts have them.
 */
const referralReader: PieceReader<ReferralRow> = {
  kind: 'referrals',
  keyOf: (r) => `${r.measure}|${r.key}|${r.a}|${r.b}`,
  values: ['n', 'within', 'unable'],
  months: (tx, s, first, last) => keptReferralRows(tx, s, 'month', first, last, false),
  days: async (tx, s, from, to, byDay) => {
    if (!s.practiceId) return keptReferralRows(tx, s, 'day', from, to, byDay);
    const [fromTs, toTs] = dayRange(from, to);
    return rowsOf<ReferralRow>(
      await tx.execute(sql`
        select x.measure, ${atOf(sql`f.received_on`, byDay)} as at, x.key, x.a, x.b, count(*)::int as n,
          count(*) filter (where x.measure = 'wait' and x.b <= ${firstContactTarget})::int as within,
          count(*) filter (where x.measure = 'reach' and x.key = 'no_contact' and x.a >= ${attemptsRule})::int
            as unable
        from report_referral_facts f
        left join pathway_settings ps on ps.organisation_id = f.organisation_id
        ${referralMonthRows}
        where f.organisation_id = any(${pcns(s)}) and f.received_at >= ${fromTs} and f.received_at < ${toTs}
          ${factsPracticeFilter(s)}
        group by x.measure, 2, x.key, x.a, x.b`),
    );
  },
};

/** Rows summed by a key in Node (a period's pieces are read apart): the first row of a key starts its sum. */
function sumBy<R, T>(
  rows: R[],
  keyOf: (r: R) => string,
  start: (r: R) => T,
  add: (sum: T, r: R) => void,
): T[] {
  const out = new Map<string, T>();
  for (const r of rows) {
    const k = keyOf(r);
    const found = out.get(k);
    if (found) add(found, r);
    else out.set(k, start(r));
  }
  return [...out.values()];
}

/**
 * Referrals received in the period. The days to first contact are calendar days between London dates, and
 * working days as the pathway counts them against the PCN's target, for those contacted (whenever). Unable to
 * contact, of those triaged: declined at triage as unable to contact, or never reached and either discharged as
 * unable to contact or with at least the PCN's number of failed attempts.
 *
 * An ICB's or a PCN's whole months are read from the monthly counts kept from the referral facts
 * (report_referral_months) and its part months' days counted from the facts the same way (report-pieces.ts: both
 * kept a while, when the caller keeps them); a practice's report counts the facts.
 */
export async function referralFigures(tx: Db, s: Scope): Promise<ReferralFigures> {
  const rows = await gather(tx, s, referralReader, s.keeping);
  const people =
    s.keeping && !s.practiceId ? await keptPeople(tx, s, s.keeping) : await peopleReferred(tx, s);

  // One pass over the months' and days' rows (thousands a report): the counts by measure, month and key; each
  // month's and the period's waits as histograms of days and working days; and who could be reached.
  type Count = { month: string; key: string; n: number };
  const counted: Record<string, Map<string, Count>> = {
    source: new Map(),
    practice: new Map(),
    reason: new Map(),
  };
  interface Waits {
    n: number;
    within: number;
    days: Map<number, number>;
    working: Map<number, number>;
  }
  const waits = new Map<string, Waits>();
  const reach = new Map<string, { triaged: number; unable: number }>();
  const waitsAt = (month: string) => {
    let w = waits.get(month);
    if (!w) {
      w = { n: 0, within: 0, days: new Map(), working: new Map() };
      waits.set(month, w);
    }
    return w;
  };
  const reachAt = (month: string) => {
    let x = reach.get(month);
    if (!x) {
      x = { triaged: 0, unable: 0 };
      reach.set(month, x);
    }
    return x;
  };
  const tally = (m: Map<number, number>, value: number, n: number) => m.set(value, (m.get(value) ?? 0) + n);
  // The period's (''), there whether or not any referral was contacted, as a grand total is.
  const period = { waits: waitsAt(''), reach: reachAt('') };
  for (const r of rows) {
    const n = Number(r.n);
    if (n === 0) continue;
    const month = r.at.slice(0, 7);
    if (r.measure === 'wait') {
      const [a, b, within] = [Number(r.a), Number(r.b), Number(r.within)];
      for (const w of [waitsAt(month), period.waits]) {
        w.n += n;
        w.within += within;
        tally(w.days, a, n);
        tally(w.working, b, n);
      }
    } else if (r.measure === 'reach') {
      const unable = r.key === 'unable' ? n : Number(r.unable);
      for (const x of [reachAt(month), period.reach]) {
        if (r.key !== 'untriaged') x.triaged += n;
        x.unable += unable;
      }
    } else {
      const byKey = counted[r.measure]!;
      const k = `${month}|${r.key}`;
      const found = byKey.get(k);
      if (found) found.n += n;
      else byKey.set(k, { month, key: r.key, n });
    }
  }
  const sorted = (m: Map<number, number>) => [...m.entries()].sort((x, y) => x[0] - y[0]);
  const waitRow = (month: string, w: Waits): WaitRow => {
    const days = sorted(w.days);
    return {
      month: month || null,
      firstContacted: w.n,
      withinTarget: w.within,
      medianDays: percentileOf(days, 0.5),
      p90Days: percentileOf(days, 0.9),
      medianWorkingDays: percentileOf(sorted(w.working), 0.5),
    };
  };
  // A row for each month with any, in order, and one for the whole period.
  const monthsThen = <T>(m: Map<string, T>) => [...m.keys()].filter((k) => k !== '').sort();
  return {
    bySource: [...counted.source!.values()],
    byPractice: [...counted.practice!.values()].map((r) => ({
      month: r.month,
      key: r.key === '' ? null : r.key,
      n: r.n,
    })),
    byReason: [...counted.reason!.values()],
    peopleByBand: people.map((r) => {
      const [bandType, band] = r.band.split(':') as [string, string];
      return { bandType, band, covered: r.covered, n: r.n };
    }),
    waits: [...monthsThen(waits), ''].map((m) => waitRow(m, waits.get(m)!)),
    reach: [...monthsThen(reach), ''].map((m) => {
      const x = reach.get(m)!;
      return { month: m || null, triaged: x.triaged, unableToContact: x.unable };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The people referred in the period: each once, at their first referral in it

interface PeopleRow {
  band: string;
  covered: boolean;
  n: number;
}

/** Whether a practice has a population loaded for a band type (Scope.covered; false for none). */
const practiceCovered = (s: Scope, type: string, practice: SQL) =>
  sql`coalesce(${practice} = any(${sql.param(s.covered?.[type] ?? [])}::uuid[]), false)`;

/** The same for a band named with its type ('age_band:18_24'); false when the band is not known. */
const coveredOf = (s: Scope, band: SQL, practice: SQL) =>
  sql`case split_part(${band}, ':', 1) ${sql.join(
    populationBandTypes.map(
      (type) => sql`when ${sql.raw(`'${type}'`)} then ${practiceCovered(s, type, practice)}`,
    ),
    sql` `,
  )} else false end`;

/**
 * Referral facts (`at`, `prev`, practice_id, age, sex, ethnic_category, imd_decile and d, what each adds) counted by
 * band and whether the practice has a population loaded for the band's type: each fact's four bands worked out and
 * hashed four ways at once (grouping sets), not grouped by practice first (a year's repeats by month, earlier month
 * and practice are hundreds of thousands of groups). The bands are named as report_person_bands names the kept
 * ones (a test holds them together). `kept`: rows already banded (at, prev, band, practice_id, n) added in.
 */
const bandedPeople = (s: Scope, raw: SQL, kept: SQL | null) => {
  const of = (type: string) => practiceCovered(s, type, sql`practice_id`);
  return sql`
  with raw as (${raw}),
  person as (
    select at, prev, d,
      ${ageBandSql(sql`age`, 'not_known')} as age_band, ${of('age_band')} as age_covered,
      sex, ${of('sex')} as sex_covered,
      ${ethnicGroupSql(sql`ethnic_category`, 'not_known')} as ethnicity, ${of('ethnicity')} as ethnicity_covered,
      coalesce(((imd_decile + 1) / 2)::text, 'not_known') as imd_quintile, ${of('imd_quintile')} as imd_covered
    from raw
  ),
  banded as (
    select at, prev,
      case when grouping(age_band) = 0 then 'age_band:' || age_band
           when grouping(sex) = 0 then 'sex:' || sex
           when grouping(ethnicity) = 0 then 'ethnicity:' || ethnicity
           else 'imd_quintile:' || imd_quintile end as band,
      case when grouping(age_band) = 0 then age_covered
           when grouping(sex) = 0 then sex_covered
           when grouping(ethnicity) = 0 then ethnicity_covered
           else imd_covered end as covered,
      sum(d)::int as n
    from person
    group by grouping sets ((at, prev, age_band, age_covered), (at, prev, sex, sex_covered),
      (at, prev, ethnicity, ethnicity_covered), (at, prev, imd_quintile, imd_covered))
    ${kept ? sql`union all select at, prev, band, ${coveredOf(s, sql`band`, sql`practice_id`)}, n from (${kept}) k(at, prev, band, practice_id, n)` : sql``}
  )
  ${
    // The grouping sets give each (at, prev, band, covered) once: kept rows beside them are added to theirs.
    kept
      ? sql`select at, prev, band, covered, sum(n)::int as n from banded group by 1, 2, 3, 4 having sum(n) <> 0`
      : sql`select at, prev, band, covered, n from banded where n <> 0`
  }`;
};

const FACT_PERSON = sql`f.practice_id, f.age, f.sex, f.ethnic_category, f.imd_decile`;

/**
 * The people referred, counted for the period alone. A practice's report, which keeps only the referrals it made or
 * its registered people's, takes each person's first of those. An ICB's or a PCN's counts its referrals less its
 * repeats, a person registered with one PCN and referred to it (migrations/0050): the referrals whose person's
 * earlier referral to the PCN arrived in the period too (one range read of the repeats' index). Its whole months'
 * referrals are read as kept by band (report_people_months, migrations/0053), its part months' counted from the
 * facts (periodParts).
 */
async function peopleReferred(tx: Db, s: Scope): Promise<PeopleRow[]> {
  const { months, parts } = scopeParts(s);
  const raw = s.practiceId
    ? sql`select distinct on (f.person_id) '' as at, '' as prev, ${FACT_PERSON}, 1 as d
        from report_referral_facts f
        where f.organisation_id = any(${pcns(s)}) and f.received_at >= ${s.fromTs} and f.received_at < ${s.toTs}
          ${factsPracticeFilter(s)}
        order by f.person_id, f.received_at`
    : sql.join(
        [
          ...parts.map(
            (part) => sql`select '' as at, '' as prev, ${FACT_PERSON}, ${signOf(part)} as d
              from report_referral_facts f
              where f.organisation_id = any(${pcns(s)}) and f.received_at >= ${londonMidnight(part.from)}
                and f.received_at < ${londonMidnight(nextDay(part.to))}`,
          ),
          sql`select '' as at, '' as prev, ${FACT_PERSON}, -1 as d from report_referral_facts f
            where f.organisation_id = any(${pcns(s)}) and f.earlier_received_at >= ${s.fromTs}
              and f.earlier_received_at < ${s.toTs} and f.received_at < ${s.toTs}
              and f.earlier_received_at is not null`,
        ],
        sql` union all `,
      );
  const kept = months
    ? sql`select '', '', band, practice_id, n from report_people_months
      where organisation_id = any(${pcns(s)}) and month between ${months.first}::date and ${months.last}::date`
    : null;
  return rowsOf<PeopleRow>(await tx.execute(bandedPeople(s, raw, kept))).map((r) => ({
    band: r.band,
    covered: r.covered,
    n: Number(r.n),
  }));
}

interface PeopleMonthRow extends AtRow, PeopleRow {
  /** '' for a referral; for a repeat (n < 0), the London month its person's earlier referral arrived. */
  prev: string;
}

/** The earlier referral's London month, as a repeat's `prev`. */
const prevMonth = sql`to_char(f.earlier_received_at at time zone 'Europe/London', 'YYYY-MM')`;

/**
 * The people referred, by the month their referral arrived (report-pieces.ts): its referrals by band (+1 each; a
 * whole month's as kept, report_people_months) and its repeats (-1 each) by band and the month the person's earlier
 * referral arrived, read together, so that they are of one moment. Only repeats whose earlier referral is at most
 * MAX_PERIOD_MONTHS - 1 months before: no period a report covers starts before that (keptPeople counts longer ones
 * afresh).
 */
const peopleReader = (covered: string): PieceReader<PeopleMonthRow> => ({
  kind: `people|${covered}`,
  keyOf: (r) => `${r.band}|${r.covered}|${r.prev}`,
  values: ['n'],
  months: async (tx, s, first, last) =>
    rowsOf<PeopleMonthRow>(
      await tx.execute(
        bandedPeople(
          s as Scope,
          sql`select to_char(f.received_on, 'YYYY-MM') as at, ${prevMonth} as prev, ${FACT_PERSON}, -1 as d
            from report_referral_facts f
            where f.organisation_id = any(${pcns(s)}) and f.received_at >= ${londonMidnight(first)}
              and f.received_at < ${londonMidnight(addMonths(last, 1))} and f.earlier_received_at is not null
              and f.earlier_received_at >= ${londonMidnight(addMonths(first, 1 - MAX_PERIOD_MONTHS))}`,
          sql`select to_char(month, 'YYYY-MM'), '', band, practice_id, n from report_people_months
            where organisation_id = any(${pcns(s)}) and month between ${first}::date and ${last}::date`,
        ),
      ),
    ),
  days: async (tx, s, from, to, byDay) => {
    const [fromTs, toTs] = dayRange(from, to);
    const at = atOf(sql`f.received_on`, byDay);
    return rowsOf<PeopleMonthRow>(
      await tx.execute(
        bandedPeople(
          s as Scope,
          sql`select ${at} as at, '' as prev, ${FACT_PERSON}, 1 as d
            from report_referral_facts f
            where f.organisation_id = any(${pcns(s)}) and f.received_at >= ${fromTs} and f.received_at < ${toTs}
            union all
            select ${at}, ${prevMonth}, ${FACT_PERSON}, -1
            from report_referral_facts f
            where f.organisation_id = any(${pcns(s)}) and f.received_at >= ${fromTs} and f.received_at < ${toTs}
              and f.earlier_received_at is not null
              and f.earlier_received_at >= ${londonMidnight(addMonths(`${from.slice(0, 7)}-01`, 1 - MAX_PERIOD_MONTHS))}`,
          null,
        ),
      ),
    );
  },
});

/**
 * An ICB's or a PCN's people referred from its months as kept (peopleReader): the referrals of the months, less the
 * repeats whose earlier referral arrived in the period. Those of the period's first month are counted by the day
 * here when the period starts after the 1st (the months keep the earlier referral's month, not its day). Should the
 * months kept and what is counted here not agree (a repeat written since they were read, its first referral in a
 * band it no longer is), a band would come to less than none: the people are then counted for the period alone.
 */
async function keptPeople(tx: Db, s: Scope, keeping: PieceKeeping): Promise<PeopleRow[]> {
  const covered = createHash('sha256')
    .update(JSON.stringify(populationBandTypes.map((t) => [...(s.covered?.[t] ?? [])].sort())))
    .digest('base64url');
  if (addMonths(`${s.from.slice(0, 7)}-01`, MAX_PERIOD_MONTHS) <= s.to) return peopleReferred(tx, s);
  const firstMonth = s.from.slice(0, 7);
  const fromFirst = s.from.endsWith('-01');
  const rows: PeopleRow[] = (await gather(tx, s, peopleReader(covered), keeping)).filter(
    (r) => r.prev === '' || r.prev > firstMonth || (r.prev === firstMonth && fromFirst),
  );
  if (!fromFirst) {
    const firstMonthEnd = addDays(addMonths(`${firstMonth}-01`, 1), -1);
    rows.push(
      ...rowsOf<PeopleRow>(
        await tx.execute(
          bandedPeople(
            s,
            sql`select '' as at, '' as prev, ${FACT_PERSON}, -1 as d from report_referral_facts f
              where f.organisation_id = any(${pcns(s)}) and f.earlier_received_at >= ${s.fromTs}
                and f.earlier_received_at < ${londonMidnight(nextDay(firstMonthEnd))}
                and f.received_at < ${s.toTs} and f.earlier_received_at is not null`,
            null,
          ),
        ),
      ),
    );
  }
  const summed = sumBy(
    rows,
    (r) => `${r.band}|${r.covered}`,
    (r) => ({ band: r.band, covered: r.covered, n: Number(r.n) }),
    (sum, r) => {
      sum.n += Number(r.n);
    },
  );
  if (summed.some((r) => r.n < 0)) {
    keeping.recounted = (keeping.recounted ?? 0) + 1;
    return peopleReferred(tx, s);
  }
  return summed.filter((r) => r.n !== 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Caseloads at the end of the period

export interface CaseloadRow {
  pcnId: string;
  linkWorkerId: string;
  linkWorkerName: string;
  open: number;
}

/**
 * Episodes open at the end of the period, by the link worker they were allocated to then: received by then,
 * allocated by then, and not yet ended by then (discharged, or declined by the person at the first contact).
 * Migration 0045 keeps what each referral adds to and takes away from its link workers' caseloads, by day
 * (report_caseload_changes, from the allocation history in its facts): an ICB's or a PCN's caseloads are the sums of
 * the kept changes up to the period's last day, the months before its last month whole (report_caseload_months,
 * 0047) and that month's days (report_caseload_days); a practice's sum the same changes of its own referrals' facts.
 */
export async function caseloadsAtEnd(tx: Db, s: Scope): Promise<CaseloadRow[]> {
  if (s.keeping && !s.practiceId) return keptCaseloadsAtEnd(tx, s, s.keeping);
  const changes = s.practiceId
    ? sql`select f.organisation_id, c.link_worker_id, c.change as n
        from report_referral_facts f
        cross join lateral report_caseload_changes(f.received_on, f.status, f.discharged_on, f.first_contact_on,
          f.allocated_on, f.allocated_to) c
        where f.organisation_id = any(${pcns(s)}) and f.practice_id = ${s.practiceId} and c.day <= ${s.to}::date`
    : sql`select organisation_id, link_worker_id, n from report_caseload_months
        where organisation_id = any(${pcns(s)}) and month < date_trunc('month', ${s.to}::date)::date
        union all
        select organisation_id, link_worker_id, n from report_caseload_days
        where organisation_id = any(${pcns(s)}) and day >= date_trunc('month', ${s.to}::date)::date
          and day <= ${s.to}::date`;
  const rows = rowsOf<{ pcn_id: string; link_worker_id: string; name: string; open: number }>(
    await tx.execute(sql`
      with open as (
        select organisation_id, link_worker_id, sum(n)::int as open from (${changes}) x
        group by organisation_id, link_worker_id having sum(n) <> 0
      )
      select o.organisation_id as pcn_id, o.link_worker_id, u.name, o.open
      from open o join users u on u.id = o.link_worker_id`),
  );
  return rows.map((r) => ({
    pcnId: r.pcn_id,
    linkWorkerId: r.link_worker_id,
    linkWorkerName: r.name,
    open: Number(r.open),
  }));
}

/**
 * An ICB's or a PCN's caseloads at the end of the period from what is kept of its last month (report-pieces.ts): the
 * changes of every month before it, summed, and its changes day by day, read in one statement so that the two are
 * of one moment; a period ending any day of the month is added up from them.
 */
async function keptCaseloadsAtEnd(tx: Db, s: Scope, keeping: PieceKeeping): Promise<CaseloadRow[]> {
  const month = `${s.to.slice(0, 7)}-01`;
  const end = addDays(addMonths(month, 1), -1);
  const piece = await takePiece(keeping, `caseloads|days|${month}|${scopeKeyOf(s)}`, async () =>
    // As running totals by link worker (~160 KB at an ICB’s scale, not a row a link worker a day, ~1.4 MB), the
    // months before counted on the month's first day.
    byRunningTotals(
      caseloadTotals,
      { month, end },
      keeping.now.getTime(),
      rowsOf<CaseloadDayRow>(
        await tx.execute(sql`
          with changes as (
            select organisation_id, link_worker_id, ${month} as at, sum(n)::int as n from report_caseload_months
            where organisation_id = any(${pcns(s)}) and month < ${month}::date
            group by organisation_id, link_worker_id
            having sum(n) <> 0
            union all
            select organisation_id, link_worker_id, to_char(day, 'YYYY-MM-DD'), sum(n)::int from report_caseload_days
            where organisation_id = any(${pcns(s)}) and day >= ${month}::date
              and day < ${addMonths(month, 1)}::date
            group by organisation_id, link_worker_id, day
            having sum(n) <> 0
          )
          select c.organisation_id as pcn_id, c.link_worker_id, u.name, c.at, c.n
          from changes c join users u on u.id = c.link_worker_id`),
      ),
    ),
  );
  return daysOf(caseloadTotals, piece, { lo: month, hi: s.to })
    .map((r) => ({
      pcnId: r.pcn_id,
      linkWorkerId: r.link_worker_id,
      linkWorkerName: r.name,
      open: Number(r.n),
    }))
    .filter((r) => r.open !== 0);
}

type CaseloadDayRow = AtRow & { pcn_id: string; link_worker_id: string; name: string; n: number };
const caseloadTotals: Totalled<CaseloadDayRow> = {
  keyOf: (r) => `${r.pcn_id}|${r.link_worker_id}`,
  values: ['n'],
};

/** The link workers of the PCNs now (for a lead's table, which lists those with no open episode too). */
export async function linkWorkersOf(
  tx: Db,
  pcnIds: string[],
): Promise<{ pcnId: string; linkWorkerId: string; linkWorkerName: string }[]> {
  const rows = rowsOf<{ pcn_id: string; id: string; name: string }>(
    await tx.execute(sql`
      select distinct ra.organisation_id as pcn_id, u.id, u.name
      from role_assignments ra join users u on u.id = ra.user_id
      where ra.role = 'link_worker' and ra.organisation_id = any(${sql.param(pcnIds)}::uuid[]) and u.active`),
  );
  return rows.map((r) => ({ pcnId: r.pcn_id, linkWorkerId: r.id, linkWorkerName: r.name }));
}

// ---------------------------------------------------------------------------------------------------------------
// Contacts, appointments and discharges

export interface ActivityCounts {
  contactsByMode: { month: string; key: string; n: number }[];
  /** Episodes discharged in the period by how many contacts they had (attempts not counted). */
  contactsPerEpisode: { contacts: number; episodes: number }[];
  appointments: { month: string; attended: number; didNotAttend: number }[];
  dischargeReasons: { month: string; key: string; n: number }[];
}

/** A part of a period counted from the records: its days added (sign 1), or taken off a kept month (sign -1). */
export interface PeriodPart {
  from: string;
  to: string;
  sign: 1 | -1;
}

const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

/**
 * For the people referred (whose repeats are counted for the period as a whole, so their figures are not read by
 * month as the report's others are: report-pieces.ts): what of a period is read from the kept monthly counts
 * (London calendar months, their first days, first to last) and which days are counted from the records. A month the period covers whole is kept; a month it covers in part
 * is counted from the records for the days it covers, or, when that is more than half the month, kept whole with the
 * days it does not cover counted and taken away (sign -1), so that no more than half a month is counted at either
 * end: 3 Jan to 17 Apr 2026 is January to April kept, less 1 and 2 January and 18 to 30 April; 25 Jan to 5 Apr is
 * February and March kept, and 25 to 31 January and 1 to 5 April counted.
 */
export function periodParts(
  from: string,
  to: string,
): { months: { first: string; last: string } | null; parts: PeriodPart[] } {
  const parts: PeriodPart[] = [];
  let first: string | null = null;
  let last: string | null = null;
  for (let month = `${from.slice(0, 7)}-01`; month <= to; month = addMonths(month, 1)) {
    const end = addDays(addMonths(month, 1), -1);
    const lo = from > month ? from : month;
    const hi = to < end ? to : end;
    const covered = dayNumber(hi) - dayNumber(lo) + 1;
    const uncovered = dayNumber(end) - dayNumber(month) + 1 - covered;
    if (uncovered < covered) {
      first ??= month;
      last = month;
      if (lo > month) parts.push({ from: month, to: addDays(lo, -1), sign: -1 });
      if (hi < end) parts.push({ from: addDays(hi, 1), to: end, sign: -1 });
    } else {
      parts.push({ from: lo, to: hi, sign: 1 });
    }
  }
  return { months: first && last ? { first, last } : null, parts };
}

/**
 * What of a scope's period the kept monthly counts cover (an ICB's or a PCN's: periodParts) and what is counted
 * from the records (the days at its ends; a practice's report whole, as the monthly counts have no practice).
 */
function scopeParts(s: Scope): ReturnType<typeof periodParts> {
  return s.practiceId
    ? { months: null, parts: [{ from: s.from, to: s.to, sign: 1 }] }
    : periodParts(s.from, s.to);
}

interface ActivityRow extends AtRow {
  dim: string;
  key: string | null;
  n: number;
  m: number;
}

/**
 * Contacts by mode, appointments attended and not, and discharges by reason and by the contacts each episode had:
 * kept by month (report_activity_months, report_discharge_months); by day, contacts and appointments kept by day
 * (report_activity_days) and discharges counted from the referral facts. A practice's report counts the records,
 * contacts and appointments through their referral.
 */
const activityReader: PieceReader<ActivityRow> = {
  kind: 'activity',
  keyOf: (r) => `${r.dim}|${r.key}`,
  values: ['n', 'm'],
  months: async (tx, s, first, last) =>
    rowsOf<ActivityRow>(
      await tx.execute(sql`
        select case measure when 'contact' then 'mode' else 'appointments' end as dim,
          to_char(month, 'YYYY-MM') as at, case measure when 'contact' then key end as key,
          coalesce(case measure when 'contact' then sum(n) else sum(n) filter (where key = 'attended') end, 0)::int
            as n,
          coalesce(sum(n) filter (where key = 'did_not_attend'), 0)::int as m
        from report_activity_months
        where organisation_id = any(${pcns(s)}) and month between ${first}::date and ${last}::date and n <> 0
        group by measure, month, case measure when 'contact' then key end
        union all
        select case measure when 'reason' then 'discharge' else 'per_episode' end, to_char(month, 'YYYY-MM'),
          key, sum(n)::int, 0
        from report_discharge_months
        where organisation_id = any(${pcns(s)}) and month between ${first}::date and ${last}::date and n <> 0
        group by measure, month, key`),
    ),
  days: async (tx, s, from, to, byDay) => {
    const [fromTs, toTs] = dayRange(from, to);
    // Each discharge once, grouped two ways.
    const discharges = sql`
        select case when grouping(reason) = 0 then 'discharge' else 'per_episode' end, at,
          case when grouping(reason) = 0 then reason else contacts::text end, count(*)::int, 0
        from (
          select ${atOf(sql`f.discharged_on`, byDay)} as at, f.discharge_reason as reason, f.contacts
          from report_referral_facts f
          where f.organisation_id = any(${pcns(s)}) and f.discharged_on between ${from}::date and ${to}::date
            ${factsPracticeFilter(s)}
        ) f
        group by grouping sets ((at, reason), (at, contacts))`;
    // An ICB's or a PCN's contacts and appointments from their counts kept by day; a practice's from the records.
    if (!s.practiceId) {
      return rowsOf<ActivityRow>(
        await tx.execute(sql`
          select case measure when 'contact' then 'mode' else 'appointments' end as dim,
            ${atOf(sql`day`, byDay)} as at, case measure when 'contact' then key end as key,
            coalesce(case measure when 'contact' then sum(n) else sum(n) filter (where key = 'attended') end, 0)::int
              as n,
            coalesce(sum(n) filter (where key = 'did_not_attend'), 0)::int as m
          from report_activity_days
          where organisation_id = any(${pcns(s)}) and day between ${from}::date and ${to}::date and n <> 0
          group by measure, 2, case measure when 'contact' then key end
          having sum(n) <> 0
          union all
          ${discharges}`),
      );
    }
    const throughReferral = (alias: string) =>
      s.practiceId
        ? sql`join referrals r on r.id = ${sql.raw(alias)}.referral_id join people p on p.id = r.person_id`
        : sql``;
    return rowsOf<ActivityRow>(
      await tx.execute(sql`
        select 'mode' as dim, ${londonAt(sql`c.occurred_at`, byDay)} as at, c.mode as key, count(*)::int as n,
          0 as m
        from contacts c ${throughReferral('c')}
        where c.organisation_id = any(${pcns(s)}) and c.occurred_at >= ${fromTs} and c.occurred_at < ${toTs}
          and c.kind <> 'attempt' ${practiceFilter(s)}
        group by 2, 3
        union all
        select 'appointments', ${londonAt(sql`a.starts_at`, byDay)}, null,
          count(*) filter (where a.status = 'attended')::int,
          count(*) filter (where a.status = 'did_not_attend')::int
        from appointments a ${throughReferral('a')}
        where a.organisation_id = any(${pcns(s)}) and a.starts_at >= ${fromTs} and a.starts_at < ${toTs}
          and a.status in ('attended', 'did_not_attend') ${practiceFilter(s)}
        group by 2
        union all
        ${discharges}`),
    );
  },
};

export async function activityCounts(tx: Db, s: Scope): Promise<ActivityCounts> {
  const rows = sumBy(
    await gather(tx, s, activityReader, s.keeping),
    (r) => `${r.at.slice(0, 7)}|${activityReader.keyOf(r)}`,
    (r) => ({ dim: r.dim, key: r.key, month: r.at.slice(0, 7), n: Number(r.n), m: Number(r.m) }),
    (sum, r) => {
      sum.n += Number(r.n);
      sum.m += Number(r.m);
    },
  ).filter((r) => r.n !== 0 || r.m !== 0);
  const out: ActivityCounts = {
    contactsByMode: [],
    contactsPerEpisode: [],
    appointments: [],
    dischargeReasons: [],
  };
  const episodesBy = new Map<number, number>();
  for (const r of rows) {
    const n = Number(r.n);
    if (r.dim === 'mode') out.contactsByMode.push({ month: r.month!, key: r.key!, n });
    else if (r.dim === 'appointments')
      out.appointments.push({ month: r.month!, attended: n, didNotAttend: Number(r.m) });
    else if (r.dim === 'discharge') out.dischargeReasons.push({ month: r.month!, key: r.key!, n });
    else episodesBy.set(Number(r.key), (episodesBy.get(Number(r.key)) ?? 0) + n);
  }
  out.contactsPerEpisode = [...episodesBy].map(([contacts, episodes]) => ({ contacts, episodes }));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Connections by the category of the service connected to

export const connectionStates = ['attended', 'did_not_attend', 'declined', 'accepted', 'other'] as const;
export type ConnectionState = (typeof connectionStates)[number];

export interface ConnectionCount {
  /** The top-level term of the directory's taxonomy; null for "all connections" (each counted once). */
  categoryId: string | null;
  categoryName: string | null;
  state: ConnectionState;
  n: number;
}

interface ConnectionRow extends AtRow {
  category_id: string | null;
  category_name: string | null;
  state: ConnectionState;
  n: number;
}

/**
 * Connections by category and state, by the day or month they were made, from the kept connection facts
 * (migrations/0044; a practice's through their referrals): by service and state first, then each service's
 * categories worked out once (a few dozen services, not once per day and state: a month by day is ~3,700 of those)
 * and joined. There are no monthly counts of these: whole months are counted by month.
 */
const connectionReader: PieceReader<ConnectionRow> = {
  kind: 'connections',
  keyOf: (r) => `${r.category_id}|${r.state}`,
  values: ['n'],
  months: (tx, s, first, last) => connectionReader.days(tx, s, first, addDays(addMonths(last, 1), -1), false),
  days: async (tx, s, from, to, byDay) => {
    const byService = sql`
      select ${atOf(sql`f.connected_on`, byDay)} as at, f.directory_id, f.service_id, f.state
      from report_connection_facts f
      ${
        s.practiceId
          ? sql`join connections cn on cn.id = f.connection_id join referrals r on r.id = cn.referral_id
        join people p on p.id = r.person_id`
          : sql``
      }
      where f.organisation_id = any(${pcns(s)}) and f.connected_on between ${from}::date and ${to}::date
        ${practiceFilter(s)}`;
    return rowsOf<ConnectionRow>(
      await tx.execute(sql`
        with recursive c as materialized (
          select at, directory_id, service_id, state, count(*)::int as n from (${byService}) x
          group by at, directory_id, service_id, state
        ),
        roots(organisation_id, id, root_id, root_name, depth) as (
          select t.organisation_id, t.id, t.id, t.name, 0 from directory_taxonomy_terms t
          where t.parent_id is null and t.organisation_id in (select distinct directory_id from c)
          union all
          select t.organisation_id, t.id, roots.root_id, roots.root_name, roots.depth + 1
          from directory_taxonomy_terms t
          join roots on t.organisation_id = roots.organisation_id and t.parent_id = roots.id
          where roots.depth < 10
        ),
        service_categories as materialized (
          select sv.organisation_id as directory_id, sv.id as service_id, cat.root_id, cat.root_name
          from (select distinct directory_id, service_id from c) used
          join directory_services sv on sv.organisation_id = used.directory_id and sv.id = used.service_id
          left join lateral (
            select distinct roots.root_id, roots.root_name from unnest(sv.term_ids) tid
            join roots on roots.organisation_id = sv.organisation_id and roots.id = tid
          ) cat on true
        ),
        categorised as (
          select c.at, c.n, c.state, sc.root_id, sc.root_name
          from c join service_categories sc on sc.directory_id = c.directory_id and sc.service_id = c.service_id
        )
        select at, root_id::text as category_id, max(root_name) as category_name, state, sum(n)::int as n
        from categorised group by at, root_id, state
        union all
        select at, 'all', null, state, sum(n)::int from c group by at, state`),
    );
  },
};

/**
 * Connections made in the period, by the top-level taxonomy term (category) of the service and by how far each
 * got, from its status history: attended (ever), did not attend (and never attended), declined, accepted with
 * no attendance recorded yet, and the rest (signposted, or waiting for the service's reply). A service in two
 * categories counts in both; "all connections" counts each connection once.
 */
export async function connectionCounts(tx: Db, s: Scope): Promise<ConnectionCount[]> {
  const rows = sumBy(
    await gather(tx, s, connectionReader, s.keeping),
    connectionReader.keyOf,
    (r) => ({ category_id: r.category_id, category_name: r.category_name, state: r.state, n: Number(r.n) }),
    (sum, r) => {
      sum.n += Number(r.n);
      // The category's name as the latest piece read has it.
      if (r.category_name !== null) sum.category_name = r.category_name;
    },
  );
  return rows.map((r) => ({
    categoryId: r.category_id === 'all' ? null : (r.category_id ?? 'none'),
    categoryName: r.category_id === 'all' ? null : (r.category_name ?? 'Not categorised'),
    state: r.state,
    n: Number(r.n),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// SNOMED CT coded events per practice, for the PCN's contract returns

interface CodedRow extends AtRow {
  practice_id: string | null;
  code: string;
  display: string;
  n: number;
}

/**
 * SNOMED CT coded events by practice and code: kept by month (report_coded_months) and by day (report_coded_days);
 * a practice's report counts the records, each event's practice from its referral's facts (the person's registered
 * practice, else the referrer, as the kept counts have it).
 */
const codedReader: PieceReader<CodedRow> = {
  kind: 'coded',
  keyOf: (r) => `${r.practice_id}|${r.code}|${r.display}`,
  values: ['n'],
  months: async (tx, s, first, last) =>
    rowsOf<CodedRow>(
      await tx.execute(sql`
        select to_char(month, 'YYYY-MM') as at, practice_id::text, code, max(display) as display, sum(n)::int as n
        from report_coded_months
        where organisation_id = any(${pcns(s)}) and month between ${first}::date and ${last}::date and n <> 0
        group by month, practice_id, code
        having sum(n) <> 0`),
    ),
  days: async (tx, s, from, to, byDay) => {
    // An ICB's or a PCN's from the counts kept by day; a practice's from the records.
    if (!s.practiceId) {
      return rowsOf<CodedRow>(
        await tx.execute(sql`
          select ${atOf(sql`day`, byDay)} as at, practice_id::text, code, max(display) as display, sum(n)::int as n
          from report_coded_days
          where organisation_id = any(${pcns(s)}) and day between ${from}::date and ${to}::date and n <> 0
          group by 1, 2, 3
          having sum(n) <> 0`),
      );
    }
    const [fromTs, toTs] = dayRange(from, to);
    return rowsOf<CodedRow>(
      await tx.execute(sql`
        select ${londonAt(sql`ce.recorded_at`, byDay)} as at, f.practice_id::text, ce.code,
          max(ce.display) as display, count(*)::int as n
        from coded_events ce
        join report_referral_facts f on f.referral_id = ce.referral_id
        where ce.organisation_id = any(${pcns(s)}) and ce.recorded_at >= ${fromTs} and ce.recorded_at < ${toTs}
          ${factsPracticeFilter(s)}
        group by 1, 2, 3`),
    );
  },
};

export async function codedEventCounts(
  tx: Db,
  s: Scope,
): Promise<{ practiceId: string | null; code: string; display: string; n: number }[]> {
  const rows = sumBy(
    await gather(tx, s, codedReader, s.keeping),
    (r) => `${r.practice_id}|${r.code}`,
    (r) => ({ practice_id: r.practice_id, code: r.code, display: r.display, n: Number(r.n) }),
    (sum, r) => {
      sum.n += Number(r.n);
      if (r.display > sum.display) sum.display = r.display;
    },
  ).filter((r) => r.n !== 0);
  return rows.map((r) => ({ practiceId: r.practice_id, code: r.code, display: r.display, n: r.n }));
}

/** The codes the PCN DES asks for, newest version of each purpose: every one gets a column, used or not. */
export async function currentCodedConcepts(tx: Db): Promise<{ code: string; display: string }[]> {
  return rowsOf<{ code: string; display: string }>(
    await tx.execute(sql`
      select distinct on (purpose) code, display from coded_concepts order by purpose, version desc`),
  );
}
