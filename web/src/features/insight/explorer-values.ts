import { formatDate } from '../../app/format.ts';

/*
 * The explorer keeps its question in the page's address, with the API's own names, so a view can be shared and
 * bookmarked: which outcome, which change window, whose baselines in which period, and which factors. A period
 * chosen from the list travels as `period=<from>|<to>`; one's own dates as `from` and `to`.
 */

/** Where the explorer lives: its question follows in the address. */
export const explorerPath = '/insight/explorer';

export const queryNames = [
  'instrument',
  'measure',
  'comparison',
  'from',
  'to',
  'organisationId',
  'factor',
  'by',
  'reference',
  'byReference',
  'interaction',
] as const;
export type QueryName = (typeof queryNames)[number];
/** What the explorer's API is asked, every value a string as in the address; empty ones left out. */
export type ExplorerQueryValues = Partial<Record<QueryName, string>>;

/** The model's own choices, set in the model's section (a new question above starts them afresh). */
export const modelNames = ['reference', 'byReference', 'interaction'] as const;

export const DEFAULT_COMPARISON = 'follow_up_long';
export const DEFAULT_FACTOR = 'host_model';

export interface PeriodOption {
  value: string;
  label: string;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The same day some years on (29 February becomes the 28th in other years), then some days on. */
function shifted(today: Date, years: number, days = 0): Date {
  const year = today.getUTCFullYear() + years;
  const month = today.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(today.getUTCDate(), lastDay) + days));
}

/**
 * Periods of baselines to choose from, as `from|to`. The first (the default) is the year that ended a year ago:
 * a long-term follow-up comes 9 to 12 months after discharge, so most of those episodes have reached it by now,
 * whereas baselines of the last 12 months mostly have not.
 */
export function periodOptions(today: Date): PeriodOption[] {
  const option = (from: Date, to: Date, label: string) => ({ value: `${iso(from)}|${iso(to)}`, label });
  const yearAgo = shifted(today, -1);
  const options = [
    option(
      shifted(today, -2, 1),
      yearAgo,
      `The year to ${formatDate(iso(yearAgo))} (long enough ago for the 9–12 month follow-ups)`,
    ),
    option(shifted(today, -1, 1), today, 'The last 12 months'),
    option(shifted(today, -2, 1), today, 'The last 2 years'),
  ];
  const thisYearStart = today.getUTCMonth() >= 3 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  for (let start = thisYearStart; start > thisYearStart - 4; start--) {
    options.push({
      value: `${start}-04-01|${start + 1}-03-31`,
      label: `Financial year ${start} to ${start + 1}`,
    });
  }
  return options;
}

export interface AddressValues {
  /** The form's starting values: the address's, or the defaults. */
  form: ExplorerQueryValues & { period: string };
  /** Whether the person chose their own dates rather than a period from the list. */
  ownDates: boolean;
  /** What to ask the API; null until a factor is chosen (the form has not been sent yet). */
  query: ExplorerQueryValues | null;
}

/** Reads the explorer's question from the address, filling in the instrument, change window and period. */
export function valuesFromAddress(
  params: URLSearchParams,
  defaults: { instrument: string | undefined; periods: PeriodOption[] },
): AddressValues {
  const values: ExplorerQueryValues = {};
  for (const name of queryNames) {
    const value = params.get(name)?.trim();
    if (value) values[name] = value;
  }
  if (!values.instrument && defaults.instrument) values.instrument = defaults.instrument;
  if (!values.comparison) values.comparison = DEFAULT_COMPARISON;
  if (values.interaction !== 'true') delete values.interaction;
  const period = params.get('period')?.trim() ?? '';
  const ownDates = !period && !!(values.from || values.to);
  let chosen = '';
  if (period) {
    const [from, to] = period.split('|');
    delete values.from;
    delete values.to;
    if (from) values.from = from;
    if (to) values.to = to;
    chosen = period;
  } else if (!ownDates) {
    chosen = defaults.periods[0]?.value ?? '';
    const [from, to] = chosen.split('|');
    if (from) values.from = from;
    if (to) values.to = to;
  }
  return {
    form: { ...values, period: chosen },
    ownDates,
    query: values.factor && values.instrument ? values : null,
  };
}

/** The address's parameters other than the model's own, to carry through the model's form. */
export function questionWithoutModel(params: URLSearchParams): [string, string][] {
  const model = new Set<string>(modelNames);
  return [...params.entries()].filter(([name, value]) => !model.has(name) && value.trim() !== '');
}
