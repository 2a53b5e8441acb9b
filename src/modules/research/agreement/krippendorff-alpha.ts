import { ValidationError } from '../../../platform/errors.ts';

/*
 * Krippendorff's α for nominal data, from its coincidence-matrix definition (Krippendorff K. Computing
 * Krippendorff's Alpha-Reliability. Departmental Papers (ASC), University of Pennsylvania, 2011):
 *
 * - a unit's values count only when at least two coders gave one (m_u ≥ 2): its values are "pairable";
 * - each unit adds to the coincidence matrix o_ck, for every ordered pair of its values from different coders,
 *   1 / (m_u − 1): o_ck = Σ_u (number of c–k pairs in u) / (m_u − 1), so each pairable value adds 1 in total;
 * - n_c = Σ_k o_ck (row totals), n = Σ_c n_c (the pairable values);
 * - for nominal data the difference is 0 between equal values and 1 otherwise, so
 *   α = 1 − D_o / D_e = 1 − (n − 1) · (n − Σ_c o_cc) / (n² − Σ_c n_c²).
 *
 * α is undefined (null) when fewer than two values are pairable or when every pairable value is the same (D_e = 0:
 * there is no variation to agree about).
 */

export interface AlphaFromCoincidences {
  /** α; null when undefined, with the reason in `alphaNotDefined`. */
  alpha: number | null;
  alphaNotDefined: string | null;
  /** n: the pairable values. */
  pairableValues: number;
  /** D_o = (n − Σ o_cc) / n. */
  observedDisagreement: number | null;
  /** D_e = (n² − Σ n_c²) / (n(n − 1)). */
  expectedDisagreement: number | null;
}

/**
 * Nominal α from a coincidence matrix's diagonal sum and row totals (n_c); `n` is their sum.
 */
export function nominalAlphaFromCoincidences(
  diagonal: number,
  valueTotals: readonly number[],
): AlphaFromCoincidences {
  let n = 0;
  let squares = 0;
  for (const total of valueTotals) {
    n += total;
    squares += total * total;
  }
  if (n < 2) {
    return {
      alpha: null,
      alphaNotDefined: 'Fewer than two values can be paired (no unit was coded by two or more coders).',
      pairableValues: n,
      observedDisagreement: null,
      expectedDisagreement: null,
    };
  }
  const observedDisagreement = (n - diagonal) / n;
  const expectedDisagreement = (n * n - squares) / (n * (n - 1));
  // D_e = 0 exactly when one value holds all n; test that on the totals rather than on a rounded difference.
  if (valueTotals.filter((t) => t > 1e-9).length < 2) {
    return {
      alpha: null,
      alphaNotDefined:
        'Every coder gave the same value to every unit, so there is no variation to agree about.',
      pairableValues: n,
      observedDisagreement,
      expectedDisagreement,
    };
  }
  return {
    alpha: 1 - observedDisagreement / expectedDisagreement,
    alphaNotDefined: null,
    pairableValues: n,
    observedDisagreement,
    expectedDisagreement,
  };
}

export type NominalValue = string | number | boolean;

export interface NominalAlphaResult<V extends NominalValue> extends AlphaFromCoincidences {
  /** The values found, sorted (numbers ascending, then others by their text); they index `coincidences`. */
  values: V[];
  /** o_ck: row and column c follow `values`. */
  coincidences: number[][];
}

const compareValues = (a: NominalValue, b: NominalValue): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Krippendorff's α for nominal data, any number of coders (≥ 2) and values, missing values allowed.
 * `reliabilityData[coder][unit]` is the value that coder gave that unit, or null/undefined when they gave none —
 * Krippendorff's coders × units table.
 */
export function krippendorffAlphaNominal<V extends NominalValue>(
  reliabilityData: ReadonlyArray<ReadonlyArray<V | null | undefined>>,
): NominalAlphaResult<V> {
  if (reliabilityData.length < 2) {
    throw new ValidationError(
      `Krippendorff's α needs the values of two or more coders; ${reliabilityData.length} coder row(s) were given`,
      { field: 'reliabilityData' },
    );
  }
  const unitCount = reliabilityData[0]!.length;
  const valueIndex = new Map<V, number>();
  reliabilityData.forEach((row, coder) => {
    if (row.length !== unitCount) {
      throw new ValidationError(
        `Coder row ${coder + 1} has ${row.length} values but row 1 has ${unitCount}: every coder needs one entry per unit (null when they gave none)`,
        { field: `reliabilityData.${coder}` },
      );
    }
    row.forEach((value, unit) => {
      if (value === null || value === undefined) return;
      if (typeof value === 'number' && Number.isNaN(value)) {
        throw new ValidationError(
          `Coder row ${coder + 1}, unit ${unit + 1} is NaN: write null for a missing value`,
          { field: `reliabilityData.${coder}.${unit}` },
        );
      }
      if (!valueIndex.has(value)) valueIndex.set(value, valueIndex.size);
    });
  });
  const values = [...valueIndex.keys()].sort(compareValues);
  values.forEach((v, i) => {
    valueIndex.set(v, i);
  });
  const coincidences = values.map(() => values.map(() => 0));

  const counts = new Array<number>(values.length).fill(0);
  for (let unit = 0; unit < unitCount; unit++) {
    counts.fill(0);
    let m = 0;
    for (const row of reliabilityData) {
      const value = row[unit];
      if (value === null || value === undefined) continue;
      counts[valueIndex.get(value)!]!++;
      m++;
    }
    if (m < 2) continue;
    // Ordered pairs from different coders: c ≠ k gives counts_c · counts_k pairs, c = k gives counts_c (counts_c − 1).
    for (let c = 0; c < values.length; c++) {
      const countC = counts[c]!;
      if (countC === 0) continue;
      for (let k = 0; k < values.length; k++) {
        const pairs = c === k ? countC * (countC - 1) : countC * counts[k]!;
        if (pairs > 0) coincidences[c]![k]! += pairs / (m - 1);
      }
    }
  }
  const diagonal = coincidences.reduce((sum, row, c) => sum + row[c]!, 0);
  const totals = coincidences.map((row) => row.reduce((sum, o) => sum + o, 0));
  return { ...nominalAlphaFromCoincidences(diagonal, totals), values, coincidences };
}
