import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import { createOffsetConverter } from './offsets.ts';
import type { Turn } from './speaker-turns.ts';

/** Replace the code points [start, end) of a source's text with `replacement`. */
export interface Redaction {
  start: number;
  end: number;
  replacement: string;
}

/** One replaced span, in offsets of the text before and after. */
export interface Edit {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/**
 * Converts offsets in the text before redaction to offsets after it. Outside a redacted span an offset moves by
 * what the redactions before it added or removed. Strictly inside one there is no exact counterpart: a span's
 * start (`side: 'start'`) goes to the start of the replacement and its end (`side: 'end'`) to the end, so a
 * coding that touched a redacted name covers the whole "[name]".
 */
export interface OffsetMap {
  readonly oldLength: number;
  readonly newLength: number;
  readonly edits: readonly Edit[];
  toNew(offset: number, side?: 'start' | 'end'): number;
}

const span = (r: { start: number; end: number }) => `${r.start}–${r.end}`;

/**
 * Applies redactions to a source: the new text, its speaker turns moved to match (timings unchanged), and a map
 * from old offsets to new ones for anything else that points into the text (codings, memos). All offsets are
 * code points. Refuses, naming them, redactions that overlap, fall outside the text or cut across the boundary
 * of a speaker turn.
 */
export function applyRedactions(
  text: string,
  turns: readonly Turn[],
  redactions: readonly Redaction[],
): { text: string; turns: Turn[]; map: OffsetMap } {
  const converter = createOffsetConverter(text);
  const length = converter.codePointLength;
  const errors: FieldError[] = [];
  redactions.forEach((r, index) => {
    if (
      !Number.isInteger(r.start) ||
      !Number.isInteger(r.end) ||
      r.start < 0 ||
      r.end > length ||
      r.start >= r.end
    ) {
      errors.push({
        field: `redactions.${index}`,
        message: `Redaction ${span(r)} must cover at least one character within the text (0–${length}).`,
      });
    }
  });
  if (errors.length > 0) throw new ValidationError('Some redactions are outside the text.', errors);

  const order = redactions
    .map((_, index) => index)
    .sort((a, b) => redactions[a]!.start - redactions[b]!.start);
  // A sweep in order of start: `open` holds the earlier redactions still running, so a long one overlapping
  // several is named with each, and redactions that do not overlap cost nothing.
  let open: number[] = [];
  for (const index of order) {
    const later = redactions[index]!;
    open = open.filter((earlierIndex) => redactions[earlierIndex]!.end > later.start);
    for (const earlierIndex of open) {
      errors.push({
        field: `redactions.${index}`,
        message: `Redaction ${span(later)} overlaps redaction ${span(redactions[earlierIndex]!)} (number ${earlierIndex + 1}).`,
      });
    }
    open.push(index);
  }
  if (errors.length > 0) {
    throw new ValidationError(
      `Redactions must not overlap: ${errors.map((e) => e.message.replace(/^Redaction /, '')).join(' ')} ` +
        'Merge or shorten them.',
      errors,
    );
  }
  const boundaries = turns
    .flatMap((turn) => [
      { at: turn.start, edge: 'start' },
      { at: turn.end, edge: 'end' },
    ])
    .sort((a, b) => a.at - b.at || (a.edge === 'end' ? -1 : 1));
  redactions.forEach((r, index) => {
    // The first boundary after the redaction's start, then every one before its end.
    let low = 0;
    let high = boundaries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (boundaries[mid]!.at <= r.start) low = mid + 1;
      else high = mid;
    }
    for (let b = low; b < boundaries.length && boundaries[b]!.at < r.end; b++) {
      errors.push({
        field: `redactions.${index}`,
        message:
          `Redaction ${span(r)} crosses the ${boundaries[b]!.edge} of a speaker turn (at ${boundaries[b]!.at}): ` +
          'split it in two at that point.',
      });
    }
  });
  if (errors.length > 0)
    throw new ValidationError('Redactions must not cross the edge of a speaker turn.', errors);

  const edits: Edit[] = [];
  let out = '';
  let copiedTo = 0; // UTF-16 index in `text`
  let delta = 0; // new − old, in code points, so far
  for (const index of order) {
    const r = redactions[index]!;
    const from = converter.toUtf16(r.start);
    out += text.slice(copiedTo, from) + r.replacement;
    copiedTo = converter.toUtf16(r.end);
    const replacementLength = [...r.replacement].length;
    edits.push({
      oldStart: r.start,
      oldEnd: r.end,
      newStart: r.start + delta,
      newEnd: r.start + delta + replacementLength,
    });
    delta += replacementLength - (r.end - r.start);
  }
  out += text.slice(copiedTo);
  const map = createOffsetMap(edits, length, length + delta);
  return {
    text: out,
    turns: turns.map((turn) => ({
      ...turn,
      start: map.toNew(turn.start, 'start'),
      end: map.toNew(turn.end, 'end'),
    })),
    map,
  };
}

function createOffsetMap(edits: readonly Edit[], oldLength: number, newLength: number): OffsetMap {
  return {
    oldLength,
    newLength,
    edits,
    toNew(offset, side = 'start') {
      if (!Number.isInteger(offset) || offset < 0 || offset > oldLength) {
        throw new RangeError(`Offset ${offset} is outside the text before redaction (0–${oldLength})`);
      }
      // The last edit starting at or before the offset.
      let low = 0;
      let high = edits.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (edits[mid]!.oldStart <= offset) low = mid + 1;
        else high = mid;
      }
      const edit = edits[low - 1];
      if (!edit) return offset;
      if (offset === edit.oldStart) return edit.newStart;
      if (offset < edit.oldEnd) return side === 'start' ? edit.newStart : edit.newEnd;
      return edit.newEnd + (offset - edit.oldEnd);
    },
  };
}
