/*
 * The statistics behind the service-level change table: paired change from one timepoint to another, its 95%
 * confidence interval, standardised effect sizes, the share of people who improved, stayed the same or got worse,
 * and the small-number suppression every cell goes through. Pure functions: the database adds up sums and sums of
 * squares (so two million measures never leave it) and this module finishes the arithmetic.
 *
 * Choices, with their sources:
 * - Confidence interval of the mean change: mean ± t(0.975, n − 1) × SD / √n, Student's t, because the changes are
 *   a sample and n is often small. The t quantile is computed here (inverse of the regularised incomplete beta
 *   function, below) rather than taken from a library: the few t libraries on npm are either unmaintained or pull
 *   in hundreds of tiny packages, and the function is short and checked against published tables.
 * - Effect size shown to people: mean change ÷ SD of the baseline scores — the "effect size" of Kazis, Anderson &
 *   Meenan (Med Care 1989;27(3 Suppl):S178–89), the usual one for patient-reported outcome measures, read with
 *   Cohen's 0.2 small, 0.5 moderate, 0.8 large. It does not depend on how well baseline and later scores
 *   correlate, so it compares across services. The API also gives the standardised response mean (mean change ÷
 *   SD of the changes, which is Cohen's d_z) and d_av (mean change ÷ the average of the baseline and later SDs,
 *   Lakens, Front Psychol 2013;4:863), for analysts who want them.
 * - Change is always later minus baseline, in the score's own units; "improved" takes the score's direction
 *   (ONS4 anxiety and loneliness scores are better when lower).
 */

/** Cells (and counts) below this are not shown: too few people to report on, and a risk of identifying them. */
export const MINIMUM_CELL_SIZE = 5;

// ---------------------------------------------------------------------------------------------------------------
// Meaningful change

export interface MeaningfulChange {
  /** The smallest change, in the score's units and in its better direction, that counts as improvement. */
  value: number;
  source: string;
}

/**
 * Published thresholds for a meaningful change in one person's score, by "instrument:score". Only thresholds
 * with a citable source are here; every other score counts any change at all (greater than 0) as improvement or
 * worsening, and the report says that no published threshold exists.
 *
 * - SWEMWBS metric score: 2.87 points, the 2.77 × standard error of measurement threshold for statistically
 *   important individual change in Shah N, Cader M, Andrews WP, Wijesekera D, Stewart-Brown SL. Responsiveness of
 *   the Short Warwick Edinburgh Mental Well-Being Scale (SWEMWBS): evaluation a clinical sample. Health Qual Life
 *   Outcomes 2018;16:239 (doi:10.1186/s12955-018-1060-2). The paper puts individual meaningful change between 1
 *   point (1 SEM) and 3 points; the stricter figure is used so "improved" is not overstated.
 * - ONS4 (each of the four questions), UCLA 3-item loneliness, the ONS direct loneliness question, the SWEMWBS raw
 *   score and single items: no published minimal important change was found, so none is invented.
 */
export const MEANINGFUL_CHANGE: Readonly<Record<string, MeaningfulChange>> = {
  'swemwbs:swemwbs_metric': {
    value: 2.87,
    source:
      'Shah et al. 2018, Health Qual Life Outcomes 16:239: 2.77 × SEM (2.87 points) for important individual change',
  },
};

export function meaningfulChangeFor(instrumentCode: string, scoreCode: string): MeaningfulChange | null {
  return MEANINGFUL_CHANGE[`${instrumentCode}:${scoreCode}`] ?? null;
}

export interface ChangeRule {
  higherIsBetter: boolean;
  /** A published meaningful change; null: any change counts. */
  threshold: number | null;
}

/** One person's change, read in the score's better direction against the threshold (or any change without one). */
export function classifyChange(
  before: number,
  after: number,
  rule: ChangeRule,
): 'improved' | 'same' | 'worse' {
  // Allowing for rounding (22.35 − 19.48 meets a threshold of 2.87), as the database's query does.
  const better = (after - before) * (rule.higherIsBetter ? 1 : -1);
  const threshold = rule.threshold ?? 0;
  if (better > 1e-9 && better >= threshold - 1e-9) return 'improved';
  if (better < -1e-9 && -better >= threshold - 1e-9) return 'worse';
  return 'same';
}

// ---------------------------------------------------------------------------------------------------------------
// Paired change

/** What the database adds up over the pairs of one cell (the same sums `pairedSums` makes from arrays). */
export interface PairedSums {
  n: number;
  sumBefore: number;
  sumBeforeSq: number;
  sumAfter: number;
  sumAfterSq: number;
  sumChange: number;
  sumChangeSq: number;
  improved: number;
  same: number;
  worse: number;
}

export function pairedSums(pairs: readonly (readonly [number, number])[], rule: ChangeRule): PairedSums {
  const s: PairedSums = {
    n: 0,
    sumBefore: 0,
    sumBeforeSq: 0,
    sumAfter: 0,
    sumAfterSq: 0,
    sumChange: 0,
    sumChangeSq: 0,
    improved: 0,
    same: 0,
    worse: 0,
  };
  for (const [before, after] of pairs) {
    const change = after - before;
    s.n += 1;
    s.sumBefore += before;
    s.sumBeforeSq += before * before;
    s.sumAfter += after;
    s.sumAfterSq += after * after;
    s.sumChange += change;
    s.sumChangeSq += change * change;
    s[classifyChange(before, after, rule)] += 1;
  }
  return s;
}

export interface ConfidenceInterval {
  lower: number;
  upper: number;
}

export interface PairedChange {
  n: number;
  meanBefore: number | null;
  meanAfter: number | null;
  meanChange: number | null;
  sdBefore: number | null;
  sdAfter: number | null;
  sdChange: number | null;
  /** 95% CI of the mean change (Student's t, n − 1 degrees of freedom); null below 2 pairs. */
  ci95: ConfidenceInterval | null;
  effectSize: {
    /** Mean change ÷ SD of baseline (Kazis 1989): the one shown. Null when the baseline SD is 0. */
    kazis: number | null;
    /** Standardised response mean: mean change ÷ SD of the changes (Cohen's d_z). Null when that SD is 0. */
    srm: number | null;
    /** Mean change ÷ mean of the baseline and later SDs (Lakens 2013). */
    dAv: number | null;
  };
  improvedPercent: number | null;
  samePercent: number | null;
  worsePercent: number | null;
}

/** Sample standard deviation from a count, sum and sum of squares; 0 when every value is the same. */
function sdFromSums(n: number, sum: number, sumSq: number): number | null {
  if (n < 2) return null;
  const centred = sumSq - (sum * sum) / n;
  // Rounding in sums of squares of non-integers can leave a speck of variance where there is none.
  if (centred <= Math.abs(sumSq) * 1e-12) return 0;
  return Math.sqrt(centred / (n - 1));
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

/** Every statistic of a set of pairs, without suppression (`changeCell` applies it). */
export function pairedChange(s: PairedSums): PairedChange {
  const { n } = s;
  const mean = (sum: number) => (n > 0 ? sum / n : null);
  const meanChange = mean(s.sumChange);
  const sdBefore = sdFromSums(n, s.sumBefore, s.sumBeforeSq);
  const sdAfter = sdFromSums(n, s.sumAfter, s.sumAfterSq);
  const sdChange = sdFromSums(n, s.sumChange, s.sumChangeSq);
  let ci95: ConfidenceInterval | null = null;
  if (meanChange !== null && sdChange !== null) {
    const half = studentTQuantile(0.975, n - 1) * (sdChange / Math.sqrt(n));
    ci95 = { lower: meanChange - half, upper: meanChange + half };
  }
  const percent = (count: number) => (n > 0 ? (100 * count) / n : null);
  return {
    n,
    meanBefore: mean(s.sumBefore),
    meanAfter: mean(s.sumAfter),
    meanChange,
    sdBefore,
    sdAfter,
    sdChange,
    ci95,
    effectSize: {
      kazis: ratio(meanChange, sdBefore),
      srm: ratio(meanChange, sdChange),
      dAv: ratio(meanChange, sdBefore === null || sdAfter === null ? null : (sdBefore + sdAfter) / 2),
    },
    improvedPercent: percent(s.improved),
    samePercent: percent(s.same),
    worsePercent: percent(s.worse),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Suppression

export const SUPPRESSED_TEXT = 'suppressed (n < 5)';

export type ChangeCell =
  | ({ suppressed: false; reason: null } & PairedChange)
  | {
      suppressed: true;
      reason: string;
      /** 0 when there is no paired data at all; null when there is some, but fewer than 5 pairs. */
      n: 0 | null;
      meanBefore: null;
      meanAfter: null;
      meanChange: null;
      sdBefore: null;
      sdAfter: null;
      sdChange: null;
      ci95: null;
      effectSize: { kazis: null; srm: null; dAv: null };
      improvedPercent: null;
      samePercent: null;
      worsePercent: null;
    };

/** The statistics of a cell, or nothing but the reason when it has fewer than 5 pairs. */
export function changeCell(s: PairedSums): ChangeCell {
  if (s.n >= MINIMUM_CELL_SIZE) return { suppressed: false, reason: null, ...pairedChange(s) };
  return s.n === 0
    ? hiddenChangeCell('No one has measures at both timepoints', 0)
    : hiddenChangeCell(`Fewer than ${MINIMUM_CELL_SIZE} people have measures at both timepoints: not shown`);
}

/** A cell shown as its reason only: too few pairs, or hidden to protect another (secondary suppression). */
export function hiddenChangeCell(reason: string, n: 0 | null = null): ChangeCell {
  return {
    suppressed: true,
    reason,
    n,
    meanBefore: null,
    meanAfter: null,
    meanChange: null,
    sdBefore: null,
    sdAfter: null,
    sdChange: null,
    ci95: null,
    effectSize: { kazis: null, srm: null, dAv: null },
    improvedPercent: null,
    samePercent: null,
    worsePercent: null,
  };
}

export interface CountCell {
  /** Null when suppressed. */
  value: number | null;
  suppressed: boolean;
}

/** A count of people: shown when 0 or at least 5; 1 to 4 is suppressed. */
export function countCell(value: number): CountCell {
  return value > 0 && value < MINIMUM_CELL_SIZE
    ? { value: null, suppressed: true }
    : { value, suppressed: false };
}

export type CompletionCell =
  | { suppressed: false; reason: null; reached: number; completed: number; ratePercent: number | null }
  | { suppressed: true; reason: string; reached: null; completed: null; ratePercent: null };

/**
 * How many of the episodes that reached a timepoint have a measure there. Not shown when fewer than 5 reached it,
 * or when the completed or not-completed count is 1 to 4 (either would give away the other).
 */
export function completionCell(reached: number, completed: number): CompletionCell {
  const small = (x: number) => x > 0 && x < MINIMUM_CELL_SIZE;
  if (reached < MINIMUM_CELL_SIZE || small(completed) || small(reached - completed)) {
    return {
      suppressed: true,
      reason:
        reached === 0
          ? 'No episode has reached this timepoint yet'
          : `A count behind this rate is fewer than ${MINIMUM_CELL_SIZE}: not shown`,
      reached: null,
      completed: null,
      ratePercent: null,
    };
  }
  return { suppressed: false, reason: null, reached, completed, ratePercent: (100 * completed) / reached };
}

// ---------------------------------------------------------------------------------------------------------------
// Student's t distribution

// Lanczos approximation (g = 7, n = 9), good to about 15 significant figures for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the incomplete beta function, by the modified Lentz method. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 20_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) return h;
  }
  throw new Error(`incomplete beta did not converge (a=${a}, b=${b}, x=${x})`);
}

/** The regularised incomplete beta function I_x(a, b). */
export function regularisedIncompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The fraction converges fast on this side of the mean; use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for t ≥ 0: half the regularised incomplete beta I_{df/(df+t²)}(df/2, 1/2), without cancellation. */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  // Near the centre (t² small beside df), x = df/(df + t²) is within rounding of 1 and I_x(df/2, ½) would lose the
  // digits that 1 − x carries (~1e-10 of the tail at df 1,475): use I_x(a, b) = 1 − I_{1−x}(b, a), with 1 − x =
  // t²/(df + t²) computed as such.
  if (t2 < df) return 0.5 - 0.5 * regularisedIncompleteBeta(0.5, df / 2, t2 / (df + t2));
  return 0.5 * regularisedIncompleteBeta(df / 2, 0.5, df / (df + t2));
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError('degrees of freedom must be positive');
  if (Number.isNaN(t)) return Number.NaN;
  const tail = upperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

function studentTDensity(t: number, df: number): number {
  return Math.exp(
    logGamma((df + 1) / 2) -
      logGamma(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/**
 * The t with P(T ≤ t) = p for Student's t with `df` degrees of freedom: Newton's method on the upper tail, kept
 * inside a bracket and falling back to bisection, to about 1e-12 relative.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be between 0 and 1');
  if (!(df > 0)) throw new RangeError('degrees of freedom must be positive');
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const q = 1 - p;
  let lo = 0;
  let hi = 1;
  while (upperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Number.POSITIVE_INFINITY;
  }
  let t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = upperTail(t, df) - q;
    if (f === 0) return t;
    // The tail falls as t grows: too much tail means t is too small.
    if (f > 0) lo = t;
    else hi = t;
    let next = t + f / studentTDensity(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-13 * Math.max(1, t)) return next;
    t = next;
  }
  return t;
}
