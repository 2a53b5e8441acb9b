import { describe, expect, it } from 'vitest';
import {
  addressFromForm,
  monthEnd,
  monthQuery,
  periodChoice,
  periodOptions,
  queryFromAddress,
  recentMonths,
  summaryAddress,
} from './report-values.ts';

describe('the operational report’s address', () => {
  it('offers the last 12 and 24 complete months, this financial year so far and the two before', () => {
    expect(periodOptions({ from: '2025-11-01', to: '2026-10-31' })).toEqual([
      {
        value: '2025-11-01|2026-10-31',
        label: 'The last 12 complete months (November 2025 to October 2026)',
      },
      {
        value: '2024-11-01|2026-10-31',
        label: 'The last 24 complete months (November 2024 to October 2026)',
      },
      {
        value: '2026-04-01|2026-10-31',
        label: 'Financial year 2026 to 2027 so far (April 2026 to October 2026)',
      },
      { value: '2025-04-01|2026-03-31', label: 'Financial year 2025 to 2026' },
      { value: '2024-04-01|2025-03-31', label: 'Financial year 2024 to 2025' },
    ]);
  });

  it('offers a whole financial year once its March is complete, and none “so far”', () => {
    const options = periodOptions({ from: '2025-04-01', to: '2026-03-31' });
    expect(options.map((o) => o.value)).toEqual([
      '2025-04-01|2026-03-31',
      '2024-04-01|2026-03-31',
      '2025-04-01|2026-03-31',
      '2024-04-01|2025-03-31',
      '2023-04-01|2024-03-31',
    ]);
    expect(options[2]!.label).toBe('Financial year 2025 to 2026');
  });

  it('reads the question from the address, leaving out what is empty or not the API’s', () => {
    const params = new URLSearchParams('organisationId=abc&from=2025-01-01&to=&period=x');
    expect(queryFromAddress(params)).toEqual({ organisationId: 'abc', from: '2025-01-01' });
  });

  it('shows a listed period as chosen, and other dates as one’s own', () => {
    const options = periodOptions({ from: '2025-11-01', to: '2026-10-31' });
    expect(periodChoice({}, options)).toEqual({ period: '2025-11-01|2026-10-31', ownDates: false });
    expect(periodChoice({ from: '2025-04-01', to: '2026-03-31' }, options)).toEqual({
      period: '2025-04-01|2026-03-31',
      ownDates: false,
    });
    expect(periodChoice({ from: '2025-04-15', to: '2026-03-31' }, options)).toEqual({
      period: '',
      ownDates: true,
    });
    expect(periodChoice({ to: '2026-03-31' }, options)).toEqual({ period: '', ownDates: true });
  });

  it('goes to the period chosen from the list, or to one’s own dates when none is chosen', () => {
    expect(
      addressFromForm({ organisationId: 'pcn', period: '2025-04-01|2026-03-31', from: '2020-01-01', to: '' }),
    ).toBe('/reports/operational?organisationId=pcn&from=2025-04-01&to=2026-03-31');
    expect(
      addressFromForm({ organisationId: 'pcn', period: '', from: ' 2025-04-15 ', to: '2025-06-30' }),
    ).toBe('/reports/operational?organisationId=pcn&from=2025-04-15&to=2025-06-30');
    expect(addressFromForm({ organisationId: '', period: '', from: '', to: '' })).toBe(
      '/reports/operational',
    );
  });

  it('covers a whole month for the monthly summary, leap years included', () => {
    expect(monthEnd('2028-02-10')).toBe('2028-02-29');
    expect(monthEnd('2027-02-01')).toBe('2027-02-28');
    expect(monthQuery('icb', '2026-12')).toEqual({
      organisationId: 'icb',
      from: '2026-12-01',
      to: '2026-12-31',
    });
    expect(monthQuery(undefined, '2026-04')).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(summaryAddress('icb', '2026-10')).toBe(
      '/reports/operational/summary?organisationId=icb&month=2026-10',
    );
  });

  it('offers the recent months newest first, across the turn of a year', () => {
    expect(recentMonths('2026-02-28', 4)).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
  });
});
