// Pathway benchmark: `npm run bench:pathway`.
//
// Generates a national-scale dataset with set-based SQL (bench/pathway-generate.ts: 40 PCNs, 400 link workers,
// 500,000 people, 1,000,000 referrals, about 5,000,000 contacts and the pathway records that go with them), starts
// the real built server (node dist/main.js) on it, and measures under load (16 connections, 20 s after a 2 s
// warm-up, exact percentiles over every 2xx response): a link worker's caseload, a person's timeline, the triage
// queue and referral intake (POST). Beside each it runs the same SQL on the database directly
// (bench/pathway-queries.ts) and prints API ÷ raw, and EXPLAIN (ANALYZE, BUFFERS) of the raw read queries. Then the
// same on the embedded database (PGlite) at a tenth of the volume. It prints figures beside their targets and
// never fails on a missed target; it exits non-zero only when it could not measure at all.
//
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a server and a
// database to connect to for administration; the benchmark creates a throw-away database beside it and drops it
// at the end. The caller's DATABASE_URL is never read or changed.
//
// For quicker runs: BENCH_SCALE=0.01 (a hundredth of the volume; PGlite gets a tenth of that),
// BENCH_ONLY=postgres|pglite, BENCH_LOAD_SECONDS / BENCH_WARMUP_SECONDS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openDatabase, rowsOf } from '../src/db/client.ts';
import { demoPassword, seedDemo } from '../src/db/seed/demo.ts';
import { newReference } from '../src/modules/referrals/service.ts';
import { newId } from '../src/platform/ids.ts';
import {
  BENCH_EMAIL_DOMAIN,
  type Generated,
  generateDataset,
  INTAKE_PCN,
  MEASURED_PCN,
  type RunSql,
  type Volumes,
  volumesAt,
} from './pathway-generate.ts';
import {
  adminQuery,
  type CannonRequest,
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
  startServer,
  stopChild,
  WARMUP_SECONDS,
  waitReady,
} from './pathway-harness.ts';
import {
  caseloadSql,
  otherEpisodesSql,
  RAW_INTAKE_SQL,
  type RawQuery,
  timelineSql,
  triageQueueSql,
} from './pathway-queries.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ONLY = process.env.BENCH_ONLY;
const APP_ROLE = 'linkwork_app';
const TARGET = { readP95Ms: 10, intakeRps: 300, ratio: 3 };
const PLAN_LINES = 30;
const SEQUENTIAL_RUNS = 100;

type Op = 'caseload' | 'timeline' | 'triage' | 'intake';
const OPS: Op[] = ['caseload', 'timeline', 'triage', 'intake'];
const OP_LABEL: Record<Op, string> = {
  caseload: 'GET /api/caseload (link worker)',
  timeline: 'GET /api/people/:id/timeline (lead)',
  triage: 'GET /api/triage (lead)',
  intake: 'POST /api/referrals (referrer)',
};

interface Measure {
  api?: Load;
  raw?: Load;
  /** One request or query at a time (SEQUENTIAL_RUNS in a row): the latency without queueing. */
  apiOne?: Latency;
  rawOne?: Latency;
  /** PostgreSQL only: the raw read as a named prepared statement, planned once per connection. */
  rawOnePrepared?: Latency;
  apiError?: string;
  rawError?: string;
}

interface DbResult {
  kind: 'postgres' | 'pglite';
  volumes: Volumes;
  generation?: Generated;
  measures: Record<Op, Measure>;
  error?: string;
}

const emptyMeasures = (): Record<Op, Measure> => ({ caseload: {}, timeline: {}, triage: {}, intake: {} });
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

// ---------------------------------------------------------------------------------------------------------------
// Who and what is measured, found in the generated data

interface Targets {
  pcnId: string;
  /** The PCN and the organisations below it: what the app puts in linkwork.tenant_ids for its staff. */
  pcnScope: string[];
  linkWorker: { id: string; email: string; open: number };
  leadEmail: string;
  timelinePeople: { id: string; episodes: number; items: number }[];
  intake: { pcnId: string; scope: string[]; referrerId: string; referrerEmail: string; practiceId: string };
}

async function findTargets(run: RunSql): Promise<Targets> {
  const one = async (text: string) => {
    const [row] = await run(text);
    if (!row) throw new Error(`nothing found for: ${text}`);
    return row;
  };
  const ods = (idx: number) => `U9${String(idx).padStart(4, '0')}`;
  const pcnId = String(
    (await one(`SELECT id FROM organisations WHERE ods_code = '${ods(MEASURED_PCN)}'`)).id,
  );
  const scopeOf = async (id: string) =>
    (await run(`SELECT id FROM organisations WHERE id = '${id}' OR parent_id = '${id}' ORDER BY id`)).map(
      (r) => String(r.id),
    );
  const lw = await one(`
    SELECT u.id, u.email, count(*)::int AS open FROM referrals r JOIN users u ON u.id = r.allocated_link_worker_id
    WHERE r.organisation_id = '${pcnId}' AND r.status = 'accepted'
    GROUP BY u.id, u.email ORDER BY open DESC, u.email LIMIT 1`);
  const heavy = await run(`
    SELECT person_id, count(*)::int AS episodes FROM referrals WHERE organisation_id = '${pcnId}'
    GROUP BY person_id ORDER BY episodes DESC, person_id LIMIT 10`);
  const timelinePeople = [];
  for (const h of heavy) {
    const [row] = await run(
      `SELECT count(*)::int AS n FROM (${inline(timelineSql(String(h.person_id), new Date()))}) AS t`,
    );
    timelinePeople.push({
      id: String(h.person_id),
      episodes: Number(h.episodes),
      items: Number(row?.n ?? 0),
    });
  }
  const intakePcnId = String(
    (await one(`SELECT id FROM organisations WHERE ods_code = '${ods(INTAKE_PCN)}'`)).id,
  );
  const referrerEmail = `referrer.${INTAKE_PCN}@${BENCH_EMAIL_DOMAIN}`;
  const referrer = await one(`
    SELECT u.id, ra.organisation_id FROM users u JOIN role_assignments ra ON ra.user_id = u.id
    WHERE u.email = '${referrerEmail}' AND ra.role = 'referrer'`);
  return {
    pcnId,
    pcnScope: await scopeOf(pcnId),
    linkWorker: { id: String(lw.id), email: String(lw.email), open: Number(lw.open) },
    leadEmail: `lead.${MEASURED_PCN}@${BENCH_EMAIL_DOMAIN}`,
    timelinePeople,
    intake: {
      pcnId: intakePcnId,
      // A practice's referrer works in the practice's scope; intake adds the receiving PCN (alsoAllowTenant).
      scope: [String(referrer.organisation_id), intakePcnId],
      referrerId: String(referrer.id),
      referrerEmail,
      practiceId: String(referrer.organisation_id),
    },
  };
}

/** A parameterised query with its parameters written in, for the one-off counts above (uuids only). */
function inline(q: RawQuery): string {
  return q.text.replace(/\$(\d+)/g, (_, i: string) => {
    const v = q.params[Number(i) - 1];
    return v instanceof Date ? `'${v.toISOString()}'` : `'${String(v).replaceAll("'", "''")}'`;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The four operations, over HTTP and as raw SQL

const GIVEN = ['Ruth', 'Alan', 'Nadia', 'Kofi', 'Eileen', 'Marek', 'Sunita', 'Gareth', 'Yusuf', 'Hannah'];
const FAMILY = ['Barker', 'Osei', 'Lewandowski', 'Hussain', 'Pritchard', 'Fenwick', 'Adeyemi', 'Doyle'];
const any = <T>(values: readonly T[]) => values[Math.floor(Math.random() * values.length)]!;
function randomPerson() {
  const year = 1940 + Math.floor(Math.random() * 66);
  const month = 1 + Math.floor(Math.random() * 12);
  const day = 1 + Math.floor(Math.random() * 28);
  return {
    givenName: any(GIVEN),
    familyName: any(FAMILY),
    dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    sex: any(['female', 'male'] as const),
    postcode: `XX${1 + Math.floor(Math.random() * 20)} ${Math.floor(Math.random() * 10)}AB`,
    phone: `07700 900${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`,
  };
}
const INTAKE_CONTEXT = 'Lives alone since a bereavement; would like to meet people. Happy to be phoned.';

function intakeBody(): string {
  return JSON.stringify({
    person: randomPerson(),
    reasons: ['loneliness', 'mental_wellbeing'],
    context: INTAKE_CONTEXT,
    urgency: 'routine',
    consentToReferral: true,
  });
}

interface Sessions {
  linkWorker: Session;
  lead: Session;
  referrer: Session;
}

function httpSpec(op: Op, base: string, s: Sessions, t: Targets): HttpLoadSpec {
  let i = 0;
  switch (op) {
    case 'caseload':
      return { url: `${base}/api/caseload`, headers: { cookie: s.linkWorker.cookie } };
    case 'timeline': {
      const ids = t.timelinePeople.map((p) => p.id);
      return {
        url: `${base}/api/people/${ids[0]}/timeline`,
        headers: { cookie: s.lead.cookie },
        setup: (req: CannonRequest) => ({ ...req, path: `/api/people/${ids[i++ % ids.length]}/timeline` }),
      };
    }
    case 'triage':
      return { url: `${base}/api/triage`, headers: { cookie: s.lead.cookie } };
    case 'intake':
      return {
        url: `${base}/api/referrals`,
        method: 'POST',
        headers: {
          cookie: s.referrer.cookie,
          'x-csrf-token': s.referrer.csrfToken,
          'content-type': 'application/json',
        },
        setup: (req: CannonRequest) => ({ ...req, method: 'POST', body: intakeBody() }),
      };
  }
}

/** One request before the load: it must answer 2xx, and what it answers describes the work. */
async function probe(op: Op, spec: HttpLoadSpec): Promise<string> {
  const res = await fetch(spec.url, {
    method: spec.method ?? 'GET',
    headers: spec.headers,
    ...(op === 'intake' ? { body: intakeBody() } : {}),
  });
  const text = await res.text();
  if (res.status < 200 || res.status >= 300) {
    throw new Error(
      `${spec.method ?? 'GET'} ${new URL(spec.url).pathname} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  }
  const body = JSON.parse(text) as { items?: { stage?: string }[]; referral?: unknown; id?: string };
  if (op === 'caseload' && body.items) {
    const stages = new Map<string, number>();
    for (const item of body.items) stages.set(item.stage ?? '?', (stages.get(item.stage ?? '?') ?? 0) + 1);
    return `${body.items.length} open episodes (${[...stages].map(([k, n]) => `${n} ${k.replaceAll('_', ' ')}`).join(', ')})`;
  }
  if (body.items) return `${body.items.length} items`;
  return `answered ${res.status}`;
}

type Exec = (q: RawQuery) => Promise<Record<string, unknown>[]>;

function rawOp(op: Op, exec: Exec, t: Targets): () => Promise<unknown> {
  let i = 0;
  switch (op) {
    case 'caseload':
      return () => exec(caseloadSql(t.pcnId, t.linkWorker.id, new Date()));
    case 'timeline': {
      const ids = t.timelinePeople.map((p) => p.id);
      return () => exec(timelineSql(ids[i++ % ids.length]!, new Date()));
    }
    case 'triage': {
      const queue = triageQueueSql(t.pcnId);
      return async () => {
        const rows = await exec(queue);
        const ids = [...new Set(rows.map((r) => String(r.person_id)))];
        if (ids.length) await exec(otherEpisodesSql(ids));
      };
    }
    case 'intake':
      return () => {
        const p = randomPerson();
        return exec({
          text: RAW_INTAKE_SQL,
          params: [
            newId(),
            t.intake.pcnId,
            p.givenName,
            p.familyName,
            p.dateOfBirth,
            p.sex,
            p.postcode,
            p.phone,
            newId(),
            t.intake.referrerId,
            t.intake.practiceId,
            JSON.stringify(['loneliness', 'mental_wellbeing']),
            INTAKE_CONTEXT,
            newReference(),
          ],
        });
      };
  }
}

async function printPlans(exec: Exec, t: Targets, lines: number) {
  const plans: [string, RawQuery][] = [
    [
      `caseload of ${t.linkWorker.email} (${t.linkWorker.open} open)`,
      caseloadSql(t.pcnId, t.linkWorker.id, new Date()),
    ],
    [
      `timeline of the person with the most episodes (${t.timelinePeople[0]!.episodes} episodes, ${t.timelinePeople[0]!.items} items)`,
      timelineSql(t.timelinePeople[0]!.id, new Date()),
    ],
    ['triage queue (first of its two queries)', triageQueueSql(t.pcnId)],
  ];
  for (const [what, q] of plans) {
    say(`  EXPLAIN (ANALYZE, BUFFERS) raw ${what}:`);
    try {
      const rows = await exec({ text: `EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, params: q.params });
      const text = rows.map((r) => String(r['QUERY PLAN']));
      const shown =
        text.length <= lines ? text : [...text.slice(0, lines), `… (${text.length - lines} more lines)`];
      for (const l of shown) say(`    ${l}`);
      if (text.length > lines) {
        // Past the cut, what a reader looks for: scans of whole tables, and the totals.
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

// ---------------------------------------------------------------------------------------------------------------
// The server under load

async function measureApi(
  result: DbResult,
  label: string,
  env: NodeJS.ProcessEnv,
  t: Targets,
  ops: Op[],
  cleanups: Cleanup[],
  /** Called between the API load of one operation and the next (PostgreSQL runs its raw load there). */
  after?: (op: Op) => Promise<void>,
) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = startServer(`${label} server`, { ...env, PORT: String(port) });
  cleanups.push(() => stopChild(child));
  try {
    const readyMs = await waitReady(child, `${base}/health/ready`);
    say(`  server ready in ${fmt.s(readyMs)} on the generated data`);
    const sessions: Sessions = {
      linkWorker: await signIn(base, t.linkWorker.email, demoPassword),
      lead: await signIn(base, t.leadEmail, demoPassword),
      referrer: await signIn(base, t.intake.referrerEmail, demoPassword),
    };
    for (const op of ops) {
      const spec = httpSpec(op, base, sessions, t);
      say(`  ${OP_LABEL[op]}`);
      try {
        say(`    probe: ${await probe(op, spec)}`);
        const one = await sequential(httpOnce(spec), SEQUENTIAL_RUNS);
        result.measures[op].apiOne = one;
        say(
          `    API one request at a time (${SEQUENTIAL_RUNS}): p50 ${fmt.ms(one.p50)} ms, p95 ${fmt.ms(one.p95)} ms`,
        );
        say(
          `    API, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s + ${LOAD_SECONDS} s (load average ${loadAverage()}) …`,
        );
        result.measures[op].api = await httpLoad(spec);
        say(`      ${describeLoad(result.measures[op].api!)}`);
      } catch (err) {
        result.measures[op].apiError = errorText(err);
        say(`    API not measured: ${result.measures[op].apiError}`);
      }
      await after?.(op);
    }
  } finally {
    await stopChild(child);
  }
}

async function measureRaw(
  result: DbResult,
  op: Op,
  exec: Exec,
  t: Targets,
  concurrency: number,
  single?: { exec: Exec; prepared: Exec },
) {
  if (single) {
    try {
      const one = await sequential(rawOp(op, single.exec, t), SEQUENTIAL_RUNS);
      result.measures[op].rawOne = one;
      let line = `    raw SQL one query at a time (${SEQUENTIAL_RUNS}): p50 ${fmt.ms(one.p50)} ms, p95 ${fmt.ms(one.p95)} ms`;
      if (op !== 'intake') {
        const prepared = await sequential(rawOp(op, single.prepared, t), SEQUENTIAL_RUNS);
        result.measures[op].rawOnePrepared = prepared;
        line += `; as named prepared statements p50 ${fmt.ms(prepared.p50)} ms, p95 ${fmt.ms(prepared.p95)} ms`;
      }
      say(line);
    } catch (err) {
      say(`    raw SQL one at a time not measured: ${errorText(err)}`);
    }
  }
  say(
    `    raw SQL, ${concurrency === 1 ? 'one client in sequence' : `${concurrency} clients`}, ` +
      `${WARMUP_SECONDS} s + ${LOAD_SECONDS} s (load average ${loadAverage()}) …`,
  );
  try {
    result.measures[op].raw = await rawLoad(rawOp(op, exec, t), concurrency);
    say(`      ${describeLoad(result.measures[op].raw!)}`);
    // On PGlite the raw load is one query at a time already.
    if (concurrency === 1) result.measures[op].rawOne = result.measures[op].raw;
  } catch (err) {
    result.measures[op].rawError = errorText(err);
    say(`      raw not measured: ${result.measures[op].rawError}`);
  }
}

function describeTargets(t: Targets) {
  say(
    `  measured: PCN ${MEASURED_PCN} (tenant scope ${t.pcnScope.length} organisations), link worker ${t.linkWorker.email} ` +
      `with ${t.linkWorker.open} open episodes, lead ${t.leadEmail}`,
  );
  say(
    `  timelines: the ${t.timelinePeople.length} people of that PCN with the most episodes, in turn ` +
      `(${t.timelinePeople.map((p) => `${p.episodes}/${p.items}`).join(', ')} episodes/timeline items)`,
  );
  say(`  intake: ${t.intake.referrerEmail} (GP practice of PCN ${INTAKE_PCN}), a new person each time`);
}

function printGeneration(g: Generated) {
  say(`  generated in ${fmt.s(g.ms)}:`);
  say(
    `    ${Object.entries(g.counts)
      .filter(([k]) => !k.startsWith('referrals:'))
      .map(([k, n]) => `${k} ${fmt.int(n)}`)
      .join(', ')}`,
  );
  say(
    `    referrals by status: ${Object.entries(g.counts)
      .filter(([k]) => k.startsWith('referrals:'))
      .map(([k, n]) => `${k.slice('referrals: '.length)} ${fmt.int(n)}`)
      .join(', ')}`,
  );
}

const onStep = (name: string, ms: number) => say(`    ${fmt.s(ms).padStart(8)}  ${name}`);

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

async function runPostgres(cleanups: Cleanup[]): Promise<DbResult | undefined> {
  const volumes = volumesAt(SCALE);
  const result: DbResult = { kind: 'postgres', volumes, measures: emptyMeasures() };
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `linkwork_bench_${Date.now()}`;
  say(`\nPostgreSQL server, throw-away database ${dbName}`);
  try {
    await adminQuery(adminUrl, `CREATE DATABASE ${dbName}`);
  } catch (err) {
    say(`  skipped — ${adminUrl.replace(/\/\/[^@/]*@/, '//…@')} did not answer (${errorText(err)})`);
    return undefined;
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
    say(`  generating ${describeVolumes(volumes)} (set-based SQL, as the tables' owner) …`);
    const owner = new pg.Client({ connectionString: dbUrl });
    await owner.connect();
    let t: Targets;
    try {
      const run: RunSql = async (text) => (await owner.query(text)).rows;
      result.generation = await generateDataset(run, volumes, { kind: 'postgres', onStep });
      printGeneration(result.generation);
      t = await findTargets(run);
    } finally {
      await owner.end();
    }
    describeTargets(t);

    // Raw SQL works as the app role, with the tenant setting the app makes per transaction set for the whole
    // connection: the same row-level security, one round trip per query.
    const pool = (scope: string[]) => {
      const p = new pg.Pool({
        connectionString: dbUrl,
        max: CONNECTIONS,
        options: `-c role=${APP_ROLE} -c linkwork.tenant_ids=${scope.join(',')}`,
      });
      // An idle connection ended by the server (the database dropped at the end) is not an error here.
      p.on('error', () => {});
      return p;
    };
    const staff = pool(t.pcnScope);
    const referrer = pool(t.intake.scope);
    cleanups.push(async () => {
      await staff.end();
      await referrer.end();
    });
    const execOn =
      (p: pg.Pool): Exec =>
      async (q) =>
        (await p.query(q.text, q.params as unknown[])).rows as Record<string, unknown>[];

    // One connection each for the one-at-a-time runs, so that a named statement is planned once and reused.
    const single = async (scope: string[]) => {
      const client = new pg.Client({
        connectionString: dbUrl,
        options: `-c role=${APP_ROLE} -c linkwork.tenant_ids=${scope.join(',')}`,
      });
      client.on('error', () => {});
      await client.connect();
      cleanups.push(() => client.end());
      const names = new Map<string, string>();
      const nameOf = (text: string) => {
        const known = names.get(text);
        if (known) return known;
        const name = `bench_${names.size}`;
        names.set(text, name);
        return name;
      };
      return {
        exec: (async (q) => (await client.query(q.text, q.params as unknown[])).rows) as Exec,
        prepared: (async (q) =>
          (await client.query({ name: nameOf(q.text), text: q.text, values: q.params as unknown[] }))
            .rows) as Exec,
      };
    };
    const staffOne = await single(t.pcnScope);
    const referrerOne = await single(t.intake.scope);
    await measureApi(result, 'PostgreSQL', childEnv({ DATABASE_URL: dbUrl }), t, OPS, cleanups, (op) =>
      op === 'intake'
        ? measureRaw(result, op, execOn(referrer), t, CONNECTIONS, referrerOne)
        : measureRaw(result, op, execOn(staff), t, CONNECTIONS, staffOne),
    );
    await printPlans(execOn(staff), t, PLAN_LINES);
  } catch (err) {
    result.error = errorText(err);
    say(`  FAILED: ${result.error}`);
  }
  return result;
}

const describeVolumes = (v: Volumes) =>
  `${v.pcns} PCNs, ${v.pcns * v.linkWorkersPerPcn} link workers, ${fmt.int(v.people)} people, ` +
  `${fmt.int(v.referrals)} referrals, ≈ ${fmt.int(v.contacts)} contacts`;

// ---------------------------------------------------------------------------------------------------------------
// PGlite: one process's database, so generation and raw SQL run in this process while the server is stopped

async function runPglite(cleanups: Cleanup[]): Promise<DbResult> {
  const volumes = volumesAt(SCALE / 10);
  const result: DbResult = { kind: 'pglite', volumes, measures: emptyMeasures() };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkwork-bench-pathway-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const dataDir = path.join(tmp, 'pglite');
  const database = { kind: 'pglite' as const, dataDir };
  say(`\nPGlite (embedded), fresh data folder ${dataDir}`);
  try {
    say('  migrations and the demo seed …');
    let t: Targets;
    let app: Database = await openDatabase(database, { appRole: APP_ROLE });
    try {
      await seedDemo(app.db, new Date());
      // PGlite has one connection, which works as the app role: generate as the owner.
      await app.db.execute(sql.raw('RESET ROLE'));
      const run: RunSql = async (text) =>
        rowsOf<Record<string, unknown>>(await app.db.execute(sql.raw(text)));
      say(
        `  generating ${describeVolumes(volumes)} (set-based SQL, as the tables' owner, in this process) …`,
      );
      result.generation = await generateDataset(run, volumes, { kind: 'pglite', onStep });
      printGeneration(result.generation);
      t = await findTargets(run);
    } finally {
      await app.close();
    }
    describeTargets(t);

    say('  raw SQL first, in this process while no server holds the folder:');
    app = await openDatabase(database, { appRole: APP_ROLE });
    try {
      const setScope = (scope: string[]) =>
        app.db.execute(sql`select set_config('linkwork.tenant_ids', ${scope.join(',')}, false)`);
      const exec: Exec = (q) => app.prepared<Record<string, unknown>>('bench', q.text, q.params);
      for (const op of OPS) {
        say(`  ${OP_LABEL[op]}`);
        await setScope(op === 'intake' ? t.intake.scope : t.pcnScope);
        await measureRaw(result, op, exec, t, 1);
      }
      await setScope(t.pcnScope);
      await printPlans(exec, t, 12);
    } finally {
      await app.close();
    }

    say('  then the API, the server started on the same folder:');
    await measureApi(result, 'PGlite', childEnv({ LINKWORK_DATA_DIR: dataDir }), t, OPS, cleanups);
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
const pair = (l: Load) => `${fmt.ms(l.p50)} / ${fmt.ms(l.p95)} ms`;

/** API ÷ raw: by p95 on PostgreSQL (both 16-way); by throughput on PGlite, which serves one query at a time. */
function ratio(r: DbResult, op: Op): number | undefined {
  const { api, raw } = r.measures[op];
  if (!api || !raw) return undefined;
  return r.kind === 'postgres' ? api.p95 / raw.p95 : raw.rps / api.rps;
}

interface Row {
  label: string;
  target: string;
  cell: (r: DbResult) => { text: string; ok: Mark } | undefined;
}

function rowsFor(): Row[] {
  const rows: Row[] = [
    {
      label: 'dataset generation',
      target: 'minutes',
      cell: (r) => r.generation && { text: fmt.s(r.generation.ms), ok: r.generation.ms < 15 * 60_000 },
    },
  ];
  for (const op of OPS) {
    const name = {
      caseload: 'caseload',
      timeline: 'timeline',
      triage: 'triage queue',
      intake: 'intake POST',
    }[op];
    if (op === 'intake') {
      rows.push({
        label: `${name} API req/s`,
        target: `≥ ${TARGET.intakeRps}/s`,
        cell: (r) =>
          r.measures[op].api && {
            text: fmt.int(r.measures[op].api!.rps),
            ok: r.measures[op].api!.rps >= TARGET.intakeRps,
          },
      });
    }
    rows.push({
      label: `${name} API p50 / p95`,
      target: op === 'intake' ? '' : `p95 ≤ ${TARGET.readP95Ms} ms`,
      cell: (r) => {
        const m = r.measures[op];
        if (!m.api) return m.apiError ? { text: 'no answer', ok: false } : undefined;
        return { text: pair(m.api), ok: op === 'intake' ? undefined : m.api.p95 <= TARGET.readP95Ms };
      },
    });
    rows.push({
      label: `${name} raw SQL p50 / p95`,
      target: '',
      cell: (r) => r.measures[op].raw && { text: pair(r.measures[op].raw!), ok: undefined },
    });
    rows.push({
      label: `${name} one at a time p50`,
      target: 'API / raw (prepared)',
      cell: (r) => {
        const m = r.measures[op];
        if (!m.apiOne && !m.rawOne) return undefined;
        const v = (l?: Latency) => (l ? fmt.ms(l.p50) : '–');
        const prepared = m.rawOnePrepared ? ` (${v(m.rawOnePrepared)})` : '';
        return { text: `${v(m.apiOne)} / ${v(m.rawOne)}${prepared} ms`, ok: undefined };
      },
    });
    rows.push({
      label: `${name} API ÷ raw`,
      target: `≤ ${TARGET.ratio}×`,
      cell: (r) => {
        const x = ratio(r, op);
        return x === undefined ? undefined : { text: `${x.toFixed(1)}×`, ok: x <= TARGET.ratio };
      },
    });
  }
  return rows;
}

function printSummary(postgres: DbResult | undefined, pglite: DbResult | undefined) {
  const W = { label: 32, col: 24 };
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
  say('✓ target met   ✗ target missed   · no target');
  for (const r of [postgres, pglite]) {
    if (r) say(`${r.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${describeVolumes(r.volumes)}.`);
  }
  say(
    `API: client-side latency, exact percentiles over every 2xx response, ${CONNECTIONS} connections, ` +
      `${LOAD_SECONDS} s after ${WARMUP_SECONDS} s warm-up. Raw SQL: the same statements on the database as the ` +
      `app role with the same tenant setting (row-level security on), ${CONNECTIONS} clients on PostgreSQL, one ` +
      'client in sequence in-process on PGlite. API ÷ raw: p95 ÷ p95 on PostgreSQL; raw req/s ÷ API req/s on ' +
      'PGlite, which answers one query at a time. The load generator, the server and the database share this ' +
      `machine's ${os.availableParallelism()} CPUs (see the load averages above).`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const built = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:server failed');
  const started = performance.now();
  const cleanups: Cleanup[] = [];
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the server and removing the throw-away data …`);
      void runCleanups(cleanups).then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  say(
    `Linkwork pathway benchmark — node ${process.version}, ${os.availableParallelism()} CPUs, ` +
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
    r !== undefined && OPS.some((op) => r.measures[op].api || r.measures[op].raw);
  return measured(postgres) || measured(pglite) ? 0 : 1;
}

process.exitCode = await main();
