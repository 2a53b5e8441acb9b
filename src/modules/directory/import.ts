import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { SystemContext } from '../../platform/actor.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { reasonsOf, service as serviceSchema, taxonomy as taxonomySchema, taxonomyTerm } from './oruk.ts';
import { directoryImports, directoryTaxonomies, directoryTaxonomyTerms } from './schema.ts';
import { type ServiceToWrite, writeServices } from './store.ts';

/*
 * Imports into an ICB's directory from ORUK 3.0 (an API or files), ORUK 1.0 and CSV. Every record is validated
 * on its own: a bad one is reported with its reasons and the good ones still land. Records are written in chunks,
 * each chunk one transaction, so a service is never half-written; a re-run after a crash skips what is already
 * there unchanged (by content hash) and finishes the job.
 */

/** One record read from a source, before validation: the source's id when it has one, and where it was. */
export interface SourceRecord {
  position: string;
  sourceId: string | null;
  record?: unknown;
  /** The reader could not make a record of it (a CSV row with the wrong number of columns, say). */
  reasons?: string[];
}

export interface ImportProgress {
  read: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface Rejection {
  position: string;
  sourceId: string | null;
  name: string | null;
  reasons: string[];
}

export interface ImportReport extends ImportProgress {
  importId: string;
  /** Chunks the database refused whole (a conflict, a deadlock) and that were written again one service at a time. */
  chunksRetried: number;
  rejections: Rejection[];
  seconds: number;
}

export interface ImportOptions {
  icbId: string;
  source: string;
  format: 'oruk3' | 'oruk1' | 'csv';
  /** File path or URL, for the import's record. */
  location: string;
  startedBy?: string | null;
  now: () => Date;
  /** Services per transaction (default 500: measured faster than 250, memory the same). */
  chunkSize?: number;
  /** Chunks written at once (default 1; the CLI writes 2 on a PostgreSQL server). */
  concurrency?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Turns a source's record into an ORUK 3.0 service (ORUK 1.0 and CSV); ORUK 3.0 records pass as they are. */
  convert?: (r: SourceRecord) => SourceRecord;
}

const MAX_REJECTIONS_KEPT = 1000;

export async function importDirectory(
  db: Db,
  records: AsyncIterable<SourceRecord>,
  options: ImportOptions,
): Promise<ImportReport> {
  const started = performance.now();
  const system = (): SystemContext => ({ system: true, now: options.now() });
  const importId = newId();
  await inTransaction(db, system(), (tx) =>
    tx.insert(directoryImports).values({
      id: importId,
      organisationId: options.icbId,
      source: options.source,
      format: options.format,
      location: options.location,
      status: 'running',
      rejections: [],
      startedAt: options.now(),
      startedBy: options.startedBy ?? null,
    }),
  );
  const progress: ImportProgress = { read: 0, added: 0, updated: 0, unchanged: 0, rejected: 0 };
  const rejections: Rejection[] = [];
  const reject = (r: Rejection) => {
    progress.rejected++;
    if (rejections.length < MAX_REJECTIONS_KEPT) rejections.push(r);
  };
  const seen = new Map<string, string>();
  const chunkSize = options.chunkSize ?? 500;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let chunksRetried = 0;

  const writeChunk = async (chunk: (ServiceToWrite & { position: string })[]) => {
    const meta = {
      source: options.source,
      change: 'imported' as const,
      by: options.startedBy ?? null,
      importId,
      now: options.now(),
    };
    let outcomes: Awaited<ReturnType<typeof writeServices>>;
    try {
      outcomes = await inTransaction(db, system(), (tx) => writeServices(tx, options.icbId, chunk, meta));
    } catch {
      // One record the database refused spoils its chunk: write them one by one to find it, keep the rest.
      chunksRetried++;
      outcomes = [];
      for (const item of chunk) {
        try {
          outcomes.push(
            ...(await inTransaction(db, system(), (tx) => writeServices(tx, options.icbId, [item], meta))),
          );
        } catch (err) {
          outcomes.push({
            id: item.service.id,
            sourceId: item.sourceId,
            name: item.service.name,
            outcome: 'rejected',
            reasons: [`the database refused it: ${(err as Error).message.split('\n')[0]}`],
          });
        }
      }
    }
    outcomes.forEach((o, i) => {
      if (o.outcome === 'rejected') {
        reject({ position: chunk[i]!.position, sourceId: o.sourceId, name: o.name, reasons: o.reasons });
      } else progress[o.outcome]++;
    });
    options.onProgress?.({ ...progress });
    await inTransaction(db, system(), (tx) =>
      tx
        .update(directoryImports)
        .set({
          added: progress.added,
          updated: progress.updated,
          unchanged: progress.unchanged,
          rejected: progress.rejected,
        })
        .where(eq(directoryImports.id, importId)),
    );
  };
  const launch = async (chunk: (ServiceToWrite & { position: string })[]) => {
    const p = writeChunk(chunk).catch((err) => {
      failure ??= err;
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  try {
    let chunk: (ServiceToWrite & { position: string })[] = [];
    for await (const raw of records) {
      if (failure) break;
      progress.read++;
      const r = options.convert ? options.convert(raw) : raw;
      if (r.reasons) {
        reject({ position: r.position, sourceId: r.sourceId, name: nameOf(raw.record), reasons: r.reasons });
        continue;
      }
      const parsed = serviceSchema.safeParse(r.record);
      if (!parsed.success) {
        reject({
          position: r.position,
          sourceId: r.sourceId ?? idOf(r.record),
          name: nameOf(r.record),
          reasons: reasonsOf(parsed.error),
        });
        continue;
      }
      const sourceId = r.sourceId ?? parsed.data.id;
      const first = seen.get(parsed.data.id);
      if (first) {
        reject({
          position: r.position,
          sourceId,
          name: parsed.data.name,
          reasons: [`id: ${parsed.data.id} is in this import twice (first at ${first})`],
        });
        continue;
      }
      seen.set(parsed.data.id, r.position);
      chunk.push({ sourceId, service: parsed.data, position: r.position });
      if (chunk.length >= chunkSize) {
        await launch(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0 && !failure) await launch(chunk);
    await Promise.all(inFlight);
    if (failure) throw failure;
  } catch (err) {
    await inTransaction(db, system(), (tx) =>
      tx
        .update(directoryImports)
        .set({
          status: 'failed',
          failure: (err as Error).message.slice(0, 2000),
          rejections,
          finishedAt: options.now(),
        })
        .where(eq(directoryImports.id, importId)),
    );
    throw err;
  }
  await inTransaction(db, system(), (tx) =>
    tx
      .update(directoryImports)
      .set({
        status: 'finished',
        added: progress.added,
        updated: progress.updated,
        unchanged: progress.unchanged,
        rejected: progress.rejected,
        rejections,
        finishedAt: options.now(),
      })
      .where(eq(directoryImports.id, importId)),
  );
  return { importId, ...progress, chunksRetried, rejections, seconds: (performance.now() - started) / 1000 };
}

const nameOf = (r: unknown) =>
  r && typeof r === 'object' && typeof (r as { name?: unknown }).name === 'string'
    ? ((r as { name: string }).name.slice(0, 200) ?? null)
    : null;
const idOf = (r: unknown) =>
  r && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string'
    ? (r as { id: string }).id.slice(0, 200)
    : null;

// ---------------------------------------------------------------------------------------------------------------
// Reading ORUK 3.0 files

/**
 * Services from ORUK JSON files: a file holding one service, an array of services or a page ({ contents }), a
 * `.ndjson`/`.jsonl` file with one service a line (streamed, so memory stays flat at any size), or a folder of
 * such files (read in name order).
 */
export async function* orukFileRecords(location: string): AsyncGenerator<SourceRecord> {
  if (statSync(location).isDirectory()) {
    for (const name of readdirSync(location).sort()) {
      if (/\.(json|ndjson|jsonl)$/i.test(name)) yield* orukFileRecords(path.join(location, name));
    }
    return;
  }
  const file = path.basename(location);
  if (/\.(ndjson|jsonl)$/i.test(location)) {
    const lines = createInterface({
      input: createReadStream(location, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    let n = 0;
    for await (const line of lines) {
      n++;
      const text = n === 1 ? line.replace(/^\uFEFF/, '') : line;
      if (!text.trim()) continue;
      yield parseLine(text, `${file} line ${n}`);
    }
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(location, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    yield { position: file, sourceId: null, reasons: [`the file is not JSON: ${(err as Error).message}`] };
    return;
  }
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === 'object' && Array.isArray((parsed as { contents?: unknown }).contents)
      ? (parsed as { contents: unknown[] }).contents
      : [parsed];
  for (const [i, record] of list.entries()) {
    yield { position: `${file} record ${i + 1}`, sourceId: idOf(record), record };
  }
}

function parseLine(text: string, position: string): SourceRecord {
  try {
    const record = JSON.parse(text) as unknown;
    return { position, sourceId: idOf(record), record };
  } catch (err) {
    return { position, sourceId: null, reasons: [`not JSON: ${(err as Error).message}`] };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading an ORUK API

export interface ApiOptions {
  /** Full records fetched at once (default 8). */
  concurrency?: number;
  retries?: number;
  perPage?: number;
  fetch?: typeof fetch;
  /** Told each page as it is read, with the total when the API gives one. */
  onPage?: (pageNumber: number, totalItems: number | null) => void;
  /** ORUK 1.0 pages are { content, totalElements, totalPages, last }; 3.0 pages are { contents, total_items, … }. */
  version?: '3.0' | '1.0';
}

export class FeedError extends Error {}

/** GET with retries: network errors, 429 and 5xx back off (0.5 s, 1 s, 2 s …); other statuses are final. */
export async function getJson(url: string, options: ApiOptions = {}): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 4;
  for (let attempt = 0; ; attempt++) {
    let status = 0;
    try {
      const res = await doFetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      if (res.ok) return (await res.json()) as unknown;
      if (status !== 429 && status < 500) throw new FeedError(`${url} answered ${status}`);
    } catch (err) {
      if (err instanceof FeedError) throw err;
      if (attempt >= retries) throw new FeedError(`${url} could not be read: ${(err as Error).message}`);
    }
    if (attempt >= retries) throw new FeedError(`${url} answered ${status} after ${retries + 1} tries`);
    await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
  }
}

/**
 * Walks an ORUK API's `/services` pages and fetches `/services/{id}` for each full record, a few at a time,
 * yielding them in page order. A record that cannot be fetched is reported, and the walk goes on.
 */
export async function* orukApiRecords(base: string, options: ApiOptions = {}): AsyncGenerator<SourceRecord> {
  const root = base.replace(/\/+$/, '');
  const perPage = options.perPage ?? 100;
  const concurrency = options.concurrency ?? 8;
  const v1 = options.version === '1.0';
  for (let pageNumber = 1; ; pageNumber++) {
    const url = `${root}/services?page=${pageNumber}&per_page=${perPage}${v1 ? `&pageSize=${perPage}` : ''}`;
    const body = (await getJson(url, options)) as Record<string, unknown>;
    const items = (v1 ? (body.content ?? body.contents) : body.contents) as unknown;
    if (!Array.isArray(items))
      throw new FeedError(`${url} is not an ORUK page of services (no ${v1 ? 'content' : 'contents'} list)`);
    const total = Number(v1 ? body.totalElements : body.total_items);
    options.onPage?.(pageNumber, Number.isFinite(total) ? total : null);
    // Fetch this page's full records, `concurrency` at a time, keeping their order.
    const ids = items.map(idOf);
    const results: SourceRecord[] = new Array(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        const id = ids[i];
        const position = `page ${pageNumber} item ${i + 1}`;
        if (!id) {
          results[i] = { position, sourceId: null, reasons: ['the list item has no id'] };
          continue;
        }
        try {
          const record = await getJson(`${root}/services/${encodeURIComponent(id)}`, options);
          results[i] = { position, sourceId: id, record };
        } catch (err) {
          results[i] = { position, sourceId: id, reasons: [(err as Error).message] };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
    yield* results;
    const last = v1 ? body.last === true : body.last_page === true;
    const totalPages = Number(v1 ? body.totalPages : body.total_pages);
    if (items.length === 0 || last || (Number.isFinite(totalPages) && pageNumber >= totalPages)) return;
  }
}

/**
 * Taxonomies and their terms from an ORUK 3.0 API, before its services: terms keep their taxonomy, so an
 * export from one Linkwork imported into another gives the same directory. Existing ones are updated.
 */
export async function importOrukTaxonomies(
  db: Db,
  icbId: string,
  base: string,
  now: () => Date,
  options: ApiOptions = {},
): Promise<{ taxonomies: number; terms: number; rejected: string[] }> {
  const root = base.replace(/\/+$/, '');
  const taxonomies: unknown[] = [];
  const terms: unknown[] = [];
  for (const [what, into] of [
    ['taxonomies', taxonomies],
    ['taxonomy_terms', terms],
  ] as const) {
    for (let p = 1; ; p++) {
      const body = (await getJson(`${root}/${what}?page=${p}&per_page=200`, options)) as Record<
        string,
        unknown
      >;
      const contents = Array.isArray(body.contents) ? body.contents : [];
      into.push(...contents);
      if (contents.length === 0 || body.last_page === true || p >= Number(body.total_pages ?? p)) break;
    }
  }
  const rejected: string[] = [];
  const goodTaxonomies = taxonomies.flatMap((t, i) => {
    const parsed = taxonomySchema.safeParse(t);
    if (!parsed.success) rejected.push(`taxonomy ${i + 1}: ${reasonsOf(parsed.error).join('; ')}`);
    return parsed.success ? [parsed.data] : [];
  });
  const goodTerms = terms.flatMap((t, i) => {
    const parsed = taxonomyTerm.safeParse(t);
    if (!parsed.success) rejected.push(`taxonomy term ${i + 1}: ${reasonsOf(parsed.error).join('; ')}`);
    return parsed.success ? [parsed.data] : [];
  });
  const taxonomyIds = new Set(goodTaxonomies.map((t) => t.id));
  await inTransaction(db, { system: true, now: now() }, async (tx) => {
    for (const t of goodTaxonomies) {
      const values = {
        id: t.id,
        organisationId: icbId,
        name: t.name,
        description: t.description,
        uri: t.uri ?? null,
        version: t.version ?? null,
        updatedAt: now(),
      };
      await tx
        .insert(directoryTaxonomies)
        .values(values)
        .onConflictDoUpdate({
          target: [directoryTaxonomies.organisationId, directoryTaxonomies.id],
          set: {
            name: values.name,
            description: values.description,
            uri: values.uri,
            version: values.version,
          },
        });
    }
    for (const t of goodTerms) {
      const values = {
        id: t.id,
        organisationId: icbId,
        taxonomyId: t.taxonomy_id && taxonomyIds.has(t.taxonomy_id) ? t.taxonomy_id : null,
        parentId: t.parent_id ?? null,
        name: t.name,
        description: t.description,
        code: t.code ?? null,
        taxonomy: t.taxonomy ?? null,
        termUri: t.term_uri ?? null,
        updatedAt: now(),
      };
      await tx
        .insert(directoryTaxonomyTerms)
        .values(values)
        .onConflictDoUpdate({
          target: [directoryTaxonomyTerms.organisationId, directoryTaxonomyTerms.id],
          set: {
            taxonomyId: values.taxonomyId,
            parentId: values.parentId,
            name: values.name,
            description: values.description,
            code: values.code,
            taxonomy: values.taxonomy,
            termUri: values.termUri,
          },
        });
    }
  });
  return { taxonomies: goodTaxonomies.length, terms: goodTerms.length, rejected };
}
