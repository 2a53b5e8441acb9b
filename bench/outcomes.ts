// Outcome measures benchmark: `npm run bench:outcomes`.
//
// Builds on the pathway benchmark's national-scale dataset (bench/pathway-generate.ts: 40 PCNs under one ICB,
// 1,000,000 referrals, ≈ 5,000,000 contacts …) and adds ≈ 2,000,000 completed outcome measures
// (bench/outcomes-generate.ts: baseline, discharge and follow-up UCLA-3 + ONS4, with consent to follow-up recorded
// at discharge). Then it starts the real server (bundled as `npm start` runs it, into .tmp/bench-outcomes/, not
// dist/) on that data and measures, 16 connections for 20 s after a 2 s warm-up, exact percentiles over every 2xx
// response, and one request at a time:
//   - the service-level change table, GET /api/outcomes/change (UCLA-3, the last year), signed in as the ICB's
//     commissioner, for the whole ICB and filtered to one PCN;
//   - the due-measures list of a link worker's caseload, GET /api/outcomes/due (the link worker the pathway
//     benchmark measures: the most open episodes in its PCN);
//   - beside the change table, the bench's own reference SQL for its core (pair each episode's latest baseline
//     with its later measures, sums per score and comparison) on the database directly, and its EXPLAIN
//     (ANALYZE, BUFFERS); beside the due list, the statement it runs;
//   - the self-completion page's first load: a link made through POST /api/referrals/:id/completion-links, its
//     /r/<token> page opened in headless Chromium (phone-sized, fresh profile), and every JavaScript response
//     gzipped here (level 9) and summed.
// Then the same on the embedded database (PGlite) at a tenth of the volume. It prints figures beside their targets
// and never fails on a missed target; an endpoint that is not there yet is reported as such. It exits non-zero
// only when it could not measure anything at all.
//
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a server and a
// database to connect to for administration; a throw-away database is made beside it and dropped at the end. The
// caller's DATABASE_URL is never read or changed.
//
// Knobs: BENCH_SCALE=0.01 (a hundredth of the volume; PGlite gets a tenth of that), BENCH_ONLY=postgres|pglite,
// BENCH_LOAD_SECONDS / BENCH_WARMUP_SECONDS, BENCH_KEEP=1 (keep the PostgreSQL database, named in the output,
// instead of dropping it), BENCH_WEB_BUILD=0 (use web/dist as it is instead of
// `npm run build:web`; without a built web app the page is not measured).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, constants as zlib } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { build } from 'esbuild';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { type Database, openDatabase, rowsOf } from '../src/db/client.ts';
import { demoPassword, seedDemo } from '../src/db/seed/demo.ts';
import { instrumentDefinition } from '../src/modules/outcomes/definition.ts';
import { SHIPPED_INSTRUMENTS, UCLA3 } from '../src/modules/outcomes/instruments.ts';
import { changeReportStatement, reportedMeasures } from '../src/modules/outcomes/report.ts';
import { caseloadDueStatement } from '../src/modules/outcomes/schedule.ts';
import { ensureShippedInstruments } from '../src/modules/outcomes/service.ts';
import { webDist } from '../src/platform/paths.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { londonDate } from '../src/platform/working-days.ts';
import { type GeneratedOutcomes, generateOutcomes } from './outcomes-generate.ts';
import {
  type Generated,
  generateDataset,
  MEASURED_PCN,
  type RunSql,
  type Volumes,
  volumesAt,
} from './pathway-generate.ts';
import {
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
  stopChild,
  throwAwayDatabase,
  WARMUP_SECONDS,
  waitReady,
} from './pathway-harness.ts';
import type { RawQuery } from './pathway-queries.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ONLY = process.env.BENCH_ONLY;
const WEB_BUILD = process.env.BENCH_WEB_BUILD !== '0';
/** Keep the PostgreSQL database (its name is printed) instead of dropping it, to study its plans afterwards. */
const KEEP = process.env.BENCH_KEEP === '1';
/** BENCH_REUSE=<database> measures a database an earlier BENCH_KEEP=1 run generated (no generation, kept). */
const REUSE = process.env.BENCH_REUSE;
const APP_ROLE = 'linkwork_app';
const CHROMIUM = '/usr/bin/chromium';
const COMMISSIONER = 'commissioner@demo.linkwork.example';
const DEMO_ICB_ODS = 'QZZ';
const INSTRUMENT = 'ucla3';
const TARGET = { icbP95Ms: 1000, pcnP95Ms: 300, dueP95Ms: 20, pageJsKb: 150 };
const PLAN_LINES = 40;
/** Under load, a PCN of the ICB has new data this often (BENCH_CHURN_MS): the kept sums go stale and are redone. */
const CHURN_MS = Number(process.env.BENCH_CHURN_MS ?? 1000);

type Op = 'changeIcb' | 'changePcn' | 'due';
const OPS: Op[] = ['changeIcb', 'changePcn', 'due'];
const OP_LABEL: Record<Op, string> = {
  changeIcb: 'GET /api/outcomes/change, the ICB, a year (commissioner)',
  changePcn: 'GET /api/outcomes/change, one PCN, a year (commissioner)',
  due: 'GET /api/outcomes/due (link worker)',
};
/** One request at a time, this many in a row (after 10 unmeasured): fewer for the heavy report. */
const SEQUENTIAL_RUNS: Record<Op, number> = { changeIcb: 20, changePcn: 50, due: 100 };
const TARGET_P95: Record<Op, number> = {
  changeIcb: TARGET.icbP95Ms,
  changePcn: TARGET.pcnP95Ms,
  due: TARGET.dueP95Ms,
};

interface Measure {
  api?: Load;
  apiOne?: Latency;
  /** The change table when its data moved before each request (cold: no kept sums), one at a time. */
  apiOneChanged?: Latency;
  /** The change table under load while a PCN's data changes every CHURN_MS. */
  apiChanging?: Load;
  rawOne?: Latency;
  /** The endpoint answered "there is no API at …": not written (or not registered) yet. */
  notAvailable?: boolean;
  apiError?: string;
  /** What the probe request answered, in a few words. */
  probe?: string;
}

interface PageWeight {
  scripts: number;
  jsBytes: number;
  jsGzipBytes: number;
  cssGzipBytes: number;
  /** Content-Encoding the server sent scripts with ('none' when it sent them as they are). */
  encodings: string;
  heading: string;
}

interface DbResult {
  kind: 'postgres' | 'pglite';
  volumes: Volumes;
  generation?: Generated;
  outcomes?: GeneratedOutcomes;
  measures: Record<Op, Measure>;
  page?: PageWeight;
  pageNote?: string;
  error?: string;
}

const emptyMeasures = (): Record<Op, Measure> => ({ changeIcb: {}, changePcn: {}, due: {} });
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

// ---------------------------------------------------------------------------------------------------------------
// Who and what is measured, found in the generated data

interface Targets {
  /** The tenant scope, and the PCNs in it (what the report reads: episodes belong to PCNs). */
  icb: { id: string; scope: string[]; pcnIds: string[] };
  pcn: { id: string; scope: string[]; pcnIds: string[] };
  linkWorker: { id: string; email: string; open: number };
  /** An open episode of that link worker, for a self-completion link. */
  linkEpisodeId: string | undefined;
  from: string;
  to: string;
  /** Episodes with a complete baseline of the instrument in the period: all of the ICB's, and the PCN's. */
  baselines: { icb: number; pcn: number };
}

async function findTargets(run: RunSql): Promise<Targets> {
  const one = async (text: string) => {
    const [row] = await run(text);
    if (!row) throw new Error(`nothing found for: ${text}`);
    return row;
  };
  const scopeOf = async (id: string) =>
    (
      await run(`
        WITH RECURSIVE sub (id) AS (
          SELECT id FROM organisations WHERE id = '${id}'
          UNION ALL SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id)
        SELECT id FROM sub ORDER BY id`)
    ).map((r) => String(r.id));
  const pcnsIn = async (scope: string[]) =>
    (
      await run(`SELECT id FROM organisations WHERE type = 'pcn'
        AND id IN (${scope.map((id) => `'${id}'`).join(', ')}) ORDER BY id`)
    ).map((r) => String(r.id));
  const icbId = String((await one(`SELECT id FROM organisations WHERE ods_code = '${DEMO_ICB_ODS}'`)).id);
  const pcnOds = `U9${String(MEASURED_PCN).padStart(4, '0')}`;
  const pcnId = String((await one(`SELECT id FROM organisations WHERE ods_code = '${pcnOds}'`)).id);
  // The link worker bench/pathway.ts measures: the most open episodes in the measured PCN.
  const lw = await one(`
    SELECT u.id, u.email, count(*)::int AS open FROM referrals r JOIN users u ON u.id = r.allocated_link_worker_id
    WHERE r.organisation_id = '${pcnId}' AND r.status = 'accepted'
    GROUP BY u.id, u.email ORDER BY open DESC, u.email LIMIT 1`);
  const [episode] = await run(`
    SELECT r.id FROM referrals r
    WHERE r.organisation_id = '${pcnId}' AND r.allocated_link_worker_id = '${String(lw.id)}' AND r.status = 'accepted'
    ORDER BY EXISTS (SELECT 1 FROM outcome_responses o WHERE o.referral_id = r.id), r.id LIMIT 1`);
  const to = londonDate(new Date());
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const icbScope = await scopeOf(icbId);
  const pcnScope = await scopeOf(pcnId);
  const baselinesIn = async (scope: string[]) =>
    Number(
      (
        await one(`
          SELECT count(DISTINCT referral_id)::int AS n FROM outcome_responses
          WHERE instrument_code = '${INSTRUMENT}' AND timepoint = 'baseline' AND status = 'complete'
            AND NOT superseded AND completed_on BETWEEN '${from}' AND '${to}'
            AND organisation_id IN (${scope.map((id) => `'${id}'`).join(', ')})`)
      ).n,
    );
  return {
    icb: { id: icbId, scope: icbScope, pcnIds: await pcnsIn(icbScope) },
    pcn: { id: pcnId, scope: pcnScope, pcnIds: await pcnsIn(pcnScope) },
    linkWorker: { id: String(lw.id), email: String(lw.email), open: Number(lw.open) },
    linkEpisodeId: episode ? String(episode.id) : undefined,
    from,
    to,
    baselines: { icb: await baselinesIn(icbScope), pcn: await baselinesIn(pcnScope) },
  };
}

function describeTargets(t: Targets) {
  say(
    `  measured: ${INSTRUMENT} change ${t.from} to ${t.to} for the ICB (${fmt.int(t.baselines.icb)} episodes with a ` +
      `baseline in the period, tenant scope ${t.icb.scope.length} organisations) and for PCN ${MEASURED_PCN} ` +
      `(${fmt.int(t.baselines.pcn)}), signed in as ${COMMISSIONER}`,
  );
  say(`  due list: ${t.linkWorker.email} with ${t.linkWorker.open} open episodes`);
}

// ---------------------------------------------------------------------------------------------------------------
// Raw SQL beside the API

/**
 * The change table's statement as the app runs it (report.ts's changeReportStatement over the pair table
 * outcome_changes), for the PCNs in scope and the period, unfiltered: rows of kind 'pair' (per measure and
 * comparison), 'reach' and 'episodes'.
 */
export function changeSql(instrument: string, pcnIds: string[], from: string, to: string): RawQuery {
  const definition = instrumentDefinition.parse(
    SHIPPED_INSTRUMENTS.find((i) => i.code === instrument) ?? UCLA3,
  );
  const q = new PgDialect().sqlToQuery(
    changeReportStatement({
      code: instrument,
      measures: reportedMeasures(definition),
      pcnIds,
      from,
      to,
      today: londonDate(new Date()),
    }),
  );
  return { text: q.sql, params: q.params };
}

/**
 * The statement GET /api/outcomes/due runs: the link worker's open and recently discharged episodes with what each
 * has done (the app's own statement, caseloadDueStatement).
 */
function dueSql(organisationId: string, linkWorkerId: string): RawQuery {
  const today = londonDate(new Date());
  const day = (d: string, days: number) =>
    new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const monthsAgo = (months: number) => {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - months);
    return d.toISOString().slice(0, 10);
  };
  const q = new PgDialect().sqlToQuery(
    caseloadDueStatement(organisationId, linkWorkerId, day(today, -56), day(monthsAgo(12), -28)),
  );
  return { text: q.sql, params: q.params };
}

type Exec = (q: RawQuery) => Promise<Record<string, unknown>[]>;

/** The raw work for an operation, on a connection already set to the operation's tenant scope. */
function rawOp(op: Op, exec: Exec, t: Targets): () => Promise<unknown> {
  switch (op) {
    case 'changeIcb':
      return () => exec(changeSql(INSTRUMENT, t.icb.pcnIds, t.from, t.to));
    case 'changePcn':
      return () => exec(changeSql(INSTRUMENT, t.pcn.pcnIds, t.from, t.to));
    case 'due': {
      const due = dueSql(t.pcn.id, t.linkWorker.id);
      return () => exec(due);
    }
  }
}

const scopeOfOp = (op: Op, t: Targets) => (op === 'changeIcb' ? t.icb.scope : t.pcn.scope);

async function printPlans(
  exec: (scope: string[], q: RawQuery) => Promise<Record<string, unknown>[]>,
  t: Targets,
  lines: number,
) {
  const plans: [string, string[], RawQuery][] = [
    ['change table core, the ICB, a year', t.icb.scope, changeSql(INSTRUMENT, t.icb.pcnIds, t.from, t.to)],
    ['change table core, one PCN, a year', t.pcn.scope, changeSql(INSTRUMENT, t.pcn.pcnIds, t.from, t.to)],
  ];
  for (const [what, scope, q] of plans) {
    say(`  EXPLAIN (ANALYZE, BUFFERS) raw ${what}:`);
    try {
      const rows = await exec(scope, { text: `EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, params: q.params });
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
    } catch (err) {
      say(`    failed: ${errorText(err)}`);
    }
  }
}

async function measureRawOne(result: DbResult, op: Op, exec: Exec, t: Targets) {
  try {
    if (op !== 'due') {
      const pcnIds = op === 'changeIcb' ? t.icb.pcnIds : t.pcn.pcnIds;
      const rows = await exec(changeSql(INSTRUMENT, pcnIds, t.from, t.to));
      // The first measure (idx 1) is the instrument's first score, ucla3_total.
      const discharge = rows.find((r) => r.kind === 'pair' && r.comparison === 'discharge' && r.idx === 1);
      const episodes = rows.find((r) => r.kind === 'episodes');
      const n = Number(discharge?.n ?? 0);
      say(
        `    raw SQL: ${String(episodes?.n ?? 0)} episodes with a baseline; ucla3_total baseline → discharge ` +
          `n ${n}, mean change ${n ? (Number(discharge!.sum_change) / n).toFixed(2) : '–'}`,
      );
    }
    const n = SEQUENTIAL_RUNS[op];
    const one = await sequential(rawOp(op, exec, t), n);
    result.measures[op].rawOne = one;
    say(`    raw SQL one at a time (${n}): p50 ${fmt.ms(one.p50)} ms, p95 ${fmt.ms(one.p95)} ms`);
  } catch (err) {
    say(`    raw SQL not measured: ${errorText(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The server, bundled beside the repository (not into dist/, which other work uses)

const BUNDLE_DIR = path.join(root, '.tmp', 'bench-outcomes');
const BUNDLE = path.join(BUNDLE_DIR, 'main.js');

/** The server as scripts/build-server.mjs bundles it, written where node_modules and migrations/ are found. */
async function bundleServer(): Promise<void> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  });
}

/** Servers still running, so that even an abrupt exit does not leave them behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGTERM');
});

/** The bundled server as `npm start` runs it (the flags it gives node), as a child process. */
function startServer(label: string, env: NodeJS.ProcessEnv): Child {
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, ['--max-semi-space-size=4', BUNDLE], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`Could not start ${label}`);
  running.add(proc);
  let output = '';
  const child: Child = {
    label,
    proc,
    pid: proc.pid,
    spawnedAt,
    exitCode: undefined,
    exited: new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        running.delete(proc);
        child.exitCode = code ?? (signal ? -1 : null);
        resolve();
      });
    }),
    tail: () => {
      const lines = output.trim().split('\n');
      return lines.length <= 16
        ? lines.join('\n')
        : [...lines.slice(0, 8), '  …', ...lines.slice(-6)].join('\n');
    },
  };
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  return child;
}

// ---------------------------------------------------------------------------------------------------------------
// The API under load

interface Sessions {
  commissioner: Session;
  linkWorker: Session;
}

function httpSpec(op: Op, base: string, s: Sessions, t: Targets): HttpLoadSpec {
  const change = (organisationId: string) =>
    `${base}/api/outcomes/change?instrument=${INSTRUMENT}&from=${t.from}&to=${t.to}&organisationId=${organisationId}`;
  switch (op) {
    case 'changeIcb':
      return { url: change(t.icb.id), headers: { cookie: s.commissioner.cookie } };
    case 'changePcn':
      return { url: change(t.pcn.id), headers: { cookie: s.commissioner.cookie } };
    case 'due':
      return { url: `${base}/api/outcomes/due`, headers: { cookie: s.linkWorker.cookie } };
  }
}

/** An API route the server does not have answers 404 with this detail (apiNotFound in src/platform/problem.ts). */
const NO_ROUTE = /^There is no API at /;

/**
 * One request before the load. Returns what the answer describes, or undefined when the route is not there (yet);
 * throws on any other answer but 2xx.
 */
async function probe(op: Op, spec: HttpLoadSpec): Promise<string | undefined> {
  const res = await fetch(spec.url, { headers: spec.headers });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: described by its size below
  }
  if (res.status === 404 && NO_ROUTE.test(String(body.detail ?? ''))) return undefined;
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`GET ${new URL(spec.url).pathname} answered ${res.status}: ${text.slice(0, 300)}`);
  }
  const size = `${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;
  if (op === 'due' && Array.isArray(body.items)) {
    const items = body.items as { status?: string; timepoint?: string }[];
    const overdue = items.filter((i) => i.status === 'overdue').length;
    const timepoints = new Map<string, number>();
    for (const i of items) timepoints.set(i.timepoint ?? '?', (timepoints.get(i.timepoint ?? '?') ?? 0) + 1);
    return (
      `${items.length} measures due or overdue (${overdue} overdue; ` +
      `${[...timepoints].map(([k, n]) => `${n} ${k.replaceAll('_', ' ')}`).join(', ')}), ${size}`
    );
  }
  if (op !== 'due' && Array.isArray(body.rows)) {
    // The report's own figures for the first score from baseline to discharge, to set beside the raw SQL's.
    const rows = body.rows as {
      measure?: { code?: string };
      comparison?: string;
      change?: {
        n?: number | null;
        meanChange?: number | null;
        ci95?: { lower: number; upper: number } | null;
      };
    }[];
    const first = rows.find((r) => r.comparison === 'discharge');
    const episodes = (body.episodes as { value?: number | null } | undefined)?.value;
    const c = first?.change;
    const ci = c?.ci95 ? ` (95% CI ${c.ci95.lower.toFixed(2)} to ${c.ci95.upper.toFixed(2)})` : '';
    return (
      `${episodes ?? '?'} episodes with a baseline, ${rows.length} rows; ${first?.measure?.code ?? '?'} baseline → ` +
      `discharge n ${c?.n ?? 'suppressed'}, mean change ${c?.meanChange?.toFixed(2) ?? '–'}${ci}; ${size}`
    );
  }
  return `answered ${res.status}, ${size}${Array.isArray(body.items) ? `, ${body.items.length} items` : ''}`;
}

async function measureApi(
  result: DbResult,
  label: string,
  env: NodeJS.ProcessEnv,
  t: Targets,
  cleanups: Cleanup[],
  /** Called after the API of each operation (PostgreSQL runs its raw SQL there). */
  after?: (op: Op) => Promise<void>,
  page?: { measure: boolean },
  /** Moves a PCN's outcome_change_versions counter, as any write to its measures does (PostgreSQL only). */
  bump?: (organisationId: string) => Promise<void>,
) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = startServer(`${label} server`, { ...env, PORT: String(port), PUBLIC_URL: base });
  cleanups.push(() => stopChild(child));
  try {
    const readyMs = await waitReady(child, `${base}/health/ready`);
    say(`  server ready in ${fmt.s(readyMs)} on the generated data`);
    const sessions: Sessions = {
      commissioner: await signIn(base, COMMISSIONER, demoPassword),
      linkWorker: await signIn(base, t.linkWorker.email, demoPassword),
    };
    for (const op of OPS) {
      const m = result.measures[op];
      const spec = httpSpec(op, base, sessions, t);
      say(`  ${OP_LABEL[op]}`);
      try {
        const described = await probe(op, spec);
        if (described === undefined) {
          m.notAvailable = true;
          say(`    not available yet: the server has no ${new URL(spec.url).pathname} (answered 404)`);
        } else {
          m.probe = described;
          say(`    probe: ${described}`);
          const n = SEQUENTIAL_RUNS[op];
          m.apiOne = await sequential(httpOnce(spec), n);
          say(
            `    API one request at a time (${n}): p50 ${fmt.ms(m.apiOne.p50)} ms, p95 ${fmt.ms(m.apiOne.p95)} ms`,
          );
          say(
            `    API under load, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s + ${LOAD_SECONDS} s ` +
              `(load average ${loadAverage()}) …`,
          );
          m.api = await httpLoad(spec);
          say(`      ${describeLoad(m.api)}`);
          if (bump && op !== 'due') {
            // The table keeps its sums while the data is unchanged (report.ts): measure it when it has not.
            const pcns = op === 'changeIcb' ? t.icb.pcnIds : t.pcn.pcnIds;
            let k = 0;
            const churn = () => bump(pcns[k++ % pcns.length]!);
            const once = httpOnce(spec);
            m.apiOneChanged = await sequential(async () => {
              await churn();
              await once();
            }, n);
            say(
              `    API one at a time, a PCN's data changed before each (${n}): ` +
                `p50 ${fmt.ms(m.apiOneChanged.p50)} ms, p95 ${fmt.ms(m.apiOneChanged.p95)} ms`,
            );
            say(`    API under load while a PCN's data changes every ${CHURN_MS} ms …`);
            let stop = false;
            const churning = (async () => {
              while (!stop) {
                await churn();
                await new Promise((r) => setTimeout(r, CHURN_MS));
              }
            })();
            try {
              m.apiChanging = await httpLoad(spec);
            } finally {
              stop = true;
              await churning;
            }
            say(`      ${describeLoad(m.apiChanging)}`);
          }
        }
      } catch (err) {
        m.apiError = errorText(err);
        say(`    API not measured: ${m.apiError}`);
      }
      await after?.(op);
    }
    if (page?.measure) {
      say('  self-completion page, first load in Chromium:');
      try {
        const measured = await measurePage(base, sessions.linkWorker, t.linkEpisodeId);
        if (typeof measured === 'string') {
          result.pageNote = measured;
          say(`    not measured: ${measured}`);
        } else {
          result.page = measured;
          say(
            `    ${measured.scripts} scripts, ${kb(measured.jsBytes)} KB of JavaScript, ${kb(measured.jsGzipBytes)} KB ` +
              `gzipped (level 9, here); CSS ${kb(measured.cssGzipBytes)} KB gzipped; the server sent scripts ` +
              `with content-encoding ${measured.encodings}; the page's heading: “${measured.heading}”`,
          );
        }
      } catch (err) {
        result.pageNote = `failed: ${errorText(err)}`;
        say(`    ${result.pageNote}`);
      }
    }
  } finally {
    await stopChild(child);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The self-completion page

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const gzipped = (body: Buffer) => gzipSync(body, { level: zlib.Z_BEST_COMPRESSION }).length;

/**
 * Makes a self-completion link as the link worker and opens it in a fresh headless Chromium, phone-sized; sums every
 * JavaScript (and, for the record, CSS) response of the first load, gzipped here. Returns why when it cannot.
 */
async function measurePage(
  base: string,
  linkWorker: Session,
  episodeId: string | undefined,
): Promise<PageWeight | string> {
  if (!existsSync(CHROMIUM))
    return `no Chromium at ${CHROMIUM} (apt-get install -y chromium; npm test does it)`;
  if (!episodeId) return 'the link worker has no open episode to make a link for';
  const res = await fetch(`${base}/api/referrals/${episodeId}/completion-links`, {
    method: 'POST',
    headers: {
      cookie: linkWorker.cookie,
      'x-csrf-token': linkWorker.csrfToken,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ timepoint: 'baseline' }),
  });
  const text = await res.text();
  let body: { token?: string; url?: string; detail?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // described below
  }
  if (res.status === 404 && NO_ROUTE.test(body.detail ?? '')) {
    return 'not available yet: the server has no POST /api/referrals/:id/completion-links';
  }
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(`POST /api/referrals/:id/completion-links answered ${res.status}: ${text.slice(0, 300)}`);
  }
  if (!existsSync(path.join(webDist, 'index.html'))) {
    return (
      `a link was made (POST answered ${res.status}) but the web app is not built ` +
      `(${path.relative(root, webDist)}): run without BENCH_WEB_BUILD=0`
    );
  }
  const pagePath = body.url ? new URL(body.url).pathname : body.token ? `/r/${body.token}` : undefined;
  if (!pagePath) throw new Error(`the new link has neither url nor token: ${text.slice(0, 200)}`);

  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'linkwork-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const sizes: Promise<{ kind: 'js' | 'css'; raw: number; gz: number; encoding: string }>[] = [];
    page.on('response', (response) => {
      const type = response.request().resourceType();
      const contentType = response.headers()['content-type'] ?? '';
      const kind: 'js' | 'css' | undefined =
        type === 'script' || /javascript/.test(contentType)
          ? 'js'
          : type === 'stylesheet' || /text\/css/.test(contentType)
            ? 'css'
            : undefined;
      if (!kind) return;
      const encoding = response.headers()['content-encoding'] ?? 'none';
      // The body as the page received it, decoded: gzipped here the same way whatever the server sent.
      sizes.push(
        response
          .body()
          .then((b) => ({ kind, raw: b.length, gz: gzipped(b), encoding }))
          .catch(() => ({ kind, raw: 0, gz: 0, encoding })),
      );
    });
    const answer = await page.goto(`${base}${pagePath}`, { waitUntil: 'networkidle', timeout: 60_000 });
    if (answer?.status() !== 200) throw new Error(`${pagePath} answered ${answer?.status()}`);
    const heading = (
      await page
        .locator('h1')
        .first()
        .textContent({ timeout: 10_000 })
        .catch(() => null)
    )?.trim();
    const all = await Promise.all(sizes);
    const js = all.filter((s) => s.kind === 'js');
    return {
      scripts: js.length,
      jsBytes: js.reduce((n, s) => n + s.raw, 0),
      jsGzipBytes: js.reduce((n, s) => n + s.gz, 0),
      cssGzipBytes: all.filter((s) => s.kind === 'css').reduce((n, s) => n + s.gz, 0),
      encodings: [...new Set(js.map((s) => s.encoding))].join(', ') || 'none',
      heading: heading ?? '(no h1)',
    };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generation

function printGeneration(g: Generated, o: GeneratedOutcomes) {
  say(
    `  pathway generated in ${fmt.s(g.ms)}: ${Object.entries(g.counts)
      .filter(([k]) => !k.startsWith('referrals:'))
      .map(([k, n]) => `${k} ${fmt.int(n)}`)
      .join(', ')}`,
  );
  say(
    `  outcome measures generated in ${fmt.s(o.ms)}: ${fmt.int(o.counts.outcome_responses ?? 0)} responses`,
  );
  say(
    `    ${Object.entries(o.counts)
      .filter(([k]) => k !== 'outcome_responses')
      .map(([k, n]) => `${k} ${fmt.int(n)}`)
      .join(', ')}`,
  );
  if (o.meanUcla3Change !== null) {
    say(
      `    mean UCLA-3 change baseline → discharge ${o.meanUcla3Change.toFixed(2)} over ${fmt.int(o.pairedUcla3)} ` +
        'paired episodes',
    );
  }
}

const onStep = (name: string, ms: number) => say(`    ${fmt.s(ms).padStart(8)}  ${name}`);

const describeVolumes = (v: Volumes) =>
  `${v.pcns} PCNs, ${v.pcns * v.linkWorkersPerPcn} link workers, ${fmt.int(v.people)} people, ` +
  `${fmt.int(v.referrals)} referrals, ≈ ${fmt.int(v.contacts)} contacts, ≈ ${fmt.int(2 * v.referrals)} outcome measures`;

/** Migrations, the demo seed and the shipped instruments, through the app's own code. */
async function prepare(app: Database) {
  const now = new Date();
  await seedDemo(app.db, now);
  await inTransaction(app.db, { system: true, now }, (tx) => ensureShippedInstruments(tx, now));
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

async function runPostgres(cleanups: Cleanup[], measurePageHere: boolean): Promise<DbResult | undefined> {
  const volumes = volumesAt(SCALE);
  const result: DbResult = { kind: 'postgres', volumes, measures: emptyMeasures() };
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = REUSE ?? `linkwork_bench_outcomes_${Date.now()}`;
  say(`\nPostgreSQL server, throw-away database ${dbName}`);
  const dbUrl = await throwAwayDatabase({
    adminUrl,
    dbName,
    keep: KEEP,
    reuse: !!REUSE,
    cleanups,
  });
  if (!dbUrl) return undefined;
  try {
    if (!REUSE) {
      say('  migrations, the demo seed and the shipped instruments …');
      const app = await openDatabase({ kind: 'postgres', url: dbUrl }, { appRole: APP_ROLE });
      try {
        await prepare(app);
      } finally {
        await app.close();
      }
    }
    say(`  generating ${describeVolumes(volumes)} (set-based SQL, as the tables' owner) …`);
    const owner = new pg.Client({ connectionString: dbUrl });
    await owner.connect();
    let t: Targets;
    try {
      const run: RunSql = async (text) => (await owner.query(text)).rows;
      if (REUSE) say(`  BENCH_REUSE: measuring ${dbName} as generated by an earlier run`);
      else {
        result.generation = await generateDataset(run, volumes, { kind: 'postgres', onStep });
        result.outcomes = await generateOutcomes(run, { kind: 'postgres', onStep });
        printGeneration(result.generation, result.outcomes);
      }
      t = await findTargets(run);
    } finally {
      await owner.end();
    }
    describeTargets(t);

    // Raw SQL works as the app role with the tenant setting the app makes per transaction (row-level security on),
    // one connection per scope so that the setting stays put.
    const clients = new Map<string, pg.Client>();
    const clientFor = async (scope: string[]) => {
      const key = scope.join(',');
      let c = clients.get(key);
      if (!c) {
        c = new pg.Client({ connectionString: dbUrl, options: `-c role=${APP_ROLE}` });
        c.on('error', () => {});
        await c.connect();
        await c.query(`select set_config('linkwork.tenant_ids', $1, false)`, [key]);
        clients.set(key, c);
        const client = c;
        cleanups.push(() => client.end());
      }
      return c;
    };
    const execIn =
      (scope: string[]): Exec =>
      async (q) =>
        (await (await clientFor(scope)).query(q.text, q.params as unknown[])).rows as Record<
          string,
          unknown
        >[];

    // As the tables' owner, outside the server: what a write to a PCN's measures does to the change table's key.
    const bumper = new pg.Client({ connectionString: dbUrl });
    bumper.on('error', () => {});
    await bumper.connect();
    cleanups.push(() => bumper.end());
    await measureApi(
      result,
      'PostgreSQL',
      childEnv({ DATABASE_URL: dbUrl }),
      t,
      cleanups,
      (op) => measureRawOne(result, op, execIn(scopeOfOp(op, t)), t),
      { measure: measurePageHere },
      async (organisationId) => {
        await bumper.query(
          'UPDATE outcome_change_versions SET version = version + 1 WHERE organisation_id = $1',
          [organisationId],
        );
      },
    );
    await printPlans((scope, q) => execIn(scope)(q), t, PLAN_LINES);
  } catch (err) {
    result.error = errorText(err);
    say(`  FAILED: ${result.error}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// PGlite: one process's database, so generation and raw SQL run in this process while the server is stopped

async function runPglite(cleanups: Cleanup[], measurePageHere: boolean): Promise<DbResult> {
  const volumes = volumesAt(SCALE / 10);
  const result: DbResult = { kind: 'pglite', volumes, measures: emptyMeasures() };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkwork-bench-outcomes-'));
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
      printGeneration(result.generation, result.outcomes);
      t = await findTargets(run);
    } finally {
      await app.close();
    }
    describeTargets(t);

    say('  raw SQL first, in this process while no server holds the folder:');
    app = await openDatabase(database, { appRole: APP_ROLE });
    try {
      const execIn =
        (scope: string[]): Exec =>
        async (q) => {
          await app.db.execute(sql`select set_config('linkwork.tenant_ids', ${scope.join(',')}, false)`);
          return app.prepared<Record<string, unknown>>('bench', q.text, q.params);
        };
      for (const op of OPS) {
        say(`  ${OP_LABEL[op]}`);
        await measureRawOne(result, op, execIn(scopeOfOp(op, t)), t);
      }
      await printPlans((scope, q) => execIn(scope)(q), t, 16);
    } finally {
      await app.close();
    }

    say('  then the API, the server started on the same folder:');
    await measureApi(result, 'PGlite', childEnv({ LINKWORK_DATA_DIR: dataDir }), t, cleanups, undefined, {
      measure: measurePageHere,
    });
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

function rowsFor(): Row[] {
  const rows: Row[] = [
    {
      label: 'pathway + measures generation',
      target: 'minutes',
      cell: (r) =>
        r.generation && r.outcomes
          ? { text: `${fmt.s(r.generation.ms)} + ${fmt.s(r.outcomes.ms)}`, ok: undefined }
          : undefined,
    },
    {
      label: 'outcome measures',
      target: '≈ 2 per referral',
      cell: (r) => r.outcomes && { text: fmt.int(r.outcomes.counts.outcome_responses ?? 0), ok: undefined },
    },
  ];
  const name: Record<Op, string> = {
    changeIcb: 'change, ICB',
    changePcn: 'change, one PCN',
    due: 'due list',
  };
  for (const op of OPS) {
    rows.push({
      label: `${name[op]} API p50 / p95`,
      target: `p95 ≤ ${fmt.int(TARGET_P95[op])} ms`,
      cell: (r) => {
        const m = r.measures[op];
        if (m.notAvailable) return { text: 'not available yet', ok: undefined };
        if (!m.api) return m.apiError ? { text: 'no answer', ok: false } : undefined;
        return { text: pair(m.api), ok: m.api.p95 <= TARGET_P95[op] };
      },
    });
    if (op !== 'due') {
      rows.push({
        label: `${name[op]} API, data changing`,
        target: `p95 ≤ ${fmt.int(TARGET_P95[op])} ms`,
        cell: (r) => {
          const m = r.measures[op];
          return m.apiChanging
            ? { text: pair(m.apiChanging), ok: m.apiChanging.p95 <= TARGET_P95[op] }
            : undefined;
        },
      });
      rows.push({
        label: `${name[op]} one at a time, changed`,
        target: 'p50 / p95',
        cell: (r) => {
          const m = r.measures[op];
          return m.apiOneChanged ? { text: pair(m.apiOneChanged), ok: undefined } : undefined;
        },
      });
    }
    rows.push({
      label: `${name[op]} one at a time p50`,
      target: 'API / raw SQL',
      cell: (r) => {
        const m = r.measures[op];
        if (!m.apiOne && !m.rawOne) return undefined;
        const v = (l?: Latency) => (l ? fmt.ms(l.p50) : '–');
        return { text: `${v(m.apiOne)} / ${v(m.rawOne)} ms`, ok: undefined };
      },
    });
  }
  rows.push({
    label: 'self-completion page JS (gz)',
    target: `≤ ${TARGET.pageJsKb} KB`,
    cell: (r) => {
      if (r.page) {
        const k = r.page.jsGzipBytes / 1024;
        return { text: `${k.toFixed(1)} KB`, ok: k <= TARGET.pageJsKb };
      }
      return r.pageNote ? { text: 'not measured', ok: undefined } : undefined;
    },
  });
  return rows;
}

function printSummary(postgres: DbResult | undefined, pglite: DbResult | undefined) {
  const W = { label: 42, col: 26 };
  const cell = (r: DbResult | undefined, row: Row) => {
    if (!r) return 'skipped';
    const c = row.cell(r);
    if (!c) return r.error ? 'failed' : '–';
    return `${c.text} ${markOf(c.ok)}`;
  };
  say();
  say('Summary');
  say(`${''.padEnd(W.label)}${'PostgreSQL'.padEnd(W.col)}${'PGlite (a tenth)'.padEnd(W.col)}target`);
  for (const row of rowsFor()) {
    say(
      `${row.label.padEnd(W.label)}${cell(postgres, row).padEnd(W.col)}${cell(pglite, row).padEnd(W.col)}${row.target}`,
    );
  }
  say();
  say('✓ target met   ✗ target missed   · no target (the targets are for PostgreSQL at full volume)');
  for (const r of [postgres, pglite]) {
    if (!r) continue;
    say(`${r.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${describeVolumes(r.volumes)}.`);
    for (const op of OPS) {
      if (r.measures[op].notAvailable) say(`  ${OP_LABEL[op]}: not available yet (404, no such route).`);
    }
    if (r.pageNote) say(`  self-completion page: ${r.pageNote}`);
  }
  say(
    `API: client-side latency, exact percentiles over every 2xx response, ${CONNECTIONS} connections, ` +
      `${LOAD_SECONDS} s after ${WARMUP_SECONDS} s warm-up; "one at a time": requests or queries in sequence. Raw ` +
      "SQL: the bench's own statements on the database as the app role with the same tenant setting (row-level " +
      'security on); for the change table its reference for the core pairing and sums (report.ts may differ), ' +
      'for the due list the statement the endpoint runs. Page: every script of the first load of /r/<token> ' +
      'in headless Chromium, gzipped at level 9 by the bench. The change table keeps its sums while its data is ' +
      'unchanged: "data changing" moves a PCN\'s counter (as a recorded measure does) every ' +
      `${CHURN_MS} ms during the load, and "changed" before every request, so those are computed afresh. ` +
      'The load generator, the server and the database ' +
      `share this machine's ${os.availableParallelism()} CPUs (see the load averages above).`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  if (WEB_BUILD) {
    say('Building the web app (npm run build:web) for the self-completion page …');
    const built = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) say('  npm run build:web failed: the page will not be measured');
  }
  await bundleServer();
  const started = performance.now();
  const cleanups: Cleanup[] = [];
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the server and removing the throw-away data …`);
      void runCleanups(cleanups).then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  say(
    `Linkwork outcome measures benchmark — node ${process.version}, ${os.availableParallelism()} CPUs, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GB, load average ${loadAverage()} at start, scale ${SCALE}`,
  );
  let postgres: DbResult | undefined;
  let pglite: DbResult | undefined;
  try {
    if (ONLY !== 'pglite') postgres = await runPostgres(cleanups, true);
    await runCleanups(cleanups);
    if (ONLY !== 'postgres') pglite = await runPglite(cleanups, !postgres?.page);
  } finally {
    await runCleanups(cleanups);
  }
  printSummary(postgres, pglite);
  say(`\nBenchmark took ${fmt.s(performance.now() - started)}.`);
  const measured = (r: DbResult | undefined) =>
    r !== undefined &&
    (OPS.some((op) => r.measures[op].api || r.measures[op].rawOne) || r.page !== undefined);
  return measured(postgres) || measured(pglite) ? 0 : 1;
}

process.exitCode = await main();
