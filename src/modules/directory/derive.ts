import { createHash } from 'node:crypto';
import type { Location, Schedule, Service } from './oruk.ts';
import {
  type AccessibilityFeature,
  type AttendingType,
  accessibilityFeatures,
  attendingTypes,
  WEEKDAYS,
  type Weekday,
} from './vocabulary.ts';

export {
  type AccessibilityFeature,
  type AttendingType,
  accessibilityFeatures,
  attendingTypes,
  WEEKDAYS,
  type Weekday,
};

/*
 * What search needs, derived from an ORUK record on every write. Pure functions: the same record always gives
 * the same columns, so an import and an edit index a service identically.
 */

const MINUTES_A_DAY = 1440;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * The weeks' minutes a schedule runs, Monday 00:00 = 0. A monthly schedule ("2TU") counts as its weekday: on some
 * Tuesdays it runs, which is what "open on Tuesdays" should find. Times are read as UK local time; an offset
 * suffix is ignored. A schedule without times covers its whole day; one without days says nothing about when.
 */
export function scheduleRanges(s: Schedule): [number, number][] {
  if (!s.byday) return [];
  const open = s.opens_at ? minutesOf(s.opens_at) : 0;
  const close = s.closes_at ? minutesOf(s.closes_at) : MINUTES_A_DAY;
  const days = new Set(s.byday.split(',').map((d) => d.replace(/^[+-]?\d/, '') as Weekday));
  return [...days]
    .map((d) => WEEKDAYS.indexOf(d))
    .filter((i) => i >= 0)
    .map((i) => [i * MINUTES_A_DAY + open, i * MINUTES_A_DAY + Math.max(close, open + 1)]);
}

/** A PostgreSQL int4multirange literal of every range, or null when no schedule says when the service runs. */
export function weeklyHoursLiteral(schedules: readonly Schedule[]): string | null {
  const ranges = schedules.flatMap(scheduleRanges).sort((a, b) => a[0] - b[0]);
  if (ranges.length === 0) return null;
  return `{${ranges.map(([a, b]) => `[${a},${b})`).join(',')}}`;
}

/** The range of the week a "day, from, to" filter asks about. */
export function weekRange(day: Weekday, from?: string, to?: string): [number, number] {
  const base = WEEKDAYS.indexOf(day) * MINUTES_A_DAY;
  const start = from ? minutesOf(from) : 0;
  const end = to ? minutesOf(to) : MINUTES_A_DAY;
  return [base + start, base + Math.max(end, start + 1)];
}

const ATTENDING: [AttendingType, RegExp][] = [
  ['in_person', /in[\s-]?person|face[\s-]to[\s-]face|drop[\s-]?in|venue|attend/i],
  ['online', /online|video|zoom|teams|virtual|remote|web/i],
  ['phone', /phone|telephone|call/i],
];

/** How a person can attend: from the schedules' free-text attending types, else from the kinds of location. */
export function attendingOf(service: Service): AttendingType[] {
  const found = new Set<AttendingType>();
  const schedules = allSchedules(service);
  for (const s of schedules) {
    for (const [type, pattern] of ATTENDING)
      if (s.attending_type && pattern.test(s.attending_type)) found.add(type);
  }
  if (found.size === 0) {
    for (const sal of service.service_at_locations) {
      const type = sal.location?.location_type;
      if (type === 'physical' || (!type && sal.location_id)) found.add('in_person');
      if (type === 'virtual') found.add('online');
    }
  }
  return attendingTypes.filter((t) => found.has(t));
}

export const allSchedules = (service: Service): Schedule[] => [
  ...service.schedules,
  ...service.service_at_locations.flatMap((sal) => sal.schedules),
];

/** Free to the person: a cost option of nothing or called free, or (with no cost options) fees that say free. */
export function isFree(service: Service): boolean {
  if (service.cost_options.length > 0) {
    return service.cost_options.some((c) => c.amount === 0 || /\bfree\b/i.test(c.option ?? ''));
  }
  return /^\s*(free|no charge|none)\b/i.test(service.fees ?? service.fees_description ?? '');
}

export const languagesOf = (service: Service): string[] => [
  ...new Set(
    service.languages.map((l) => (l.name ?? l.code ?? '').trim().toLowerCase()).filter((l) => l.length > 0),
  ),
];

/** Term ids the service is tagged with, directly or at one of its locations. */
export function termIdsOf(service: Service): string[] {
  const ids = [...service.attributes, ...service.service_at_locations.flatMap((sal) => sal.attributes)].map(
    (a) => a.taxonomy_term_id ?? a.taxonomy_term?.id,
  );
  return [...new Set(ids.filter((id): id is string => !!id))];
}

const ACCESS: [AccessibilityFeature, RegExp][] = [
  ['wheelchair', /wheelchair|step[\s-]?free|level access|ramp/i],
  ['hearing_loop', /(hearing|induction)\s+loop/i],
  ['accessible_toilet', /(accessible|disabled|changing places)\s+(toilet|loo|wc)/i],
  ['disabled_parking', /(disabled|blue badge|accessible)\s+(parking|bays?)/i],
  ['bsl', /\bbsl\b|british sign language/i],
];

/** Accessibility features named in a location's accessibility entries (free text in ORUK). */
export function accessibilityOf(location: Location): AccessibilityFeature[] {
  const text = location.accessibility
    .flatMap((a) => [a.accessibility, a.description, a.details])
    .filter(Boolean)
    .join(' \n ');
  return ACCESS.filter(([, pattern]) => pattern.test(text)).map(([f]) => f);
}

export const postcodeOf = (location: Location): string | null => {
  const physical =
    location.addresses.find((a) => a.address_type === 'physical' && a.postal_code) ??
    location.addresses.find((a) => a.postal_code);
  return physical ? physical.postal_code.replace(/\s/g, '').toUpperCase() : null;
};

/** Drops what ORUK says to omit: absent, null and empty optional fields (and empty lists) at every depth. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v) && v.length === 0) continue;
      out[k] = compact(v);
    }
    return out as T;
  }
  return value;
}

/**
 * sha256 of a record's JSON. Records are zod's output (or compacted from it), whose keys come in the schema's
 * order whatever order the feed sent them in, so equal records hash equal.
 */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
