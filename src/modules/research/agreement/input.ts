import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import { type Span, unionOf } from './spans.ts';

/*
 * What the agreement statistics take in, how it is checked, and the grouping every statistic starts from. Offsets
 * are integers in one unit chosen by the caller (the research module counts Unicode code points); a coding covers
 * [start, end) of its source.
 */

/** A code applied by one coder to the span [start, end) of a source. */
export interface Coding {
  coderId: string;
  codeId: string;
  sourceId: string;
  start: number;
  end: number;
}

/** A source compared: its id and its length in the same unit as the codings' offsets. */
export interface ComparedSource {
  id: string;
  length: number;
}

/** At most this many problems are listed in one error, so a badly broken input still gives a readable message. */
const MAX_LISTED_ERRORS = 50;

function throwIfAny(errors: FieldError[], what: string): void {
  if (errors.length === 0) return;
  const first = errors[0]!;
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  throw new ValidationError(`${what} cannot be compared: ${first.message}${more}`, errors);
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Checks the sources and returns each one's length by id. */
export function sourceLengthsOf(sources: readonly ComparedSource[]): Map<string, number> {
  const lengths = new Map<string, number>();
  const errors: FieldError[] = [];
  sources.forEach((source, i) => {
    if (errors.length >= MAX_LISTED_ERRORS) return;
    if (!isId(source.id)) {
      errors.push({ field: `sources.${i}.id`, message: `source ${i + 1} in the list has no id` });
    } else if (lengths.has(source.id)) {
      errors.push({ field: `sources.${i}.id`, message: `source "${source.id}" is listed twice` });
    } else if (!Number.isSafeInteger(source.length) || source.length < 0) {
      errors.push({
        field: `sources.${i}.length`,
        message: `source "${source.id}" has length ${String(source.length)}; a length is a whole number, 0 or more`,
      });
    } else {
      lengths.set(source.id, source.length);
    }
  });
  throwIfAny(errors, 'These sources');
  return lengths;
}

function describe(coding: Coding, i: number): string {
  return `coding ${i + 1} (code "${String(coding.codeId)}" by coder "${String(coding.coderId)}" on source "${String(coding.sourceId)}")`;
}

/**
 * Checks every coding against the sources: ids present, whole-number offsets, start ≤ end, inside its source, and
 * on a source in the list. An empty coding (start = end) is accepted and covers nothing.
 */
export function checkCodings(codings: readonly Coding[], sourceLengths: ReadonlyMap<string, number>): void {
  const errors: FieldError[] = [];
  for (let i = 0; i < codings.length && errors.length < MAX_LISTED_ERRORS; i++) {
    const c = codings[i]!;
    const field = `codings.${i}`;
    if (!isId(c.coderId) || !isId(c.codeId) || !isId(c.sourceId)) {
      const missing = (['coderId', 'codeId', 'sourceId'] as const).filter((k) => !isId(c[k]));
      errors.push({
        field: `${field}.${missing[0]}`,
        message: `${describe(c, i)} has no ${missing.join(', ')}`,
      });
      continue;
    }
    const length = sourceLengths.get(c.sourceId);
    if (length === undefined) {
      errors.push({
        field: `${field}.sourceId`,
        message: `${describe(c, i)} is on a source that is not among the sources compared`,
      });
    } else if (!Number.isSafeInteger(c.start) || !Number.isSafeInteger(c.end)) {
      errors.push({
        field: `${field}.start`,
        message: `${describe(c, i)} has offsets ${String(c.start)}–${String(c.end)}; offsets are whole numbers`,
      });
    } else if (c.start < 0 || c.end < c.start) {
      errors.push({
        field: `${field}.end`,
        message: `${describe(c, i)} runs from ${c.start} to ${c.end}; it must start at 0 or later and end at or after its start`,
      });
    } else if (c.end > length) {
      errors.push({
        field: `${field}.end`,
        message: `${describe(c, i)} ends at ${c.end}, past the end of the source (length ${length})`,
      });
    }
  }
  throwIfAny(errors, 'These codings');
}

/** Checks the coders named for a comparison: ids present and all different. */
export function checkCoderIds(coderIds: readonly string[], field: string): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  coderIds.forEach((id, i) => {
    if (!isId(id)) errors.push({ field: `${field}.${i}`, message: `coder ${i + 1} has no id` });
    else if (seen.has(id)) errors.push({ field: `${field}.${i}`, message: `coder "${id}" is named twice` });
    seen.add(id);
  });
  throwIfAny(errors, 'These coders');
}

/** Each coder's disjoint union of spans for one code in one source. */
export type UnionsByCoder = Map<string, Span[]>;

/**
 * The codings of the given coders, grouped source → code → coder and merged into disjoint unions (a coder's
 * overlapping codings of one code count once). Codings by other coders are left out.
 */
export function unionsBySourceAndCode(
  codings: readonly Coding[],
  coderIds: ReadonlySet<string>,
): Map<string, Map<string, UnionsByCoder>> {
  const grouped = new Map<string, Map<string, Map<string, Span[]>>>();
  for (const c of codings) {
    if (!coderIds.has(c.coderId)) continue;
    let byCode = grouped.get(c.sourceId);
    if (!byCode) {
      byCode = new Map();
      grouped.set(c.sourceId, byCode);
    }
    let byCoder = byCode.get(c.codeId);
    if (!byCoder) {
      byCoder = new Map();
      byCode.set(c.codeId, byCoder);
    }
    let spans = byCoder.get(c.coderId);
    if (!spans) {
      spans = [];
      byCoder.set(c.coderId, spans);
    }
    spans.push({ start: c.start, end: c.end });
  }
  for (const byCode of grouped.values()) {
    for (const byCoder of byCode.values()) {
      for (const [coderId, spans] of byCoder) byCoder.set(coderId, unionOf(spans));
    }
  }
  return grouped;
}

/**
 * The codes to report on: the ones asked for (checked for empty or repeated ids), or else every code the given
 * coders used, sorted by id so the order does not depend on the order of the codings.
 */
export function codeIdsToReport(
  requested: readonly string[] | undefined,
  codings: readonly Coding[],
  coderIds: ReadonlySet<string>,
): string[] {
  if (requested) {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    requested.forEach((id, i) => {
      if (!isId(id)) errors.push({ field: `codeIds.${i}`, message: `code ${i + 1} in codeIds has no id` });
      else if (seen.has(id))
        errors.push({ field: `codeIds.${i}`, message: `code "${id}" is asked for twice` });
      seen.add(id);
    });
    throwIfAny(errors, 'These codes');
    return [...requested];
  }
  const used = new Set<string>();
  for (const c of codings) if (coderIds.has(c.coderId)) used.add(c.codeId);
  return [...used].sort(compareIds);
}

/** Ids in a stable order that does not depend on the locale. */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
