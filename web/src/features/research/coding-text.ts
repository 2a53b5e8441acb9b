import { createOffsetConverter } from '../../../../src/modules/research/sources/offsets.ts';
import type { Code, Source } from './coding-queries.ts';

/*
 * The coding pages' arithmetic, apart from React so it can be tested alone: the codebook as a tree, code colours
 * and coders' initials, figures as the pages show them, a text cut into segments between highlight boundaries (one
 * element per segment, never per character) and a transcript into rows (its speaker turns, or its paragraphs).
 * Offsets are Unicode code points, as the API's; JavaScript strings are indexed through an offset converter.
 */

export { createOffsetConverter };
export type Converter = ReturnType<typeof createOffsetConverter>;

/** A code with how deep it sits in the codebook (0 at the top) and the names above it. */
export interface CodeInTree extends Code {
  depth: number;
  /** "Connections › Connections in the practice". */
  path: string;
  /** The names above it, or null at the top. */
  parentPath: string | null;
}

/** Items of a hierarchy depth first, each one's children after it, siblings by name. */
export function treeOrder<T extends { id: string; parentId: string | null; name: string }>(
  items: readonly T[],
): (T & { depth: number; path: string; parentPath: string | null })[] {
  const children = new Map<string | null, T[]>();
  const ids = new Set(items.map((c) => c.id));
  for (const item of items) {
    const parent = item.parentId && ids.has(item.parentId) ? item.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), item]);
  }
  const out: (T & { depth: number; path: string; parentPath: string | null })[] = [];
  const walk = (parent: string | null, depth: number, above: string) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
    for (const item of list) {
      const path = above ? `${above} › ${item.name}` : item.name;
      out.push({ ...item, depth, path, parentPath: above || null });
      walk(item.id, depth + 1, path);
    }
  };
  walk(null, 0, '');
  return out;
}

/** The codebook depth first, each code's children after it, siblings by name. */
export const codeTree = (codes: readonly Code[]): CodeInTree[] => treeOrder(codes);

/** A code's colour mixed with white, light enough for body text to read on (contrast above 7:1). */
export function tint(hex: string, strength = 0.3): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const mix = (channel: number) => Math.round(255 - (255 - channel) * strength);
  return `rgb(${mix((n >> 16) & 255)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
}

/** "Nia Roberts" → "NR"; "Dr Nia Roberts" → "NR". */
export function initials(name: string): string {
  const words = name.split(/\s+/).filter((w) => w && !/^(dr|mr|mrs|ms|miss|prof)\.?$/i.test(w));
  return words
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('')
    .slice(0, 3);
}

export const formatCount = (n: number) => new Intl.NumberFormat('en-GB').format(n);

/** "0.62" with two decimals, or null. */
export const formatStatistic = (value: number | null | undefined) =>
  value === null || value === undefined ? null : value.toFixed(2);

export const formatPercent = (value: number | null | undefined) =>
  value === null || value === undefined ? null : `${value.toFixed(1)}%`;

// ---------------------------------------------------------------------------------------------------------------
// Texts cut into segments, and transcripts into rows

/** A stretch of text [start, end) in code points, with its JS string. */
export interface TextSegment {
  start: number;
  end: number;
  text: string;
}

/**
 * Cuts [from, to) of a text at the given code point boundaries (any order, duplicates and ones outside ignored).
 * The converter is made once per text by the caller, so a long transcript's many turns share it.
 */
export function cutText(
  text: string,
  converter: Converter,
  from: number,
  to: number,
  boundaries: Iterable<number>,
): TextSegment[] {
  const cuts = [...new Set([from, to, ...[...boundaries].filter((b) => b > from && b < to)])].sort(
    (a, b) => a - b,
  );
  const out: TextSegment[] = [];
  for (let i = 0; i < cuts.length - 1; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    out.push({ start, end, text: text.slice(converter.toUtf16(start), converter.toUtf16(end)) });
  }
  return out;
}

/** A turn of a transcript (or a paragraph of a text without speaker labels), in code points. */
export interface TranscriptRow {
  index: number;
  speaker: string | null;
  start: number;
  /** Where the words begin, after a "Speaker: " label at the start of the turn. */
  contentStart: number;
  end: number;
}

/** The rows a source is shown in: its speaker turns; a text without them, paragraph by paragraph. */
export function transcriptRows(turns: Source['turns'], text: string, converter: Converter): TranscriptRow[] {
  const spans: { speaker: string | null; start: number; end: number }[] = turns.length
    ? turns
    : [...text.matchAll(/[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*/g)]
        .filter((m) => m[0].trim() !== '')
        .map((m) => ({
          speaker: null,
          start: converter.toCodePoint(m.index),
          end: converter.toCodePoint(m.index + m[0].length),
        }));
  return spans.map((t, index) => {
    let contentStart = t.start;
    if (t.speaker) {
      const label = [...`${t.speaker}:`];
      const opening = [
        ...text.slice(
          converter.toUtf16(t.start),
          converter.toUtf16(Math.min(t.end, t.start + label.length + 8)),
        ),
      ];
      if (opening.slice(0, label.length).join('') === label.join('')) {
        let k = label.length;
        while (k < opening.length && (opening[k] === ' ' || opening[k] === '\t')) k++;
        contentStart = t.start + k;
      }
    }
    return { index, speaker: t.speaker, start: t.start, contentStart, end: t.end };
  });
}
