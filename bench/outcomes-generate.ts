// Set-based generation of completed outcome measures for bench/outcomes.ts, on top of the pathway benchmark's
// dataset (bench/pathway-generate.ts), on PostgreSQL or PGlite.
//
// Like the pathway generator: INSERT … SELECT as the owner of the tables, values from a hash of a row number (so
// the shape of a run is repeatable), UUIDv7-shaped ids with their own table tags, foreign-key triggers skipped where
// the connection may (then every foreign key of outcome_responses checked with one set-based query each).
//
// What it makes, for the episodes a link worker took on (accepted or discharged) that have no measures yet (the
// demo seed's own are left as they are):
// - baseline UCLA-3 + ONS4 (two responses) for nearly three quarters of those that reached a first contact, completed
//   between the first contact and the first "what matters" conversation;
// - discharge UCLA-3 + ONS4 for about 60 % of discharged episodes (most of those with a baseline), in the week
//   before discharge;
// - `discharges.consent_to_follow_up` recorded (true for about half of discharges) and, for a share of those who
//   agreed, the short (3–4 months) and long-term (9–12 months) follow-ups whose date has come;
// - about 2 % partial responses (one item missing, scored only where a score's items are all there) and a few
//   amended ones (the original kept, superseded, beside its amendment).
// Answers follow a small model with a realistic mean improvement (UCLA-3 total falls by about 0.6 from baseline to
// discharge, ONS4 items rise by about 1, part of it fading by the long-term follow-up), and `scores` are made
// from the answers exactly as src/modules/outcomes/scoring.ts makes them, from the instrument definitions stored
// in the database (ensureShippedInstruments puts them there).
import type { InstrumentDefinition } from '../src/modules/outcomes/definition.ts';
import type { RunSql } from './pathway-generate.ts';

/** The instruments measured, in the order their rows are made. */
export const MEASURED_INSTRUMENTS = ['ucla3', 'ons4'] as const;
type MeasuredCode = (typeof MEASURED_INSTRUMENTS)[number];

/** Shares (percent) that shape the dataset; about two responses per referral at the pathway's volumes. */
export const OUTCOME_SHARES = {
  /** Of episodes with a first contact: a baseline. */
  baseline: 72,
  /** Of discharged episodes with a first contact, not died or lost to contact: a discharge measure … */
  dischargeWithBaseline: 80,
  /** … or, without a baseline, less often. */
  dischargeWithoutBaseline: 30,
  /** Of discharges other than deaths and people lost to contact: agreed to be contacted later. */
  consentToFollowUp: 62,
  /** Of those who agreed: a short-term follow-up, once its date has come. */
  followUpShort: 18,
  /** Of those who agreed: a long-term (9–12 months) follow-up, once its date has come. */
  followUpLong: 12,
  /** Of responses: partial (one item missing). */
  partial: 2,
  /** Per thousand complete baseline responses: amended (the original kept, superseded). */
  amendedPerThousand: 5,
} as const;

export interface GeneratedOutcomes {
  ms: number;
  counts: Record<string, number>;
  /** Mean UCLA-3 total change from baseline to discharge over paired episodes (negative is less lonely). */
  meanUcla3Change: number | null;
  pairedUcla3: number;
  steps: { name: string; ms: number }[];
}

// ---------------------------------------------------------------------------------------------------------------
// SQL fragments (as in bench/pathway-generate.ts, where they are not exported)

/** A non-negative pseudo-random integer from a row number and a salt: repeatable, independent per salt. */
const h = (expr: string, salt: number) =>
  `(hashint8((${expr})::bigint * 1000003 + ${salt})::bigint & 2147483647)`;

/** A UUIDv7-shaped id: milliseconds of `ts`, version 7, a 3-hex-digit table tag, variant 10, the row number. */
const v7 = (ts: string, tag: string, n: string) =>
  `(lpad(to_hex((extract(epoch from ${ts}) * 1000)::bigint), 12, '0') || '7${tag}8' || ` +
  `lpad(to_hex((${n})::bigint), 15, '0'))::uuid`;

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const clamp = (expr: string, lo: number, hi: number) => `least(${hi}, greatest(${lo}, ${expr}))`;

/** The timepoints in the order of the staging table's `k`. */
const TIMEPOINTS = ['baseline', 'discharge', 'follow_up_short', 'follow_up_long'] as const;

// ---------------------------------------------------------------------------------------------------------------
// The answer model, per item, as SQL over the staging table (n: the episode, m = n * 4 + k: the sitting,
// k: 0 baseline, 1 discharge, 2 short follow-up, 3 long follow-up). Baselines are per episode, so every later
// answer is the baseline moved by a change that depends on whether the person responded to the support.

/** UCLA-3, each item 1–3 (higher is lonelier): a baseline level per person, then fewer "often" answers. */
function ucla3Item(j: number): string {
  const base = clamp(
    `sev + CASE WHEN ${h('n', 20 + j)} % 100 < 15 THEN -1 WHEN ${h('n', 20 + j)} % 100 < 85 THEN 0 ELSE 1 END`,
    1,
    3,
  );
  const u = `${h('m', 30 + j)} % 100`;
  // Responders: less lonely on 60 % of items (45 % by the long-term follow-up); others drift either way.
  const down = `CASE WHEN responder THEN CASE WHEN k = 3 THEN 45 ELSE 60 END ELSE 15 END`;
  const up = `CASE WHEN responder THEN CASE WHEN k = 3 THEN 8 ELSE 5 END ELSE 15 END`;
  const delta = `CASE WHEN k = 0 THEN 0 WHEN ${u} < ${down} THEN -1 WHEN ${u} >= 100 - ${up} THEN 1 ELSE 0 END`;
  return clamp(`${base} + ${delta}`, 1, 3);
}

/** ONS4, each item 0–10: well-being items rise with support, anxiety (higher is worse) falls. */
function ons4Item(j: number, higherIsBetter: boolean): string {
  const noise = `(${h('n', 40 + j)} % 5 - 2)`;
  const base = higherIsBetter ? clamp(`w + ${noise}`, 0, 10) : clamp(`10 - w + ${noise}`, 0, 10);
  // Responders gain 0–4 (0–3 by the long-term follow-up); others move −2 to +2.
  const gain = `CASE WHEN k = 0 THEN 0 WHEN responder THEN ${h('m', 50 + j)} % CASE WHEN k = 3 THEN 4 ELSE 5 END
    ELSE ${h('m', 50 + j)} % 5 - 2 END`;
  return clamp(higherIsBetter ? `${base} + ${gain}` : `${base} - (${gain})`, 0, 10);
}

const ITEM_MODELS: Record<MeasuredCode, Record<string, string>> = {
  ucla3: {
    lack_companionship: ucla3Item(1),
    left_out: ucla3Item(2),
    isolated: ucla3Item(3),
  },
  ons4: {
    life_satisfaction: ons4Item(1, true),
    worthwhile: ons4Item(2, true),
    happiness: ons4Item(3, true),
    anxiety: ons4Item(4, false),
  },
};

const col = (linkId: string) => `"i_${linkId}"`;

/**
 * SQL for one response's answers, status and scores from its item columns, made the way scoring.ts makes them:
 * every item answered is complete; a partial response (`drop_item` names the missing item) keeps only the scores
 * whose items are all there; a band is the first whose range holds the value, else null.
 */
export function scoringSql(
  definition: InstrumentDefinition,
  itemValue: (linkId: string) => string = col,
): { answers: string; status: string; scores: string } {
  const pairs = definition.items.map((i) => `${lit(i.linkId)}, ${itemValue(i.linkId)}`).join(', ');
  const answers = `CASE WHEN drop_item IS NULL THEN jsonb_build_object(${pairs})
    ELSE jsonb_build_object(${pairs}) - drop_item END`;
  const scores = definition.scores.map((s) => {
    if (s.kind === 'converted') throw new Error(`${definition.code}: converted scores are not generated`);
    const value = s.items.map(itemValue).join(' + ');
    const band = s.bands.length
      ? `CASE ${s.bands.map((b) => `WHEN (${value}) BETWEEN ${b.from} AND ${b.to} THEN ${lit(b.label)}`).join(' ')} END`
      : 'NULL::text';
    const entry = `jsonb_build_array(jsonb_build_object('code', ${lit(s.code)}, 'value', ${value}, 'band', ${band}))`;
    return `CASE WHEN drop_item IS NULL OR drop_item NOT IN (${s.items.map(lit).join(', ')})
      THEN ${entry} ELSE '[]'::jsonb END`;
  });
  return {
    answers,
    status: `CASE WHEN drop_item IS NULL THEN 'complete' ELSE 'partial' END`,
    scores: `'[]'::jsonb || ${scores.join(' || ')}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Adds the outcome measures to a database holding the pathway benchmark's dataset and the shipped instruments.
 * Leaves no helper tables behind; ends with VACUUM (ANALYZE) of the tables it wrote.
 */
export async function generateOutcomes(
  run: RunSql,
  options: { kind: 'postgres' | 'pglite'; onStep?: (name: string, ms: number) => void },
): Promise<GeneratedOutcomes> {
  const started = performance.now();
  const steps: { name: string; ms: number }[] = [];
  const step = async (name: string, ...statements: string[]) => {
    const t = performance.now();
    for (const s of statements) await run(s);
    const ms = performance.now() - t;
    steps.push({ name, ms });
    options.onStep?.(name, ms);
  };
  const S = OUTCOME_SHARES;

  const [nowRow] = await run(
    `SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`,
  );
  const NOW = `'${String(nowRow!.now)}'::timestamptz`;
  const TODAY = `(${NOW} AT TIME ZONE 'Europe/London')::date`;
  const london = (ts: string) => `(${ts} AT TIME ZONE 'Europe/London')::date`;

  // The shipped instruments, as the app stores them: their ids, and the definitions scores are made from.
  const instruments = await run(`
    SELECT DISTINCT ON (code) id, code, definition FROM outcome_instruments
    WHERE organisation_id IS NULL AND code IN (${MEASURED_INSTRUMENTS.map(lit).join(', ')})
    ORDER BY code, created_at DESC, id DESC`);
  const byCode = new Map(instruments.map((r) => [String(r.code), r]));
  for (const code of MEASURED_INSTRUMENTS) {
    const row = byCode.get(code);
    if (!row) {
      throw new Error(
        `The shipped instrument ${code} is not in outcome_instruments: run ensureShippedInstruments first`,
      );
    }
    const definition = (
      typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition
    ) as InstrumentDefinition;
    const modelled = Object.keys(ITEM_MODELS[code]).sort();
    const stored = definition.items.map((i) => i.linkId).sort();
    if (JSON.stringify(modelled) !== JSON.stringify(stored)) {
      throw new Error(
        `${code}: the stored items (${stored.join(', ')}) are not the ones generated (${modelled.join(', ')})`,
      );
    }
    row.definition = definition;
  }

  await step(
    'session settings',
    ...(options.kind === 'postgres' ? ['SET synchronous_commit = off', "SET work_mem = '256MB'"] : []),
  );
  let skippedForeignKeyTriggers = false;
  try {
    await run('SET session_replication_role = replica');
    skippedForeignKeyTriggers = true;
  } catch {
    // not a superuser: the triggers check each row
  }

  // People who died or were lost to contact were not asked; of the rest, a share agreed to be contacted later.
  // Episodes that already have measures or a recorded consent (the demo seed's) are left as they are.
  await step(
    'consent to follow-up at discharge',
    `UPDATE discharges d SET consent_to_follow_up = CASE
       WHEN reason IN ('died', 'disengaged_or_unable_to_contact') THEN NULL
       WHEN (hashtextextended(referral_id::text, 71) & 2147483647) % 100 < ${S.consentToFollowUp} THEN true
       ELSE false END
     WHERE d.consent_to_follow_up IS NULL
       AND NOT EXISTS (SELECT 1 FROM outcome_responses o WHERE o.referral_id = d.referral_id)`,
  );

  // One row per episode a link worker took on, with the dates measures hang on and the person's model values.
  await step(
    'plan the measures (staging tables)',
    `CREATE TEMP TABLE bench_oc_ep AS
     WITH fc AS (
       SELECT referral_id, min(occurred_at) AS first_at FROM contacts WHERE kind = 'first_contact'
       GROUP BY referral_id
     ), wm AS (
       SELECT referral_id, min(held_on) AS wm_on FROM what_matters_conversations GROUP BY referral_id
     )
     SELECT row_number() OVER (ORDER BY r.id) AS n, r.id, r.organisation_id AS org_id, r.person_id, r.status,
       r.allocated_link_worker_id AS lw_id,
       ${london('coalesce(r.triaged_at, r.received_at)')} AS accepted_on,
       CASE WHEN fc.first_at IS NOT NULL
         THEN greatest(${london('fc.first_at')}, ${london('coalesce(r.triaged_at, r.received_at)')}) END AS first_on,
       wm.wm_on, d.discharged_on, d.reason AS discharge_reason, d.consent_to_follow_up AS consent
     FROM referrals r
     LEFT JOIN fc ON fc.referral_id = r.id
     LEFT JOIN wm ON wm.referral_id = r.id
     LEFT JOIN discharges d ON d.referral_id = r.id
     WHERE r.status IN ('accepted', 'discharged') AND r.allocated_link_worker_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM outcome_responses o WHERE o.referral_id = r.id)`,
    `CREATE TEMP TABLE bench_oc_plan AS
     WITH a AS (
       SELECT e.*,
         CASE WHEN first_on IS NOT NULL AND ${h('n', 1)} % 100 < ${S.baseline}
           THEN least(first_on + (${h('n', 2)} % (greatest(coalesce(wm_on, first_on) - first_on, 0) + 1))::int, ${TODAY})
         END AS baseline_on,
         CASE WHEN ${h('n', 10)} % 100 < 20 THEN 1 WHEN ${h('n', 10)} % 100 < 60 THEN 2 ELSE 3 END AS sev,
         ${h('n', 11)} % 100 < 40 AS responder,
         2 + ${h('n', 12)} % 6 AS w
       FROM bench_oc_ep e OFFSET 0
     ), b AS (
       SELECT a.*,
         CASE WHEN status = 'discharged' AND first_on IS NOT NULL
                AND discharge_reason NOT IN ('died', 'disengaged_or_unable_to_contact')
                AND ${h('n', 3)} % 100 < CASE WHEN baseline_on IS NOT NULL THEN ${S.dischargeWithBaseline}
                                             ELSE ${S.dischargeWithoutBaseline} END
           THEN least(greatest(discharged_on - (${h('n', 4)} % 8)::int, coalesce(baseline_on, first_on)), ${TODAY})
         END AS discharge_on,
         CASE WHEN consent AND ${h('n', 5)} % 100 < ${S.followUpShort}
           THEN (discharged_on + interval '3 months')::date + (${h('n', 6)} % 28)::int END AS short_on,
         CASE WHEN consent AND ${h('n', 7)} % 100 < ${S.followUpLong}
           THEN (discharged_on + interval '9 months')::date + (${h('n', 8)} % 90)::int END AS long_on
       FROM a OFFSET 0
     )
     SELECT b.id, b.n, b.n * 4 + tp.k AS m, b.org_id, b.person_id, b.lw_id, b.sev, b.responder, b.w, tp.k,
       tp.timepoint,
       CASE tp.k WHEN 0 THEN b.baseline_on WHEN 1 THEN b.discharge_on WHEN 2 THEN b.short_on ELSE b.long_on END
         AS completed_on
     FROM b CROSS JOIN (VALUES ${TIMEPOINTS.map((t, k) => `(${k}, ${lit(t)})`).join(', ')}) AS tp (k, timepoint)
     WHERE CASE tp.k WHEN 0 THEN b.baseline_on WHEN 1 THEN b.discharge_on WHEN 2 THEN b.short_on ELSE b.long_on END
       <= ${TODAY}`,
    'ANALYZE bench_oc_plan',
  );

  // Each instrument: the item values of every sitting (staging), then the current responses, then the originals of
  // the few that were amended.
  for (const [inst, code] of MEASURED_INSTRUMENTS.entries()) {
    const row = byCode.get(code)!;
    const definition = row.definition as InstrumentDefinition;
    const items = definition.items;
    const model = ITEM_MODELS[code];
    const current = scoringSql(definition);
    // The original of an amendment: the first item answered one step differently, complete.
    const first = items[0]!;
    const firstValues = first.options.map((o) => o.value);
    const original = scoringSql(definition, (linkId) =>
      linkId === first.linkId
        ? `CASE WHEN ${col(linkId)} = ${Math.max(...firstValues)} THEN ${col(linkId)} - 1 ELSE ${col(linkId)} + 1 END`
        : col(linkId),
    );
    const staging = `bench_oc_${code}`;
    const mode = `CASE WHEN k <= 1 THEN CASE WHEN u_who < 70 THEN 'in_person' WHEN u_who < 80 THEN 'phone'
                                   WHEN u_who < 95 THEN 'online' ELSE 'in_person' END
                  ELSE CASE WHEN u_who < 55 THEN 'online' ELSE 'phone' END END`;
    const by = `CASE WHEN k <= 1 THEN CASE WHEN u_who < 80 THEN 'with_link_worker' WHEN u_who < 95 THEN 'self'
                                 ELSE 'proxy' END
                ELSE CASE WHEN u_who < 55 THEN 'self' WHEN u_who < 90 THEN 'with_link_worker' ELSE 'proxy' END END`;
    const columns = `id, organisation_id, person_id, referral_id, instrument_id, instrument_code, timepoint,
      completed_on, completed_by, mode, answers, status, scores, submission_id, amends, superseded, recorded_by,
      recorded_at`;
    await step(
      `${code} responses`,
      `CREATE TEMP TABLE ${staging} AS
       SELECT p.*,
         ${items.map((i) => `${model[i.linkId]!} AS ${col(i.linkId)}`).join(',\n         ')},
         CASE WHEN ${h('m', 60 + inst)} % 100 < ${S.partial}
           THEN (${`ARRAY[${items.map((i) => lit(i.linkId)).join(', ')}]`})[1 + ${h('m', 62 + inst)} % ${items.length}]
         END AS drop_item,
         ${h('m', 64 + inst)} % 1000 < ${S.amendedPerThousand} AND p.k = 0 AS amended,
         ${h('m', 80)} % 100 AS u_who,
         least(${NOW}, (p.completed_on + make_interval(hours => (9 + ${h('m', 81)} % 9)::int))
           AT TIME ZONE 'Europe/London') AS at
       FROM bench_oc_plan p`,
      // An amended response is never partial here: its original and its amendment are both complete.
      `UPDATE ${staging} SET drop_item = NULL WHERE amended`,
      `INSERT INTO outcome_responses (${columns})
       SELECT ${v7('at', `b1${inst}`, 'm')}, org_id, person_id, id, ${lit(String(row.id))}, ${lit(code)}, timepoint,
         completed_on, ${by}, ${mode}, ${current.answers}, ${current.status}, ${current.scores},
         ${v7('at', `b3${inst}`, 'm')},
         CASE WHEN amended THEN ${v7('at', `b2${inst}`, 'm')} END, false,
         CASE WHEN (${by}) = 'self' AND (${mode}) = 'online' THEN NULL ELSE lw_id END,
         CASE WHEN amended THEN least(${NOW}, at + interval '2 days') ELSE at END
       FROM ${staging}
       ORDER BY at`,
      `INSERT INTO outcome_responses (${columns})
       SELECT ${v7('at', `b2${inst}`, 'm')}, org_id, person_id, id, ${lit(String(row.id))}, ${lit(code)}, timepoint,
         completed_on, ${by}, ${mode}, ${original.answers}, ${original.status}, ${original.scores},
         ${v7('at', `b4${inst}`, 'm')}, NULL, true,
         CASE WHEN (${by}) = 'self' AND (${mode}) = 'online' THEN NULL ELSE lw_id END, at
       FROM ${staging} WHERE amended`,
      `DROP TABLE ${staging}`,
    );
  }

  // The change report's pair table, set-based for every referral with measures (the triggers that keep it were
  // skipped with the foreign-key ones, or kept it statement by statement: rebuilt either way). Its foreign keys
  // are those of the outcome_responses rows it is made from, checked below.
  await step(
    'outcome_changes (the change report pairs)',
    'ANALYZE outcome_responses',
    'SELECT outcome_changes_refresh(ARRAY(SELECT DISTINCT referral_id FROM outcome_responses))',
  );
  if (skippedForeignKeyTriggers) await run('SET session_replication_role = DEFAULT');
  await step('drop staging tables', 'DROP TABLE bench_oc_plan', 'DROP TABLE bench_oc_ep');
  await step(
    'VACUUM (ANALYZE)',
    'VACUUM (ANALYZE) outcome_responses',
    'VACUUM (ANALYZE) discharges',
    'VACUUM (ANALYZE) outcome_changes',
  );

  if (skippedForeignKeyTriggers) {
    const t = performance.now();
    const checked = await verifyForeignKeys(run, 'outcome_responses');
    const ms = performance.now() - t;
    steps.push({ name: 'check foreign keys', ms });
    options.onStep?.(`check the ${checked} foreign keys of outcome_responses (set-based), none broken`, ms);
  }

  const counts: Record<string, number> = {};
  const [total] = await run(`SELECT count(*)::bigint AS n FROM outcome_responses`);
  counts.outcome_responses = Number(total!.n);
  for (const r of await run(`
    SELECT instrument_code, timepoint, status, superseded, count(*)::bigint AS n FROM outcome_responses
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`)) {
    const key = `${String(r.instrument_code)} ${String(r.timepoint)}${r.status === 'partial' ? ' partial' : ''}${r.superseded ? ' superseded' : ''}`;
    counts[key] = Number(r.n);
  }
  for (const r of await run(`
    SELECT coalesce(consent_to_follow_up::text, 'not asked') AS consent, count(*)::bigint AS n FROM discharges
    GROUP BY 1 ORDER BY 1`)) {
    counts[`discharges: consent ${String(r.consent)}`] = Number(r.n);
  }
  const [change] = await run(`
    WITH t AS (
      SELECT referral_id, timepoint, (scores -> 0 ->> 'value')::int AS total FROM outcome_responses
      WHERE instrument_code = 'ucla3' AND status = 'complete' AND NOT superseded
        AND timepoint IN ('baseline', 'discharge')
    )
    SELECT count(*)::bigint AS n, avg(d.total - b.total)::float8 AS mean
    FROM t b JOIN t d ON d.referral_id = b.referral_id AND d.timepoint = 'discharge'
    WHERE b.timepoint = 'baseline'`);
  return {
    ms: performance.now() - started,
    counts,
    meanUcla3Change: change?.mean == null ? null : Number(change.mean),
    pairedUcla3: Number(change?.n ?? 0),
    steps,
  };
}

/** The single-column foreign keys of one table, each checked with one anti-join; throws on a broken one. */
async function verifyForeignKeys(run: RunSql, table: string): Promise<number> {
  const fks = await run(`
    SELECT c.conname, a.attname AS col, c.confrelid::regclass::text AS parent, pa.attname AS parent_col
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
    WHERE c.contype = 'f' AND c.conrelid = ${lit(table)}::regclass AND cardinality(c.conkey) = 1`);
  for (const fk of fks) {
    const [row] = await run(`
      SELECT count(*)::bigint AS broken FROM ${table} AS c
      WHERE c.${fk.col} IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM ${fk.parent} AS p WHERE p.${fk.parent_col} = c.${fk.col})`);
    if (Number(row!.broken) > 0) {
      throw new Error(`${String(row!.broken)} rows of ${table}.${fk.col} break foreign key ${fk.conname}`);
    }
  }
  return fks.length;
}
