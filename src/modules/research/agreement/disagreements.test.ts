import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { disagreements } from './disagreements.ts';
import type { Coding } from './input.ts';

const coding = (coderId: string, start: number, end: number, codeId = 'buy-in', sourceId = 's1'): Coding => ({
  coderId,
  codeId,
  sourceId,
  start,
  end,
});
const sources = [
  { id: 's1', length: 100 },
  { id: 's2', length: 100 },
];

describe('disagreements', () => {
  it('lists where only one coder applied the code, and who', () => {
    // A [0,30), B [10,40): A alone on [0,10), B alone on [30,40).
    expect(
      disagreements({
        sources,
        codings: [coding('a', 0, 30), coding('b', 10, 40)],
        coderA: 'a',
        coderB: 'b',
      }),
    ).toEqual([
      { sourceId: 's1', codeId: 'buy-in', start: 0, end: 10, codedBy: 'a', notCodedBy: 'b' },
      { sourceId: 's1', codeId: 'buy-in', start: 30, end: 40, codedBy: 'b', notCodedBy: 'a' },
    ]);
  });

  it("merges a coder's touching and overlapping codings into maximal spans", () => {
    // A [0,10) + [10,20) + [15,25) = [0,25); B [5,8): A alone on [0,5) and [8,25).
    const list = disagreements({
      sources,
      codings: [coding('a', 0, 10), coding('a', 10, 20), coding('a', 15, 25), coding('b', 5, 8)],
      coderA: 'a',
      coderB: 'b',
    });
    expect(list.map((d) => [d.start, d.end, d.codedBy])).toEqual([
      [0, 5, 'a'],
      [8, 25, 'a'],
    ]);
  });

  it('sorts by source in the order given, then start, then code', () => {
    const list = disagreements({
      sources: [sources[1]!, sources[0]!],
      codings: [
        coding('a', 50, 60, 'connections', 's1'),
        coding('b', 5, 9, 'buy-in', 's1'),
        coding('a', 50, 55, 'buy-in', 's1'),
        coding('b', 70, 80, 'buy-in', 's2'),
        coding('c', 0, 100, 'buy-in', 's2'), // not compared
      ],
      coderA: 'a',
      coderB: 'b',
    });
    expect(list.map((d) => `${d.sourceId} ${d.start}-${d.end} ${d.codeId} ${d.codedBy}`)).toEqual([
      's2 70-80 buy-in b',
      's1 5-9 buy-in b',
      's1 50-55 buy-in a',
      's1 50-60 connections a',
    ]);
  });

  it('lists nothing when the coders agree', () => {
    expect(
      disagreements({
        sources,
        codings: [coding('a', 0, 30), coding('b', 0, 10), coding('b', 10, 30)],
        coderA: 'a',
        coderB: 'b',
      }),
    ).toEqual([]);
  });

  it('covers exactly the characters one coder coded and the other did not', () => {
    const arbitraryCoding = fc
      .record({
        coderId: fc.constantFrom('a', 'b'),
        from: fc.integer({ min: 0, max: 100 }),
        to: fc.integer({ min: 0, max: 100 }),
      })
      .map(({ coderId, from, to }) => coding(coderId, Math.min(from, to), Math.max(from, to)));
    fc.assert(
      fc.property(fc.array(arbitraryCoding, { maxLength: 10 }), (codings) => {
        const marks = (who: string) => {
          const m = new Array<boolean>(100).fill(false);
          for (const c of codings) if (c.coderId === who) for (let i = c.start; i < c.end; i++) m[i] = true;
          return m;
        };
        const a = marks('a');
        const b = marks('b');
        const listed = new Array<string | null>(100).fill(null);
        const list = disagreements({ sources, codings, coderA: 'a', coderB: 'b' });
        list.forEach((d, i) => {
          const previous = list[i - 1];
          // Sorted, and maximal: a coder's next span starts strictly after their previous one ends.
          if (previous) expect(d.start).toBeGreaterThanOrEqual(previous.end);
          if (previous?.codedBy === d.codedBy) expect(d.start).toBeGreaterThan(previous.end);
          for (let x = d.start; x < d.end; x++) listed[x] = d.codedBy;
        });
        for (let x = 0; x < 100; x++)
          expect(listed[x]).toBe(a[x] && !b[x] ? 'a' : b[x] && !a[x] ? 'b' : null);
      }),
      { numRuns: 300 },
    );
  });
});
