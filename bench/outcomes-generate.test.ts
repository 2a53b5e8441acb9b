import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.ts';
import { seedDemo } from '../src/db/seed/demo.ts';
import type { InstrumentDefinition } from '../src/modules/outcomes/definition.ts';
import { answerErrors, scoreResponse } from '../src/modules/outcomes/scoring.ts';
import { ensureShippedInstruments } from '../src/modules/outcomes/service.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { describeEachDatabase } from '../test/db.ts';
import { type GeneratedOutcomes, generateOutcomes, OUTCOME_SHARES } from './outcomes-generate.ts';
import { generateDataset, type RunSql, volumesAt } from './pathway-generate.ts';

// The pathway dataset at a five-hundredth of the benchmark's volume (2,000 referrals), then the measures.
const volumes = volumesAt(0.002);
/** Responses the generator made, not the demo seed's (kept in a temporary table before generating). */
const GENERATED = 'o.id NOT IN (SELECT id FROM seeded_responses)';

interface Response {
  id: string;
  referral_id: string;
  instrument_code: string;
  timepoint: string;
  completed_on: string;
  status: 'complete' | 'partial';
  answers: Record<string, number>;
  scores: { code: string; value: number; band: string | null }[];
  amends: string | null;
  superseded: boolean;
  recorded_by: string | null;
  completed_by: string;
  mode: string;
}

describeEachDatabase('generateOutcomes', (db, kind) => {
  let run: RunSql;
  let owner: pg.Client | undefined;
  let generated: GeneratedOutcomes;
  let responses: Response[];
  let definitions: Map<string, InstrumentDefinition>;
  /** The one number a query answers. */
  const one = async (text: string) => Number(Object.values((await run(text))[0]!)[0]);

  beforeAll(async () => {
    const database = db();
    const now = new Date();
    await seedDemo(database.db, now);
    await inTransaction(database.db, { system: true, now }, (tx) => ensureShippedInstruments(tx, now));
    // As bench/outcomes.ts does: generate as the tables' owner, on one connection (the staging tables are temporary).
    if (kind === 'postgres') {
      owner = new pg.Client({ connectionString: database.url });
      await owner.connect();
      const client = owner;
      run = async (text) => (await client.query(text)).rows;
    } else {
      await database.db.execute(sql.raw('RESET ROLE'));
      run = async (text) => rowsOf<Record<string, unknown>>(await database.db.execute(sql.raw(text)));
    }
    await run('CREATE TEMP TABLE seeded_responses AS SELECT id FROM outcome_responses');
    // The demo's own episodes (among them its history with measures of its own) are not the generator's.
    await run('CREATE TEMP TABLE seeded_referrals AS SELECT id FROM referrals');
    await generateDataset(run, volumes, { kind });
    generated = await generateOutcomes(run, { kind });
    responses = (await run(`
      SELECT id, referral_id, instrument_code, timepoint, completed_on::text AS completed_on, status, answers,
        scores, amends, superseded, recorded_by, completed_by, mode
      FROM outcome_responses o WHERE ${GENERATED}`)) as unknown as Response[];
    definitions = new Map(
      (await run(`SELECT id, definition FROM outcome_instruments WHERE organisation_id IS NULL`)).map((r) => [
        String(r.id),
        r.definition as InstrumentDefinition,
      ]),
    );
  }, 300_000);
  afterAll(async () => {
    await owner?.end();
  });

  it('makes about two responses per referral, half of them baseline, every episode at most once per measure', async () => {
    const referrals = await one(
      'SELECT count(*) FROM referrals WHERE id NOT IN (SELECT id FROM seeded_referrals)',
    );
    expect(generated.counts.outcome_responses).toBe(await one('SELECT count(*) FROM outcome_responses'));
    // Every response but the demo's own is the generator's.
    expect(responses.length).toBe(
      generated.counts.outcome_responses! - (await one('SELECT count(*) FROM seeded_responses')),
    );
    // The demo seed's episodes keep their own measures only.
    expect(
      await one(`
        SELECT count(*) FROM outcome_responses o JOIN outcome_responses d ON d.referral_id = o.referral_id
        WHERE ${GENERATED} AND d.id IN (SELECT id FROM seeded_responses)`),
    ).toBe(0);
    expect(responses.length / referrals).toBeGreaterThan(1.7);
    expect(responses.length / referrals).toBeLessThan(2.3);
    expect(
      await one(`SELECT count(*) FROM (
        SELECT referral_id, instrument_code, timepoint FROM outcome_responses WHERE NOT superseded
        GROUP BY 1, 2, 3 HAVING count(*) > 1) AS twice`),
    ).toBe(0);
    // UCLA-3 and ONS4 at every sitting.
    const current = (code: string) =>
      responses
        .filter((r) => r.instrument_code === code && !r.superseded)
        .map((r) => `${r.referral_id} ${r.timepoint}`);
    expect(current('ucla3').sort()).toEqual(current('ons4').sort());
    const baselines = responses.filter((r) => r.timepoint === 'baseline' && !r.superseded).length;
    expect(baselines / responses.length).toBeGreaterThan(0.4);
  });

  it('scores every response exactly as scoring.ts does, from the stored definitions', async () => {
    const rows = await run(`SELECT id, instrument_id FROM outcome_responses o WHERE ${GENERATED}`);
    const instrumentOf = new Map(rows.map((r) => [String(r.id), String(r.instrument_id)]));
    const wrong: string[] = [];
    for (const r of responses) {
      const definition = definitions.get(instrumentOf.get(r.id)!)!;
      expect(definition.code).toBe(r.instrument_code);
      const errors = answerErrors(definition, r.answers);
      if (errors.length) {
        wrong.push(`${r.id}: ${errors.map((e) => e.linkId).join(', ')}`);
        continue;
      }
      const scored = scoreResponse(definition, r.answers);
      const expected = {
        status: scored.status,
        scores: scored.scores.map((s) => ({ code: s.code, value: s.value, band: s.band })),
      };
      if (!isDeepStrictEqual({ status: r.status, scores: r.scores }, expected)) {
        wrong.push(`${r.id}: stored ${JSON.stringify(r.scores)}, scoring.ts ${JSON.stringify(expected)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // Partial ones are there, and one item short.
    const partial = responses.filter((r) => r.status === 'partial');
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length / responses.length).toBeLessThan((OUTCOME_SHARES.partial * 2) / 100);
  });

  it('keeps each amended original, superseded, beside an amendment that points at it', () => {
    const superseded = responses.filter((r) => r.superseded);
    const amends = new Map(responses.filter((r) => r.amends).map((r) => [r.amends!, r]));
    expect(superseded.length).toBe(amends.size);
    for (const original of superseded) {
      const amendment = amends.get(original.id);
      expect(amendment).toBeDefined();
      expect(amendment!.referral_id).toBe(original.referral_id);
      expect(amendment!.answers).not.toEqual(original.answers);
      expect(original.status).toBe('complete');
    }
  });

  it('dates measures inside their windows: baseline from first contact, discharge before it, follow-ups after', async () => {
    const outside = await run(`
      WITH fc AS (SELECT referral_id, min(occurred_at) AS first_at FROM contacts WHERE kind = 'first_contact'
                  GROUP BY referral_id)
      SELECT o.timepoint, count(*)::int AS n
      FROM outcome_responses o
      JOIN referrals r ON r.id = o.referral_id AND ${GENERATED}
      LEFT JOIN fc ON fc.referral_id = o.referral_id
      LEFT JOIN discharges d ON d.referral_id = o.referral_id
      WHERE r.status NOT IN ('accepted', 'discharged')
         OR o.completed_on > (now() AT TIME ZONE 'Europe/London')::date
         OR o.completed_on < (coalesce(r.triaged_at, r.received_at) AT TIME ZONE 'Europe/London')::date
         OR (o.timepoint = 'baseline' AND (fc.first_at IS NULL
               OR o.completed_on < (fc.first_at AT TIME ZONE 'Europe/London')::date))
         OR (o.timepoint = 'discharge' AND (d.referral_id IS NULL
               OR o.completed_on NOT BETWEEN d.discharged_on - 14 AND d.discharged_on + 28))
         OR (o.timepoint = 'follow_up_short' AND (d.consent_to_follow_up IS NOT TRUE
               OR o.completed_on NOT BETWEEN (d.discharged_on + interval '3 months')::date
                                         AND (d.discharged_on + interval '4 months')::date))
         OR (o.timepoint = 'follow_up_long' AND (d.consent_to_follow_up IS NOT TRUE
               OR o.completed_on NOT BETWEEN (d.discharged_on + interval '9 months')::date
                                         AND (d.discharged_on + interval '12 months')::date))
      GROUP BY o.timepoint`);
    expect(outside).toEqual([]);
    for (const t of ['baseline', 'discharge', 'follow_up_short', 'follow_up_long']) {
      expect(responses.some((r) => r.timepoint === t)).toBe(true);
    }
    // Baselines come no later than the first "what matters" conversation.
    expect(
      await one(`
        SELECT count(*) FROM outcome_responses o
        JOIN (SELECT referral_id, min(held_on) AS wm_on FROM what_matters_conversations GROUP BY referral_id) wm
          ON wm.referral_id = o.referral_id
        JOIN (SELECT referral_id, min(occurred_at) AS first_at FROM contacts WHERE kind = 'first_contact'
              GROUP BY referral_id) fc ON fc.referral_id = o.referral_id
        WHERE ${GENERATED} AND o.timepoint = 'baseline' AND o.completed_on > greatest(wm.wm_on, (fc.first_at AT TIME ZONE 'Europe/London')::date)`),
    ).toBe(0);
  });

  it('records consent to follow-up for about half of discharges, and a discharge measure for about 60 %', async () => {
    const generatedOnly = 'referral_id NOT IN (SELECT id FROM seeded_referrals)';
    const discharged = await one(`SELECT count(*) FROM discharges WHERE ${generatedOnly}`);
    const agreed = await one(
      `SELECT count(*) FROM discharges WHERE consent_to_follow_up AND ${generatedOnly}`,
    );
    expect(agreed / discharged).toBeGreaterThan(0.4);
    expect(agreed / discharged).toBeLessThan(0.6);
    const measured = new Set(responses.filter((r) => r.timepoint === 'discharge').map((r) => r.referral_id))
      .size;
    expect(measured / discharged).toBeGreaterThan(0.5);
    expect(measured / discharged).toBeLessThan(0.7);
  });

  it('shows a realistic improvement: less lonely and more satisfied at discharge, partly kept later', async () => {
    const change = async (code: string, score: string, later: string) =>
      run(`
        WITH t AS (
          SELECT referral_id, timepoint, s.value
          FROM outcome_responses, jsonb_to_recordset(scores) AS s (code text, value int)
          WHERE instrument_code = '${code}' AND status = 'complete' AND NOT superseded AND s.code = '${score}'
        )
        SELECT count(*)::int AS n, avg(a.value - b.value)::float8 AS mean, avg(b.value)::float8 AS baseline
        FROM t b JOIN t a ON a.referral_id = b.referral_id AND a.timepoint = '${later}'
        WHERE b.timepoint = 'baseline'`).then(
        (rows) => rows[0] as { n: number; mean: number; baseline: number },
      );
    const ucla = await change('ucla3', 'ucla3_total', 'discharge');
    expect(ucla.n).toBeGreaterThan(100);
    expect(ucla.n).toBe(generated.pairedUcla3);
    expect(ucla.mean).toBeCloseTo(generated.meanUcla3Change!, 10);
    expect(ucla.baseline).toBeGreaterThan(5.5);
    expect(ucla.mean).toBeLessThan(-0.3);
    expect(ucla.mean).toBeGreaterThan(-1.5);
    const life = await change('ons4', 'life_satisfaction', 'discharge');
    expect(life.mean).toBeGreaterThan(0.4);
    const anxiety = await change('ons4', 'anxiety', 'discharge');
    expect(anxiety.mean).toBeLessThan(-0.4);
    // Not everyone improves: the statistics have something to say about worse and same too.
    expect(
      await one(`
        WITH t AS (SELECT referral_id, timepoint, (scores -> 0 ->> 'value')::int AS v FROM outcome_responses
                   WHERE instrument_code = 'ucla3' AND status = 'complete' AND NOT superseded)
        SELECT count(*) FROM t b JOIN t a ON a.referral_id = b.referral_id AND a.timepoint = 'discharge'
        WHERE b.timepoint = 'baseline' AND a.v > b.v`),
    ).toBeGreaterThan(0);
  });

  it('records who completed each measure the way it was taken: online self-completions have no recorder', () => {
    for (const r of responses) {
      if (r.completed_by === 'self' && r.mode === 'online') expect(r.recorded_by).toBeNull();
      else expect(r.recorded_by).not.toBeNull();
    }
  });
});
