import { describe, expect, it } from 'vitest';
import type { ReportTable } from '../../../../src/modules/reporting/contract.ts';
import {
  calendarDaysOf,
  connectionBars,
  monthTickEvery,
  niceTicks,
  reachBars,
  referralLines,
  waitLines,
} from './chart-data.ts';

const n = (value: number | null) => ({ value, suppressed: false });
const S = { value: null, suppressed: true };
const base = { summary: [], notes: [] };

const bySource: ReportTable = {
  ...base,
  key: 'referrals_by_source',
  title: 'Referrals received, by source and month',
  rowHeading: 'Source',
  columns: [
    { key: '2026-08', label: 'August 2026', unit: 'count' },
    { key: '2026-09', label: 'September 2026', unit: 'count' },
    { key: '2026-10', label: 'October 2026', unit: 'count' },
    { key: 'total', label: 'Total', unit: 'count' },
  ],
  rows: [
    { key: 'professional', label: 'A professional', total: false, cells: [n(9), S, S, n(34)] },
    { key: 'self', label: 'Self-referral', total: false, cells: [n(0), S, S, n(5)] },
    { key: 'api', label: 'Another system', total: false, cells: [n(0), n(0), n(0), n(0)] },
    { key: 'total', label: 'Total', total: true, cells: [n(9), n(15), n(15), n(39)] },
  ],
};

describe('the report’s charts', () => {
  it('draws a line of referrals for all sources and each source with any, with gaps where suppressed', () => {
    const lines = referralLines(bySource);
    expect(lines.months.map((m) => m.key)).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(lines.series).toEqual([
      { key: 'total', label: 'All referrals', values: [9, 15, 15] },
      { key: 'professional', label: 'A professional', values: [9, null, null] },
      { key: 'self', label: 'Self-referral', values: [0, null, null] },
    ]);
    expect(lines.gaps).toBe(true);
  });

  it('draws median and 90th percentile days by month, and each target in calendar days', () => {
    const waits: ReportTable = {
      ...base,
      key: 'waiting_time',
      title: 'From referral to first contact',
      rowHeading: 'Month referred',
      columns: [
        { key: 'first_contacted', label: 'First contacted', unit: 'count' },
        { key: 'median_days', label: 'Median days', unit: 'days' },
        { key: 'p90_days', label: '90th percentile, days', unit: 'days' },
      ],
      rows: [
        { key: '2026-09', label: 'September 2026', total: false, cells: [n(15), n(7), n(11)] },
        { key: '2026-10', label: 'October 2026', total: false, cells: [S, S, S] },
        { key: 'total', label: 'Whole period', total: true, cells: [n(36), n(7), n(10)] },
      ],
    };
    const targets = [
      { pcnId: 'a', pcnName: 'A', workingDays: 10 },
      { pcnId: 'b', pcnName: 'B', workingDays: 5 },
      { pcnId: 'c', pcnName: 'C', workingDays: 10 },
    ];
    const lines = waitLines(waits, { firstContactTargets: targets });
    expect(lines.months.map((m) => m.key)).toEqual(['2026-09', '2026-10']);
    expect(lines.series.map((s) => s.values)).toEqual([
      [7, null],
      [11, null],
    ]);
    expect(lines.references).toEqual([
      { label: 'Target: 5 working days (about 7 days)', value: 7 },
      { label: 'Target: 10 working days (about 14 days)', value: 14 },
    ]);
    expect(lines.gaps).toBe(true);
    // 8 working days are a week and three days, 11.2 calendar days.
    expect(calendarDaysOf(8)).toBe(11);
  });

  it('draws accepted and attended rates, saying why a rate is not drawn', () => {
    const connections: ReportTable = {
      ...base,
      key: 'connections_by_category',
      title: 'Connections',
      rowHeading: 'Service category',
      columns: [
        { key: 'connections', label: 'Connections', unit: 'count' },
        { key: 'accepted_percent', label: 'Accepted %', unit: 'percent' },
        { key: 'attended_percent', label: 'Attended %', unit: 'percent' },
      ],
      rows: [
        { key: 'housing', label: 'Housing', total: false, cells: [S, S, n(null)] },
        { key: 'total', label: 'All connections', total: true, cells: [n(42), n(80), n(62.5)] },
      ],
    };
    const bars = connectionBars(connections);
    expect(bars.max).toBe(100);
    expect(bars.rows[0]!.bars.map((b) => [b.value, b.hidden])).toEqual([
      [null, 'suppressed (n < 5)'],
      [null, 'no figure'],
    ]);
    expect(bars.rows[1]).toMatchObject({ total: true, label: 'All connections' });
    expect(bars.rows[1]!.bars.map((b) => b.value)).toEqual([80, 62.5]);
  });

  it('draws people referred per 1,000 for groups with a population, with intervals and everyone as a line', () => {
    const reach: ReportTable = {
      ...base,
      key: 'reach_sex',
      title: 'People referred per 1,000 registered patients, by sex',
      rowHeading: 'Sex',
      columns: [
        { key: 'people', label: 'People referred', unit: 'count' },
        { key: 'registered', label: 'Registered patients', unit: 'population' },
        { key: 'per_1000', label: 'Referred per 1,000 registered', unit: 'per_1000' },
        { key: 'per_1000_lower', label: '95% interval, lower', unit: 'per_1000' },
        { key: 'per_1000_upper', label: '95% interval, upper', unit: 'per_1000' },
      ],
      rows: [
        { key: 'female', label: 'Female', total: false, cells: [n(15), n(6100), n(2.5), n(1.5), n(4.1)] },
        { key: 'male', label: 'Male', total: false, cells: [S, n(5900), S, S, S] },
        { key: 'intersex', label: 'Intersex', total: false, cells: [n(0), n(0), n(null), n(null), n(null)] },
        { key: 'not_known', label: 'Not known', total: false, cells: [S, n(null), S, S, S] },
        { key: 'total', label: 'All', total: true, cells: [n(23), n(12000), n(1.9), n(1.2), n(2.9)] },
      ],
    };
    const bars = reachBars(reach);
    expect(bars.rows.map((r) => r.key)).toEqual(['female', 'male']);
    expect(bars.rows[0]!.bars[0]).toEqual({
      measure: 'per_1000',
      value: 2.5,
      lower: 1.5,
      upper: 4.1,
      hidden: null,
    });
    expect(bars.rows[1]!.bars[0]!.hidden).toBe('suppressed (n < 5)');
    expect(bars.reference).toEqual({ label: 'All: 1.9 per 1,000', value: 1.9 });
    expect(bars.max).toBe(4.1);
  });

  it('ends a scale on a round tick past the largest figure', () => {
    expect(niceTicks(14)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(4.1)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('labels every month when there is room, and fewer on a phone', () => {
    expect(monthTickEvery(12, 900)).toBe(1);
    // 24 months over 300 pixels: 13 pixels a month, so every fourth (52 pixels apart).
    expect(monthTickEvery(24, 300)).toBe(4);
    expect(monthTickEvery(1, 300)).toBe(1);
  });
});
