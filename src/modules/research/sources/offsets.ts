/**
 * Positions in the research module are Unicode code point offsets into a source's normalised text, [start, end).
 * JavaScript strings index UTF-16 code units, so an emoji or any character outside the Basic Multilingual Plane
 * counts 1 here and 2 in `String.prototype.slice`. These helpers convert between the two. A lone surrogate (not
 * possible in normalised text, which comes from valid UTF-8 or UTF-16) counts as one code point, as `[...text]` does.
 */

/** Converts many offsets over one text quickly: the positions of its surrogate pairs are found once. */
export interface OffsetConverter {
  readonly codePointLength: number;
  /** The JS string index where the code point at `codePointOffset` begins (`codePointLength` maps to `length`). */
  toUtf16(codePointOffset: number): number;
  /** The code point offset of a JS string index; throws on an index between the two halves of a surrogate pair. */
  toCodePoint(utf16Index: number): number;
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

export function createOffsetConverter(text: string): OffsetConverter {
  // UTF-16 index of the high surrogate of each pair, ascending.
  const pairs: number[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) pairs.push(i++);
  }
  const codePointLength = text.length - pairs.length;
  // Number of pairs p with key(p) < bound, for a key that grows with p.
  const countBelow = (bound: number, key: (pairIndex: number) => number) => {
    let low = 0;
    let high = pairs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (key(mid) < bound) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return {
    codePointLength,
    toUtf16(codePointOffset) {
      if (!Number.isInteger(codePointOffset) || codePointOffset < 0 || codePointOffset > codePointLength) {
        throw new RangeError(`Code point offset ${codePointOffset} is outside 0–${codePointLength}`);
      }
      // The k-th pair starts at code point pairs[k] - k.
      return codePointOffset + countBelow(codePointOffset, (k) => pairs[k]! - k);
    },
    toCodePoint(utf16Index) {
      if (!Number.isInteger(utf16Index) || utf16Index < 0 || utf16Index > text.length) {
        throw new RangeError(`String index ${utf16Index} is outside 0–${text.length}`);
      }
      const before = countBelow(utf16Index, (k) => pairs[k]!);
      if (before > 0 && pairs[before - 1]! + 1 === utf16Index) {
        throw new RangeError(`String index ${utf16Index} falls inside a surrogate pair`);
      }
      return utf16Index - before;
    },
  };
}

/** The number of code points in `text` (what the research module calls its length). */
export function codePointLength(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
      pairs++;
      i++;
    }
  }
  return text.length - pairs;
}

/** The JS string index of a code point offset. For many conversions over one text use `createOffsetConverter`. */
export function toUtf16Index(text: string, codePointOffset: number): number {
  return createOffsetConverter(text).toUtf16(codePointOffset);
}

/** The code point offset of a JS string index. For many conversions over one text use `createOffsetConverter`. */
export function toCodePointOffset(text: string, utf16Index: number): number {
  return createOffsetConverter(text).toCodePoint(utf16Index);
}

/** The text between two code point offsets, [start, end). */
export function sliceCodePoints(text: string, start: number, end: number): string {
  const converter = createOffsetConverter(text);
  return text.slice(converter.toUtf16(start), converter.toUtf16(end));
}
