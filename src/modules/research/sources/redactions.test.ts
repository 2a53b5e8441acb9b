import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import { applyRedactions, type Redaction } from './redactions.ts';
import type { Turn } from './speaker-turns.ts';

function rejection(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    return error as ValidationError;
  }
  throw new Error('expected it to throw');
}

describe('applyRedactions', () => {
  // "Ann: " 0–5, "I saw " 5–11, "Dr Patel" 11–19, " " 19, 😀 20, " today." 21–28, "\n\n" 28–30, "GP: Yes." 30–38.
  const text = 'Ann: I saw Dr Patel 😀 today.\n\nGP: Yes.';
  const turns: Turn[] = [
    { speaker: 'Ann', start: 0, end: 28, startMs: 0, endMs: 4000 },
    { speaker: 'GP', start: 30, end: 38, startMs: 4000, endMs: 5000 },
  ];

  it('replaces spans, moves the turns after them and maps old offsets to new ones', () => {
    // Given out of order: "Ann" (3) becomes "[participant]" (13), +10; "Dr Patel" (8) becomes "[name]" (6), −2.
    const result = applyRedactions(text, turns, [
      { start: 11, end: 19, replacement: '[name]' },
      { start: 0, end: 3, replacement: '[participant]' },
    ]);
    expect(result.text).toBe('[participant]: I saw [name] 😀 today.\n\nGP: Yes.');
    // Old 28 → 28 + 10 − 2 = 36; 30 → 38; 38 → 46. Timings and speakers are unchanged.
    expect(result.turns).toEqual([
      { speaker: 'Ann', start: 0, end: 36, startMs: 0, endMs: 4000 },
      { speaker: 'GP', start: 38, end: 46, startMs: 4000, endMs: 5000 },
    ]);
    expect(result.map.edits).toEqual([
      { oldStart: 0, oldEnd: 3, newStart: 0, newEnd: 13 },
      { oldStart: 11, oldEnd: 19, newStart: 21, newEnd: 27 },
    ]);
    const { map } = result;
    expect([map.oldLength, map.newLength]).toEqual([38, 46]);
    expect(map.toNew(3)).toBe(13); // the end of "Ann" is the end of "[participant]"
    expect(map.toNew(5)).toBe(15); // "I" moved by +10
    expect(map.toNew(15, 'start')).toBe(21); // inside "Dr Patel": a span starting here starts at "[name]"
    expect(map.toNew(15, 'end')).toBe(27); // … and one ending here ends after it
    expect(map.toNew(20)).toBe(28); // 😀, moved by +8
    expect(() => map.toNew(39)).toThrow(RangeError);
  });

  it('refuses overlapping redactions, naming each pair', () => {
    const error = rejection(() =>
      applyRedactions(text, turns, [
        { start: 0, end: 5, replacement: 'a' },
        { start: 20, end: 25, replacement: 'b' },
        { start: 3, end: 8, replacement: 'c' },
      ]),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      'Redactions must not overlap: 3–8 overlaps redaction 0–5 (number 1). Merge or shorten them.',
    );
    expect(error.errors).toEqual([
      { field: 'redactions.2', message: 'Redaction 3–8 overlaps redaction 0–5 (number 1).' },
    ]);
  });

  it('names every redaction a long one overlaps', () => {
    const error = rejection(() =>
      applyRedactions(text, turns, [
        { start: 5, end: 8, replacement: 'a' },
        { start: 0, end: 20, replacement: 'b' },
        { start: 10, end: 12, replacement: 'c' },
      ]),
    );
    expect(error.errors).toEqual([
      { field: 'redactions.0', message: 'Redaction 5–8 overlaps redaction 0–20 (number 2).' },
      { field: 'redactions.2', message: 'Redaction 10–12 overlaps redaction 0–20 (number 2).' },
    ]);
  });

  it('allows redactions that touch without overlapping', () => {
    const result = applyRedactions(text, turns, [
      { start: 11, end: 13, replacement: '[title]' },
      { start: 13, end: 19, replacement: ' [name]' },
    ]);
    expect(result.text.slice(0, 25)).toBe('Ann: I saw [title] [name]');
  });

  it('refuses redactions outside the text, empty ones, and ones across the edge of a speaker turn', () => {
    const outside = rejection(() => applyRedactions(text, turns, [{ start: 30, end: 39, replacement: 'x' }]));
    expect(outside.errors).toEqual([
      {
        field: 'redactions.0',
        message: 'Redaction 30–39 must cover at least one character within the text (0–38).',
      },
    ]);
    expect(
      rejection(() => applyRedactions(text, turns, [{ start: 4, end: 4, replacement: 'x' }])).errors,
    ).toHaveLength(1);
    const across = rejection(() => applyRedactions(text, turns, [{ start: 25, end: 32, replacement: 'x' }]));
    expect(across.errors.map((e) => e.message)).toEqual([
      'Redaction 25–32 crosses the end of a speaker turn (at 28): split it in two at that point.',
      'Redaction 25–32 crosses the start of a speaker turn (at 30): split it in two at that point.',
    ]);
    // A redaction of a whole turn, exactly, is fine.
    expect(
      applyRedactions(text, turns, [{ start: 30, end: 38, replacement: '[removed]' }]).turns[1],
    ).toMatchObject({
      start: 30,
      end: 39,
    });
  });

  it('keeps every offset consistent for random texts and random non-overlapping redactions', () => {
    const scenario = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).chain((source) => {
      const length = [...source].length;
      return fc.record({
        source: fc.constant(source),
        cuts: fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 12 }),
        touching: fc.boolean(),
        replacements: fc.array(fc.string({ unit: 'binary', maxLength: 6 }), { minLength: 6, maxLength: 6 }),
        turnCuts: fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 8 }),
        reverse: fc.boolean(),
      });
    });
    fc.assert(
      fc.property(scenario, ({ source, cuts, touching, replacements, turnCuts, reverse }) => {
        const old = [...source];
        const points = [...cuts].sort((a, b) => a - b);
        const redactions: Redaction[] = [];
        // Pairs of cut points make non-overlapping spans; "touching" makes each start where the last ended.
        for (let i = 0; i + 1 < points.length; i += touching ? 1 : 2) {
          if (points[i]! < points[i + 1]!) {
            redactions.push({
              start: points[i]!,
              end: points[i + 1]!,
              replacement: replacements[redactions.length % 6]!,
            });
          }
        }
        const inside = (offset: number) => redactions.some((r) => r.start < offset && offset < r.end);
        const boundaries = [...turnCuts].filter((offset) => !inside(offset)).sort((a, b) => a - b);
        const turns: Turn[] = [];
        for (let i = 0; i + 1 < boundaries.length; i += 2) {
          turns.push({ speaker: `S${i}`, start: boundaries[i]!, end: boundaries[i + 1]! });
        }

        const result = applyRedactions(source, turns, reverse ? [...redactions].reverse() : redactions);

        // The text, rebuilt the slow way from code points.
        const rebuilt: string[] = [];
        let at = 0;
        for (const r of redactions) {
          rebuilt.push(...old.slice(at, r.start), ...r.replacement);
          at = r.end;
        }
        rebuilt.push(...old.slice(at));
        expect(result.text).toBe(rebuilt.join(''));
        const after = [...result.text];
        expect(result.map.newLength).toBe(after.length);
        expect(result.map.toNew(old.length, 'end')).toBe(after.length);

        let previous = { start: 0, end: 0 };
        for (let offset = 0; offset <= old.length; offset++) {
          const start = result.map.toNew(offset, 'start');
          const end = result.map.toNew(offset, 'end');
          expect(start).toBeLessThanOrEqual(end);
          expect(start).toBeGreaterThanOrEqual(previous.start);
          expect(end).toBeGreaterThanOrEqual(previous.end);
          previous = { start, end };
          // An untouched character is the same character after the move.
          if (offset < old.length && !redactions.some((r) => r.start <= offset && offset < r.end)) {
            expect(after[start]).toBe(old[offset]);
          }
        }
        for (const r of redactions) {
          const from = result.map.toNew(r.start, 'start');
          const to = result.map.toNew(r.end, 'end');
          expect(after.slice(from, to).join('')).toBe(r.replacement);
        }
        result.turns.forEach((turn, i) => {
          expect(turn.start).toBe(result.map.toNew(turns[i]!.start, 'start'));
          expect(turn.end).toBe(result.map.toNew(turns[i]!.end, 'end'));
          if (i > 0) expect(result.turns[i - 1]!.end).toBeLessThanOrEqual(turn.start);
        });
      }),
      { numRuns: 300 },
    );
  });
});
