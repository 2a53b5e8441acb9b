import { type TwoCoderAgreement, twoCoderAgreement } from './cohens-kappa.ts';
import {
  type Coding,
  type ComparedSource,
  checkCoderIds,
  checkCodings,
  codeIdsToReport,
  sourceLengthsOf,
  unionsBySourceAndCode,
} from './input.ts';
import { lengthOf, overlapLength, type Span, unionOf } from './spans.ts';

/*
 * Character-level agreement between two coders, code by code, as NVivo's coding comparison query computes it, so
 * figures can be set beside NVivo's: for each code × source, every character is coded by A or not and by B or not
 * (a coder's overlapping codings of the code count once), giving N, A, B, both and neither; then Po, Pe, κ and
 * NVivo's percentage columns (see cohens-kappa.ts).
 *
 * Summaries:
 * - per code, `pooled`: the counts of all sources added up, then Po, Pe and κ from the sums (one 2 × 2 table);
 * - per code and overall, `sourceWeighted`: NVivo's way of summarising. NVivo reports only code × source cells and
 *   its help suggests averaging them in a spreadsheet weighted by source size; here that average is taken over the
 *   code's cells (per code) or every code × source cell (overall), each weighted by its source's length — always
 *   the source's length, also with `excludeUncoded`. Cells where κ is undefined (neither coder applied the code
 *   in that source) are left out of the κ average, and `kappaAsNvivo` gives the average with them counted as 1,
 *   as NVivo shows them: many such cells make that figure look better than the coding is;
 * - overall, `pooled`: the counts of every code × source cell added up into one table (N is then the characters
 *   compared times the number of codes).
 */

export interface CharacterKappaInput {
  sources: readonly ComparedSource[];
  codings: readonly Coding[];
  coderA: string;
  coderB: string;
  /** The codes to report on, in this order (codes nobody used included); default: every code A or B used, by id. */
  codeIds?: readonly string[];
  /**
   * Count only characters that A or B coded with any code at all in that source (any code in `codings`, not only
   * those in `codeIds`, so a code's figures do not depend on which other codes are asked for). Stretches neither
   * coder touched — greetings, consent, small talk — then no longer count as agreement on every code, which is
   * what inflates NVivo's percentage agreement and, less so, κ. N becomes the length of the union of both coders'
   * codings in the source, and a source neither coded at all drops out (N = 0). Default false: every character of
   * the source counts, as in NVivo.
   */
  excludeUncoded?: boolean;
}

export interface SourceCharacterAgreement extends TwoCoderAgreement {
  sourceId: string;
  sourceLength: number;
}

/** A weighted average of code × source cells, each weighted by its source's length (NVivo's suggestion). */
export interface SourceWeightedAverage {
  /** Average κ over the cells where κ is defined; null when there are none. */
  kappa: number | null;
  /** Average κ with the cells where κ is undefined counted as 1, as NVivo shows them; null when no cells. */
  kappaAsNvivo: number | null;
  /** Average percentage agreement (0–100) over the cells with N > 0; null when there are none. */
  agreementPercentage: number | null;
  /** 100 − agreementPercentage. */
  disagreementPercentage: number | null;
  /** Cells averaged: those with N > 0 in a source of length > 0. */
  cells: number;
  /** Of those, the cells whose κ is undefined (Pe = 1), left out of `kappa`. */
  cellsWithoutKappa: number;
}

export interface CodeCharacterAgreement {
  codeId: string;
  /** All sources' counts added up, and the statistics of the sums. */
  pooled: TwoCoderAgreement;
  sourceWeighted: SourceWeightedAverage;
  /** One cell per source, in the order the sources were given. */
  sources: SourceCharacterAgreement[];
}

export interface CharacterKappaResult {
  coderA: string;
  coderB: string;
  excludeUncoded: boolean;
  codes: CodeCharacterAgreement[];
  overall: {
    /** Every code × source cell, weighted by source length: the overall figure NVivo users compute. */
    sourceWeighted: SourceWeightedAverage;
    /** Every code × source cell's counts added up into one table. */
    pooled: TwoCoderAgreement;
  };
}

const NO_SPANS: Span[] = [];

class WeightedAverager {
  private weight = 0;
  private kappaWeight = 0;
  private kappaSum = 0;
  private nvivoKappaSum = 0;
  private agreementSum = 0;
  private cells = 0;
  private cellsWithoutKappa = 0;

  add(cell: SourceCharacterAgreement): void {
    const w = cell.sourceLength;
    if (w === 0 || cell.n === 0) return;
    this.cells++;
    this.weight += w;
    this.agreementSum += w * cell.percentages!.agreement;
    if (cell.kappa === null) {
      this.cellsWithoutKappa++;
      this.nvivoKappaSum += w;
    } else {
      this.kappaWeight += w;
      this.kappaSum += w * cell.kappa;
      this.nvivoKappaSum += w * cell.kappa;
    }
  }

  result(): SourceWeightedAverage {
    const agreement = this.weight > 0 ? this.agreementSum / this.weight : null;
    return {
      kappa: this.kappaWeight > 0 ? this.kappaSum / this.kappaWeight : null,
      kappaAsNvivo: this.weight > 0 ? this.nvivoKappaSum / this.weight : null,
      agreementPercentage: agreement,
      disagreementPercentage: agreement === null ? null : 100 - agreement,
      cells: this.cells,
      cellsWithoutKappa: this.cellsWithoutKappa,
    };
  }
}

/** Character-level Cohen's κ and percentage agreement of two coders, per code × source, per code and overall. */
export function characterKappa(input: CharacterKappaInput): CharacterKappaResult {
  const { sources, codings, coderA, coderB } = input;
  const excludeUncoded = input.excludeUncoded ?? false;
  checkCoderIds([coderA, coderB], 'coders');
  const sourceLengths = sourceLengthsOf(sources);
  checkCodings(codings, sourceLengths);
  const coders = new Set([coderA, coderB]);
  const codeIds = codeIdsToReport(input.codeIds, codings, coders);
  const unions = unionsBySourceAndCode(codings, coders);

  // With excludeUncoded, N for every code in a source is the length of everything either coder coded there.
  const comparedLength = new Map<string, number>();
  for (const source of sources) {
    if (!excludeUncoded) {
      comparedLength.set(source.id, source.length);
      continue;
    }
    const spans: Span[] = [];
    for (const byCoder of unions.get(source.id)?.values() ?? []) {
      for (const union of byCoder.values()) spans.push(...union);
    }
    comparedLength.set(source.id, lengthOf(unionOf(spans)));
  }

  const overallWeighted = new WeightedAverager();
  const overallCounts = { n: 0, codedByA: 0, codedByB: 0, codedByBoth: 0 };
  const codes = codeIds.map((codeId): CodeCharacterAgreement => {
    const codeWeighted = new WeightedAverager();
    const codeCounts = { n: 0, codedByA: 0, codedByB: 0, codedByBoth: 0 };
    const cells = sources.map((source): SourceCharacterAgreement => {
      const byCoder = unions.get(source.id)?.get(codeId);
      const a = byCoder?.get(coderA) ?? NO_SPANS;
      const b = byCoder?.get(coderB) ?? NO_SPANS;
      const counts = {
        n: comparedLength.get(source.id)!,
        codedByA: lengthOf(a),
        codedByB: lengthOf(b),
        codedByBoth: a.length > 0 && b.length > 0 ? overlapLength(a, b) : 0,
      };
      for (const key of ['n', 'codedByA', 'codedByB', 'codedByBoth'] as const) {
        codeCounts[key] += counts[key];
        overallCounts[key] += counts[key];
      }
      const cell = { sourceId: source.id, sourceLength: source.length, ...twoCoderAgreement(counts) };
      codeWeighted.add(cell);
      overallWeighted.add(cell);
      return cell;
    });
    return {
      codeId,
      pooled: twoCoderAgreement(codeCounts),
      sourceWeighted: codeWeighted.result(),
      sources: cells,
    };
  });

  return {
    coderA,
    coderB,
    excludeUncoded,
    codes,
    overall: { sourceWeighted: overallWeighted.result(), pooled: twoCoderAgreement(overallCounts) },
  };
}
