import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { eq, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { type CsvMapping, csvRecords, parseCsvMapping } from '../modules/directory/formats/csv.ts';
import { fromOruk1 } from '../modules/directory/formats/oruk1.ts';
import {
  type ImportProgress,
  type ImportReport,
  importDirectory,
  importOrukTaxonomies,
  orukApiRecords,
  orukFileRecords,
  type SourceRecord,
} from '../modules/directory/import.ts';
import { ensureDirectory } from '../modules/directory/service.ts';
import { organisations } from '../modules/organisations/schema.ts';
import { systemClock } from '../platform/clock.ts';
import { inTransaction } from '../platform/transaction.ts';

export const directoryImportUsage = `  directory-import            import community services into an ICB's directory (re-running updates; a crash
      --icb <ODS code or id>  mid-way is finished by running it again)
      --file <path>           ORUK JSON (a service, a list, a page, .ndjson, or a folder of them) or CSV
      | --url <base URL>      an ORUK API: walks /services and fetches each /services/{id}
      [--format oruk3|oruk1|csv]   default: from the file name, else oruk3
      [--mapping <file.json>] CSV column mapping, {"name": "Service name", "postcode": "Post code", …}
      [--source <name>]       the feed's name (default: the file or host name)`;

export class DirectoryImportError extends Error {}

export interface DirectoryImportArgs {
  icb?: string;
  file?: string;
  url?: string;
  format?: string;
  mapping?: string;
  source?: string;
}

const isTty = process.stderr.isTTY === true;

/** One line that rewrites itself on a terminal, and a line every 10 % elsewhere (logs stay short). */
function progressBar(label: string) {
  const started = performance.now();
  let total: number | null = null;
  let lastDecile = -1;
  return {
    setTotal(n: number | null) {
      total = n;
    },
    update(p: ImportProgress) {
      const done = p.added + p.updated + p.unchanged + p.rejected;
      const rate = done / Math.max((performance.now() - started) / 1000, 0.001);
      const share = total ? Math.min(done / total, 1) : null;
      const bar = share === null ? '' : `[${'#'.repeat(Math.round(share * 30)).padEnd(30, '.')}] `;
      const line = `${label} ${bar}${done.toLocaleString('en-GB')}${total ? `/${total.toLocaleString('en-GB')}` : ''} · ${p.added} added, ${p.updated} updated, ${p.unchanged} unchanged, ${p.rejected} rejected · ${Math.round(rate)}/s`;
      if (isTty) process.stderr.write(`\r${line}`);
      else {
        const decile = share === null ? Math.floor(done / 10_000) : Math.floor(share * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${line}\n`);
        }
      }
    },
    done() {
      if (isTty) process.stderr.write('\n');
    },
  };
}

export async function runDirectoryImport(
  database: Database,
  args: DirectoryImportArgs,
  out: (line: string) => void,
): Promise<ImportReport> {
  if (!args.icb) throw new DirectoryImportError('Give --icb with the ICB’s ODS code or organisation id.');
  if (!args.file === !args.url)
    throw new DirectoryImportError('Give either --file <path> or --url <base URL>.');
  const [icb] = await database.db
    .select({ id: organisations.id, name: organisations.name, type: organisations.type })
    .from(organisations)
    .where(
      /^[0-9a-f-]{36}$/i.test(args.icb)
        ? or(eq(organisations.id, args.icb), eq(organisations.odsCode, args.icb.toUpperCase()))
        : eq(organisations.odsCode, args.icb.toUpperCase()),
    );
  if (icb?.type !== 'icb') throw new DirectoryImportError(`There is no ICB ${args.icb} in this database.`);
  await inTransaction(database.db, { system: true, now: systemClock.now() }, (tx) =>
    ensureDirectory(tx, icb.id, systemClock.now()),
  );

  const location = (args.file ?? args.url)!;
  if (args.file && !existsSync(args.file)) throw new DirectoryImportError(`There is no file ${args.file}.`);
  const format = (args.format ?? (args.file && /\.csv$/i.test(args.file) ? 'csv' : 'oruk3')) as
    | 'oruk3'
    | 'oruk1'
    | 'csv';
  if (!['oruk3', 'oruk1', 'csv'].includes(format)) {
    throw new DirectoryImportError(`--format must be oruk3, oruk1 or csv, not ${args.format}.`);
  }
  const source = args.source ?? (args.url ? new URL(args.url).host : path.basename(args.file!));
  const bar = progressBar(`Importing ${source}`);
  let records: AsyncIterable<SourceRecord>;
  let convert: ((r: SourceRecord) => SourceRecord) | undefined;

  if (format === 'csv') {
    if (!args.file) throw new DirectoryImportError('CSV imports read a file: give --file.');
    let mapping: CsvMapping | undefined;
    if (args.mapping) {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(args.mapping, 'utf8'));
      } catch (err) {
        throw new DirectoryImportError(
          `The mapping file ${args.mapping} is not readable JSON: ${(err as Error).message}`,
        );
      }
      const parsed = parseCsvMapping(json);
      if ('reasons' in parsed)
        throw new DirectoryImportError(`The mapping has problems: ${parsed.reasons.join('; ')}`);
      mapping = parsed.mapping;
    }
    const { defaultCsvMapping } = await import('../modules/directory/formats/csv.ts');
    const file = args.file;
    records = (async function* () {
      for await (const { line, result } of csvRecords(
        createReadStream(file),
        mapping ?? defaultCsvMapping,
        source,
      )) {
        yield 'reasons' in result
          ? { position: `line ${line}`, sourceId: result.sourceId, reasons: result.reasons }
          : { position: `line ${line}`, sourceId: result.sourceId, record: result.record };
      }
    })();
  } else if (args.url) {
    if (format === 'oruk3') {
      const t = await importOrukTaxonomies(database.db, icb.id, args.url, () => systemClock.now());
      out(
        `Taxonomies: ${t.taxonomies} taxonomies and ${t.terms} terms${t.rejected.length ? `, ${t.rejected.length} rejected` : ''}.`,
      );
    }
    records = orukApiRecords(args.url, {
      version: format === 'oruk1' ? '1.0' : '3.0',
      onPage: (_page, total) => bar.setTotal(total),
    });
  } else {
    if (
      statSync(args.file!).isFile() &&
      /\.json$/i.test(args.file!) &&
      statSync(args.file!).size > 200 * 2 ** 20
    ) {
      out('This JSON file is over 200 MB and is read whole: one service a line (.ndjson) keeps memory flat.');
    }
    records = orukFileRecords(args.file!);
  }
  if (format === 'oruk1') {
    convert = (r) => {
      if (r.reasons) return r;
      const result = fromOruk1(r.record, source);
      return 'reasons' in result
        ? { position: r.position, sourceId: result.sourceId, reasons: result.reasons }
        : { position: r.position, sourceId: result.sourceId, record: result.record };
    };
  }

  const report = await importDirectory(database.db, records, {
    icbId: icb.id,
    source,
    format,
    location,
    now: () => systemClock.now(),
    concurrency: database.kind === 'postgres' ? 2 : 1,
    onProgress: (p) => bar.update(p),
    ...(convert ? { convert } : {}),
  });
  bar.done();
  if (report.added + report.updated > 0) {
    // Fresh statistics, so searches and ORUK pages are planned on what is there now.
    await database.maintain([
      'directory_services',
      'directory_search',
      'directory_locations',
      'directory_service_at_locations',
      'directory_organisations',
      'directory_service_history',
    ]);
  }
  for (const r of report.rejections.slice(0, 50)) {
    out(`  rejected ${r.position}${r.name ? ` (${r.name})` : ''}: ${r.reasons.join('; ')}`);
  }
  if (report.rejections.length > 50)
    out(`  … and ${report.rejected - 50} more rejected (all kept with the import).`);
  if (report.chunksRetried > 0) {
    out(
      `  ${report.chunksRetried} batch(es) were refused whole by the database and written again one service at a time.`,
    );
  }
  out(
    `Imported ${location}: ${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected (${report.seconds.toFixed(1)} s).`,
  );
  return report;
}
