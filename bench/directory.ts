// Community services directory benchmark: `npm run bench:directory`.
//
// Generates BENCH_SERVICES (default 100,000) realistic Open Referral UK 3.0 services across England
// (bench/directory-generate.ts), and on a PostgreSQL server and on the embedded database (PGlite):
//   1. migrates and seeds the demo ICB in a fresh database, and loads the generated locations' postcodes;
//   2. imports the file with the CLI as a child process (`linkwork directory-import`, through tsx as
//      bin/linkwork.js runs it), sampling the child's resident memory every 100 ms; then imports it again, which
//      must find every service unchanged;
//   3. starts the server (bundled as `npm start` runs it, into .tmp/bench-directory/, not dist/) and, signed in as
//      the demo link worker acting for her PCN, loads the search API with varied realistic searches (words +
//      taxonomy term + 5 km of a loaded postcode + day and time) for BENCH_LOAD_SECONDS (default 20) after a 2 s
//      warm-up on 16 connections; runs the same statements (searchStatement) on the database directly under the
//      same load; and loads the open ORUK API: /oruk/v3/services pages and /oruk/v3/services/{id};
//   4. prints EXPLAIN (ANALYZE, BUFFERS) of one search, and a summary with the targets beside the figures.
// It never fails on a missed target; it exits non-zero only when it could not measure at all.
//
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a server to
// administer; a throw-away database is made beside it and dropped at the end. PGlite: a fresh temporary folder.
// Knobs: BENCH_SERVICES, BENCH_PGLITE_SERVICES (default: BENCH_SERVICES), BENCH_ONLY=postgres|pglite,
// BENCH_LOAD_SECONDS, BENCH_WARMUP_SECONDS, BENCH_SEED.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { build } from 'esbuild';
import pg from 'pg';
import { type Database, openDatabase, rowsOf } from '../src/db/client.ts';
import { demoPassword, seedDemo } from '../src/db/seed/demo.ts';
import { type Origin, type SearchFilters, searchStatement } from '../src/modules/directory/search.ts';
import { SAMPLE_SEARCHES, type Written, writeServices } from './directory-generate.ts';
import {
  adminQuery,
  type CannonRequest,
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
  rawLoad,
  root,
  runCleanups,
  type Session,
  say,
  sequential,
  signIn,
  stopChild,
  WARMUP_SECONDS,
  waitReady,
} from './pathway-harness.ts';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 100_000);
const PGLITE_SERVICES = Number(process.env.BENCH_PGLITE_SERVICES ?? SERVICES);
const SEED = Number(process.env.BENCH_SEED ?? 1);
const ONLY = process.env.BENCH_ONLY;
const APP_ROLE = 'linkwork_app';
const DEMO_ICB_ODS = 'QZZ';
const LINK_WORKER = 'amira.hassan@demo.linkwork.example';
const RSS_SAMPLE_MS = 100;
const SEQUENTIAL_RUNS = 200;
const WITHIN_KM = 5;
const ORUK_PER_PAGE = 50;
const TARGET = {
  importS: 60,
  importRssMb: 300,
  searchP95Ms: { postgres: 15, pglite: 60 },
  ratio: 2,
  orukPageP95Ms: 20,
  orukRecordP95Ms: 10,
};

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

// ---------------------------------------------------------------------------------------------------------------
// The server, bundled beside the repository (not into dist/, which other work uses)

const BUNDLE_DIR = path.join(root, '.tmp', 'bench-directory');
const BUNDLE = path.join(BUNDLE_DIR, 'main.js');
/** The CLI bundled the same way, as `npm run build` makes dist/cli.js for `npx linkwork`. */
const CLI_BUNDLE = path.join(BUNDLE_DIR, 'cli.js');

/** The server as scripts/build-server.mjs bundles it, written where node_modules and migrations/ are found. */
async function bundleServer(): Promise<void> {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  });
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

/** Children still running, so that even an abrupt exit does not leave them behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGTERM');
});

function spawnChild(label: string, args: string[], env: NodeJS.ProcessEnv): Child & { output: () => string } {
  const spawnedAt = performance.now();
  const proc = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`Could not start ${label}`);
  running.add(proc);
  let output = '';
  const child: Child & { output: () => string } = {
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
    output: () => output,
  };
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-50_000);
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  return child;
}

const startServer = (label: string, env: NodeJS.ProcessEnv) =>
  spawnChild(label, ['--max-semi-space-size=4', BUNDLE], env);

// ---------------------------------------------------------------------------------------------------------------
// Import with the CLI, its memory sampled

/** Resident memory of a process in bytes, from /proc (Linux) or ps. */
function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux, or the process has gone
  }
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number.parseInt(ps.stdout?.trim() ?? '', 10);
  return Number.isFinite(kb) ? kb * 1024 : undefined;
}

interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

interface ImportRun {
  ms: number;
  peakRss: number;
  lastRss: number;
  /** RSS at 10 %, 25 %, 50 %, 75 % and 90 % of the run: flat memory reads as five near-equal figures. */
  rssAlong: number[];
  counts?: ImportCounts;
  finalLine?: string;
  error?: string;
}

const IMPORTED_LINE = /Imported (.+): (\d+) added, (\d+) updated, (\d+) unchanged, (\d+) rejected/;

async function runImport(label: string, file: string, env: NodeJS.ProcessEnv): Promise<ImportRun> {
  const child = spawnChild(
    label,
    // As bin/linkwork.js runs the bundled CLI (its CLI_NODE_FLAGS).
    [
      '--max-semi-space-size=4',
      '--max-old-space-size=192',
      CLI_BUNDLE,
      'directory-import',
      '--icb',
      DEMO_ICB_ODS,
      '--file',
      file,
      '--source',
      'bench',
    ],
    env,
  );
  const samples: [number, number][] = [];
  const timer = setInterval(() => {
    const rss = rssOf(child.pid);
    // A process on its way out reads as 0.
    if (rss && child.exitCode === undefined) samples.push([performance.now() - child.spawnedAt, rss]);
  }, RSS_SAMPLE_MS);
  await child.exited;
  const ms = performance.now() - child.spawnedAt;
  clearInterval(timer);
  const at = (share: number) => {
    const wanted = ms * share;
    let best = samples[0];
    for (const s of samples) if (Math.abs(s[0] - wanted) < Math.abs((best?.[0] ?? 0) - wanted)) best = s;
    return best?.[1] ?? Number.NaN;
  };
  const run: ImportRun = {
    ms,
    peakRss: samples.reduce((max, [, r]) => Math.max(max, r), 0),
    lastRss: samples.at(-1)?.[1] ?? Number.NaN,
    rssAlong: [0.1, 0.25, 0.5, 0.75, 0.9].map(at),
  };
  const lines = child.output().split(/[\r\n]+/);
  const final = lines.find((l) => IMPORTED_LINE.test(l));
  const m = final ? IMPORTED_LINE.exec(final) : null;
  if (m) {
    run.finalLine = final!.trim();
    run.counts = {
      added: Number(m[2]),
      updated: Number(m[3]),
      unchanged: Number(m[4]),
      rejected: Number(m[5]),
    };
  }
  if (child.exitCode !== 0 || !m) {
    run.error = `the CLI exited with code ${child.exitCode}${m ? '' : ' and printed no "Imported …" line'}:\n${child.tail()}`;
  }
  return run;
}

function describeImport(what: string, run: ImportRun, services: number) {
  if (run.error) {
    say(`  ${what}: FAILED after ${fmt.s(run.ms)} — ${run.error}`);
    return;
  }
  say(
    `  ${what}: ${fmt.s(run.ms)} (${fmt.int((services / run.ms) * 1000)} services/s), resident memory peak ` +
      `${mb(run.peakRss)}, last ${mb(run.lastRss)}; at 10/25/50/75/90 % of the run ${run.rssAlong.map((r) => (r / 2 ** 20).toFixed(0)).join(' / ')} MB`,
  );
  say(`    ${run.finalLine}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Searches: every sample search from a spread of the loaded postcodes

interface Place {
  postcode: string;
  latitude: number;
  longitude: number;
}

function readPostcodes(file: string): Place[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [postcode, lat, lon] = line.split(',');
      return { postcode: postcode!, latitude: Number(lat), longitude: Number(lon) };
    });
}

interface SearchCase {
  search: (typeof SAMPLE_SEARCHES)[number];
  place: Place;
}

/**
 * 61 postcodes evenly through the file (which lists locations town by town, so bigger places give more) crossed
 * with the sample searches: 61 × 12 different requests, taken in turn.
 */
function searchCases(places: Place[]): SearchCase[] {
  const picked = Array.from({ length: 61 }, (_, i) => places[Math.floor(((i + 0.5) * places.length) / 61)]!);
  return Array.from({ length: picked.length * SAMPLE_SEARCHES.length }, (_, k) => ({
    search: SAMPLE_SEARCHES[k % SAMPLE_SEARCHES.length]!,
    place: picked[k % picked.length]!,
  }));
}

const searchPath = (c: SearchCase) =>
  `/api/directory/search?${new URLSearchParams({
    q: c.search.q,
    term: c.search.term,
    postcode: c.place.postcode,
    withinKm: String(WITHIN_KM),
    day: c.search.day,
    from: c.search.from,
    to: c.search.to,
  })}`;

const searchFilters = (c: SearchCase): SearchFilters => ({
  q: c.search.q,
  termIds: [c.search.term],
  withinKm: WITHIN_KM,
  day: c.search.day,
  from: c.search.from,
  to: c.search.to,
  page: 1,
  perPage: 20,
});

const dialect = new PgDialect();
interface RawQuery {
  text: string;
  params: unknown[];
}
const compile = (statement: SQL): RawQuery => {
  const q = dialect.sqlToQuery(statement);
  return { text: q.sql, params: q.params };
};
const rawSearch = (icbId: string, c: SearchCase): RawQuery =>
  compile(searchStatement(icbId, searchFilters(c), c.place satisfies Origin, new Date()));

type Exec = (q: RawQuery) => Promise<Record<string, unknown>[]>;

/** Each case once, in sequence: how many services the searches find (their `total`). */
async function resultSizes(run: (c: SearchCase) => Promise<number>, cases: SearchCase[]): Promise<string> {
  const totals: number[] = [];
  for (const c of cases) totals.push(await run(c));
  totals.sort((a, b) => a - b);
  const none = totals.filter((t) => t === 0).length;
  return (
    `${cases.length} searches found median ${totals[Math.floor(totals.length / 2)]}, ` +
    `90th percentile ${totals[Math.floor(totals.length * 0.9)]}, most ${totals.at(-1)} services; ` +
    `${none} found none`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Results

type Kind = 'postgres' | 'pglite';

interface DbResult {
  kind: Kind;
  services: number;
  written?: Written;
  postcodesMs?: number;
  first?: ImportRun;
  second?: ImportRun;
  searchApi?: Load;
  searchRaw?: Load;
  searchApiOne?: Latency;
  searchRawOne?: Latency;
  orukPage?: Load;
  orukRecord?: Load;
  error?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps shared by both databases

/** Loads the generated postcodes (upper case, no spaces; no LSOA) as the tables' owner. */
async function loadPostcodes(run: (text: string, params: unknown[]) => Promise<unknown>, places: Place[]) {
  const started = performance.now();
  for (let i = 0; i < places.length; i += 1000) {
    const batch = places.slice(i, i + 1000);
    const params: unknown[] = [];
    const values = batch.map((p, j) => {
      params.push(p.postcode.replace(/\s/g, '').toUpperCase(), p.latitude, p.longitude);
      return `($${j * 3 + 1}, $${j * 3 + 2}, $${j * 3 + 3}, null)`;
    });
    await run(
      `insert into postcodes (postcode, latitude, longitude, lsoa_code) values ${values.join(', ')}
       on conflict (postcode) do update set latitude = excluded.latitude, longitude = excluded.longitude`,
      params,
    );
  }
  return performance.now() - started;
}

async function importTwice(result: DbResult, file: string, env: NodeJS.ProcessEnv, label: string) {
  say(`  import of ${fmt.int(result.services)} services with the CLI (child process) …`);
  result.first = await runImport(`${label} import`, file, env);
  describeImport('first import', result.first, result.services);
  if (result.first.error) throw new Error('the import failed');
  say('  the same file again (every service should be unchanged) …');
  result.second = await runImport(`${label} re-import`, file, env);
  describeImport('second import', result.second, result.services);
}

interface Targets {
  icbId: string;
  pcnId: string;
  scope: string[];
  serviceIds: string[];
}

async function findTargets(run: (text: string) => Promise<Record<string, unknown>[]>): Promise<Targets> {
  const [icb] = await run(`select id from organisations where ods_code = '${DEMO_ICB_ODS}'`);
  if (!icb) throw new Error('the demo ICB is missing');
  const [pcn] = await run(`
    select ra.organisation_id as id from role_assignments ra join users u on u.id = ra.user_id
    where u.email = '${LINK_WORKER}' limit 1`);
  if (!pcn) throw new Error(`${LINK_WORKER} has no role`);
  const scope = (
    await run(`select id from organisations where id = '${pcn.id}' or parent_id = '${pcn.id}' order by id`)
  ).map((r) => String(r.id));
  const ids = (
    await run(
      `select id from directory_services where organisation_id = '${icb.id}' order by md5(id::text) limit 500`,
    )
  ).map((r) => String(r.id));
  return { icbId: String(icb.id), pcnId: String(pcn.id), scope, serviceIds: ids };
}

/** Signed in as the demo link worker, acting for her PCN. */
async function linkWorkerSession(base: string, pcnId: string): Promise<Session> {
  const session = await signIn(base, LINK_WORKER, demoPassword);
  const me = (await (await fetch(`${base}/api/me`, { headers: { cookie: session.cookie } })).json()) as {
    acting: { organisationId: string } | null;
  };
  if (me.acting?.organisationId !== pcnId) {
    const res = await fetch(`${base}/api/me/acting-organisation`, {
      method: 'PUT',
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ organisationId: pcnId }),
    });
    if (res.status !== 200) throw new Error(`choosing the PCN answered ${res.status}: ${await res.text()}`);
  }
  return session;
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (res.status !== 200)
    throw new Error(`GET ${new URL(url).pathname} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The server on the imported data: search under load, then the open ORUK API. */
async function measureApi(
  result: DbResult,
  label: string,
  env: NodeJS.ProcessEnv,
  t: Targets,
  cases: SearchCase[],
  cleanups: Cleanup[],
  /** Run while the server is up, after the API search load (PostgreSQL runs its raw load there). */
  between?: () => Promise<void>,
) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = startServer(`${label} server`, { ...env, PORT: String(port) });
  cleanups.push(() => stopChild(child));
  try {
    const readyMs = await waitReady(child, `${base}/health/ready`);
    say(`  server ready in ${fmt.s(readyMs)}`);
    const session = await linkWorkerSession(base, t.pcnId);
    const headers = { cookie: session.cookie };
    let i = 0;
    const search: HttpLoadSpec = {
      url: `${base}${searchPath(cases[0]!)}`,
      headers,
      setup: (req: CannonRequest) => ({ ...req, path: searchPath(cases[i++ % cases.length]!) }),
    };
    say(`  GET /api/directory/search (${LINK_WORKER}, acting for her PCN)`);
    try {
      say(
        `    probe: ${await resultSizes(
          async (c) => Number((await getJson(`${base}${searchPath(c)}`, headers)).total),
          cases.slice(0, 122),
        )}`,
      );
      const one = await sequential(httpOnce(search), SEQUENTIAL_RUNS);
      result.searchApiOne = one;
      say(
        `    one request at a time (${SEQUENTIAL_RUNS}): p50 ${fmt.ms(one.p50)} ms, p95 ${fmt.ms(one.p95)} ms`,
      );
      say(
        `    ${CONNECTIONS} connections, ${WARMUP_SECONDS} s + ${LOAD_SECONDS} s (load average ${loadAverage()}) …`,
      );
      result.searchApi = await httpLoad(search);
      say(`      ${describeLoad(result.searchApi)}`);
    } catch (err) {
      say(`    search not measured: ${errorText(err)}`);
    }
    await between?.();

    say(`  GET /oruk/v3/services?page=K&per_page=${ORUK_PER_PAGE} (open, no sign-in)`);
    try {
      const first = await getJson(`${base}/oruk/v3/services?page=1&per_page=${ORUK_PER_PAGE}`);
      const pages = Number(first.total_pages);
      say(
        `    probe: ${fmt.int(Number(first.total_items))} services in ${fmt.int(pages)} pages; K runs over all of them`,
      );
      let k = 0;
      const spec: HttpLoadSpec = {
        url: `${base}/oruk/v3/services?page=1&per_page=${ORUK_PER_PAGE}`,
        headers: {},
        // A stride through every page, so deep pages (large offsets) count as often as the first ones.
        setup: (req: CannonRequest) => ({
          ...req,
          path: `/oruk/v3/services?page=${1 + ((k++ * 7919) % Math.max(1, pages))}&per_page=${ORUK_PER_PAGE}`,
        }),
      };
      result.orukPage = await httpLoad(spec);
      say(`      ${describeLoad(result.orukPage)}`);
    } catch (err) {
      say(`    not measured: ${errorText(err)}`);
    }

    say(`  GET /oruk/v3/services/{id} (full record; ${t.serviceIds.length} services in turn)`);
    try {
      const record = await getJson(`${base}/oruk/v3/services/${t.serviceIds[0]}`);
      say(
        `    probe: ${fmt.int(JSON.stringify(record).length)} characters of JSON for "${String(record.name)}"`,
      );
      let k = 0;
      const spec: HttpLoadSpec = {
        url: `${base}/oruk/v3/services/${t.serviceIds[0]}`,
        headers: {},
        setup: (req: CannonRequest) => ({
          ...req,
          path: `/oruk/v3/services/${t.serviceIds[k++ % t.serviceIds.length]}`,
        }),
      };
      result.orukRecord = await httpLoad(spec);
      say(`      ${describeLoad(result.orukRecord)}`);
    } catch (err) {
      say(`    not measured: ${errorText(err)}`);
    }
  } finally {
    await stopChild(child);
  }
}

async function measureRaw(
  result: DbResult,
  exec: Exec,
  one: Exec,
  t: Targets,
  cases: SearchCase[],
  concurrency: number,
) {
  say('  raw SQL: searchStatement for the same searches, on the database directly as the app role');
  try {
    say(
      `    probe: ${await resultSizes(async (c) => Number((await exec(rawSearch(t.icbId, c)))[0]?.total ?? 0), cases.slice(0, 122))}`,
    );
    let i = 0;
    const op = (run: Exec) => () => run(rawSearch(t.icbId, cases[i++ % cases.length]!));
    result.searchRawOne = await sequential(op(one), SEQUENTIAL_RUNS);
    say(
      `    one query at a time (${SEQUENTIAL_RUNS}): p50 ${fmt.ms(result.searchRawOne.p50)} ms, p95 ${fmt.ms(result.searchRawOne.p95)} ms`,
    );
    say(
      `    ${concurrency === 1 ? 'one client in sequence' : `${concurrency} clients`}, ${WARMUP_SECONDS} s + ${LOAD_SECONDS} s (load average ${loadAverage()}) …`,
    );
    result.searchRaw = await rawLoad(op(exec), concurrency);
    say(`      ${describeLoad(result.searchRaw)}`);
  } catch (err) {
    say(`    raw SQL not measured: ${errorText(err)}`);
  }
}

async function printPlan(exec: Exec, t: Targets, c: SearchCase, lines: number) {
  const q = rawSearch(t.icbId, c);
  say(
    `  EXPLAIN (ANALYZE, BUFFERS) of the search q="${c.search.q}", term, ${WITHIN_KM} km of ${c.place.postcode}, ` +
      `${c.search.day} ${c.search.from}–${c.search.to}:`,
  );
  try {
    const rows = await exec({ text: `EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, params: q.params });
    const text = rows.map((r) => String(r['QUERY PLAN']));
    const shown =
      text.length <= lines ? text : [...text.slice(0, lines), `… (${text.length - lines} more lines)`];
    for (const l of shown) say(`    ${l}`);
    if (text.length > lines) {
      const rest = text.slice(lines);
      for (const l of rest.filter((l) => /Seq Scan|^(Planning|Execution) Time/.test(l))) say(`    ${l}`);
    }
  } catch (err) {
    say(`    failed: ${errorText(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

async function runPostgres(written: Written, cleanups: Cleanup[]): Promise<DbResult> {
  const result: DbResult = { kind: 'postgres', services: written.services, written };
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `linkwork_bench_directory_${Date.now()}`;
  say(`\nPostgreSQL server, throw-away database ${dbName}`);
  try {
    await adminQuery(adminUrl, `CREATE DATABASE ${dbName}`);
  } catch (err) {
    result.error = `${adminUrl.replace(/\/\/[^@/]*@/, '//…@')} did not answer (${errorText(err)})`;
    say(`  skipped — ${result.error}`);
    return result;
  }
  cleanups.push(async () => {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    say(`Dropped the throw-away database ${dbName}.`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  try {
    say('  migrations and the demo seed …');
    const app = await openDatabase({ kind: 'postgres', url: dbUrl }, { appRole: APP_ROLE });
    try {
      await seedDemo(app.db, new Date());
    } finally {
      await app.close();
    }
    const owner = new pg.Client({ connectionString: dbUrl });
    owner.on('error', () => {});
    await owner.connect();
    cleanups.push(() => owner.end());
    const places = readPostcodes(written.postcodesFile);
    result.postcodesMs = await loadPostcodes((text, params) => owner.query(text, params), places);
    say(`  loaded ${fmt.int(places.length)} postcodes in ${fmt.s(result.postcodesMs)}`);

    const env = childEnv({ DATABASE_URL: dbUrl });
    await importTwice(result, written.file, env, 'PostgreSQL');
    const t = await findTargets(async (text) => (await owner.query(text)).rows);
    const cases = searchCases(places);

    const options = `-c role=${APP_ROLE} -c linkwork.tenant_ids=${t.scope.join(',')}`;
    const pool = new pg.Pool({ connectionString: dbUrl, max: CONNECTIONS, options });
    pool.on('error', () => {});
    const single = new pg.Client({ connectionString: dbUrl, options });
    single.on('error', () => {});
    await single.connect();
    cleanups.push(async () => {
      await single.end();
      await pool.end();
    });
    const exec: Exec = async (q) => (await pool.query(q.text, q.params as unknown[])).rows;
    const one: Exec = async (q) => (await single.query(q.text, q.params as unknown[])).rows;

    await measureApi(result, 'PostgreSQL', env, t, cases, cleanups, () =>
      measureRaw(result, exec, one, t, cases, CONNECTIONS),
    );
    await printPlan(one, t, cases[0]!, 200);
  } catch (err) {
    result.error = errorText(err);
    say(`  FAILED: ${result.error}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// PGlite: one process at a time, so the bench, the CLI and the server take turns with the folder

async function runPglite(written: Written, cleanups: Cleanup[]): Promise<DbResult> {
  const result: DbResult = { kind: 'pglite', services: written.services, written };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkwork-bench-directory-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const dataDir = path.join(tmp, 'pglite');
  const database = { kind: 'pglite' as const, dataDir };
  say(`\nPGlite (embedded), fresh data folder ${dataDir}`);
  try {
    say('  migrations and the demo seed …');
    const places = readPostcodes(written.postcodesFile);
    let app: Database = await openDatabase(database, { appRole: APP_ROLE });
    try {
      await seedDemo(app.db, new Date());
      // PGlite's one connection works as the app role: the postcodes are loaded as the tables' owner.
      await app.db.execute(sql.raw('RESET ROLE'));
      result.postcodesMs = await loadPostcodes(
        (text, params) => app.prepared('postcodes', text, params),
        places,
      );
      say(`  loaded ${fmt.int(places.length)} postcodes in ${fmt.s(result.postcodesMs)}`);
    } finally {
      await app.close();
    }

    const env = childEnv({ LINKWORK_DATA_DIR: dataDir });
    await importTwice(result, written.file, env, 'PGlite');
    const cases = searchCases(places);

    say('  raw SQL first, in this process while no server holds the folder:');
    app = await openDatabase(database, { appRole: APP_ROLE });
    let t: Targets;
    try {
      t = await findTargets(async (text) =>
        rowsOf<Record<string, unknown>>(await app.db.execute(sql.raw(text))),
      );
      await app.db.execute(sql`select set_config('linkwork.tenant_ids', ${t.scope.join(',')}, false)`);
      const exec: Exec = (q) => app.prepared<Record<string, unknown>>('bench_search', q.text, q.params);
      await measureRaw(result, exec, exec, t, cases, 1);
      await printPlan(exec, t, cases[0]!, 40);
    } finally {
      await app.close();
    }
    say('  then the API, the server started on the same folder:');
    await measureApi(result, 'PGlite', env, t, cases, cleanups);
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
const pair = (l: Load | Latency) => `${fmt.ms(l.p50)} / ${fmt.ms(l.p95)} ms`;

/** API ÷ raw: p95 ÷ p95 under the same 16-way load on PostgreSQL; on PGlite, which answers one query at a time,
 * raw queries/s ÷ API requests/s. */
function ratio(r: DbResult): number | undefined {
  if (!r.searchApi || !r.searchRaw) return undefined;
  return r.kind === 'postgres' ? r.searchApi.p95 / r.searchRaw.p95 : r.searchRaw.rps / r.searchApi.rps;
}

interface Row {
  label: string;
  target: string;
  cell: (r: DbResult) => { text: string; ok: Mark } | undefined;
}

const rows: Row[] = [
  {
    label: 'import (first run)',
    target: `≤ ${TARGET.importS} s on PostgreSQL`,
    cell: (r) =>
      r.first && !r.first.error
        ? {
            text: fmt.s(r.first.ms),
            ok: r.kind === 'postgres' ? r.first.ms <= TARGET.importS * 1000 : undefined,
          }
        : undefined,
  },
  {
    label: 'import services/s',
    target: '',
    cell: (r) =>
      r.first && !r.first.error
        ? { text: fmt.int((r.services / r.first.ms) * 1000), ok: undefined }
        : undefined,
  },
  {
    label: 'import peak RSS (last)',
    target: `≤ ${TARGET.importRssMb} MB, flat`,
    cell: (r) =>
      r.first && !r.first.error
        ? {
            text: `${(r.first.peakRss / 2 ** 20).toFixed(0)} (${(r.first.lastRss / 2 ** 20).toFixed(0)}) MB`,
            ok: r.first.peakRss <= TARGET.importRssMb * 2 ** 20,
          }
        : undefined,
  },
  {
    label: 'added/updated/unchanged/rejected',
    target: `all added`,
    cell: (r) => {
      const c = r.first?.counts;
      return (
        c && { text: `${c.added}/${c.updated}/${c.unchanged}/${c.rejected}`, ok: c.added === r.services }
      );
    },
  },
  {
    label: 're-import (same file)',
    target: 'all unchanged',
    cell: (r) => {
      const c = r.second?.counts;
      const firstOk = r.first?.counts
        ? r.first.counts.added + r.first.counts.updated + r.first.counts.unchanged
        : 0;
      return (
        c && {
          text: `${fmt.s(r.second!.ms)}, ${c.added}/${c.updated}/${c.unchanged}/${c.rejected}`,
          ok: c.added === 0 && c.updated === 0 && c.unchanged === firstOk,
        }
      );
    },
  },
  {
    label: 'search API p50 / p95',
    target: `p95 ≤ ${TARGET.searchP95Ms.postgres} ms PG, ≤ ${TARGET.searchP95Ms.pglite} ms PGlite`,
    cell: (r) =>
      r.searchApi && { text: pair(r.searchApi), ok: r.searchApi.p95 <= TARGET.searchP95Ms[r.kind] },
  },
  {
    label: 'search API req/s',
    target: '',
    cell: (r) => r.searchApi && { text: fmt.int(r.searchApi.rps), ok: undefined },
  },
  {
    label: 'search raw SQL p50 / p95',
    target: '',
    cell: (r) => r.searchRaw && { text: pair(r.searchRaw), ok: undefined },
  },
  {
    label: 'search one at a time p50',
    target: 'API / raw (ratio)',
    cell: (r) => {
      const api = r.searchApiOne?.p50;
      const raw = r.searchRawOne?.p50;
      if (api === undefined && raw === undefined) return undefined;
      const v = (x?: number) => (x === undefined ? '–' : fmt.ms(x));
      const x = api !== undefined && raw !== undefined ? ` (${(api / raw).toFixed(1)}×)` : '';
      return { text: `${v(api)} / ${v(raw)} ms${x}`, ok: undefined };
    },
  },
  {
    label: 'search API ÷ raw',
    target: `≤ ${TARGET.ratio}×`,
    cell: (r) => {
      const x = ratio(r);
      return x === undefined ? undefined : { text: `${x.toFixed(1)}×`, ok: x <= TARGET.ratio };
    },
  },
  {
    label: `ORUK /services page p50 / p95`,
    target: `p95 ≤ ${TARGET.orukPageP95Ms} ms`,
    cell: (r) => r.orukPage && { text: pair(r.orukPage), ok: r.orukPage.p95 <= TARGET.orukPageP95Ms },
  },
  {
    label: 'ORUK /services/{id} p50 / p95',
    target: `p95 ≤ ${TARGET.orukRecordP95Ms} ms`,
    cell: (r) => r.orukRecord && { text: pair(r.orukRecord), ok: r.orukRecord.p95 <= TARGET.orukRecordP95Ms },
  },
];

function printSummary(postgres: DbResult | undefined, pglite: DbResult | undefined) {
  const W = { label: 34, col: 26 };
  const cell = (r: DbResult | undefined, row: Row) => {
    if (!r) return 'skipped';
    const c = row.cell(r);
    if (!c) return r.error ? 'failed' : '–';
    return `${c.text} ${markOf(c.ok)}`;
  };
  const pgliteHead =
    pglite && pglite.services !== SERVICES ? `PGlite (${fmt.int(pglite.services)})` : 'PGlite';
  say();
  say('Summary');
  say(`${''.padEnd(W.label)}${`PostgreSQL`.padEnd(W.col)}${pgliteHead.padEnd(W.col)}target`);
  for (const row of rows) {
    say(
      `${row.label.padEnd(W.label)}${cell(postgres, row).padEnd(W.col)}${cell(pglite, row).padEnd(W.col)}${row.target}`,
    );
  }
  say();
  say('✓ target met   ✗ target missed   · no target');
  for (const r of [postgres, pglite]) {
    if (r?.written) {
      const w = r.written;
      say(
        `${r.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${fmt.int(w.services)} services (${mb(w.bytes)} of NDJSON), ` +
          `${fmt.int(w.organisations)} organisations, ${fmt.int(w.locations)} locations ` +
          `(${fmt.int(w.postcodes)} postcodes), ${fmt.int(w.remoteServices)} online or phone only, around ${w.towns} towns.`,
      );
    }
  }
  say(
    `Import: wall time of the CLI child process from spawn to exit (tsx start-up and migration check included), ` +
      `resident memory sampled every ${RSS_SAMPLE_MS} ms. Search: words + taxonomy term + ${WITHIN_KM} km of a ` +
      `loaded postcode + day and time, ${SAMPLE_SEARCHES.length} searches × 61 postcodes in turn, as the demo link ` +
      `worker. API: client-side latency, exact percentiles over every 2xx response, ${CONNECTIONS} connections, ` +
      `${LOAD_SECONDS} s after ${WARMUP_SECONDS} s warm-up. Raw SQL: searchStatement on the database as the app role ` +
      `(origin resolved beforehand), ${CONNECTIONS} clients on PostgreSQL, one client in sequence in-process on PGlite. ` +
      `API ÷ raw: p95 ÷ p95 on PostgreSQL; raw queries/s ÷ API requests/s on PGlite, which answers one query at a ` +
      `time. The load generator, the server and the database share this machine's ${os.availableParallelism()} CPUs.`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function generate(dir: string, n: number): Promise<Written> {
  const started = performance.now();
  const written = await writeServices(path.join(dir, `services-${n}.ndjson`), n, SEED);
  say(
    `Generated ${fmt.int(n)} services in ${fmt.s(performance.now() - started)}: ${mb(statSync(written.file).size)} of ` +
      `NDJSON, ${fmt.int(written.organisations)} organisations, ${fmt.int(written.locations)} locations ` +
      `(${fmt.int(written.postcodes)} with a postcode), ${fmt.int(written.remoteServices)} online or phone only ` +
      `(${((100 * written.remoteServices) / n).toFixed(0)} %), ${fmt.int(written.freeServices)} free ` +
      `(${((100 * written.freeServices) / n).toFixed(0)} %).`,
  );
  return written;
}

async function main(): Promise<number> {
  const started = performance.now();
  const cleanups: Cleanup[] = [];
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the server and removing the throw-away data …`);
      void runCleanups(cleanups).then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  say(
    `Linkwork directory benchmark — node ${process.version}, ${os.availableParallelism()} CPUs, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GB, load average ${loadAverage()} at start, ${fmt.int(SERVICES)} services` +
      (PGLITE_SERVICES !== SERVICES ? ` (PGlite: ${fmt.int(PGLITE_SERVICES)})` : ''),
  );
  if (!existsSync(path.join(root, 'src', 'cli', 'main.ts'))) throw new Error('src/cli/main.ts is missing');
  await bundleServer();
  const files = mkdtempSync(path.join(os.tmpdir(), 'linkwork-bench-directory-files-'));
  cleanups.push(() => rmSync(files, { recursive: true, force: true }));
  let postgres: DbResult | undefined;
  let pglite: DbResult | undefined;
  try {
    const full = await generate(files, SERVICES);
    if (ONLY !== 'pglite') postgres = await runPostgres(full, cleanups);
    await runCleanups(cleanups.splice(1));
    if (ONLY !== 'postgres') {
      const written = PGLITE_SERVICES === SERVICES ? full : await generate(files, PGLITE_SERVICES);
      if (PGLITE_SERVICES !== SERVICES) {
        say(
          `PGlite runs on ${fmt.int(PGLITE_SERVICES)} services (BENCH_PGLITE_SERVICES), not ${fmt.int(SERVICES)}.`,
        );
      }
      pglite = await runPglite(written, cleanups);
    }
  } finally {
    await runCleanups(cleanups);
    rmSync(BUNDLE_DIR, { recursive: true, force: true });
  }
  printSummary(postgres, pglite);
  say(`\nBenchmark took ${fmt.s(performance.now() - started)}.`);
  const measured = (r: DbResult | undefined) => r?.first?.counts !== undefined || r?.searchApi !== undefined;
  return measured(postgres) || measured(pglite) ? 0 : 1;
}

process.exitCode = await main();
