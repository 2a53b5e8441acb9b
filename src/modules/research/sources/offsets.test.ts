import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codePointLength,
  createOffsetConverter,
  sliceCodePoints,
  toCodePointOffset,
  toUtf16Index,
} from './offsets.ts';

// The obvious, slow way: split into code points with the string iterator.
const slowToUtf16 = (text: string, offset: number) => [...text].slice(0, offset).join('').length;

describe('code point offsets', () => {
  it('counts an emoji as one code point where a JS string counts two', () => {
    // "a😀b": a at 0, 😀 at 1 (string indexes 1 and 2), b at 2 (string index 3).
    const text = 'a😀b';
    expect(text.length).toBe(4);
    expect(codePointLength(text)).toBe(3);
    expect([0, 1, 2, 3].map((offset) => toUtf16Index(text, offset))).toEqual([0, 1, 3, 4]);
    expect([0, 1, 3, 4].map((index) => toCodePointOffset(text, index))).toEqual([0, 1, 2, 3]);
    expect(sliceCodePoints(text, 1, 2)).toBe('😀');
  });

  it('counts each code point of a joined emoji sequence', () => {
    // 👩🏽‍⚕️ is woman (astral) + skin tone (astral) + ZWJ + staff of Aesculapius + VS16: 5 code points, 7 units.
    const text = 'Dr 👩🏽‍⚕️ said';
    expect(codePointLength(text)).toBe(3 + 5 + 5);
    expect(sliceCodePoints(text, 3, 8)).toBe('👩🏽‍⚕️');
    expect(sliceCodePoints(text, 9, 13)).toBe('said');
  });

  it('refuses a string index between the halves of a surrogate pair and offsets outside the text', () => {
    const converter = createOffsetConverter('a😀b');
    expect(() => converter.toCodePoint(2)).toThrow(/inside a surrogate pair/);
    expect(() => converter.toUtf16(4)).toThrow(RangeError);
    expect(() => converter.toUtf16(-1)).toThrow(RangeError);
    expect(() => converter.toCodePoint(5)).toThrow(RangeError);
  });

  it('agrees with splitting the string into code points, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const converter = createOffsetConverter(text);
        const length = [...text].length;
        expect(converter.codePointLength).toBe(length);
        expect(codePointLength(text)).toBe(length);
        for (let offset = 0; offset <= length; offset++) {
          const index = converter.toUtf16(offset);
          expect(index).toBe(slowToUtf16(text, offset));
          expect(converter.toCodePoint(index)).toBe(offset);
        }
      }),
    );
  });
});
