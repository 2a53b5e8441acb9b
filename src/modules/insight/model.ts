import { ValidationError } from '../../platform/errors.ts';
import { studentTCdf, studentTQuantile } from '../outcomes/stats.ts';

/*
 * The adjusted view of the "what works, for whom" explorer: an ordinary least squares linear model of change on
 * the chosen factors, adjusting for covariates (baseline score, age, sex, IMD), with 95% confidence intervals.
 * Pure arithmetic: the explorer hands over one row per group of episodes alike in everything but age (their means
 * and sums of squares: the fit is that of the episodes, see triangularise) and shows what comes back.
 *
 * Method, and why:
 * - Householder QR of the design matrix, never the normal equations: forming X'X squares the condition number,
 *   and a model with baseline, age and a few dummies is easily ill-conditioned enough for that to cost digits.
 *   Rows are reduced in chunks (the running R stacked on the next chunk), so memory stays O(chunk × p) however
 *   many episodes there are.
 * - Rank: the small triangular factor is then re-factored with R's `lm` pivoting rule (LINPACK dqrdc2, tolerance
 *   1e-7): a column whose norm, after removing the columns before it, is below 1e-7 of its own norm is aliased
 *   and moved to the end. So the later of two collinear columns is reported aliased (estimate null), as `lm` does.
 * - Categorical terms are treatment (dummy) coded against a reference level: the caller's, or the most frequent
 *   level (ties to the first label). Interactions of two categorical terms are products of their dummies.
 * - Complete cases only: a row missing the outcome or any term (null, undefined, NaN, ±Infinity, a blank label)
 *   is dropped and counted. Standard errors from σ²(R'R)⁻¹; t, two-sided p and 95% CIs with Student's t on the
 *   residual degrees of freedom (outcomes/stats.ts).
 *
 * Tested against NIST StRD certified values (Longley, Norris), and on categorical coding, interactions and
 * aliasing against independent computations in model.test.ts.
 */

export type ModelValue = number | string | null | undefined;
export type ModelRow = Readonly<Record<string, ModelValue>>;

export interface NumericTerm {
  kind: 'numeric';
  name: string;
}

export interface CategoricalTerm {
  kind: 'categorical';
  name: string;
  /** The level the others are compared with; default the most frequent (ties to the first label). */
  reference?: string;
}

/** The interaction of two categorical terms, both of which must also be in the model as terms. */
export interface InteractionTerm {
  kind: 'interaction';
  between: readonly [string, string];
  /** Default `a:b`. */
  name?: string;
}

export type ModelTerm = NumericTerm | CategoricalTerm | InteractionTerm;

export interface LinearModelInput {
  rows: readonly ModelRow[];
  /** The column of each row holding the outcome (for the explorer, the change: later score − baseline). */
  outcome: string;
  terms: readonly ModelTerm[];
  /**
   * Rows that each stand for a group of observations (the explorer's, grouped in the database, so that ~65,000
   * episodes arrive as a few thousand rows). `count` names the column holding how many observations the row stands
   * for; the outcome and the numeric term `within.term` hold the group's means, every other term is the same for
   * the whole group; `syy` is Σ(y − ȳ)² of the outcome in the group, and `within.sxx`, `within.sxy` are Σ(x − x̄)²
   * and Σ(x − x̄)(y − ȳ) of that term. The fit is the fit on the observations themselves (see triangularise).
   */
  grouped?: { count: string; syy: string; within?: { term: string; sxx: string; sxy: string } };
}

export const INTERCEPT = '(Intercept)';
export const CONFIDENCE_LEVEL = 0.95;
/** R's `lm` default (lm.fit tol): a column this collinear with those before it is aliased. */
export const ALIAS_TOLERANCE = 1e-7;
/** Residuals this small beside the outcome (root sums of squares) are rounding error: the fit is exact. */
const EXACT_FIT_TOLERANCE = 1e-12;

export interface Coefficient {
  kind: 'intercept' | 'numeric' | 'categorical' | 'interaction';
  term: string;
  /** The level of a categorical term, `a:b` for an interaction; null for the intercept and numeric terms. */
  level: string | null;
  /** For an interaction, the level of each of its two terms. */
  interaction?: readonly [{ term: string; level: string }, { term: string; level: string }];
  /** True when the column is collinear with those before it: it has no estimate. */
  aliased: boolean;
  estimate: number | null;
  standardError: number | null;
  /** Null when aliased, or when the fit is exact (standard error 0). */
  t: number | null;
  pValue: number | null;
  ci95: { lower: number; upper: number } | null;
}

export interface FactorSummary {
  term: string;
  reference: string;
  /** Reference first, then the others by label; only levels with complete rows. */
  levels: { level: string; n: number }[];
}

interface ModelCounts {
  /** Complete rows used. */
  n: number;
  /** Rows dropped for a missing value. */
  dropped: number;
  /** How many rows miss each variable (a row may miss several). */
  missing: Record<string, number>;
  /** Columns of the design, intercept and aliased ones included. */
  parameters: number;
  factors: FactorSummary[];
}

export interface FittedLinearModel extends ModelCounts {
  fitted: true;
  /** Columns with an estimate: parameters minus aliased ones. */
  rank: number;
  residualDf: number;
  coefficients: Coefficient[];
  residualSumOfSquares: number;
  residualStandardError: number;
  /** Null when every outcome is the same. */
  rSquared: number | null;
  adjustedRSquared: number | null;
}

export interface UnfittedLinearModel extends ModelCounts {
  fitted: false;
  code: 'no_complete_rows' | 'too_few_rows' | 'reference_level_absent';
  /** A sentence to show as it is. */
  reason: string;
}

export type LinearModel = FittedLinearModel | UnfittedLinearModel;

// ---------------------------------------------------------------------------------------------------------------
// Reading rows

const labelOrder = new Intl.Collator('en', { numeric: true }).compare;

function numberOf(value: ModelValue, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  // Drivers hand PostgreSQL numeric and bigint over as strings.
  if (value.trim() === '') return null;
  const x = Number(value);
  if (Number.isNaN(x)) throw new ValidationError(`${field} must be a number, not "${value}"`, { field });
  return Number.isFinite(x) ? x : null;
}

function labelOf(value: ModelValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  return value.trim() === '' ? null : value;
}

interface Prepared {
  numeric: NumericTerm[];
  categorical: CategoricalTerm[];
  interactions: { name: string; a: CategoricalTerm; b: CategoricalTerm }[];
}

function prepareTerms(input: LinearModelInput): Prepared {
  const names = new Set<string>([INTERCEPT]);
  const prepared: Prepared = { numeric: [], categorical: [], interactions: [] };
  input.terms.forEach((term, i) => {
    const name = term.kind === 'interaction' ? (term.name ?? term.between.join(':')) : term.name;
    if (names.has(name) || name === input.outcome) {
      throw new ValidationError(`Term "${name}" appears twice or clashes with the outcome`, {
        field: `terms.${i}`,
      });
    }
    names.add(name);
    if (term.kind === 'numeric') prepared.numeric.push(term);
    else if (term.kind === 'categorical') prepared.categorical.push(term);
  });
  input.terms.forEach((term, i) => {
    if (term.kind !== 'interaction') return;
    const [a, b] = term.between.map((name) => prepared.categorical.find((c) => c.name === name));
    if (!a || !b || a === b) {
      throw new ValidationError('An interaction is between two different categorical terms of the model', {
        field: `terms.${i}.between`,
      });
    }
    prepared.interactions.push({ name: term.name ?? term.between.join(':'), a, b });
  });
  return prepared;
}

/**
 * One complete row: its outcome, numeric values and categorical labels, in the order of the prepared terms; and how
 * many observations it stands for, with their spread about it (1 and 0 for an ungrouped row).
 */
interface CompleteRow {
  y: number;
  numbers: number[];
  labels: string[];
  weight: number;
  syy: number;
  sxx: number;
  sxy: number;
}

function completeCases(input: LinearModelInput, terms: Prepared) {
  const missing: Record<string, number> = { [input.outcome]: 0 };
  for (const term of [...terms.numeric, ...terms.categorical]) missing[term.name] = 0;
  const complete: CompleteRow[] = [];
  const grouped = input.grouped;
  if (grouped?.within && !terms.numeric.some((t) => t.name === grouped.within!.term)) {
    throw new ValidationError(
      `The grouped term "${grouped.within.term}" is not a numeric term of the model`,
      {
        field: 'grouped.within.term',
      },
    );
  }
  let total = 0;
  input.rows.forEach((row, i) => {
    let isComplete = true;
    const spread = (column: string | undefined) =>
      column === undefined ? 0 : (numberOf(row[column], `rows.${i}.${column}`) ?? 0);
    const weight = grouped ? spread(grouped.count) : 1;
    if (!Number.isInteger(weight) || weight < 0) {
      throw new ValidationError(`rows.${i}: a group's count must be a whole number`, { field: `rows.${i}` });
    }
    total += weight;
    const note = (name: string, value: unknown) => {
      if (value === null) {
        missing[name]! += weight;
        isComplete = false;
      }
    };
    const y = numberOf(row[input.outcome], `rows.${i}.${input.outcome}`);
    note(input.outcome, y);
    const numbers = terms.numeric.map((t) => {
      const x = numberOf(row[t.name], `rows.${i}.${t.name}`);
      note(t.name, x);
      return x ?? 0;
    });
    const labels = terms.categorical.map((t) => {
      const label = labelOf(row[t.name]);
      note(t.name, label);
      return label ?? '';
    });
    if (isComplete && weight > 0) {
      complete.push({
        y: y!,
        numbers,
        labels,
        weight,
        syy: spread(grouped?.syy),
        sxx: spread(grouped?.within?.sxx),
        sxy: spread(grouped?.within?.sxy),
      });
    }
  });
  return { complete, missing, total };
}

function summariseFactor(
  term: CategoricalTerm,
  labels: { label: string; weight: number }[],
): FactorSummary | { absent: string } {
  const counts = new Map<string, number>();
  for (const { label, weight } of labels) counts.set(label, (counts.get(label) ?? 0) + weight);
  const byLabel = [...counts.keys()].sort(labelOrder);
  let reference = term.reference;
  if (reference === undefined) {
    reference = byLabel.reduce(
      (best, label) => (counts.get(label)! > counts.get(best)! ? label : best),
      byLabel[0]!,
    );
  } else if (!counts.has(reference)) {
    return { absent: reference };
  }
  const levels = [reference, ...byLabel.filter((l) => l !== reference)];
  return { term: term.name, reference, levels: levels.map((level) => ({ level, n: counts.get(level)! })) };
}

// ---------------------------------------------------------------------------------------------------------------
// Design columns

interface Column {
  coefficient: Omit<Coefficient, 'aliased' | 'estimate' | 'standardError' | 't' | 'pValue' | 'ci95'>;
  value: (row: CompleteRow, levelIndex: number[]) => number;
}

function designColumns(terms: Prepared, factors: FactorSummary[]): Column[] {
  const columns: Column[] = [
    { coefficient: { kind: 'intercept', term: INTERCEPT, level: null }, value: () => 1 },
  ];
  terms.numeric.forEach((term, k) => {
    columns.push({
      coefficient: { kind: 'numeric', term: term.name, level: null },
      value: (r) => r.numbers[k]!,
    });
  });
  factors.forEach((factor, f) => {
    factor.levels.forEach(({ level }, index) => {
      if (index === 0) return;
      columns.push({
        coefficient: { kind: 'categorical', term: factor.term, level },
        value: (_, levelIndex) => (levelIndex[f] === index ? 1 : 0),
      });
    });
  });
  for (const { name, a, b } of terms.interactions) {
    const fa = factors.findIndex((f) => f.term === a.name);
    const fb = factors.findIndex((f) => f.term === b.name);
    factors[fa]!.levels.forEach((la, ia) => {
      factors[fb]!.levels.forEach((lb, ib) => {
        if (ia === 0 || ib === 0) return;
        columns.push({
          coefficient: {
            kind: 'interaction',
            term: name,
            level: `${la.level}:${lb.level}`,
            interaction: [
              { term: a.name, level: la.level },
              { term: b.name, level: lb.level },
            ],
          },
          value: (_, levelIndex) => (levelIndex[fa] === ia && levelIndex[fb] === ib ? 1 : 0),
        });
      });
    });
  }
  return columns;
}

// ---------------------------------------------------------------------------------------------------------------
// Householder QR

/**
 * Reflects rows j..rows−1 of column j onto its diagonal (Householder), applying the same reflection to the later
 * columns and to the right-hand side. Columns are stored separately so pivoting can move them.
 */
function reflect(columns: Float64Array[], rhs: Float64Array, j: number, rows: number): void {
  const x = columns[j]!;
  let normSq = 0;
  for (let i = j; i < rows; i++) normSq += x[i]! * x[i]!;
  if (normSq === 0) return;
  const alpha = x[j]! > 0 ? -Math.sqrt(normSq) : Math.sqrt(normSq);
  // v = x − alpha·e_j, kept in x's own storage below the diagonal; v'v = 2(normSq − alpha·x_j).
  const head = x[j]! - alpha;
  const vv = 2 * (normSq - alpha * x[j]!);
  x[j] = head;
  const apply = (c: Float64Array) => {
    let dot = 0;
    for (let i = j; i < rows; i++) dot += x[i]! * c[i]!;
    const scale = (2 * dot) / vv;
    for (let i = j; i < rows; i++) c[i]! -= scale * x[i]!;
  };
  for (let k = j + 1; k < columns.length; k++) apply(columns[k]!);
  apply(rhs);
  x[j] = alpha;
  for (let i = j + 1; i < rows; i++) x[i] = 0;
}

const CHUNK_ROWS = 1024;

/**
 * R (p × p, upper triangular) and Q'y of the design, chunk by chunk, with the sum of squares of the part of y
 * that is already known to lie outside the column space.
 *
 * A grouped row (w observations x_i = (c, t_i) with y_i, all columns c the same, t the one varying numeric term)
 * enters as two rows with the same cross-products: √w·(c, t̄ | ȳ), since Σ x_i x_i' = w·x̄x̄' + Σ(x_i − x̄)(x_i − x̄)',
 * and (0, √sxx | sxy/√sxx) for the spread of t about its mean; what of y that spread cannot reach,
 * syy − sxy²/sxx, is outside every column already. So R, Q'y and the residual sum of squares are those of the
 * observations, and an ungrouped row is the case w = 1.
 */
function triangularise(rows: CompleteRow[], levelIndex: number[][], columns: Column[], spreadColumn: number) {
  const p = columns.length;
  const stack = columns.map(() => new Float64Array(p + CHUNK_ROWS));
  const rhs = new Float64Array(p + CHUNK_ROWS);
  let outsideSumOfSquares = 0;
  let filled = 0;
  const reduce = () => {
    for (let j = 0; j < p; j++) reflect(stack, rhs, j, p + filled);
    for (let i = p; i < p + filled; i++) outsideSumOfSquares += rhs[i]! * rhs[i]!;
    filled = 0;
  };
  rows.forEach((row, r) => {
    if (filled + 2 > CHUNK_ROWS) reduce();
    const scale = Math.sqrt(row.weight);
    for (let k = 0; k < p; k++) stack[k]![p + filled] = scale * columns[k]!.value(row, levelIndex[r]!);
    rhs[p + filled] = scale * row.y;
    filled += 1;
    if (row.sxx > 0 && spreadColumn >= 0) {
      const root = Math.sqrt(row.sxx);
      for (let k = 0; k < p; k++) stack[k]![p + filled] = k === spreadColumn ? root : 0;
      rhs[p + filled] = row.sxy / root;
      filled += 1;
      outsideSumOfSquares += Math.max(0, row.syy - (row.sxy * row.sxy) / row.sxx);
    } else {
      outsideSumOfSquares += row.syy;
    }
  });
  if (filled > 0) reduce();
  return {
    r: stack.map((c) => c.slice(0, p)),
    qty: rhs.slice(0, p),
    outsideSumOfSquares,
  };
}

/**
 * Re-factors R with dqrdc2's limited pivoting: columns keep their order, except that one whose remaining norm is
 * below ALIAS_TOLERANCE of its own norm moves to the end, unused. Returns the order, the rank and the factor.
 */
function pivot(r: Float64Array[], qty: Float64Array) {
  const p = r.length;
  const columns = r.map((c) => c.slice());
  const order = columns.map((_, k) => k);
  const ownNorm = columns.map((c) => Math.hypot(...c));
  let rank = 0;
  let candidates = p;
  while (rank < candidates) {
    const c = columns[rank]!;
    let remainingSq = 0;
    for (let i = rank; i < p; i++) remainingSq += c[i]! * c[i]!;
    if (Math.sqrt(remainingSq) <= ALIAS_TOLERANCE * ownNorm[order[rank]!]!) {
      columns.push(...columns.splice(rank, 1));
      order.push(...order.splice(rank, 1));
      candidates -= 1;
      continue;
    }
    reflect(columns, qty, rank, p);
    rank += 1;
  }
  return { columns, order, rank, qty };
}

// ---------------------------------------------------------------------------------------------------------------
// The model

/** Fits the ordinary least squares model of `outcome` on `terms` (with an intercept) over the complete rows. */
export function fitLinearModel(input: LinearModelInput): LinearModel {
  const terms = prepareTerms(input);
  const { complete, missing, total } = completeCases(input, terms);
  let n = 0;
  for (const row of complete) n += row.weight;
  const dropped = total - n;

  const factors: FactorSummary[] = [];
  if (n === 0) {
    return unfitted(
      { n, dropped, missing, parameters: 0, factors },
      'no_complete_rows',
      'No row has a value for the outcome and every term, so there is nothing to fit',
    );
  }
  for (const [k, term] of terms.categorical.entries()) {
    const summary = summariseFactor(
      term,
      complete.map((r) => ({ label: r.labels[k]!, weight: r.weight })),
    );
    if ('absent' in summary) {
      return unfitted(
        { n, dropped, missing, parameters: 0, factors },
        'reference_level_absent',
        `The reference level "${summary.absent}" of ${term.name} has no complete rows: choose another`,
      );
    }
    factors.push(summary);
  }
  const columns = designColumns(terms, factors);
  const counts: ModelCounts = { n, dropped, missing, parameters: columns.length, factors };

  const indexOfLevel = factors.map((factor) => new Map(factor.levels.map((l, index) => [l.level, index])));
  const levelIndex = complete.map((row) => indexOfLevel.map((index, f) => index.get(row.labels[f]!)!));
  // The design column of the grouped numeric term (after the intercept, the numeric terms in order).
  const within = input.grouped?.within;
  const spreadColumn = within ? 1 + terms.numeric.findIndex((t) => t.name === within.term) : -1;
  const { r, qty, outsideSumOfSquares } = triangularise(complete, levelIndex, columns, spreadColumn);
  const { columns: factored, order, rank, qty: z } = pivot(r, qty);
  const residualDf = n - rank;
  if (residualDf < 1) {
    return unfitted(
      counts,
      'too_few_rows',
      `${n} complete ${n === 1 ? 'row' : 'rows'} for ${rank} parameters to estimate: the model needs at ` +
        `least ${rank + 1} to estimate them and their uncertainty`,
    );
  }

  let residualSumOfSquares = outsideSumOfSquares;
  for (let i = rank; i < z.length; i++) residualSumOfSquares += z[i]! * z[i]!;
  // Residuals at rounding level are an exact fit (lm warns "essentially perfect fit"): no uncertainty to show,
  // rather than t statistics of 1e16 made of rounding error.
  let sumOfSquares = 0;
  for (const row of complete) sumOfSquares += row.weight * row.y * row.y + row.syy;
  if (residualSumOfSquares <= EXACT_FIT_TOLERANCE ** 2 * sumOfSquares) residualSumOfSquares = 0;
  const sigma = Math.sqrt(residualSumOfSquares / residualDf);

  // Back substitution for the estimates; the rows of R⁻¹ give (R'R)⁻¹'s diagonal for the standard errors.
  const at = (i: number, j: number) => factored[j]![i]!;
  const estimate = new Float64Array(rank);
  for (let i = rank - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let j = i + 1; j < rank; j++) s -= at(i, j) * estimate[j]!;
    estimate[i] = s / at(i, i);
  }
  const inverse = Array.from({ length: rank }, () => new Float64Array(rank));
  for (let col = 0; col < rank; col++) {
    for (let i = col; i >= 0; i--) {
      let s = i === col ? 1 : 0;
      for (let j = i + 1; j <= col; j++) s -= at(i, j) * inverse[j]![col]!;
      inverse[i]![col] = s / at(i, i);
    }
  }

  const tCritical = studentTQuantile(1 - (1 - CONFIDENCE_LEVEL) / 2, residualDf);
  const coefficients: Coefficient[] = columns.map((column) => ({
    ...column.coefficient,
    aliased: true,
    estimate: null,
    standardError: null,
    t: null,
    pValue: null,
    ci95: null,
  }));
  for (let i = 0; i < rank; i++) {
    let varianceFactor = 0;
    for (let k = i; k < rank; k++) varianceFactor += inverse[i]![k]! ** 2;
    const b = estimate[i]!;
    const se = sigma * Math.sqrt(varianceFactor);
    const t = se > 0 ? b / se : null;
    coefficients[order[i]!] = {
      ...columns[order[i]!]!.coefficient,
      aliased: false,
      estimate: b,
      standardError: se,
      t,
      pValue: t === null ? null : 2 * studentTCdf(-Math.abs(t), residualDf),
      ci95: { lower: b - tCritical * se, upper: b + tCritical * se },
    };
  }

  let sum = 0;
  for (const row of complete) sum += row.weight * row.y;
  const mean = sum / n;
  let totalSumOfSquares = 0;
  for (const row of complete) totalSumOfSquares += row.syy + row.weight * (row.y - mean) ** 2;
  const rSquared = totalSumOfSquares > 0 ? Math.max(0, 1 - residualSumOfSquares / totalSumOfSquares) : null;

  return {
    fitted: true,
    ...counts,
    rank,
    residualDf,
    coefficients,
    residualSumOfSquares,
    residualStandardError: sigma,
    rSquared,
    adjustedRSquared: rSquared === null ? null : 1 - ((1 - rSquared) * (n - 1)) / residualDf,
  };
}

function unfitted(
  counts: ModelCounts,
  code: UnfittedLinearModel['code'],
  reason: string,
): UnfittedLinearModel {
  return { fitted: false, ...counts, code, reason };
}
