// Set-based top-up of the pathway and outcomes benchmark data (bench/pathway-generate.ts, bench/outcomes-generate.ts)
// with what the insight benchmark's explorer and operational report read but those generators leave empty, on
// PostgreSQL or PGlite:
// - people's IMD decile (about 92 % recorded, leaning towards the more deprived areas, as link workers' referrals
//   do): without it every complete case and the model's IMD covariate would be empty;
// - each link worker's implementation context history (link_worker_contexts) in each PCN they take referrals in:
//   one context from before the first referral, and for some a change of host, supervision or delivery since, so
//   the explorer's "as it was on the day of the baseline" lateral join has one to three rows to choose from;
// - connections to the ICB directory's services from about half of the support plans' goals (signposted, warm
//   handover or referred, at every status) with their status history (connection_events), for the explorer's
//   mechanism proxies and the operational report's connections by service category.
//
// Like the other generators: INSERT … SELECT as the owner of the tables, values from a hash of a row number (so the
// shape of a run is repeatable), UUIDv7-shaped ids with their own table tags (b01–b03), only for rows that have none
// yet (the demo seed's own contexts and connections stay as they are). The foreign-key triggers run (these are
// small tables beside the pathway's), so a broken reference fails the statement.
import type { RunSql } from './pathway-generate.ts';

export interface GeneratedInsight {
  ms: number;
  counts: {
    peopleWithImd: number;
    people: number;
    linkWorkerContexts: number;
    connections: number;
    connectionEvents: number;
  };
  steps: { name: string; ms: number }[];
}

/** Shares (percent) that shape the top-up. */
export const INSIGHT_SHARES = {
  /** Of people without an IMD decile: one recorded. */
  imdRecorded: 92,
  /** Of link workers: a second context (a change of host, supervision or delivery) about two years ago. */
  contextChanged: 45,
  /** Of those: a third, about eight months ago. */
  contextChangedAgain: 40,
  /** Of support plan goals: a connection made for it. */
  goalConnected: 55,
} as const;

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
/** One of `values` by a hash expression. */
const pick = (values: readonly string[], hash: string) =>
  `(ARRAY[${values.map(lit).join(', ')}])[1 + (${hash}) % ${values.length}]`;

const TODAY = `(now() AT TIME ZONE 'Europe/London')::date`;

/** Employment models weighted as the NHS England workforce surveys find them (PCN-employed most often). */
const EMPLOYMENT = [
  'pcn_employed',
  'pcn_employed',
  'pcn_employed',
  'vcse_hosted',
  'vcse_hosted',
  'practice_employed',
  'local_authority',
  'other',
];
const SUPERVISION = [
  'clinical_supervisor_gp',
  'clinical_supervisor_gp',
  'lead_link_worker',
  'lead_link_worker',
  'host_organisation_manager',
  'peer_group',
  'none',
];
const ACCESS = ['yes', 'yes', 'read_only', 'no'];
const MEETINGS = ['regular', 'regular', 'occasional', 'never'];
const DELIVERY = ['in_person', 'hybrid', 'hybrid', 'remote'];
const BASES = ['gp_practice', 'pcn_hub', 'vcse_premises', 'council_office', 'community', 'home'];

/** Connection stories, as the demo seed tells them (src/db/seed/directory-demo.ts): a kind and its statuses. */
const STORIES: { kind: string; path: string[] }[] = [
  { kind: 'warm_handover', path: ['referred', 'accepted', 'attended'] },
  { kind: 'referred', path: ['referred'] },
  { kind: 'signposted', path: ['suggested', 'attended', 'completed'] },
  { kind: 'referred', path: ['referred', 'accepted'] },
  { kind: 'warm_handover', path: ['referred', 'accepted', 'did_not_attend'] },
  { kind: 'referred', path: ['referred', 'declined'] },
  { kind: 'signposted', path: ['suggested'] },
  { kind: 'warm_handover', path: ['referred', 'accepted', 'attended', 'completed'] },
  { kind: 'signposted', path: ['suggested', 'attended'] },
  { kind: 'referred', path: ['referred', 'accepted', 'attended', 'dropped_out'] },
];

/**
 * Tops up a database that holds the pathway and outcomes benchmark data. `onStep` hears each step's name and
 * duration as it finishes. Leaves no helper tables behind.
 */
export async function generateInsight(
  run: RunSql,
  options: { kind: 'postgres' | 'pglite'; onStep?: (name: string, ms: number) => void },
): Promise<GeneratedInsight> {
  const started = performance.now();
  const steps: { name: string; ms: number }[] = [];
  const step = async (name: string, ...statements: string[]) => {
    const t = performance.now();
    for (const s of statements) await run(s);
    const ms = performance.now() - t;
    steps.push({ name, ms });
    options.onStep?.(name, ms);
  };
  const count = async (text: string) => Number(Object.values((await run(text))[0] ?? { n: 0 })[0]);

  await step(
    'session settings',
    ...(options.kind === 'postgres'
      ? ['SET synchronous_commit = off', "SET work_mem = '256MB'", "SET maintenance_work_mem = '512MB'"]
      : ["SET work_mem = '64MB'"]),
  );
  // The triggers that keep the explorer's facts and caseload steps (migration 0038) would rebuild them once per
  // statement below: switched off on the tables written here (the foreign-key triggers stay) and both rebuilt once
  // at the end.
  const userTriggersOf = ['people', 'link_worker_contexts', 'connections'];
  await step(
    'switch off the explorer facts triggers',
    ...userTriggersOf.map((t) => `ALTER TABLE ${t} DISABLE TRIGGER USER`),
  );

  // IMD decile: u in [0, 1) squashed towards 0 (decile 1 is the most deprived tenth of areas in England).
  await step(
    'people: IMD decile',
    `UPDATE people SET imd_decile = least(10, 1 + floor(10 * power((${h('hashtext(id::text)', 41)} % 10000) / 10000.0, 1.35)))::smallint
     WHERE imd_decile IS NULL
       AND ${h('hashtext(id::text)', 42)} % 100 < ${INSIGHT_SHARES.imdRecorded}`,
  );

  // Every (PCN, link worker) pair that takes referrals, or holds the role, and has no context yet. Most of a PCN's
  // link workers share its host model; a few are hosted otherwise.
  await step(
    'link worker contexts',
    `CREATE TEMP TABLE bench_lwc AS
     WITH pairs AS (
       SELECT DISTINCT organisation_id, allocated_link_worker_id AS lw FROM referrals
       WHERE allocated_link_worker_id IS NOT NULL
       UNION
       SELECT ra.organisation_id, ra.user_id FROM role_assignments ra
       JOIN organisations o ON o.id = ra.organisation_id AND o.type = 'pcn'
       WHERE ra.role = 'link_worker'
     ),
     fresh AS (
       SELECT p.* FROM pairs p
       WHERE NOT EXISTS (SELECT 1 FROM link_worker_contexts c
                         WHERE c.organisation_id = p.organisation_id AND c.link_worker_id = p.lw)
     )
     SELECT row_number() OVER (ORDER BY f.organisation_id, f.lw) AS n,
       dense_rank() OVER (ORDER BY f.organisation_id) AS pcn_n, f.organisation_id, f.lw
     FROM fresh f`,
    `CREATE TEMP TABLE bench_lwc_rows AS
     SELECT c.n, k, c.organisation_id, c.lw,
       CASE k WHEN 0 THEN DATE '2015-01-01' + (${h('c.n', 50)} % 365)::int
              WHEN 1 THEN ${TODAY} - 700 + (${h('c.n', 51)} % 120)::int
              ELSE ${TODAY} - 240 + (${h('c.n', 52)} % 60)::int END AS effective_from,
       CASE WHEN ${h('c.n * 4 + k', 53)} % 100 < 75 THEN ${pick(EMPLOYMENT, h('c.pcn_n * 4 + k', 54))}
            ELSE ${pick(EMPLOYMENT, h('c.n * 4 + k', 55))} END AS employment_model,
       ${pick(SUPERVISION, h('c.n * 4 + k', 56))} AS supervision,
       ${pick(ACCESS, h('c.n * 4 + k', 57))} AS clinical_system_access,
       ${pick(MEETINGS, h('c.n * 4 + k', 58))} AS practice_meetings,
       ${pick(DELIVERY, h('c.n * 4 + k', 59))} AS delivery_mode,
       jsonb_build_array(${pick(BASES, h('c.n * 4 + k', 60))}) AS base_settings,
       (22.5 + 7.5 * (${h('c.n * 4 + k', 61)} % 3))::numeric(4, 1) AS hours
     FROM bench_lwc c
     CROSS JOIN LATERAL generate_series(0, CASE
       WHEN ${h('c.n', 62)} % 100 >= ${INSIGHT_SHARES.contextChanged} THEN 0
       WHEN ${h('c.n', 63)} % 100 >= ${INSIGHT_SHARES.contextChangedAgain} THEN 1 ELSE 2 END) AS k`,
    `INSERT INTO link_worker_contexts (id, organisation_id, link_worker_id, effective_from, employer_organisation_id,
       employment_model, base_settings, contracted_hours_per_week, supervision, clinical_system_access,
       practice_meetings, delivery_mode, notes, recorded_by, recorded_at)
     SELECT ${v7('effective_from::timestamptz', 'b03', 'n * 4 + k')}, organisation_id, lw, effective_from, NULL,
       employment_model, base_settings, hours, supervision, clinical_system_access, practice_meetings,
       delivery_mode, NULL, lw, effective_from::timestamptz + interval '9 hours'
     FROM bench_lwc_rows`,
    'DROP TABLE bench_lwc_rows',
    'DROP TABLE bench_lwc',
  );

  // Connections: from about half of the goals of episodes a link worker took on, to a service of the directory of
  // the ICB above the episode's PCN, a step a week from the day after the goal was set, never past today.
  await step(
    'connections and their status history',
    `CREATE TEMP TABLE bench_story (s int, kind text, path text[])`,
    `INSERT INTO bench_story VALUES ${STORIES.map(
      (story, i) => `(${i}, ${lit(story.kind)}, ARRAY[${story.path.map(lit).join(', ')}]::text[])`,
    ).join(', ')}`,
    `CREATE TEMP TABLE bench_svc AS
     SELECT row_number() OVER (PARTITION BY organisation_id ORDER BY id) - 1 AS i,
       count(*) OVER (PARTITION BY organisation_id) AS of_n, organisation_id, id, name
     FROM directory_services WHERE status = 'active'`,
    `CREATE TEMP TABLE bench_conn AS
     SELECT row_number() OVER (ORDER BY g.id) AS n, g.id AS goal_id, g.referral_id, g.person_id,
       g.organisation_id, pcn.parent_id AS directory_id, r.allocated_link_worker_id AS lw,
       (g.created_at AT TIME ZONE 'Europe/London')::date + 1 AS first_on
     FROM goals g
     JOIN referrals r ON r.id = g.referral_id
     JOIN organisations pcn ON pcn.id = g.organisation_id
     WHERE r.status IN ('accepted', 'discharged') AND r.allocated_link_worker_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.referral_id = g.referral_id)
       AND EXISTS (SELECT 1 FROM bench_svc sv WHERE sv.organisation_id = pcn.parent_id)
       -- chosen by the goal's own id, so that a second run chooses the same goals (and so adds none)
       AND ${h('hashtext(g.id::text)', 70)} % 100 < ${INSIGHT_SHARES.goalConnected}`,
    `CREATE TEMP TABLE bench_conn_rows AS
     SELECT c.*, st.kind, st.path, sv.id AS service_id, sv.name AS service_name,
       array_length(st.path, 1) AS steps,
       least(${TODAY}, c.first_on + 7 * (array_length(st.path, 1) - 1)) AS last_on
     FROM bench_conn c
     JOIN bench_story st ON st.s = ${h('c.n', 71)} % ${STORIES.length}
     JOIN bench_svc sv ON sv.organisation_id = c.directory_id
       AND sv.i = ${h('c.n', 72)} % sv.of_n
     WHERE c.first_on <= ${TODAY}`,
    `INSERT INTO connections (id, organisation_id, referral_id, person_id, goal_id, directory_id, service_id,
       service_name, kind, status, consent_to_share, note, status_on, connected_on, link_worker_id, version,
       created_at, updated_at)
     SELECT ${v7('first_on::timestamptz', 'b01', 'n')}, organisation_id, referral_id, person_id, goal_id,
       directory_id, service_id, service_name, kind, path[steps], kind <> 'signposted', NULL, last_on, first_on,
       lw, steps, first_on::timestamptz + interval '10 hours', last_on::timestamptz + interval '10 hours'
     FROM bench_conn_rows`,
    `INSERT INTO connection_events (id, organisation_id, connection_id, person_id, status, "on", reason, note,
       recorded_by, recorded_at)
     SELECT ${v7('first_on::timestamptz', 'b02', 'c.n * 8 + p.i')}, c.organisation_id,
       ${v7('first_on::timestamptz', 'b01', 'c.n')}, c.person_id, p.status,
       least(${TODAY}, c.first_on + 7 * (p.i - 1)::int),
       CASE WHEN p.status = 'declined' THEN 'No places until the spring' END, NULL, c.lw,
       least(${TODAY}, c.first_on + 7 * (p.i - 1)::int)::timestamptz + make_interval(hours => 10, mins => p.i::int)
     FROM bench_conn_rows c CROSS JOIN LATERAL unnest(c.path) WITH ORDINALITY AS p(status, i)`,
    'DROP TABLE bench_conn_rows',
    'DROP TABLE bench_conn',
    'DROP TABLE bench_svc',
    'DROP TABLE bench_story',
  );

  await step(
    "the explorer's episode facts and link workers' caseload steps (migration 0038)",
    'ANALYZE link_worker_contexts',
    'ANALYZE connections',
    // From empty (a kept database has them from its migration): a second full rewrite would leave every row dead
    // once and the explorer's index-only scans visiting the heap until a vacuum.
    'TRUNCATE insight_episode_facts, link_worker_caseload_steps',
    "SELECT insight_episode_facts_refresh(ARRAY(SELECT DISTINCT referral_id FROM outcome_changes WHERE measure = ''))",
    `SELECT link_worker_caseload_refresh(ARRAY(
       SELECT DISTINCT allocated_link_worker_id FROM referrals WHERE allocated_link_worker_id IS NOT NULL))`,
  );
  // The IMD deciles above changed what the operational report's referral facts hold about people: rebuilt once (not
  // again on a kept database whose facts already hold them: at full volume the rebuild is the top-up's longest step).
  const stale =
    await count(`SELECT count(*) AS n FROM report_referral_facts f JOIN people p ON p.id = f.person_id
    WHERE f.imd_decile IS DISTINCT FROM p.imd_decile`);
  const facts = await count('SELECT count(*) AS n FROM report_referral_facts');
  const referrals = await count('SELECT count(*) AS n FROM referrals');
  if (stale > 0 || facts !== referrals) {
    await step(
      "the operational report's referral facts (migration 0039), after the IMD deciles",
      `TRUNCATE report_referral_facts, report_referral_months, report_referral_days, report_people_months,
         report_caseload_days,
         report_caseload_months, report_discharge_months`,
      'SELECT report_referral_facts_refresh(ARRAY(SELECT id FROM referrals))',
    );
  } else {
    await step("the operational report's referral facts hold the IMD deciles already: kept");
  }
  // The connections above came without their triggers: the report's connection facts (migration 0044) once.
  await step(
    "the operational report's connection facts (migration 0044)",
    'TRUNCATE report_connection_facts',
    'SELECT report_connection_facts_refresh(ARRAY(SELECT id FROM connections))',
  );
  await step(
    'switch the explorer facts triggers back on',
    ...userTriggersOf.map((t) => `ALTER TABLE ${t} ENABLE TRIGGER USER`),
  );

  await step(
    'VACUUM (ANALYZE)',
    ...[
      'people',
      'link_worker_contexts',
      'connections',
      'connection_events',
      'insight_episode_facts',
      'link_worker_caseload_steps',
      'report_referral_facts',
      'report_referral_months',
      'report_referral_days',
      'report_caseload_days',
      'report_caseload_months',
      'report_discharge_months',
      'report_connection_facts',
    ].map((t) => `VACUUM (ANALYZE) ${t}`),
  );

  // The explorer reads the facts index-only once their pages are all-visible. A vacuum cannot mark them so while
  // another transaction older than the rows is open (an autovacuum ANALYZE of a table written above, say): vacuum
  // again until it can, for a minute at most, so that the figures measure the steady state autovacuum keeps.
  if (options.kind === 'postgres') {
    const shareOf = async (table: string) =>
      Number(
        Object.values(
          (
            await run(
              `SELECT CASE WHEN relpages = 0 THEN 1 ELSE relallvisible::float8 / relpages END AS share
             FROM pg_class WHERE relname = '${table}'`,
            )
          )[0] ?? { share: 1 },
        )[0],
      );
    const factTables = ['insight_episode_facts', 'report_referral_facts', 'report_connection_facts'];
    const visible = async () => Math.min(...(await Promise.all(factTables.map(shareOf))));
    const waitFrom = performance.now();
    while ((await visible()) < 0.99 && performance.now() - waitFrom < 60_000) {
      await new Promise((r) => setTimeout(r, 2000));
      for (const t of factTables) await run(`VACUUM ${t}`);
    }
    const ms = performance.now() - waitFrom;
    steps.push({ name: 'facts all-visible', ms });
    options.onStep?.(
      `the explorer's and the report's facts all-visible (${Math.round((await visible()) * 100)} %)`,
      ms,
    );
  }

  return {
    ms: performance.now() - started,
    counts: {
      peopleWithImd: await count('SELECT count(*) FROM people WHERE imd_decile IS NOT NULL'),
      people: await count('SELECT count(*) FROM people'),
      linkWorkerContexts: await count('SELECT count(*) FROM link_worker_contexts'),
      connections: await count('SELECT count(*) FROM connections'),
      connectionEvents: await count('SELECT count(*) FROM connection_events'),
    },
    steps,
  };
}
