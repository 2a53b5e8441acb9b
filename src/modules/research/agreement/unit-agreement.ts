import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import { type TwoCoderAgreement, twoCoderAgreement } from './cohens-kappa.ts';
import {
  type Coding,
  type ComparedSource,
  checkCoderIds,
  checkCodings,
  codeIdsToReport,
  compareIds,
  sourceLengthsOf,
  unionsBySourceAndCode,
} from './input.ts';
import { type AlphaFromCoincidences, nominalAlphaFromCoincidences } from './krippendorff-alpha.ts';
import type { Span } from './spans.ts';

/*
 * Agreement on units — here speaker turns — rather than characters: a coder coded a unit with a code when their
 * codings of that code cover at least one unit of it (or, with `minimumOverlapPercent`, at least that share of
 * it), counting a coder's overlapping codings once. Text outside every turn is not a unit and is ignored.
 *
 * Per code this gives binary data (coded / not coded) for every unit and coder, and from it:
 * - Cohen's κ when exactly two coders are compared, over the units both coders had (see cohens-kappa.ts);
 * - Krippendorff's α for nominal data (two values), any number of coders ≥ 2 (see krippendorff-alpha.ts), over
 *   the units at least two coders had. A coder "had" a unit when they coded its source; a coder who did not code
 *   a source at all is missing there, not "did not apply the code" — by default a coder coded a source when they
 *   have any coding in it, or `assignments` says who coded which source (needed when a coder read a source and
 *   found nothing to code).
 *
 * The coincidences are added up per unit without building a coders × units table: a unit with m coders present,
 * k of whom coded it, adds k(k − 1)/(m − 1) to o(coded, coded), (m − k)(m − k − 1)/(m − 1) to
 * o(not, not) and k(m − k)/(m − 1) to each of o(coded, not) and o(not, coded).
 */

export interface UnitisedSource extends ComparedSource {
  /** The units: speaker turns [start, end), in the codings' unit; non-empty, inside the source, not overlapping. */
  turns: readonly Span[];
}

export interface UnitAgreementInput {
  sources: readonly UnitisedSource[];
  codings: readonly Coding[];
  /** The coders compared (two or more); default: every coder with a coding, by id. */
  coderIds?: readonly string[];
  /** The codes to report on; default: every code the compared coders used, by id. */
  codeIds?: readonly string[];
  /** A unit counts as coded when at least this percentage of it is covered (0 < x ≤ 100); default: any overlap. */
  minimumOverlapPercent?: number;
  /** Who coded which source; default: a coder coded a source when they have at least one coding in it. */
  assignments?: readonly { coderId: string; sourceId: string }[];
}

export interface UnitCoderCounts {
  coderId: string;
  /** Units in the sources this coder coded. */
  unitsSeen: number;
  /** Of those, the units they coded with this code. */
  unitsCoded: number;
}

export interface UnitAlpha extends AlphaFromCoincidences {
  /** The 2 × 2 coincidence matrix: o(not, not), o(not, coded) = o(coded, not), o(coded, coded). */
  coincidences: { notCodedNotCoded: number; notCodedCoded: number; codedCoded: number };
}

export interface UnitCodeAgreement {
  codeId: string;
  /** Units that at least two of the compared coders had (the units α is computed on). */
  unitsCompared: number;
  coders: UnitCoderCounts[];
  /** Cohen's κ over the units both coders had; null when more than two coders are compared. */
  cohensKappa: TwoCoderAgreement | null;
  krippendorffAlpha: UnitAlpha;
}

export interface UnitAgreementResult {
  coderIds: string[];
  minimumOverlapPercent: number | null;
  /** Every unit in the sources given. */
  units: number;
  /** Sources each coder did not code: their values there are missing. */
  missing: { coderId: string; sourceIds: string[] }[];
  codes: UnitCodeAgreement[];
}

function checkTurns(sources: readonly UnitisedSource[]): Map<string, Span[]> {
  const errors: FieldError[] = [];
  const sorted = new Map<string, Span[]>();
  sources.forEach((source, i) => {
    const turns = source.turns;
    const bad = turns.findIndex(
      (t) =>
        !Number.isSafeInteger(t.start) ||
        !Number.isSafeInteger(t.end) ||
        t.start < 0 ||
        t.end <= t.start ||
        t.end > source.length,
    );
    if (bad >= 0) {
      const t = turns[bad]!;
      errors.push({
        field: `sources.${i}.turns.${bad}`,
        message: `turn ${bad + 1} of source "${source.id}" runs from ${String(t.start)} to ${String(t.end)}; a turn is non-empty, in whole numbers, and inside the source (length ${source.length})`,
      });
      return;
    }
    const order = turns.map((t, j) => ({ start: t.start, end: t.end, j })).sort((a, b) => a.start - b.start);
    for (let k = 1; k < order.length; k++) {
      if (order[k]!.start < order[k - 1]!.end) {
        errors.push({
          field: `sources.${i}.turns.${order[k]!.j}`,
          message: `turns ${order[k - 1]!.j + 1} and ${order[k]!.j + 1} of source "${source.id}" overlap; speaker turns must not overlap`,
        });
        return;
      }
    }
    sorted.set(
      source.id,
      order.map(({ start, end }) => ({ start, end })),
    );
  });
  if (errors.length > 0) {
    throw new ValidationError(`These speaker turns cannot be used as units: ${errors[0]!.message}`, errors);
  }
  return sorted;
}

/**
 * The indices of the turns (sorted, disjoint) that a coder's disjoint union covers enough of. Binary search for
 * each span's first turn, so the cost follows the coder's spans, not the number of turns.
 */
function codedTurns(
  union: readonly Span[] | undefined,
  turns: readonly Span[],
  minimumPercent: number | null,
) {
  const covered = new Map<number, number>();
  if (!union) return covered;
  for (const span of union) {
    let lo = 0;
    let hi = turns.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (turns[mid]!.end <= span.start) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < turns.length && turns[j]!.start < span.end; j++) {
      const turn = turns[j]!;
      const overlap = Math.min(turn.end, span.end) - Math.max(turn.start, span.start);
      if (overlap > 0) covered.set(j, (covered.get(j) ?? 0) + overlap);
    }
  }
  if (minimumPercent !== null) {
    for (const [j, length] of covered) {
      const turn = turns[j]!;
      if (length * 100 < minimumPercent * (turn.end - turn.start)) covered.delete(j);
    }
  }
  return covered;
}

/** Cohen's κ (two coders) and Krippendorff's α (two or more) per code, on speaker turns as units. */
export function unitAgreement(input: UnitAgreementInput): UnitAgreementResult {
  const { sources, codings } = input;
  const sourceLengths = sourceLengthsOf(sources);
  checkCodings(codings, sourceLengths);
  const turnsBySource = checkTurns(sources);
  const minimumPercent = input.minimumOverlapPercent ?? null;
  if (minimumPercent !== null && !(minimumPercent > 0 && minimumPercent <= 100)) {
    throw new ValidationError(
      `minimumOverlapPercent is ${String(minimumPercent)}; give a percentage above 0 and at most 100, or leave it out to count any overlap`,
      { field: 'minimumOverlapPercent' },
    );
  }
  const coderIds = input.coderIds
    ? [...input.coderIds]
    : [...new Set(codings.map((c) => c.coderId))].sort(compareIds);
  checkCoderIds(coderIds, 'coderIds');
  if (coderIds.length < 2) {
    throw new ValidationError(
      `Agreement needs two or more coders; ${coderIds.length === 0 ? 'no coder has' : `only coder "${coderIds[0]}" has`} been given or has codings`,
      { field: 'coderIds' },
    );
  }
  const coders = new Set(coderIds);
  const codeIds = codeIdsToReport(input.codeIds, codings, coders);
  const unions = unionsBySourceAndCode(codings, coders);

  // Who coded which source: from `assignments`, or from the codings.
  const codedBy = new Map<string, Set<string>>(sources.map((s) => [s.id, new Set<string>()]));
  if (input.assignments) {
    input.assignments.forEach((a, i) => {
      const set = codedBy.get(a.sourceId);
      if (!set) {
        throw new ValidationError(
          `Assignment ${i + 1} gives coder "${a.coderId}" source "${a.sourceId}", which is not among the sources compared`,
          { field: `assignments.${i}.sourceId` },
        );
      }
      if (coders.has(a.coderId)) set.add(a.coderId);
    });
    codings.forEach((c, i) => {
      if (coders.has(c.coderId) && !codedBy.get(c.sourceId)!.has(c.coderId)) {
        throw new ValidationError(
          `Coding ${i + 1} is by coder "${c.coderId}" on source "${c.sourceId}", but the assignments do not say that coder coded that source`,
          { field: `codings.${i}.coderId` },
        );
      }
    });
  } else {
    for (const c of codings) if (coders.has(c.coderId)) codedBy.get(c.sourceId)!.add(c.coderId);
  }
  const present = new Map(sources.map((s) => [s.id, coderIds.filter((id) => codedBy.get(s.id)!.has(id))]));

  const codes = codeIds.map((codeId): UnitCodeAgreement => {
    let unitsCompared = 0;
    let notNot = 0;
    let notCoded = 0;
    let codedCoded = 0;
    const perCoder = new Map(coderIds.map((id) => [id, { coderId: id, unitsSeen: 0, unitsCoded: 0 }]));
    const kappaCounts = { n: 0, codedByA: 0, codedByB: 0, codedByBoth: 0 };
    for (const source of sources) {
      const turns = turnsBySource.get(source.id)!;
      const seenBy = present.get(source.id)!;
      if (turns.length === 0 || seenBy.length === 0) continue;
      const byCoder = unions.get(source.id)?.get(codeId);
      const coded = seenBy.map((coderId) => codedTurns(byCoder?.get(coderId), turns, minimumPercent));
      seenBy.forEach((coderId, i) => {
        const counts = perCoder.get(coderId)!;
        counts.unitsSeen += turns.length;
        counts.unitsCoded += coded[i]!.size;
      });
      const m = seenBy.length;
      if (m < 2) continue;
      unitsCompared += turns.length;
      const k = new Map<number, number>();
      for (const set of coded) for (const j of set.keys()) k.set(j, (k.get(j) ?? 0) + 1);
      notNot += m * (turns.length - k.size);
      for (const count of k.values()) {
        codedCoded += (count * (count - 1)) / (m - 1);
        notNot += ((m - count) * (m - count - 1)) / (m - 1);
        notCoded += (count * (m - count)) / (m - 1);
      }
      if (coderIds.length === 2) {
        const [a, b] = coded as [Map<number, number>, Map<number, number>];
        kappaCounts.n += turns.length;
        kappaCounts.codedByA += a.size;
        kappaCounts.codedByB += b.size;
        for (const j of a.keys()) if (b.has(j)) kappaCounts.codedByBoth++;
      }
    }
    return {
      codeId,
      unitsCompared,
      coders: [...perCoder.values()],
      cohensKappa: coderIds.length === 2 ? twoCoderAgreement(kappaCounts) : null,
      krippendorffAlpha: {
        ...nominalAlphaFromCoincidences(notNot + codedCoded, [notNot + notCoded, codedCoded + notCoded]),
        coincidences: { notCodedNotCoded: notNot, notCodedCoded: notCoded, codedCoded },
      },
    };
  });

  return {
    coderIds,
    minimumOverlapPercent: minimumPercent,
    units: sources.reduce((sum, s) => sum + turnsBySource.get(s.id)!.length, 0),
    missing: coderIds
      .map((coderId) => ({
        coderId,
        sourceIds: sources.filter((s) => !codedBy.get(s.id)!.has(coderId)).map((s) => s.id),
      }))
      .filter((m) => m.sourceIds.length > 0),
    codes,
  };
}
