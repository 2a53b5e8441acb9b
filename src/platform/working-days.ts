const londonDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (YYYY-MM-DD) of an instant in England, where the service runs. */
export function londonDate(instant: Date): string {
  return londonDay.format(instant);
}

/** The instant a London calendar day (YYYY-MM-DD) begins: midnight GMT, or 23:00 UTC the evening before in BST. */
export function londonMidnight(isoDate: string): Date {
  const utcMidnight = Date.parse(`${isoDate}T00:00:00Z`);
  const bst = new Date(utcMidnight - 3_600_000);
  return londonDate(bst) === isoDate ? bst : new Date(utcMidnight);
}

/** The calendar day after a YYYY-MM-DD date. */
export const nextDay = (isoDate: string) =>
  new Date(Date.parse(`${isoDate}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** A YYYY-MM-DD date some days later (or earlier, for a negative number). */
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A YYYY-MM-DD date some months later: the same day of the month, or the month's last (31 Jan + 1 = 28/29 Feb). */
export const addMonths = (date: string, months: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString().slice(0, 10);
};

const dayNumber = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);

/**
 * Working days (Monday to Friday) after `from` up to and including `to`, by the calendar in England: a referral
 * on Friday first contacted on Monday waited 1 working day. Bank holidays are not taken out.
 */
export function workingDaysBetween(from: Date, to: Date): number {
  const start = dayNumber(londonDate(from));
  const end = dayNumber(londonDate(to));
  if (end <= start) return 0;
  // Day 0 (1970-01-01) was a Thursday: weekday index 0 = Monday … 6 = Sunday.
  const weekday = (n: number) => (((n + 3) % 7) + 7) % 7;
  const total = end - start;
  let count = Math.floor(total / 7) * 5;
  for (let n = start + Math.floor(total / 7) * 7 + 1; n <= end; n++) if (weekday(n) < 5) count++;
  return count;
}
