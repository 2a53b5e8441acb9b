import { withQuery } from '../../app/api.ts';

/*
 * The operational report keeps its question in the page's address with the API's own names (organisationId, from,
 * to), so a report can be shared, bookmarked and downloaded as it is shown. The period list offers whole months:
 * the last 12 and 24 complete months, and financial years (April to March); one's own dates go in from and to.
 */

export const reportPath = '/reports/operational';
export const summaryPath = '/reports/operational/summary';

/** What the report's API is asked, as in the address; empty ones left out. */
export interface ReportQuery {
  organisationId?: string;
  from?: string;
  to?: string;
}

export interface PeriodOption {
  /** `from|to`, or '' for one's own dates. */
  value: string;
  label: string;
}

const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthShort = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** `2026-10` or `2026-10-31` → "October 2026". */
export function monthLabel(month: string): string {
  return monthName.format(new Date(`${month.slice(0, 7)}-01T00:00:00Z`));
}

/** `2026-10` → "Oct 2026", for the many month columns of a wide table. */
export function shortMonthLabel(month: string): string {
  return monthShort.format(new Date(`${month.slice(0, 7)}-01T00:00:00Z`));
}

/** The first day of the month some months on from the month a date is in. */
export function addMonths(date: string, months: number): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** The last day of the month a date is in. */
export function monthEnd(date: string): string {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** Whether a string is a `YYYY-MM` month that exists. */
export function isMonth(value: string | null | undefined): value is string {
  return !!value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/**
 * The periods offered, given the default period (the last 12 complete months, from the API): that, the last 24
 * complete months, the financial year so far (when it has a complete month) and the two before it.
 */
export function periodOptions(defaultPeriod: { from: string; to: string }): PeriodOption[] {
  const { from, to } = defaultPeriod;
  const span = (a: string, b: string) =>
    a.slice(0, 7) === b.slice(0, 7) ? monthLabel(a) : `${monthLabel(a)} to ${monthLabel(b)}`;
  const options: PeriodOption[] = [
    { value: `${from}|${to}`, label: `The last 12 complete months (${span(from, to)})` },
  ];
  const from24 = addMonths(from, -12);
  options.push({ value: `${from24}|${to}`, label: `The last 24 complete months (${span(from24, to)})` });
  const year = Number(to.slice(0, 4));
  const month = Number(to.slice(5, 7));
  // The financial year the last complete month falls in starts in April of this year or the one before.
  const current = month >= 4 ? year : year - 1;
  const yearEnd = `${current + 1}-03-31`;
  if (to < yearEnd) {
    options.push({
      value: `${current}-04-01|${to}`,
      label: `Financial year ${current} to ${current + 1} so far (${span(`${current}-04-01`, to)})`,
    });
  } else {
    options.push({
      value: `${current}-04-01|${yearEnd}`,
      label: `Financial year ${current} to ${current + 1}`,
    });
  }
  for (const start of [current - 1, current - 2]) {
    options.push({
      value: `${start}-04-01|${start + 1}-03-31`,
      label: `Financial year ${start} to ${start + 1}`,
    });
  }
  return options;
}

/** The report's question from the page's address: its own names, empty values left out. */
export function queryFromAddress(params: URLSearchParams): ReportQuery {
  const query: ReportQuery = {};
  for (const key of ['organisationId', 'from', 'to'] as const) {
    const value = params.get(key)?.trim();
    if (value) query[key] = value;
  }
  return query;
}

/**
 * What the form shows for a question: the period chosen from the list when from and to are one of its periods,
 * else one's own dates (the list's last entry, '') with from and to in the boxes; the default when neither is set.
 */
export function periodChoice(
  query: ReportQuery,
  options: PeriodOption[],
): { period: string; ownDates: boolean } {
  if (!query.from && !query.to) return { period: options[0]?.value ?? '', ownDates: false };
  const value = `${query.from ?? ''}|${query.to ?? ''}`;
  if (options.some((o) => o.value === value)) return { period: value, ownDates: false };
  return { period: '', ownDates: true };
}

/** The address the form goes to: a period from the list wins over the boxes, as the form's hint says. */
export function addressFromForm(form: {
  organisationId: string;
  period: string;
  from: string;
  to: string;
}): string {
  const [listFrom, listTo] = form.period ? form.period.split('|') : [form.from.trim(), form.to.trim()];
  return withQuery(reportPath, { organisationId: form.organisationId, from: listFrom, to: listTo });
}

/** The monthly summary of one month for an organisation. */
export function summaryAddress(organisationId: string | undefined, month: string): string {
  return withQuery(summaryPath, { organisationId, month });
}

/** The report's question for one whole month. */
export function monthQuery(organisationId: string | undefined, month: string): ReportQuery {
  const from = `${month}-01`;
  return { ...(organisationId ? { organisationId } : {}), from, to: monthEnd(from) };
}

/** The months on offer for a monthly summary, newest first: the `count` months up to the last complete one. */
export function recentMonths(lastComplete: string, count = 24): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(lastComplete, -i).slice(0, 7));
}
