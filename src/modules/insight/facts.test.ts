import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { type Db, rowsOf } from '../../db/client.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import type { Actor } from '../../platform/actor.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';

/*
 * The explorer's episode facts and the link workers' caseload steps (migration 0038) are kept by triggers. Over the
 * demo (hundreds of episodes with contacts, goals, connections, discharges and context histories), and again after
 * writes of every kind a factor reads — each made as a PCN's user, under row security, as the app makes them —
 * they must equal a plain computation from the records: the per-episode joins the explorer made before the facts
 * existed, and a caseload counted referral by referral.
 */

const SYSTEM = { system: true as const, now: new Date() };

/** Each episode's factors straight from the records, one lateral join at a time. */
async function plainFacts(db: Db) {
  return inTransaction(db, SYSTEM, async (tx) =>
    rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
        select e.referral_id, e.instrument_code, e.baseline_id, e.baseline_on::text, e.discharged_on::text,
          coalesce(p.registered_practice_id, ref.referring_organisation_id) as practice_id,
          ref.allocated_link_worker_id as link_worker_id,
          extract(year from age(e.baseline_on, p.date_of_birth))::int as age, p.sex, p.ethnic_category,
          p.imd_decile::int, ref.reasons->>0 as main_need, ref.source as referral_source,
          lwc.employment_model, lwc.supervision, lwc.clinical_system_access, lwc.practice_meetings,
          lwc.delivery_mode,
          round((extract(epoch from (act.first_contact_at - ref.received_at)) / 86400)::numeric, 6)::float8
            as days_to_first_contact,
          act.contacts, act.in_person, gl.goals, con.warm, con.signposted, con.attended,
          -- None kept when a later measure came before the baseline.
          case when h.discharge_on < e.baseline_on or h.follow_up_short_on < e.baseline_on
            or h.follow_up_long_on < e.baseline_on then null else hl.measure end as headline_measure,
          h.baseline_value, h.discharge_value, h.follow_up_short_value, h.follow_up_long_value
        from outcome_changes e
        join people p on p.id = e.person_id
        join referrals ref on ref.id = e.referral_id
        left join lateral (
          select lc.* from link_worker_contexts lc
          where lc.organisation_id = ref.organisation_id and lc.link_worker_id = ref.allocated_link_worker_id
            and lc.effective_from <= e.baseline_on
          order by lc.effective_from desc limit 1) lwc on true
        cross join lateral (
          select min(ct.occurred_at) filter (where ct.kind = 'first_contact') as first_contact_at,
            count(*) filter (where ct.kind <> 'attempt')::int as contacts,
            count(*) filter (where ct.kind <> 'attempt'
              and ct.mode in ('in_practice', 'home_visit', 'community_venue'))::int as in_person
          from contacts ct where ct.referral_id = e.referral_id) act
        cross join lateral (
          select count(*) filter (where cn.kind in ('warm_handover', 'referred'))::int as warm,
            count(*) filter (where cn.kind = 'signposted')::int as signposted,
            count(*) filter (where cn.status in ('attended', 'completed', 'dropped_out'))::int as attended
          from connections cn where cn.referral_id = e.referral_id) con
        cross join lateral (select count(*)::int as goals from goals g where g.referral_id = e.referral_id) gl
        -- The headline score: the first of the baseline's instrument version as defined.
        left join lateral (
          select 'score:' || (i.definition -> 'scores' -> 0 ->> 'code') as measure
          from outcome_responses b join outcome_instruments i on i.id = b.instrument_id
          where b.id = e.baseline_id) hl on true
        left join lateral (
          select * from outcome_changes h
          where h.referral_id = e.referral_id and h.baseline_id = e.baseline_id and h.measure = hl.measure) h on true
        where e.measure = ''
        order by e.referral_id, e.instrument_code, e.baseline_id`),
    ),
  );
}

async function keptFacts(db: Db) {
  return inTransaction(db, SYSTEM, async (tx) =>
    rowsOf<Record<string, unknown>>(
      await tx.execute(sql`
        select referral_id, instrument_code, baseline_id, baseline_on::text, discharged_on::text, practice_id,
          link_worker_id, age::int, sex, ethnic_category, imd_decile::int, main_need, referral_source,
          employment_model, supervision, clinical_system_access, practice_meetings, delivery_mode,
          round(days_to_first_contact::numeric, 6)::float8 as days_to_first_contact,
          contacts, in_person, goals, warm, signposted, attended, headline_measure, baseline_value, discharge_value,
          follow_up_short_value, follow_up_long_value
        from insight_episode_facts
        order by referral_id, instrument_code, baseline_id`),
    ),
  );
}

/**
 * For every link worker and every month from two years back to next month: the caseload on the first of the month
 * counted from the referrals, and as the sum of the kept steps up to it.
 */
async function caseloads(db: Db) {
  return inTransaction(db, SYSTEM, async (tx) =>
    rowsOf<{ lw: string; month: string; counted: number; stepped: number }>(
      await tx.execute(sql`
        with lws as (select distinct allocated_link_worker_id as lw from referrals
                     where allocated_link_worker_id is not null),
        months as (select generate_series(date_trunc('month', now()) - interval '24 months',
                                          date_trunc('month', now()) + interval '1 month', interval '1 month')::date as month)
        select l.lw, m.month::text,
          (select count(*) from referrals r left join discharges d on d.referral_id = r.id
           where r.allocated_link_worker_id = l.lw and r.status in ('accepted', 'discharged')
             and r.received_at < m.month and (d.discharged_on is null or d.discharged_on >= m.month))::int as counted,
          (select coalesce(sum(s.change), 0) from link_worker_caseload_steps s
           where s.link_worker_id = l.lw and s.month <= m.month)::int as stepped
        from lws l cross join months m
        order by l.lw, m.month`),
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

async function expectAgreement(db: Db) {
  const plain = await plainFacts(db);
  expect(differences(await keptFacts(db), plain)).toEqual([]);
  const counts = await caseloads(db);
  expect(counts.filter((c) => c.counted !== c.stepped).slice(0, 5)).toEqual([]);
  return { plain, counts };
}

describeEachDatabase('the explorer’s episode facts and caseload steps', (get) => {
  beforeAll(async () => {
    await seedDemo(get().db, new Date());
  });

  it('equal a plain computation over the demo', async () => {
    const { plain, counts } = await expectAgreement(get().db);
    // The demo is no empty case: episodes with every kind of factor, and caseloads that rise and fall.
    expect(plain.length).toBeGreaterThan(400);
    for (const key of ['employment_model', 'imd_decile', 'days_to_first_contact', 'main_need']) {
      expect(plain.filter((f) => f[key] !== null).length, key).toBeGreaterThan(100);
    }
    for (const key of ['contacts', 'goals', 'warm', 'attended']) {
      expect(plain.filter((f) => Number(f[key]) > 0).length, key).toBeGreaterThan(20);
    }
    // Headline pairs of more than one instrument, at discharge and at the long follow-up (the demo has no short one).
    expect(new Set(plain.map((f) => f.headline_measure)).size).toBeGreaterThan(1);
    for (const key of ['baseline_value', 'discharge_value', 'follow_up_long_value']) {
      expect(plain.filter((f) => f[key] !== null).length, key).toBeGreaterThan(20);
    }
    expect(new Set(counts.map((c) => c.counted)).size).toBeGreaterThan(5);
  });

  it('follow every kind of write a factor reads, made as a PCN’s user', async () => {
    const db = get().db;
    const before = await plainFacts(db);
    // Episodes with facts, in one PCN: the writes below go to them.
    const [target] = rowsOf<{ organisation_id: string }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select organisation_id from insight_episode_facts
                       group by organisation_id order by count(*) desc limit 1`),
      ),
    );
    const pcn = target!.organisation_id;
    const episodes = rowsOf<{
      referral_id: string;
      person_id: string;
      lw: string;
      baseline_on: string;
      received_at: string;
    }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select distinct on (f.referral_id) f.referral_id, r.person_id,
                         r.allocated_link_worker_id as lw, f.baseline_on::text, r.received_at::text
                       from insight_episode_facts f join referrals r on r.id = f.referral_id
                       where f.organisation_id = ${pcn} and r.allocated_link_worker_id is not null
                         and exists (select 1 from goals g where g.referral_id = f.referral_id)
                         and exists (select 1 from connections c where c.referral_id = f.referral_id)
                       order by f.referral_id limit 6`),
      ),
    );
    expect(episodes).toHaveLength(6);
    const [one, two, three, four, five, six] = episodes as [
      (typeof episodes)[0],
      (typeof episodes)[0],
      (typeof episodes)[0],
      (typeof episodes)[0],
      (typeof episodes)[0],
      (typeof episodes)[0],
    ];
    const [otherLw] = rowsOf<{ lw: string }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select distinct allocated_link_worker_id as lw from referrals
                       where organisation_id = ${pcn} and allocated_link_worker_id <> ${two.lw} limit 1`),
      ),
    );
    // Two episodes measured at discharge (their headline pairs have a later value), not among those above.
    const [seven, eight] = rowsOf<{ referral_id: string }>(
      await inTransaction(db, SYSTEM, (tx) =>
        tx.execute(sql`select distinct referral_id from insight_episode_facts
                       where organisation_id = ${pcn} and discharge_value is not null
                         and referral_id <> all(${sql.param(episodes.map((e) => e.referral_id))}::uuid[])
                       order by referral_id limit 2`),
      ),
    );
    expect(seven).toBeDefined();
    expect(eight).toBeDefined();
    const actor: Actor = {
      userId: one.lw,
      sessionId: 'facts-test',
      actingOrganisationId: pcn,
      actingOrganisationType: 'pcn',
      roles: ['link_worker'],
      scopeOrganisationIds: [pcn],
      requestId: 'facts-test',
      ip: null,
      now: new Date(),
    };
    await inTransaction(db, actor, async (tx) => {
      // A contact at home and an attempt that did not reach the person; a first contact earlier than any before.
      await tx.execute(sql`insert into contacts (id, organisation_id, referral_id, person_id, link_worker_id,
          occurred_at, mode, kind, created_at)
        values (${newId()}, ${pcn}, ${one.referral_id}, ${one.person_id}, ${one.lw}, now(), 'home_visit', 'contact', now()),
               (${newId()}, ${pcn}, ${one.referral_id}, ${one.person_id}, ${one.lw}, now(), 'phone', 'attempt', now()),
               (${newId()}, ${pcn}, ${one.referral_id}, ${one.person_id}, ${one.lw},
                ${one.received_at}::timestamptz + interval '1 day', 'phone', 'first_contact', now())`);
      // The person's deprivation, sex and practice.
      await tx.execute(sql`update people set imd_decile = case when imd_decile = 1 then 10 else 1 end,
          sex = case when sex = 'female' then 'male' else 'female' end where id = ${one.person_id}`);
      // A goal more on another episode's plan; a connection attended.
      await tx.execute(sql`insert into goals (id, organisation_id, plan_id, referral_id, person_id, position,
          description, status, actions, created_at)
        select ${newId()}, organisation_id, plan_id, referral_id, person_id, 99, 'Join the choir', 'active', '[]', now()
        from goals where referral_id = ${three.referral_id} limit 1`);
      await tx.execute(sql`update connections set status = 'attended', kind = 'warm_handover'
        where referral_id = ${four.referral_id}`);
      // Another link worker takes an episode over; another's needs and source are corrected.
      await tx.execute(
        sql`update referrals set allocated_link_worker_id = ${otherLw!.lw} where id = ${two.referral_id}`,
      );
      await tx.execute(
        sql`update referrals set reasons = '["money"]', source = 'self' where id = ${five.referral_id}`,
      );
      // A context from the day of an episode's baseline: that episode's context is the new one.
      await tx.execute(sql`insert into link_worker_contexts (id, organisation_id, link_worker_id, effective_from,
          employment_model, base_settings, contracted_hours_per_week, supervision, clinical_system_access,
          practice_meetings, delivery_mode, recorded_by, recorded_at)
        values (${newId()}, ${pcn}, ${six.lw}, ${six.baseline_on}, 'local_authority', '["community_venue"]', 30,
          'peer_group', 'no', 'never', 'remote', ${six.lw}, now())`);
      // The discharge measures replaced by nothing (superseded): no pair at discharge.
      await tx.execute(sql`update outcome_responses set superseded = true
        where referral_id = ${seven!.referral_id} and timepoint = 'discharge'`);
      // Another's discharge measure dated the day before its baseline: whether that pair counts depends on the
      // period, so no pair is kept beside the factors.
      await tx.execute(sql`update outcome_responses d set completed_on = (
          select min(b.completed_on) - 1 from outcome_responses b
          where b.referral_id = d.referral_id and b.timepoint = 'baseline')
        where d.referral_id = ${eight!.referral_id} and d.timepoint = 'discharge'`);
      // A discharge moved back a month.
      await tx.execute(
        sql`update discharges set discharged_on = discharged_on - 31 where referral_id = ${three.referral_id}`,
      );
    });
    const { plain: after } = await expectAgreement(db);
    // The writes changed what they should (so agreement above is not two unchanged tables agreeing).
    const row = (rows: Record<string, unknown>[], id: string) => rows.find((f) => f.referral_id === id)!;
    // Two contacts reached the person (the attempt did not count); the first contact came the day after referral.
    expect(Number(row(after, one.referral_id).contacts)).toBe(
      Number(row(before, one.referral_id).contacts) + 2,
    );
    expect(Number(row(after, one.referral_id).days_to_first_contact)).toBeLessThanOrEqual(1);
    expect(row(after, one.referral_id).sex).not.toBe(row(before, one.referral_id).sex);
    expect(Number(row(after, three.referral_id).goals)).toBe(
      Number(row(before, three.referral_id).goals) + 1,
    );
    expect(Number(row(after, four.referral_id).attended)).toBeGreaterThan(0);
    expect(row(after, two.referral_id).link_worker_id).toBe(otherLw!.lw);
    expect(row(after, five.referral_id).main_need).toBe('money');
    expect(row(after, six.referral_id).employment_model).toBe('local_authority');
    expect(row(before, seven!.referral_id).discharge_value).not.toBeNull();
    expect(row(after, seven!.referral_id).discharge_value).toBeNull();
    const measuredAtDischarge = (rows: Record<string, unknown>[]) =>
      rows.filter((f) => f.referral_id === eight!.referral_id && f.discharge_value !== null);
    expect(measuredAtDischarge(before).map((f) => f.headline_measure)).not.toContain(null);
    expect(measuredAtDischarge(after).length).toBeGreaterThan(0);
    expect(measuredAtDischarge(after).map((f) => f.headline_measure)).toEqual(
      measuredAtDischarge(after).map(() => null),
    );
  });
});
