import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import { krippendorffAlphaNominal } from './krippendorff-alpha.ts';

describe("Krippendorff's α for nominal data", () => {
  it("reproduces the nominal example in Krippendorff (2011), 'Computing Krippendorff's Alpha-Reliability'", () => {
    // Four observers, twelve units, values 1–5, null where an observer gave no value (section C of the paper).
    const data = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
      [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    ];
    // Working, unit by unit (m_u values; each ordered pair of values from different observers adds 1/(m_u − 1)):
    //  1: 1,1,1 (m 3)     → o11 += 3·2/2 = 3
    //  2: 2,2,3,2 (m 4)   → o22 += 3·2/3 = 2; o23 = o32 += 3·1/3 = 1
    //  3, 4: 3,3,3,3      → o33 += 4 each
    //  5, 9: 2,2,2,2      → o22 += 4 each
    //  6: 1,2,3,4 (m 4)   → every off-diagonal pair among 1–4 += 1/3
    //  7: 4,4,4,4         → o44 += 4
    //  8: 1,1,2,1 (m 4)   → o11 += 2; o12 = o21 += 1
    // 10: 5,5,5 (m 3)     → o55 += 3
    // 11: 1,1 (m 2)       → o11 += 2
    // 12: 3 alone (m 1)   → not pairable
    // Diagonal: o11 7, o22 10, o33 8, o44 4, o55 3 = 32. Totals n_c: 9, 13, 10, 5, 3; n = 40; Σ n_c² = 384.
    // α = 1 − (n − 1)(n − Σ o_cc) / (n² − Σ n_c²) = 1 − 39·8 / (1600 − 384) = 1 − 312/1216 = 0.7434…
    const third = 1 / 3;
    const result = krippendorffAlphaNominal(data);
    expect(result.values).toEqual([1, 2, 3, 4, 5]);
    const expected = [
      [7, 1 + third, third, third, 0],
      [1 + third, 10, 1 + third, third, 0],
      [third, 1 + third, 8, third, 0],
      [third, third, third, 4, 0],
      [0, 0, 0, 0, 3],
    ];
    result.coincidences.forEach((row, c) => {
      row.forEach((o, k) => {
        expect(o).toBeCloseTo(expected[c]![k]!, 12);
      });
    });
    expect(result.pairableValues).toBeCloseTo(40, 12);
    expect(result.alpha).toBeCloseTo(1 - 312 / 1216, 12);
    expect(result.alpha!.toFixed(3)).toBe('0.743');
  });

  it('reproduces the three-coder nominal example with missing values on Wikipedia (α = 0.691)', () => {
    // en.wikipedia.org "Krippendorff's alpha", A computational example; '*' there is null here.
    const n = null;
    const data = [
      [n, n, n, n, n, 3, 4, 1, 2, 1, 1, 3, 3, n, 3],
      [1, n, 2, 1, 3, 3, 4, 3, n, n, n, n, n, n, n],
      [n, n, 2, 1, 3, 4, 4, n, 2, 1, 1, 3, 3, n, 4],
    ];
    expect(krippendorffAlphaNominal(data).alpha!.toFixed(3)).toBe('0.691');
  });

  it('works on two coders and binary values, worked by hand', () => {
    // Units (A, B): (1,1), (0,0), (1,0), (0,0). m = 2 everywhere, so each pair adds 1.
    // o11 = 2; o00 = 2 + 2 = 4; o10 = o01 = 1. n1 = 3, n0 = 5, n = 8.
    // α = 1 − 7·(8 − 6) / (64 − 9 − 25) = 1 − 14/30 = 0.5333…
    const result = krippendorffAlphaNominal([
      [1, 0, 1, 0],
      [1, 0, 0, 0],
    ]);
    expect(result.alpha).toBeCloseTo(1 - 14 / 30, 12);
    expect(result.observedDisagreement).toBeCloseTo(2 / 8, 12);
    expect(result.expectedDisagreement).toBeCloseTo(30 / 56, 12);
  });

  it('accepts text values and treats different types as different values', () => {
    const result = krippendorffAlphaNominal<string | number>([
      ['yes', 'no', 'yes', 1],
      ['yes', 'no', 'yes', '1'],
    ]);
    expect(result.values).toEqual([1, '1', 'no', 'yes']);
    expect(result.alpha).toBeLessThan(1);
  });

  it('is undefined when every value is the same, or nothing can be paired', () => {
    const same = krippendorffAlphaNominal([
      [2, 2, 2],
      [2, 2, null],
    ]);
    expect(same.alpha).toBeNull();
    expect(same.alphaNotDefined).toMatch(/no variation/);
    const unpaired = krippendorffAlphaNominal([
      [1, null],
      [null, 2],
    ]);
    expect(unpaired.alpha).toBeNull();
    expect(unpaired.pairableValues).toBe(0);
  });

  it('refuses fewer than two coders, ragged rows and NaN', () => {
    expect(() => krippendorffAlphaNominal([[1, 2]])).toThrow(ValidationError);
    expect(() =>
      krippendorffAlphaNominal([
        [1, 2, 3],
        [1, 2],
      ]),
    ).toThrow(/Coder row 2 has 2 values but row 1 has 3/);
    expect(() =>
      krippendorffAlphaNominal([
        [1, Number.NaN],
        [1, 2],
      ]),
    ).toThrow(/unit 2 is NaN/);
  });
});
