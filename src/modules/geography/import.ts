import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { lsoaDeprivation, postcodes } from './schema.ts';
import { postcodeKey } from './service.ts';

const BATCH = 2_000;

export interface ImportReport {
  read: number;
  imported: number;
  skipped: { row: number; reason: string }[];
}

function pick(header: string[], patterns: RegExp[], what: string, file: string): string {
  for (const p of patterns) {
    const found = header.find((h) => p.test(h.trim()));
    if (found) return found;
  }
  throw new Error(
    `${file} has no ${what} column (looked for ${patterns.map(String).join(', ')}). Is it the right file?`,
  );
}

async function* rows(file: string) {
  const parser = createReadStream(file).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, trim: true }),
  );
  for await (const record of parser) yield record as Record<string, string>;
}

/**
 * Imports the ONS Postcode Directory CSV layout (pcds or pcd, lat, long, lsoa21 or lsoa11, doterm): live postcodes
 * with real coordinates; rows for terminated postcodes or without coordinates are skipped and reported.
 * Batches are upserts, so an import can be re-run (after a crash, or with a newer directory).
 */
export async function importPostcodes(
  db: Db,
  file: string,
  onProgress?: (n: number) => void,
): Promise<ImportReport> {
  const report: ImportReport = { read: 0, imported: 0, skipped: [] };
  let columns:
    | { pc: string; lat: string; long: string; lsoa: string | null; term: string | null }
    | undefined;
  let batch: (typeof postcodes.$inferInsert)[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch;
    batch = [];
    await db.transaction(async (tx) => {
      await tx
        .insert(postcodes)
        .values(values)
        .onConflictDoUpdate({
          target: postcodes.postcode,
          set: {
            latitude: sql`excluded.latitude`,
            longitude: sql`excluded.longitude`,
            lsoaCode: sql`excluded.lsoa_code`,
          },
        });
    });
    report.imported += values.length;
    onProgress?.(report.imported);
  };
  for await (const record of rows(file)) {
    report.read++;
    if (!columns) {
      const header = Object.keys(record);
      columns = {
        pc: pick(header, [/^pcds$/i, /^pcd$/i, /^pcd2$/i, /^postcode$/i], 'postcode (pcds)', file),
        lat: pick(header, [/^lat$/i, /^latitude$/i], 'latitude (lat)', file),
        long: pick(header, [/^long$/i, /^longitude$/i], 'longitude (long)', file),
        lsoa:
          header.find((h) => /^lsoa21(cd)?$/i.test(h)) ??
          header.find((h) => /^lsoa11(cd)?$/i.test(h)) ??
          null,
        term: header.find((h) => /^doterm$/i.test(h)) ?? null,
      };
    }
    const postcode = postcodeKey(record[columns.pc] ?? '');
    const latitude = Number(record[columns.lat]);
    const longitude = Number(record[columns.long]);
    if (columns.term && record[columns.term]) {
      report.skipped.push({ row: report.read + 1, reason: `${postcode} is terminated` });
    } else if (!/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(postcode)) {
      report.skipped.push({ row: report.read + 1, reason: `"${record[columns.pc]}" is not a postcode` });
    } else if (
      !Number.isFinite(latitude) ||
      !Number.isFinite(longitude) ||
      latitude > 90 ||
      Math.abs(longitude) > 180
    ) {
      // ONSPD marks postcodes without a grid reference with latitude 99.999999.
      report.skipped.push({ row: report.read + 1, reason: `${postcode} has no coordinates` });
    } else {
      batch.push({ postcode, latitude, longitude, lsoaCode: (columns.lsoa && record[columns.lsoa]) || null });
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  return report;
}

/**
 * Imports the English Indices of Deprivation file with all ranks, deciles and scores ("LSOA code (2011)" or
 * "(2021)" and the "Index of Multiple Deprivation (IMD) Decile …" column).
 */
export async function importDeprivation(db: Db, file: string): Promise<ImportReport> {
  const report: ImportReport = { read: 0, imported: 0, skipped: [] };
  const values: (typeof lsoaDeprivation.$inferInsert)[] = [];
  let columns: { lsoa: string; decile: string } | undefined;
  for await (const record of rows(file)) {
    report.read++;
    if (!columns) {
      const header = Object.keys(record);
      columns = {
        lsoa: pick(header, [/^LSOA code \((2021|2011)\)$/i, /^lsoa(21|11)?(cd|_code)?$/i], 'LSOA code', file),
        decile: pick(
          header,
          [/^Index of Multiple Deprivation \(IMD\) Decile/i, /^imd_?decile$/i],
          'IMD decile',
          file,
        ),
      };
    }
    const decile = Number(record[columns.decile]);
    const lsoa = record[columns.lsoa];
    if (!lsoa || !Number.isInteger(decile) || decile < 1 || decile > 10) {
      report.skipped.push({ row: report.read + 1, reason: `no LSOA code or a decile outside 1–10` });
      continue;
    }
    values.push({ lsoaCode: lsoa, imdDecile: decile });
  }
  for (let i = 0; i < values.length; i += BATCH) {
    const chunk = values.slice(i, i + BATCH);
    await db.transaction((tx) =>
      tx
        .insert(lsoaDeprivation)
        .values(chunk)
        .onConflictDoUpdate({
          target: lsoaDeprivation.lsoaCode,
          set: { imdDecile: sql`excluded.imd_decile` },
        }),
    );
    report.imported += chunk.length;
  }
  return report;
}
