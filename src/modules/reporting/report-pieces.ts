import type { Db } from '../../db/client.ts';
import { VersionedCache } from '../../platform/versioned-cache.ts';
import { addDays, addMonths } from '../../platform/working-days.ts';

/*
 * The operational report's figures by month, kept in memory a while and shared by every period that covers the
 * month, so that a period not asked for before is added up from months already read (issue 8, performance: an ICB's
 * year ending any day, asked for by many at once).
 *
 * A period is its calendar months. A month it covers whole is read from the kept monthly counts (or, where there are
 * none, counted by month); a month it covers in part is read day by day, the whole month at once, and the period
 * takes its days. Each month is read in one statement, so its figures are of one moment; the months of one report
 * may be read up to the kept age apart (10 minutes, as the kept reports), and the report's "generatedAt" is the
 * oldest. Without a keeper (tests, a practice's report) each part is counted for the period alone.
 *
 * Aggregates only: counts by month or day and a category, never a person's row.
 */

/** A row of a piece: its month (YYYY-MM) or day (YYYY-MM-DD), and what it counts. */
export interface AtRow {
  at: string;
}

export interface Piece {
  /** When it was read (the reading request's clock, ms). */
  readAt: number;
  rows: AtRow[];
  /**
   * A month read day by day, as running totals: each of its rows' keys once (`rows`, the month as `at`), and for
   * each the sums of its values from the month's first day to each day (day d at [d * values, (d + 1) * values)), so
   * that a period taking some of its days adds up two of them per key, not every day's row.
   */
  running?: Float64Array[];
}

/** The age a kept piece is read up to: as long as a kept report. */
export const PIECE_AGE_MS = 10 * 60_000;

const MB = 1024 * 1024;

/** Roughly what a piece holds in memory: a small object a row (~150 bytes), and its running totals' arrays. */
export const pieceBytes = (piece: Piece) =>
  piece.rows.length * 150 + (piece.running ?? []).reduce((sum, a) => sum + a.byteLength + 100, 0);

/**
 * Where pieces are kept, by how big they are. A month read day by day weighs tens to hundreds of KB at an ICB's
 * scale (its running totals: referrals ~300 KB, people ~420 KB, activity, connections and coded events 20-40 KB;
 * a caseload at a month’s end ~160 KB), under 1 MB for all six kinds; a whole month's tens of KB (the people's,
 * with their repeats by month, a few hundred). The warming job keeps 180 whole months of each ICB (36 of each kind),
 * and 150 by day (its last 27 months of five kinds, and caseloads at the ends of the last 15). Periods ending on
 * different days of a year touch ~26 part months: were fewer kept, each new period would read again what the one
 * before let go. Bounded by count and by weight: 48 MB of whole months, 64 MB of days.
 * A key names which it is ('|days|').
 */
export class ReportPieces {
  readonly months = new VersionedCache<Piece>(600, PIECE_AGE_MS, undefined, { of: pieceBytes, max: 48 * MB });
  readonly days = new VersionedCache<Piece>(360, PIECE_AGE_MS, undefined, { of: pieceBytes, max: 64 * MB });

  protected of(key: string): VersionedCache<Piece> {
    return key.includes('|days|') ? this.days : this.months;
  }

  has(key: string): boolean {
    return this.of(key).has(key);
  }

  get(key: string, compute: () => Promise<Piece>): Promise<Piece> {
    return this.of(key).get(key, compute);
  }

  refresh(key: string, compute: () => Promise<Piece>): Promise<void> {
    return this.of(key).refresh(key, compute);
  }

  get stats(): { entries: number; hits: number; misses: number } {
    const [a, b] = [this.months.stats, this.days.stats];
    return { entries: a.entries + b.entries, hits: a.hits + b.hits, misses: a.misses + b.misses };
  }

  clear(): void {
    this.months.clear();
    this.days.clear();
  }
}
export const reportPieces = () => new ReportPieces();

/** How a report's pieces are kept: where, whether to read them afresh (the warming job), and the oldest used. */
export interface PieceKeeping {
  cache: ReportPieces;
  refresh: boolean;
  /**
   * Every month of the period read day by day, whole ones too (the warming job's recent months: a period starting
   * or ending on any day of them then adds up kept days).
   */
  byDay?: boolean;
  now: Date;
  /** The earliest readAt of the pieces used so far (ms). */
  oldest: number;
  /** How many times the figures kept did not agree with those counted beside them and were counted afresh. */
  recounted?: number;
}

/** What the report's figures are counted over: the PCNs, or a practice of theirs, and the period's days. */
export interface PieceScope {
  pcnIds: string[];
  practiceId: string | null;
  from: string;
  to: string;
}

/** Reads one kind of figure: kept by month for whole months, counted from the records for days. */
export interface PieceReader<R extends AtRow> {
  kind: string;
  /** Rows of the months first to last (their first days), `at` the month. Only for an ICB's or a PCN's scope. */
  months(tx: Db, s: PieceScope, first: string, last: string): Promise<R[]>;
  /** Rows counted from the records of the days from to to, `at` their day (byDay) or their month. */
  days(tx: Db, s: PieceScope, from: string, to: string, byDay: boolean): Promise<R[]>;
  /** What a row counts by (its `at` aside), and the numbers it counts: those summed over days. */
  keyOf(r: R): string;
  values: readonly (keyof R & string)[];
}

/** A calendar month of a period (its first day, its last), and the days of it the period covers. */
export interface MonthOfPeriod {
  month: string;
  end: string;
  /** The first and last days of the month the period covers. */
  lo: string;
  hi: string;
  whole: boolean;
}

export function monthsOfPeriod(from: string, to: string): MonthOfPeriod[] {
  const out: MonthOfPeriod[] = [];
  for (let month = `${from.slice(0, 7)}-01`; month <= to; month = addMonths(month, 1)) {
    const end = addDays(addMonths(month, 1), -1);
    const lo = from > month ? from : month;
    const hi = to < end ? to : end;
    out.push({ month, end, lo, hi, whole: lo === month && hi === end });
  }
  return out;
}

/**
 * The rows of one kind for a scope's period, `at` their month: a whole month's as read, a part month's the sums of the
 * days the period covers. A practice's report is counted from the records for the whole period (the kept counts
 * have no practice).
 */
export async function gather<R extends AtRow>(
  tx: Db,
  s: PieceScope,
  reader: PieceReader<R>,
  keeping: PieceKeeping | undefined,
): Promise<R[]> {
  if (s.practiceId) return reader.days(tx, s, s.from, s.to, false);
  const months = monthsOfPeriod(s.from, s.to);
  const out: R[] = [];
  if (!keeping) {
    const whole = months.filter((m) => m.whole);
    const parts = months.filter((m) => !m.whole);
    if (whole.length > 0) out.push(...(await reader.months(tx, s, whole[0]!.month, whole.at(-1)!.month)));
    for (const p of parts) out.push(...(await reader.days(tx, s, p.lo, p.hi, false)));
    return out;
  }
  const { cache } = keeping;
  const whole = keeping.byDay ? [] : months.filter((m) => m.whole);
  const scopeKey = scopeKeyOf(s);
  const keyOf = (m: MonthOfPeriod, mode: 'month' | 'days') => `${reader.kind}|${mode}|${m.month}|${scopeKey}`;
  const readAt = keeping.now.getTime();
  // The whole months not kept are read in one statement, from the first to the last of them.
  const missing = keeping.refresh ? whole : whole.filter((m) => !cache.has(keyOf(m, 'month')));
  let batch: Promise<Map<string, R[]>> | undefined;
  const readWhole = async (m: MonthOfPeriod): Promise<Piece> => {
    const inBatch = missing.some((x) => x.month === m.month);
    if (!inBatch) return { readAt, rows: await reader.months(tx, s, m.month, m.month) };
    batch ??= reader.months(tx, s, missing[0]!.month, missing.at(-1)!.month).then((rows) => {
      const byMonth = new Map<string, R[]>();
      for (const r of rows) {
        const list = byMonth.get(r.at);
        if (list) list.push(r);
        else byMonth.set(r.at, [r]);
      }
      return byMonth;
    });
    return { readAt, rows: (await batch).get(m.month.slice(0, 7)) ?? [] };
  };
  const readDays = async (m: MonthOfPeriod): Promise<Piece> =>
    byRunningTotals(reader, m, readAt, await reader.days(tx, s, m.month, m.end, true));
  // One at a time: the statements share the request's transaction.
  for (const m of months) {
    const asWhole = m.whole && !keeping.byDay;
    const piece = asWhole
      ? await takePiece(keeping, keyOf(m, 'month'), () => readWhole(m))
      : await takePiece(keeping, keyOf(m, 'days'), () => readDays(m));
    if (asWhole) out.push(...(piece.rows as R[]));
    else out.push(...daysOf(reader, piece, m));
  }
  return out;
}

/** The day of the month of a YYYY-MM-DD date (1 to 31). */
export const dayOfMonth = (day: string) => Number(day.slice(8, 10));

/** What a month's running totals are kept by: a row's key, and the numbers summed. */
export type Totalled<R extends AtRow> = Pick<PieceReader<R>, 'keyOf' | 'values'>;

/** A month's rows by day (`at` the day) kept as running totals by key: Piece.running. */
export function byRunningTotals<R extends AtRow>(
  reader: Totalled<R>,
  m: Pick<MonthOfPeriod, 'month' | 'end'>,
  readAt: number,
  rows: R[],
): Piece {
  const days = dayOfMonth(m.end);
  const width = reader.values.length;
  const index = new Map<string, number>();
  const keys: R[] = [];
  const running: Float64Array[] = [];
  for (const r of rows) {
    const k = reader.keyOf(r);
    let i = index.get(k);
    if (i === undefined) {
      i = keys.length;
      index.set(k, i);
      // A plain copy, then its month: a spread with a property beside it takes V8's slow path.
      const key = { ...r };
      key.at = m.month.slice(0, 7);
      keys.push(key);
      running.push(new Float64Array((days + 1) * width));
    }
    const sums = running[i]!;
    const d = dayOfMonth(r.at);
    for (let v = 0; v < width; v++) sums[d * width + v]! += Number(r[reader.values[v]!]);
  }
  for (const sums of running) {
    for (let d = 1; d <= days; d++)
      for (let v = 0; v < width; v++) sums[d * width + v]! += sums[(d - 1) * width + v]!;
  }
  return { readAt, rows: keys, running };
}

/** The rows of the days of a month a period covers, one per key (`at` the month), from its running totals. */
export function daysOf<R extends AtRow>(
  reader: Totalled<R>,
  piece: Piece,
  m: Pick<MonthOfPeriod, 'lo' | 'hi'>,
): R[] {
  const width = reader.values.length;
  const hi = dayOfMonth(m.hi);
  const before = dayOfMonth(m.lo) - 1;
  const out: R[] = [];
  (piece.rows as R[]).forEach((row, i) => {
    const sums = piece.running![i]!;
    let any = false;
    for (let v = 0; v < width; v++) if (sums[hi * width + v]! !== sums[before * width + v]!) any = true;
    if (!any) return;
    // A plain copy with its values replaced (they are its own properties: no new shape, no slow path).
    const copy = { ...row } as Record<string, unknown>;
    for (let v = 0; v < width; v++)
      copy[reader.values[v]!] = sums[hi * width + v]! - sums[before * width + v]!;
    out.push(copy as unknown as R);
  });
  return out;
}

/** The PCNs a piece is of, as its key names them. */
export const scopeKeyOf = (s: { pcnIds: string[] }) => [...s.pcnIds].sort().join(',');

/** A piece as kept (read when not, or afresh for the warming job), noting how old the report's oldest piece is. */
export async function takePiece(
  keeping: PieceKeeping,
  key: string,
  read: () => Promise<Piece>,
): Promise<Piece> {
  let piece: Piece;
  if (keeping.refresh) {
    piece = await read();
    const fresh = piece;
    await keeping.cache.refresh(key, async () => fresh);
  } else {
    piece = await keeping.cache.get(key, read);
  }
  keeping.oldest = Math.min(keeping.oldest, piece.readAt);
  return piece;
}
