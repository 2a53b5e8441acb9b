// Helpers for bench/pathway.ts, copied from bench/platform.ts (child servers, autocannon with exact percentiles,
// PostgreSQL administration) and extended with per-request set-up (a different path or body on each request)
// and a raw-SQL load loop. Kept apart so the two benchmarks can later share one harness without touching
// bench/platform.ts now.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const CONNECTIONS = 16;
export const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const READY_POLL_MS = 50;
const READY_TIMEOUT_MS = 300_000;
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
  statusCodeStats?: Record<string, { count: number }>;
}
export interface CannonRequest {
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonInstance {
  on(
    event: 'response',
    listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void,
  ): void;
}
type Autocannon = (
  options: {
    url: string;
    connections: number;
    duration: number;
    headers?: Record<string, string>;
    method?: 'GET' | 'POST';
    requests?: { setupRequest?: (req: CannonRequest) => CannonRequest }[];
  },
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

export const say = (line = '') => {
  process.stdout.write(`${line}\n`);
};
// Output piped into `head` and closed early must not kill the run before it has cleaned up.
process.stdout.on('error', () => {});

/** Servers still running, so that even an abrupt exit does not leave them behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGTERM');
});
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function freePort(): Promise<number> {
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

export const fmt = {
  s: (ms: number) => `${(ms / 1000).toFixed(1)} s`,
  ms: (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)),
  int: (n: number) => Math.round(n).toLocaleString('en-GB'),
};

export const loadAverage = () => os.loadavg()[0]!.toFixed(2);

// ---------------------------------------------------------------------------------------------------------------
// Child processes: the built server as `npm start` runs it

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

export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
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

export interface Child {
  label: string;
  proc: ChildProcess;
  pid: number;
  spawnedAt: number;
  exitCode: number | null | undefined;
  exited: Promise<void>;
  tail: () => string;
}

/** `script`: the bundled server to run (default dist/main.js, as `npm start` runs it; see bundleServer). */
export function startServer(label: string, env: NodeJS.ProcessEnv, script = 'dist/main.js'): Child {
  const spawnedAt = performance.now();
  // The built server runs with the flags `npm start` gives it.
  const proc = spawn(process.execPath, ['--max-semi-space-size=4', script], {
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

/** SIGTERM (the app closes its database on it), then SIGKILL if it has not gone after 30 s. */
export async function stopChild(child: Child): Promise<void> {
  if (child.exitCode !== undefined) return;
  child.proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([
    child.exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 30_000);
    }),
  ]);
  clearTimeout(timer);
  if (!gone) {
    say(`  ${child.label} did not stop within 30 s of SIGTERM; killing it`);
    child.proc.kill('SIGKILL');
    await child.exited;
  }
}

/**
 * The server bundled as scripts/build-server.mjs bundles it, into `outDir` (beside the repository, not dist/, which
 * other work uses), where node_modules and migrations/ are found; returns the bundle's path for startServer.
 */
export async function bundleServer(outDir: string): Promise<string> {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'main.js');
  await build({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  });
  return outfile;
}

/** Polls url until it answers 200; returns ms since the child was spawned. */
export async function waitReady(child: Child, url: string): Promise<number> {
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
export { READY_LINE };

// ---------------------------------------------------------------------------------------------------------------
// Sessions

export interface Session {
  cookie: string;
  csrfToken: string;
}

export async function signIn(base: string, email: string, password: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/auth/sign-in answered ${res.status}: ${text}`);
  const body = JSON.parse(text) as { stage?: string; csrfToken: string };
  if (body.stage !== 'complete') throw new Error(`sign-in stage is ${body.stage}, expected complete`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('lw_session='));
  if (!cookie) throw new Error('sign-in set no lw_session cookie');
  return { cookie, csrfToken: body.csrfToken };
}

// ---------------------------------------------------------------------------------------------------------------
// Load

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
}

export function latencyOf(samples: number[]): Latency {
  const sorted = Float64Array.from(samples).sort();
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

export interface Load extends Latency {
  rps: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The first status codes other than 2xx, for the report. */
  statuses?: string;
}

export interface HttpLoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Called before every request: a different path or body each time. */
  setup?: (req: CannonRequest) => CannonRequest;
}

function cannon(spec: HttpLoadSpec, seconds: number, latencies?: number[]): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: CONNECTIONS,
        duration: seconds,
        headers: spec.headers,
        ...(spec.method ? { method: spec.method } : {}),
        ...(spec.setup ? { requests: [{ setupRequest: spec.setup }] } : {}),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (latencies) {
      instance.on('response', (_client, status, _bytes, ms) => {
        if (status >= 200 && status < 300) latencies.push(ms);
      });
    }
  });
}

/**
 * WARMUP_SECONDS of load that is thrown away (JIT, pool connections, plan caches), then LOAD_SECONDS measured.
 * Latency percentiles are exact, from every 2xx response time autocannon reports.
 */
export async function httpLoad(spec: HttpLoadSpec): Promise<Load> {
  await cannon(spec, WARMUP_SECONDS);
  const samples: number[] = [];
  const result = await cannon(spec, LOAD_SECONDS, samples);
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, s]) => `${code}×${s.count}`)
    .join(', ');
  return {
    ...latencyOf(samples),
    rps: samples.length / LOAD_SECONDS,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(statuses ? { statuses } : {}),
  };
}

/**
 * The same kind of load on the database directly: `concurrency` workers each running `op` back to back for
 * WARMUP_SECONDS (thrown away) then LOAD_SECONDS, every duration recorded.
 */
export async function rawLoad(op: () => Promise<unknown>, concurrency: number): Promise<Load> {
  const run = async (seconds: number, samples?: number[]) => {
    const end = performance.now() + seconds * 1000;
    let errors = 0;
    let firstError: unknown;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) {
          const started = performance.now();
          try {
            await op();
            samples?.push(performance.now() - started);
          } catch (err) {
            errors++;
            firstError ??= err;
          }
        }
      }),
    );
    return { errors, firstError };
  };
  await run(WARMUP_SECONDS);
  const samples: number[] = [];
  const { errors, firstError } = await run(LOAD_SECONDS, samples);
  if (firstError)
    say(`    first error: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
  return {
    ...latencyOf(samples),
    rps: samples.length / LOAD_SECONDS,
    total: samples.length + errors,
    non2xx: 0,
    errors,
    timeouts: 0,
  };
}

/** `op` n times in sequence, after a few unmeasured runs: the latency with nothing else in the queue. */
export async function sequential(op: () => Promise<unknown>, n: number, warmups = 10): Promise<Latency> {
  for (let i = 0; i < warmups; i++) await op();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await op();
    samples.push(performance.now() - started);
  }
  return latencyOf(samples);
}

/** One request as the load would send it (with its per-request set-up), failing on anything but 2xx. */
export function httpOnce(spec: HttpLoadSpec): () => Promise<void> {
  const url = new URL(spec.url);
  return async () => {
    const base: CannonRequest = {
      method: spec.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      headers: spec.headers,
    };
    const req = spec.setup ? spec.setup(base) : base;
    const res = await fetch(`${url.origin}${req.path}`, {
      method: req.method ?? 'GET',
      headers: spec.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
    });
    await res.arrayBuffer();
    if (res.status < 200 || res.status >= 300)
      throw new Error(`${req.method} ${req.path} answered ${res.status}`);
  };
}

export function describeLoad(l: Load): string {
  const problems = l.non2xx + l.errors + l.timeouts;
  return (
    `${fmt.int(l.rps)} req/s (${fmt.int(l.total)}), p50 ${fmt.ms(l.p50)} ms, p95 ${fmt.ms(l.p95)} ms, ` +
    `p99 ${fmt.ms(l.p99)} ms` +
    (problems
      ? `, non-2xx ${l.non2xx}${l.statuses ? ` (${l.statuses})` : ''}, errors ${l.errors + l.timeouts}`
      : '')
  );
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL server administration

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export type Cleanup = () => Promise<void> | void;

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * A throw-away database on the server `adminUrl` names (BENCH_DATABASE_URL): made now unless `reuse` (an earlier
 * BENCH_KEEP=1 run's), dropped by the cleanups unless kept or reused. Its URL, or undefined (with a line said)
 * when the server does not answer.
 */
export async function throwAwayDatabase(opts: {
  adminUrl: string;
  dbName: string;
  keep: boolean;
  reuse: boolean;
  cleanups: Cleanup[];
}): Promise<string | undefined> {
  const { adminUrl, dbName, keep, reuse, cleanups } = opts;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  admin.on('error', () => {});
  try {
    await admin.connect();
    if (!reuse) await admin.query(`CREATE DATABASE ${dbName}`);
  } catch (err) {
    say(`  skipped — ${adminUrl.replace(/\/\/[^@/]*@/, '//…@')} did not answer (${errorMessage(err)})`);
    await admin.end().catch(() => {});
    return undefined;
  }
  await admin.end();
  if (keep) say(`  BENCH_KEEP=1: the database ${dbName} is kept (drop it yourself when done)`);
  cleanups.push(async () => {
    if (keep || reuse) return say(`Kept the database ${dbName}.`);
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    say(`Dropped the throw-away database ${dbName}.`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

export async function runCleanups(cleanups: Cleanup[]) {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      say(`  cleanup failed: ${errorMessage(err)}`);
    }
  }
}
