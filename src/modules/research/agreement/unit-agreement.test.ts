import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import type { Coding } from './input.ts';
import { krippendorffAlphaNominal } from './krippendorff-alpha.ts';
import { type UnitisedSource, unitAgreement } from './unit-agreement.ts';

const coding = (coderId: string, start: number, end: number, codeId = 'buy-in', sourceId = 's1'): Coding => ({
  coderId,
  codeId,
  sourceId,
  start,
  end,
});
// Four speaker turns of ten characters each.
const fourTurns: UnitisedSource = {
  id: 's1',
  length: 40,
  turns: [
    { start: 0, end: 10 },
    { start: 10, end: 20 },
    { start: 20, end: 30 },
    { start: 30, end: 40 },
  ],
};

describe('agreement on speaker turns', () => {
  const codings = [coding('a', 5, 12), coding('b', 12, 25)];

  it("counts a turn as coded when any of it is coded, and gives Cohen's κ and α worked by hand", () => {
    // A [5,12) touches turns 1 and 2; B [12,25) touches turns 2 and 3 (turns numbered from 1).
    // Units (A, B): (1,0), (1,1), (0,1), (0,0). both 1, A only 1, B only 1, neither 1.
    // κ: Po = 2/4 = 0.5; Pe = (2·2 + 2·2) / 16 = 0.5; κ = 0.
    // α: m = 2 per unit. o(coded, not) = o(not, coded) = 1 + 1 = 2 (turns 1 and 3); o(coded, coded) = 2 (turn 2);
    // o(not, not) = 2 (turn 4). n = 8, n_coded = n_not = 4. α = 1 − 7·(8 − 4) / (64 − 16 − 16) = 1 − 28/32 = 0.125.
    const result = unitAgreement({ sources: [fourTurns], codings });
    const code = result.codes[0]!;
    expect(code.cohensKappa).toMatchObject({
      n: 4,
      codedByA: 2,
      codedByB: 2,
      codedByBoth: 1,
      codedByNeither: 1,
    });
    expect(code.cohensKappa!.kappa).toBeCloseTo(0, 12);
    expect(code.krippendorffAlpha.coincidences).toEqual({
      notCodedNotCoded: 2,
      notCodedCoded: 2,
      codedCoded: 2,
    });
    expect(code.krippendorffAlpha.alpha).toBeCloseTo(0.125, 12);
    expect(code.unitsCompared).toBe(4);
    expect(code.coders).toEqual([
      { coderId: 'a', unitsSeen: 4, unitsCoded: 2 },
      { coderId: 'b', unitsSeen: 4, unitsCoded: 2 },
    ]);
    expect(result).toMatchObject({
      coderIds: ['a', 'b'],
      units: 4,
      missing: [],
      minimumOverlapPercent: null,
    });
  });

  it('with a minimum overlap, counts a turn only when that share of it is coded', () => {
    // 50%: A [5,12) covers 5/10 of turn 1 (yes) and 2/10 of turn 2 (no); B [12,25) covers 8/10 of turn 2 and
    // 5/10 of turn 3 (both yes). Units (A, B): (1,0), (0,1), (0,1), (0,0): both 0, A only 1, B only 2, neither 1.
    // Po = 1/4; Pe = (1·2 + 3·2) / 16 = 0.5; κ = (0.25 − 0.5) / 0.5 = −0.5.
    const result = unitAgreement({ sources: [fourTurns], codings, minimumOverlapPercent: 50 });
    expect(result.codes[0]!.cohensKappa).toMatchObject({ codedByA: 1, codedByB: 2, codedByBoth: 0 });
    expect(result.codes[0]!.cohensKappa!.kappa).toBeCloseTo(-0.5, 12);
  });

  it("adds up a coder's codings within a turn before applying the minimum, counting overlaps once", () => {
    // A codes [0,4) and [2,6) of turn 1: 6 of 10 characters, 60%.
    const result = unitAgreement({
      sources: [fourTurns],
      codings: [coding('a', 0, 4), coding('a', 2, 6), coding('b', 0, 10)],
      minimumOverlapPercent: 60,
    });
    expect(result.codes[0]!.coders[0]).toEqual({ coderId: 'a', unitsSeen: 4, unitsCoded: 1 });
    const stricter = unitAgreement({
      sources: [fourTurns],
      codings: [coding('a', 0, 4), coding('a', 2, 6), coding('b', 0, 10)],
      minimumOverlapPercent: 61,
    });
    expect(stricter.codes[0]!.coders[0]!.unitsCoded).toBe(0);
  });

  it("treats a source a coder did not code at all as missing for them, not as 'not coded'", () => {
    // s2 has two turns; only A coded it. Its units have one value each, so they are not pairable: α and κ use s1
    // only, and give the same as above.
    const s2: UnitisedSource = {
      id: 's2',
      length: 20,
      turns: [
        { start: 0, end: 10 },
        { start: 10, end: 20 },
      ],
    };
    const result = unitAgreement({
      sources: [fourTurns, s2],
      codings: [...codings, coding('a', 0, 20, 'buy-in', 's2')],
    });
    expect(result.missing).toEqual([{ coderId: 'b', sourceIds: ['s2'] }]);
    expect(result.codes[0]!.unitsCompared).toBe(4);
    expect(result.codes[0]!.krippendorffAlpha.alpha).toBeCloseTo(0.125, 12);
    expect(result.codes[0]!.coders[0]).toEqual({ coderId: 'a', unitsSeen: 6, unitsCoded: 4 });
  });

  it('uses assignments to count a coder who read a source and coded nothing in it', () => {
    // B is assigned s1 but coded nothing: B's values are all 0. Units (A, B): (1,0), (1,0), (0,0), (0,0).
    // Po = 2/4; Pe = (2·0 + 2·4) / 16 = 0.5; κ = 0.
    const result = unitAgreement({
      sources: [fourTurns],
      codings: [coding('a', 5, 12)],
      coderIds: ['a', 'b'],
      assignments: [
        { coderId: 'a', sourceId: 's1' },
        { coderId: 'b', sourceId: 's1' },
      ],
    });
    expect(result.missing).toEqual([]);
    expect(result.codes[0]!.cohensKappa).toMatchObject({ n: 4, codedByA: 2, codedByB: 0 });
    expect(result.codes[0]!.cohensKappa!.kappa).toBe(0);
    // Without assignments B has no coding in s1, so B is missing there and nothing can be compared.
    const inferred = unitAgreement({
      sources: [fourTurns],
      codings: [coding('a', 5, 12)],
      coderIds: ['a', 'b'],
    });
    expect(inferred.missing).toEqual([{ coderId: 'b', sourceIds: ['s1'] }]);
    expect(inferred.codes[0]!.krippendorffAlpha.alpha).toBeNull();
  });

  it("gives α but no Cohen's κ for three coders", () => {
    const result = unitAgreement({ sources: [fourTurns], codings: [...codings, coding('c', 0, 40)] });
    expect(result.coderIds).toEqual(['a', 'b', 'c']);
    expect(result.codes[0]!.cohensKappa).toBeNull();
    expect(result.codes[0]!.krippendorffAlpha.alpha).not.toBeNull();
  });

  it('ignores text outside every turn', () => {
    const gappy: UnitisedSource = { id: 's1', length: 40, turns: [{ start: 10, end: 20 }] };
    const result = unitAgreement({ sources: [gappy], codings: [coding('a', 0, 10), coding('b', 20, 40)] });
    expect(result.codes[0]!.cohensKappa).toMatchObject({ n: 1, codedByA: 0, codedByB: 0 });
  });

  it('refuses overlapping turns, turns outside the source, a bad minimum and fewer than two coders', () => {
    const overlapping: UnitisedSource = {
      id: 's1',
      length: 40,
      turns: [
        { start: 0, end: 15 },
        { start: 10, end: 20 },
      ],
    };
    expect(() => unitAgreement({ sources: [overlapping], codings })).toThrow(
      /turns 1 and 2 of source "s1" overlap/,
    );
    expect(() =>
      unitAgreement({ sources: [{ id: 's1', length: 40, turns: [{ start: 30, end: 45 }] }], codings }),
    ).toThrow(/turn 1 of source "s1" runs from 30 to 45/);
    expect(() => unitAgreement({ sources: [fourTurns], codings, minimumOverlapPercent: 0 })).toThrow(
      /minimumOverlapPercent is 0/,
    );
    expect(() => unitAgreement({ sources: [fourTurns], codings: [coding('a', 0, 5)] })).toThrow(
      /only coder "a"/,
    );
    expect(() =>
      unitAgreement({ sources: [fourTurns], codings, assignments: [{ coderId: 'a', sourceId: 's1' }] }),
    ).toThrow(ValidationError);
  });
});

describe('α on turns against a coders × units table', () => {
  // Independent route: build Krippendorff's table of 0/1/null per coder and turn, then the general nominal α.
  const coderIds = ['a', 'b', 'c'];
  const sources: UnitisedSource[] = [0, 1, 2].map((i) => ({
    id: `s${i}`,
    length: 50,
    turns: [
      { start: 0, end: 10 },
      { start: 12, end: 25 },
      { start: 25, end: 40 },
      { start: 45, end: 50 },
    ],
  }));
  const arbitraryCoding = fc
    .record({
      coderId: fc.constantFrom(...coderIds),
      sourceId: fc.constantFrom('s0', 's1', 's2'),
      from: fc.integer({ min: 0, max: 50 }),
      to: fc.integer({ min: 0, max: 50 }),
    })
    .map(({ coderId, sourceId, from, to }) =>
      coding(coderId, Math.min(from, to), Math.max(from, to), 'x', sourceId),
    );

  it('gives the same α, with coders missing from some sources', () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryCoding, { maxLength: 14 }),
        fc.option(fc.integer({ min: 1, max: 100 })),
        (codings, percent) => {
          const result = unitAgreement({
            sources,
            codings,
            coderIds,
            codeIds: ['x'],
            ...(percent === null ? {} : { minimumOverlapPercent: percent }),
          });
          const table = coderIds.map((coderId) =>
            sources.flatMap((source) => {
              const mine = codings.filter((c) => c.coderId === coderId && c.sourceId === source.id);
              if (mine.length === 0) return source.turns.map(() => null);
              return source.turns.map((turn) => {
                let covered = 0;
                for (let i = turn.start; i < turn.end; i++)
                  if (mine.some((c) => c.start <= i && i < c.end)) covered++;
                const needed = percent === null ? 1 : (percent / 100) * (turn.end - turn.start);
                return covered > 0 && covered >= needed ? 1 : 0;
              });
            }),
          );
          const expected = krippendorffAlphaNominal(table);
          const alpha = result.codes[0]!.krippendorffAlpha;
          expect(alpha.pairableValues).toBeCloseTo(expected.pairableValues, 9);
          if (expected.alpha === null) expect(alpha.alpha).toBeNull();
          else expect(alpha.alpha).toBeCloseTo(expected.alpha, 9);
        },
      ),
      { numRuns: 300 },
    );
  });
});
