import type { ExplorerCell } from '../../../../src/modules/insight/explorer.ts';

/*
 * What the explorer's dot-and-whisker chart draws, worked out without React or the charting library so it can be
 * tested on its own: a row per group (grouped under the first factor's levels when two are crossed), the x range
 * (always with zero in it, so "no change" has a place), its ticks, and which side is the better one.
 */

export interface ChartRow {
  key: string;
  /** A heading row naming the first factor's level, above its groups (two factors crossed). */
  heading: boolean;
  label: string;
  mean: number | null;
  lower: number | null;
  upper: number | null;
  n: number | null;
  /** Why a group has no estimate, in a few words. */
  hidden: string | null;
}

type Cells = { cells: ExplorerCell[]; aMargins: ExplorerCell[]; total: ExplorerCell; levels: { b: unknown } };

function rowOf(key: string, label: string, cell: ExplorerCell): ChartRow {
  const c = cell.change;
  if (c.suppressed) {
    const protectedGroup = c.reason.includes('worked out');
    return {
      key,
      heading: false,
      label,
      mean: null,
      lower: null,
      upper: null,
      n: null,
      hidden: protectedGroup ? 'Not shown, to protect a small group' : 'Not shown: fewer than 5 people',
    };
  }
  return {
    key,
    heading: false,
    label,
    mean: c.meanChange,
    lower: c.ci95?.lower ?? null,
    upper: c.ci95?.upper ?? null,
    n: c.n,
    hidden: null,
  };
}

/** Groups with nobody paired at all are left out of the chart (the table still lists them). */
const anyone = (cell: ExplorerCell) => !(cell.change.suppressed && cell.change.n === 0);

/** The chart's rows: everyone first, then each level (one factor), or each level's cells under it (two). */
export function chartRows(table: Cells): ChartRow[] {
  const rows: ChartRow[] = [];
  if (anyone(table.total)) rows.push(rowOf('total', 'Everyone', table.total));
  if (table.levels.b === null) {
    for (const m of table.aMargins.filter(anyone)) rows.push(rowOf(`a:${m.a}`, m.aLabel, m));
    return rows;
  }
  for (const m of table.aMargins.filter(anyone)) {
    rows.push({
      key: `heading:${m.a}`,
      heading: true,
      label: m.aLabel,
      mean: null,
      lower: null,
      upper: null,
      n: null,
      hidden: null,
    });
    for (const c of table.cells.filter((x) => x.a === m.a && anyone(x))) {
      rows.push(rowOf(`cell:${c.a}:${c.b}`, c.bLabel ?? '', c));
    }
  }
  return rows;
}

/** A "nice" step (1, 2 or 5 times a power of ten) giving about `count` ticks over a span. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** The x range: every interval and zero, widened to whole ticks. */
export function changeDomain(rows: ChartRow[]): { min: number; max: number; ticks: number[] } {
  const ends = rows.flatMap((r) => [r.lower, r.upper, r.mean]).filter((x): x is number => x !== null);
  let min = Math.min(0, ...ends);
  let max = Math.max(0, ...ends);
  if (max - min < 1e-9) {
    min -= 1;
    max += 1;
  }
  const step = niceStep(max - min, 5);
  // Rounded clear of floating-point dust (0.15000000000000002) and of −0.
  const clean = (x: number) => Number(x.toFixed(10)) + 0;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(clean(i * step));
  return { min: clean(first * step), max: clean(last * step), ticks };
}

/** Which side of zero means people got better on this measure. */
export const betterSide = (higherIsBetter: boolean): 'left' | 'right' => (higherIsBetter ? 'right' : 'left');

/** Splits a label into lines of at most `width` characters, breaking between words (a long word stays whole). */
export function wrapLabel(label: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
