/*
 * How the explorer writes its figures: British number formats with a true minus sign, a plus on increases, CIs as
 * "lower to upper", effect sizes with the words Cohen gave them, p-values as statisticians write them.
 */

/** A number to fixed places, with a minus sign (−) rather than a hyphen; a dash when there is none. */
export function figure(x: number | null | undefined, places = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const text = Math.abs(x).toLocaleString('en-GB', {
    minimumFractionDigits: places,
    maximumFractionDigits: places,
  });
  // A value that rounds to zero is written without a sign.
  const zero = Number(Math.abs(x).toFixed(places)) === 0;
  return x < 0 && !zero ? `−${text}` : text;
}

/** A change: "+1.20", "−0.85", "0.00". */
export function signed(x: number | null | undefined, places = 2): string {
  const text = figure(x, places);
  return x !== null && x !== undefined && x > 0 && text !== figure(0, places) ? `+${text}` : text;
}

/** "−1.60 to −0.40". */
export function interval(ci: { lower: number; upper: number } | null, places = 2): string {
  return ci ? `${figure(ci.lower, places)} to ${figure(ci.upper, places)}` : 'no interval (too few people)';
}

/** Cohen's words for a standardised effect size. */
export function effectWords(es: number | null): string {
  if (es === null) return '';
  const size = Math.abs(es);
  return size >= 0.8 ? 'large' : size >= 0.5 ? 'moderate' : size >= 0.2 ? 'small' : 'negligible';
}

/** "0.03", "0.005", "< 0.001": two places, three below 0.01. */
export function pValue(p: number | null): string {
  if (p === null) return '–';
  if (p < 0.001) return '< 0.001';
  return figure(p, p < 0.01 ? 3 : 2);
}

/** A label inside a sentence, as the API writes them: "Age band" → "age band", "IMD quintile" as it is. */
export const inSentence = (label: string) =>
  /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
