import { describe, expect, it } from 'vitest';
import { periodOptions, questionWithoutModel, valuesFromAddress } from './explorer-values.ts';

const today = new Date('2026-11-27T10:00:00Z');
const periods = periodOptions(today);
const read = (address: string, instrument: string | undefined = 'ucla3') =>
  valuesFromAddress(new URLSearchParams(address), { instrument, periods });
const readWithoutInstruments = (address: string) =>
  valuesFromAddress(new URLSearchParams(address), { instrument: undefined, periods });

describe('the periods of baselines offered', () => {
  it('starts with the year that ended a year ago, then the last 12 months, 2 years and financial years', () => {
    expect(periods.slice(0, 3).map((p) => p.value)).toEqual([
      '2024-11-28|2025-11-27',
      '2025-11-28|2026-11-27',
      '2024-11-28|2026-11-27',
    ]);
    expect(periods[0]!.label).toBe(
      'The year to 27 November 2025 (long enough ago for the 9–12 month follow-ups)',
    );
    // November 2026 is in the financial year that began in April 2026.
    expect(periods.slice(3).map((p) => p.value)).toEqual([
      '2026-04-01|2027-03-31',
      '2025-04-01|2026-03-31',
      '2024-04-01|2025-03-31',
      '2023-04-01|2024-03-31',
    ]);
  });

  it('counts a financial year from April: in March it is still the one that began the April before', () => {
    expect(periodOptions(new Date('2027-03-31T12:00:00Z'))[3]!.value).toBe('2026-04-01|2027-03-31');
    expect(periodOptions(new Date('2027-04-01T12:00:00Z'))[3]!.value).toBe('2027-04-01|2028-03-31');
  });

  it('keeps 29 February from running into March', () => {
    expect(periodOptions(new Date('2028-02-29T12:00:00Z'))[1]!.value).toBe('2027-03-01|2028-02-29');
  });
});

describe('the question in the address', () => {
  it('asks nothing until a factor is chosen, but fills the form with the defaults', () => {
    const v = read('');
    expect(v.query).toBeNull();
    expect(v.form).toEqual({
      instrument: 'ucla3',
      comparison: 'follow_up_long',
      from: '2024-11-28',
      to: '2025-11-27',
      period: '2024-11-28|2025-11-27',
    });
    expect(v.ownDates).toBe(false);
  });

  it('sends a chosen period as from and to, with the factors and the model’s choices', () => {
    const v = read(
      'instrument=ons4&measure=score%3Aons4_life&period=2025-04-01%7C2026-03-31&factor=host_model&by=imd_quintile&reference=vcse_hosted&interaction=true&organisationId=x',
    );
    expect(v.query).toEqual({
      instrument: 'ons4',
      measure: 'score:ons4_life',
      comparison: 'follow_up_long',
      from: '2025-04-01',
      to: '2026-03-31',
      organisationId: 'x',
      factor: 'host_model',
      by: 'imd_quintile',
      reference: 'vcse_hosted',
      interaction: 'true',
    });
  });

  it('uses one’s own dates when no period is chosen, and a chosen period over them', () => {
    const own = read('factor=sex&from=2025-01-01&to=2025-06-30&comparison=discharge');
    expect(own.ownDates).toBe(true);
    expect(own.query).toMatchObject({ from: '2025-01-01', to: '2025-06-30', comparison: 'discharge' });
    expect(own.form.period).toBe('');
    const both = read('factor=sex&from=2025-01-01&period=2024-04-01%7C2025-03-31');
    expect(both.ownDates).toBe(false);
    expect(both.query).toMatchObject({ from: '2024-04-01', to: '2025-03-31' });
  });

  it('leaves out an interaction that is not asked for, empty values and names it does not know', () => {
    const v = read('factor=sex&interaction=false&by=&shoe=9');
    expect(v.query).not.toHaveProperty('interaction');
    expect(v.query).not.toHaveProperty('by');
    expect(v.query).not.toHaveProperty('shoe');
  });

  it('asks nothing when there is no instrument to ask about', () => {
    expect(readWithoutInstruments('factor=sex').query).toBeNull();
  });

  it('carries the question, but not the model’s own choices, through the model’s form', () => {
    const params = new URLSearchParams(
      'factor=a&by=b&reference=x&byReference=y&interaction=true&period=p&measure=',
    );
    expect(questionWithoutModel(params)).toEqual([
      ['factor', 'a'],
      ['by', 'b'],
      ['period', 'p'],
    ]);
  });
});
