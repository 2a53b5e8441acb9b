import { MINIMUM_CELL_SIZE } from '../outcomes/stats.ts';

/*
 * Small-number suppression for a table of counts with its totals, so no count of 1 to 4 people can be read or
 * worked out from what is shown.
 *
 * Primary: every count from 1 to 4 — a cell or a total — is suppressed. Zero is shown: it tells nothing about
 * anyone, and "no referrals from this practice" is a finding (the outcomes report shows 0 too).
 *
 * Secondary: where a total is shown, a suppressed cell must not be recoverable by subtraction. Each line (a row
 * with its row total, a column with its column total, the row totals with the grand total, the column totals with
 * the grand total) must hold no suppressed entry or at least two, and when its total is shown the suppressed
 * entries must not be forced to 1 each (total minus the visible cells equal to their number: every suppressed
 * count is at least 1, since zeros are shown and complements are never zeros). When a line fails, the smallest
 * non-zero visible cell of that line is suppressed too (the smallest loses least information; between equals, one
 * whose crossing line also needs a second suppression, then the first); when there is none, the line's total.
 * Lines are revisited until none changes.
 *
 * Then an audit over all the lines at once: a suppressed entry is also exposed when some combination of rows and
 * columns pins it (a cell that is the only link between two suppressed blocks can be solved for without any
 * single line giving it away). The audit solves the lines as equations in the suppressed entries (reduced row
 * echelon form) and finds each entry that has one possible value; one more cell is suppressed beside it, the line
 * rule runs again, and so on until nothing is pinned. Bounds other than "at least 1" (a cell is at most its total)
 * are not audited: a full interval audit needs linear programming (τ-ARGUS does it for statistical offices); the
 * tables here are published with the line rule and the exact audit above, which is what NHS England's
 * small-number guidance asks for (no suppressed figure derivable by subtraction).
 *
 * A total passed for a line need not be the exact sum of its cells (a connection whose service is in two
 * categories counts in both rows but once in "all connections"): such a line is treated as if it were additive,
 * which can only suppress more, never less.
 */

export interface CountTable {
  /** The counts, a row per array, every row as long as the first. */
  cells: readonly (readonly number[])[];
  /** The total shown for each row, or null when the table shows none. */
  rowTotals?: readonly number[] | null;
  /** The total shown for each column, or null when the table shows none. */
  columnTotals?: readonly number[] | null;
  /** The total of the row totals and of the column totals, when shown. */
  grandTotal?: number | null;
}

/** Which entries are suppressed (true), in the table's own shape. */
export interface SuppressionPattern {
  cells: boolean[][];
  rowTotals: boolean[] | null;
  columnTotals: boolean[] | null;
  grandTotal: boolean | null;
  /** Entries of 1–4 (primary) and entries suppressed to protect them (secondary). */
  primary: number;
  secondary: number;
}

interface Line {
  /** Indexes of the entries that add up to the total. */
  members: number[];
  total: number;
}

interface Layout {
  values: number[];
  lines: Line[];
  /** The lines each entry is in (as a member or as the total). */
  linesOf: number[][];
  rows: number;
  columns: number;
  rowTotal: (r: number) => number;
  columnTotal: (c: number) => number;
  grand: number;
}

function layoutOf(table: CountTable): Layout {
  const rows = table.cells.length;
  const columns = table.cells[0]?.length ?? table.columnTotals?.length ?? 0;
  for (const row of table.cells) {
    if (row.length !== columns) throw new Error('Every row of a count table must be as long as the first');
  }
  if (table.rowTotals && table.rowTotals.length !== rows) throw new Error('One row total per row');
  if (table.columnTotals && table.columnTotals.length !== columns)
    throw new Error('One column total per column');
  const values = table.cells.flat();
  const cell = (r: number, c: number) => r * columns + c;
  const rowTotalAt = values.length;
  if (table.rowTotals) values.push(...table.rowTotals);
  const columnTotalAt = values.length;
  if (table.columnTotals) values.push(...table.columnTotals);
  const grandAt = values.length;
  const hasGrand = table.grandTotal !== null && table.grandTotal !== undefined;
  if (hasGrand) values.push(table.grandTotal as number);
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`Counts must be whole numbers from 0: ${v}`);
  }
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const lines: Line[] = [];
  if (table.rowTotals) {
    for (const r of range(rows)) {
      lines.push({ members: range(columns).map((c) => cell(r, c)), total: rowTotalAt + r });
    }
    if (hasGrand) lines.push({ members: range(rows).map((r) => rowTotalAt + r), total: grandAt });
  }
  if (table.columnTotals) {
    for (const c of range(columns)) {
      lines.push({ members: range(rows).map((r) => cell(r, c)), total: columnTotalAt + c });
    }
    if (hasGrand) lines.push({ members: range(columns).map((c) => columnTotalAt + c), total: grandAt });
  }
  const linesOf: number[][] = values.map(() => []);
  lines.forEach((line, i) => {
    for (const m of line.members) linesOf[m]!.push(i);
    linesOf[line.total]!.push(i);
  });
  return {
    values,
    lines,
    linesOf,
    rows,
    columns,
    rowTotal: (r) => rowTotalAt + r,
    columnTotal: (c) => columnTotalAt + c,
    grand: grandAt,
  };
}

/** Whether a line gives a suppressed entry away on its own. */
function lineExposes(line: Line, values: number[], hidden: boolean[]): boolean {
  let hiddenMembers = 0;
  let visibleSum = 0;
  for (const m of line.members) {
    if (hidden[m]) hiddenMembers += 1;
    else visibleSum += values[m]!;
  }
  const totalHidden = hidden[line.total]!;
  const count = hiddenMembers + (totalHidden ? 1 : 0);
  if (count === 0) return false;
  if (count === 1) return true;
  if (totalHidden) return false;
  // Every suppressed count is at least 1: a deficit equal to their number makes each of them exactly 1.
  return values[line.total]! - visibleSum <= hiddenMembers;
}

/**
 * The entry to suppress next among the candidates: the smallest non-zero visible one, then one in a line that
 * also needs another suppression, then the first.
 */
function pickFrom(
  candidates: number[],
  layout: Layout,
  hidden: boolean[],
  needsMore: (line: number) => boolean,
): number | null {
  let best: number | null = null;
  let bestKey: [number, number, number] | null = null;
  for (const e of candidates) {
    if (hidden[e] || layout.values[e] === 0) continue;
    const pairs = layout.linesOf[e]!.some(needsMore) ? 0 : 1;
    const key: [number, number, number] = [layout.values[e]!, pairs, e];
    if (
      !bestKey ||
      key[0] < bestKey[0] ||
      (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))
    ) {
      best = e;
      bestKey = key;
    }
  }
  return best;
}

/** Applies the line rule until no line changes. */
function protectLines(layout: Layout, hidden: boolean[]): number {
  let added = 0;
  const needsMore = (i: number) => lineExposes(layout.lines[i]!, layout.values, hidden);
  for (let changed = true; changed; ) {
    changed = false;
    layout.lines.forEach((line, i) => {
      if (!needsMore(i)) return;
      const next =
        pickFrom(line.members, layout, hidden, needsMore) ??
        pickFrom([line.total], layout, hidden, needsMore);
      if (next === null) return;
      hidden[next] = true;
      added += 1;
      changed = true;
    });
  }
  return added;
}

/**
 * The suppressed entries whose value the lines pin down, taken together: the system "each line's hidden members
 * minus its hidden total equal what the visible entries leave" in reduced row echelon form; a pivot entry whose
 * row has no free entry has one possible value.
 */
export function pinnedEntries(layout: Pick<Layout, 'lines' | 'values'>, hidden: boolean[]): number[] {
  const variables = hidden.flatMap((h, i) => (h ? [i] : []));
  if (variables.length === 0) return [];
  const column = new Map(variables.map((v, i) => [v, i]));
  const matrix: number[][] = [];
  for (const line of layout.lines) {
    const row = new Array<number>(variables.length).fill(0);
    let any = false;
    for (const m of line.members) {
      const c = column.get(m);
      if (c !== undefined) {
        row[c] = 1;
        any = true;
      }
    }
    const t = column.get(line.total);
    if (t !== undefined) {
      row[t] = -1;
      any = true;
    }
    if (any) matrix.push(row);
  }
  const EPS = 1e-9;
  const pivotColumns: number[] = [];
  let rank = 0;
  for (let c = 0; c < variables.length && rank < matrix.length; c++) {
    let pivot = -1;
    let size = EPS;
    for (let r = rank; r < matrix.length; r++) {
      if (Math.abs(matrix[r]![c]!) > size) {
        size = Math.abs(matrix[r]![c]!);
        pivot = r;
      }
    }
    if (pivot < 0) continue;
    [matrix[rank], matrix[pivot]] = [matrix[pivot]!, matrix[rank]!];
    const lead = matrix[rank]!;
    const f = lead[c]!;
    for (let k = c; k < lead.length; k++) lead[k]! /= f;
    for (let r = 0; r < matrix.length; r++) {
      if (r === rank) continue;
      const row = matrix[r]!;
      const factor = row[c]!;
      if (Math.abs(factor) <= EPS) continue;
      for (let k = c; k < row.length; k++) row[k]! -= factor * lead[k]!;
    }
    pivotColumns.push(c);
    rank += 1;
  }
  const isPivot = new Set(pivotColumns);
  const pinned: number[] = [];
  pivotColumns.forEach((c, r) => {
    const row = matrix[r]!;
    const free = row.some((v, k) => !isPivot.has(k) && Math.abs(v) > EPS);
    if (!free) pinned.push(variables[c]!);
  });
  return pinned.sort((a, b) => a - b);
}

/**
 * Which entries of a count table to suppress: counts of 1 to 4 (cells and totals), and enough others that none
 * of them can be worked out from the totals shown. Pure; the same table always gives the same pattern.
 */
export function suppressTable(
  table: CountTable,
  options: { minimum?: number; audit?: boolean } = {},
): SuppressionPattern {
  const { minimum = MINIMUM_CELL_SIZE, audit = true } = options;
  const layout = layoutOf(table);
  const { values } = layout;
  const hidden = values.map((v) => v > 0 && v < minimum);
  const primary = hidden.filter(Boolean).length;
  let secondary = protectLines(layout, hidden);
  while (audit) {
    const pinned = pinnedEntries(layout, hidden);
    if (pinned.length === 0) break;
    const needsMore = (i: number) => lineExposes(layout.lines[i]!, values, hidden);
    let next: number | null = null;
    for (const entry of pinned) {
      const near = layout.linesOf[entry]!.flatMap((i) => layout.lines[i]!.members);
      const totals = layout.linesOf[entry]!.map((i) => layout.lines[i]!.total);
      next =
        pickFrom(near, layout, hidden, needsMore) ??
        pickFrom(totals, layout, hidden, needsMore) ??
        pickFrom(
          values.map((_, i) => i),
          layout,
          hidden,
          needsMore,
        );
      if (next !== null) break;
    }
    // Everything that is not zero is already suppressed: nothing is left to give anything away.
    if (next === null) break;
    hidden[next] = true;
    secondary += 1 + protectLines(layout, hidden);
  }
  const { rows, columns } = layout;
  return {
    cells: Array.from({ length: rows }, (_, r) =>
      Array.from({ length: columns }, (_, c) => hidden[r * columns + c]!),
    ),
    rowTotals: table.rowTotals ? table.rowTotals.map((_, r) => hidden[layout.rowTotal(r)]!) : null,
    columnTotals: table.columnTotals
      ? table.columnTotals.map((_, c) => hidden[layout.columnTotal(c)]!)
      : null,
    grandTotal: table.grandTotal !== null && table.grandTotal !== undefined ? hidden[layout.grand]! : null,
    primary,
    secondary,
  };
}

/** The lines of a table as the audit sees them: for tests and for anyone checking a published pattern. */
export function linesOf(table: CountTable): { values: number[]; lines: Line[] } {
  const { values, lines } = layoutOf(table);
  return { values, lines };
}
