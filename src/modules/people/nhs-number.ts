/**
 * NHS number check digit (NHS Data Dictionary): weights 10..2 over the first nine digits, 11 − (sum mod 11);
 * 11 becomes 0 and 10 means the number is not valid.
 */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** The ten digits without spaces, as stored. */
export const normaliseNhsNumber = (value: string) => value.replace(/[\s-]/g, '');
