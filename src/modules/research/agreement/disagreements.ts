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
import { differenceOf, type Span } from './spans.ts';

export interface DisagreementsInput {
  sources: readonly ComparedSource[];
  codings: readonly Coding[];
  coderA: string;
  coderB: string;
  /** The codes to list; default: every code A or B used. */
  codeIds?: readonly string[];
}

/** A stretch of a source that one coder coded with a code and the other did not. */
export interface CodingDisagreement {
  sourceId: string;
  codeId: string;
  start: number;
  end: number;
  /** The coder who applied the code here. */
  codedBy: string;
  /** The coder who did not. */
  notCodedBy: string;
}

/**
 * Every stretch where exactly one of two coders applied a code, per code × source, as maximal spans (a coder's
 * overlapping or touching codings merged first), sorted by source (in the order given), then start, end, code id
 * and coder A before coder B: the list two coders go through side by side to talk over their differences.
 */
export function disagreements(input: DisagreementsInput): CodingDisagreement[] {
  const { sources, codings, coderA, coderB } = input;
  checkCoderIds([coderA, coderB], 'coders');
  checkCodings(codings, sourceLengthsOf(sources));
  const coders = new Set([coderA, coderB]);
  const codeIds = codeIdsToReport(input.codeIds, codings, coders);
  const unions = unionsBySourceAndCode(codings, coders);
  const none: Span[] = [];

  const result: CodingDisagreement[] = [];
  for (const source of sources) {
    const byCode = unions.get(source.id);
    if (!byCode) continue;
    const inSource: CodingDisagreement[] = [];
    for (const codeId of codeIds) {
      const byCoder = byCode.get(codeId);
      if (!byCoder) continue;
      const a = byCoder.get(coderA) ?? none;
      const b = byCoder.get(coderB) ?? none;
      for (const span of differenceOf(a, b)) {
        inSource.push({ sourceId: source.id, codeId, ...span, codedBy: coderA, notCodedBy: coderB });
      }
      for (const span of differenceOf(b, a)) {
        inSource.push({ sourceId: source.id, codeId, ...span, codedBy: coderB, notCodedBy: coderA });
      }
    }
    inSource.sort(
      (x, y) =>
        x.start - y.start ||
        x.end - y.end ||
        compareIds(x.codeId, y.codeId) ||
        (x.codedBy === coderA ? 0 : 1) - (y.codedBy === coderA ? 0 : 1),
    );
    for (const d of inSource) result.push(d);
  }
  return result;
}
