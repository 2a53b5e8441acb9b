import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  changeCell,
  classifyChange,
  completionCell,
  countCell,
  meaningfulChangeFor,
  pairedChange,
  pairedSums,
  regularisedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
} from './stats.ts';

const anyChange = { higherIsBetter: true, threshold: null };

describe("Student's t", () => {
  it('matches published two-sided 95% table values', () => {
    // Standard t tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), 4 decimal places.
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764, 4);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2622, 4);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.0452, 4);
    expect(studentTQuantile(0.975, 120)).toBeCloseTo(1.9799, 4);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 4);
  });

  it('agrees with SciPy 1.17 (scipy.stats.t.ppf) to 1e-9 across tails and degrees of freedom', () => {
    const reference: [number, number, number][] = [
      [0.975, 1, 12.706204736174694],
      [0.975, 2, 4.302652729749462],
      [0.975, 3, 3.1824463052837078],
      [0.975, 4, 2.7764451051977934],
      [0.975, 5, 2.5705818356363146],
      [0.975, 30, 2.0422724563012378],
      [0.975, 1000, 1.9623390808264083],
      [0.975, 100000, 1.9599877075346095],
      [0.995, 1, 63.656741162871526],
      [0.995, 9, 3.249835541592126],
      [0.995, 120, 2.6174211451068654],
      [0.9, 2, 1.8856180831641272],
      [0.9, 29, 1.311433647301551],
      [0.9999, 1, 3183.098757118502],
      [0.6, 2, 0.2886751345948128],
    ];
    for (const [p, df, t] of reference) {
      expect(Math.abs(studentTQuantile(p, df) - t) / t, `p=${p} df=${df}`).toBeLessThan(1e-9);
      expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 8);
    }
    expect(studentTCdf(1.5, 7)).toBeCloseTo(0.911350756505015, 12);
    expect(studentTCdf(-2.2, 3)).toBeCloseTo(0.05758597598823534, 12);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });

  it('has the closed forms of the incomplete beta and of t with 1 and 2 degrees of freedom', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a.
    expect(regularisedIncompleteBeta(1, 1, 0.3)).toBeCloseTo(0.3, 14);
    expect(regularisedIncompleteBeta(3, 1, 0.5)).toBeCloseTo(0.125, 14);
    // Cauchy: t = tan(π(p − ½)); df 2: t = (2p − 1) / √(2p(1 − p)).
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), (p) => {
        expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
        expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 8);
      }),
    );
  });

  it('inverts its own distribution function and rises with p', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        (p, df) => {
          const t = studentTQuantile(p, df);
          expect(studentTCdf(t, df)).toBeCloseTo(p, 10);
          expect(studentTQuantile(Math.min(p + 0.0005, 0.9995), df)).toBeGreaterThan(t);
        },
      ),
      // Near the centre with many degrees of freedom the tail lost digits to 1 − df/(df + t²) (7e-11 here).
      { examples: [[0.4997442226073871, 1475]] },
    );
  });

  it('refuses impossible arguments', () => {
    expect(() => studentTQuantile(1, 4)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('paired change', () => {
  /*
   * Worked by hand. Five people's life satisfaction (higher is better), baseline → discharge:
   *   before 3 5 4 6 2 (mean 4; deviations −1 1 0 2 −2, squares sum 10, SD √(10/4) = 1.581139)
   *   after  6 6 5 8 5 (mean 6; deviations 0 0 −1 2 −1, squares sum 6, SD √(6/4) = 1.224745)
   *   change 3 1 1 2 3 (mean 2; deviations 1 −1 −1 0 1, squares sum 4, SD √(4/4) = 1)
   * SE = 1/√5 = 0.4472136; t(0.975, 4) = 2.7764451; half-width = 1.2416640; 95% CI 0.758336 to 3.241664
   * (the same as scipy.stats.ttest_rel(after, before).confidence_interval()).
   * Effect size (Kazis) = 2 / 1.581139 = 1.264911; SRM = 2 / 1 = 2; d_av = 2 / ((1.581139 + 1.224745)/2) = 1.425576.
   * Any change counts: 5 improved. With a threshold of 2: changes 3, 2, 3 improved; 1, 1 the same.
   */
  const before = [3, 5, 4, 6, 2];
  const after = [6, 6, 5, 8, 5];
  const pairs = before.map((b, i) => [b, after[i]!] as const);

  it('gives the hand-worked mean change, CI and effect sizes', () => {
    const r = pairedChange(pairedSums(pairs, anyChange));
    expect(r.n).toBe(5);
    expect(r.meanBefore).toBe(4);
    expect(r.meanAfter).toBe(6);
    expect(r.meanChange).toBe(2);
    expect(r.sdChange).toBeCloseTo(1, 12);
    expect(r.sdBefore).toBeCloseTo(1.581139, 6);
    expect(r.ci95!.lower).toBeCloseTo(0.758336, 6);
    expect(r.ci95!.upper).toBeCloseTo(3.241664, 6);
    expect(r.effectSize.kazis).toBeCloseTo(1.264911, 6);
    expect(r.effectSize.srm).toBeCloseTo(2, 12);
    expect(r.effectSize.dAv).toBeCloseTo(1.425576, 6);
    expect([r.improvedPercent, r.samePercent, r.worsePercent]).toEqual([100, 0, 0]);
  });

  it('counts improvement against a threshold and in the score’s direction', () => {
    const withThreshold = pairedChange(pairedSums(pairs, { higherIsBetter: true, threshold: 2 }));
    expect([withThreshold.improvedPercent, withThreshold.samePercent, withThreshold.worsePercent]).toEqual([
      60, 40, 0,
    ]);
    // The same numbers on a higher-is-worse score (anxiety): everyone got worse.
    const anxiety = pairedChange(pairedSums(pairs, { higherIsBetter: false, threshold: null }));
    expect([anxiety.improvedPercent, anxiety.samePercent, anxiety.worsePercent]).toEqual([0, 0, 100]);
    expect(classifyChange(7, 4, { higherIsBetter: false, threshold: null })).toBe('improved');
    expect(classifyChange(20.5, 22.0, { higherIsBetter: true, threshold: 2.87 })).toBe('same');
    expect(classifyChange(20.5, 17.5, { higherIsBetter: true, threshold: 2.87 })).toBe('worse');
  });

  it('has nothing to say about no pairs, and no spread or interval from one', () => {
    const none = pairedChange(pairedSums([], anyChange));
    expect(none).toMatchObject({ n: 0, meanChange: null, sdChange: null, ci95: null, improvedPercent: null });
    const one = pairedChange(pairedSums([[4, 7]], anyChange));
    expect(one).toMatchObject({ n: 1, meanChange: 3, sdChange: null, ci95: null });
    expect(one.effectSize).toEqual({ kazis: null, srm: null, dAv: null });
  });

  it('gives SD 0 and a zero-width interval when every change is the same, with no SRM', () => {
    const same = pairedChange(
      pairedSums(
        [
          [1.1, 1.4],
          [2.2, 2.5],
          [3.3, 3.6],
          [4.4, 4.7],
          [5.5, 5.8],
        ],
        anyChange,
      ),
    );
    expect(same.sdChange).toBe(0);
    expect(same.meanChange).toBeCloseTo(0.3, 12);
    expect(same.ci95!.upper - same.ci95!.lower).toBe(0);
    expect(same.effectSize.srm).toBeNull();
    expect(same.effectSize.kazis).toBeCloseTo(0.3 / 1.739252, 5);
  });

  const score = fc.integer({ min: 0, max: 10 });
  const somePairs = fc.array(fc.tuple(score, score), { minLength: 2, maxLength: 60 });

  it('always has the mean change inside its confidence interval', () => {
    fc.assert(
      fc.property(somePairs, (ps) => {
        const r = pairedChange(pairedSums(ps, anyChange));
        expect(r.ci95!.lower).toBeLessThanOrEqual(r.meanChange!);
        expect(r.ci95!.upper).toBeGreaterThanOrEqual(r.meanChange!);
        expect(r.improvedPercent! + r.samePercent! + r.worsePercent!).toBeCloseTo(100, 9);
      }),
    );
  });

  it('leaves change, its spread and interval unchanged when every score is shifted by the same amount', () => {
    fc.assert(
      fc.property(somePairs, fc.integer({ min: -50, max: 50 }), (ps, shift) => {
        const r = pairedChange(pairedSums(ps, anyChange));
        const shifted = pairedChange(
          pairedSums(
            ps.map(([b, a]) => [b + shift, a + shift] as const),
            anyChange,
          ),
        );
        expect(shifted.meanChange!).toBeCloseTo(r.meanChange!, 9);
        expect(shifted.sdChange!).toBeCloseTo(r.sdChange!, 9);
        expect(shifted.ci95!.lower).toBeCloseTo(r.ci95!.lower, 9);
        expect(shifted.meanBefore!).toBeCloseTo(r.meanBefore! + shift, 9);
        expect(shifted.improvedPercent).toBe(r.improvedPercent);
      }),
    );
  });

  it('mirrors when baseline and later scores swap', () => {
    fc.assert(
      fc.property(somePairs, (ps) => {
        const r = pairedChange(pairedSums(ps, anyChange));
        const swapped = pairedChange(
          pairedSums(
            ps.map(([b, a]) => [a, b] as const),
            anyChange,
          ),
        );
        expect(swapped.meanChange!).toBeCloseTo(-r.meanChange!, 9);
        expect(swapped.ci95!.upper).toBeCloseTo(-r.ci95!.lower, 9);
        expect(swapped.improvedPercent).toBe(r.worsePercent);
      }),
    );
  });

  it('agrees with a two-pass calculation of the SD of change', () => {
    fc.assert(
      fc.property(somePairs, (ps) => {
        const changes = ps.map(([b, a]) => a - b);
        const mean = changes.reduce((x, y) => x + y, 0) / changes.length;
        const sd = Math.sqrt(changes.reduce((x, c) => x + (c - mean) ** 2, 0) / (changes.length - 1));
        expect(pairedChange(pairedSums(ps, anyChange)).sdChange!).toBeCloseTo(sd, 9);
      }),
    );
  });
});

describe('suppression', () => {
  const sums = (n: number) =>
    pairedSums(
      Array.from({ length: n }, (_, i) => [i % 3, (i % 3) + 1] as const),
      anyChange,
    );

  it('shows a cell of 5 pairs and hides one of 4, saying why', () => {
    expect(changeCell(sums(5))).toMatchObject({ suppressed: false, n: 5, meanChange: 1 });
    const four = changeCell(sums(4));
    expect(four).toMatchObject({ suppressed: true, n: null, meanChange: null, ci95: null });
    expect(four.reason).toMatch(/Fewer than 5/);
    expect(changeCell(sums(0))).toMatchObject({ suppressed: true, n: 0, reason: expect.any(String) });
  });

  it('hides counts of 1 to 4 but shows none and 5 or more', () => {
    expect([0, 1, 4, 5, 12].map((n) => countCell(n).value)).toEqual([0, null, null, 5, 12]);
    expect(countCell(3).suppressed).toBe(true);
  });

  it('hides a completion rate whose counts are small or could be worked out', () => {
    expect(completionCell(20, 15)).toMatchObject({ suppressed: false, reached: 20, ratePercent: 75 });
    expect(completionCell(10, 10)).toMatchObject({ suppressed: false, ratePercent: 100 });
    expect(completionCell(10, 0)).toMatchObject({ suppressed: false, ratePercent: 0 });
    expect(completionCell(4, 4)).toMatchObject({ suppressed: true, ratePercent: null });
    expect(completionCell(10, 3)).toMatchObject({ suppressed: true, completed: null });
    // 8 of 10 would tell that 2 did not complete.
    expect(completionCell(10, 8)).toMatchObject({ suppressed: true, reached: null });
  });
});

describe('meaningful change thresholds', () => {
  it('uses the published SWEMWBS figure and nothing for scores without one', () => {
    expect(meaningfulChangeFor('swemwbs', 'swemwbs_metric')).toMatchObject({ value: 2.87 });
    expect(meaningfulChangeFor('swemwbs', 'swemwbs_raw')).toBeNull();
    expect(meaningfulChangeFor('ons4', 'anxiety')).toBeNull();
    expect(meaningfulChangeFor('ucla3', 'ucla3_total')).toBeNull();
  });
});
