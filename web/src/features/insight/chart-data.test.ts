import { describe, expect, it } from 'vitest';
import type { ExplorerCell } from '../../../../src/modules/insight/explorer.ts';
import { betterSide, type ChartRow, changeDomain, chartRows, wrapLabel } from './chart-data.ts';

/** A cell with figures, or hidden with the API's reason (n 0: nobody at all). */
function cell(
  a: string | null,
  b: string | null,
  figures: { mean: number; lower: number; upper: number; n: number } | { hidden: string; n: 0 | null },
): ExplorerCell {
  const change =
    'hidden' in figures
      ? { suppressed: true, reason: figures.hidden, n: figures.n, meanChange: null, ci95: null }
      : {
          suppressed: false,
          reason: null,
          n: figures.n,
          meanChange: figures.mean,
          ci95: { lower: figures.lower, upper: figures.upper },
        };
  return {
    a,
    b,
    aLabel: a === null ? 'All' : `A ${a}`,
    bLabel: b === null ? null : `B ${b}`,
    change,
  } as unknown as ExplorerCell;
}

const few = 'Fewer than 5 people have measures at both timepoints: not shown';
const protect = 'Not shown, so that a small group cannot be worked out from the totals';
const nobody = 'No one has measures at both timepoints';

const point = (row: ChartRow) => [row.label, row.mean, row.lower, row.upper, row.n, row.hidden];

describe('the chart’s rows', () => {
  it('one factor: everyone, then each level; hidden ones say why; nobody-at-all ones are left out', () => {
    const rows = chartRows({
      levels: { b: null },
      cells: [],
      total: cell(null, null, { mean: -0.8, lower: -1, upper: -0.6, n: 60 }),
      aMargins: [
        cell('x', null, { mean: -1.2, lower: -1.6, upper: -0.8, n: 30 }),
        cell('y', null, { hidden: few, n: null }),
        cell('z', null, { hidden: protect, n: null }),
        cell('w', null, { hidden: nobody, n: 0 }),
      ],
    });
    expect(rows.map(point)).toEqual([
      ['Everyone', -0.8, -1, -0.6, 60, null],
      ['A x', -1.2, -1.6, -0.8, 30, null],
      ['A y', null, null, null, null, 'Not shown: fewer than 5 people'],
      ['A z', null, null, null, null, 'Not shown, to protect a small group'],
    ]);
    expect(rows.some((r) => r.heading)).toBe(false);
  });

  it('two factors: a heading per level of the first, its cells under it', () => {
    const rows = chartRows({
      levels: { b: [] },
      total: cell(null, null, { mean: -1, lower: -1.2, upper: -0.8, n: 90 }),
      aMargins: [
        cell('x', null, { mean: -1, lower: -1.3, upper: -0.7, n: 50 }),
        cell('y', null, { mean: -1, lower: -1.3, upper: -0.7, n: 40 }),
      ],
      cells: [
        cell('x', '1', { mean: -2, lower: -2.5, upper: -1.5, n: 20 }),
        cell('x', '5', { hidden: protect, n: null }),
        cell('y', '1', { hidden: nobody, n: 0 }),
        cell('y', '5', { mean: 0.5, lower: -0.1, upper: 1.1, n: 40 }),
      ],
    });
    expect(rows.map((r) => [r.heading, r.label, r.mean])).toEqual([
      [false, 'Everyone', -1],
      [true, 'A x', null],
      [false, 'B 1', -2],
      [false, 'B 5', null],
      [true, 'A y', null],
      [false, 'B 5', 0.5],
    ]);
  });
});

describe('the chart’s scale', () => {
  const rows = (...intervals: [number, number][]) =>
    intervals.map(([lower, upper], i) => ({
      key: String(i),
      heading: false,
      label: '',
      mean: (lower + upper) / 2,
      lower,
      upper,
      n: 10,
      hidden: null,
    }));

  it('takes in every interval and zero, in whole steps of 1, 2 or 5 times a power of ten', () => {
    // −2.12 to −0.25, with 0: a span of 2.12 over about 5 ticks is a step of 0.5.
    expect(changeDomain(rows([-2.12, -1.48], [-0.68, -0.25]))).toEqual({
      min: -2.5,
      max: 0,
      ticks: [-2.5, -2, -1.5, -1, -0.5, 0],
    });
    // All above zero: zero is still on the scale.
    expect(changeDomain(rows([3, 7.2]))).toEqual({ min: 0, max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(changeDomain(rows([-0.04, 0.13]))).toEqual({
      min: -0.05,
      max: 0.15,
      ticks: [-0.05, 0, 0.05, 0.1, 0.15],
    });
  });

  it('still has a scale when nothing is shown', () => {
    expect(changeDomain([])).toEqual({ min: -1, max: 1, ticks: [-1, -0.5, 0, 0.5, 1] });
  });

  it('names the better side by the measure’s direction', () => {
    expect(betterSide(false)).toBe('left');
    expect(betterSide(true)).toBe('right');
  });
});

describe('labels on lines', () => {
  it('breaks between words within the width, a long word whole', () => {
    expect(wrapLabel('At least one warm handover or referral', 16)).toEqual([
      'At least one',
      'warm handover or',
      'referral',
    ]);
    expect(wrapLabel('Supercalifragilistic x', 5)).toEqual(['Supercalifragilistic', 'x']);
    expect(wrapLabel('  ', 10)).toEqual([]);
  });
});
