import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { type TimeOfDay, timesOfDay } from './labels.ts';

/**
 * The Find services page keeps its search in its address, with the API's own names, so a search can be shared,
 * bookmarked and gone back to. `referral` says which person it is for; the rest go to the API as they are.
 */
export const searchNames = [
  'q',
  'need',
  'postcode',
  'withinKm',
  'day',
  'from',
  'to',
  'age',
  'free',
  'attending',
  'language',
  'accessibility',
  'includeClosed',
  'page',
] as const;
export type SearchName = (typeof searchNames)[number];
export type SearchValues = Partial<Record<SearchName, string>>;

/** The search in an address, leaving out empty values and anything the search does not know. */
export function searchValuesFrom(params: URLSearchParams): SearchValues {
  const values: SearchValues = {};
  for (const name of searchNames) {
    const value = params.get(name)?.trim();
    if (value) values[name] = value;
  }
  return values;
}

/** Whether anything narrows the search beyond the words typed (the filters panel then starts open). */
export function hasFilters(values: SearchValues): boolean {
  return searchNames.some((name) => name !== 'q' && name !== 'page' && values[name] !== undefined);
}

/** Which choice of time of day the address's from and to amount to. */
export function timeOfDayOf(values: SearchValues): TimeOfDay | 'between' | '' {
  if (!values.from && !values.to) return '';
  const preset = (Object.keys(timesOfDay) as TimeOfDay[]).find(
    (key) => timesOfDay[key].from === values.from && timesOfDay[key].to === values.to,
  );
  return preset ?? 'between';
}

/** Reads the search form into the address's values: several needs as one list, a time of day as from and to. */
export function searchValuesFromForm(form: FormData): SearchValues {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const values: SearchValues = {};
  const set = (name: SearchName, value: string) => {
    if (value) values[name] = value;
  };
  set('q', text('q'));
  set(
    'need',
    form
      .getAll('need')
      .map((value) => String(value).trim())
      .filter(Boolean)
      .join(','),
  );
  set('postcode', text('postcode').toUpperCase());
  // A distance means nothing without a postcode, and the search would say so: leave it out then.
  if (values.postcode) set('withinKm', text('withinKm'));
  set('day', text('day'));
  const time = text('time');
  if (time in timesOfDay) {
    values.from = timesOfDay[time as TimeOfDay].from;
    values.to = timesOfDay[time as TimeOfDay].to;
  } else if (time === 'between') {
    set('from', text('from'));
    set('to', text('to'));
  }
  set('age', text('age'));
  if (form.get('free') === 'true') values.free = 'true';
  set('attending', text('attending'));
  set('language', text('language'));
  set('accessibility', text('accessibility'));
  if (form.get('includeClosed') === 'true') values.includeClosed = 'true';
  return values;
}

/**
 * The needs to look for on someone's behalf: those found in their latest what matters conversation, in the order
 * recorded, or before one, the reasons they were referred for. Only needs the directory knows are kept.
 */
export function needsOfPerson(episode: Episode, knownNeeds: readonly string[]): string[] {
  const latest = episode.whatMatters.reduce<Episode['whatMatters'][number] | null>(
    (found, item) => (found === null || item.version > found.version ? item : found),
    null,
  );
  const codes = latest && latest.needs.length > 0 ? latest.needs.map((need) => need.domain) : episode.reasons;
  const known = new Set(knownNeeds);
  return [...new Set(codes)].filter((code) => known.has(code));
}

/** The search a person's episode starts with: their needs, near where they live. */
export function searchValuesForPerson(episode: Episode, knownNeeds: readonly string[]): SearchValues {
  const values: SearchValues = {};
  const needs = needsOfPerson(episode, knownNeeds);
  if (needs.length > 0) values.need = needs.join(',');
  const postcode = episode.reach.postcode?.trim().toUpperCase();
  if (postcode) values.postcode = postcode;
  return values;
}

/** A full name's possessive: "Olive Thompson’s", "James’". */
export function possessive(name: string): string {
  return name.endsWith('s') ? `${name}’` : `${name}’s`;
}
