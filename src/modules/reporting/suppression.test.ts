import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CountTable, linesOf, pinnedEntries, suppressTable } from './suppression.ts';

/** A table of counts with every total shown, each total the sum of its cells. */
function withTotals(cells: number[][]): Required<CountTable> & { cells: number[][] } {
  const rowTotals = cells.map((r) => r.reduce((a, b) => a + b, 0));
  const columnTotals = (cells[0] ?? []).map((_, c) => cells.reduce((a, r) => a + r[c]!, 0));
  return { cells, rowTotals, columnTotals, grandTotal: rowTotals.reduce((a, b) => a + b, 0) };
}

/** "X" for suppressed, "." for shown: the pattern as one would draw it by hand. */
const draw = (cells: boolean[][]) => cells.map((r) => r.map((h) => (h ? 'X' : '.')).join(''));

describe('primary and secondary suppression of a count table', () => {
  it('suppresses 1 to 4 and shows 0 and 5', () => {
    const p = suppressTable({ cells: [[0, 1, 4, 5]] });
    expect(p.cells).toEqual([[false, true, true, false]]);
    expect(p).toMatchObject({ primary: 2, secondary: 0, rowTotals: null, columnTotals: null });
  });

  it('suppresses the next-smallest cell of a row whose total is shown', () => {
    // 3 alone could be read as 22 − 7 − 12 − 0: the next-smallest non-zero cell, 7, goes too (never the 0).
    const p = suppressTable({ cells: [[7, 3, 12, 0]], rowTotals: [22] });
    expect(draw(p.cells)).toEqual(['XX..']);
    expect(p.rowTotals).toEqual([false]);
    expect(p).toMatchObject({ primary: 1, secondary: 1 });
  });

  it('suppresses the next-smallest cell of a column whose total is shown', () => {
    const p = suppressTable({ cells: [[2], [9], [6], [15]], columnTotals: [32] });
    expect(draw(p.cells)).toEqual(['X', '.', 'X', '.']);
  });

  it('suppresses a third cell when two suppressed cells could only be 1 each', () => {
    // 24 − 10 − 12 leaves 2 for the two suppressed cells: both must be 1. Suppressing 10 leaves 12 for three.
    const p = suppressTable({ cells: [[1, 1, 10, 12]], rowTotals: [24] });
    expect(draw(p.cells)).toEqual(['XXX.']);
  });

  it('iterates across rows and columns until no line gives a cell away', () => {
    //        A   B   C   total
    //  r0    3   8   9    20     3 is primary; r0 then needs 8 (smaller than 9).
    //  r1    6  30  12    48     column A then needs 6 (smaller than 7); column B needs 20 (smaller than 30).
    //  r2    7  20   5    32     second pass: r1 now has 6 alone, so 12; r2 has 20 alone, so 5.
    //  total 16 58  26   100     column C then has 12 and 5: safe. Every line holds two, and no total moves.
    const p = suppressTable(
      withTotals([
        [3, 8, 9],
        [6, 30, 12],
        [7, 20, 5],
      ]),
    );
    expect(draw(p.cells)).toEqual(['XX.', 'X.X', '.XX']);
    expect(p.rowTotals).toEqual([false, false, false]);
    expect(p.columnTotals).toEqual([false, false, false]);
    expect(p.grandTotal).toBe(false);
    expect(p).toMatchObject({ primary: 1, secondary: 5 });
  });

  it('suppresses a total when the totals themselves would give a suppressed total away', () => {
    //        A   B   total
    //  r0    3   0     3      3 and its row total 3 are primary.
    //  r1    5   6    11      the row totals 3 and 11 add up to 14: 11 goes with 3; column A needs 5 beside 3.
    //  total 8   6    14      r1 then holds 5 and its hidden total 11: safe.
    const p = suppressTable(
      withTotals([
        [3, 0],
        [5, 6],
      ]),
    );
    expect(draw(p.cells)).toEqual(['X.', 'X.']);
    expect(p.rowTotals).toEqual([true, true]);
    expect(p.columnTotals).toEqual([false, false]);
    expect(p.grandTotal).toBe(false);
  });

  it('finds a cell pinned by rows and columns together, which no single line gives away', () => {
    //        c0  c1  c2   total
    //  r0     0   1  24    25
    //  r1     4  16  14    34
    //  r2     1  22  10    33
    //  r3     0  12   0    12
    //  total  5  51  48   104
    const table = withTotals([
      [0, 1, 24],
      [4, 16, 14],
      [1, 22, 10],
      [0, 12, 0],
    ]);
    const lineOnly = suppressTable(table, { audit: false });
    expect(draw(lineOnly.cells)).toEqual(['.XX', 'X.X', 'X.X', '.X.']);
    // Rows r1 and r2 give c10 + c12 = 34 − 16 and c20 + c22 = 33 − 22; column c0 gives c10 + c20 = 5. So
    // c12 + c22 = 18 + 11 − 5 = 24, and column c2 then gives c02 = 48 − 24 − 0 = 24: pinned.
    const { values, lines } = linesOf(table);
    const hidden = [
      ...lineOnly.cells.flat(),
      ...lineOnly.rowTotals!,
      ...lineOnly.columnTotals!,
      lineOnly.grandTotal!,
    ];
    expect(pinnedEntries({ values, lines }, hidden)).toEqual([2]);
    const audited = suppressTable(table);
    expect(audited.cells[0]![2]).toBe(true);
    expect(exactlyRecoverable(table, audited)).toEqual([]);
    expect(exactlyRecoverable(table, lineOnly)).toEqual([2]);
  });

  it('leaves a table with nothing under 5 alone, and an all-zero table too', () => {
    expect(
      suppressTable(
        withTotals([
          [5, 6],
          [7, 8],
        ]),
      ).secondary,
    ).toBe(0);
    const zeros = suppressTable(
      withTotals([
        [0, 0],
        [0, 0],
      ]),
    );
    expect([...zeros.cells.flat(), ...zeros.rowTotals!, zeros.grandTotal]).not.toContain(true);
  });

  it('treats a total larger or smaller than the sum (a row counted in two categories) as a line all the same', () => {
    // "All connections" is 20, not 23: one connection's service is in two categories. 3 still gets a partner.
    const p = suppressTable({ cells: [[3], [8], [12]], columnTotals: [20] });
    expect(draw(p.cells)).toEqual(['X', 'X', '.']);
  });

  it('takes a table with no rows: its totals are all zero', () => {
    const p = suppressTable({ cells: [], rowTotals: [], columnTotals: [0, 0], grandTotal: 0 });
    expect(p).toMatchObject({ cells: [], rowTotals: [], columnTotals: [false, false], grandTotal: false });
  });

  it('refuses a ragged table or a count that is not a whole number from 0', () => {
    expect(() => suppressTable({ cells: [[1, 2], [3]] })).toThrow(/as long as the first/);
    expect(() => suppressTable({ cells: [[1.5]] })).toThrow(/whole numbers/);
    expect(() => suppressTable({ cells: [[-1]] })).toThrow(/whole numbers/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// An independent check: exact rational rank, with BigInt fractions, of the lines as equations in the hidden entries.

type Pattern = ReturnType<typeof suppressTable>;

const hiddenOf = (p: Pattern) => [
  ...p.cells.flat(),
  ...(p.rowTotals ?? []),
  ...(p.columnTotals ?? []),
  ...(p.grandTotal === null ? [] : [p.grandTotal]),
];

/** Rank of an integer matrix by fraction-free (Bareiss) elimination over BigInt. */
function rank(rows: bigint[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  let previous = 1n;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width && r < m.length; c++) {
    const pivot = m.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = r + 1; i < m.length; i++) {
      for (let k = c + 1; k < width; k++) {
        m[i]![k] = (m[r]![c]! * m[i]![k]! - m[i]![c]! * m[r]![k]!) / previous;
      }
      m[i]![c] = 0n;
    }
    previous = m[r]![c]!;
    r += 1;
  }
  return r;
}

/**
 * The hidden entries some combination of the shown lines determines exactly: an entry x is determined when adding
 * the equation "x = …" does not raise the rank of the system (it already follows from the lines).
 */
function exactlyRecoverable(table: CountTable, p: Pattern): number[] {
  const { lines } = linesOf(table);
  const hidden = hiddenOf(p);
  const vars = hidden.flatMap((h, i) => (h ? [i] : []));
  const equations = lines.map((line) =>
    vars.map((v) => (line.members.includes(v) ? 1n : line.total === v ? -1n : 0n)),
  );
  const base = rank(equations);
  return vars.filter((_, k) => rank([...equations, vars.map((__, j) => (j === k ? 1n : 0n))]) === base);
}

/** Counts as a report has them: many small numbers, some zeros, some large. */
const count = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 5, arbitrary: fc.integer({ min: 5, max: 60 }) },
);
const tableArb = fc
  .record({ rows: fc.integer({ min: 1, max: 6 }), columns: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, columns }) =>
    fc.array(fc.array(count, { minLength: columns, maxLength: columns }), {
      minLength: rows,
      maxLength: rows,
    }),
  );

describe('suppression properties (fast-check)', () => {
  it('never shows a count of 1 to 4, cell or total', () => {
    fc.assert(
      fc.property(tableArb, (cells) => {
        const t = withTotals(cells);
        const { values } = linesOf(t);
        const hidden = hiddenOf(suppressTable(t));
        values.forEach((v, i) => {
          if (v > 0 && v < 5) expect(hidden[i]).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('never lets a suppressed cell be recovered from a row or column total minus the visible cells', () => {
    fc.assert(
      fc.property(tableArb, fc.constantFrom('both', 'rows', 'columns'), (cells, margins) => {
        const full = withTotals(cells);
        const t: CountTable = {
          cells,
          rowTotals: margins === 'columns' ? null : full.rowTotals,
          columnTotals: margins === 'rows' ? null : full.columnTotals,
          grandTotal: margins === 'both' ? full.grandTotal : null,
        };
        const p = suppressTable(t);
        const { values, lines } = linesOf(t);
        const hidden = hiddenOf(p);
        for (const line of lines) {
          const hiddenMembers = line.members.filter((m) => hidden[m]);
          if (hidden[line.total]) {
            // A hidden total is recoverable by adding up its cells unless one of them is hidden too.
            if (line.members.some((m) => values[m]! > 0)) expect(hiddenMembers.length).toBeGreaterThan(0);
            continue;
          }
          const rest =
            values[line.total]! - line.members.filter((m) => !hidden[m]).reduce((a, m) => a + values[m]!, 0);
          // One hidden cell would be the rest exactly; several could each only be 1 if the rest equals their number.
          expect(hiddenMembers.length === 0 || hiddenMembers.length >= 2).toBe(true);
          if (hiddenMembers.length >= 2) expect(rest).toBeGreaterThan(hiddenMembers.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no suppressed entry that the rows and columns together determine', () => {
    fc.assert(
      fc.property(tableArb, (cells) => {
        const t = withTotals(cells);
        expect(exactlyRecoverable(t, suppressTable(t))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('only ever adds suppression, and gives the same pattern for the same table', () => {
    fc.assert(
      fc.property(tableArb, (cells) => {
        const t = withTotals(cells);
        const a = suppressTable(t);
        expect(suppressTable(t)).toEqual(a);
        const lineOnly = hiddenOf(suppressTable(t, { audit: false }));
        hiddenOf(a).forEach((h, i) => {
          if (lineOnly[i]) expect(h).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  });
});
