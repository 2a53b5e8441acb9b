// Platform benchmark: `npm run bench:platform`.
//
// Builds and starts the real server as `npm start` runs it (node dist/main.js) in a child process, once on the embedded database (PGlite) and once on a
// PostgreSQL server, and measures: cold start to ready, sign-in latency, authenticated GET /api/me under load
// against a bare Fastify route, and the server's resident memory. It prints figures beside their targets and
// never fails on a missed target; it exits non-zero only when it could not measure at all.
//
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a server and a
// database to connect to for administration; the benchmark creates a throw-away database beside it and drops
// it at the end. The caller's DATABASE_URL is never read or changed.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CONNECTIONS = 16;
const LOAD_SECONDS = 20;
const WARMUP_SECONDS = 2;
const SIGN_INS = 50;
const UNLOADED_REQUESTS = 200;
const READY_POLL_MS = 50;
const READY_TIMEOUT_MS = 120_000;
const RSS_SAMPLE_MS = 250;
const LEAD = { email: 'lead@demo.linkwork.example', password: 'walking-group-on-tuesdays' };
const TARGET = { coldStartS: 10, loginP95Ms: 250, meP95Ms: 5, ratioPct: 25, rssMb: 200 };
const READY_LINE = 'Linkwork is running at';

// ---------------------------------------------------------------------------------------------------------------
// autocannon is CommonJS without bundled types: the little of it used here, typed locally.

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonInstance {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void,
  ): void;
}
type Autocannon = (
  options: { url: string; connections: number; duration: number; headers?: Record<string, string> },
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const say = (line = '') => {
  process.stdout.write(`${line}\n`);
};
// Output piped into `head` and closed early must not kill the run before it has cleaned up.
process.stdout.on('error', () => {});

/** Servers still running, so that even an abrupt exit does not leave them behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGTERM');
});
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function sortedCopy(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A field of /proc/<pid>/status in MB (VmRSS now, VmHWM the high-water mark), or undefined. */
function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(
      new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'),
    );
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const fmt = {
  s: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
  ms: (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)),
  int: (n: number) => Math.round(n).toLocaleString('en-GB'),
  mb: (mb: number | undefined) => (mb === undefined ? '?' : mb.toFixed(0)),
};

// ---------------------------------------------------------------------------------------------------------------
// Child processes (plain node for the built server, node --import tsx for the bare route; no wrapper process)

/** Everything a child could inherit that would change what is measured; set again explicitly below. */
const APP_ENV_KEYS = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'DATABASE_URL',
  'LINKWORK_DATA_DIR',
  'LINKWORK_APP_ROLE',
  'LINKWORK_DEMO',
  'SESSION_IDLE_MINUTES',
  'SESSION_MAX_HOURS',
  'PUBLIC_URL',
  'LOG_LEVEL',
  'TRUST_PROXY',
  'NODE_OPTIONS',
  'MESSAGE_TRANSPORT',
];

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of APP_ENV_KEYS) delete env[key];
  // Production mode, with messages kept in the development inbox (chosen explicitly, as production requires).
  return {
    ...env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MESSAGE_TRANSPORT: 'dev',
    ...extra,
  };
}

interface Child {
  label: string;
  proc: ChildProcess;
  pid: number;
  spawnedAt: number;
  /** ms after spawn when the server printed READY_LINE. */
  readyLineAt?: number;
  /** The "(ready in X s)" the server measures itself from startServer() to listening. */
  selfReportedS?: number;
  exitCode: number | null | undefined;
  exited: Promise<void>;
  tail: () => string;
}

function startChild(label: string, script: string, env: NodeJS.ProcessEnv): Child {
  const spawnedAt = performance.now();
  // The built server runs with the flags `npm start` gives it (a smaller young generation keeps RSS down).
  const args = script.endsWith('.js') ? ['--max-semi-space-size=4', script] : ['--import', 'tsx', script];
  const proc = spawn(process.execPath, args, {
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
      // The message is at the top of a Node error dump, the most recent lines at the bottom: show both.
      const lines = output.trim().split('\n');
      return lines.length <= 16
        ? lines.join('\n')
        : [...lines.slice(0, 8), '  …', ...lines.slice(-6)].join('\n');
    },
  };
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
    if (child.readyLineAt === undefined && output.includes(READY_LINE)) {
      child.readyLineAt = performance.now() - spawnedAt;
      const m = output.match(/ready in ([\d.]+) s/);
      if (m) child.selfReportedS = Number(m[1]);
    }
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  return child;
}

/** SIGTERM (the app closes its database on it), then SIGKILL if it has not gone after 15 s. */
async function stopChild(child: Child): Promise<void> {
  if (child.exitCode !== undefined) return;
  child.proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([
    child.exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 15_000);
    }),
  ]);
  clearTimeout(timer);
  if (!gone) {
    say(`  ${child.label} did not stop within 15 s of SIGTERM; killing it`);
    child.proc.kill('SIGKILL');
    await child.exited;
  }
}

/** Polls url every READY_POLL_MS until it answers 200; returns ms since the child was spawned. */
async function waitReady(child: Child, url: string): Promise<number> {
  for (;;) {
    if (child.exitCode !== undefined) {
      throw new Error(`${child.label} exited (code ${child.exitCode}) before it was ready:\n${child.tail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - child.spawnedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() - child.spawnedAt > READY_TIMEOUT_MS) {
      throw new Error(`${child.label} was not ready after ${READY_TIMEOUT_MS / 1000} s:\n${child.tail()}`);
    }
    await sleep(READY_POLL_MS);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements

async function signIn(base: string): Promise<{ ms: number; cookie: string }> {
  const started = performance.now();
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(LEAD),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`POST /api/auth/sign-in answered ${res.status}: ${text}`);
  const body = JSON.parse(text) as { stage?: string };
  if (body.stage !== 'complete') throw new Error(`sign-in stage is ${body.stage}, expected complete`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('lw_session='));
  if (!cookie) throw new Error('sign-in set no lw_session cookie');
  return { ms, cookie };
}

interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

function latencyOf(samples: number[]): Latency {
  const sorted = sortedCopy(samples);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

/** Sequential requests with no other load: the floor under the loaded latency. */
async function unloaded(url: string, headers: Record<string, string>): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < UNLOADED_REQUESTS; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    samples.push(performance.now() - started);
  }
  return latencyOf(samples);
}

function cannon(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  latencies?: number[],
): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, duration: seconds, headers },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (latencies) {
      instance.on('response', (_client, status, _bytes, ms) => {
        if (status >= 200 && status < 300) latencies.push(ms);
      });
    }
  });
}

interface Load extends Latency {
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  autocannonP97_5: number | undefined;
  rssPeakMb?: number;
}

/**
 * WARMUP_SECONDS of load that is thrown away (JIT, pool connections), then LOAD_SECONDS measured. Latency
 * percentiles are exact, from every 2xx response time autocannon reports (its own histogram has 1 ms buckets
 * and no p95). With rssPid, samples that process's VmRSS every RSS_SAMPLE_MS and keeps the peak.
 */
async function load(url: string, headers: Record<string, string>, rssPid?: number): Promise<Load> {
  await cannon(url, headers, WARMUP_SECONDS);
  const samples: number[] = [];
  let peak: number | undefined;
  const sample = () => {
    if (rssPid === undefined) return;
    const mb = procStatusMb(rssPid, 'VmRSS');
    if (mb !== undefined && (peak === undefined || mb > peak)) peak = mb;
  };
  const timer = rssPid === undefined ? undefined : setInterval(sample, RSS_SAMPLE_MS);
  sample();
  let result: AutocannonResult;
  try {
    result = await cannon(url, headers, LOAD_SECONDS, samples);
  } finally {
    if (timer) clearInterval(timer);
  }
  sample();
  return {
    ...latencyOf(samples),
    rps: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    autocannonP97_5: result.latency.p97_5,
    ...(peak === undefined ? {} : { rssPeakMb: peak }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One database

interface DbResult {
  coldStartMs?: number;
  login?: Latency;
  me?: Load;
  bare?: Load;
  rssIdleMb?: number;
  error?: string;
}

async function measureApp(
  label: string,
  env: NodeJS.ProcessEnv,
  bareUrl: string,
  cleanups: Cleanup[],
): Promise<DbResult> {
  const result: DbResult = {};
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  say(`\n${label}`);
  const child = startChild(`${label} server`, 'dist/main.js', { ...env, PORT: String(port) });
  cleanups.push(() => stopChild(child));
  try {
    result.coldStartMs = await waitReady(child, `${base}/health/ready`);
    say(
      `  cold start to ready      ${fmt.s(result.coldStartMs)}${coldStartBreakdown(child, result.coldStartMs)}`,
    );
    say(
      `  RSS right after ready    ${fmt.mb(procStatusMb(child.pid, 'VmRSS'))} MB ` +
        `(high-water mark so far ${fmt.mb(procStatusMb(child.pid, 'VmHWM'))} MB)`,
    );

    const times: number[] = [];
    let cookie = '';
    for (let i = 0; i < SIGN_INS; i++) {
      const r = await signIn(base);
      times.push(r.ms);
      cookie = r.cookie;
    }
    result.login = latencyOf(times);
    const sortedLogins = sortedCopy(times);
    say(
      `  sign-in × ${SIGN_INS} sequential   p50 ${fmt.ms(result.login.p50)} ms, p95 ${fmt.ms(result.login.p95)} ms, ` +
        `max ${fmt.ms(sortedLogins[sortedLogins.length - 1]!)} ms (first ${fmt.ms(times[0]!)} ms)`,
    );

    result.rssIdleMb = procStatusMb(child.pid, 'VmRSS');
    say(`  RSS idle after sign-ins  ${fmt.mb(result.rssIdleMb)} MB`);

    const headers = { cookie };
    const meUrl = `${base}/api/me`;
    const quiet = await unloaded(meUrl, headers);
    say(
      `  GET /api/me unloaded     p50 ${fmt.ms(quiet.p50)} ms, p95 ${fmt.ms(quiet.p95)} ms ` +
        `(${UNLOADED_REQUESTS} sequential requests)`,
    );
    say(
      `  GET /api/me under load   ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${LOAD_SECONDS} s ` +
        `(load average ${loadAverage()}) …`,
    );
    result.me = await load(meUrl, headers, child.pid);
    say(`    ${describeLoad(result.me)}`);
    say(
      `  RSS under load           peak ${fmt.mb(result.me.rssPeakMb)} MB sampled every ${RSS_SAMPLE_MS} ms ` +
        `(high-water mark since start ${fmt.mb(procStatusMb(child.pid, 'VmHWM'))} MB)`,
    );

    say(
      `  GET /bare baseline       same settings, separate plain Fastify child (load average ${loadAverage()}) …`,
    );
    result.bare = await load(bareUrl, {});
    say(`    ${describeLoad(result.bare)}`);
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    say(`  FAILED: ${result.error}`);
  } finally {
    await stopChild(child);
    if (child.exitCode !== 0) say(`  (${child.label} exited with code ${child.exitCode})`);
  }
  return result;
}

/** Splits cold start using the server's "Linkwork is running at … (ready in X s)" line. */
function coldStartBreakdown(child: Child, readyMs: number): string {
  if (child.readyLineAt === undefined || child.selfReportedS === undefined) return '';
  const startServerMs = child.selfReportedS * 1000;
  const beforeMs = Math.max(0, child.readyLineAt - startServerMs);
  return (
    `: ≈ ${fmt.s(beforeMs)} node loading modules, ${fmt.s(startServerMs)} startServer() ` +
    `(database open, migrations, demo seed, app build, listen), ` +
    `${fmt.ms(Math.max(0, readyMs - child.readyLineAt))} ms to the first 200 from /health/ready`
  );
}

const loadAverage = () => os.loadavg()[0]!.toFixed(2);

function describeLoad(l: Load): string {
  return (
    `${fmt.int(l.rps)} req/s (${fmt.int(l.total)} requests), p50 ${fmt.ms(l.p50)} ms, p95 ${fmt.ms(l.p95)} ms, ` +
    `p99 ${fmt.ms(l.p99)} ms (autocannon p97.5 ${l.autocannonP97_5 ?? '?'} ms), ` +
    `non-2xx ${l.non2xx}, errors ${l.errors}, timeouts ${l.timeouts}`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL server administration

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Summary

type Mark = boolean | undefined;
const markOf = (ok: Mark) => (ok === undefined ? '·' : ok ? '✓' : '✗');

interface Row {
  label: string;
  target: string;
  cell: (r: DbResult, kind: 'pglite' | 'postgres') => { text: string; ok: Mark } | undefined;
}

const rows: Row[] = [
  {
    label: 'cold start to ready',
    target: `≤ ${TARGET.coldStartS} s`,
    cell: (r) =>
      r.coldStartMs === undefined
        ? undefined
        : { text: fmt.s(r.coldStartMs), ok: r.coldStartMs <= TARGET.coldStartS * 1000 },
  },
  {
    label: `login p50 / p95 (${SIGN_INS} sequential)`,
    target: `p95 ≤ ${TARGET.loginP95Ms} ms`,
    cell: (r) =>
      r.login && {
        text: `${fmt.ms(r.login.p50)} / ${fmt.ms(r.login.p95)} ms`,
        ok: r.login.p95 <= TARGET.loginP95Ms,
      },
  },
  {
    label: 'GET /api/me rps',
    target: '',
    cell: (r) => r.me && { text: fmt.int(r.me.rps), ok: undefined },
  },
  {
    label: 'GET /api/me p50 / p95',
    target: `p95 ≤ ${TARGET.meP95Ms} ms (PostgreSQL)`,
    cell: (r, kind) =>
      r.me && {
        text: `${fmt.ms(r.me.p50)} / ${fmt.ms(r.me.p95)} ms`,
        ok: kind === 'postgres' ? r.me.p95 <= TARGET.meP95Ms : undefined,
      },
  },
  {
    label: 'GET /api/me non-2xx / errors',
    target: '0',
    cell: (r) =>
      r.me && {
        text: `${r.me.non2xx} / ${r.me.errors + r.me.timeouts}`,
        ok: r.me.non2xx === 0 && r.me.errors === 0 && r.me.timeouts === 0,
      },
  },
  {
    label: 'bare route rps / p95',
    target: '',
    cell: (r) => r.bare && { text: `${fmt.int(r.bare.rps)} / ${fmt.ms(r.bare.p95)} ms`, ok: undefined },
  },
  {
    label: '/api/me ÷ bare (rps)',
    target: `≥ ${TARGET.ratioPct} % (PostgreSQL)`,
    cell: (r, kind) => {
      if (!r.me || !r.bare || r.bare.rps === 0) return undefined;
      const pct = (100 * r.me.rps) / r.bare.rps;
      return { text: `${pct.toFixed(1)} %`, ok: kind === 'postgres' ? pct >= TARGET.ratioPct : undefined };
    },
  },
  {
    label: 'RSS idle / under load (peak)',
    target: `≤ ${TARGET.rssMb} MB`,
    cell: (r) => {
      if (r.rssIdleMb === undefined) return undefined;
      const peak = r.me?.rssPeakMb;
      const worst = Math.max(r.rssIdleMb, peak ?? 0);
      return { text: `${fmt.mb(r.rssIdleMb)} / ${fmt.mb(peak)} MB`, ok: worst <= TARGET.rssMb };
    },
  },
];

function printSummary(pglite: DbResult, postgres: DbResult | undefined) {
  const W = { label: 34, col: 22 };
  const cell = (r: DbResult | undefined, row: Row, kind: 'pglite' | 'postgres') => {
    if (!r) return 'skipped';
    const c = row.cell(r, kind);
    if (!c) return r.error ? 'failed' : '–';
    return `${c.text} ${markOf(c.ok)}`;
  };
  say();
  say(`${''.padEnd(W.label)}${'PGlite'.padEnd(W.col)}${'PostgreSQL'.padEnd(W.col)}target`);
  for (const row of rows) {
    say(
      `${row.label.padEnd(W.label)}${cell(pglite, row, 'pglite').padEnd(W.col)}` +
        `${cell(postgres, row, 'postgres').padEnd(W.col)}${row.target}`,
    );
  }
  say();
  say('✓ target met   ✗ target missed   · no target for this database');
  say(
    `Latency: client-side, exact percentiles over every 2xx response; load ${CONNECTIONS} connections, ` +
      `${LOAD_SECONDS} s after ${WARMUP_SECONDS} s warm-up; load generator and servers share this machine's ` +
      `${os.availableParallelism()} CPUs (other processes on it skew every figure: see the load averages above).`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Main

type Cleanup = () => Promise<void> | void;

async function runCleanups(cleanups: Cleanup[]) {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      say(`  cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

async function main(): Promise<number> {
  // Measure what `npm start` runs: the bundled server.
  const built = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:server failed');
  const started = performance.now();
  const cleanups: Cleanup[] = [];
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the servers and removing the throw-away data …`);
      void runCleanups(cleanups).then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }

  say(
    `Linkwork platform benchmark — node ${process.version}, ${os.availableParallelism()} CPUs, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GB, load average ${loadAverage()} at start`,
  );

  let pglite: DbResult = { error: 'not run' };
  let postgres: DbResult | undefined;
  try {
    const barePort = await freePort();
    const bare = startChild(
      'bare Fastify server',
      'bench/bare-server.ts',
      childEnv({ PORT: String(barePort) }),
    );
    cleanups.push(() => stopChild(bare));
    const bareUrl = `http://127.0.0.1:${barePort}/bare`;
    await waitReady(bare, bareUrl);

    // PGlite: a fresh empty data folder, so migrations and the demo seed run.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkwork-bench-'));
    cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
    const dataDir = path.join(tmp, 'pglite');
    mkdirSync(dataDir);
    pglite = await measureApp(
      'PGlite (embedded), empty data folder',
      childEnv({ LINKWORK_DATA_DIR: dataDir }),
      bareUrl,
      cleanups,
    );

    // PostgreSQL: a throw-away database on the server, dropped at the end.
    const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const dbName = `linkwork_bench_${Date.now()}`;
    let created = false;
    try {
      await adminQuery(adminUrl, `CREATE DATABASE ${dbName}`);
      created = true;
    } catch (err) {
      say(
        `\nPostgreSQL: skipped — ${adminUrl.replace(/\/\/[^@/]*@/, '//…@')} did not answer ` +
          `(${err instanceof Error ? err.message : String(err)})`,
      );
    }
    if (created) {
      cleanups.push(async () => {
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        say(`Dropped the throw-away database ${dbName}.`);
      });
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      postgres = await measureApp(
        `PostgreSQL server, fresh database ${dbName}`,
        childEnv({ DATABASE_URL: url.toString(), LINKWORK_DEMO: '1' }),
        bareUrl,
        cleanups,
      );
    }
  } finally {
    await runCleanups(cleanups);
  }

  printSummary(pglite, postgres);
  say(`\nBenchmark took ${fmt.s(performance.now() - started)}.`);
  const measuredSomething = !pglite.error || (postgres !== undefined && !postgres.error);
  return measuredSomething ? 0 : 1;
}

process.exitCode = await main();
