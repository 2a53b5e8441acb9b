import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'csv-parse/sync';
import { type SQL, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { type Db, rowsOf } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import type { Actor } from '../../platform/actor.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { ageBandSql, ethnicGroupSql } from '../outcomes/report.ts';
import { operationalReportFor } from './operational.ts';
import {
  activityCounts,
  caseloadsAtEnd,
  codedEventCounts,
  connectionCounts,
  percentileOf,
  periodParts,
  referralFigures,
  type Scope,
} from './operational-queries.ts';
import { loadPracticePopulations } from './population.ts';
import { type Piece, type PieceKeeping, ReportPieces, reportPieces } from './report-pieces.ts';

/*
 * The operational report's referral facts (migration 0039) are kept by triggers. Over the demo, and again after
 * writes of every kind the facts read (each made as a PCN's user, under row security, as the app makes them), they
 * must equal a plain computation from the records; and the report's referral figures read from them must equal the
 * statement the report ran over the records before the facts existed, kept here as it was as the reference.
 */

const SYSTEM = { system: true as const, now: new Date() };

/** n rows of one type, for destructuring a query's rows whose count the test has just checked. */
type Tuple<T, N extends number, Acc extends T[] = []> = Acc['length'] extends N
  ? Acc
  : Tuple<T, N, [...Acc, T]>;

/** Each referral's facts straight from the records, one lateral join at a time. */
async function plainFacts(db: Db) {
  return inTransaction(db, SYSTEM, async (tx) =>
    rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
        select r.id as referral_id, r.organisation_id, r.received_at::text,
          (r.received_at at time zone 'Europe/London')::date::text as received_on, r.source,
          (select string_agg(distinct x, ',' order by x) from jsonb_array_elements_text(r.reasons) x) as reasons,
          r.status, r.decline_reason, r.person_id,
          coalesce(p.registered_practice_id, r.referring_organisation_id) as practice_id,
          extract(year from age((r.received_at at time zone 'Europe/London')::date, p.date_of_birth))::int as age,
          p.sex, p.ethnic_category, p.imd_decile::int,
          (cs.first_at at time zone 'Europe/London')::date::text as first_contact_on, cs.attempts, cs.contacts,
          (select d.discharged_on::text from discharges d where d.referral_id = r.id) as discharged_on,
          (select d.reason from discharges d where d.referral_id = r.id) as discharge_reason,
          (select string_agg((al.allocated_at at time zone 'Europe/London')::date::text || ' ' || al.to_link_worker_id,
                             ',' order by al.allocated_at, al.id)
           from allocations al where al.referral_id = r.id) as allocations,
          o.earlier::text as earlier_received_at
        from referrals r
        join people p on p.id = r.person_id
        join (select id, lag(received_at) over (partition by person_id, organisation_id order by received_at, id)
                as earlier
              from referrals) o on o.id = r.id
        cross join lateral (
          select min(c.occurred_at) filter (where c.kind = 'first_contact') as first_at,
            count(*) filter (where c.kind = 'attempt')::int as attempts,
            count(*) filter (where c.kind <> 'attempt')::int as contacts
          from contacts c where c.referral_id = r.id) cs
        order by r.id`),
    ),
  );
}

async function keptFacts(db: Db) {
  return inTransaction(db, SYSTEM, async (tx) =>
    rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
        select referral_id, organisation_id, received_at::text, received_on::text, source,
          nullif(array_to_string(reasons, ','), '') as reasons, status, decline_reason, person_id, practice_id,
          age::int, sex, ethnic_category, imd_decile::int, first_contact_on::text, attempts, contacts,
          discharged_on::text, discharge_reason,
          (select string_agg(d::text || ' ' || lw, ',' order by k)
           from unnest(allocated_on, allocated_to) with ordinality u(d, lw, k)) as allocations,
          earlier_received_at::text
        from report_referral_facts order by referral_id`),
    ),
  );
}

function differences(kept: Record<string, unknown>[], plain: Record<string, unknown>[]) {
  const out: string[] = [];
  if (kept.length !== plain.length) out.push(`${kept.length} kept rows, ${plain.length} computed`);
  for (let i = 0; i < Math.min(kept.length, plain.length) && out.length < 5; i++) {
    if (!isDeepStrictEqual(kept[i], plain[i])) {
      out.push(`kept ${JSON.stringify(kept[i])}\nplain ${JSON.stringify(plain[i])}`);
    }
  }
  return out;
}

// The statement the report ran over the records before the facts (operational-queries.ts at commit 4a2bb9a).
const pcns = (s: Scope) => sql`${sql.param(s.pcnIds)}::uuid[]`;
const practiceOf = sql`coalesce(p.registered_practice_id, r.referring_organisation_id)`;
const londonMonth = (column: SQL) => sql`to_char(${column} at time zone 'Europe/London', 'YYYY-MM')`;
const londonDay = (column: SQL) => sql`(${column} at time zone 'Europe/London')::date`;
const practiceFilter = (s: Scope) => (s.practiceId ? sql`and ${practiceOf} = ${s.practiceId}` : sql``);
function workingDaysSql(fromDate: SQL, toDate: SQL): SQL {
  const weekdaysBefore = (d: SQL) =>
    sql`(5 * ((${d} - date '1969-12-29' + 1) / 7) + least((${d} - date '1969-12-29' + 1) % 7, 5))`;
  return sql`greatest(${weekdaysBefore(toDate)} - ${weekdaysBefore(fromDate)}, 0)`;
}

type FigureRow = {
  dim: string;
  month: string | null;
  key: string | null;
  n: number;
  m: number | null;
  a: number | null;
  b: number | null;
  c: number | null;
};

const numberOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function sortRows(rows: Record<string, unknown>[]): FigureRow[] {
  return rows
    .map((r) => ({
      dim: String(r.dim),
      month: (r.month as string | null) ?? null,
      key: (r.key as string | null) ?? null,
      n: Number(r.n),
      m: numberOrNull(r.m),
      a: numberOrNull(r.a),
      b: numberOrNull(r.b),
      c: numberOrNull(r.c),
    }))
    .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}

/** The report's referral rows from the records, sorted so that two computations compare row for row. */
async function figuresFromRecords(tx: Db, s: Scope) {
  return sortRows(
    peopleByCovered(
      s,
      rowsOf<Record<string, unknown>>(
        await tx.execute(sql`
      with r as materialized (
        select r.id, r.source, r.reasons, r.status, r.decline_reason, r.person_id, r.received_at,
          ${londonMonth(sql`r.received_at`)} as month, ${londonDay(sql`r.received_at`)} as received_on,
          ${practiceOf} as practice_id, p.date_of_birth, p.sex, p.ethnic_category, p.imd_decile,
          coalesce(ps.first_contact_target_working_days, 10) as target,
          coalesce(ps.unable_to_contact_attempts, 3) as attempts_rule
        from referrals r
        join people p on p.id = r.person_id
        left join pathway_settings ps on ps.organisation_id = r.organisation_id
        where r.organisation_id = any(${pcns(s)})
          and r.received_at >= ${s.fromTs} and r.received_at < ${s.toTs}
          ${practiceFilter(s)}
      ),
      x as materialized (
        select r.month, r.status, r.decline_reason, r.received_on, r.target, r.attempts_rule,
          ${londonDay(sql`cs.first_at`)} as first_on, cs.attempts,
          case when cs.first_at is null and r.status = 'discharged'
            then (select d.reason from discharges d where d.referral_id = r.id) end as discharge_reason
        from r
        left join lateral (
          select min(c.occurred_at) filter (where c.kind = 'first_contact') as first_at,
            count(*) filter (where c.kind = 'attempt') as attempts
          from contacts c
          where c.referral_id = r.id and c.kind in ('first_contact', 'attempt')
            and r.status not in ('awaiting_triage', 'declined', 'signposted')
        ) cs on true
      ),
      firsts as (
        select distinct on (person_id) practice_id,
          extract(year from age(received_on, date_of_birth))::int as age, sex, ethnic_category, imd_decile
        from r order by person_id, received_at
      ),
      banded as (
        select practice_id, ${ageBandSql(sql`age`, 'not_known')} as age_band, sex,
          ${ethnicGroupSql(sql`ethnic_category`, 'not_known')} as ethnic_group,
          coalesce(((imd_decile + 1) / 2)::text, 'not_known') as imd_quintile
        from firsts
      ),
      w as (
        select month, first_on - received_on as days,
          ${workingDaysSql(sql`received_on`, sql`first_on`)} as working_days, target
        from x where first_on is not null
      )
      select 'source' as dim, month, source as key, count(*)::int as n,
        null::int as m, null::float8 as a, null::float8 as b, null::float8 as c
      from r group by month, source
      union all
      select 'practice', month, practice_id::text, count(*)::int, null, null, null, null
      from r group by month, practice_id
      union all
      select 'reason', r.month, x.reason, count(*)::int, null, null, null, null
      from r cross join lateral (select distinct jsonb_array_elements_text(r.reasons)) x(reason)
      group by r.month, x.reason
      union all
      select 'people',
        case when grouping(age_band) = 0 then 'age_band:' || age_band
             when grouping(sex) = 0 then 'sex:' || sex
             when grouping(ethnic_group) = 0 then 'ethnicity:' || ethnic_group
             else 'imd_quintile:' || imd_quintile end,
        practice_id::text, count(*)::int, null, null, null, null
      from banded
      group by grouping sets ((practice_id, age_band), (practice_id, sex), (practice_id, ethnic_group),
        (practice_id, imd_quintile))
      union all
      select 'wait', month, null, count(*)::int, count(*) filter (where working_days <= target)::int,
        percentile_cont(0.5) within group (order by days),
        percentile_cont(0.9) within group (order by days),
        percentile_cont(0.5) within group (order by working_days)
      from w group by grouping sets ((month), ())
      union all
      select 'reach', month, null, count(*) filter (where status <> 'awaiting_triage')::int,
        count(*) filter (where (status = 'declined' and decline_reason = 'unable_to_contact')
          or (first_on is null and status in ('accepted', 'discharged')
              and (discharge_reason = 'disengaged_or_unable_to_contact' or attempts >= attempts_rule)))::int,
        null, null, null
      from x group by grouping sets ((month), ())`),
      ),
    ),
  );
}

/**
 * The reference's people by practice and band, as the report gives them: by band and whether the practice has a
 * population loaded for the band's type (the scope's covered practices), the groups that come to 0 left out.
 */
function peopleByCovered(s: Scope, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const people = new Map<string, Record<string, unknown> & { n: number }>();
  for (const r of rows) {
    if (r.dim !== 'people') continue;
    const type = String(r.month).split(':')[0]!;
    const key =
      r.key !== null && (s.covered?.[type] ?? []).includes(String(r.key)) ? 'covered' : 'not covered';
    const found = people.get(`${r.month}|${key}`);
    if (found) found.n += Number(r.n);
    else people.set(`${r.month}|${key}`, { ...r, key, n: Number(r.n) });
  }
  return [...rows.filter((r) => r.dim !== 'people'), ...[...people.values()].filter((r) => r.n !== 0)];
}

/** Contacts by mode, appointments, discharges by reason and contacts per episode from the records, sorted. */
async function activityFromRecords(tx: Db, s: Scope) {
  const throughReferral = (alias: string) =>
    s.practiceId
      ? sql`join referrals r on r.id = ${sql.raw(alias)}.referral_id join people p on p.id = r.person_id`
      : sql``;
  return sortRows(
    rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
      select 'mode' as dim, ${londonMonth(sql`c.occurred_at`)} as month, c.mode as key, count(*)::int as n, 0 as m
      from contacts c ${throughReferral('c')}
      where c.organisation_id = any(${pcns(s)}) and c.occurred_at >= ${s.fromTs} and c.occurred_at < ${s.toTs}
        and c.kind <> 'attempt' ${practiceFilter(s)}
      group by 2, 3
      union all
      select 'appointments', ${londonMonth(sql`a.starts_at`)}, null,
        count(*) filter (where a.status = 'attended')::int, count(*) filter (where a.status = 'did_not_attend')::int
      from appointments a ${throughReferral('a')}
      where a.organisation_id = any(${pcns(s)}) and a.starts_at >= ${s.fromTs} and a.starts_at < ${s.toTs}
        and a.status in ('attended', 'did_not_attend') ${practiceFilter(s)}
      group by 2
      union all
      select 'discharge', to_char(d.discharged_on, 'YYYY-MM'), d.reason, count(*)::int, 0
      from discharges d ${throughReferral('d')}
      where d.organisation_id = any(${pcns(s)}) and d.discharged_on between ${s.from}::date and ${s.to}::date
        ${practiceFilter(s)}
      group by 2, 3
      union all
      select 'per_episode', null, k.contacts::text, count(*)::int, 0
      from discharges d ${throughReferral('d')}
      cross join lateral (
        select count(*) as contacts from contacts c where c.referral_id = d.referral_id and c.kind <> 'attempt'
      ) k
      where d.organisation_id = any(${pcns(s)}) and d.discharged_on between ${s.from}::date and ${s.to}::date
        ${practiceFilter(s)}
      group by k.contacts`),
    ),
  );
}

/** The same rows as activityCounts returns them, put back in the statement's shape. */
async function activityFromFacts(tx: Db, s: Scope) {
  const a = await activityCounts(tx, s);
  return sortRows([
    ...a.contactsByMode.map((r) => ({ dim: 'mode', month: r.month, key: r.key, n: r.n, m: 0 })),
    ...a.appointments.map((r) => ({
      dim: 'appointments',
      month: r.month,
      key: null,
      n: r.attended,
      m: r.didNotAttend,
    })),
    ...a.dischargeReasons.map((r) => ({ dim: 'discharge', month: r.month, key: r.key, n: r.n, m: 0 })),
    ...a.contactsPerEpisode.map((r) => ({
      dim: 'per_episode',
      month: null,
      key: String(r.contacts),
      n: r.episodes,
      m: 0,
    })),
  ]);
}

/** SNOMED CT coded events per practice and code from the records, sorted. */
async function codedFromRecords(tx: Db, s: Scope) {
  const rows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      select ${practiceOf}::text as practice_id, ce.code, max(ce.display) as display, count(*)::int as n
      from coded_events ce
      join referrals r on r.id = ce.referral_id
      join people p on p.id = ce.person_id
      where ce.organisation_id = any(${pcns(s)}) and ce.recorded_at >= ${s.fromTs} and ce.recorded_at < ${s.toTs}
        ${practiceFilter(s)}
      group by 1, ce.code`),
  );
  return sortRows(
    rows.map((r) => ({ dim: 'coded', month: r.display, key: `${r.practice_id}|${r.code}`, n: r.n })),
  );
}

async function codedFromKept(tx: Db, s: Scope) {
  const rows = await codedEventCounts(tx, s);
  return sortRows(
    rows.map((r) => ({ dim: 'coded', month: r.display, key: `${r.practiceId}|${r.code}`, n: r.n })),
  );
}

/** Episodes open at the end of the period by link worker, from the records, sorted. */
async function caseloadsFromRecords(tx: Db, s: Scope) {
  const columns = sql`r.id, r.organisation_id, r.person_id, r.referring_organisation_id`;
  const rows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      with r as (
        select ${columns} from referrals r
        where r.organisation_id = any(${pcns(s)}) and r.status = 'accepted' and r.received_at < ${s.toTs}
        union all
        select ${columns} from discharges d join referrals r on r.id = d.referral_id
        where d.organisation_id = any(${pcns(s)}) and d.discharged_on > ${s.to}::date
          and r.received_at < ${s.toTs}
        union all
        select ${columns} from contacts c join referrals r on r.id = c.referral_id
        where c.organisation_id = any(${pcns(s)}) and c.kind = 'first_contact' and c.occurred_at >= ${s.toTs}
          and r.status = 'declined_by_person' and r.received_at < ${s.toTs}
      )
      select r.organisation_id as pcn_id, a.to_link_worker_id as link_worker_id, u.name, count(*)::int as open
      from r
      ${s.practiceId ? sql`join people p on p.id = r.person_id` : sql``}
      cross join lateral (
        select al.to_link_worker_id from allocations al
        where al.referral_id = r.id and al.allocated_at < ${s.toTs}
        order by al.allocated_at desc limit 1
      ) a
      join users u on u.id = a.to_link_worker_id
      where true ${practiceFilter(s)}
      group by r.organisation_id, a.to_link_worker_id, u.name`),
  );
  return sortRows(
    rows.map((r) => ({ dim: 'caseload', month: r.pcn_id, key: `${r.link_worker_id}|${r.name}`, n: r.open })),
  );
}

async function caseloadsFromFacts(tx: Db, s: Scope) {
  const rows = await caseloadsAtEnd(tx, s);
  return sortRows(
    rows.map((r) => ({
      dim: 'caseload',
      month: r.pcnId,
      key: `${r.linkWorkerId}|${r.linkWorkerName}`,
      n: r.open,
    })),
  );
}

/** Connections by category and state, from the records, sorted. */
async function connectionsFromRecords(tx: Db, s: Scope) {
  const practiceJoin = s.practiceId
    ? sql`join referrals r on r.id = cn.referral_id join people p on p.id = r.person_id`
    : sql``;
  const rows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      with recursive c as materialized (
        select cn.id, cn.directory_id, cn.service_id,
          case
            when bool_or(e.status in ('attended', 'completed')) then 'attended'
            when bool_or(e.status = 'did_not_attend') then 'did_not_attend'
            when bool_or(e.status = 'declined') then 'declined'
            when bool_or(e.status = 'accepted') then 'accepted'
            else 'other'
          end as state
        from connections cn ${practiceJoin}
        left join connection_events e on e.connection_id = cn.id
        where cn.organisation_id = any(${pcns(s)})
          and cn.connected_on between ${s.from}::date and ${s.to}::date ${practiceFilter(s)}
        group by cn.id, cn.directory_id, cn.service_id
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
      categorised as (
        select c.id, c.state, cat.root_id, cat.root_name
        from c
        join directory_services sv on sv.organisation_id = c.directory_id and sv.id = c.service_id
        left join lateral (
          select distinct roots.root_id, roots.root_name from unnest(sv.term_ids) tid
          join roots on roots.organisation_id = sv.organisation_id and roots.id = tid
        ) cat on true
      )
      select root_id::text as category_id, max(root_name) as category_name, state, count(*)::int as n
      from categorised group by root_id, state
      union all
      select 'all', null, state, count(*)::int from c group by state`),
  );
  return sortRows(
    rows.map((r) => ({ dim: String(r.state), month: r.category_name, key: r.category_id, n: r.n })),
  );
}

async function connectionsFromFacts(tx: Db, s: Scope) {
  const rows = await connectionCounts(tx, s);
  return sortRows(
    rows.map((r) => ({
      dim: r.state,
      month: r.categoryName,
      key: r.categoryId === null ? 'all' : r.categoryId === 'none' ? null : r.categoryId,
      n: r.n,
    })),
  );
}

/** The same rows as referralFigures returns them from the facts, put back in the statement's shape. */
async function figuresFromFacts(tx: Db, s: Scope) {
  const f = await referralFigures(tx, s);
  return sortRows([
    ...f.bySource.map((r) => ({ dim: 'source', month: r.month, key: r.key, n: r.n })),
    ...f.byPractice.map((r) => ({ dim: 'practice', month: r.month, key: r.key, n: r.n })),
    ...f.byReason.map((r) => ({ dim: 'reason', month: r.month, key: r.key, n: r.n })),
    ...f.peopleByBand.map((r) => ({
      dim: 'people',
      month: `${r.bandType}:${r.band}`,
      key: r.covered ? 'covered' : 'not covered',
      n: r.n,
    })),
    ...f.waits.map((w) => ({
      dim: 'wait',
      month: w.month,
      key: null,
      n: w.firstContacted,
      m: w.withinTarget,
      a: w.medianDays,
      b: w.p90Days,
      c: w.medianWorkingDays,
    })),
    ...f.reach.map((r) => ({ dim: 'reach', month: r.month, key: null, n: r.triaged, m: r.unableToContact })),
  ]);
}

/**
 * All the demo's PCNs over all its referrals, over a period starting and ending mid-month, over whole months, and one
 * practice over all its referrals.
 */
async function scopes(db: Db): Promise<(Scope & { coded: boolean })[]> {
  return inTransaction(db, SYSTEM, async (tx) => {
    const pcnIds = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from organisations where type = 'pcn' order by name`),
    ).map((r) => r.id);
    const [practice] = rowsOf<{ id: string }>(
      await tx.execute(sql`select practice_id as id from report_referral_facts where practice_id is not null
                           group by practice_id order by count(*) desc limit 1`),
    );
    const [span] = rowsOf<{ from: string; to: string; mid_from: string; mid_to: string }>(
      await tx.execute(sql`select (min(received_on) - 3)::text as from, (max(received_on) + 3)::text as to,
                             (percentile_disc(0.2) within group (order by received_on)
                               filter (where first_contact_on is not null))::text as mid_from,
                             (percentile_disc(0.9) within group (order by received_on)
                               filter (where first_contact_on is not null))::text as mid_to
                           from report_referral_facts`),
    );
    // The first instant of a London day (GMT or BST), as the report works it out.
    const startOf = async (day: string) =>
      new Date(
        rowsOf<{ t: string }>(
          await tx.execute(sql`select (${day}::date::timestamp at time zone 'Europe/London')::text as t`),
        )[0]!.t,
      );
    // Practices with a population loaded, by band type, for the demographic reach: some for one type, all for
    // another, none for a third, every other one for the last.
    const practices = rowsOf<{ id: string }>(
      await tx.execute(sql`select distinct practice_id::text as id from report_referral_facts
                           where practice_id is not null order by 1`),
    ).map((r) => r.id);
    const covered = {
      age_band: practices.slice(0, Math.ceil(practices.length / 2)),
      sex: practices,
      ethnicity: [],
      imd_quintile: practices.filter((_, i) => i % 2 === 1),
    };
    const out: (Scope & { coded: boolean })[] = [];
    // Whole months: the kept monthly counts alone.
    const wholeFrom = `${span!.mid_from.slice(0, 7)}-01`;
    const wholeTo = rowsOf<{ d: string }>(
      await tx.execute(
        sql`select ((date_trunc('month', ${span!.mid_to}::date) + interval '1 month')::date - 1)::text as d`,
      ),
    )[0]!.d;
    // The demo codes its recent episodes: whole months around them, and the coded counts are checked there too.
    const [coded] = rowsOf<{ from: string; to: string }>(
      await tx.execute(sql`select date_trunc('month', min(recorded_at) - interval '1 month')::date::text as from,
                             ((date_trunc('month', max(recorded_at)) + interval '1 month')::date - 1)::text as to
                           from coded_events`),
    );
    // Every referral's month whole: the kept monthly counts for all of them.
    const [all] = rowsOf<{ from: string; to: string }>(
      await tx.execute(sql`select date_trunc('month', min(received_on))::date::text as from,
                             ((date_trunc('month', max(received_on)) + interval '1 month')::date - 1)::text as to
                           from report_referral_facts`),
    );
    // A period ending among the discharges: episodes open at its end, some discharged just before it, some after.
    const [discharges] = rowsOf<{ to: string }>(
      await tx.execute(sql`select (percentile_disc(0.5) within group (order by discharged_on))::text as to
                           from report_referral_facts where discharged_on is not null`),
    );
    for (const [from, to, practiceId, withCodes] of [
      [span!.from, discharges!.to, null, false],
      [span!.from, span!.to, null, true],
      [all!.from, all!.to, null, true],
      [span!.mid_from, span!.mid_to, null, false],
      [wholeFrom, wholeTo, null, false],
      [coded!.from, coded!.to, null, true],
      [span!.from, span!.to, practice!.id, true],
    ] as const) {
      const after = rowsOf<{ d: string }>(await tx.execute(sql`select (${to}::date + 1)::text as d`))[0]!.d;
      out.push({
        pcnIds,
        practiceId,
        from,
        to,
        fromTs: await startOf(from),
        toTs: await startOf(after),
        covered,
        coded: withCodes,
      });
    }
    return out;
  });
}

async function expectAgreement(db: Db) {
  let caseloadRows = 0;
  let connectionRows = 0;
  // The figures again with their months kept between periods (report-pieces.ts), as the server keeps them: each
  // period after the first reads only the months the ones before did not, and takes the days it covers of its part
  // months from those read whole. Kept for this call only (the writes between calls would make them stale).
  const pieces = reportPieces();
  const kept: PieceKeeping[] = [];
  const keeping = (s: Scope): Scope => {
    const k: PieceKeeping = { cache: pieces, refresh: false, now: new Date(), oldest: Date.now() };
    kept.push(k);
    return { ...s, keeping: k };
  };
  // And every month read day by day, whole ones too, as the warming job keeps an ICB's recent months.
  const days = reportPieces();
  const byDay = (s: Scope): Scope => ({
    ...s,
    keeping: { cache: days, refresh: false, byDay: true, now: new Date(), oldest: Date.now() },
  });
  const plain = await plainFacts(db);
  expect(differences(await keptFacts(db), plain)).toEqual([]);
  for (const s of await scopes(db)) {
    const [fromRecords, fromFacts, activityRecorded, activityKept, codedRecorded, codedKept] =
      await inTransaction(db, SYSTEM, async (tx) => [
        await figuresFromRecords(tx, s),
        await figuresFromFacts(tx, s),
        await activityFromRecords(tx, s),
        await activityFromFacts(tx, s),
        await codedFromRecords(tx, s),
        await codedFromKept(tx, s),
      ]);
    const [caseloadsRecorded, caseloadsKept] = await inTransaction(db, SYSTEM, async (tx) => [
      await caseloadsFromRecords(tx, s),
      await caseloadsFromFacts(tx, s),
    ]);
    expect(differences(caseloadsKept, caseloadsRecorded), `${s.from} to ${s.to}: caseloads`).toEqual([]);
    const [connectionsRecorded, connectionsKept] = await inTransaction(db, SYSTEM, async (tx) => [
      await connectionsFromRecords(tx, s),
      await connectionsFromFacts(tx, s),
    ]);
    expect(differences(connectionsKept, connectionsRecorded), `${s.from} to ${s.to}: connections`).toEqual(
      [],
    );
    connectionRows += connectionsRecorded.length;
    caseloadRows += caseloadsRecorded.length;
    if (s.coded) expect(codedRecorded.length, `${s.from} to ${s.to}: coded`).toBeGreaterThan(0);
    expect(differences(codedKept, codedRecorded), `${s.from} to ${s.to}: coded`).toEqual([]);
    const what = `${s.from} to ${s.to}, ${s.practiceId ?? 'every practice'}`;
    if (!s.coded || s.practiceId === null) {
      expect(fromRecords.filter((r) => r.dim === 'wait').length, what).toBeGreaterThan(1);
    }
    expect(differences(fromFacts, fromRecords), what).toEqual([]);
    for (const dim of s.coded ? [] : ['mode', 'discharge', 'per_episode']) {
      expect(activityRecorded.filter((r) => r.dim === dim).length, `${what}: ${dim}`).toBeGreaterThan(1);
    }
    expect(differences(activityKept, activityRecorded), what).toEqual([]);
    // The same figures with their months kept between periods, and with every month kept by day.
    for (const [how, kept] of [
      ['months kept', keeping],
      ['kept by day', byDay],
    ] as const) {
      const [fromPieces, activityPieces, codedPieces, connectionPieces] = await inTransaction(
        db,
        SYSTEM,
        async (tx) => [
          await figuresFromFacts(tx, kept(s)),
          await activityFromFacts(tx, kept(s)),
          await codedFromKept(tx, kept(s)),
          await connectionsFromFacts(tx, kept(s)),
        ],
      );
      expect(differences(fromPieces, fromRecords), `${what}, ${how}`).toEqual([]);
      expect(differences(activityPieces, activityRecorded), `${what}, ${how}`).toEqual([]);
      expect(differences(codedPieces, codedRecorded), `${what}, ${how}`).toEqual([]);
      expect(differences(connectionPieces, connectionsRecorded), `${what}, ${how}`).toEqual([]);
    }
  }
  expect(days.days.stats.entries).toBeGreaterThan(10);
  // Caseloads at the ends of the periods: not all empty (the mid-period ends have episodes open).
  expect(caseloadRows).toBeGreaterThan(3);
  // The people referred over two months starting every ninth day (every PCN, and one practice): each person once,
  // at their first referral in the period, as the records give it (after the writes below, some of those periods
  // hold a person's second referral with the first in the period, and some with the first before it).
  const [, first, , , , , onePractice] = await scopes(db);
  const starts = await inTransaction(db, SYSTEM, async (tx) =>
    rowsOf<{
      from: string;
      to: string;
      from_ts: string;
      to_ts: string;
      again_in: number;
      again_before: number;
    }>(
      await tx.execute(sql`
        with p as (
          select d::date as from, (d + interval '2 months')::date - 1 as to
          from generate_series(${first!.from}::date, ${first!.to}::date, interval '9 days') d
        ),
        r as (
          select received_at, lag(received_at) over (partition by person_id, organisation_id
                                                     order by received_at, id) as earlier
          from referrals
        )
        select p.from::text, p.to::text, (p.from::timestamp at time zone 'Europe/London')::text as from_ts,
          ((p.to + 1)::timestamp at time zone 'Europe/London')::text as to_ts,
          (select count(*) from r where r.received_at >= (p.from::timestamp at time zone 'Europe/London')
             and r.received_at < ((p.to + 1)::timestamp at time zone 'Europe/London')
             and r.earlier >= (p.from::timestamp at time zone 'Europe/London'))::int as again_in,
          (select count(*) from r where r.received_at >= (p.from::timestamp at time zone 'Europe/London')
             and r.received_at < ((p.to + 1)::timestamp at time zone 'Europe/London')
             and r.earlier < (p.from::timestamp at time zone 'Europe/London'))::int as again_before
        from p order by p.from`),
    ),
  );
  const people = (rows: Record<string, unknown>[]) => rows.filter((r) => r.dim === 'people');
  let peopleSeen = 0;
  for (const period of starts) {
    for (const scope of [first!, onePractice!]) {
      const s = {
        ...scope,
        from: period.from,
        to: period.to,
        fromTs: new Date(period.from_ts),
        toTs: new Date(period.to_ts),
      };
      const [all, kept, fromPieces] = await inTransaction(db, SYSTEM, async (tx) => [
        await figuresFromRecords(tx, s),
        people(await figuresFromFacts(tx, s)),
        // Every figure, its months kept between these overlapping periods (a practice's are not kept).
        await figuresFromFacts(tx, keeping(s)),
      ]);
      const recorded = people(all);
      expect(
        differences(kept, recorded),
        `people referred ${s.from} to ${s.to}, ${s.practiceId ?? 'every practice'}`,
      ).toEqual([]);
      expect(
        differences(fromPieces, all),
        `${s.from} to ${s.to}, ${s.practiceId ?? 'every practice'}, months kept`,
      ).toEqual([]);
      peopleSeen += recorded.reduce((sum, r) => sum + Number(r.n), 0);
    }
  }
  expect(starts.length).toBeGreaterThan(20);
  expect(peopleSeen).toBeGreaterThan(100);
  // The later periods took most of their months from those kept for the earlier ones, and the people referred
  // from the months kept always agreed with the repeats counted beside them (none counted afresh).
  expect(pieces.stats.hits).toBeGreaterThan(pieces.stats.misses);
  expect(kept.reduce((n, k) => n + (k.recounted ?? 0), 0)).toBe(0);
  // How many of those periods held a person's repeat referral with the first in the period, and before it.
  const repeats = {
    againIn: starts.filter((p) => p.again_in > 0).length,
    againBefore: starts.filter((p) => p.again_before > 0).length,
  };
  // And at the end of every fifth day from before the first referral to after the last, and on the days either
  // side of each allocation and discharge (every PCN, and one practice): the kept day changes, summed, give the
  // caseloads the records give.
  const [whole, , , , , , practice] = await scopes(db);
  const ends = await inTransaction(db, SYSTEM, async (tx) =>
    rowsOf<{ to: string; to_ts: string }>(
      await tx.execute(sql`
        with days as (
          select b.lo + g as d
          from (select min(received_on) - 2 as lo, max(received_on) + 40 as hi from report_referral_facts) b,
            generate_series(0, b.hi - b.lo, 5) g
          union select (al.allocated_at at time zone 'Europe/London')::date + k from allocations al, generate_series(-1, 0) k
          union select discharged_on + k from discharges, generate_series(-1, 0) k
        )
        select d::text as to, ((d + 1)::timestamp at time zone 'Europe/London')::text as to_ts from days order by d`),
    ),
  );
  let openSeen = 0;
  for (const end of ends) {
    for (const scope of [whole!, practice!]) {
      const s = { ...scope, to: end.to, toTs: new Date(end.to_ts) };
      const [recorded, kept, fromPieces] = await inTransaction(db, SYSTEM, async (tx) => [
        await caseloadsFromRecords(tx, s),
        await caseloadsFromFacts(tx, s),
        // Its last month's changes kept between these ends, as the server keeps them.
        await caseloadsFromFacts(tx, keeping(s)),
      ]);
      expect(
        differences(kept, recorded),
        `caseloads at the end of ${end.to}, ${s.practiceId ?? 'every practice'}`,
      ).toEqual([]);
      expect(
        differences(fromPieces, recorded),
        `caseloads at the end of ${end.to}, ${s.practiceId ?? 'every practice'}, months kept`,
      ).toEqual([]);
      openSeen += recorded.reduce((sum, r) => sum + Number(r.n), 0);
    }
  }
  expect(ends.length).toBeGreaterThan(30);
  expect(openSeen).toBeGreaterThan(100);
  expect(connectionRows).toBeGreaterThan(10);
  return { plain, repeats };
}

describeEachDatabase('the operational report’s referral facts', (get) => {
  beforeAll(async () => {
    await seedDemo(get().db, new Date());
  });

  it('equal a plain computation over the demo, and give the figures the records give', async () => {
    const { plain } = await expectAgreement(get().db);
    // The demo is no empty case: referrals contacted, attempted, discharged, declined, from several practices.
    expect(plain.length).toBeGreaterThan(400);
    for (const key of ['first_contact_on', 'discharge_reason', 'imd_decile', 'practice_id']) {
      expect(plain.filter((f) => f[key] !== null).length, key).toBeGreaterThan(10);
    }
    expect(plain.filter((f) => f.decline_reason !== null).length).toBeGreaterThan(2);
    expect(plain.filter((f) => Number(f.attempts) > 0).length).toBeGreaterThan(3);
    // Dozens of periods, each figure worked out twice: more than the default time on a busy machine.
  }, 120_000);

  it('counts the people referred afresh when the months kept do not agree with what is counted beside them', async () => {
    const db = get().db;
    const [, , , , whole] = await scopes(db);
    // Months kept that no longer agree (as if read before many referrals were written): every band's referrals of
    // each month 1,000 short, which leaves some band less than none once the repeats are taken away.
    class Stale extends ReportPieces {
      override async get(key: string, compute: () => Promise<Piece>): Promise<Piece> {
        const piece = await super.get(key, compute);
        if (!key.startsWith('people|')) return piece;
        const rows = (piece.rows as (Piece['rows'][number] & { prev: string; n: number })[]).map((r) =>
          r.prev === '' ? { ...r, n: r.n - 1000 } : r,
        );
        return { ...piece, rows };
      }
    }
    const keeping: PieceKeeping = {
      cache: new Stale(),
      refresh: false,
      now: new Date(),
      oldest: Date.now(),
    };
    const [recorded, counted] = await inTransaction(db, SYSTEM, async (tx) => [
      await figuresFromRecords(tx, whole!),
      await figuresFromFacts(tx, { ...whole!, keeping }),
    ]);
    expect(keeping.recounted).toBe(1);
    expect(differences(counted, recorded)).toEqual([]);
    expect(recorded.filter((r) => r.dim === 'people').length).toBeGreaterThan(10);
  });

  it('keep the people referred in the bands the report names (report_person_bands, migrations/0053)', async () => {
    // Every age from before 0 to past the last band, and none; each sex and none; every letter A to Z and none; IMD
    // deciles 0 to 11 and none.
    const rows = await inTransaction(get().db, SYSTEM, async (tx) =>
      rowsOf<{ kept: string[]; named: string[] }>(
        await tx.execute(sql`
          with people as (
            select a.age, 'female' as sex, 'A' as letter, 5 as decile
            from (select generate_series(-1, 210) as age union all select null) a
            union all select 40, s.sex, 'A', 5 from (values ('male'), ('not_known'), (null)) s(sex)
            union all select 40, 'female', e.letter, 5
            from (select chr(c) as letter from generate_series(65, 90) c union all select null) e
            union all select 40, 'female', 'A', i.decile
            from (select generate_series(0, 11) as decile union all select null) i
          )
          select array(select band from report_person_bands(age, sex, letter, decile) order by band) as kept,
            array['age_band:' || ${ageBandSql(sql`age`, 'not_known')}, 'sex:' || sex,
                  'ethnicity:' || ${ethnicGroupSql(sql`letter`, 'not_known')},
                  'imd_quintile:' || coalesce(((decile + 1) / 2)::text, 'not_known')] as named
          from people`),
      ),
    );
    expect(rows.length).toBe(213 + 3 + 27 + 13);
    const differ = rows.filter((r) => !isDeepStrictEqual([...r.kept].sort(), [...r.named].sort()));
    expect(differ.slice(0, 3)).toEqual([]);
    // Each band type once per person, and the kept table filled from the demo's facts.
    expect(rows.every((r) => r.kept.length === 4)).toBe(true);
    const kept = await inTransaction(get().db, SYSTEM, async (tx) =>
      rowsOf<{ n: number }>(await tx.execute(sql`select sum(n)::int as n from report_people_months`)),
    );
    const facts = await inTransaction(get().db, SYSTEM, async (tx) =>
      rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from report_referral_facts`)),
    );
    expect(Number(kept[0]!.n)).toBe(4 * Number(facts[0]!.n));
  });

  it('follow every kind of write they read, made as a PCN’s user', async () => {
    const db = get().db;
    const before = await plainFacts(db);
    const accepted = rowsOf<{
      id: string;
      organisation_id: string;
      person_id: string;
      lw: string;
      received_at: string;
    }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select r.id, r.organisation_id, r.person_id, r.allocated_link_worker_id as lw,
                         r.received_at::text
                       from referrals r
                       where r.status = 'accepted' and r.allocated_link_worker_id is not null
                         and r.organisation_id = (select organisation_id from referrals where status = 'discharged'
                                                  group by 1 order by count(*) desc limit 1)
                       order by r.id limit 5`),
      ),
    );
    expect(accepted).toHaveLength(5);
    const [one, two, three, four, five] = accepted as Tuple<(typeof accepted)[0], 5>;
    const pcn = one.organisation_id;
    const [discharged] = rowsOf<{ id: string }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select referral_id as id from discharges where organisation_id = ${pcn}
                       and reason <> 'disengaged_or_unable_to_contact' order by referral_id limit 1`),
      ),
    );
    const [practice] = rowsOf<{ id: string }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select id from organisations where type = 'gp_practice' and parent_id = ${pcn}
                       order by name desc limit 1`),
      ),
    );
    const actor: Actor = {
      userId: one.lw,
      sessionId: 'report-facts-test',
      actingOrganisationId: pcn,
      actingOrganisationType: 'pcn',
      roles: ['link_worker'],
      scopeOrganisationIds: [pcn],
      requestId: 'report-facts-test',
      ip: null,
      now: new Date(),
    };
    const firstContactId = newId();
    await inTransaction(db, actor, async (tx) => {
      // A first contact the day after the referral, and two attempts that did not reach the person.
      await tx.execute(sql`insert into contacts (id, organisation_id, referral_id, person_id, link_worker_id,
          occurred_at, mode, kind, created_at)
        values (${firstContactId}, ${pcn}, ${one.id}, ${one.person_id}, ${one.lw},
                ${one.received_at}::timestamptz + interval '1 day', 'phone', 'first_contact', now()),
               (${newId()}, ${pcn}, ${two.id}, ${two.person_id}, ${two.lw}, now(), 'phone', 'attempt', now()),
               (${newId()}, ${pcn}, ${two.id}, ${two.person_id}, ${two.lw}, now(), 'text', 'attempt', now())`);
      // The person's date of birth, sex and practice.
      await tx.execute(sql`update people set date_of_birth = (date_of_birth - interval '10 years')::date,
          sex = case when sex = 'female' then 'male' else 'female' end, registered_practice_id = ${practice!.id}
        where id = ${three.person_id}`);
      // A referral's needs and source corrected; another declined as unable to contact.
      await tx.execute(sql`update referrals set reasons = '["money", "housing", "money"]', source = 'self'
        where id = ${four.id}`);
      await tx.execute(sql`update referrals set status = 'declined', decline_reason = 'unable_to_contact'
        where id = ${five.id}`);
      // A discharge's reason corrected.
      await tx.execute(sql`update discharges set reason = 'disengaged_or_unable_to_contact',
          discharged_on = discharged_on - 31 where referral_id = ${discharged!.id}`);
    });
    // A first contact recorded against the wrong referral is moved, then another is deleted.
    const [earliest] = rowsOf<{ id: string; referral_id: string }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select id, referral_id from contacts where organisation_id = ${pcn}
                       and kind = 'first_contact' and referral_id <> ${one.id} order by id limit 1`),
      ),
    );
    await inTransaction(db, actor, async (tx) => {
      await tx.execute(sql`update contacts set kind = 'contact' where id = ${earliest!.id}`);
      // Appointments kept or missed; a contact's mode corrected; another deleted.
      await tx.execute(sql`update appointments set status = case when status = 'attended' then 'did_not_attend'
          else 'attended' end
        where id in (select id from appointments where organisation_id = ${pcn} order by id limit 4)`);
      await tx.execute(sql`update contacts set mode = case when mode = 'phone' then 'video' else 'phone' end
        where id in (select id from contacts where organisation_id = ${pcn} and kind = 'contact'
                     order by id desc limit 3)`);
      await tx.execute(sql`delete from contacts where id = (select id from contacts where organisation_id = ${pcn}
        and kind = 'contact' and id <> ${earliest!.id} order by occurred_at limit 1)`);
      // The demo's past episodes have no allocation rows: allocate them as triage would have, the day they came,
      // so that the caseloads at a past end count the episodes discharged after it.
      await tx.execute(sql`insert into allocations (id, organisation_id, referral_id, to_link_worker_id, allocated_by,
          allocated_at)
        select gen_random_uuid(), r.organisation_id, r.id, r.allocated_link_worker_id, r.allocated_link_worker_id,
          r.received_at + interval '1 hour'
        from referrals r
        where r.organisation_id = ${pcn} and r.status = 'discharged' and r.allocated_link_worker_id is not null
          and not exists (select 1 from allocations a where a.referral_id = r.id)`);
      // Reallocations: one episode to another link worker a week after it came, and back on the same day (two
      // allocations on one day: the later holds); another's first allocation moved a day later, a third's removed.
      const [other] = rowsOf<{ id: string }>(
        await tx.execute(sql`select distinct to_link_worker_id as id from allocations
          where organisation_id = ${pcn} and to_link_worker_id <> ${one.lw} order by 1 limit 1`),
      );
      const reallocated = rowsOf<{ id: string; received_at: string; lw: string }>(
        await tx.execute(sql`select r.id, r.received_at::text, r.allocated_link_worker_id as lw from referrals r
          where r.organisation_id = ${pcn} and r.status = 'discharged'
            and exists (select 1 from allocations a where a.referral_id = r.id)
          order by r.id limit 4`),
      );
      expect(reallocated).toHaveLength(4);
      const [moved, twice, shifted, removed] = reallocated as Tuple<(typeof reallocated)[0], 4>;
      await tx.execute(sql`insert into allocations (id, organisation_id, referral_id, from_link_worker_id,
          to_link_worker_id, reason, allocated_by, allocated_at)
        values (${newId()}, ${pcn}, ${moved.id}, ${moved.lw}, ${other!.id}, 'leave', ${one.lw},
                ${moved.received_at}::timestamptz + interval '7 days'),
               (${newId()}, ${pcn}, ${twice.id}, ${twice.lw}, ${other!.id}, 'leave', ${one.lw},
                ${twice.received_at}::timestamptz + interval '9 days 1 hour'),
               (${newId()}, ${pcn}, ${twice.id}, ${other!.id}, ${twice.lw}, 'back', ${one.lw},
                ${twice.received_at}::timestamptz + interval '9 days 2 hours')`);
      await tx.execute(sql`update allocations set allocated_at = allocated_at + interval '1 day'
        where referral_id = ${shifted.id}`);
      await tx.execute(sql`delete from allocations where referral_id = ${removed.id}`);
      // A connection attended after all; another's service corrected to the next one in the directory.
      await tx.execute(sql`insert into connection_events (id, organisation_id, connection_id, person_id, status,
          "on", recorded_by, recorded_at)
        select gen_random_uuid(), cn.organisation_id, cn.id, cn.person_id, 'attended', current_date, ${one.lw}, now()
        from connections cn where cn.organisation_id = ${pcn}
          and not exists (select 1 from connection_events e where e.connection_id = cn.id
                          and e.status in ('attended', 'completed'))
        order by cn.id limit 2`);
      await tx.execute(sql`update connections cn set service_id = (
          select sv.id from directory_services sv where sv.organisation_id = cn.directory_id and sv.id <> cn.service_id
          order by sv.id limit 1)
        where cn.id = (select id from connections where organisation_id = ${pcn} order by id desc limit 1)`);
      // A coded event recorded, another withdrawn; a person's practice and a referral's referrer corrected.
      await tx.execute(sql`insert into coded_events (id, organisation_id, referral_id, person_id, purpose, system,
          code, display, recorded_at, recorded_by)
        select ${newId()}, organisation_id, referral_id, person_id, 'test-extra', system, code, display, now(),
          recorded_by
        from coded_events where organisation_id = ${pcn} order by id limit 1`);
      await tx.execute(sql`delete from coded_events where id = (select id from coded_events
        where organisation_id = ${pcn} and purpose <> 'test-extra' order by id desc limit 1)`);
      await tx.execute(sql`update people set registered_practice_id = null where id = (
          select ce.person_id from coded_events ce where ce.organisation_id = ${pcn}
          order by ce.id desc offset 3 limit 1)`);
      await tx.execute(sql`update referrals set referring_organisation_id = ${practice!.id} where id = (
          select ce.referral_id from coded_events ce where ce.organisation_id = ${pcn}
          order by ce.id desc offset 3 limit 1)`);
    });
    // The order of a person's referrals (what says whether one is their first in a period; the demo refers each
    // person once): a referral arriving before a person's other (a copy of it, 20 days earlier); another person
    // referred again 10 days later, then their first moved after that; a third's referral made for a fourth person;
    // and a fifth's earlier copy made and then removed.
    const singles = rowsOf<{ id: string; person_id: string }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select id, person_id from referrals where organisation_id = ${pcn}
                       and id not in (${one.id}, ${two.id}, ${three.id}, ${four.id}, ${five.id})
                       order by id limit 5`),
      ),
    );
    expect(new Set(singles.map((r) => r.person_id)).size).toBe(5);
    const [backdated, later, moved, removedCopy, receiving] = singles as Tuple<(typeof singles)[0], 5>;
    const copyOf = (id: string, copyId: string, by: string) => sql`insert into referrals
      select (jsonb_populate_record(null::referrals, to_jsonb(r) || jsonb_build_object('id', ${copyId}::uuid,
        'received_at', r.received_at + ${by}::interval, 'reference', null, 'idempotency_key', null))).*
      from referrals r where r.id = ${id}`;
    const doomedId = newId();
    await inTransaction(db, actor, async (tx) => {
      await tx.execute(copyOf(backdated.id, newId(), '-20 days'));
      await tx.execute(copyOf(later.id, newId(), '10 days'));
      await tx.execute(copyOf(removedCopy.id, doomedId, '-20 days'));
      await tx.execute(
        sql`update referrals set received_at = received_at + interval '11 days' where id = ${later.id}`,
      );
      await tx.execute(sql`update referrals set person_id = ${receiving.person_id} where id = ${moved.id}`);
    });
    const between = await plainFacts(db);
    await inTransaction(db, actor, (tx) => tx.execute(sql`delete from referrals where id = ${doomedId}`));
    const earlierOf = (rows: Record<string, unknown>[], id: string) =>
      rows.find((f) => f.referral_id === id)?.earlier_received_at ?? null;
    for (const r of singles) expect(earlierOf(before, r.id)).toBeNull();
    expect(earlierOf(between, backdated.id)).not.toBeNull();
    expect(earlierOf(between, removedCopy.id)).not.toBeNull();
    const activity = await inTransaction(db, SYSTEM, async (tx) =>
      rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from report_activity_months`)),
    );
    expect(activity[0]!.n).toBeGreaterThan(10);
    const { plain: after, repeats } = await expectAgreement(db);
    // The counts kept by day (migrations/0054) after those writes: each day's, as the records count them now.
    const kept = async (statement: SQL) =>
      (
        await inTransaction(db, SYSTEM, async (tx) =>
          rowsOf<Record<string, unknown>>(await tx.execute(statement)),
        )
      )
        .map((r) => JSON.stringify(r))
        .sort();
    expect(
      await kept(
        sql`select organisation_id, day::text, measure, key, n from report_activity_days where n <> 0`,
      ),
    ).toEqual(
      await kept(sql`
        select organisation_id, (occurred_at at time zone 'Europe/London')::date::text as day, 'contact' as measure,
          mode as key, count(*)::int as n
        from contacts where kind <> 'attempt' group by 1, 2, 4
        union all
        select organisation_id, (starts_at at time zone 'Europe/London')::date::text, 'appointment', status,
          count(*)::int
        from appointments where status in ('attended', 'did_not_attend') group by 1, 2, 4`),
    );
    const coded = await kept(
      sql`select organisation_id, day::text, practice_id, code, n from report_coded_days where n <> 0`,
    );
    expect(coded).toEqual(
      await kept(sql`
        select ce.organisation_id, (ce.recorded_at at time zone 'Europe/London')::date::text as day,
          coalesce(p.registered_practice_id, r.referring_organisation_id) as practice_id, ce.code, count(*)::int as n
        from coded_events ce join referrals r on r.id = ce.referral_id join people p on p.id = ce.person_id
        group by 1, 2, 3, 4`),
    );
    expect(coded.length).toBeGreaterThan(10);
    // And the referral figures kept by day: each fact's rows (the function the monthly counts use, whose rows the
    // agreement above holds to the records) by its day of arrival.
    expect(
      await kept(
        sql`select organisation_id, day::text, measure, key, a, b, n from report_referral_days where n <> 0`,
      ),
    ).toEqual(
      await kept(sql`
        select f.organisation_id, f.received_on::text as day, x.measure, x.key, x.a, x.b, count(*)::int as n
        from report_referral_facts f
        cross join lateral report_referral_month_rows(f.source, f.practice_id, f.reasons, f.received_on,
          f.first_contact_on, f.status, f.decline_reason, f.discharge_reason, f.attempts) x
        group by 1, 2, 3, 4, 5, 6`),
    );
    // The writes changed what they should (so agreement above is not two unchanged tables agreeing).
    const row = (rows: Record<string, unknown>[], id: string) => rows.find((f) => f.referral_id === id)!;
    expect(row(after, one.id).first_contact_on).not.toBe(row(before, one.id).first_contact_on);
    expect(Number(row(after, one.id).contacts)).toBe(Number(row(before, one.id).contacts) + 1);
    expect(Number(row(after, two.id).attempts)).toBe(Number(row(before, two.id).attempts) + 2);
    expect(Number(row(after, two.id).contacts)).toBe(Number(row(before, two.id).contacts));
    expect(row(after, three.id).practice_id).toBe(practice!.id);
    expect(Number(row(after, three.id).age)).toBe(Number(row(before, three.id).age) + 10);
    expect(row(after, four.id).reasons).toBe('housing,money');
    expect(row(after, five.id).decline_reason).toBe('unable_to_contact');
    expect(row(after, discharged!.id).discharge_reason).toBe('disengaged_or_unable_to_contact');
    expect(row(after, discharged!.id).discharged_on).not.toBe(row(before, discharged!.id).discharged_on);
    expect(earlierOf(after, later.id)).not.toBeNull();
    expect(earlierOf(after, removedCopy.id)).toBeNull();
    expect(row(after, moved.id).person_id).toBe(receiving.person_id);
    expect(
      [earlierOf(after, moved.id), earlierOf(after, receiving.id)].filter((e) => e !== null),
    ).toHaveLength(1);
    // And the periods of the people referred held a person's second referral with the first in the period, and
    // with the first before it.
    expect(repeats.againIn).toBeGreaterThan(1);
    expect(repeats.againBefore).toBeGreaterThan(1);
    expect(row(after, earliest!.referral_id).first_contact_on).not.toBe(
      row(before, earliest!.referral_id).first_contact_on,
    );
    // Dozens of periods, each figure worked out twice: more than the default time on a busy machine.
  }, 120_000);

  it('load the demo’s sample practice populations (data/demo), and the ICB’s reach is then per 1,000 registered', async () => {
    const db = get().db;
    const text = await readFile(
      new URL('../../../data/demo/practice-populations.csv', import.meta.url),
      'utf8',
    );
    const file = parse(text, { columns: true }) as { practice: string; band_type: string; count: string }[];
    const [who] = await inTransaction(db, SYSTEM, async (tx) =>
      rowsOf<{ user_id: string; icb: string; orgs: string[] }>(
        await tx.execute(sql`
          select u.id as user_id, ra.organisation_id as icb,
            array(select id from organisations where id = ra.organisation_id or parent_id = ra.organisation_id
                  or parent_id in (select id from organisations where parent_id = ra.organisation_id)) as orgs
          from users u join role_assignments ra on ra.user_id = u.id and ra.role = 'commissioner'
          where u.email = 'commissioner@demo.linkwork.example'`),
      ),
    );
    const commissioner: Actor = {
      userId: who!.user_id,
      sessionId: 'test',
      actingOrganisationId: who!.icb,
      actingOrganisationType: 'icb',
      roles: ['commissioner'],
      scopeOrganisationIds: who!.orgs,
      requestId: 'test',
      ip: null,
      now: new Date(),
    };
    const loaded = await inTransaction(db, commissioner, (tx) =>
      loadPracticePopulations(tx, commissioner, text),
    );
    expect(loaded).toEqual({ rows: file.length, practices: 5, asOf: ['2025-04-01'] });
    const report = await inTransaction(db, commissioner, (tx) =>
      operationalReportFor(tx, commissioner, {}, 'json'),
    );
    for (const type of ['age_band', 'sex', 'ethnicity', 'imd_quintile']) {
      const reach = report.tables.find((t) => t.key === `reach_${type}`)!;
      expect(reach.notes, type).toContain('5 of 5 practices have a population loaded (as at 2025-04-01).');
      // Every band type adds up to the same registered list.
      const all = reach.rows.find((r) => r.key === 'total')!;
      expect(all.cells[1]!.value, type).toBe(
        file.filter((r) => r.band_type === type).reduce((n, r) => n + Number(r.count), 0),
      );
      expect(all.cells[1]!.value, type).toBe(38_850);
    }
  });
});

it('splits a period into kept London months and the days counted at its ends, no more than half a month', () => {
  // More than half of January and of April: kept whole, less the days outside the period.
  expect(periodParts('2026-01-03', '2026-04-17')).toEqual({
    months: { first: '2026-01-01', last: '2026-04-01' },
    parts: [
      { from: '2026-01-01', to: '2026-01-02', sign: -1 },
      { from: '2026-04-18', to: '2026-04-30', sign: -1 },
    ],
  });
  // Less than half of them: their days counted.
  expect(periodParts('2026-01-25', '2026-04-05')).toEqual({
    months: { first: '2026-02-01', last: '2026-03-01' },
    parts: [
      { from: '2026-01-25', to: '2026-01-31', sign: 1 },
      { from: '2026-04-01', to: '2026-04-05', sign: 1 },
    ],
  });
  // Half of a 30-day month exactly is counted, not kept.
  expect(periodParts('2026-04-16', '2026-05-31')).toEqual({
    months: { first: '2026-05-01', last: '2026-05-01' },
    parts: [{ from: '2026-04-16', to: '2026-04-30', sign: 1 }],
  });
  expect(periodParts('2025-04-01', '2026-03-31')).toEqual({
    months: { first: '2025-04-01', last: '2026-03-01' },
    parts: [],
  });
  // Within one month: both ends taken off, or the days counted.
  expect(periodParts('2026-02-03', '2026-02-20')).toEqual({
    months: { first: '2026-02-01', last: '2026-02-01' },
    parts: [
      { from: '2026-02-01', to: '2026-02-02', sign: -1 },
      { from: '2026-02-21', to: '2026-02-28', sign: -1 },
    ],
  });
  expect(periodParts('2026-02-10', '2026-02-12')).toEqual({
    months: null,
    parts: [{ from: '2026-02-10', to: '2026-02-12', sign: 1 }],
  });
  // Leap years.
  expect(periodParts('2024-02-01', '2024-02-28')).toEqual({
    months: { first: '2024-02-01', last: '2024-02-01' },
    parts: [{ from: '2024-02-29', to: '2024-02-29', sign: -1 }],
  });
  expect(periodParts('2024-02-10', '2024-03-31')).toEqual({
    months: { first: '2024-02-01', last: '2024-03-01' },
    parts: [{ from: '2024-02-01', to: '2024-02-09', sign: -1 }],
  });
  expect(periodParts('2024-02-16', '2024-03-31')).toEqual({
    months: { first: '2024-03-01', last: '2024-03-01' },
    parts: [{ from: '2024-02-16', to: '2024-02-29', sign: 1 }],
  });
});

it('works out a percentile from a histogram as PostgreSQL’s percentile_cont does', () => {
  // 1, 2, 2, 3, 10: the median is the third value; the 90th percentile is 60 % of the way from 3 to 10.
  const histogram: [number, number][] = [
    [1, 1],
    [2, 2],
    [3, 1],
    [10, 1],
  ];
  expect(percentileOf(histogram, 0.5)).toBe(2);
  expect(percentileOf(histogram, 0.9)).toBeCloseTo(3 + 0.6 * 7, 12);
  expect(percentileOf([[4, 2]], 0.9)).toBe(4);
  expect(percentileOf([], 0.5)).toBeNull();
});
