import { describe, expect, it } from 'vitest';
import type { ReportTable } from '../../../../src/modules/reporting/contract.ts';
import { cellText, columnHeading, formatValue, forOneMonth } from './cells.ts';

const shown = (value: number | null) => ({ value, suppressed: false });
const hidden = { value: null, suppressed: true };

describe('the report’s figures as read', () => {
  it('writes each figure in its unit', () => {
    expect(formatValue(12345, 'count')).toBe('12,345');
    expect(formatValue(12000, 'population')).toBe('12,000');
    expect(formatValue(52.9, 'percent')).toBe('52.9%');
    expect(formatValue(50, 'percent')).toBe('50%');
    expect(formatValue(15.5, 'days')).toBe('15.5');
    expect(formatValue(4, 'per_1000')).toBe('4.0');
    expect(formatValue(8.25, 'number')).toBe('8.3');
    expect(formatValue(null, 'count')).toBeNull();
  });

  it('says a suppressed figure in words, and a missing one as no figure', () => {
    expect(cellText(hidden, 'count')).toEqual({ kind: 'suppressed', text: 'suppressed (n < 5)' });
    expect(cellText(shown(null), 'percent')).toEqual({ kind: 'none', text: 'no figure' });
    expect(cellText(shown(0), 'count')).toEqual({ kind: 'value', text: '0' });
  });

  it('heads each column with its unit, and a month column short', () => {
    expect(columnHeading({ key: '2025-11', label: 'November 2025', unit: 'count' })).toBe('Nov 2025');
    expect(columnHeading({ key: 'rate', label: 'Unable to contact %', unit: 'percent' })).toBe(
      'Unable to contact %',
    );
    expect(columnHeading({ key: 'x', label: 'Accepted', unit: 'percent' })).toBe('Accepted (%)');
    expect(columnHeading({ key: 'x', label: '95% interval, lower', unit: 'per_1000' })).toBe(
      '95% interval, lower (per 1,000)',
    );
    expect(columnHeading({ key: 'x', label: 'Median days', unit: 'days' })).toBe('Median days');
    expect(columnHeading({ key: 'x', label: 'Median wait', unit: 'days' })).toBe('Median wait (days)');
  });
});

describe('a table for one month', () => {
  const table = (over: Partial<ReportTable>): ReportTable => ({
    key: 'referrals_by_source',
    title: 't',
    rowHeading: 'Source',
    columns: [],
    rows: [],
    summary: [],
    notes: [],
    ...over,
  });

  it('drops the Total column that repeats the month’s figures', () => {
    const t = forOneMonth(
      table({
        columns: [
          { key: '2026-10', label: 'October 2026', unit: 'count' },
          { key: 'total', label: 'Total', unit: 'count' },
        ],
        rows: [
          { key: 'self', label: 'Self-referral', total: false, cells: [shown(7), shown(7)] },
          { key: 'total', label: 'Total', total: true, cells: [hidden, hidden] },
        ],
      }),
    );
    expect(t.columns.map((c) => c.key)).toEqual(['2026-10']);
    expect(t.rows.map((r) => r.cells)).toEqual([[shown(7)], [hidden]]);
  });

  it('drops the Whole period row that repeats the month’s row', () => {
    const t = forOneMonth(
      table({
        key: 'waiting_time',
        columns: [{ key: 'first_contacted', label: 'First contacted', unit: 'count' }],
        rows: [
          { key: '2026-10', label: 'October 2026', total: false, cells: [shown(15)] },
          { key: 'total', label: 'Whole period', total: true, cells: [shown(15)] },
        ],
      }),
    );
    expect(t.rows.map((r) => r.key)).toEqual(['2026-10']);
  });

  it('leaves a table of several months, or of no months, as it is', () => {
    const several = table({
      columns: [
        { key: '2026-09', label: 'September 2026', unit: 'count' },
        { key: '2026-10', label: 'October 2026', unit: 'count' },
        { key: 'total', label: 'Total', unit: 'count' },
      ],
    });
    expect(forOneMonth(several)).toBe(several);
    const caseloads = table({
      key: 'caseload_by_pcn',
      rows: [{ key: 'total', label: 'All PCNs', total: true, cells: [shown(3)] }],
    });
    expect(forOneMonth(caseloads)).toBe(caseloads);
  });
});
