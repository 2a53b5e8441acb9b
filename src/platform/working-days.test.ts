import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { londonDate, workingDaysBetween } from './working-days.ts';

const at = (s: string) => new Date(s);

describe('working days', () => {
  it('counts Monday to Friday after the start, up to and including the end', () => {
    // 2026-11-20 is a Friday.
    expect(workingDaysBetween(at('2026-11-20T10:00:00Z'), at('2026-11-20T16:00:00Z'))).toBe(0);
    expect(workingDaysBetween(at('2026-11-20T10:00:00Z'), at('2026-11-21T10:00:00Z'))).toBe(0);
    expect(workingDaysBetween(at('2026-11-20T10:00:00Z'), at('2026-11-23T10:00:00Z'))).toBe(1);
    expect(workingDaysBetween(at('2026-11-20T10:00:00Z'), at('2026-12-04T10:00:00Z'))).toBe(10);
    expect(workingDaysBetween(at('2026-12-04T10:00:00Z'), at('2026-11-20T10:00:00Z'))).toBe(0);
  });

  it('uses the date in England: 23:30 UTC in summer is already the next day', () => {
    expect(londonDate(at('2026-07-03T23:30:00Z'))).toBe('2026-07-04');
    expect(londonDate(at('2026-12-03T23:30:00Z'))).toBe('2026-12-03');
  });

  it('agrees with counting day by day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: at('2020-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 400 }),
        (from, span) => {
          const to = new Date(from.getTime() + span * 86_400_000);
          let slow = 0;
          const start = Date.parse(`${londonDate(from)}T12:00:00Z`);
          const end = londonDate(to);
          for (let d = new Date(start + 86_400_000); d.toISOString().slice(0, 10) <= end; ) {
            if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) slow++;
            d = new Date(d.getTime() + 86_400_000);
          }
          expect(workingDaysBetween(from, to)).toBe(slow);
        },
      ),
    );
  });
});
