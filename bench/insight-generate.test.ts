import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.ts';
import { seedDemo } from '../src/db/seed/demo.ts';
import { ensureShippedInstruments } from '../src/modules/outcomes/service.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { describeEachDatabase } from '../test/db.ts';
import { type GeneratedInsight, generateInsight, INSIGHT_SHARES } from './insight-generate.ts';
import { generateOutcomes } from './outcomes-generate.ts';
import { generateDataset, type RunSql, volumesAt } from './pathway-generate.ts';

// The pathway dataset at a five-hundredth of the benchmark's volume (2,000 referrals), its measures, then the top-up.
const volumes = volumesAt(0.002);
/** Rows the top-up made carry its table tags in their UUIDv7-shaped ids (bench/insight-generate.ts). */
const made = (tag: string, alias: string) => `${alias}.id::text LIKE '%-7${tag}-8%'`;

describeEachDatabase('generateInsight', (db, kind) => {
  let run: RunSql;
  let owner: pg.Client | undefined;
  let generated: GeneratedInsight;
  /** The one number a query answers. */
  const one = async (text: string) => Number(Object.values((await run(text))[0]!)[0]);

  beforeAll(async () => {
    const database = db();
    const now = new Date();
    await seedDemo(database.db, now);
    await inTransaction(database.db, { system: true, now }, (tx) => ensureShippedInstruments(tx, now));
    if (kind === 'postgres') {
      owner = new pg.Client({ connectionString: database.url });
      await owner.connect();
      const client = owner;
      run = async (text) => (await client.query(text)).rows;
    } else {
      await database.db.execute(sql.raw('RESET ROLE'));
      run = async (text) => rowsOf<Record<string, unknown>>(await database.db.execute(sql.raw(text)));
    }
    await generateDataset(run, volumes, { kind });
    await generateOutcomes(run, { kind });
    await run('CREATE TEMP TABLE imd_before AS SELECT id FROM people WHERE imd_decile IS NULL');
    generated = await generateInsight(run, { kind });
  }, 300_000);
  afterAll(async () => {
    await owner?.end();
  });

  it('records an IMD decile for about 92 % of the people without one, leaning towards the more deprived', async () => {
    const filled = await one(
      'SELECT count(*) FROM people WHERE id IN (SELECT id FROM imd_before) AND imd_decile IS NOT NULL',
    );
    const before = await one('SELECT count(*) FROM imd_before');
    expect(filled / before).toBeGreaterThan((INSIGHT_SHARES.imdRecorded - 5) / 100);
    expect(filled / before).toBeLessThan((INSIGHT_SHARES.imdRecorded + 5) / 100);
    expect(await one('SELECT count(*) FROM people WHERE imd_decile NOT BETWEEN 1 AND 10')).toBe(0);
    // u^1.35 over ten bands: about 18 % in decile 1 and 5 % in decile 10, a mean near 4.8.
    const mean = await one(
      'SELECT avg(imd_decile)::float8 FROM people WHERE id IN (SELECT id FROM imd_before) AND imd_decile IS NOT NULL',
    );
    expect(mean).toBeGreaterThan(4.2);
    expect(mean).toBeLessThan(5.4);
    expect(generated.counts.peopleWithImd).toBe(
      await one('SELECT count(*) FROM people WHERE imd_decile IS NOT NULL'),
    );
  });

  it('gives every link worker taking referrals a context in that PCN from before any referral', async () => {
    // The explorer reads the context as it was on the day of the baseline: no link worker is left without a
    // history, and those the top-up wrote (not the demo seed's, which start later) cover every referral.
    const without = (also: string) =>
      one(`
        SELECT count(*) FROM referrals r
        WHERE r.allocated_link_worker_id IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM link_worker_contexts c
          WHERE c.organisation_id = r.organisation_id AND c.link_worker_id = r.allocated_link_worker_id ${also})`);
    expect(await without('')).toBe(0);
    expect(
      await without(`AND (c.effective_from <= (r.received_at AT TIME ZONE 'Europe/London')::date
        OR NOT ${made('b03', 'c')})`),
    ).toBe(0);
    // About 45 % changed at least once, and the history is one to three rows.
    const histories = await run(`
      SELECT organisation_id, link_worker_id, count(*)::int AS n FROM link_worker_contexts c
      WHERE ${made('b03', 'c')} GROUP BY 1, 2`);
    expect(histories.length).toBeGreaterThan(volumes.pcns * volumes.linkWorkersPerPcn - 5);
    expect(histories.every((h) => Number(h.n) >= 1 && Number(h.n) <= 3)).toBe(true);
    const changed = histories.filter((h) => Number(h.n) > 1).length / histories.length;
    expect(changed).toBeGreaterThan(0.2);
    expect(changed).toBeLessThan(0.7);
    // Every host model appears; PCN-employed is the most common.
    const models = await run(`
      SELECT employment_model, count(*)::int AS n FROM link_worker_contexts c WHERE ${made('b03', 'c')}
      GROUP BY 1 ORDER BY 2 DESC`);
    expect(models.length).toBeGreaterThanOrEqual(3);
  });

  it("connects about half of the goals to a service of the ICB's directory, with a status history that ends where the connection is", async () => {
    const goals = await one(`
      SELECT count(*) FROM goals g JOIN referrals r ON r.id = g.referral_id
      WHERE r.status IN ('accepted', 'discharged') AND r.allocated_link_worker_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.referral_id = g.referral_id AND NOT ${made('b01', 'c')})`);
    const connected = await one(`SELECT count(*) FROM connections c WHERE ${made('b01', 'c')}`);
    expect(connected).toBeGreaterThan(0);
    expect(connected / goals).toBeGreaterThan((INSIGHT_SHARES.goalConnected - 12) / 100);
    expect(connected / goals).toBeLessThan((INSIGHT_SHARES.goalConnected + 5) / 100);
    // The directory is the ICB's above the episode's PCN, the goal belongs to the episode, dates are in order.
    expect(
      await one(`
        SELECT count(*) FROM connections c
        JOIN organisations pcn ON pcn.id = c.organisation_id
        JOIN goals g ON g.id = c.goal_id
        JOIN referrals r ON r.id = c.referral_id
        JOIN directory_services s ON s.organisation_id = c.directory_id AND s.id = c.service_id
        WHERE ${made('b01', 'c')} AND (c.directory_id <> pcn.parent_id OR g.referral_id <> c.referral_id
          OR c.person_id <> r.person_id OR c.link_worker_id <> r.allocated_link_worker_id
          OR c.service_name <> s.name OR c.connected_on > c.status_on
          OR c.status_on > (now() AT TIME ZONE 'Europe/London')::date
          OR c.consent_to_share <> (c.kind <> 'signposted'))`),
    ).toBe(0);
    expect(
      await one(`
        SELECT count(*) FROM connections c
        JOIN organisations pcn ON pcn.id = c.organisation_id
        JOIN directory_services s ON s.organisation_id = c.directory_id AND s.id = c.service_id
        WHERE ${made('b01', 'c')}`),
    ).toBe(connected);
    // The last event (by time) is the connection's status, there is one event per version, and the first
    // is "suggested" for signposting and "referred" otherwise.
    const wrong = await run(`
      SELECT c.id FROM connections c
      JOIN LATERAL (SELECT array_agg(e.status ORDER BY e.recorded_at) AS path, count(*)::int AS n,
                           bool_and(e.organisation_id = c.organisation_id AND e.person_id = c.person_id) AS same
                    FROM connection_events e WHERE e.connection_id = c.id) ev ON true
      WHERE ${made('b01', 'c')} AND (ev.n <> c.version OR ev.path[ev.n] <> c.status OR NOT ev.same
        OR ev.path[1] <> CASE c.kind WHEN 'signposted' THEN 'suggested' ELSE 'referred' END)`);
    expect(wrong).toEqual([]);
    expect(generated.counts.connections).toBe(await one('SELECT count(*) FROM connections'));
    expect(generated.counts.connectionEvents).toBe(await one('SELECT count(*) FROM connection_events'));
  });

  it("leaves the explorer's episode facts and the caseload steps built, and their triggers on", async () => {
    expect(await one('SELECT count(*) FROM insight_episode_facts')).toBe(
      await one("SELECT count(*) FROM outcome_changes WHERE measure = ''"),
    );
    expect(
      await one('SELECT count(*) FROM insight_episode_facts WHERE employment_model IS NOT NULL'),
    ).toBeGreaterThan(0);
    expect(await one('SELECT count(*) FROM insight_episode_facts WHERE attended > 0')).toBeGreaterThan(0);
    expect(await one('SELECT count(*) FROM link_worker_caseload_steps')).toBeGreaterThan(0);
    expect(
      await one(`SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                 WHERE c.relname IN ('people', 'link_worker_contexts', 'connections') AND NOT t.tgisinternal
                   AND t.tgenabled <> 'O'`),
    ).toBe(0);
  });

  it('adds nothing when run again (a database kept by an earlier benchmark can be topped up)', async () => {
    const again = await generateInsight(run, { kind });
    expect(again.counts).toEqual(generated.counts);
  });
});
