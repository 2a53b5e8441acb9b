/*
 * Half-open spans [start, end) of a source, in whatever unit the caller counts in (the agreement statistics are
 * unit-agnostic: integers). Every statistic here works on disjoint unions of spans, merged once and then compared
 * by walking two sorted lists side by side, so the cost follows the number of codings, never the length of the
 * text (no per-character arrays).
 */

export interface Span {
  start: number;
  end: number;
}

/**
 * The disjoint union of some spans, sorted by start. Overlapping spans and spans that touch ([0, 5) and [5, 9))
 * merge into one, so the result's spans are maximal; empty spans (start = end) cover nothing and are dropped.
 */
export function unionOf(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) {
      if (span.end > last.end) last.end = span.end;
    } else {
      merged.push({ start: span.start, end: span.end });
    }
  }
  return merged;
}

/** How many units a disjoint union covers. */
export function lengthOf(union: readonly Span[]): number {
  let total = 0;
  for (const span of union) total += span.end - span.start;
  return total;
}

/** How many units two disjoint unions (each sorted, as `unionOf` makes them) have in common. */
export function overlapLength(a: readonly Span[], b: readonly Span[]): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (end > start) total += end - start;
    if (x.end <= y.end) i++;
    else j++;
  }
  return total;
}

/** The parts of disjoint union `a` that are not in disjoint union `b`, as maximal spans sorted by start. */
export function differenceOf(a: readonly Span[], b: readonly Span[]): Span[] {
  const result: Span[] = [];
  let j = 0;
  for (const x of a) {
    let cursor = x.start;
    while (j < b.length && b[j]!.end <= cursor) j++;
    let k = j;
    while (k < b.length && b[k]!.start < x.end) {
      const y = b[k]!;
      if (y.start > cursor) result.push({ start: cursor, end: y.start });
      if (y.end > cursor) cursor = y.end;
      if (cursor >= x.end) break;
      k++;
    }
    if (cursor < x.end) result.push({ start: cursor, end: x.end });
  }
  return result;
}

/**
 * The disjoint union of two disjoint unions, merged in one pass (both sorted by start, as `unionOf` makes them).
 */
export function unionOfBoth(a: readonly Span[], b: readonly Span[]): Span[] {
  const merged: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]!.start <= b[j]!.start) ? a[i++]! : b[j++]!;
    const last = merged[merged.length - 1];
    if (last && next.start <= last.end) {
      if (next.end > last.end) last.end = next.end;
    } else {
      merged.push({ start: next.start, end: next.end });
    }
  }
  return merged;
}
