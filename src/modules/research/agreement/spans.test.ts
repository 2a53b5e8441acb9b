import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differenceOf, lengthOf, overlapLength, type Span, unionOf, unionOfBoth } from './spans.ts';

// The straightforward way, used only to check the sweeps: mark every position covered.
const LENGTH = 60;
const covered = (spans: readonly Span[]) => {
  const marks = new Array<boolean>(LENGTH).fill(false);
  for (const s of spans) for (let i = s.start; i < s.end; i++) marks[i] = true;
  return marks;
};
const count = (marks: boolean[]) => marks.filter(Boolean).length;
const isMaximalUnion = (spans: readonly Span[]) =>
  spans.every((s, i) => s.end > s.start && (i === 0 || spans[i - 1]!.end < s.start));

const span = fc
  .tuple(fc.integer({ min: 0, max: LENGTH }), fc.integer({ min: 0, max: LENGTH }))
  .map(([x, y]): Span => ({ start: Math.min(x, y), end: Math.max(x, y) }));
const spans = fc.array(span, { maxLength: 12 });

describe('spans', () => {
  it('merges overlapping and touching spans and drops empty ones', () => {
    const union = unionOf([
      { start: 20, end: 30 },
      { start: 0, end: 5 },
      { start: 5, end: 9 },
      { start: 25, end: 40 },
      { start: 50, end: 50 },
    ]);
    expect(union).toEqual([
      { start: 0, end: 9 },
      { start: 20, end: 40 },
    ]);
    expect(lengthOf(union)).toBe(29);
  });

  it('does not change the spans it is given', () => {
    const input = [
      { start: 0, end: 10 },
      { start: 5, end: 20 },
    ];
    unionOf(input);
    expect(input).toEqual([
      { start: 0, end: 10 },
      { start: 5, end: 20 },
    ]);
  });

  it('agrees with marking every position, for union, overlap, difference and union of two', () => {
    fc.assert(
      fc.property(spans, spans, (rawA, rawB) => {
        const a = unionOf(rawA);
        const b = unionOf(rawB);
        const markA = covered(rawA);
        const markB = covered(rawB);
        expect(isMaximalUnion(a)).toBe(true);
        expect(covered(a)).toEqual(markA);
        expect(lengthOf(a)).toBe(count(markA));
        expect(overlapLength(a, b)).toBe(count(markA.map((x, i) => x && markB[i]!)));
        const aNotB = differenceOf(a, b);
        expect(isMaximalUnion(aNotB)).toBe(true);
        expect(covered(aNotB)).toEqual(markA.map((x, i) => x && !markB[i]!));
        const both = unionOfBoth(a, b);
        expect(isMaximalUnion(both)).toBe(true);
        expect(covered(both)).toEqual(markA.map((x, i) => x || markB[i]!));
      }),
      { numRuns: 300 },
    );
  });
});
