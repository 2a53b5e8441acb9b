import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import { characterKappa } from './character-kappa.ts';
import type { Coding } from './input.ts';

const coding = (overrides: Partial<Coding> = {}): Coding => ({
  coderId: 'a',
  codeId: 'buy-in',
  sourceId: 's1',
  start: 0,
  end: 10,
  ...overrides,
});
const sources = [{ id: 's1', length: 100 }];

function errorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('checking the input', () => {
  it('names the coding that runs past the end of its source', () => {
    const error = errorOf(() =>
      characterKappa({ sources, codings: [coding(), coding({ end: 120 })], coderA: 'a', coderB: 'b' }),
    );
    expect(error.message).toContain('coding 2 (code "buy-in" by coder "a" on source "s1") ends at 120');
    expect(error.message).toContain('length 100');
    expect(error.errors[0]?.field).toBe('codings.1.end');
  });

  it('refuses a coding that ends before it starts, or has fractional offsets', () => {
    expect(
      errorOf(() =>
        characterKappa({ sources, codings: [coding({ start: 20, end: 10 })], coderA: 'a', coderB: 'b' }),
      ).errors[0]?.field,
    ).toBe('codings.0.end');
    expect(
      errorOf(() => characterKappa({ sources, codings: [coding({ end: 10.5 })], coderA: 'a', coderB: 'b' }))
        .message,
    ).toContain('whole numbers');
  });

  it('refuses a coding on a source that is not compared', () => {
    const error = errorOf(() =>
      characterKappa({ sources, codings: [coding({ sourceId: 's9' })], coderA: 'a', coderB: 'b' }),
    );
    expect(error.message).toContain('not among the sources compared');
    expect(error.errors[0]?.field).toBe('codings.0.sourceId');
  });

  it('lists every problem, not only the first', () => {
    const error = errorOf(() =>
      characterKappa({
        sources,
        codings: [coding({ end: 101 }), coding(), coding({ sourceId: '' })],
        coderA: 'a',
        coderB: 'b',
      }),
    );
    expect(error.errors.map((e) => e.field)).toEqual(['codings.0.end', 'codings.2.sourceId']);
    expect(error.message).toContain('and 1 more problem');
  });

  it('refuses a source listed twice or with a negative length', () => {
    expect(
      errorOf(() =>
        characterKappa({
          sources: [...sources, { id: 's1', length: 5 }],
          codings: [],
          coderA: 'a',
          coderB: 'b',
        }),
      ).message,
    ).toContain('source "s1" is listed twice');
    expect(
      errorOf(() =>
        characterKappa({ sources: [{ id: 's1', length: -1 }], codings: [], coderA: 'a', coderB: 'b' }),
      ).errors[0]?.field,
    ).toBe('sources.0.length');
  });

  it('refuses to compare a coder with themselves, or a code asked for twice', () => {
    expect(
      errorOf(() => characterKappa({ sources, codings: [], coderA: 'a', coderB: 'a' })).message,
    ).toContain('coder "a" is named twice');
    expect(
      errorOf(() => characterKappa({ sources, codings: [], coderA: 'a', coderB: 'b', codeIds: ['x', 'x'] }))
        .message,
    ).toContain('code "x" is asked for twice');
  });

  it('accepts an empty coding (start = end) as covering nothing', () => {
    const result = characterKappa({
      sources,
      codings: [coding({ start: 5, end: 5 })],
      coderA: 'a',
      coderB: 'b',
    });
    expect(result.codes[0]?.sources[0]?.codedByA).toBe(0);
  });
});
