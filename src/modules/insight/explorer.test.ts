import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, signIn, type TestApp } from '../../../test/factories.ts';
import {
  type Host,
  PLANTED,
  PLANTED_PERIOD,
  PLANTED_TODAY,
  type PlantedEpisode,
  plantedEpisodes,
  seedPlanted,
} from '../../../test/insight-planted.ts';
import { makeWorld, type World } from '../../../test/world.ts';
import { type Db, rowsOf } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { ManualClock } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { studentTQuantile } from '../outcomes/stats.ts';
import { explorerQuery } from './contract.ts';
import { explorerCaches, explorerModel, explorerTable } from './explorer.ts';

/*
 * The explorer against a fixed dataset with planted effects (test/insight-planted.ts): its numbers must equal a
 * plain computation from the generated values (means, SDs, CIs; the model's coefficients by the normal equations
 * solved here), and the adjusted model must recover the planted effects within their 95% intervals.
 */

const QUERY = `instrument=ucla3&comparison=follow_up_long&from=${PLANTED_PERIOD.from}&to=${PLANTED_PERIOD.to}`;

/** n, mean, sample SD and 95% CI of a list, the plain way. */
function plain(values: number[]) {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, lower: mean - half, upper: mean + half };
}

const changes = (episodes: PlantedEpisode[]) =>
  episodes.filter((e) => e.after !== null).map((e) => e.after! - e.before);

/** Least squares by the normal equations X'X b = X'y, Gauss–Jordan with partial pivoting: independent of model.ts. */
function normalEquations(x: number[][], y: number[]): number[] {
  const p = x[0]!.length;
  const a = Array.from({ length: p }, (_, i) => [
    ...Array.from({ length: p }, (_, j) => x.reduce((s, row) => s + row[i]! * row[j]!, 0)),
    x.reduce((s, row, k) => s + row[i]! * y[k]!, 0),
  ]);
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= p; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  return a.map((row, i) => row[p]! / row[i]!);
}

describe('the planted dataset', () => {
  it('is the same on every run and has the groups the tests rely on', () => {
    const episodes = plantedEpisodes();
    expect(episodes).toEqual(plantedEpisodes());
    const count = (host: Host, q: 1 | 5 | null) =>
      episodes.filter((e) => e.host === host && e.quintile === q).length;
    expect([count('pcn_employed', 1), count('vcse_hosted', 5), count('vcse_hosted', null)]).toEqual([
      60, 60, 10,
    ]);
    expect(episodes.filter((e) => e.host === 'local_authority')).toHaveLength(3);
    expect(episodes.every((e) => e.after === null || (e.after >= 3 && e.after <= 9))).toBe(true);
  });
});

describeEachDatabase('the what-works explorer', (db) => {
  let t: TestApp;
  let world: World;
  let episodes: PlantedEpisode[];
  const sessions = new Map<string, Promise<Session>>();
  const as = (key: keyof World['users']) => {
    if (!sessions.has(key)) sessions.set(key, signIn(t, world.users[key]));
    return sessions.get(key)!;
  };
  const get = async (who: keyof World['users'], url: string) => call(t, await as(who), 'GET', `/api${url}`);
  const table = async (query: string, who: keyof World['users'] = 'commissionerA') => {
    const res = await get(who, `/insight/explorer?${QUERY}&${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  /** ICB A's commissioner, as the server makes them from their session, to call the services directly. */
  const commissioner = (): Actor => {
    const { orgs, users } = world;
    return {
      userId: users.commissionerA.id,
      sessionId: 'test',
      actingOrganisationId: orgs.icbA,
      actingOrganisationType: 'icb',
      roles: ['commissioner'],
      scopeOrganisationIds: [orgs.icbA, orgs.pcnA1, orgs.pcnA2, orgs.practiceA1a, orgs.vcseA],
      requestId: 'test',
      ip: null,
      now: new Date(PLANTED_TODAY),
    };
  };

  beforeAll(async () => {
    world = await makeWorld(db().db);
    episodes = await seedPlanted(db().db, world);
    t = await makeTestApp(db(), new ManualClock(PLANTED_TODAY));
  });
  afterAll(() => t?.close());

  it('breaks UCLA-3 change down by host model with the same numbers as a plain computation', async () => {
    const r = await table('factor=host_model');
    expect(r.measure.key).toBe('score:ucla3_total');
    expect(r.levels.a.map((l: { code: string }) => l.code)).toEqual([
      'pcn_employed',
      'practice_employed',
      'vcse_hosted',
      'local_authority',
    ]);
    for (const host of ['pcn_employed', 'vcse_hosted'] as const) {
      const mine = episodes.filter((e) => e.host === host);
      const want = plain(changes(mine));
      const got = r.aMargins.find((m: { a: string }) => m.a === host);
      expect(got.change.n).toBe(want.n);
      expect(got.change.meanChange).toBeCloseTo(want.mean, 10);
      expect(got.change.sdChange).toBeCloseTo(want.sd, 10);
      expect(got.change.ci95.lower).toBeCloseTo(want.lower, 10);
      expect(got.change.ci95.upper).toBeCloseTo(want.upper, 10);
      const before = plain(mine.filter((e) => e.after !== null).map((e) => e.before));
      expect(got.change.effectSize.kazis).toBeCloseTo(want.mean / before.sd, 10);
      // UCLA-3: a lower score is less lonely, and it has no published threshold, so any fall is an improvement.
      const share = (keep: (change: number) => boolean) => (100 * changes(mine).filter(keep).length) / want.n;
      const { improvedPercent, samePercent, worsePercent } = got.change;
      expect([improvedPercent, samePercent, worsePercent]).toEqual(
        [share((c) => c < 0), share((c) => c === 0), share((c) => c > 0)].map((x) => expect.closeTo(x, 10)),
      );
      expect(improvedPercent).toBeGreaterThan(50); // most improved: the shares compared are not all 0
      // Every tenth had no follow-up measure: missing data.
      expect(got.reached.value).toBe(mine.length);
      expect(got.missing.value).toBe(mine.filter((e) => e.after === null).length);
      // Complete cases leave out the ten without an IMD quintile.
      const complete = plain(changes(mine.filter((e) => e.quintile !== null)));
      expect(got.completeCase.n).toBe(complete.n);
      expect(got.completeCase.meanChange).toBeCloseTo(complete.mean, 10);
    }
    // Three people: suppressed; the practice-employed group (7 pairs) hidden too, or the total would give them away.
    const council = r.aMargins.find((m: { a: string }) => m.a === 'local_authority');
    expect(council.change).toMatchObject({ suppressed: true, n: null, meanChange: null });
    expect(council.reached).toEqual({ value: null, suppressed: true });
    const practice = r.aMargins.find((m: { a: string }) => m.a === 'practice_employed');
    expect(practice.change.suppressed).toBe(true);
    expect(practice.change.reason).toMatch(/worked out from the totals/);
    const all = plain(changes(episodes));
    expect(r.total.change.n).toBe(all.n);
    expect(r.total.change.meanChange).toBeCloseTo(all.mean, 10);
    expect(r.reading[0]).toMatch(
      /^Over everyone in the table — measures at both timepoints, link worker’s employer or host recorded \(n = \d+\) — Loneliness/,
    );
    expect(r.caution).toMatch(/not proof/);
  });

  it('crosses host model and IMD quintile: each cell as a plain computation, small cells and their shields hidden', async () => {
    const r = await table('factor=host_model&by=imd_quintile');
    expect(r.levels.b.map((l: { code: string }) => l.code)).toEqual(['1', '5']);
    // The twenty without a postcode are counted beside the table, not in it.
    expect(r.notRecorded.episodes.value).toBe(
      episodes.filter(
        (e) => e.quintile === null && e.host !== 'local_authority' && e.host !== 'practice_employed',
      ).length,
    );
    for (const host of ['pcn_employed', 'vcse_hosted'] as const) {
      for (const q of [1, 5] as const) {
        const want = plain(changes(episodes.filter((e) => e.host === host && e.quintile === q)));
        const got = r.cells.find((c: { a: string; b: string }) => c.a === host && c.b === String(q));
        expect(got.change.n).toBe(want.n);
        expect(got.change.meanChange).toBeCloseTo(want.mean, 10);
        expect(got.change.ci95.lower).toBeCloseTo(want.lower, 10);
      }
    }
    // The planted interaction shows in the cells: VCSE-hosted helps most in the most deprived quintile.
    const mean = (host: string, q: string) =>
      r.cells.find((c: { a: string; b: string }) => c.a === host && c.b === q).change.meanChange;
    expect(mean('vcse_hosted', '1') - mean('pcn_employed', '1')).toBeLessThan(
      mean('vcse_hosted', '5') - mean('pcn_employed', '5'),
    );
    const council = r.cells.find((c: { a: string; b: string }) => c.a === 'local_authority' && c.b === '1');
    expect(council.change.suppressed).toBe(true);
    // No shown row or column leaves exactly one hidden count behind it.
    const hidden = (c: { change: { suppressed: boolean; n: number | null } }) =>
      c.change.suppressed && c.change.n !== 0;
    for (const a of r.levels.a) {
      const row = r.cells.filter((c: { a: string }) => c.a === a.code);
      const margin = r.aMargins.find((m: { a: string }) => m.a === a.code);
      const count = row.filter(hidden).length;
      if (!hidden(margin)) expect(count === 0 || count >= 2, `row ${a.code}`).toBe(true);
    }
  });

  it('fits the adjusted model: coefficients equal the normal equations, and the planted effects lie within their CIs', async () => {
    const res = await get(
      'commissionerA',
      `/insight/explorer/model?${QUERY}&factor=host_model&reference=pcn_employed`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    const [complete, available] = r.models;
    expect(complete.analysis).toBe('complete_case');
    expect(available.analysis).toBe('all_available');
    // Complete cases: pairs with an IMD quintile. Columns: intercept, practice, VCSE, local authority (the
    // reference is PCN-employed), baseline, age, male, IMD quintile 5.
    const rows = episodes.filter((e) => e.after !== null && e.quintile !== null);
    expect(complete.n).toBe(rows.length);
    const x = rows.map((e) => [
      1,
      e.host === 'practice_employed' ? 1 : 0,
      e.host === 'vcse_hosted' ? 1 : 0,
      e.host === 'local_authority' ? 1 : 0,
      e.before,
      e.age,
      e.sex === 'male' ? 1 : 0,
      e.quintile === 5 ? 1 : 0,
    ]);
    const b = normalEquations(
      x,
      rows.map((e) => e.after! - e.before),
    );
    const coefficient = (term: string, level: string | null) =>
      complete.coefficients.find(
        (c: { term: string; level: string | null }) => c.term === term && c.level === level,
      );
    expect(coefficient('(Intercept)', null).estimate).toBeCloseTo(b[0]!, 8);
    expect(coefficient('a', 'vcse_hosted').estimate).toBeCloseTo(b[2]!, 8);
    expect(coefficient('before', null).estimate).toBeCloseTo(b[4]!, 8);
    expect(coefficient('age', null).estimate).toBeCloseTo(b[5]!, 8);
    expect(coefficient('sex', 'male').estimate).toBeCloseTo(b[6]!, 8);
    expect(coefficient('imd', '5').estimate).toBeCloseTo(b[7]!, 8);
    // Three people hosted by the local authority: in the model, but their estimate is not shown.
    expect(coefficient('a', 'local_authority')).toMatchObject({
      suppressed: true,
      estimate: null,
      ci95: null,
    });
    // All available: the ten without a postcode come back as "not recorded".
    expect(available.n).toBe(episodes.filter((e) => e.after !== null).length);
    expect(available.coefficients.some((c: { level: string }) => c.level === 'not_recorded')).toBe(true);
    const vcse = complete.reading.find((line: string) => line.includes('VCSE'));
    expect(vcse).toMatch(
      /^People whose link worker was hosted by a VCSE organisation improved by \d\.\d points more \(95% CI -?\d\.\d to \d\.\d points of improvement\) than people whose link worker was employed by the PCN, with the same baseline score, age, sex and IMD quintile\.$/,
    );

    const crossed = await get(
      'commissionerA',
      `/insight/explorer/model?${QUERY}&factor=host_model&by=imd_quintile&interaction=true&reference=pcn_employed&byReference=1`,
    );
    expect(crossed.statusCode, crossed.body).toBe(200);
    const model = crossed.json().models[0];
    const within = (c: { ci95: { lower: number; upper: number } }, planted: number) => {
      expect(c.ci95.lower, `${planted} within`).toBeLessThanOrEqual(planted);
      expect(c.ci95.upper, `${planted} within`).toBeGreaterThanOrEqual(planted);
    };
    const find = (term: string, level: string | null) =>
      model.coefficients.find(
        (c: { term: string; level: string | null }) => c.term === term && c.level === level,
      );
    within(find('a', 'vcse_hosted'), PLANTED.vcse + PLANTED.vcseImd1);
    within(find('b', '5'), PLANTED.imd5);
    within(find('a:b', 'vcse_hosted:5'), -PLANTED.vcseImd1);
    within(find('before', null), PLANTED.baseline);
    within(find('age', null), 0);
  });

  it('reads the headline score’s pairs from the episode facts, and joins the pairs where the facts kept another', async () => {
    const actor = commissioner();
    const q = explorerQuery.parse({
      ...Object.fromEntries(new URLSearchParams(QUERY)),
      factor: 'host_model',
      by: 'imd_quintile',
      interaction: 'true',
    });
    const both = async (tx: Db) => {
      const out = { table: await explorerTable(tx, actor, q), model: await explorerModel(tx, actor, q) };
      // Sums taken in another order differ in the last bits: every number to 10 significant digits.
      return JSON.parse(
        JSON.stringify(out, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)),
      ) as typeof out;
    };
    const rollBack = new Error('roll back');
    await inTransaction(db().db, actor, async (tx) => {
      // Every planted episode's facts keep UCLA-3's total: the first answer is read from the facts alone.
      const [others] = rowsOf<{ n: number }>(
        await tx.execute(sql`select count(*)::int as n from insight_episode_facts
          where instrument_code = 'ucla3' and headline_measure is distinct from 'score:ucla3_total'`),
      );
      expect(others!.n).toBe(0);
      const fromFacts = await both(tx);
      // Some episodes' facts kept another measure's pair (as after an instrument's first score changed between
      // versions): with values far from any UCLA-3 score, which would show in every figure if they were read.
      const stale = rowsOf<{ referral_id: string }>(
        await tx.execute(sql`update insight_episode_facts
          set headline_measure = 'score:another', baseline_value = 40, discharge_value = 99,
            follow_up_short_value = 99, follow_up_long_value = 99
          where referral_id in (select referral_id from insight_episode_facts
                                where follow_up_long_value is not null order by referral_id limit 7)
          returning referral_id`),
      );
      expect(stale).toHaveLength(7);
      expect(await both(tx)).toEqual(fromFacts);
      // Or kept none (as if the baseline had no scores): the same.
      await tx.execute(sql`update insight_episode_facts set headline_measure = null
        where referral_id in (select referral_id from insight_episode_facts where headline_measure = 'score:another'
                              order by referral_id limit 3)`);
      expect(await both(tx)).toEqual(fromFacts);
      // And read from the facts alone, every figure would have moved (so the comparisons above can fail).
      await tx.execute(sql`update insight_episode_facts set headline_measure = 'score:ucla3_total'
        where headline_measure = 'score:another' or headline_measure is null`);
      const misread = await both(tx);
      expect(misread.table.total.change.meanChange).not.toBeCloseTo(
        fromFacts.table.total.change.meanChange!,
        6,
      );
      throw rollBack;
    }).catch((err) => {
      if (err !== rollBack) throw err;
    });
    // An item's pairs come from the pairs table: its table is there, with its own numbers.
    const item = await table('factor=host_model&measure=item:lack_companionship');
    expect(item.measure.key).toBe('item:lack_companionship');
    expect(item.total.change.n).toBe(changes(episodes).length);
  });

  it('adds a period up from months kept as its own statement counts it, whatever days it starts and ends on', async () => {
    // With the app's keeper, a table is the sum of its months' groups by baseline day (each month read whole once,
    // kept for every period over it); without one, a statement counts the period. The planted baselines spread
    // over 14 months, some with a next baseline (on their own day: never counted; or weeks later: counted by
    // periods ending before it), some discharged or measured later before their baseline (counted by a period
    // starting by then): every figure of every table equal, cold and with months kept by the periods before.
    const actor = commissioner();
    const rounded = (x: unknown) =>
      JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)));
    const periods = [
      { from: '2025-12-01', to: '2026-12-31' },
      { from: '2025-12-17', to: '2026-12-16' },
      { from: '2026-01-31', to: '2026-02-20' },
      { from: '2026-02-14', to: '2026-05-09' },
      { from: '2026-03-01', to: '2026-03-31' },
      { from: '2026-04-20', to: '2026-10-02' },
      { from: '2026-06-30', to: '2027-06-14' },
      { from: '2027-02-05', to: '2027-03-20' },
    ];
    const questions: Record<string, string>[] = [
      { factor: 'host_model' },
      { factor: 'host_model', comparison: 'discharge' },
      { factor: 'host_model', comparison: 'follow_up_short' },
      { factor: 'host_model', by: 'imd_quintile' },
      { factor: 'caseload' },
      { factor: 'imd_quintile', measure: 'item:lack_companionship' },
    ];
    const rollBack = new Error('roll back');
    await inTransaction(db().db, actor, async (tx) => {
      // Each referral's rank (ids are random, ranks are not): its baseline moved by -60 to +399 days.
      await tx.execute(sql`update outcome_changes c
        set baseline_on = c.baseline_on + (k.rank * 37 % 460 - 60),
          next_baseline_on = case when k.rank % 11 = 0 then c.baseline_on + (k.rank * 37 % 460 - 60)
            when k.rank % 5 = 0 then c.baseline_on + (k.rank * 37 % 460 - 60) + (k.rank * 13 % 90 + 1) end
        from (select referral_id, row_number() over (order by referral_id)::int as rank
              from (select distinct referral_id from outcome_changes) d) k
        where k.referral_id = c.referral_id`);
      await tx.execute(sql`update insight_episode_facts f set baseline_on = c.baseline_on,
          next_baseline_on = c.next_baseline_on,
          headline_measure = case when least(c.discharge_on, c.follow_up_short_on, c.follow_up_long_on) < c.baseline_on
            then null else f.headline_measure end
        from outcome_changes c where c.referral_id = f.referral_id and c.baseline_id = f.baseline_id and c.measure = ''`);
      const [cases] = rowsOf<Record<string, number>>(
        await tx.execute(sql`select
          count(distinct to_char(baseline_on, 'YYYY-MM'))::int as months,
          count(*) filter (where next_baseline_on = baseline_on)::int as same_day,
          count(*) filter (where next_baseline_on > baseline_on)::int as later,
          count(*) filter (where follow_up_long_on < baseline_on)::int as measured_before,
          (select count(*) from insight_episode_facts where discharged_on < baseline_on)::int as discharged_before
          from outcome_changes where instrument_code = 'ucla3' and measure = 'item:lack_companionship'`),
      );
      expect(cases!.months).toBeGreaterThanOrEqual(14);
      for (const k of ['same_day', 'later', 'discharged_before', 'measured_before']) {
        expect(cases![k], k).toBeGreaterThan(3);
      }
      // And periods ending on a next baseline's day (the episode before it not counted) and the day before (counted).
      const ends = rowsOf<{ nb: string; before: string; from: string }>(
        await tx.execute(sql`select to_char(next_baseline_on, 'YYYY-MM-DD') as nb,
            to_char(next_baseline_on - 1, 'YYYY-MM-DD') as before, to_char(baseline_on - 30, 'YYYY-MM-DD') as from
          from insight_episode_facts where next_baseline_on > baseline_on + 3
          order by next_baseline_on, referral_id limit 2`),
      );
      expect(ends).toHaveLength(2);
      for (const e of ends) periods.push({ from: e.from, to: e.before }, { from: e.from, to: e.nb });
      for (const question of questions) {
        const kept = explorerCaches();
        let shown = 0;
        for (const period of periods) {
          const q = explorerQuery.parse({
            instrument: 'ucla3',
            comparison: 'follow_up_long',
            ...question,
            ...period,
          });
          const label = `${JSON.stringify(question)} ${period.from} to ${period.to}`;
          const counted = rounded(await explorerTable(tx, actor, q));
          if ((counted.total.episodes.value ?? 0) > 0) shown += 1;
          expect(rounded(await explorerTable(tx, actor, q, explorerCaches())), `${label}, cold`).toEqual(
            counted,
          );
          expect(rounded(await explorerTable(tx, actor, q, kept)), `${label}, months kept`).toEqual(counted);
        }
        expect(shown, JSON.stringify(question)).toBeGreaterThanOrEqual(6);
        expect(kept.months.stats.hits, JSON.stringify(question)).toBeGreaterThan(periods.length);
      }
      throw rollBack;
    }).catch((err) => {
      if (err !== rollBack) throw err;
    });
  });

  it('turns a pattern into a candidate configuration in a researcher’s study', async () => {
    const researcher = await as('researcherA');
    const study = await call(t, researcher, 'POST', '/api/research/studies', {
      title: 'Link workers and deprivation',
      question: 'What works for whom?',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      audioRetentionMonths: 6,
    });
    expect(study.statusCode, study.body).toBe(201);
    const query = {
      instrument: 'ucla3',
      comparison: 'follow_up_long',
      from: PLANTED_PERIOD.from,
      to: PLANTED_PERIOD.to,
      factor: 'host_model',
      by: 'imd_quintile',
    };
    const made = await call(t, researcher, 'POST', '/api/insight/candidate-cmocs', {
      studyId: study.json().id,
      query,
      level: 'vcse_hosted',
      byLevel: '1',
    });
    expect(made.statusCode, made.body).toBe(201);
    const cmoc = made.json();
    expect(cmoc.contexts).toEqual([
      'Link worker’s employer or host: Hosted by a VCSE organisation',
      'IMD quintile: 1 (most deprived)',
    ]);
    expect(cmoc.mechanismResource).toBe('To be found in the qualitative work');
    const want = plain(changes(episodes.filter((e) => e.host === 'vcse_hosted' && e.quintile === 1)));
    expect(cmoc.outcome).toContain(`n = ${want.n}, mean change ${want.mean.toFixed(2)}`);
    expect(cmoc.status).toBe('proposed');

    // The study's cross-case matrix shows the same figures for a case whose link worker is in the data.
    const site = await call(t, researcher, 'POST', `/api/research/studies/${study.json().id}/sites`, {
      name: 'PCN A1',
    });
    const kase = await call(t, researcher, 'POST', `/api/research/studies/${study.json().id}/cases`, {
      siteId: site.json().id,
      label: 'C1',
      linkWorkerId: world.users.lwA1b.id,
      linkWorkerOrganisationId: world.orgs.pcnA1,
      startsOn: '2026-02-01',
      endsOn: '2026-03-31',
    });
    expect(kase.statusCode, kase.body).toBe(201);
    const matrix = (
      await call(t, researcher, 'GET', `/api/research/studies/${study.json().id}/cross-case`)
    ).json();
    const followUp = matrix.rows[0].outcomes.find(
      (o: { measure: string; comparison: string }) =>
        o.comparison === 'follow_up_long' && o.measure.startsWith('Loneliness'),
    );
    const vcse = plain(changes(episodes.filter((e) => e.host === 'vcse_hosted')));
    expect(followUp.n).toBe(vcse.n);
    expect(followUp.meanChange).toBeCloseTo(vcse.mean, 10);
    expect(followUp.ci95.lower).toBeCloseTo(vcse.lower, 10);
    // A hidden group cannot be quoted; a commissioner does not write in studies.
    const hidden = await call(t, researcher, 'POST', '/api/insight/candidate-cmocs', {
      studyId: study.json().id,
      query,
      level: 'local_authority',
      byLevel: '1',
    });
    expect(hidden.statusCode).toBe(422);
    const commissioner = await call(t, await as('commissionerA'), 'POST', '/api/insight/candidate-cmocs', {
      studyId: study.json().id,
      query,
      level: 'vcse_hosted',
      byLevel: '1',
    });
    expect(commissioner.statusCode).toBe(403);
  });

  it('counts each episode under its link worker’s caseload on the first of the baseline’s month, as counted plainly', async () => {
    // Per episode of the period: the allocated link worker's referrals, accepted or discharged, received before the
    // first day of the baseline's month and not discharged before it — counted referral by referral. Over the
    // planted year and over periods starting and ending mid-month.
    const plainBands = async (period: { from: string; to: string }) =>
      rowsOf<{ band: string; n: number }>(
        await inTransaction(db().db, { system: true, now: new Date(PLANTED_TODAY) }, (tx) =>
          tx.execute(sql`
          with e as (
            select c.referral_id, date_trunc('month', c.baseline_on)::date as month, r.allocated_link_worker_id as lw
            from outcome_changes c join referrals r on r.id = c.referral_id
            where c.measure = '' and c.instrument_code = 'ucla3'
              and c.baseline_on between ${period.from}::date and ${period.to}::date
              and (c.next_baseline_on is null or c.next_baseline_on > ${period.to}::date)),
          counted as (
            select e.referral_id, (select count(*) from referrals r2 left join discharges d on d.referral_id = r2.id
              where r2.allocated_link_worker_id = e.lw and r2.status in ('accepted', 'discharged')
                and r2.received_at < e.month and (d.discharged_on is null or d.discharged_on >= e.month)) as n
            from e)
          select case when n = 0 then 'none' when n <= 29 then 'under_30' when n <= 49 then '30_49'
                      when n <= 79 then '50_79' else '80_plus' end as band, count(*)::int as n
          from counted group by 1`),
        ),
      );
    // The planted referrals all arrived on 20 January (their baselines are in February): a few link workers took on
    // one more in December, so their caseloads step up in January and again in February.
    const added = await inTransaction(db().db, { system: true, now: new Date(PLANTED_TODAY) }, (tx) =>
      tx.execute(sql`insert into referrals
        select (jsonb_populate_record(null::referrals, to_jsonb(r) || jsonb_build_object('id', gen_random_uuid(),
          'received_at', '2025-12-15T10:00:00Z'::timestamptz, 'reference', null, 'idempotency_key', null,
          'status', 'accepted'))).*
        from (select distinct on (allocated_link_worker_id) * from referrals
              where allocated_link_worker_id is not null order by allocated_link_worker_id, id limit 5) r
        returning id`),
    );
    expect(rowsOf(added).length).toBeGreaterThan(1);
    for (const period of [
      PLANTED_PERIOD,
      { from: '2026-02-10', to: '2026-03-31' },
      { from: '2026-01-15', to: '2026-02-27' },
    ]) {
      const plain = await plainBands(period);
      const res = await get(
        'commissionerA',
        `/insight/explorer?instrument=ucla3&comparison=follow_up_long&from=${period.from}&to=${period.to}&factor=caseload`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const shown = res
        .json()
        .aMargins.filter((m: { episodes: { suppressed: boolean } }) => !m.episodes.suppressed);
      expect(shown.length, `${period.from} to ${period.to}`).toBeGreaterThan(0);
      for (const m of shown) {
        expect(m.episodes.value, `${period.from} to ${period.to}: ${m.a}`).toBe(
          plain.find((b) => b.band === m.a)?.n,
        );
      }
      if (period === PLANTED_PERIOD) {
        expect(shown.map((m: { a: string }) => m.a)).toContain('80_plus');
        expect(plain.find((b) => b.band === '80_plus')!.n).toBeGreaterThan(200);
      }
    }
  });

  it('lets leads, commissioners and researchers in, keeps others out, and names bad questions', async () => {
    expect((await get('lwA1', `/insight/explorer?${QUERY}&factor=sex`)).statusCode).toBe(403);
    const lead = await table('factor=sex', 'leadA1');
    expect(lead.organisation.type).toBe('pcn');
    expect(
      (await get('commissionerA', `/insight/explorer?${QUERY}&factor=sex&organisationId=${world.orgs.pcnB1}`))
        .statusCode,
    ).toBe(404);
    const same = await get('commissionerA', `/insight/explorer?${QUERY}&factor=sex&by=sex`);
    expect(same.statusCode).toBe(400);
    expect(same.json().errors[0].field).toBe('by');
    expect((await get('commissionerA', `/insight/explorer?${QUERY}&factor=shoe_size`)).statusCode).toBe(400);
    const measure = await get('commissionerA', `/insight/explorer?${QUERY}&factor=sex&measure=score:nothing`);
    expect(measure.statusCode).toBe(422);
    expect(measure.json().errors[0].field).toBe('measure');
    // Every factor runs (the joins each one needs), here or over no data.
    for (const factor of [
      'age_band',
      'ethnicity',
      'main_need',
      'referral_source',
      'supervision',
      'record_access',
      'practice_meetings',
      'delivery_mode',
      'caseload',
      'days_to_first_contact',
      'contacts',
      'contact_mode',
      'goals',
      'connection_kind',
      'connections_attended',
    ]) {
      const res = await get('commissionerA', `/insight/explorer?${QUERY}&factor=${factor}`);
      expect(res.statusCode, `${factor}: ${res.body}`).toBe(200);
    }
    // A period with no pairs: tables of zeros, a model that says it has nothing to fit (not a 500).
    const empty = await get(
      'commissionerA',
      '/insight/explorer/model?instrument=ucla3&comparison=follow_up_long&from=2020-01-01&to=2020-12-31&factor=sex',
    );
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json().models[0]).toMatchObject({
      fitted: false,
      reason: expect.stringMatching(/nothing to fit/),
    });
    const csv = await get('commissionerA', `/insight/explorer.csv?${QUERY}&factor=host_model`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('Hosted by the local authority,suppressed (n < 5)');
  });
});
