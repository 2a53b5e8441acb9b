import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { orukService } from '../../../test/directory.ts';
import { call, makeOrganisation, makeTestApp } from '../../../test/factories.ts';
import { rowsOf } from '../../db/client.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { fromOruk1 } from './formats/oruk1.ts';
import { importDirectory, orukApiRecords, orukFileRecords, type SourceRecord } from './import.ts';
import { ensureAllDirectories } from './service.ts';

/** A local server speaking an ORUK API's paging, with the faults real feeds have. */
function feedServer(
  services: Record<string, unknown>[],
  options: { version: '3.0' | '1.0'; flaky?: Set<string>; missing?: Set<string> },
) {
  const failedOnce = new Set<string>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const one = /^\/services\/(.+)$/.exec(url.pathname);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      if (options.flaky?.has(id) && !failedOnce.has(id)) {
        failedOnce.add(id);
        return send(503, { error: 'busy' });
      }
      const found = services.find((s) => String(s.id) === id);
      if (!found || options.missing?.has(id)) return send(404, { error: 'not found' });
      return send(200, found);
    }
    if (url.pathname === '/services') {
      const page = Number(url.searchParams.get('page') ?? 1);
      const size = Number(url.searchParams.get('per_page') ?? 10);
      const slice = services.slice((page - 1) * size, page * size).map((s) => ({ id: s.id, name: s.name }));
      const totalPages = Math.ceil(services.length / size);
      return send(
        200,
        options.version === '1.0'
          ? {
              totalElements: services.length,
              totalPages,
              number: page,
              size,
              first: page === 1,
              last: page >= totalPages,
              content: slice,
            }
          : {
              total_items: services.length,
              total_pages: totalPages,
              page_number: page,
              size: slice.length,
              first_page: page === 1,
              last_page: page >= totalPages,
              empty: slice.length === 0,
              contents: slice,
            },
      );
    }
    send(404, {});
  });
  return {
    requests,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeEachDatabase('directory imports', (db) => {
  let icb: string;
  const now = () => new Date();
  const options = (source: string, format: 'oruk3' | 'oruk1' = 'oruk3') => ({
    icbId: icb,
    source,
    format,
    location: 'test',
    now,
    chunkSize: 3,
  });
  const count = async (where = sql`true`) =>
    Number(
      rowsOf<{ n: number }>(
        await inTransaction(db().db, { system: true, now: now() }, (tx) =>
          tx.execute(
            sql`select count(*)::int as n from directory_services where organisation_id = ${icb} and ${where}`,
          ),
        ),
      )[0]!.n,
    );

  beforeAll(async () => {
    icb = await makeOrganisation(db().db, { type: 'icb', name: 'Import ICB' });
    await inTransaction(db().db, { system: true, now: now() }, (tx) => ensureAllDirectories(tx, now()));
  });

  it('walks a live ORUK 3.0 API page by page, retries a busy server, and reports a record it cannot fetch', async () => {
    const services = Array.from({ length: 11 }, (_, i) =>
      orukService({ name: `Feed service ${i + 1}`, terms: ['walking'] }),
    );
    const feed = feedServer(services, {
      version: '3.0',
      flaky: new Set([services[2]!.id as string]),
      missing: new Set([services[7]!.id as string]),
    });
    const base = await feed.start();
    try {
      const report = await importDirectory(
        db().db,
        orukApiRecords(base, { perPage: 4, concurrency: 2, retries: 2 }),
        options('live-feed'),
      );
      expect(report).toMatchObject({ read: 11, added: 10, rejected: 1 });
      expect(report.rejections[0]!.reasons[0]).toMatch(/answered 404/);
      expect(feed.requests.filter((r) => r.startsWith('/services?'))).toEqual([
        '/services?page=1&per_page=4',
        '/services?page=2&per_page=4',
        '/services?page=3&per_page=4',
      ]);
      // The busy record was asked for twice and imported.
      expect(feed.requests.filter((r) => r === `/services/${services[2]!.id}`)).toHaveLength(2);
    } finally {
      await feed.stop();
    }
  });

  it('imports an ORUK 1.0 feed through the converter', async () => {
    const v1 = JSON.parse(readFileSync('test/fixtures/directory/oruk1-service.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const second = { ...v1, id: `${v1.id}-b`, name: 'A second 1.0 service' };
    const feed = feedServer([v1, second], { version: '1.0' });
    const base = await feed.start();
    try {
      const report = await importDirectory(db().db, orukApiRecords(base, { version: '1.0', perPage: 1 }), {
        ...options('council-v1', 'oruk1'),
        convert: (r: SourceRecord) => {
          const result = fromOruk1(r.record, 'council-v1');
          return 'reasons' in result
            ? { position: r.position, sourceId: result.sourceId, reasons: result.reasons }
            : { position: r.position, sourceId: result.sourceId, record: result.record };
        },
      });
      expect(report).toMatchObject({ added: 2, rejected: 0 });
      const [row] = rowsOf<{ source_id: string; source: string }>(
        await inTransaction(db().db, { system: true, now: now() }, (tx) =>
          tx.execute(
            sql`select source_id, source from directory_services where name = 'A second 1.0 service'`,
          ),
        ),
      );
      expect(row).toEqual({ source_id: `${v1.id}-b`, source: 'council-v1' });
    } finally {
      await feed.stop();
    }
  });

  it('reads ORUK files: one service, a list, a page, one a line, and a folder of them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oruk-files-'));
    const a = orukService({ name: 'File A' });
    const b = orukService({ name: 'File B' });
    const c = orukService({ name: 'File C' });
    const d = orukService({ name: 'File D' });
    mkdirSync(path.join(dir, 'folder'));
    writeFileSync(path.join(dir, 'folder', '1-one.json'), `\uFEFF${JSON.stringify(a)}`);
    writeFileSync(path.join(dir, 'folder', '2-list.json'), JSON.stringify([b]));
    writeFileSync(path.join(dir, 'folder', '3-page.json'), JSON.stringify({ total_items: 1, contents: [c] }));
    writeFileSync(path.join(dir, 'folder', '4-lines.ndjson'), `${JSON.stringify(d)}\r\n\r\n{not json\r\n`);
    const report = await importDirectory(
      db().db,
      orukFileRecords(path.join(dir, 'folder')),
      options('files'),
    );
    expect(report).toMatchObject({ added: 4, rejected: 1 });
    expect(report.rejections[0]!.position).toBe('4-lines.ndjson line 3');
    expect(report.rejections[0]!.reasons[0]).toMatch(/^not JSON/);
  });

  it('finishes the job when re-run after a crash, without writing anything twice', async () => {
    const services = Array.from({ length: 10 }, (_, i) => orukService({ name: `Crash test ${i + 1}` }));
    async function* crashesAfterSeven(): AsyncGenerator<SourceRecord> {
      for (const [i, record] of services.entries()) {
        if (i === 7) throw new Error('the machine stopped');
        yield { position: `record ${i + 1}`, sourceId: record.id as string, record };
      }
    }
    await expect(importDirectory(db().db, crashesAfterSeven(), options('crashy'))).rejects.toThrow(
      'the machine stopped',
    );
    // Whole chunks of three landed; the record in the unfinished chunk did not, and no service is half there.
    expect(await count(sql`name like 'Crash test %'`)).toBe(6);
    const [failed] = rowsOf<{ status: string; failure: string }>(
      await inTransaction(db().db, { system: true, now: now() }, (tx) =>
        tx.execute(sql`select status, failure from directory_imports where source = 'crashy'`),
      ),
    );
    expect(failed).toEqual({ status: 'failed', failure: 'the machine stopped' });
    async function* all(): AsyncGenerator<SourceRecord> {
      for (const [i, record] of services.entries())
        yield { position: `record ${i + 1}`, sourceId: record.id as string, record };
    }
    const rerun = await importDirectory(db().db, all(), options('crashy'));
    expect(rerun).toMatchObject({ added: 4, unchanged: 6, updated: 0, rejected: 0 });
    const history = rowsOf<{ n: number }>(
      await inTransaction(db().db, { system: true, now: now() }, (tx) =>
        tx.execute(sql`select count(*)::int as n from directory_service_history h
          join directory_services s on s.organisation_id = h.organisation_id and s.id = h.service_id
          where s.name like 'Crash test %'`),
      ),
    );
    // Nothing was written twice: no service has an earlier version.
    expect(history[0]!.n).toBe(0);
  });

  it('writes chunks at once without deadlocking on the organisations and venues they share', async () => {
    const shared = [0, 1, 2].map((i) => orukService({ name: `Shared template ${i}` }));
    const services = Array.from({ length: 240 }, (_, i) => {
      const from = shared[i % 3]!;
      const mine = orukService({ name: `Shared venue service ${i}` });
      // Every service names one of three organisations and one of three venues, in varying order across chunks.
      return {
        ...mine,
        organization: from.organization,
        organization_id: from.organization_id,
        service_at_locations: [
          {
            id: crypto.randomUUID(),
            location: (from.service_at_locations as { location: unknown }[])[0]!.location,
          },
        ],
      };
    });
    async function* feed(): AsyncGenerator<SourceRecord> {
      for (const [i, record] of services.entries())
        yield { position: `p${i}`, sourceId: (record as { id?: string }).id ?? null, record };
    }
    const report = await importDirectory(db().db, feed(), {
      ...options('shared'),
      chunkSize: 10,
      concurrency: 4,
    });
    expect(report).toMatchObject({ added: 240, rejected: 0, chunksRetried: 0 });
  });

  it('pages the ORUK list the same at any depth (anchored pages equal plain offsets)', async () => {
    const many = Array.from({ length: 2100 }, (_, i) => ({
      id: crypto.randomUUID(),
      name: `Paging service ${i}`,
      status: 'active',
    }));
    async function* feed(): AsyncGenerator<SourceRecord> {
      for (const [i, record] of many.entries()) yield { position: `p${i}`, sourceId: record.id, record };
    }
    const report = await importDirectory(db().db, feed(), { ...options('paging'), chunkSize: 500 });
    expect(report.added).toBe(2100);
    const t = await makeTestApp(db());
    try {
      const total = (await call(t, null, 'GET', '/oruk/v3/services?per_page=1')).json().total_items;
      const all = rowsOf<{ id: string }>(
        await inTransaction(db().db, { system: true, now: now() }, (tx) =>
          tx.execute(sql`select id from directory_services where organisation_id = ${icb} order by id`),
        ),
      ).map((r) => r.id);
      expect(total).toBe(all.length);
      for (const [page, perPage] of [
        [1, 50],
        [21, 50],
        [30, 50],
        [43, 50],
        [11, 200],
        [7, 150],
        [8, 150],
      ] as const) {
        const body = (
          await call(t, null, 'GET', `/oruk/v3/services?page=${page}&per_page=${perPage}`)
        ).json();
        const expected = all.slice((page - 1) * perPage, page * perPage);
        expect(
          body.contents.map((c: { id: string }) => c.id),
          `page ${page} of ${perPage}`,
        ).toEqual(expected);
        expect(body.size).toBe(expected.length);
      }
    } finally {
      await t.close();
    }
  });

  it('never throws on whatever a feed sends: each record lands or is rejected with reasons', async () => {
    const valid = orukService({ name: 'Property base' });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.jsonValue(),
            fc.record({ ...Object.fromEntries(Object.keys(valid).map((k) => [k, fc.jsonValue()])) }),
            fc.constant({ ...valid, id: crypto.randomUUID() }),
          ),
          { maxLength: 6 },
        ),
        async (records) => {
          async function* feed(): AsyncGenerator<SourceRecord> {
            for (const [i, record] of records.entries()) yield { position: `p${i}`, sourceId: null, record };
          }
          const report = await importDirectory(db().db, feed(), options('property'));
          expect(report.read).toBe(records.length);
          expect(report.added + report.updated + report.unchanged + report.rejected).toBe(records.length);
          for (const r of report.rejections) expect(r.reasons.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});
