/*
 * Cohen's κ and the percentage columns of NVivo's coding comparison, from the four counts of a 2 × 2 table: how
 * much (characters, or units such as speaker turns) two coders A and B both coded, only one coded, or neither coded.
 * Source: NVivo's help, "Run a Coding Comparison query" (how the percentage agreement and the κ coefficient are
 * calculated): agreement = (both + neither) / N, expected agreement = (A·B + (N − A)(N − B)) / N², and
 * κ = (observed − expected) / (1 − expected), which is Cohen's (1960) κ for two coders and two categories.
 */

/** NVivo's percentage columns, 0–100, unrounded (NVivo shows two decimal places). */
export interface AgreementPercentages {
  /** Green "Agreement" column: aAndB + notANotB. */
  agreement: number;
  aAndB: number;
  notANotB: number;
  /** Red "Disagreement" column: aNotB + bNotA = 100 − agreement. */
  disagreement: number;
  aNotB: number;
  bNotA: number;
}

export interface TwoCoderCounts {
  /** How much was compared (N): characters for the character statistics, units for the unit statistics. */
  n: number;
  /** How much coder A coded (A). */
  codedByA: number;
  /** How much coder B coded (B). */
  codedByB: number;
  codedByBoth: number;
}

export interface TwoCoderAgreement extends TwoCoderCounts {
  codedByNeither: number;
  codedByAOnly: number;
  codedByBOnly: number;
  /** Po = (both + neither) / N; null when N = 0. */
  observedAgreement: number | null;
  /** Pe = (A·B + (N − A)(N − B)) / N²; null when N = 0. */
  expectedAgreement: number | null;
  /** κ = (Po − Pe) / (1 − Pe); null when N = 0 or Pe = 1, with the reason in `kappaNotDefined`. */
  kappa: number | null;
  kappaNotDefined: string | null;
  percentages: AgreementPercentages | null;
}

/** Po, Pe, κ and NVivo's percentages from the counts of a 2 × 2 agreement table. */
export function twoCoderAgreement(counts: TwoCoderCounts): TwoCoderAgreement {
  const { n, codedByA, codedByB, codedByBoth } = counts;
  const codedByAOnly = codedByA - codedByBoth;
  const codedByBOnly = codedByB - codedByBoth;
  const codedByNeither = n - codedByA - codedByB + codedByBoth;
  const base = { ...counts, codedByNeither, codedByAOnly, codedByBOnly };
  if (n === 0) {
    return {
      ...base,
      observedAgreement: null,
      expectedAgreement: null,
      kappa: null,
      kappaNotDefined: 'There is nothing to compare here (N = 0).',
      percentages: null,
    };
  }
  // Proportions first: pooled over 100 codes × 200 sources, N² would pass 2^53 and lose integer precision.
  const a = codedByA / n;
  const b = codedByB / n;
  const observedAgreement = (codedByBoth + codedByNeither) / n;
  const expectedAgreement = a * b + (1 - a) * (1 - b);
  // Pe = 1 exactly when both coders coded nothing or both coded everything (ab + (1 − a)(1 − b) = 1 only there);
  // decided on the counts so rounding cannot make a tiny 1 − Pe.
  const nothing = codedByA === 0 && codedByB === 0;
  const everything = codedByA === n && codedByB === n;
  const kappaNotDefined = nothing
    ? 'Neither coder applied this code here, so agreement by chance is certain and κ is undefined (NVivo shows 1).'
    : everything
      ? 'Both coders applied this code to everything here, so agreement by chance is certain and κ is undefined (NVivo shows 1).'
      : null;
  const percent = (count: number) => (100 * count) / n;
  return {
    ...base,
    observedAgreement,
    expectedAgreement,
    kappa: kappaNotDefined ? null : (observedAgreement - expectedAgreement) / (1 - expectedAgreement),
    kappaNotDefined,
    percentages: {
      agreement: percent(codedByBoth + codedByNeither),
      aAndB: percent(codedByBoth),
      notANotB: percent(codedByNeither),
      disagreement: percent(codedByAOnly + codedByBOnly),
      aNotB: percent(codedByAOnly),
      bNotA: percent(codedByBOnly),
    },
  };
}
