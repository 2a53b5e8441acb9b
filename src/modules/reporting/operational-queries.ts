import { type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { addDays, addMonths, londonMidnight, nextDay } from '../../platform/working-days.ts';
import { ageBandSql, ethnicGroupSql } from '../outcomes/report.ts';

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
}

const pcns = (s: Scope) => sql`${sql.param(s.pcnIds)}::uuid[]`;
const practiceOf = sql`coalesce(p.registered_practice_id, r.referring_organisation_id)`;
const londonMonth = (column: SQL) => sql`to_char(${column} at time zone 'Europe/London', 'YYYY-MM')`;
/** Narrows to the practice for a practice-level report (the statement joins referrals r and people p). */
const practiceFilter = (s: Scope) => (s.practiceId ? sql`and ${practiceOf} = ${s.practiceId}` : sql``);

/**
 * Working days (Monday to Friday) after one date up to and including another, as platform/working-days.ts counts
 * them, in closed form: W(m) = 5·⌊m/7⌋ + min(m mod 7, 5) weekdays in the m days from Monday 29 December 1969.
 */
function workingDaysSql(fromDate: SQL, toDate: SQL): SQL {
  const weekdaysBefore = (d: SQL) =>
    sql`(5 * ((${d} - date '1969-12-29' + 1) / 7) + least((${d} - date '1969-12-29' + 1) % 7, 5))`;
  return sql`greatest(${weekdaysBefore(toDate)} - ${weekdaysBefore(fromDate)}, 0)`;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

// ---------------------------------------------------------------------------------------------------------------
// Referrals received in the period, in one pass: by month and source, practice and reason; the people referred
// by band; the days to first contact; and who could not be reached

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
  /** People referred in the period (each once, at their first referral in it) by practice and band. */
  peopleByBand: { practiceId: string | null; bandType: string; band: string; n: number }[];
  waits: WaitRow[];
  reach: ReachRow[];
}

/**
 * Referrals received in the period. The days to first contact are calendar days between London dates, and
 * working days as the pathway counts them against the PCN's target, for those contacted (whenever). Unable to
 * contact, of those triaged: declined at triage as unable to contact, or never reached and either discharged as
 * unable to contact or with at least the PCN's number of failed attempts.
 */
export async function referralFigures(tx: Db, s: Scope): Promise<ReferralFigures> {
  // One index-only range read of the referrals' kept facts (report_referral_facts, migrations/0039); the contacts
  // count towards the wait and the attempts only once the referral was taken on.
  const rows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      with r as materialized (
        select f.referral_id as id, f.source, f.reasons, f.status, f.decline_reason, f.person_id, f.received_at,
          to_char(f.received_on, 'YYYY-MM') as month, f.received_on, f.practice_id, f.age, f.sex,
          f.ethnic_category, f.imd_decile,
          case when f.status not in ('awaiting_triage', 'declined', 'signposted') then f.first_contact_on end
            as first_on,
          case when f.status not in ('awaiting_triage', 'declined', 'signposted') then f.attempts else 0 end
            as attempts,
          case when f.status = 'discharged' then f.discharge_reason end as discharge_reason,
          coalesce(ps.first_contact_target_working_days, 10) as target,
          coalesce(ps.unable_to_contact_attempts, 3) as attempts_rule
        from report_referral_facts f
        left join pathway_settings ps on ps.organisation_id = f.organisation_id
        where f.organisation_id = any(${pcns(s)})
          and f.received_at >= ${s.fromTs} and f.received_at < ${s.toTs}
          ${s.practiceId ? sql`and f.practice_id = ${s.practiceId}` : sql``}
      ),
      firsts as (
        select distinct on (person_id) practice_id, age, sex, ethnic_category, imd_decile
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
        from r where first_on is not null
      )
      select 'source' as dim, month, source as key, count(*)::int as n,
        null::int as m, null::float8 as a, null::float8 as b, null::float8 as c
      from r group by month, source
      union all
      select 'practice', month, practice_id::text, count(*)::int, null, null, null, null
      from r group by month, practice_id
      union all
      select 'reason', r.month, x.reason, count(*)::int, null, null, null, null
      from r cross join unnest(r.reasons) x(reason)
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
      from r group by grouping sets ((month), ())`),
  );
  const out: ReferralFigures = {
    bySource: [],
    byPractice: [],
    byReason: [],
    peopleByBand: [],
    waits: [],
    reach: [],
  };
  for (const r of rows) {
    const n = Number(r.n);
    const month = (r.month as string | null) ?? null;
    const key = (r.key as string | null) ?? null;
    switch (r.dim) {
      case 'source':
        out.bySource.push({ month: month!, key: key!, n });
        break;
      case 'practice':
        out.byPractice.push({ month: month!, key, n });
        break;
      case 'reason':
        out.byReason.push({ month: month!, key: key!, n });
        break;
      case 'people': {
        const [bandType, band] = month!.split(':') as [string, string];
        out.peopleByBand.push({ practiceId: key, bandType, band, n });
        break;
      }
      case 'wait':
        out.waits.push({
          month,
          firstContacted: n,
          withinTarget: Number(r.m),
          medianDays: num(r.a),
          p90Days: num(r.b),
          medianWorkingDays: num(r.c),
        });
        break;
      default:
        out.reach.push({ month, triaged: n, unableToContact: Number(r.m) });
    }
  }
  return out;
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
 * Only three kinds of episode can be open at a past date, each found through its own index: those still
 * accepted (referrals by status), those discharged after it (discharges by day) and those declined by the person
 * at a first contact after it (contacts by time).
 */
export async function caseloadsAtEnd(tx: Db, s: Scope): Promise<CaseloadRow[]> {
  const columns = sql`r.id, r.organisation_id, r.person_id, r.referring_organisation_id`;
  const rows = rowsOf<{ pcn_id: string; link_worker_id: string; name: string; open: number }>(
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
  return rows.map((r) => ({
    pcnId: r.pcn_id,
    linkWorkerId: r.link_worker_id,
    linkWorkerName: r.name,
    open: Number(r.open),
  }));
}

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

/**
 * A period's whole London calendar months (their first days, first to last) and the part months at its ends, as day
 * ranges: 3 Jan to 17 Apr is February and March whole, and 3 to 31 Jan and 1 to 17 Apr in part.
 */
export function periodParts(
  from: string,
  to: string,
): { months: { first: string; last: string } | null; parts: { from: string; to: string }[] } {
  const monthStart = (d: string) => `${d.slice(0, 7)}-01`;
  const monthEnd = (d: string) => addDays(addMonths(monthStart(d), 1), -1);
  const parts: { from: string; to: string }[] = [];
  let headEnd: string | null = null;
  if (from !== monthStart(from)) {
    headEnd = monthEnd(from) < to ? monthEnd(from) : to;
    parts.push({ from, to: headEnd });
  }
  if (to !== monthEnd(to)) {
    const tailStart = monthStart(to) > from ? monthStart(to) : from;
    if (headEnd === null || headEnd < tailStart) parts.push({ from: tailStart, to });
  }
  const first = from === monthStart(from) ? from : addMonths(monthStart(from), 1);
  const last = to === monthEnd(to) ? monthStart(to) : addMonths(monthStart(to), -1);
  return { months: first <= last ? { first, last } : null, parts };
}

export async function activityCounts(tx: Db, s: Scope): Promise<ActivityCounts> {
  // Contacts and appointments are filtered through their referral only for a practice-level report.
  const throughReferral = (alias: string) =>
    s.practiceId
      ? sql`join referrals r on r.id = ${sql.raw(alias)}.referral_id join people p on p.id = r.person_id`
      : sql``;
  // An ICB's or a PCN's whole months are read from the kept monthly counts (report_activity_months); part months
  // at the period's ends, and a practice's report, count the records.
  const { months, parts } = s.practiceId
    ? { months: null, parts: [{ from: s.from, to: s.to }] }
    : periodParts(s.from, s.to);
  const kept = months
    ? [
        sql`select case measure when 'contact' then 'mode' else 'appointments' end as dim,
          to_char(month, 'YYYY-MM') as month, case measure when 'contact' then key end as key,
          coalesce(case measure when 'contact' then sum(n) else sum(n) filter (where key = 'attended') end, 0)::int
            as n,
          coalesce(sum(n) filter (where key = 'did_not_attend'), 0)::int as m
        from report_activity_months
        where organisation_id = any(${pcns(s)}) and month between ${months.first}::date and ${months.last}::date
          and n <> 0
        group by measure, month, case measure when 'contact' then key end`,
      ]
    : [];
  const counted = parts.flatMap((part) => {
    const fromTs = londonMidnight(part.from);
    const toTs = londonMidnight(nextDay(part.to));
    return [
      sql`select 'mode' as dim, ${londonMonth(sql`c.occurred_at`)} as month, c.mode as key, count(*)::int as n,
          0 as m
        from contacts c ${throughReferral('c')}
        where c.organisation_id = any(${pcns(s)}) and c.occurred_at >= ${fromTs} and c.occurred_at < ${toTs}
          and c.kind <> 'attempt' ${practiceFilter(s)}
        group by 2, 3`,
      sql`select 'appointments', ${londonMonth(sql`a.starts_at`)}, null,
          count(*) filter (where a.status = 'attended')::int,
          count(*) filter (where a.status = 'did_not_attend')::int
        from appointments a ${throughReferral('a')}
        where a.organisation_id = any(${pcns(s)}) and a.starts_at >= ${fromTs} and a.starts_at < ${toTs}
          and a.status in ('attended', 'did_not_attend') ${practiceFilter(s)}
        group by 2`,
    ];
  });
  const rows = rowsOf<{ dim: string; month: string | null; key: string | null; n: number; m: number }>(
    await tx.execute(sql`
      ${sql.join([...kept, ...counted], sql` union all `)}
      union all
      select 'discharge', to_char(f.discharged_on, 'YYYY-MM'), f.discharge_reason, count(*)::int, 0
      from report_referral_facts f
      where f.organisation_id = any(${pcns(s)}) and f.discharged_on between ${s.from}::date and ${s.to}::date
        ${s.practiceId ? sql`and f.practice_id = ${s.practiceId}` : sql``}
      group by 2, 3
      union all
      select 'per_episode', null, f.contacts::text, count(*)::int, 0
      from report_referral_facts f
      where f.organisation_id = any(${pcns(s)}) and f.discharged_on between ${s.from}::date and ${s.to}::date
        ${s.practiceId ? sql`and f.practice_id = ${s.practiceId}` : sql``}
      group by f.contacts`),
  );
  const out: ActivityCounts = {
    contactsByMode: [],
    contactsPerEpisode: [],
    appointments: [],
    dischargeReasons: [],
  };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.dim === 'mode') out.contactsByMode.push({ month: r.month!, key: r.key!, n });
    else if (r.dim === 'appointments')
      out.appointments.push({ month: r.month!, attended: n, didNotAttend: Number(r.m) });
    else if (r.dim === 'discharge') out.dischargeReasons.push({ month: r.month!, key: r.key!, n });
    else out.contactsPerEpisode.push({ contacts: Number(r.key), episodes: n });
  }
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

/**
 * Connections made in the period, by the top-level taxonomy term (category) of the service and by how far each
 * got, from its status history: attended (ever), did not attend (and never attended), declined, accepted with
 * no attendance recorded yet, and the rest (signposted, or waiting for the service's reply). A service in two
 * categories counts in both; "all connections" counts each connection once.
 */
export async function connectionCounts(tx: Db, s: Scope): Promise<ConnectionCount[]> {
  const practiceJoin = s.practiceId
    ? sql`join referrals r on r.id = cn.referral_id join people p on p.id = r.person_id`
    : sql``;
  const rows = rowsOf<{
    category_id: string | null;
    category_name: string | null;
    state: ConnectionState;
    n: number;
  }>(
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
  return rows.map((r) => ({
    categoryId: r.category_id === 'all' ? null : (r.category_id ?? 'none'),
    categoryName: r.category_id === 'all' ? null : (r.category_name ?? 'Not categorised'),
    state: r.state,
    n: Number(r.n),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// SNOMED CT coded events per practice, for the PCN's contract returns

export async function codedEventCounts(
  tx: Db,
  s: Scope,
): Promise<{ practiceId: string | null; code: string; display: string; n: number }[]> {
  // An ICB's or a PCN's whole months are read from the kept monthly counts (report_coded_months); part months at
  // the period's ends, and a practice's report, count the records.
  const { months, parts } = s.practiceId
    ? { months: null, parts: [{ from: s.from, to: s.to }] }
    : periodParts(s.from, s.to);
  const kept = months
    ? [
        sql`select practice_id, code, display, n from report_coded_months
          where organisation_id = any(${pcns(s)}) and month between ${months.first}::date and ${months.last}::date
            and n <> 0`,
      ]
    : [];
  const counted = parts.map(
    (part) => sql`
      select ${practiceOf} as practice_id, ce.code, ce.display, 1 as n
      from coded_events ce
      join referrals r on r.id = ce.referral_id
      join people p on p.id = ce.person_id
      where ce.organisation_id = any(${pcns(s)}) and ce.recorded_at >= ${londonMidnight(part.from)}
        and ce.recorded_at < ${londonMidnight(nextDay(part.to))} ${practiceFilter(s)}`,
  );
  const rows = rowsOf<{ practice_id: string | null; code: string; display: string; n: number }>(
    await tx.execute(sql`
      select practice_id::text, code, max(display) as display, sum(n)::int as n
      from (${sql.join([...kept, ...counted], sql` union all `)}) x
      group by practice_id, code`),
  );
  return rows.map((r) => ({ practiceId: r.practice_id, code: r.code, display: r.display, n: Number(r.n) }));
}

/** The codes the PCN DES asks for, newest version of each purpose: every one gets a column, used or not. */
export async function currentCodedConcepts(tx: Db): Promise<{ code: string; display: string }[]> {
  return rowsOf<{ code: string; display: string }>(
    await tx.execute(sql`
      select distinct on (purpose) code, display from coded_concepts order by purpose, version desc`),
  );
}
