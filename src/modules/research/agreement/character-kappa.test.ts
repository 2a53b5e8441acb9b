import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { characterKappa } from './character-kappa.ts';
import type { Coding } from './input.ts';

const coding = (coderId: string, start: number, end: number, codeId = 'buy-in', sourceId = 's1'): Coding => ({
  coderId,
  codeId,
  sourceId,
  start,
  end,
});
const oneSource = [{ id: 's1', length: 100 }];
const compare = (codings: Coding[], options: { excludeUncoded?: boolean; codeIds?: string[] } = {}) =>
  characterKappa({ sources: oneSource, codings, coderA: 'a', coderB: 'b', ...options });
const cellOf = (result: ReturnType<typeof characterKappa>, codeId = 'buy-in', sourceId = 's1') =>
  result.codes.find((c) => c.codeId === codeId)!.sources.find((s) => s.sourceId === sourceId)!;

describe('character-level κ for one code in one source', () => {
  it('matches the NVivo formulas worked by hand for simple overlapping codings', () => {
    // N = 100; A codes [0,30), B codes [10,40).
    // both = [10,30) = 20; A only = [0,10) = 10; B only = [30,40) = 10; neither = 100 − 40 = 60.
    // Po = (20 + 60) / 100 = 0.8; Pe = (30·30 + 70·70) / 100² = (900 + 4900) / 10000 = 0.58;
    // κ = (0.8 − 0.58) / (1 − 0.58) = 0.22 / 0.42 = 0.523809…
    const cell = cellOf(compare([coding('a', 0, 30), coding('b', 10, 40)]));
    expect(cell).toMatchObject({
      n: 100,
      codedByA: 30,
      codedByB: 30,
      codedByBoth: 20,
      codedByAOnly: 10,
      codedByBOnly: 10,
      codedByNeither: 60,
      kappaNotDefined: null,
    });
    expect(cell.observedAgreement).toBeCloseTo(0.8, 12);
    expect(cell.expectedAgreement).toBeCloseTo(0.58, 12);
    expect(cell.kappa).toBeCloseTo(0.22 / 0.42, 12);
    // NVivo's columns: agreement = A and B (20%) + not A and not B (60%); disagreement = 10% + 10%.
    expect(cell.percentages).toEqual({
      agreement: 80,
      aAndB: 20,
      notANotB: 60,
      disagreement: 20,
      aNotB: 10,
      bNotA: 10,
    });
  });

  it('gives κ = 1 for identical codings', () => {
    // A = B = both = 25, neither 75: Po = 1, Pe = (625 + 5625) / 10000 = 0.625, κ = 0.375 / 0.375 = 1.
    const cell = cellOf(compare([coding('a', 40, 65), coding('b', 40, 65)]));
    expect(cell.observedAgreement).toBe(1);
    expect(cell.expectedAgreement).toBeCloseTo(0.625, 12);
    expect(cell.kappa).toBeCloseTo(1, 12);
  });

  it('gives a negative κ when the codings do not overlap at all', () => {
    // A [0,20), B [50,70): both 0, A only 20, B only 20, neither 60. Po = 0.6;
    // Pe = (20·20 + 80·80) / 10000 = 6800 / 10000 = 0.68; κ = (0.6 − 0.68) / 0.32 = −0.25.
    const cell = cellOf(compare([coding('a', 0, 20), coding('b', 50, 70)]));
    expect(cell.codedByBoth).toBe(0);
    expect(cell.observedAgreement).toBeCloseTo(0.6, 12);
    expect(cell.expectedAgreement).toBeCloseTo(0.68, 12);
    expect(cell.kappa).toBeCloseTo(-0.25, 12);
  });

  it('gives κ = 0 when one coder never applies the code and the other does', () => {
    // A [0,25), B nothing: neither 75. Po = 0.75; Pe = (25·0 + 75·100) / 10000 = 0.75; κ = 0 / 0.25 = 0.
    const cell = cellOf(compare([coding('a', 0, 25)]));
    expect(cell.observedAgreement).toBeCloseTo(0.75, 12);
    expect(cell.expectedAgreement).toBeCloseTo(0.75, 12);
    expect(cell.kappa).toBe(0);
  });

  it('leaves κ undefined, with the reason, when neither coder applies the code (Pe = 1)', () => {
    // A = B = 0: Po = 1, Pe = (0 + 100·100) / 10000 = 1, κ = 0 / 0.
    const cell = cellOf(compare([coding('a', 0, 25, 'other')], { codeIds: ['buy-in', 'other'] }));
    expect(cell.observedAgreement).toBe(1);
    expect(cell.expectedAgreement).toBe(1);
    expect(cell.kappa).toBeNull();
    expect(cell.kappaNotDefined).toMatch(/Neither coder applied this code/);
    expect(cell.percentages?.agreement).toBe(100);
  });

  it('leaves κ undefined when both coders code every character', () => {
    const cell = cellOf(compare([coding('a', 0, 100), coding('b', 0, 60), coding('b', 60, 100)]));
    expect(cell.kappa).toBeNull();
    expect(cell.kappaNotDefined).toMatch(/Both coders applied this code to everything/);
  });

  it("counts a coder's overlapping and touching codings of a code once", () => {
    // A codes [0,30), [20,40) and [40,50): their union is [0,50), so A = 50 (not 30 + 20 + 10 = 60).
    // B codes [10,40): B = 30, both = 30, neither = 100 − 50 = 50.
    // Po = (30 + 50) / 100 = 0.8; Pe = (50·30 + 50·70) / 10000 = 0.5; κ = 0.3 / 0.5 = 0.6.
    const cell = cellOf(
      compare([coding('a', 0, 30), coding('a', 20, 40), coding('a', 40, 50), coding('b', 10, 40)]),
    );
    expect(cell).toMatchObject({ codedByA: 50, codedByB: 30, codedByBoth: 30, codedByNeither: 50 });
    expect(cell.kappa).toBeCloseTo(0.6, 12);
  });

  it('ignores codings by coders not being compared', () => {
    const cell = cellOf(compare([coding('a', 0, 30), coding('b', 10, 40), coding('c', 0, 100)]));
    expect(cell.kappa).toBeCloseTo(0.22 / 0.42, 12);
  });
});

describe('excludeUncoded', () => {
  const codings = [
    coding('a', 0, 30, 'buy-in'),
    coding('b', 10, 40, 'buy-in'),
    coding('a', 60, 70, 'connections'),
    coding('c', 80, 100, 'connections'), // a third coder: does not widen what A and B coded
  ];

  it('counts only characters A or B coded with any code in the source', () => {
    // Everything A or B coded in s1, any code: [0,40) ∪ [60,70) = 50 characters, so N = 50 for every code.
    // buy-in: A 30, B 30, both 20, neither = 50 − 30 − 30 + 20 = 10 (the part of [60,70) — coded only with
    // "connections"). Po = (20 + 10) / 50 = 0.6; Pe = (30·30 + 20·20) / 2500 = 1300 / 2500 = 0.52;
    // κ = 0.08 / 0.48 = 0.1666… (0.5238… when all 100 characters count: the 60 untouched ones inflated it).
    const result = compare(codings, { excludeUncoded: true });
    const buyIn = cellOf(result, 'buy-in');
    expect(buyIn).toMatchObject({ n: 50, codedByA: 30, codedByB: 30, codedByBoth: 20, codedByNeither: 10 });
    expect(buyIn.observedAgreement).toBeCloseTo(0.6, 12);
    expect(buyIn.expectedAgreement).toBeCloseTo(0.52, 12);
    expect(buyIn.kappa).toBeCloseTo(0.08 / 0.48, 12);
    // connections: N 50, A 10, B 0, neither 40: Po = 0.8, Pe = (0 + 40·50) / 2500 = 0.8, κ = 0.
    const connections = cellOf(result, 'connections');
    expect(connections).toMatchObject({ n: 50, codedByA: 10, codedByB: 0, codedByNeither: 40 });
    expect(connections.kappa).toBeCloseTo(0, 12);
    expect(result.excludeUncoded).toBe(true);
  });

  it('does not depend on which codes are asked for', () => {
    const result = compare(codings, { excludeUncoded: true, codeIds: ['buy-in'] });
    expect(cellOf(result, 'buy-in').n).toBe(50);
  });

  it('gives N = 0 and no statistics for a source neither coder touched', () => {
    const result = characterKappa({
      sources: [...oneSource, { id: 's2', length: 500 }],
      codings,
      coderA: 'a',
      coderB: 'b',
      excludeUncoded: true,
    });
    const cell = cellOf(result, 'buy-in', 's2');
    expect(cell).toMatchObject({ n: 0, observedAgreement: null, kappa: null, percentages: null });
    // The empty cell is left out of the averages: only s1's cells are averaged.
    expect(result.codes[0]!.sourceWeighted.cells).toBe(1);
  });
});

describe('summaries across sources and codes', () => {
  // s1 (100): buy-in A [0,30), B [10,40) → κ 0.22/0.42, agreement 80%; connections coded by nobody.
  // s2 (300): buy-in A = B = [0,150) → κ 1, agreement 100%; connections A = B = [200,250) → κ 1, agreement 100%.
  const result = characterKappa({
    sources: [
      { id: 's1', length: 100 },
      { id: 's2', length: 300 },
    ],
    codings: [
      coding('a', 0, 30, 'buy-in', 's1'),
      coding('b', 10, 40, 'buy-in', 's1'),
      coding('a', 0, 150, 'buy-in', 's2'),
      coding('b', 0, 150, 'buy-in', 's2'),
      coding('a', 200, 250, 'connections', 's2'),
      coding('b', 200, 250, 'connections', 's2'),
    ],
    coderA: 'a',
    coderB: 'b',
  });
  const k1 = 0.22 / 0.42;

  it('reports codes by id, and every source for each code', () => {
    expect(result.codes.map((c) => c.codeId)).toEqual(['buy-in', 'connections']);
    expect(result.codes[1]!.sources.map((s) => s.sourceId)).toEqual(['s1', 's2']);
  });

  it("averages a code's cells weighted by source length", () => {
    // buy-in: κ = (100·0.5238… + 300·1) / 400 = 0.8809…; agreement = (100·80 + 300·100) / 400 = 95%.
    const weighted = result.codes[0]!.sourceWeighted;
    expect(weighted.kappa).toBeCloseTo((100 * k1 + 300) / 400, 12);
    expect(weighted.agreementPercentage).toBeCloseTo(95, 12);
    expect(weighted.disagreementPercentage).toBeCloseTo(5, 12);
  });

  it('pools a code across sources into one table', () => {
    // buy-in: N 400, A 30 + 150 = 180, B 180, both 20 + 150 = 170, neither 400 − 180 − 180 + 170 = 210.
    // Po = 380 / 400 = 0.95; Pe = (180² + 220²) / 400² = (32400 + 48400) / 160000 = 0.505;
    // κ = 0.445 / 0.495 = 0.89898…
    const pooled = result.codes[0]!.pooled;
    expect(pooled).toMatchObject({
      n: 400,
      codedByA: 180,
      codedByB: 180,
      codedByBoth: 170,
      codedByNeither: 210,
    });
    expect(pooled.expectedAgreement).toBeCloseTo(0.505, 12);
    expect(pooled.kappa).toBeCloseTo(0.445 / 0.495, 12);
  });

  it('averages every code × source cell overall, leaving out undefined κ (and counting it as 1 the NVivo way)', () => {
    // Cells: buy-in/s1 (100, κ 0.5238…, 80%), buy-in/s2 (300, 1, 100%), connections/s1 (100, undefined, 100%),
    // connections/s2 (300, 1, 100%).
    // κ = (100·0.5238… + 300 + 300) / 700 = 0.9319…; as NVivo (undefined as 1): (100·0.5238… + 700) / 800.
    // agreement = (8000 + 30000 + 10000 + 30000) / 800 = 97.5%.
    const weighted = result.overall.sourceWeighted;
    expect(weighted.kappa).toBeCloseTo((100 * k1 + 600) / 700, 12);
    expect(weighted.kappaAsNvivo).toBeCloseTo((100 * k1 + 700) / 800, 12);
    expect(weighted.agreementPercentage).toBeCloseTo(97.5, 12);
    expect(weighted).toMatchObject({ cells: 4, cellsWithoutKappa: 1 });
  });

  it('pools every code × source cell overall', () => {
    // buy-in as above plus connections (s1: N 100, nothing; s2: N 300, A = B = both = 50):
    // N 800, A 230, B 230, both 220, neither 800 − 230 − 230 + 220 = 560. Po = 780 / 800 = 0.975;
    // Pe = (230² + 570²) / 800² = (52900 + 324900) / 640000 = 0.5903125; κ = 0.3846875 / 0.4096875.
    const pooled = result.overall.pooled;
    expect(pooled).toMatchObject({
      n: 800,
      codedByA: 230,
      codedByB: 230,
      codedByBoth: 220,
      codedByNeither: 560,
    });
    expect(pooled.expectedAgreement).toBeCloseTo(0.5903125, 12);
    expect(pooled.kappa).toBeCloseTo(0.3846875 / 0.4096875, 12);
  });
});

describe('against counting every character one by one', () => {
  // An independent, slow implementation: mark each character, count, apply the NVivo formulas.
  function byCharacter(length: number, codings: Coding[], coder: string, codeId: string, uncoded: boolean) {
    const mark = (who: string, anyCode: boolean) => {
      const marks = new Array<boolean>(length).fill(false);
      for (const c of codings) {
        if (c.coderId === who && (anyCode || c.codeId === codeId))
          for (let i = c.start; i < c.end; i++) marks[i] = true;
      }
      return marks;
    };
    const a = mark(coder, false);
    const b = mark('b', false);
    const anyA = mark(coder, true);
    const anyB = mark('b', true);
    let n = 0;
    let agree = 0;
    let countA = 0;
    let countB = 0;
    for (let i = 0; i < length; i++) {
      if (uncoded && !anyA[i] && !anyB[i]) continue;
      n++;
      if (a[i] === b[i]) agree++;
      if (a[i]) countA++;
      if (b[i]) countB++;
    }
    const po = agree / n;
    const pe = (countA * countB + (n - countA) * (n - countB)) / (n * n);
    return { n, po, kappa: pe === 1 ? null : (po - pe) / (1 - pe) };
  }

  const length = 80;
  const arbitraryCoding = fc
    .record({
      coderId: fc.constantFrom('a', 'b'),
      codeId: fc.constantFrom('x', 'y'),
      from: fc.integer({ min: 0, max: length }),
      to: fc.integer({ min: 0, max: length }),
    })
    .map(
      ({ coderId, codeId, from, to }): Coding => ({
        coderId,
        codeId,
        sourceId: 's',
        start: Math.min(from, to),
        end: Math.max(from, to),
      }),
    );

  it('gives the same N, Po and κ', () => {
    fc.assert(
      fc.property(fc.array(arbitraryCoding, { maxLength: 10 }), fc.boolean(), (codings, uncoded) => {
        const result = characterKappa({
          sources: [{ id: 's', length }],
          codings,
          coderA: 'a',
          coderB: 'b',
          codeIds: ['x', 'y'],
          excludeUncoded: uncoded,
        });
        for (const codeId of ['x', 'y']) {
          const cell = cellOf(result, codeId, 's');
          const expected = byCharacter(length, codings, 'a', codeId, uncoded);
          expect(cell.n).toBe(expected.n);
          if (expected.n === 0) continue;
          expect(cell.observedAgreement).toBeCloseTo(expected.po, 12);
          if (expected.kappa === null) expect(cell.kappa).toBeNull();
          else expect(cell.kappa).toBeCloseTo(expected.kappa, 10);
        }
      }),
      { numRuns: 300 },
    );
  });
});
