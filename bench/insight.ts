// Insight benchmark: `npm run bench:insight` (issue 8, Performance).
//
// The pathway and outcomes benchmarks' national-scale dataset (bench/pathway-generate.ts: 40 PCNs under one ICB,
// 1,000,000 referrals, ≈ 5,000,000 contacts …; bench/outcomes-generate.ts: ≈ 2,000,000 outcome measures), topped up
// with what the explorer and the operational report read and those leave empty (bench/insight-generate.ts: IMD
// deciles, link workers' implementation context histories, connections to the directory's services). Then the real
// server (bundled as `npm start` runs it, into .tmp/bench-insight/, not dist/) on that data, signed in as the ICB's
// commissioner, measures 16 connections for 20 s after a 2 s warm-up (exact percentiles over every 2xx response)
// and one request at a time:
//   - the ICB's operational report for a year, GET /api/reports/operational (target p95 ≤ 1 s): the same report
//     each time (the last 12 complete months, which the server keeps once computed), and "cold", a year ending a
//     different day each request, more of them than the server keeps, so none is kept whole: each is added up from
//     the months the server keeps a while (report-pieces.ts): its warming job keeps those of a year ending any day
//     of the last 15 months day by day, and these years end 1 to 400 days before the default year's end; "older",
//     years ending 830 to 1,229 days back, whose part months are read day by day from the records when first asked
//     for; and "cold whole months", whole calendar months as the form offers them, ending a different month;
//   - the explorer, UCLA-3 change over the last year's baselines, baseline → discharge and baseline → 9–12 month
//     follow-up: one factor (host model, GET /api/insight/explorer, ≤ 1 s), two crossed (host model × IMD quintile,
//     ≤ 2 s) and the adjusted model with their interaction (GET /api/insight/explorer/model, ≤ 3 s); and, cold,
//     the one-factor table on one of UCLA-3's questions rather than its score (the facts keep the headline score's
//     pairs beside the factors; a question's are joined from outcome_changes);
//   - one at a time, the explorer by a few other factors whose joins differ (caseload, time to first contact,
//     mode of contacts, warm handover or signposting), saying which are slow;
//   - the server's memory while 8 downloads of the operational report's CSV (cold, a different year each) and of
//     the explorer's run at once, VmRSS from /proc/<pid>/status every 50 ms: before, peak during, after, over three
//     rounds, and whether the body came streamed (chunked) or whole (Content-Length).
// Every endpoint's first request (nothing kept yet) is timed too. A 5xx is reported with the server's last log lines.
// Before the server starts, the same services run in this process (as the app role, with the commissioner's tenant
// scope) with every statement they send captured and timed, and the core ones are run again under
// EXPLAIN (ANALYZE, BUFFERS) and printed, so the note can quote plans.
// Then the same on the embedded database (PGlite) at a tenth of the volume. It prints figures beside their targets
// and never fails on a missed target; an endpoint that is not there yet is reported as such. It exits non-zero
// only when it could not measure anything at all.
//
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a server and a
// database to connect to for administration; a throw-away database is made beside it and dropped at the end. The
// caller's DATABASE_URL is never read or changed.
//
// Knobs: BENCH_SCALE=0.01 (a hundredth of the volume; PGlite gets a tenth of that), BENCH_ONLY=postgres|pglite,
// BENCH_LOAD_SECONDS / BENCH_WARMUP_SECONDS, BENCH_SEQUENTIAL_RUNS (one-at-a-time requests per figure, default 10),
// BENCH_FACTORS (the other factors measured one at a time, comma-separated), BENCH_KEEP=1 (keep the PostgreSQL
// database, named in the output, instead of dropping it), BENCH_REUSE=<database> (measure a database an earlier
// BENCH_KEEP=1 run of this benchmark or of bench:outcomes generated; the insight top-up only adds what is missing),
// BENCH_OPS (only the endpoints whose keys start so, comma-separated: operational:cold, item:cold …; no plans, and
// the downloads only when it names them: downloads), BENCH_DOWNLOAD_ROUNDS (default 8).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { type Database, type Db, openDatabase, rowsOf } from '../src/db/client.ts';
import { demoPassword, seedDemo } from '../src/db/seed/demo.ts';
import { explorerTable } from '../src/modules/insight/explorer.ts';
import { ensureShippedInstruments } from '../src/modules/outcomes/service.ts';
import type { Actor } from '../src/platform/actor.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { londonDate } from '../src/platform/working-days.ts';
import { type GeneratedInsight, generateInsight } from './insight-generate.ts';
import { hotSpots } from './insight-plan.ts';
import { type GeneratedOutcomes, generateOutcomes } from './outcomes-generate.ts';
import { type Generated, generateDataset, type RunSql, type Volumes, volumesAt } from './pathway-generate.ts';
import {
  bundleServer,
  type Child,
  type Cleanup,
  CONNECTIONS,
  childEnv,
  describeLoad,
  fmt,
  freePort,
  type HttpLoadSpec,
  httpLoad,
  httpOnce,
  type Latency,
  LOAD_SECONDS,
  type Load,
  loadAverage,
  root,
  runCleanups,
  type Session,
  say,
  sequential,
  signIn,
  sleep,
  startServer,
  stopChild,
  throwAwayDatabase,
  WARMUP_SECONDS,
  waitReady,
} from './pathway-harness.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ONLY = process.env.BENCH_ONLY;
/** Keep the PostgreSQL database (its name is printed) instead of dropping it, to study its plans afterwards. */
const KEEP = process.env.BENCH_KEEP === '1';
/** BENCH_REUSE=<database> measures a database an earlier BENCH_KEEP=1 run generated (no generation, kept). */
const REUSE = process.env.BENCH_REUSE;
const SEQUENTIAL_RUNS = Number(process.env.BENCH_SEQUENTIAL_RUNS ?? 10);
/**
 * BENCH_OPS=<key prefixes> measures only those endpoints (say `operational:cold,item:`), without the in-process
 * plans and the downloads' memory: for comparing a change quickly. Unset: everything.
 */
const OPS = process.env.BENCH_OPS?.split(',').filter(Boolean);
const opsOf = (t: Targets) => apiOps(t).filter((op) => !OPS || OPS.some((k) => op.key.startsWith(k)));
const SEQUENTIAL_WARMUPS = 3;
const OTHER_FACTORS = (
  process.env.BENCH_FACTORS ?? 'caseload,days_to_first_contact,contact_mode,connection_kind'
)
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean);
const APP_ROLE = 'linkwork_app';
const COMMISSIONER = 'commissioner@demo.linkwork.example';
const DEMO_ICB_ODS = 'QZZ';
const INSTRUMENT = 'ucla3';
const FACTOR = 'host_model';
const BY = 'imd_quintile';
/** A question of UCLA-3's (not its score): the explorer joins its pairs rather than reading them from the facts. */
const ITEM = 'item:lack_companionship';
const COMPARISONS = ['discharge', 'follow_up_long'] as const;
type Comparison = (typeof COMPARISONS)[number];
const TARGET = { operationalMs: 1000, oneFactorMs: 1000, crossedMs: 2000, modelMs: 3000 };
/**
 * "Flat" memory: the peak while 8 downloads run stays within this of the RSS before, and the rounds do not grow it
 * (the later half's highest peak within a quarter of this of the earlier half's). Over 3 rounds the heap's old
 * space grew ~8 MB a round before its first major collection (546 → 554 / 562 / 570 MB); over 12 it fell back
 * after the second (326 / 332 / 299 / 302 … 303 MB), so the rounds are 8.
 */
const FLAT_MB = 64;
const DOWNLOADS = 8;
/** BENCH_DOWNLOAD_ROUNDS: how many rounds of downloads (each a different year of the report each download). */
const DOWNLOAD_ROUNDS = Number(process.env.BENCH_DOWNLOAD_ROUNDS ?? 8);
const RSS_SAMPLE_MS = 50;
const PLAN_LINES = { postgres: 60, pglite: 24 };
/** The plan nodes listed by their own time under each plan. */
const HOT_SPOTS = 6;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

// ---------------------------------------------------------------------------------------------------------------
// What is measured

interface ApiOp {
  key: string;
  label: string;
  /** The short name in the summary. */
  short: string;
  path: string;
  query: Record<string, string>;
  kind: 'operational' | 'table' | 'model';
  /** Measured under 16 connections against this p95; without it, one at a time only. */
  targetP95?: number;
  /** Each request asks for something else (the query changed by the request's number), so nothing kept is reused. */
  vary?: (i: number) => Record<string, string>;
}

/** Distinct years asked for by the "cold" operational report: more than its cache keeps (100). */
const COLD_PERIODS = 400;
const dayOffset = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** The end of the last complete month: the operational report's default year ends there. */
const LAST_MONTH_END = dayOffset(`${londonDate(new Date()).slice(0, 7)}-01`, -1);

/**
 * The operational report's query for the ICB's year (365 days) ending `offset` days before the default year's end.
 * The load cycles through offsets 1 to COLD_PERIODS, its first request is COLD_PERIODS + 1 and the CSV downloads
 * come after: offset 0 is the default year, which the "same" figure keeps.
 */
const coldYear = (icbId: string, offset: number) => {
  const to = dayOffset(LAST_MONTH_END, -offset);
  return { organisationId: icbId, from: dayOffset(to, -364), to };
};

/**
 * The first offset of the "older" years: ending 27 months and more before the default year's end, none of their
 * months is one the server's warming job keeps day by day (this month and the 26 before), nor their caseloads, so
 * that each new first or last month is read from the records (the cold years above are within those months).
 */
const OLDER_FIRST = 830;

/**
 * The operational report's query for whole calendar months, as the form's periods are (the last 12 or 24 months, a
 * financial year): 12, 6 or 18 months ending 1 to 40 months before the default year’s end, 120 periods in turn, more
 * than the server keeps, so none is kept whole; the months they share are kept a while.
 */
const COLD_MONTH_PERIODS = 120;
const coldMonths = (icbId: string, i: number) => {
  const length = [12, 6, 18][i % 3]!;
  const back = 1 + (Math.floor(i / 3) % 41);
  const lastMonth = new Date(`${LAST_MONTH_END.slice(0, 7)}-01T00:00:00Z`);
  lastMonth.setUTCMonth(lastMonth.getUTCMonth() - back);
  const afterLast = new Date(lastMonth);
  afterLast.setUTCMonth(afterLast.getUTCMonth() + 1);
  const first = new Date(lastMonth);
  first.setUTCMonth(first.getUTCMonth() - (length - 1));
  return {
    organisationId: icbId,
    from: first.toISOString().slice(0, 10),
    to: dayOffset(afterLast.toISOString().slice(0, 10), -1),
  };
};

function apiOps(t: Targets): ApiOp[] {
  const explorer = (comparison: Comparison, extra: Record<string, string>) => ({
    instrument: INSTRUMENT,
    comparison,
    organisationId: t.icb.id,
    factor: FACTOR,
    ...extra,
  });
  const window: Record<Comparison, string> = { discharge: 'discharge', follow_up_long: '9–12 months' };
  const ops: ApiOp[] = [
    {
      key: 'operational',
      label:
        'GET /api/reports/operational, the ICB, the last 12 complete months (commissioner), the same each time',
      short: 'operational report, ICB, same',
      path: '/api/reports/operational',
      query: { organisationId: t.icb.id },
      kind: 'operational',
      targetP95: TARGET.operationalMs,
    },
    {
      key: 'operational:cold',
      label: `GET /api/reports/operational, the ICB, a year, ending a different day each request (${COLD_PERIODS} years in turn: none kept whole; their first and last months kept day by day)`,
      short: 'operational report, ICB, cold',
      path: '/api/reports/operational',
      query: coldYear(t.icb.id, COLD_PERIODS + 1),
      kind: 'operational',
      targetP95: TARGET.operationalMs,
      vary: (i) => coldYear(t.icb.id, 1 + (i % COLD_PERIODS)),
    },
    {
      key: 'operational:older',
      label: `GET /api/reports/operational, the ICB, a year ending a different day each request ${OLDER_FIRST} to ${OLDER_FIRST + COLD_PERIODS - 1} days back (${COLD_PERIODS} years in turn: no month of theirs kept day by day)`,
      short: 'operational report, ICB, older years',
      path: '/api/reports/operational',
      query: coldYear(t.icb.id, OLDER_FIRST + COLD_PERIODS),
      kind: 'operational',
      targetP95: TARGET.operationalMs,
      vary: (i) => coldYear(t.icb.id, OLDER_FIRST + (i % COLD_PERIODS)),
    },
    {
      key: 'operational:cold-months',
      label: `GET /api/reports/operational, the ICB, whole months (12, 6 or 18) ending a different month each request (${COLD_MONTH_PERIODS} periods in turn: none kept whole)`,
      short: 'operational report, ICB, cold whole months',
      path: '/api/reports/operational',
      query: coldMonths(t.icb.id, COLD_MONTH_PERIODS),
      kind: 'operational',
      targetP95: TARGET.operationalMs,
      vary: (i) => coldMonths(t.icb.id, i % COLD_MONTH_PERIODS),
    },
  ];
  for (const c of COMPARISONS) {
    ops.push(
      {
        key: `one:${c}`,
        label: `GET /api/insight/explorer, ${FACTOR}, UCLA-3 to ${window[c]}, the ICB, the last year`,
        short: `explorer 1 factor, ${window[c]}`,
        path: '/api/insight/explorer',
        query: explorer(c, {}),
        kind: 'table',
        targetP95: TARGET.oneFactorMs,
      },
      {
        key: `crossed:${c}`,
        label: `GET /api/insight/explorer, ${FACTOR} × ${BY}, UCLA-3 to ${window[c]}`,
        short: `explorer crossed, ${window[c]}`,
        path: '/api/insight/explorer',
        query: explorer(c, { by: BY }),
        kind: 'table',
        targetP95: TARGET.crossedMs,
      },
      {
        key: `model:${c}`,
        label: `GET /api/insight/explorer/model, ${FACTOR} × ${BY} with interaction, UCLA-3 to ${window[c]}`,
        short: `adjusted model, ${window[c]}`,
        path: '/api/insight/explorer/model',
        query: explorer(c, { by: BY, interaction: 'true' }),
        kind: 'model',
        targetP95: TARGET.modelMs,
      },
    );
  }
  // The same three questions with a year of baselines ending a different day each request: no table or model kept
  // whole (more periods than the explorer keeps: 200 tables, 50 models); a table is added up from the question's
  // months kept a while, reading those no period before it read.
  const coldExplorer = (offset: number, extra: Record<string, string>) => {
    const to = dayOffset(londonDate(new Date()), -offset);
    return { ...explorer('discharge', extra), from: dayOffset(to, -364), to };
  };
  ops.push(
    {
      key: 'one:cold',
      label: `GET /api/insight/explorer, ${FACTOR}, UCLA-3 to discharge, a year ending a different day each request`,
      short: 'explorer 1 factor, cold',
      path: '/api/insight/explorer',
      query: coldExplorer(COLD_PERIODS + 1, {}),
      kind: 'table',
      targetP95: TARGET.oneFactorMs,
      vary: (i) => coldExplorer(1 + (i % COLD_PERIODS), {}),
    },
    {
      // A question (an item) rather than the headline score: its pairs are joined from outcome_changes, not read
      // beside the factors.
      key: 'item:cold',
      label: `GET /api/insight/explorer, ${FACTOR}, UCLA-3's first question to discharge, a different year each request`,
      short: 'explorer 1 factor, an item, cold',
      path: '/api/insight/explorer',
      query: coldExplorer(COLD_PERIODS + 1, { measure: ITEM }),
      kind: 'table',
      targetP95: TARGET.oneFactorMs,
      vary: (i) => coldExplorer(1 + (i % COLD_PERIODS), { measure: ITEM }),
    },
    {
      key: 'crossed:cold',
      label: `GET /api/insight/explorer, ${FACTOR} × ${BY}, UCLA-3 to discharge, a different year each request`,
      short: 'explorer crossed, cold',
      path: '/api/insight/explorer',
      query: coldExplorer(COLD_PERIODS + 1, { by: BY }),
      kind: 'table',
      targetP95: TARGET.crossedMs,
      vary: (i) => coldExplorer(1 + (i % COLD_PERIODS), { by: BY }),
    },
    {
      key: 'model:cold',
      label: `GET /api/insight/explorer/model, ${FACTOR} × ${BY} with interaction, a different year each request`,
      short: 'adjusted model, cold',
      path: '/api/insight/explorer/model',
      query: coldExplorer(COLD_PERIODS + 1, { by: BY, interaction: 'true' }),
      kind: 'model',
      targetP95: TARGET.modelMs,
      vary: (i) => coldExplorer(1 + (i % COLD_PERIODS), { by: BY, interaction: 'true' }),
    },
  );
  // Factors whose facts differ (the caseload's steps, contacts, connections), one at a time and cold: a different
  // year each request, as above.
  for (const f of OTHER_FACTORS) {
    ops.push({
      key: `factor:${f}`,
      label: `GET /api/insight/explorer, ${f}, UCLA-3 to discharge, a different year each request (one at a time)`,
      short: `explorer by ${f}, cold`,
      path: '/api/insight/explorer',
      query: coldExplorer(COLD_PERIODS + 1, { factor: f }),
      kind: 'table',
      vary: (i) => coldExplorer(1 + (i % COLD_PERIODS), { factor: f }),
    });
  }
  return ops;
}

interface Measure {
  /** The first request, before any other: nothing kept yet. */
  firstMs?: number;
  api?: Load;
  apiOne?: Latency;
  /** The endpoint answered "there is no API at …": not written (or not registered) yet. */
  notAvailable?: boolean;
  apiError?: string;
  probe?: string;
}

interface Download {
  path: string;
  bytes: number;
  /** How the body came: chunked (streamed) or with a Content-Length. */
  framing: string;
  beforeMb: number;
  peaksMb: number[];
  afterMb: number;
  ms: number;
}

interface DownloadResult {
  download?: Download;
  notAvailable?: boolean;
  error?: string;
}

interface DbResult {
  kind: 'postgres' | 'pglite';
  volumes: Volumes;
  generation?: Generated;
  outcomes?: GeneratedOutcomes;
  insight?: GeneratedInsight;
  measures: Map<string, Measure>;
  ops: ApiOp[];
  /** The ICB measured. */
  icbId?: string;
  downloads: { operational: DownloadResult; explorer: DownloadResult };
  /** In this process: the operational report's statements (not there yet when its module is missing). */
  operationalInProcess?: { ms: number; statements: number } | string;
  error?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Who and what is measured, found in the generated data

interface Targets {
  icb: { id: string; scope: string[]; pcns: number };
  commissioner: { id: string };
  /** Episodes with a complete UCLA-3 baseline in the last year, in the ICB. */
  baselines: number;
  contexts: number;
  connections: number;
}

async function findTargets(run: RunSql): Promise<Targets> {
  const one = async (text: string) => {
    const [row] = await run(text);
    if (!row) throw new Error(`nothing found for: ${text}`);
    return row;
  };
  const icbId = String((await one(`SELECT id FROM organisations WHERE ods_code = '${DEMO_ICB_ODS}'`)).id);
  const scope = (
    await run(`
      WITH RECURSIVE sub (id) AS (
        SELECT id FROM organisations WHERE id = '${icbId}'
        UNION ALL SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id)
      SELECT id FROM sub ORDER BY id`)
  ).map((r) => String(r.id));
  const inScope = scope.map((id) => `'${id}'`).join(', ');
  const number = async (text: string) => Number(Object.values(await one(text))[0]);
  return {
    icb: {
      id: icbId,
      scope,
      pcns: await number(`SELECT count(*) FROM organisations WHERE type = 'pcn' AND id IN (${inScope})`),
    },
    commissioner: { id: String((await one(`SELECT id FROM users WHERE email = '${COMMISSIONER}'`)).id) },
    baselines: await number(`
      SELECT count(DISTINCT referral_id) FROM outcome_responses
      WHERE instrument_code = '${INSTRUMENT}' AND timepoint = 'baseline' AND status = 'complete' AND NOT superseded
        AND completed_on > (now() AT TIME ZONE 'Europe/London')::date - 365 AND organisation_id IN (${inScope})`),
    contexts: await number('SELECT count(*) FROM link_worker_contexts'),
    connections: await number('SELECT count(*) FROM connections'),
  };
}

function describeTargets(t: Targets) {
  say(
    `  measured: the ICB (${t.icb.pcns} PCNs, tenant scope ${t.icb.scope.length} organisations) as ${COMMISSIONER}; ` +
      `${fmt.int(t.baselines)} episodes with a UCLA-3 baseline in the last year; ${fmt.int(t.contexts)} link worker ` +
      `contexts, ${fmt.int(t.connections)} connections`,
  );
}

/** The commissioner as the server would make them from their session: the ICB, its scope, the one role. */
const commissionerActor = (t: Targets): Actor => ({
  userId: t.commissioner.id,
  sessionId: '00000000-0000-7000-8000-000000000000',
  actingOrganisationId: t.icb.id,
  actingOrganisationType: 'icb',
  roles: ['commissioner'],
  scopeOrganisationIds: t.icb.scope,
  requestId: 'bench-insight',
  ip: null,
  now: new Date(),
});

// ---------------------------------------------------------------------------------------------------------------
// In this process: the services' statements, captured, timed and explained

interface Captured {
  query: SQL;
  ms: number;
  rows: number;
}

/**
 * The transaction as the service sees it, but every raw statement it runs (tx.execute) recorded with its time. The
 * explorer's and the report's statement builders are not exported: this captures exactly what they send.
 */
function capturing(tx: Db, into: Captured[]): Db {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === 'execute') {
        return async (query: SQL) => {
          const started = performance.now();
          const result = await target.execute(query);
          into.push({ query, ms: performance.now() - started, rows: rowsOf(result).length });
          return result;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const dialect = new PgDialect();
const textOf = (q: SQL) => dialect.sqlToQuery(q).sql;

/** A statement in a few words: its start, and the tables it reads. */
function describeStatement(q: SQL): string {
  const text = textOf(q).replace(/\s+/g, ' ').trim();
  const tables = [...new Set([...text.matchAll(/\b(?:from|join)\s+([a-z_]+)\b/gi)].map((m) => m[1]!))]
    .filter((name) => !['lateral', 'unnest', 'generate_series'].includes(name.toLowerCase()))
    .slice(0, 8);
  return `${text.slice(0, 70)}${text.length > 70 ? '…' : ''}${tables.length ? ` [${tables.join(', ')}]` : ''}`;
}

const isRead = (q: SQL) => /^\s*(with|select)\b/i.test(textOf(q));

/** Runs the work twice as the actor (the second time measured), capturing its statements. */
async function captureRun(
  db: Db,
  actor: Actor,
  work: (tx: Db, actor: Actor) => Promise<unknown>,
): Promise<{ ms: number; statements: Captured[] }> {
  await inTransaction(db, actor, (tx) => work(tx, actor));
  const statements: Captured[] = [];
  const started = performance.now();
  await inTransaction(db, actor, (tx) => work(capturing(tx, statements), actor));
  return { ms: performance.now() - started, statements };
}

function printStatements(statements: Captured[], top = 8) {
  const sorted = [...statements].sort((a, b) => b.ms - a.ms);
  const total = statements.reduce((n, s) => n + s.ms, 0);
  say(`    ${statements.length} statements, ${fmt.ms(total)} ms in the database; slowest first:`);
  for (const s of sorted.slice(0, top)) {
    say(
      `      ${fmt.ms(s.ms).padStart(7)} ms  ${String(s.rows).padStart(5)} rows  ${describeStatement(s.query)}`,
    );
  }
  if (sorted.length > top) say(`      … and ${sorted.length - top} more`);
}

/** The settings a service made for its transaction (set local work_mem …): made again before its plan is read. */
const settingsOf = (statements: Captured[]) =>
  statements.filter((s) => /^\s*set\b/i.test(textOf(s.query))).map((s) => s.query);

async function explain(db: Db, actor: Actor, what: string, query: SQL, lines: number, settings: SQL[]) {
  say(`  EXPLAIN (ANALYZE, BUFFERS) ${what}:`);
  try {
    const rows = await inTransaction(db, actor, async (tx) => {
      for (const setting of settings) await tx.execute(setting);
      return rowsOf<Record<string, unknown>>(await tx.execute(sql`explain (analyze, buffers) ${query}`));
    });
    const text = rows.map((r) => String(r['QUERY PLAN']));
    const shown =
      text.length <= lines ? text : [...text.slice(0, lines), `… (${text.length - lines} more lines)`];
    for (const l of shown) say(`    ${l}`);
    if (text.length > lines) {
      const rest = text.slice(lines);
      const seqScans = rest.filter((l) => /Seq Scan/.test(l));
      if (seqScans.length) say('    sequential scans further down:');
      for (const l of seqScans) say(`    ${l}`);
      for (const l of rest.filter((l) => /^(Planning|Execution) Time/.test(l))) say(`    ${l}`);
    }
    const hot = hotSpots(text).slice(0, HOT_SPOTS);
    if (hot.length) {
      say(
        `    where the time goes (each node's own time: its children's taken off, a CTE's making counted in its own nodes):`,
      );
      for (const n of hot) {
        say(
          `      ${fmt.ms(n.selfMs).padStart(8)} ms  ${n.name} (rows ${fmt.int(n.rows)}, loops ${fmt.int(n.loops)})`,
        );
      }
    }
  } catch (err) {
    say(`    failed: ${errorText(err)}`);
  }
}

/** The explorer's core statement: the largest one it sends over the episode facts. */
const coreOf = (statements: Captured[]) =>
  statements
    .filter((s) => isRead(s.query) && /insight_episode_facts/.test(textOf(s.query)))
    .sort((a, b) => textOf(b.query).length - textOf(a.query).length)[0];

type OperationalModule = typeof import('../src/modules/reporting/operational.ts');

/** The reporting module is being written beside this benchmark: loaded when it is there and compiles. */
async function loadOperational(): Promise<OperationalModule | string> {
  try {
    return await import('../src/modules/reporting/operational.ts');
  } catch (err) {
    return `not there yet (${errorText(err).split('\n')[0]})`;
  }
}

async function inProcess(result: DbResult, database: Database, t: Targets, lines: number) {
  const actor = commissionerActor(t);
  const db = database.db;
  say('  in this process, as the app role with the commissioner’s tenant scope (the second of two runs):');

  const operational = await loadOperational();
  say('  the operational report, the ICB, a year (operationalReportFor):');
  if (typeof operational === 'string') {
    result.operationalInProcess = operational;
    say(`    ${operational}`);
  } else {
    try {
      const run = await captureRun(db, actor, (tx, a) =>
        operational.operationalReportFor(tx, a, { organisationId: t.icb.id }, 'json'),
      );
      result.operationalInProcess = { ms: run.ms, statements: run.statements.length };
      say(`    ${fmt.ms(run.ms)} ms in all`);
      printStatements(run.statements);
      const slowest = run.statements
        .filter((s) => isRead(s.query))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 2);
      for (const [i, s] of slowest.entries()) {
        await explain(
          db,
          actor,
          `the operational report's ${i === 0 ? 'slowest' : 'second slowest'} statement`,
          s.query,
          lines,
          settingsOf(run.statements),
        );
      }
    } catch (err) {
      result.operationalInProcess = `failed: ${errorText(err)}`;
      say(`    failed: ${errorText(err)}`);
    }
  }

  const explorerRuns: [string, Record<string, string>][] = [
    ['the explorer, one factor (host model), UCLA-3 to discharge', {}],
    ['the explorer, two crossed (host model × IMD quintile), UCLA-3 to discharge', { by: BY }],
    ['the explorer, one factor (host model), UCLA-3’s first question to discharge', { measure: ITEM }],
  ];
  for (const [what, extra] of explorerRuns) {
    say(`  ${what} (explorerTable):`);
    try {
      const q = {
        instrument: INSTRUMENT,
        comparison: 'discharge' as const,
        organisationId: t.icb.id,
        factor: FACTOR,
        interaction: 'false' as const,
        ...extra,
      };
      const run = await captureRun(db, actor, (tx, a) => explorerTable(tx, a, q));
      say(`    ${fmt.ms(run.ms)} ms in all`);
      printStatements(run.statements, 4);
      const core = coreOf(run.statements);
      if (core) {
        await explain(
          db,
          actor,
          `${what}: its core statement`,
          core.query,
          lines,
          settingsOf(run.statements),
        );
      } else say('    no statement over the episode facts was sent (no PCNs in reach?)');
    } catch (err) {
      say(`    failed: ${errorText(err)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The API

/** An API route the server does not have answers 404 with this detail (apiNotFound in src/platform/problem.ts). */
const NO_ROUTE = /^There is no API at /;

const urlOf = (base: string, op: Pick<ApiOp, 'path' | 'query'>) =>
  `${base}${op.path}?${new URLSearchParams(op.query).toString()}`;

function specOf(base: string, op: ApiOp, headers: Record<string, string>): HttpLoadSpec {
  const spec: HttpLoadSpec = { url: urlOf(base, op), headers };
  const vary = op.vary;
  if (vary) {
    let i = 0;
    spec.setup = (req) => ({ ...req, path: `${op.path}?${new URLSearchParams(vary(i++)).toString()}` });
  }
  return spec;
}

type Body = Record<string, unknown>;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function describeOperational(body: Body): string {
  const period = body.period as { from: string; to: string } | undefined;
  const tables = (body.tables ?? []) as { key: string; rows: { cells: { suppressed: boolean }[] }[] }[];
  const cells = tables.flatMap((tb) => tb.rows.flatMap((r) => r.cells));
  const suppressed = cells.filter((c) => c.suppressed).length;
  const rows = tables.reduce((n, tb) => n + tb.rows.length, 0);
  return (
    `${period ? `${period.from} to ${period.to}, ` : ''}${tables.length} tables, ${fmt.int(rows)} rows, ` +
    `${fmt.int(suppressed)} of ${fmt.int(cells.length)} cells suppressed`
  );
}

interface ChangeOut {
  n?: number | null;
  suppressed?: boolean;
  meanChange?: number | null;
  ci95?: { lower: number; upper: number } | null;
}
interface CellOut {
  change?: ChangeOut;
  episodes?: { value: number | null };
}

function describeTable(body: Body): string {
  const period = body.period as { from: string; to: string } | undefined;
  const total = body.total as CellOut | undefined;
  const margins = (body.aMargins ?? []) as CellOut[];
  const cells = (body.cells ?? []) as CellOut[];
  const all = [...cells, ...margins, ...((body.bMargins ?? []) as CellOut[])];
  const hidden = all.filter((c) => c.change?.suppressed).length;
  const c = total?.change;
  const ci = c?.ci95 ? ` (95% CI ${c.ci95.lower.toFixed(2)} to ${c.ci95.upper.toFixed(2)})` : '';
  const unrecorded = (body.notRecorded as { episodes?: { value: number | null } } | undefined)?.episodes
    ?.value;
  return (
    `${period ? `${period.from} to ${period.to}: ` : ''}${fmt.int(total?.episodes?.value ?? 0)} episodes in the ` +
    `table, ${c?.suppressed ? 'pairs suppressed' : `${fmt.int(c?.n ?? 0)} pairs, mean change ${c?.meanChange?.toFixed(2) ?? '–'}${ci}`}; ` +
    `${margins.length} levels${cells.length ? `, ${cells.length} crossed cells` : ''}, ${hidden} of ${all.length} ` +
    `suppressed; not recorded ${unrecorded === null ? 'suppressed' : fmt.int(unrecorded ?? 0)}`
  );
}

function describeModel(body: Body): string {
  const models = (body.models ?? []) as {
    analysis: string;
    fitted: boolean;
    reason: string | null;
    n: number | null;
    coefficients: { suppressed: boolean }[];
  }[];
  return models
    .map(
      (m) =>
        `${m.analysis.replace('_', ' ')}: ${m.fitted ? `n ${m.n ?? 'suppressed'}, ${m.coefficients.length} coefficients (${m.coefficients.filter((x) => x.suppressed).length} suppressed)` : `not fitted (${m.reason})`}`,
    )
    .join('; ');
}

/**
 * One request before the load. Returns what the answer describes, or undefined when the route is not there (yet);
 * throws on any other answer but 2xx.
 */
async function probe(
  op: ApiOp,
  spec: HttpLoadSpec,
  serverLog: () => string,
  m: Measure,
): Promise<string | undefined> {
  const started = performance.now();
  const res = await fetch(spec.url, { headers: spec.headers });
  const text = await res.text();
  m.firstMs = performance.now() - started;
  let body: Body = {};
  try {
    body = JSON.parse(text) as Body;
  } catch {
    // not JSON: described by its size below
  }
  if (res.status === 404 && NO_ROUTE.test(String(body.detail ?? ''))) return undefined;
  if (res.status >= 500) {
    // The server logs what went wrong (ids and the stack, no personal data): its last lines say why.
    await sleep(200);
    const lines = serverLog()
      .split('\n')
      .filter((l) => l.trim());
    const errors = lines.filter((l) => /"level":(50|60)\b/.test(l));
    const log = (errors.length ? errors.slice(-1) : lines.slice(-3))
      .map((l) => `\n      server: ${l.slice(0, 800)}`)
      .join('');
    throw new Error(`GET ${new URL(spec.url).pathname} answered ${res.status}: ${text.slice(0, 200)}${log}`);
  }
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`GET ${new URL(spec.url).pathname} answered ${res.status}: ${text.slice(0, 300)}`);
  }
  const size = kb(Buffer.byteLength(text));
  const described =
    op.kind === 'operational'
      ? describeOperational(body)
      : op.kind === 'model'
        ? describeModel(body)
        : describeTable(body);
  return `${described}; ${size}`;
}

async function measureOp(m: Measure, op: ApiOp, spec: HttpLoadSpec, serverLog: () => string) {
  say(`  ${op.label}`);
  try {
    const described = await probe(op, spec, serverLog, m);
    if (described === undefined) {
      m.notAvailable = true;
      say(`    not there yet: the server has no ${op.path} (answered 404)`);
      return;
    }
    m.probe = described;
    say(`    first request (${fmt.ms(m.firstMs!)} ms): ${described}`);
    m.apiOne = await sequential(httpOnce(spec), SEQUENTIAL_RUNS, SEQUENTIAL_WARMUPS);
    say(
      `    one request at a time (${SEQUENTIAL_RUNS}): p50 ${fmt.ms(m.apiOne.p50)} ms, p95 ${fmt.ms(m.apiOne.p95)} ms`,
    );
    if (op.targetP95 !== undefined) {
      say(
        `    under load, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s + ${LOAD_SECONDS} s ` +
          `(load average ${loadAverage()}) …`,
      );
      m.api = await httpLoad(spec);
      say(`      ${describeLoad(m.api)}`);
      await drain(spec);
    }
  } catch (err) {
    m.apiError = errorText(err);
    say(`    not measured: ${m.apiError}`);
  }
}

/**
 * Requests the load generator gave up on (its timeout) go on running on the server and hold its database
 * connections: waits until a small read that needs the database (the explorer's options) answers within 250 ms
 * three times in a row (PGlite runs one statement at a time, so one quick answer can slip between two leftovers),
 * so the next figure does not queue behind the last one's leftovers, and says how long that took.
 */
async function drain(spec: HttpLoadSpec) {
  const url = new URL(spec.url);
  const started = performance.now();
  let quick = 0;
  while (quick < 3 && performance.now() - started < 300_000) {
    const t = performance.now();
    const res = await fetch(`${url.origin}/api/insight/options`, { headers: spec.headers });
    await res.arrayBuffer();
    quick = performance.now() - t < 250 ? quick + 1 : 0;
  }
  const waited = performance.now() - started;
  if (waited > 1000)
    say(`      (the server finished the requests the load gave up on ${fmt.s(waited)} later)`);
}

// ---------------------------------------------------------------------------------------------------------------
// Memory while CSV downloads run

/** The process's resident set (VmRSS), in MB; NaN once it has gone. */
function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Runs work while sampling the RSS every RSS_SAMPLE_MS; returns the work's answer and the peak seen. */
async function withRssPeak<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now > peak) peak = now;
  }, RSS_SAMPLE_MS);
  try {
    const value = await work();
    peak = Math.max(peak, rssMb(pid));
    return { value, peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/** One download, read as it arrives (never held whole here): its size and how it was framed. */
async function download(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { headers });
  if (res.status === 404) {
    const text = await res.text();
    let detail = '';
    try {
      detail = String((JSON.parse(text) as Body).detail ?? '');
    } catch {
      // not a problem document
    }
    if (NO_ROUTE.test(detail)) return undefined;
    throw new Error(`answered 404: ${text.slice(0, 200)}`);
  }
  if (res.status !== 200) throw new Error(`answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const type = res.headers.get('content-type') ?? '';
  if (!/text\/csv/.test(type)) throw new Error(`answered ${type}, not text/csv`);
  const framing = res.headers.get('content-length')
    ? `Content-Length ${res.headers.get('content-length')}`
    : res.headers.get('transfer-encoding') === 'chunked'
      ? 'chunked (streamed)'
      : (res.headers.get('transfer-encoding') ?? 'unframed');
  let bytes = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
  }
  return { bytes, framing };
}

async function measureDownloads(
  out: DownloadResult,
  what: string,
  pid: number,
  /** The i-th download's address (the same each time, or a different period each so nothing kept is reused). */
  urlFor: (i: number) => string,
  headers: Record<string, string>,
) {
  const url = urlFor(0);
  const pathname = new URL(url).pathname;
  say(
    `  ${what}: ${DOWNLOADS} downloads at once, ${DOWNLOAD_ROUNDS} rounds, server RSS every ${RSS_SAMPLE_MS} ms`,
  );
  try {
    const first = await download(url, headers);
    if (!first) {
      out.notAvailable = true;
      say(`    not there yet: the server has no ${pathname} (answered 404)`);
      return;
    }
    await sleep(500);
    const beforeMb = rssMb(pid);
    const peaksMb: number[] = [];
    const started = performance.now();
    for (let round = 0; round < DOWNLOAD_ROUNDS; round++) {
      const { value, peakMb } = await withRssPeak(pid, () =>
        Promise.all(
          Array.from({ length: DOWNLOADS }, (_, k) => download(urlFor(1 + round * DOWNLOADS + k), headers)),
        ),
      );
      if (value.some((d) => d === undefined)) throw new Error(`${pathname} went away during the rounds`);
      peaksMb.push(peakMb);
    }
    const ms = (performance.now() - started) / DOWNLOAD_ROUNDS;
    await sleep(1000);
    const afterMb = rssMb(pid);
    out.download = {
      path: pathname,
      bytes: first.bytes,
      framing: first.framing,
      beforeMb,
      peaksMb,
      afterMb,
      ms,
    };
    say(
      `    ${kb(first.bytes)} each, ${first.framing}; ${fmt.ms(ms)} ms a round; RSS before ${beforeMb.toFixed(0)} MB, ` +
        `peak per round ${peaksMb.map((p) => p.toFixed(0)).join(' / ')} MB, 1 s after ${afterMb.toFixed(0)} MB`,
    );
  } catch (err) {
    out.error = errorText(err);
    say(`    not measured: ${out.error}`);
  }
}

const isFlat = (d: Download) =>
  Math.max(...d.peaksMb) - d.beforeMb <= FLAT_MB &&
  Math.max(...d.peaksMb.slice(Math.ceil(d.peaksMb.length / 2))) -
    Math.max(...d.peaksMb.slice(0, Math.ceil(d.peaksMb.length / 2))) <=
    FLAT_MB / 4;

// ---------------------------------------------------------------------------------------------------------------
// The server

/** How long the server waits before its report warming job's first run (startReportWarming's firstDelayMs). */
const WARMING_FIRST_DELAY_MS = 60_000;

/**
 * How long one run of the server's report warming job takes on this database (every ICB's months of the last three
 * years read and kept, every ICB's and PCN's default report computed), timed here with a cache of its own.
 */
async function timeWarming(database: Database): Promise<number> {
  const operational = await loadOperational();
  if (typeof operational === 'string') return 0;
  const errors: unknown[] = [];
  const job = operational.startReportWarming(
    database.db,
    { now: () => new Date() },
    operational.operationalReportCache(),
    { error: (o) => errors.push(o) },
    3_600_000,
    3_600_000,
  );
  const started = performance.now();
  await job.run();
  job.stop();
  if (errors.length) say(`  the report warming job failed here: ${errorText(errors[0])}`);
  return performance.now() - started;
}

/**
 * Waits out the server's report warming job's first run (a minute after it starts, as long as it took here, and
 * half as long again for good measure), so that what is measured is the server as it runs, not its start-up:
 * measured during that run, a load competes with seconds of its database work and reads months it is about to keep.
 * (Its later runs, every 9 minutes, can still fall in a measurement.) The server logs at warn here, so its own
 * line saying a run is done is not there to wait for.
 */
async function warmed(child: Child, warmingMs: number) {
  const until = child.spawnedAt + WARMING_FIRST_DELAY_MS + 1.5 * warmingMs;
  const wait = until - performance.now();
  if (wait <= 0) return;
  say(
    `  waiting ${fmt.s(wait)} for the report warming job's first run (it starts a minute after the server, and took ${fmt.s(warmingMs)} here)`,
  );
  await new Promise((resolve) => setTimeout(resolve, wait));
}

const BUNDLE_DIR = path.join(root, '.tmp', 'bench-insight');
let bundle: string | undefined;

async function measureApi(
  result: DbResult,
  label: string,
  env: NodeJS.ProcessEnv,
  cleanups: Cleanup[],
  warmingMs: number,
) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: Child = startServer(
    `${label} server`,
    { ...env, PORT: String(port), PUBLIC_URL: base },
    bundle,
  );
  cleanups.push(() => stopChild(child));
  try {
    const readyMs = await waitReady(child, `${base}/health/ready`);
    say(`  server ready in ${fmt.s(readyMs)} on the generated data (RSS ${rssMb(child.pid).toFixed(0)} MB)`);
    await warmed(child, warmingMs);
    const session: Session = await signIn(base, COMMISSIONER, demoPassword);
    const headers = { cookie: session.cookie };
    for (const op of result.ops) {
      const m: Measure = {};
      result.measures.set(op.key, m);
      await measureOp(m, op, specOf(base, op, headers), child.tail);
    }
    const slow = result.ops.filter((op) => {
      const one = result.measures.get(op.key)?.apiOne;
      return op.key.startsWith('factor:') && one && one.p95 > TARGET.oneFactorMs;
    });
    const factorsMeasured = result.ops.filter(
      (op) => op.key.startsWith('factor:') && result.measures.get(op.key)?.apiOne,
    );
    if (factorsMeasured.length) {
      say(
        `  other factors slower than ${fmt.int(TARGET.oneFactorMs)} ms p95 one at a time: ` +
          (slow.length ? slow.map((op) => op.query.factor).join(', ') : 'none'),
      );
    }
    if (OPS && !OPS.includes('downloads')) return;
    const icbId = result.icbId!;
    await measureDownloads(
      result.downloads.operational,
      'GET /api/reports/operational.csv, the ICB, a year ending a different day each download (none kept whole)',
      child.pid,
      (i) =>
        urlOf(base, { path: '/api/reports/operational.csv', query: coldYear(icbId, COLD_PERIODS + 2 + i) }),
      headers,
    );
    const crossed = result.ops.find((op) => op.key === 'crossed:discharge');
    if (!crossed) return;
    await measureDownloads(
      result.downloads.explorer,
      'GET /api/insight/explorer.csv, host model × IMD quintile, UCLA-3 to discharge',
      child.pid,
      () => urlOf(base, { ...crossed, path: '/api/insight/explorer.csv' }),
      headers,
    );
  } finally {
    await stopChild(child);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generation

const onStep = (name: string, ms: number) => say(`    ${fmt.s(ms).padStart(8)}  ${name}`);

const describeVolumes = (v: Volumes) =>
  `${v.pcns} PCNs, ${v.pcns * v.linkWorkersPerPcn} link workers, ${fmt.int(v.people)} people, ` +
  `${fmt.int(v.referrals)} referrals, ≈ ${fmt.int(v.contacts)} contacts, ≈ ${fmt.int(2 * v.referrals)} outcome measures`;

function printGeneration(g: Generated | undefined, o: GeneratedOutcomes | undefined, i: GeneratedInsight) {
  if (g && o) {
    say(
      `  pathway generated in ${fmt.s(g.ms)}, outcome measures in ${fmt.s(o.ms)}: ${fmt.int(g.counts.referrals ?? 0)} ` +
        `referrals, ${fmt.int(o.counts.outcome_responses ?? 0)} responses`,
    );
  }
  const c = i.counts;
  say(
    `  insight top-up in ${fmt.s(i.ms)}: IMD recorded for ${fmt.int(c.peopleWithImd)} of ${fmt.int(c.people)} ` +
      `people, ${fmt.int(c.linkWorkerContexts)} link worker contexts, ${fmt.int(c.connections)} connections with ` +
      `${fmt.int(c.connectionEvents)} status events`,
  );
}

/** Migrations, the demo seed and the shipped instruments, through the app's own code. */
async function prepare(app: Database) {
  const now = new Date();
  await seedDemo(app.db, now);
  await inTransaction(app.db, { system: true, now }, (tx) => ensureShippedInstruments(tx, now));
}

const emptyResult = (kind: DbResult['kind'], volumes: Volumes): DbResult => ({
  kind,
  volumes,
  measures: new Map(),
  ops: [],
  downloads: { operational: {}, explorer: {} },
});

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

async function runPostgres(cleanups: Cleanup[]): Promise<DbResult | undefined> {
  const volumes = volumesAt(SCALE);
  const result = emptyResult('postgres', volumes);
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = REUSE ?? `linkwork_bench_insight_${Date.now()}`;
  say(`\nPostgreSQL server, ${REUSE ? 'the kept' : 'throw-away'} database ${dbName}`);
  const dbUrl = await throwAwayDatabase({
    adminUrl,
    dbName,
    keep: KEEP,
    reuse: !!REUSE,
    cleanups,
  });
  if (!dbUrl) return undefined;
  try {
    say(
      REUSE
        ? '  migrations (any the kept database has not had) …'
        : '  migrations, the demo seed and the shipped instruments …',
    );
    {
      const app = await openDatabase({ kind: 'postgres', url: dbUrl }, { appRole: APP_ROLE });
      try {
        if (!REUSE) await prepare(app);
      } finally {
        await app.close();
      }
    }
    const owner = new pg.Client({ connectionString: dbUrl });
    await owner.connect();
    let t: Targets;
    try {
      const run: RunSql = async (text) => (await owner.query(text)).rows;
      if (REUSE)
        say(
          `  BENCH_REUSE: measuring ${dbName} as generated by an earlier run; the insight top-up adds what is missing`,
        );
      else {
        say(`  generating ${describeVolumes(volumes)} (set-based SQL, as the tables' owner) …`);
        result.generation = await generateDataset(run, volumes, { kind: 'postgres', onStep });
        result.outcomes = await generateOutcomes(run, { kind: 'postgres', onStep });
      }
      say('  the insight top-up (IMD, link worker contexts, connections) …');
      result.insight = await generateInsight(run, { kind: 'postgres', onStep });
      printGeneration(result.generation, result.outcomes, result.insight);
      t = await findTargets(run);
    } finally {
      await owner.end();
    }
    describeTargets(t);
    result.ops = opsOf(t);
    result.icbId = t.icb.id;

    const app = await openDatabase({ kind: 'postgres', url: dbUrl }, { appRole: APP_ROLE });
    let warmingMs = 0;
    try {
      if (!OPS) await inProcess(result, app, t, PLAN_LINES.postgres);
      warmingMs = await timeWarming(app);
      say(`  the report warming job, one run in this process: ${fmt.s(warmingMs)}`);
    } finally {
      await app.close();
    }
    await measureApi(result, 'PostgreSQL', childEnv({ DATABASE_URL: dbUrl }), cleanups, warmingMs);
  } catch (err) {
    result.error = errorText(err);
    say(`  FAILED: ${result.error}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// PGlite: one process's database, so generation and the in-process runs happen while the server is stopped

async function runPglite(cleanups: Cleanup[]): Promise<DbResult> {
  const volumes = volumesAt(SCALE / 10);
  const result = emptyResult('pglite', volumes);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkwork-bench-insight-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const dataDir = path.join(tmp, 'pglite');
  const database = { kind: 'pglite' as const, dataDir };
  say(`\nPGlite (embedded), fresh data folder ${dataDir}`);
  try {
    say('  migrations, the demo seed and the shipped instruments …');
    let t: Targets;
    let app: Database = await openDatabase(database, { appRole: APP_ROLE });
    try {
      await prepare(app);
      // PGlite has one connection, which works as the app role: generate as the owner.
      await app.db.execute(sql.raw('RESET ROLE'));
      const run: RunSql = async (text) =>
        rowsOf<Record<string, unknown>>(await app.db.execute(sql.raw(text)));
      say(
        `  generating ${describeVolumes(volumes)} (set-based SQL, as the tables' owner, in this process) …`,
      );
      result.generation = await generateDataset(run, volumes, { kind: 'pglite', onStep });
      result.outcomes = await generateOutcomes(run, { kind: 'pglite', onStep });
      say('  the insight top-up (IMD, link worker contexts, connections) …');
      result.insight = await generateInsight(run, { kind: 'pglite', onStep });
      printGeneration(result.generation, result.outcomes, result.insight);
      t = await findTargets(run);
    } finally {
      await app.close();
    }
    describeTargets(t);
    result.ops = opsOf(t);
    result.icbId = t.icb.id;

    app = await openDatabase(database, { appRole: APP_ROLE });
    let warmingMs = 0;
    try {
      if (!OPS) await inProcess(result, app, t, PLAN_LINES.pglite);
      warmingMs = await timeWarming(app);
      say(`  the report warming job, one run in this process: ${fmt.s(warmingMs)}`);
    } finally {
      await app.close();
    }
    say('  then the API, the server started on the same folder:');
    await measureApi(result, 'PGlite', childEnv({ LINKWORK_DATA_DIR: dataDir }), cleanups, warmingMs);
  } catch (err) {
    result.error = errorText(err);
    say(`  FAILED: ${result.error}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Summary

type Mark = boolean | undefined;
const markOf = (ok: Mark) => (ok === undefined ? '·' : ok ? '✓' : '✗');
const pair = (l: Latency) => `${fmt.ms(l.p50)} / ${fmt.ms(l.p95)} ms`;

interface Row {
  label: string;
  target: string;
  cell: (r: DbResult) => { text: string; ok: Mark } | undefined;
}

function rowsFor(ops: ApiOp[]): Row[] {
  const rows: Row[] = [
    {
      label: 'generation: pathway + measures + top-up',
      target: 'minutes',
      cell: (r) =>
        r.insight
          ? {
              text: `${r.generation ? fmt.s(r.generation.ms) : '–'} + ${r.outcomes ? fmt.s(r.outcomes.ms) : '–'} + ${fmt.s(r.insight.ms)}`,
              ok: undefined,
            }
          : undefined,
    },
  ];
  const measureOf = (r: DbResult, op: ApiOp) => r.measures.get(op.key);
  for (const op of ops) {
    if (op.targetP95 !== undefined) {
      const target = op.targetP95;
      rows.push({
        label: `${op.short}, ${CONNECTIONS} conns p50 / p95`,
        target: `p95 ≤ ${fmt.int(target)} ms`,
        cell: (r) => {
          const m = measureOf(r, op);
          if (!m) return undefined;
          if (m.notAvailable) return { text: 'not there yet', ok: undefined };
          if (!m.api) return m.apiError ? { text: 'no answer', ok: false } : undefined;
          return { text: pair(m.api), ok: m.api.p95 <= target };
        },
      });
    }
    rows.push({
      label: `${op.short}, one at a time`,
      target:
        op.targetP95 === undefined ? `p95 ≤ ${fmt.int(TARGET.oneFactorMs)} ms (one at a time)` : 'p50 / p95',
      cell: (r) => {
        const m = measureOf(r, op);
        if (!m) return undefined;
        if (m.notAvailable) return { text: 'not there yet', ok: undefined };
        if (!m.apiOne) return m.apiError ? { text: 'no answer', ok: false } : undefined;
        return {
          text: pair(m.apiOne),
          ok: op.targetP95 === undefined ? m.apiOne.p95 <= TARGET.oneFactorMs : undefined,
        };
      },
    });
  }
  rows.push({
    label: 'operational report in process (no cache)',
    target: 'statements, ms',
    cell: (r) => {
      const o = r.operationalInProcess;
      if (o === undefined) return undefined;
      if (typeof o === 'string')
        return { text: o.startsWith('not there') ? 'not there yet' : 'failed', ok: undefined };
      return { text: `${o.statements}, ${fmt.ms(o.ms)} ms`, ok: undefined };
    },
  });
  for (const [key, what] of [
    ['operational', 'operational CSV'],
    ['explorer', 'explorer CSV'],
  ] as const) {
    rows.push({
      label: `${what} ×${DOWNLOADS}: RSS before/peak/after`,
      target: `flat (peak ≤ before + ${FLAT_MB} MB)`,
      cell: (r) => {
        const d = r.downloads[key];
        if (d.notAvailable) return { text: 'not there yet', ok: undefined };
        if (!d.download) return d.error ? { text: 'failed', ok: false } : undefined;
        const x = d.download;
        return {
          text: `${x.beforeMb.toFixed(0)}/${Math.max(...x.peaksMb).toFixed(0)}/${x.afterMb.toFixed(0)} MB`,
          ok: isFlat(x),
        };
      },
    });
  }
  return rows;
}

function printSummary(postgres: DbResult | undefined, pglite: DbResult | undefined) {
  const W = { label: 54, col: 26 };
  const ops = (postgres?.ops.length ? postgres : pglite)?.ops ?? [];
  const cell = (r: DbResult | undefined, row: Row) => {
    if (!r) return 'skipped';
    const c = row.cell(r);
    if (!c) return r.error ? 'failed' : '–';
    return `${c.text} ${markOf(c.ok)}`;
  };
  say();
  say('Summary');
  say(`${''.padEnd(W.label)}${'PostgreSQL'.padEnd(W.col)}${'PGlite (a tenth)'.padEnd(W.col)}target`);
  for (const row of rowsFor(ops)) {
    say(
      `${row.label.padEnd(W.label)}${cell(postgres, row).padEnd(W.col)}${cell(pglite, row).padEnd(W.col)}${row.target}`,
    );
  }
  say();
  say('✓ target met   ✗ target missed   · no target (the targets are for PostgreSQL at full volume)');
  for (const r of [postgres, pglite]) {
    if (!r) continue;
    say(`${r.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${describeVolumes(r.volumes)}.`);
    for (const op of r.ops) {
      if (r.measures.get(op.key)?.notAvailable) say(`  ${op.label}: not there yet (404, no such route).`);
    }
    for (const d of [r.downloads.operational, r.downloads.explorer]) {
      if (d.download) say(`  ${d.download.path}: ${kb(d.download.bytes)}, ${d.download.framing}.`);
    }
    if (r.error) say(`  failed: ${r.error}`);
  }
  say(
    `API: client-side latency, exact percentiles over every 2xx response, ${CONNECTIONS} connections, ` +
      `${LOAD_SECONDS} s after ${WARMUP_SECONDS} s warm-up; "one at a time": ${SEQUENTIAL_RUNS} requests in ` +
      `sequence after ${SEQUENTIAL_WARMUPS} unmeasured. Operational report: "same" asks for the last 12 complete ` +
      'months every time (the server keeps a computed report for up to 10 minutes, so after the first request it ' +
      `reads what it kept); "cold" asks for a year ending a different day each request, ${COLD_PERIODS} in turn ` +
      '(more than the 100 reports it keeps), so none is kept whole: each is added up from the months kept a while ' +
      '(10 minutes), reading those no earlier period read (its part months day by day); the CSV downloads are ' +
      'cold too. ' +
      'Explorer: UCLA-3 total, baselines in the last year, for the ' +
      `whole ICB as its commissioner; "9–12 months" is the long-term follow-up, which few of the last year's ` +
      `baselines have reached; its "cold" tables (a year ending a different day each request) are added up from ` +
      `the question's months the server keeps a while (5 minutes), each read whole by baseline day by the first ` +
      `period over it (a table's first request reads them all); the model is fitted afresh. In process: the services called here as the app role with the same tenant setting, ` +
      `every statement they send captured and timed (the second of two runs). Memory: the server's VmRSS sampled ` +
      `every ${RSS_SAMPLE_MS} ms while ${DOWNLOADS} downloads run at once, ${DOWNLOAD_ROUNDS} rounds; flat means ` +
      `the peak stays within ${FLAT_MB} MB of the RSS before and the later half of the rounds' highest peak within ` +
      `${FLAT_MB / 4} MB of the earlier half's. The load generator, the server and the database share this machine's ` +
      `${os.availableParallelism()} CPUs (see the load averages above).`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  bundle = await bundleServer(BUNDLE_DIR);
  const started = performance.now();
  const cleanups: Cleanup[] = [];
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the server and removing the throw-away data …`);
      void runCleanups(cleanups).then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  say(
    `Linkwork insight benchmark — node ${process.version}, ${os.availableParallelism()} CPUs, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GB, load average ${loadAverage()} at start, scale ${SCALE}`,
  );
  let postgres: DbResult | undefined;
  let pglite: DbResult | undefined;
  try {
    if (ONLY !== 'pglite') postgres = await runPostgres(cleanups);
    await runCleanups(cleanups);
    if (ONLY !== 'postgres') pglite = await runPglite(cleanups);
  } finally {
    await runCleanups(cleanups);
  }
  printSummary(postgres, pglite);
  say(`\nBenchmark took ${fmt.s(performance.now() - started)}.`);
  const measured = (r: DbResult | undefined) =>
    r !== undefined && [...r.measures.values()].some((m) => m.apiOne !== undefined || m.api !== undefined);
  return measured(postgres) || measured(pglite) ? 0 : 1;
}

process.exitCode = await main();
