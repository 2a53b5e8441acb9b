import type {
  OperationalReport,
  ReportCell,
  ReportTable,
} from '../../../../src/modules/reporting/contract.ts';
import { SUPPRESSED_TEXT } from './cells.ts';
import { isMonth } from './report-values.ts';

/*
 * What the report's charts draw, worked out without React or the charting library so it can be tested on its own:
 * lines over the months (referrals by source; waits against the target) with a gap where a figure is suppressed,
 * and bars (accepted and attended rates; people referred per 1,000 registered with their intervals) with a
 * suppressed bar saying so in words. Every number comes from the report's tables, which the page shows beside.
 */

export interface Series {
  key: string;
  label: string;
  /** One per month; null where there is no figure to draw (suppressed, or nothing to measure). */
  values: (number | null)[];
}

export interface Reference {
  label: string;
  value: number;
}

export interface LineChartData {
  months: { key: string; label: string }[];
  series: Series[];
  references: Reference[];
  /** Whether a line has a gap because a figure is suppressed. */
  gaps: boolean;
}

export interface Bar {
  measure: string;
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** Why a bar is not drawn, in words. */
  hidden: string | null;
}

export interface BarRow {
  key: string;
  label: string;
  total: boolean;
  bars: Bar[];
}

export interface BarChartData {
  measures: { key: string; label: string }[];
  rows: BarRow[];
  /** A line across the rows for everyone (the rate over all groups). */
  reference: Reference | null;
  /** The end of the scale: 100 for percentages, else the largest figure drawn. */
  max: number;
}

const drawn = (cell: ReportCell | undefined) => (!cell || cell.suppressed ? null : cell.value);
const why = (cell: ReportCell | undefined) =>
  !cell ? 'no figure' : cell.suppressed ? SUPPRESSED_TEXT : cell.value === null ? 'no figure' : null;
const columnIndex = (table: ReportTable, key: string) => table.columns.findIndex((c) => c.key === key);

/** Referrals per month by source (the sources with any referral) and all sources together. */
export function referralLines(table: ReportTable): LineChartData {
  const monthIndexes = table.columns.flatMap((c, i) => (isMonth(c.key) ? [i] : []));
  const months = monthIndexes.map((i) => ({ key: table.columns[i]!.key, label: table.columns[i]!.label }));
  const series: Series[] = [];
  let gaps = false;
  for (const row of table.rows) {
    const cells = monthIndexes.map((i) => row.cells[i]!);
    const any = cells.some((c) => c.suppressed || (c.value ?? 0) > 0);
    if (!row.total && !any) continue;
    if (cells.some((c) => c.suppressed)) gaps = true;
    series.push({
      key: row.key,
      label: row.total ? 'All referrals' : row.label,
      values: cells.map(drawn),
    });
  }
  // All referrals first: it is the line people look for.
  series.sort((a, b) => Number(b.key === 'total') - Number(a.key === 'total'));
  return { months, series, references: [], gaps };
}

/** A working-day target in calendar days: five working days are a week (bank holidays aside). */
export const calendarDaysOf = (workingDays: number) => Math.round((workingDays * 7) / 5);

/** The median and 90th percentile days to first contact by month referred, against each target in force. */
export function waitLines(table: ReportTable, report: Pick<OperationalReport, 'firstContactTargets'>) {
  const rows = table.rows.filter((r) => isMonth(r.key));
  const median = columnIndex(table, 'median_days');
  const p90 = columnIndex(table, 'p90_days');
  const targets = [...new Set(report.firstContactTargets.map((t) => t.workingDays))].sort((a, b) => a - b);
  return {
    months: rows.map((r) => ({ key: r.key, label: r.label })),
    series: [
      { key: 'median', label: 'Median days', values: rows.map((r) => drawn(r.cells[median])) },
      { key: 'p90', label: '90th percentile, days', values: rows.map((r) => drawn(r.cells[p90])) },
    ],
    references: targets.map((t) => ({
      label: `Target: ${t} working days (about ${calendarDaysOf(t)} days)`,
      value: calendarDaysOf(t),
    })),
    gaps: rows.some((r) => r.cells[median]?.suppressed || r.cells[p90]?.suppressed),
  } satisfies LineChartData;
}

/** Accepted and attended rates for each service category and all connections. */
export function connectionBars(table: ReportTable): BarChartData {
  const accepted = columnIndex(table, 'accepted_percent');
  const attended = columnIndex(table, 'attended_percent');
  const bar = (measure: string, cell: ReportCell | undefined): Bar => ({
    measure,
    value: drawn(cell),
    lower: null,
    upper: null,
    hidden: why(cell),
  });
  return {
    measures: [
      { key: 'accepted', label: 'Accepted %' },
      { key: 'attended', label: 'Attended %' },
    ],
    rows: table.rows.map((r) => ({
      key: r.key,
      label: r.label,
      total: r.total,
      bars: [bar('accepted', r.cells[accepted]), bar('attended', r.cells[attended])],
    })),
    reference: null,
    max: 100,
  };
}

/** People referred per 1,000 registered for each group with a population, with 95% intervals; "All" as a line. */
export function reachBars(table: ReportTable): BarChartData {
  const rate = columnIndex(table, 'per_1000');
  const lower = columnIndex(table, 'per_1000_lower');
  const upper = columnIndex(table, 'per_1000_upper');
  const registered = columnIndex(table, 'registered');
  const groups = table.rows.filter((r) => !r.total && (r.cells[registered]?.value ?? 0) > 0);
  const total = table.rows.find((r) => r.total);
  const all = drawn(total?.cells[rate]);
  const rows: BarRow[] = groups.map((r) => ({
    key: r.key,
    label: r.label,
    total: false,
    bars: [
      {
        measure: 'per_1000',
        value: drawn(r.cells[rate]),
        lower: drawn(r.cells[lower]),
        upper: drawn(r.cells[upper]),
        hidden: why(r.cells[rate]),
      },
    ],
  }));
  const ends = rows.flatMap((r) => r.bars.flatMap((b) => [b.value, b.upper]));
  const max = Math.max(0, all ?? 0, ...ends.filter((x): x is number => x !== null));
  return {
    measures: [{ key: 'per_1000', label: 'Referred per 1,000 registered' }],
    rows,
    reference: all === null ? null : { label: `All: ${all.toFixed(1)} per 1,000`, value: all },
    max,
  };
}

/** A "nice" scale end and its ticks: 1, 2 or 5 times a power of ten, about `count` steps from zero. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  const step = (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
  const ticks: number[] = [];
  for (let i = 0; i * step < max + step - 1e-9; i++) ticks.push(Number((i * step).toFixed(10)));
  return ticks;
}

/** Every n-th month labelled so that labels sit at least `spacing` pixels apart. */
export function monthTickEvery(months: number, width: number, spacing = 44): number {
  if (months <= 1) return 1;
  const each = width / (months - 1);
  const steps = [1, 2, 3, 4, 6, 12];
  return steps.find((s) => s * each >= spacing) ?? 12;
}
