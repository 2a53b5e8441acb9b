// Research workspace benchmark (issue 7): `npm run bench:research`.
//
// Generates a realist evaluation's coded interviews (bench/research-generate.ts: a new study in the demo ICB with
// the demo researcher as lead and the demo coder on its team; 200 de-identified transcripts of about 8,000 words,
// one of 20,000; 100 codes in two levels; 40,000 codings by the two of them) on a throw-away PostgreSQL database
// and on a fresh PGlite folder, starts the real server on each (bundled as `npm start` runs it, into
// .tmp/bench-research/, not dist/) and measures, against issue 7's targets:
//   - opening the 20,000-word transcript with its codings at /research/sources/:id in headless Chromium (fresh
//     profile, the lead's session): from navigation start until its last words are on screen and the network is
//     idle, the first load and then warm ones;
//   - applying a code, POST /api/research/sources/:id/codings as the coder, spread over transcripts, codes and
//     spans that the coder has not coded with that code (so no 409), one at a time and under 16 connections;
//   - retrieval of the most used code across the study, GET /api/research/studies/:id/segments?all=<code> (lead),
//     one at a time and under 16 connections;
//   - κ over all codes, GET /api/research/studies/:id/agreement?coderA=<lead>&coderB=<coder>, one at a time;
//   - the .qdpx export of the whole study, GET …/export.qdpx, and its import, POST …/import.qdpx, into an empty
//     study with the same team;
//   - beside retrieval and agreement, their main statements on the database directly as the app role (row-level
//     security on), one at a time, with EXPLAIN (ANALYZE, BUFFERS).
// It prints figures beside their targets and never fails on a missed target; an endpoint or page that is not
// there yet is reported as such. It exits non-zero only when it could not measure anything at all.
//
// PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names a server to
// administer; a throw-away database is made beside it and dropped at the end (BENCH_KEEP=1 keeps it). The caller's
// DATABASE_URL is never read or changed. PGlite gets the same volumes in a temporary folder.
//
// Knobs: BENCH_SCALE=0.1 (a tenth of the transcripts and codings; the long transcript stays 20,000 words),
// BENCH_ONLY=postgres|pglite, BENCH_SEED (default 7), BENCH_LOAD_SECONDS / BENCH_WARMUP_SECONDS, BENCH_KEEP=1,
// BENCH_WEB_BUILD=1 (run `npm run build:web` first; by default the page is measured on web/dist as it is, since
// other work may be using it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openDatabase, rowsOf } from '../src/db/client.ts';
import { demoPassword, seedDemo } from '../src/db/seed/demo.ts';
import { type Span, unionOf } from '../src/modules/research/agreement/spans.ts';
import { webDist } from '../src/platform/paths.ts';
import type { RunSql } from './pathway-generate.ts';
import {
  bundleServer,
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
  latencyOf,
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
import type { RawQuery } from './pathway-queries.ts';
import {
  type InsertedStudy,
  insertStudy,
  planStudy,
  type ResearchVolumes,
  researchVolumesAt,
  type StudyPlan,
} from './research-generate.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ONLY = process.env.BENCH_ONLY;
const SEED = Number(process.env.BENCH_SEED ?? 7);
const KEEP = process.env.BENCH_KEEP === '1';
const WEB_BUILD = process.env.BENCH_WEB_BUILD === '1';
const APP_ROLE = 'linkwork_app';
const LEAD = 'researcher@demo.linkwork.example';
const CODER = 'coder@demo.linkwork.example';
const DEMO_ICB_ODS = 'QZZ';
const BUNDLE_DIR = path.join(root, '.tmp', 'bench-research');
const PLAN_LINES = 30;
/** The route's own 404 for an API it does not have (apiNotFound in src/platform/problem.ts). */
const NO_ROUTE = /^There is no API at /;

const TARGET = {
  pageMs: 1000,
  codeP95Ms: 100,
  retrievalMs: 200,
  agreementMs: 1000,
  exportMs: 10_000,
  importMs: 20_000,
};
const RUNS = { code: 100, retrieval: 30, agreement: 5, export: 3, page: 5, raw: 20 };

interface Measure {
  one?: Latency;
  load?: Load;
  /** What the first answer held, in a few words. */
  probe?: string;
  notAvailable?: boolean;
  error?: string;
}

interface PageLoad {
  /** The first load, fresh profile: until the last words are on screen and the network is idle. */
  firstMs: number;
  /** Later loads with the browser's cache warm. */
  warm: Latency;
  warmRuns: number;
  /** Why warm loads that did not show the transcript did not (web/dist rebuilt meanwhile, say). */
  warmFailed: string[];
  /** First load: when the transcript's first and last words were on screen, the last response ended. */
  firstWordsMs: number;
  lastWordsMs: number;
  networkIdleMs: number;
  /** The GET /api/research/sources/:id of the first load: its duration and size. */
  sourceApiMs: number | null;
  sourceApiKb: number | null;
  requests: number;
  /** The last words were seen in an animation frame, or by the 50 ms timer (up to 50 ms late). */
  seenVia: 'frame' | 'timer' | null;
}

interface RawFigures {
  label: string;
  one?: Latency;
  rows?: number;
  error?: string;
}

interface DbResult {
  kind: 'postgres' | 'pglite';
  volumes: ResearchVolumes;
  generationMs?: number;
  counts?: Record<string, number>;
  page?: PageLoad;
  pageNote?: string;
  code: Measure;
  codeLoad: Measure;
  retrieval: Measure;
  agreement: Measure;
  exported: Measure & { bytes?: number };
  imported: Measure;
  raw: RawFigures[];
  error?: string;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// ---------------------------------------------------------------------------------------------------------------
// What is measured, from the plan and the inserted ids

interface Targets {
  icbScope: string[];
  leadId: string;
  coderId: string;
  study: InsertedStudy;
  longSource: { id: string; name: string; words: number; length: number; codings: number; closing: string };
  /** The transcript's first sentence after the first speaker label: what a reader sees first. */
  opening: string;
  retrievalCode: { id: string; name: string; codings: number };
}

async function findPeople(run: RunSql) {
  const one = async (text: string) => {
    const [row] = await run(text);
    if (!row) throw new Error(`nothing found for: ${text}`);
    return row;
  };
  const icbId = String((await one(`SELECT id FROM organisations WHERE ods_code = '${DEMO_ICB_ODS}'`)).id);
  const leadId = String((await one(`SELECT id FROM users WHERE email = '${LEAD}'`)).id);
  const coderId = String((await one(`SELECT id FROM users WHERE email = '${CODER}'`)).id);
  const scope = (
    await run(`
      WITH RECURSIVE sub (id) AS (
        SELECT id FROM organisations WHERE id = '${icbId}'
        UNION ALL SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id)
      SELECT id FROM sub ORDER BY id`)
  ).map((r) => String(r.id));
  return { icbId, leadId, coderId, scope };
}

function targetsOf(plan: StudyPlan, study: InsertedStudy, people: Awaited<ReturnType<typeof findPeople>>) {
  const long = plan.sources[0]!;
  const uses = new Map<number, number>();
  for (const c of plan.codings) uses.set(c.code, (uses.get(c.code) ?? 0) + 1);
  const [top, count] = [...uses].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
  const firstTurn = long.turns[0]!;
  const targets: Targets = {
    icbScope: people.scope,
    leadId: people.leadId,
    coderId: people.coderId,
    study,
    longSource: {
      id: study.sourceIds[0]!,
      name: long.name,
      words: long.words,
      length: long.text.length,
      codings: plan.codings.filter((c) => c.source === 0).length,
      closing: long.closing,
    },
    opening: long.text
      .slice(firstTurn.start, firstTurn.end)
      .replace(/^[^:]+:\s*/, '')
      .split(/(?<=[.?])\s/)[0]!,
    retrievalCode: { id: study.codeIds[top]!, name: plan.codes[top]!.name, codings: count },
  };
  return targets;
}

function describeTargets(t: Targets) {
  const l = t.longSource;
  say(
    `  page: ${l.name}, ${fmt.int(l.words)} words (${fmt.int(l.length)} characters), ${fmt.int(l.codings)} codings ` +
      'by both coders, opened by the lead',
  );
  say(
    `  retrieval: “${t.retrievalCode.name}”, the most used code (${fmt.int(t.retrievalCode.codings)} codings)`,
  );
}

/**
 * Spans for the coder to code: transcript by transcript (round robin), code by code, 40 characters at a time on
 * a grid, skipping any that meet the coder's own coding of that code there — so no request is refused (409).
 */
function freeSpans(plan: StudyPlan, study: InsertedStudy): () => { sourceId: string; body: string } {
  const taken = new Map<string, { start: number; end: number }[]>();
  for (const c of plan.codings) {
    if (c.coder !== 1) continue;
    const key = `${c.source}:${c.code}`;
    const list = taken.get(key) ?? [];
    list.push({ start: c.start, end: c.end });
    taken.set(key, list);
  }
  const next = new Map<string, number>();
  const S = plan.sources.length;
  const C = plan.codes.length;
  const STEP = 97;
  const WIDTH = 40;
  let n = 0;
  return () => {
    for (;;) {
      const source = n % S;
      const code = Math.floor(n / S) % C;
      n++;
      const key = `${source}:${code}`;
      const length = plan.sources[source]!.text.length;
      let slot = next.get(key) ?? 0;
      for (; (slot + 1) * STEP + WIDTH <= length; slot++) {
        const start = (slot + 1) * STEP;
        const end = start + WIDTH;
        if (!taken.get(key)?.some((o) => o.start < end && o.end > start)) {
          next.set(key, slot + 1);
          return {
            sourceId: study.sourceIds[source]!,
            body: JSON.stringify({ codeIds: [study.codeIds[code]!], start, end }),
          };
        }
      }
      next.set(key, slot);
    }
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Raw SQL: the main statements of retrieval and agreement, as analysis.ts runs them

type Exec = (q: RawQuery) => Promise<Record<string, unknown>[]>;

function retrievalCodingsSql(t: Targets): RawQuery {
  return {
    text: `select source_id, code_id, start_offset, end_offset from research_codings
      where study_id = $1 and code_id = any($2::uuid[])`,
    params: [t.study.studyId, [t.retrievalCode.id]],
  };
}

/** The text of each segment, cut by the database (the first 1,000 segments, as the API lists). */
function segmentTextsSql(spans: { sourceId: string; start: number; end: number }[]): RawQuery {
  return {
    text: `select k.i, substr(s.text, k.s + 1, least(k.e - k.s, 2000)) as text
      from unnest($1::uuid[], $2::int[], $3::int[]) with ordinality as k(source_id, s, e, i)
      join research_sources s on s.id = k.source_id`,
    params: [spans.map((x) => x.sourceId), spans.map((x) => x.start), spans.map((x) => x.end)],
  };
}

function agreementCodingsSql(t: Targets): RawQuery {
  return {
    text: `select c.coder_id as "coderId", c.code_id as "codeId", c.source_id as "sourceId",
        c.start_offset as start, c.end_offset as "end"
      from research_codings c
      where c.study_id = $1 and c.coder_id in ($2, $3)`,
    params: [t.study.studyId, t.leadId, t.coderId],
  };
}

function agreementSourcesSql(t: Targets): RawQuery {
  return {
    text: `select id, name, length, turns from research_sources
      where study_id = $1 and status = 'ready' and id = any($2::uuid[])
      order by name, id`,
    params: [t.study.studyId, t.study.sourceIds],
  };
}

/**
 * For comparison: the same text read with one substr per transcript, over the range its segments cover (each
 * segment then cut from that in the app), instead of one per segment.
 */
function coveredRangesSql(spans: { sourceId: string; start: number; end: number }[]): RawQuery {
  return {
    text: `select s.id, substr(s.text, r.lo + 1, r.hi - r.lo) as text
      from (select source_id, min(k.s) as lo, max(k.e) as hi
        from unnest($1::uuid[], $2::int[], $3::int[]) as k(source_id, s, e) group by source_id) r
      join research_sources s on s.id = r.source_id`,
    params: [spans.map((x) => x.sourceId), spans.map((x) => x.start), spans.map((x) => x.end)],
  };
}

/** The segments retrieval lists: each transcript's union of the code's codings, transcript by transcript. */
function segmentsOf(rows: Record<string, unknown>[]) {
  const bySource = new Map<string, Span[]>();
  for (const r of rows) {
    const list = bySource.get(String(r.source_id)) ?? [];
    list.push({ start: Number(r.start_offset), end: Number(r.end_offset) });
    bySource.set(String(r.source_id), list);
  }
  return [...bySource]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .flatMap(([sourceId, spans]) => unionOf(spans).map((s) => ({ sourceId, ...s })));
}

async function measureRaw(result: DbResult, exec: Exec, t: Targets) {
  const segments = segmentsOf(await exec(retrievalCodingsSql(t))).slice(0, 1000);
  const statements: [string, RawQuery][] = [
    ['retrieval: the code’s codings', retrievalCodingsSql(t)],
    [`retrieval: the text of ${segments.length} segments (substr)`, segmentTextsSql(segments)],
    [`for comparison, the same text cut once per transcript`, coveredRangesSql(segments)],
    ['agreement: both coders’ codings', agreementCodingsSql(t)],
    ['agreement: the sources with their turns', agreementSourcesSql(t)],
  ];
  for (const [label, q] of statements) {
    const figures: RawFigures = { label };
    result.raw.push(figures);
    try {
      figures.rows = (await exec(q)).length;
      figures.one = await sequential(() => exec(q), RUNS.raw, 3);
      say(
        `    raw SQL, ${label}: ${fmt.int(figures.rows)} rows, p50 ${fmt.ms(figures.one.p50)} ms, ` +
          `p95 ${fmt.ms(figures.one.p95)} ms (${RUNS.raw} in a row)`,
      );
    } catch (err) {
      figures.error = errorText(err);
      say(`    raw SQL, ${label}: failed: ${figures.error}`);
    }
  }
  for (const [label, q] of statements.filter(([label]) => !label.startsWith('for comparison'))) {
    say(`  EXPLAIN (ANALYZE, BUFFERS) ${label}:`);
    try {
      const rows = await exec({ text: `EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, params: q.params });
      // Long lines are filters listing every id: their start says enough.
      const text = rows
        .map((r) => String(r['QUERY PLAN']))
        .map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l));
      const shown =
        text.length <= PLAN_LINES
          ? text
          : [...text.slice(0, PLAN_LINES), `… (${text.length - PLAN_LINES} more lines)`];
      for (const l of shown) say(`    ${l}`);
    } catch (err) {
      say(`    failed: ${errorText(err)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The API

/** One request; undefined when the server has no such route (yet), else its status, body and size. */
async function probe(
  url: string,
  init: RequestInit,
): Promise<{ status: number; json: Record<string, unknown>; bytes: number } | undefined> {
  const res = await fetch(url, init);
  const buffer = Buffer.from(await res.arrayBuffer());
  let json: Record<string, unknown> = {};
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      json = JSON.parse(buffer.toString('utf8')) as Record<string, unknown>;
    } catch {
      // described by its size
    }
  }
  if (res.status === 404 && NO_ROUTE.test(String(json.detail ?? ''))) return undefined;
  if (res.status < 200 || res.status >= 300) {
    throw new Error(
      `${init.method ?? 'GET'} ${new URL(url).pathname} answered ${res.status}: ${buffer.toString('utf8').slice(0, 300)}`,
    );
  }
  return { status: res.status, json, bytes: buffer.length };
}

const num = (v: unknown, digits = 2) => (typeof v === 'number' ? v.toFixed(digits) : '–');

async function measureApi(
  result: DbResult,
  label: string,
  env: NodeJS.ProcessEnv,
  bundle: string,
  t: Targets,
  plan: StudyPlan,
  cleanups: Cleanup[],
) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = startServer(`${label} server`, { ...env, PORT: String(port), PUBLIC_URL: base }, bundle);
  cleanups.push(() => stopChild(child));
  try {
    const readyMs = await waitReady(child, `${base}/health/ready`);
    say(`  server ready in ${fmt.s(readyMs)} on the generated data`);
    const lead = await signIn(base, LEAD, demoPassword);
    const coder = await signIn(base, CODER, demoPassword);
    const study = `${base}/api/research/studies/${t.study.studyId}`;

    say('  opening the long transcript in Chromium:');
    try {
      const page = await measurePage(base, lead, t);
      if (typeof page === 'string') {
        result.pageNote = page;
        say(`    not measured: ${page}`);
      } else {
        result.page = page;
        say(
          `    first load ${fmt.ms(page.firstMs)} ms (first words on screen ${fmt.ms(page.firstWordsMs)} ms, last ` +
            `words ${fmt.ms(page.lastWordsMs)} ms, last response ended ${fmt.ms(page.networkIdleMs)} ms; ` +
            `seen by ${page.seenVia}; ${page.requests} requests; GET /api/research/sources/:id ` +
            `${page.sourceApiMs === null ? '–' : `${fmt.ms(page.sourceApiMs)} ms`}` +
            `${page.sourceApiKb === null ? '' : `, ${page.sourceApiKb.toFixed(0)} KB`}); ` +
            `warm loads (${page.warmRuns}): p50 ${fmt.ms(page.warm.p50)} ms, max ${fmt.ms(page.warm.p99)} ms`,
        );
        for (const why of page.warmFailed) say(`    a warm load failed: ${why}`);
      }
    } catch (err) {
      result.pageNote = `failed: ${errorText(err)}`;
      say(`    ${result.pageNote}`);
    }

    const retrieval: HttpLoadSpec = {
      url: `${study}/segments?all=${t.retrievalCode.id}`,
      headers: { cookie: lead.cookie },
    };
    await measureRead(
      result.retrieval,
      'GET …/segments?all=<code> (lead)',
      retrieval,
      RUNS.retrieval,
      (p) => {
        const segments = p.json.segments as { total?: number; listed?: unknown[] } | undefined;
        const coverage = p.json.coverage as { percent?: number } | undefined;
        return (
          `${segments?.total ?? '?'} segments (${segments?.listed?.length ?? '?'} listed with their text) in ` +
          `${(p.json.sources as unknown[] | undefined)?.length ?? '?'} transcripts, coverage ` +
          `${coverage?.percent ?? '?'} %, ${kb(p.bytes)}`
        );
      },
    );
    if (result.retrieval.one) {
      say(`    under load, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s + ${LOAD_SECONDS} s …`);
      result.retrieval.load = await httpLoad(retrieval);
      say(`      ${describeLoad(result.retrieval.load)}`);
    }

    const agreement: HttpLoadSpec = {
      url: `${study}/agreement?coderA=${t.leadId}&coderB=${t.coderId}`,
      headers: { cookie: lead.cookie },
    };
    await measureRead(
      result.agreement,
      'GET …/agreement?coderA=<lead>&coderB=<coder>',
      agreement,
      RUNS.agreement,
      (p) => {
        const overall = (p.json.characters as { overall?: Record<string, Record<string, unknown>> })?.overall;
        const turns = p.json.turns as {
          units?: number;
          codes?: { krippendorffAlpha?: { alpha?: number | null } }[];
        } | null;
        const alphas = (turns?.codes ?? [])
          .map((c) => c.krippendorffAlpha?.alpha)
          .filter((a): a is number => typeof a === 'number')
          .sort((a, b) => a - b);
        const disagreements = p.json.disagreements as { total?: number } | undefined;
        return (
          `character κ pooled ${num(overall?.pooled?.kappa)}, source-weighted ${num(overall?.sourceWeighted?.kappa)}; ` +
          `${turns?.units ?? 0} speaker turns, median α over codes ${num(alphas[alphas.length >> 1])}; ` +
          `${disagreements?.total ?? '?'} disagreements; ${kb(p.bytes)}`
        );
      },
      1,
    );

    let exported: Buffer | undefined;
    say('  GET …/export.qdpx (lead)');
    try {
      const exportOnce = async () => {
        const res = await fetch(`${study}/export.qdpx`, { headers: { cookie: lead.cookie } });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status === 404 && NO_ROUTE.test(body.toString('utf8'))) throw new NoRoute();
        if (res.status !== 200)
          throw new Error(`answered ${res.status}: ${body.toString('utf8').slice(0, 300)}`);
        exported = body;
      };
      result.exported.one = await sequential(exportOnce, RUNS.export, 1);
      result.exported.bytes = exported!.length;
      say(
        `    ${mb(exported!.length)}; ${RUNS.export} in a row after one unmeasured: p50 ` +
          `${fmt.ms(result.exported.one.p50)} ms, max ${fmt.ms(result.exported.one.p99)} ms`,
      );
    } catch (err) {
      if (err instanceof NoRoute) {
        result.exported.notAvailable = true;
        say('    not available yet (404, no such route)');
      } else {
        result.exported.error = errorText(err);
        say(`    not measured: ${result.exported.error}`);
      }
    }

    say('  POST …/import.qdpx (lead), into an empty study with the same team, once');
    if (exported) {
      try {
        const started = performance.now();
        const p = await probe(`${base}/api/research/studies/${t.study.importStudyId}/import.qdpx`, {
          method: 'POST',
          headers: {
            cookie: lead.cookie,
            'x-csrf-token': lead.csrfToken,
            'content-type': 'application/zip',
          },
          body: Uint8Array.from(exported),
        });
        const ms = performance.now() - started;
        if (!p) {
          result.imported.notAvailable = true;
          say('    not available yet (404, no such route)');
        } else {
          result.imported.one = latencyOf([ms]);
          const j = p.json;
          result.imported.probe =
            `${j.sources} sources, ${j.codings} codings, ${j.codesCreated} codes, ${j.memos} memos, ` +
            `${(j.warnings as unknown[] | undefined)?.length ?? 0} warnings`;
          say(`    ${fmt.ms(ms)} ms: ${result.imported.probe}`);
        }
      } catch (err) {
        result.imported.error = errorText(err);
        say(`    not measured: ${result.imported.error}`);
      }
    } else {
      say('    not measured: no export to import');
    }

    // Last, because it writes: applying codes as the coder.
    const nextSpan = freeSpans(plan, t.study);
    const code: HttpLoadSpec = {
      url: `${base}/api/research/sources/${t.longSource.id}/codings`,
      method: 'POST',
      headers: { cookie: coder.cookie, 'x-csrf-token': coder.csrfToken, 'content-type': 'application/json' },
      setup: (req) => {
        const { sourceId, body } = nextSpan();
        return { ...req, method: 'POST', path: `/api/research/sources/${sourceId}/codings`, body };
      },
    };
    say('  POST /api/research/sources/:id/codings (coder), a different transcript, code and span each time');
    try {
      const first = nextSpan();
      const p = await probe(`${base}/api/research/sources/${first.sourceId}/codings`, {
        method: 'POST',
        headers: code.headers,
        body: first.body,
      });
      if (!p) {
        result.code.notAvailable = true;
        say('    not available yet (404, no such route)');
      } else {
        say(
          `    probe: answered ${p.status}, ${(p.json.items as unknown[] | undefined)?.length ?? '?'} coding`,
        );
        result.code.one = await sequential(httpOnce(code), RUNS.code);
        say(
          `    one at a time (${RUNS.code}): p50 ${fmt.ms(result.code.one.p50)} ms, p95 ${fmt.ms(result.code.one.p95)} ms`,
        );
        say(`    under load, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s + ${LOAD_SECONDS} s …`);
        result.codeLoad.load = await httpLoad(code);
        say(`      ${describeLoad(result.codeLoad.load)}`);
      }
    } catch (err) {
      result.code.error = errorText(err);
      say(`    not measured: ${result.code.error}`);
    }
  } finally {
    await stopChild(child);
  }
}

class NoRoute extends Error {}

async function measureRead(
  m: Measure,
  what: string,
  spec: HttpLoadSpec,
  runs: number,
  describe: (p: { json: Record<string, unknown>; bytes: number }) => string,
  warmups = 5,
) {
  say(`  ${what}`);
  try {
    const started = performance.now();
    const p = await probe(spec.url, { headers: spec.headers });
    const firstMs = performance.now() - started;
    if (!p) {
      m.notAvailable = true;
      say('    not available yet (404, no such route)');
      return;
    }
    m.probe = describe(p);
    say(`    first request ${fmt.ms(firstMs)} ms: ${m.probe}`);
    m.one = await sequential(httpOnce(spec), runs, warmups);
    say(`    one at a time (${runs}): p50 ${fmt.ms(m.one.p50)} ms, p95 ${fmt.ms(m.one.p95)} ms`);
  } catch (err) {
    m.error = errorText(err);
    say(`    not measured: ${m.error}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The transcript page in Chromium

interface PageTiming {
  firstWordsAt: number | null;
  lastWordsAt: number | null;
  lastResponseEnd: number;
  requests: number;
  /** Animation frames the page ran before its last words were seen. */
  frames: number;
  /** Whether the last words were seen in an animation frame or by the 50 ms timer. */
  via: 'frame' | 'timer' | null;
  sourceApiMs: number | null;
  sourceApiBytes: number | null;
}

// Scripts for the page are plain JavaScript strings: tsx's compiled functions carry helpers the page lacks.

/**
 * In the page, before anything else runs: every animation frame, whether the given sentences are on screen (in
 * an element with a box, not hidden), recording performance.now() — milliseconds since navigation start — of
 * the frame each first is.
 */
const watchWords = (words: { first: string; last: string }) => `(() => {
  const words = ${JSON.stringify(words)};
  const seen = (window.__benchSeen = {});
  // Every smallest element holding the whole sentence (a hidden copy, say for screen readers, may come first).
  const holders = (element, sentence, found) => {
    const inner = Array.from(element.children).filter((c) => c.textContent.includes(sentence));
    if (inner.length === 0) found.push(element);
    for (const c of inner) holders(c, sentence, found);
    return found;
  };
  const onScreen = (sentence) => {
    const body = document.body;
    if (!body || !body.textContent.includes(sentence)) return false;
    return holders(body, sentence, []).some(
      (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden',
    );
  };
  const check = (via) => {
    for (const [key, sentence] of Object.entries(words)) {
      if (seen[key] === undefined && onScreen(sentence)) {
        seen[key] = performance.now();
        window.__benchVia = via;
      }
    }
    return seen.last !== undefined;
  };
  // Each frame while there are frames; a page that stops drawing is checked every 50 ms as well.
  const frame = () => {
    window.__benchFrames = (window.__benchFrames || 0) + 1;
    if (!check('frame')) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const timer = setInterval(() => {
    if (check('timer')) clearInterval(timer);
  }, 50);
})();`;

/** When the words were seen, when the last response ended, and the transcript's own request (a PageTiming). */
const READ_TIMING = `(() => {
  const seen = window.__benchSeen || {};
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const isSource = (path) => path.startsWith('/api/research/sources/') && path.split('/').length === 5;
  const source = resources.find((r) => isSource(new URL(r.name).pathname));
  return {
    firstWordsAt: seen.first ?? null,
    lastWordsAt: seen.last ?? null,
    lastResponseEnd: Math.max(navigation ? navigation.responseEnd : 0, ...resources.map((r) => r.responseEnd)),
    requests: resources.length + 1,
    frames: window.__benchFrames || 0,
    via: window.__benchVia || null,
    sourceApiMs: source ? source.responseEnd - source.startTime : null,
    sourceApiBytes: source ? source.decodedBodySize : null,
  };
})()`;

async function measurePage(base: string, lead: Session, t: Targets): Promise<PageLoad | string> {
  if (!existsSync('/usr/bin/chromium'))
    return 'no Chromium at /usr/bin/chromium (apt-get install -y chromium)';
  if (!existsSync(path.join(webDist, 'index.html'))) {
    return `the web app is not built (${path.relative(root, webDist)}): npm run build:web, or BENCH_WEB_BUILD=1`;
  }
  const { launchBrowser } = await import('../e2e/harness.ts');
  const browser = await launchBrowser();
  try {
    const equals = lead.cookie.indexOf('=');
    await browser.context.addCookies([
      {
        name: lead.cookie.slice(0, equals),
        value: lead.cookie.slice(equals + 1),
        url: base,
        httpOnly: true,
        sameSite: 'Lax',
      },
    ]);
    await browser.context.addInitScript({
      content: watchWords({ first: t.opening, last: t.longSource.closing }),
    });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const url = `${base}/research/sources/${t.longSource.id}`;
    const load = async (): Promise<PageTiming | string> => {
      const answer = await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
      if (answer && answer.status() !== 200) return `${url} answered ${answer.status()}`;
      // The network first (Playwright's idle: 500 ms without requests), then the words, for up to 20 s.
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {});
      const deadline = performance.now() + 20_000;
      let timing = (await page.evaluate(READ_TIMING)) as PageTiming;
      while (timing.lastWordsAt === null && performance.now() < deadline) {
        await sleep(100);
        timing = (await page.evaluate(READ_TIMING)) as PageTiming;
      }
      const seen = timing.lastWordsAt !== null;
      if (!seen) {
        const heading = (
          await page
            .locator('h1')
            .first()
            .textContent({ timeout: 2000 })
            .catch(() => null)
        )?.trim();
        return timing.firstWordsAt === null
          ? `the page shows no transcript after 20 s (its heading: “${heading ?? 'none'}”): ` +
              '/research/sources/:id is not there yet, or not in web/dist'
          : `the transcript's first words were on screen at ${fmt.ms(timing.firstWordsAt)} ms but not its last ` +
              `words within 20 s (rendered only on scrolling?); ${timing.frames} frames, ${timing.requests} requests`;
      }
      return timing;
    };
    const first = await load();
    if (typeof first === 'string') return first;
    const warm: number[] = [];
    const failed: string[] = [];
    for (let i = 1; i < RUNS.page; i++) {
      const again = await load();
      if (typeof again === 'string') failed.push(again);
      else warm.push(Math.max(again.lastWordsAt!, again.lastResponseEnd));
    }
    return {
      firstMs: Math.max(first.lastWordsAt!, first.lastResponseEnd),
      firstWordsMs: first.firstWordsAt ?? Number.NaN,
      lastWordsMs: first.lastWordsAt!,
      networkIdleMs: first.lastResponseEnd,
      sourceApiMs: first.sourceApiMs,
      sourceApiKb: first.sourceApiBytes === null ? null : first.sourceApiBytes / 1024,
      requests: first.requests,
      seenVia: first.via,
      warm: latencyOf(warm),
      warmRuns: warm.length,
      warmFailed: failed,
    };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Generation

const onStep = (name: string, ms: number) => say(`    ${fmt.s(ms).padStart(8)}  ${name}`);

function describeVolumes(plan: StudyPlan) {
  const words = plan.sources.reduce((n, s) => n + s.words, 0);
  return (
    `${plan.sources.length} transcripts (${fmt.int(words)} words, ${fmt.int(words / plan.sources.length)} on ` +
    `average, the longest ${fmt.int(plan.sources[0]!.words)}), ${plan.codes.length} codes, ` +
    `${fmt.int(plan.codings.length)} codings by 2 coders, ${plan.memos.length} memos`
  );
}

async function generate(run: RunSql, plan: StudyPlan, result: DbResult) {
  const people = await findPeople(run);
  const started = performance.now();
  const study = await insertStudy(run, plan, people, new Date(), onStep);
  result.generationMs = performance.now() - started;
  result.counts = study.counts;
  say(
    `  written in ${fmt.s(result.generationMs)}: ${Object.entries(study.counts)
      .map(([k, n]) => `${k} ${fmt.int(n)}`)
      .join(', ')}`,
  );
  return targetsOf(plan, study, people);
}

const emptyResult = (kind: DbResult['kind'], volumes: ResearchVolumes): DbResult => ({
  kind,
  volumes,
  code: {},
  codeLoad: {},
  retrieval: {},
  agreement: {},
  exported: {},
  imported: {},
  raw: [],
});

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

async function runPostgres(
  cleanups: Cleanup[],
  plan: StudyPlan,
  bundle: string,
): Promise<DbResult | undefined> {
  const result = emptyResult('postgres', plan.volumes);
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `linkwork_bench_research_${Date.now()}`;
  say(`\nPostgreSQL server, throw-away database ${dbName}`);
  const dbUrl = await throwAwayDatabase({
    adminUrl,
    dbName,
    keep: KEEP,
    reuse: false,
    cleanups,
  });
  if (!dbUrl) return undefined;
  try {
    say('  migrations and the demo seed …');
    const app = await openDatabase({ kind: 'postgres', url: dbUrl }, { appRole: APP_ROLE });
    try {
      await seedDemo(app.db, new Date());
    } finally {
      await app.close();
    }
    say(`  writing ${describeVolumes(plan)} (as the tables' owner) …`);
    const owner = new pg.Client({ connectionString: dbUrl });
    await owner.connect();
    let t: Targets;
    try {
      t = await generate(async (text) => (await owner.query(text)).rows, plan, result);
    } finally {
      await owner.end();
    }
    describeTargets(t);

    say('  raw SQL as the app role with the lead’s tenant setting (row-level security on):');
    const client = new pg.Client({ connectionString: dbUrl, options: `-c role=${APP_ROLE}` });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(`select set_config('linkwork.tenant_ids', $1, false)`, [t.icbScope.join(',')]);
      await measureRaw(result, async (q) => (await client.query(q.text, q.params as unknown[])).rows, t);
    } finally {
      await client.end();
    }
    say('  the API:');
    await measureApi(result, 'PostgreSQL', childEnv({ DATABASE_URL: dbUrl }), bundle, t, plan, cleanups);
  } catch (err) {
    result.error = errorText(err);
    say(`  FAILED: ${result.error}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// PGlite: one process's database, so generation and raw SQL run here while no server holds the folder

async function runPglite(cleanups: Cleanup[], plan: StudyPlan, bundle: string): Promise<DbResult> {
  const result = emptyResult('pglite', plan.volumes);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'linkwork-bench-research-'));
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
      // PGlite has one connection, which works as the app role: write as the owner.
      await app.db.execute(sql.raw('RESET ROLE'));
      say(`  writing ${describeVolumes(plan)} (as the tables' owner, in this process) …`);
      t = await generate(
        async (text) => rowsOf<Record<string, unknown>>(await app.db.execute(sql.raw(text))),
        plan,
        result,
      );
    } finally {
      await app.close();
    }
    describeTargets(t);

    say(
      '  raw SQL as the app role with the lead’s tenant setting, in this process while no server holds the folder:',
    );
    app = await openDatabase(database, { appRole: APP_ROLE });
    try {
      await app.db.execute(sql`select set_config('linkwork.tenant_ids', ${t.icbScope.join(',')}, false)`);
      await measureRaw(
        result,
        (q) => app.prepared<Record<string, unknown>>('bench', q.text, q.params as unknown[]),
        t,
      );
    } finally {
      await app.close();
    }
    say('  the API, the server started on the same folder:');
    await measureApi(result, 'PGlite', childEnv({ LINKWORK_DATA_DIR: dataDir }), bundle, t, plan, cleanups);
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

function fromMeasure(m: Measure, text: (m: Measure) => { text: string; ok: Mark } | undefined) {
  if (m.notAvailable) return { text: 'not available yet', ok: undefined };
  if (m.error) return { text: 'no answer', ok: false };
  return text(m);
}

const rows: Row[] = [
  {
    label: 'writing the study',
    target: '',
    cell: (r) =>
      r.generationMs === undefined
        ? undefined
        : {
            text: `${fmt.s(r.generationMs)}, ${fmt.int(r.counts?.research_codings ?? 0)} codings`,
            ok: undefined,
          },
  },
  {
    label: 'open 20,000-word transcript, first',
    target: `≤ ${fmt.int(TARGET.pageMs)} ms`,
    cell: (r) =>
      r.page
        ? { text: `${fmt.ms(r.page.firstMs)} ms`, ok: r.page.firstMs <= TARGET.pageMs }
        : r.pageNote
          ? { text: 'not measured', ok: undefined }
          : undefined,
  },
  {
    label: '  … warm loads p50 / max',
    target: `≤ ${fmt.int(TARGET.pageMs)} ms`,
    cell: (r) =>
      r.page && r.page.warmRuns > 0
        ? {
            text: `${fmt.ms(r.page.warm.p50)} / ${fmt.ms(r.page.warm.p99)} ms`,
            ok: r.page.warm.p99 <= TARGET.pageMs,
          }
        : undefined,
  },
  {
    label: 'apply a code, one at a time p50 / p95',
    target: `p95 ≤ ${TARGET.codeP95Ms} ms`,
    cell: (r) =>
      fromMeasure(r.code, (m) => m.one && { text: pair(m.one), ok: m.one.p95 <= TARGET.codeP95Ms }),
  },
  {
    label: `apply a code, ${CONNECTIONS} connections`,
    target: `p95 ≤ ${TARGET.codeP95Ms} ms`,
    cell: (r) =>
      r.codeLoad.load && {
        text: `${pair(r.codeLoad.load)}, ${fmt.int(r.codeLoad.load.rps)}/s${r.codeLoad.load.non2xx ? ` (${r.codeLoad.load.non2xx} non-2xx)` : ''}`,
        ok: r.codeLoad.load.p95 <= TARGET.codeP95Ms && r.codeLoad.load.non2xx === 0,
      },
  },
  {
    label: 'retrieval of a code, one at a time',
    target: `≤ ${TARGET.retrievalMs} ms (p95)`,
    cell: (r) =>
      fromMeasure(r.retrieval, (m) => m.one && { text: pair(m.one), ok: m.one.p95 <= TARGET.retrievalMs }),
  },
  {
    label: `retrieval of a code, ${CONNECTIONS} connections`,
    target: `≤ ${TARGET.retrievalMs} ms (p95)`,
    cell: (r) =>
      r.retrieval.load && {
        text: `${pair(r.retrieval.load)}, ${fmt.int(r.retrieval.load.rps)}/s`,
        ok: r.retrieval.load.p95 <= TARGET.retrievalMs,
      },
  },
  {
    label: 'κ over all codes, one at a time',
    target: `≤ ${fmt.int(TARGET.agreementMs)} ms (max)`,
    cell: (r) =>
      fromMeasure(
        r.agreement,
        (m) =>
          m.one && {
            text: `${fmt.ms(m.one.p50)} / ${fmt.ms(m.one.p99)} ms`,
            ok: m.one.p99 <= TARGET.agreementMs,
          },
      ),
  },
  {
    label: '.qdpx export of the study p50 / max',
    target: `≤ ${TARGET.exportMs / 1000} s`,
    cell: (r) =>
      fromMeasure(
        r.exported,
        (m) =>
          m.one && {
            text: `${fmt.s(m.one.p50)} / ${fmt.s(m.one.p99)}, ${mb(r.exported.bytes ?? 0)}`,
            ok: m.one.p99 <= TARGET.exportMs,
          },
      ),
  },
  {
    label: '.qdpx import into an empty study',
    target: `≤ ${TARGET.importMs / 1000} s`,
    cell: (r) =>
      fromMeasure(r.imported, (m) => m.one && { text: fmt.s(m.one.p50), ok: m.one.p50 <= TARGET.importMs }),
  },
];

function printSummary(postgres: DbResult | undefined, pglite: DbResult | undefined) {
  const W = { label: 40, col: 32 };
  const cell = (r: DbResult | undefined, row: Row) => {
    if (!r) return 'skipped';
    const c = row.cell(r);
    if (!c) return r.error ? 'failed' : '–';
    return `${c.text} ${markOf(c.ok)}`;
  };
  say();
  say('Summary');
  say(`${'measure'.padEnd(W.label)}${'PostgreSQL'.padEnd(W.col)}${'PGlite'.padEnd(W.col)}target`);
  for (const row of rows) {
    say(
      `${row.label.padEnd(W.label)}${cell(postgres, row).padEnd(W.col)}${cell(pglite, row).padEnd(W.col)}${row.target}`,
    );
  }
  say();
  say('✓ target met   ✗ target missed   · no target');
  for (const r of [postgres, pglite]) {
    if (!r) continue;
    const name = r.kind === 'postgres' ? 'PostgreSQL' : 'PGlite';
    if (r.error) say(`${name}: failed: ${r.error}`);
    if (r.pageNote) say(`${name}: the transcript page was not measured: ${r.pageNote}`);
    for (const raw of r.raw) {
      if (raw.one) say(`${name} raw SQL, ${raw.label}: p50 ${fmt.ms(raw.one.p50)} ms`);
    }
  }
  say(
    'API: client-side latency of the whole request; "one at a time": requests in sequence after a few unmeasured; ' +
      `${CONNECTIONS} connections: exact percentiles over every 2xx response, ${LOAD_SECONDS} s after ` +
      `${WARMUP_SECONDS} s warm-up. Page: from navigation start (performance.now() in the page) until the ` +
      'transcript’s last sentence is in an element with a box and the last response has ended, in headless ' +
      'Chromium with a fresh profile; "warm" loads reuse its cache. The load generator, the servers, the ' +
      `browser and the database share this machine's ${os.availableParallelism()} CPUs.`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  if (WEB_BUILD) {
    say('Building the web app (npm run build:web) for the transcript page …');
    const built = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) say('  npm run build:web failed: the page may not be measured');
  }
  const bundle = await bundleServer(BUNDLE_DIR);
  const started = performance.now();
  const cleanups: Cleanup[] = [];
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`\n${signal}: stopping the server and removing the throw-away data …`);
      void runCleanups(cleanups).then(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  say(
    `Linkwork research benchmark — node ${process.version}, ${os.availableParallelism()} CPUs, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GB, load average ${loadAverage()} at start, scale ${SCALE}, seed ${SEED}`,
  );
  const planned = performance.now();
  const plan = planStudy(researchVolumesAt(SCALE), SEED);
  say(`Planned ${describeVolumes(plan)} in ${fmt.s(performance.now() - planned)}.`);
  let postgres: DbResult | undefined;
  let pglite: DbResult | undefined;
  try {
    if (ONLY !== 'pglite') postgres = await runPostgres(cleanups, plan, bundle);
    await runCleanups(cleanups);
    if (ONLY !== 'postgres') pglite = await runPglite(cleanups, plan, bundle);
  } finally {
    await runCleanups(cleanups);
  }
  printSummary(postgres, pglite);
  say(`\nBenchmark took ${fmt.s(performance.now() - started)}.`);
  const measured = (r: DbResult | undefined) =>
    r !== undefined &&
    (r.page !== undefined || [r.code, r.retrieval, r.agreement, r.exported, r.imported].some((m) => m.one));
  return measured(postgres) || measured(pglite) ? 0 : 1;
}

process.exitCode = await main();
