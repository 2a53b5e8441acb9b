import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from './nhs-number.ts';

describe('NHS number check digit', () => {
  it('accepts numbers whose modulus 11 check digit is right, with or without spaces', () => {
    // 943 476 5919 is the NHS Digital example; 401 023 2137 and 999 000 0018 are test-range numbers.
    for (const n of ['9434765919', '943 476 5919', '4010232137', '943-476-5919'])
      expect(isValidNhsNumber(n), n).toBe(true);
  });

  it('refuses a wrong check digit, the wrong length, letters, and numbers whose check would be 10', () => {
    for (const n of ['9434765918', '943476591', '94347659190', '94347659A9', ''])
      expect(isValidNhsNumber(n), n).toBe(false);
  });

  it('has exactly one valid check digit, or none, for any nine digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (nine) => {
        const valid = [...'0123456789'].filter((d) => isValidNhsNumber(nine + d));
        expect(valid.length).toBeLessThanOrEqual(1);
        const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
        expect(valid.length).toBe(11 - (sum % 11) === 10 ? 0 : 1);
      }),
      { numRuns: 300 },
    );
  });
});
