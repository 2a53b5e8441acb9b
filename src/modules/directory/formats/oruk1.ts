import { asOrukId, stableUuid } from './ids.ts';

/**
 * Open Referral UK 1.0 → ORUK 3.0. A 1.0 `/services/{id}` body (the LGA/Porism model: `service_at_locations`,
 * `regular_schedules`, `service_taxonomys`, `eligibilitys`…) becomes an object shaped for `service` in ../oruk.ts.
 * The converter moves values to their 3.0 places and reads the few 1.0 conventions 3.0 lacks (weekday, UK country
 * names, dd/MM/yyyy dates); it does not judge values: the import pipeline validates the result with
 * `service.safeParse`, whose reasons name the 3.0 field. What has no safe 3.0 place (holiday schedules, reviews,
 * a non-URL organisation uri) is left out.
 */

export type ConversionResult =
  | { sourceId: string; record: unknown }
  | { sourceId: string | null; reasons: string[] };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An own property only: feeds are untrusted, and `record.constructor` must not read Object's. */
const get = (o: unknown, key: string): unknown => (isObject(o) && Object.hasOwn(o, key) ? o[key] : undefined);
const present = (v: unknown) => v !== undefined && v !== null && v !== '';
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Drops keys whose value is undefined, so records compare and serialise the same however they were built. */
export function compact<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const days = new Map<string, string>([
  ['monday', 'MO'],
  ['mon', 'MO'],
  ['mo', 'MO'],
  ['tuesday', 'TU'],
  ['tue', 'TU'],
  ['tues', 'TU'],
  ['tu', 'TU'],
  ['wednesday', 'WE'],
  ['wed', 'WE'],
  ['weds', 'WE'],
  ['we', 'WE'],
  ['thursday', 'TH'],
  ['thu', 'TH'],
  ['thur', 'TH'],
  ['thurs', 'TH'],
  ['th', 'TH'],
  ['friday', 'FR'],
  ['fri', 'FR'],
  ['fr', 'FR'],
  ['saturday', 'SA'],
  ['sat', 'SA'],
  ['sa', 'SA'],
  ['sunday', 'SU'],
  ['sun', 'SU'],
  ['su', 'SU'],
]);
export const weekdayCodes = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** "Tuesday", "tue", "Tuesdays", "TU" → "TU"; anything else → undefined. */
export function dayCode(word: string): string | undefined {
  const w = word.trim().toLowerCase().replace(/\.$/, '');
  return days.get(w) ?? (w.endsWith('s') ? days.get(w.slice(0, -1)) : undefined);
}

/** HSDS 1.1.1 fixed `weekday` numbers as ISO 8601: 1 = Monday … 7 = Sunday (openreferral/specification#164). */
function weekdayCode(v: unknown): string | undefined {
  if (typeof v === 'number' || (typeof v === 'string' && /^\s*\d+\s*$/.test(v))) {
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 && n <= 7 ? weekdayCodes[n - 1] : undefined;
  }
  return typeof v === 'string' ? dayCode(v) : undefined;
}

/**
 * A time as ORUK 3.0 writes it ("09:30", keeping seconds and a zone when given) from the forms feeds and
 * spreadsheets use: "9:30", "09:30:00", "09.30", "9.30am", "5pm", "1970-01-01T09:30:00". Anything else is returned
 * as it came, for the schema to reject.
 */
export function clockTime(raw: string): string {
  const s = raw.trim().toLowerCase();
  const dateTime = /^\d{4}-\d{2}-\d{2}[t ](.+)$/.exec(s);
  if (dateTime) return clockTime(dateTime[1]!);
  const h24 = /^(\d{1,2})[:.](\d{2})(?::(\d{2}))?(z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (h24) {
    const [, h, m, sec, zone] = h24;
    if (Number(h) > 23 || Number(m) > 59 || Number(sec ?? 0) > 59) return raw;
    return `${h!.padStart(2, '0')}:${m}${sec && sec !== '00' ? `:${sec}` : ''}${zone?.toUpperCase() ?? ''}`;
  }
  const h12 = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)$/.exec(s);
  if (h12) {
    const [, h, m = '00', half] = h12;
    const hour = Number(h);
    if (hour < 1 || hour > 12 || Number(m) > 59) return raw;
    const h24value = (hour % 12) + (half!.startsWith('p') ? 12 : 0);
    return `${String(h24value).padStart(2, '0')}:${m}`;
  }
  if (s === 'noon' || s === 'midday') return '12:00';
  return raw;
}

/**
 * A date as YYYY-MM-DD from "2024-03-14", "2024-03-14T00:00:00Z" or the UK's "14/03/2024" (with or without a time,
 * as the ORUK 1.0 reference API writes assured_date). Anything else is returned as it came, for the schema to
 * reject.
 */
export function isoDate(raw: string): string {
  const s = raw.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$/i.exec(s);
  if (iso) return iso[1]!;
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[T ].*)?$/i.exec(s);
  if (uk) return `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}`;
  return raw;
}

const ukCountryNames = new Set([
  'gb',
  'uk',
  'united kingdom',
  'great britain',
  'britain',
  'england',
  'scotland',
  'wales',
  'northern ireland',
]);

/** ORUK 3.0 wants ISO 3166-1 alpha-2; 1.0 feeds write "England" or "United Kingdom", or nothing (an English feed). */
export function countryCode(v: unknown): unknown {
  if (!present(v)) return 'GB';
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase().replace(/\s+/g, ' ');
  if (ukCountryNames.has(s)) return 'GB';
  return s.length === 2 ? s.toUpperCase() : v;
}

const numeric = /^\s*-?\d+(\.\d+)?\s*$/;
const asNumber = (v: unknown): unknown => (typeof v === 'string' && numeric.test(v) ? Number(v) : v);
/** An optional value: null and "" mean absent in 1.0 feeds. */
const text = (v: unknown): unknown => (v === null || v === '' ? undefined : v);
/** A value 3.0 requires: "" is kept so the schema can say "must not be empty". */
const required = (v: unknown): unknown => (v === null ? undefined : v);
const dateOf = (v: unknown): unknown => (nonEmpty(v) ? isoDate(v) : text(v));
const timeOf = (v: unknown): unknown => (nonEmpty(v) ? clockTime(v) : text(v));
const httpUrl = (v: unknown) =>
  typeof v === 'string' && /^https?:\/\//i.test(v.trim()) ? v.trim() : undefined;

class Conversion {
  readonly reasons: string[] = [];
  constructor(
    readonly source: string,
    readonly serviceKey: string,
  ) {}

  reject(path: string, message: string) {
    this.reasons.push(`${path}: ${message}`);
  }

  list(o: unknown, key: string, path: string): unknown[] {
    const v = get(o, key);
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.reject(path, 'must be a list');
    return [];
  }

  /** The entity's own id kept stable, or (when the feed gives none) one derived from the service and its place. */
  id(entity: string, o: unknown, path: string, place: string): string {
    const raw = get(o, 'id');
    if (typeof raw === 'number' || nonEmpty(raw)) return asOrukId(`${this.source}:${entity}`, raw);
    if (present(raw)) this.reject(`${path}.id`, 'must be text or a number');
    return stableUuid(`${this.source}:${entity}`, `${this.serviceKey}/${place}`);
  }

  /** For things shared between services (taxonomy terms): an id cannot be made up from one service's record. */
  sharedId(entity: string, o: unknown, path: string): string | undefined {
    const raw = get(o, 'id');
    if (typeof raw === 'number' || nonEmpty(raw)) return asOrukId(`${this.source}:${entity}`, raw);
    this.reject(`${path}.id`, present(raw) ? 'must be text or a number' : 'is missing');
    return undefined;
  }

  object(v: unknown, path: string): v is Json {
    if (isObject(v)) return true;
    this.reject(path, 'must be an object');
    return false;
  }
}

function sourceIdOf(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (nonEmpty(v)) return v.trim();
  return undefined;
}

function bydayOf(v: unknown): unknown {
  if (typeof v !== 'string') return text(v);
  if (v.trim() === '') return undefined;
  return v
    .split(',')
    .map((part) => {
      const p = part.trim();
      if (/^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/i.test(p)) return p.toUpperCase();
      return dayCode(p) ?? p;
    })
    .join(',');
}

function schedule(c: Conversion, raw: unknown, path: string, place: string, salId?: string) {
  if (!c.object(raw, path)) return undefined;
  let byday = bydayOf(get(raw, 'byday'));
  const weekday = get(raw, 'weekday');
  if (byday === undefined && present(weekday)) {
    const code = weekdayCode(weekday);
    if (code) byday = code;
    else {
      c.reject(
        `${path}.weekday`,
        `cannot be read as a day of the week: ${JSON.stringify(weekday)} (use Monday…Sunday, or 1–7 with 1 = Monday)`,
      );
    }
  }
  let freq = get(raw, 'freq');
  if (typeof freq === 'string') freq = freq.trim() === '' ? undefined : freq.trim().toUpperCase();
  // A 1.0 schedule naming days but no frequency recurs weekly; an ordinal day ("2TU") only recurs monthly.
  if (!present(freq) && typeof byday === 'string') freq = /\d/.test(byday) ? 'MONTHLY' : 'WEEKLY';
  const salRef = get(raw, 'service_at_location_id') ?? get(get(raw, 'service_at_location'), 'id');
  const bymonthday = get(raw, 'bymonthday');
  return compact({
    id: c.id('schedule', raw, path, place),
    service_at_location_id:
      salId ??
      (typeof salRef === 'number' || nonEmpty(salRef)
        ? asOrukId(`${c.source}:service_at_location`, salRef)
        : undefined),
    valid_from: dateOf(get(raw, 'valid_from')),
    valid_to: dateOf(get(raw, 'valid_to')),
    dtstart: dateOf(get(raw, 'dtstart')),
    freq: text(freq),
    interval: asNumber(text(get(raw, 'interval'))),
    byday,
    bymonthday: typeof bymonthday === 'number' ? String(bymonthday) : text(bymonthday),
    description: text(get(raw, 'description')),
    opens_at: timeOf(get(raw, 'opens_at')),
    closes_at: timeOf(get(raw, 'closes_at')),
  });
}

function taxonomyTerm(c: Conversion, raw: unknown, path: string) {
  if (!c.object(raw, path)) return undefined;
  const id = c.sharedId('taxonomy', raw, path);
  if (!id) return undefined;
  const parent = get(raw, 'parent');
  const parentRaw = isObject(parent) ? get(parent, 'id') : parent;
  const rawId = get(raw, 'id');
  const name = required(get(raw, 'name'));
  return compact({
    id,
    name,
    description: typeof name === 'string' ? name : undefined,
    parent_id:
      typeof parentRaw === 'number' || nonEmpty(parentRaw)
        ? asOrukId(`${c.source}:taxonomy`, parentRaw)
        : undefined,
    taxonomy: text(get(raw, 'vocabulary')),
    code: typeof rawId === 'string' && rawId.trim() !== id ? rawId.trim().slice(0, 200) : undefined,
  });
}

function address(c: Conversion, raw: unknown, path: string, place: string, type: 'physical' | 'postal') {
  if (!c.object(raw, path)) return undefined;
  return compact({
    id: c.id('address', raw, path, place),
    attention: text(get(raw, 'attention')),
    address_1: required(get(raw, 'address_1')),
    address_2: text(get(raw, 'address_2')),
    city: text(get(raw, 'city')),
    region: text(get(raw, 'region')),
    state_province: text(get(raw, 'state_province')),
    postal_code: text(get(raw, 'postal_code')),
    country: countryCode(get(raw, 'country')),
    address_type: type,
  });
}

function location(c: Conversion, raw: unknown, path: string, place: string) {
  if (!c.object(raw, path)) return undefined;
  const physical = c
    .list(raw, 'physical_addresses', `${path}.physical_addresses`)
    .map((a, i) =>
      address(c, a, `${path}.physical_addresses[${i}]`, `${place}/physical_addresses[${i}]`, 'physical'),
    );
  const postal = c
    .list(raw, 'postal_addresses', `${path}.postal_addresses`)
    .map((a, i) =>
      address(c, a, `${path}.postal_addresses[${i}]`, `${place}/postal_addresses[${i}]`, 'postal'),
    );
  const accessibility = c
    .list(raw, 'accessibility_for_disabilities', `${path}.accessibility_for_disabilities`)
    .map((a, i) => {
      const at = `${path}.accessibility_for_disabilities[${i}]`;
      if (!c.object(a, at)) return undefined;
      return compact({
        id: c.id('accessibility', a, at, `${place}/accessibility[${i}]`),
        description: text(get(a, 'accessibility')),
        details: text(get(a, 'details')),
      });
    });
  return compact({
    id: c.id('location', raw, path, place),
    location_type: 'physical',
    name: text(get(raw, 'name')),
    alternate_name: text(get(raw, 'alternate_name')),
    description: text(get(raw, 'description')),
    transportation: text(get(raw, 'transportation')),
    latitude: text(get(raw, 'latitude')),
    longitude: text(get(raw, 'longitude')),
    addresses: [...physical, ...postal].filter(Boolean),
    accessibility: accessibility.filter(Boolean),
  });
}

function serviceAtLocation(c: Conversion, raw: unknown, path: string, place: string) {
  if (!c.object(raw, path)) return undefined;
  const id = c.id('service_at_location', raw, path, place);
  const loc = get(raw, 'location');
  const mapped = present(loc) ? location(c, loc, `${path}.location`, `${place}/location`) : undefined;
  const locationRef = get(raw, 'location_id');
  // The Placecube/Open Objects feeds call the list `regular_schedule`; the 1.0 data package calls it plural.
  const scheduleKey = Object.hasOwn(raw, 'regular_schedules') ? 'regular_schedules' : 'regular_schedule';
  const schedules = c
    .list(raw, scheduleKey, `${path}.${scheduleKey}`)
    .map((s, i) => schedule(c, s, `${path}.${scheduleKey}[${i}]`, `${place}/schedules[${i}]`, id));
  return compact({
    id,
    location_id:
      mapped?.id ??
      (typeof locationRef === 'number' || nonEmpty(locationRef)
        ? asOrukId(`${c.source}:location`, locationRef)
        : undefined),
    description: text(get(raw, 'description')),
    location: mapped,
    schedules: schedules.filter(Boolean),
  });
}

const ageOf = (c: Conversion, v: unknown, path: string): number | undefined => {
  if (!present(v)) return undefined;
  const n = asNumber(v);
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  c.reject(path, `must be a number, not ${JSON.stringify(v)}`);
  return undefined;
};

/**
 * 1.0 gives ages per eligibility row; 3.0 once per service. Rows that give ages are combined into the widest range
 * (so nobody eligible under any row is excluded); a bound is kept only if every such row gives it. A maximum of 0 or
 * of 120 and over is how 1.0 feeds write "no upper limit".
 */
function ages(c: Conversion, rows: unknown[]) {
  const ranges = rows.flatMap((row, i) => {
    if (!isObject(row)) return [];
    const min = ageOf(c, get(row, 'minimum_age'), `eligibilitys[${i}].minimum_age`);
    let max = ageOf(c, get(row, 'maximum_age'), `eligibilitys[${i}].maximum_age`);
    if (max === 0 || (max !== undefined && max >= 120)) max = undefined;
    return min === undefined && max === undefined ? [] : [{ min, max }];
  });
  const mins = ranges.map((r) => r.min);
  const maxes = ranges.map((r) => r.max);
  return {
    minimum_age:
      mins.length && mins.every((m) => m !== undefined) ? Math.min(...(mins as number[])) : undefined,
    maximum_age:
      maxes.length && maxes.every((m) => m !== undefined) ? Math.max(...(maxes as number[])) : undefined,
  };
}

/** One ORUK 1.0 service (as `/services/{id}` returns it) as an ORUK 3.0 service object, or the reasons it cannot be. */
export function fromOruk1(record: unknown, source: string): ConversionResult {
  if (!isObject(record)) {
    return {
      sourceId: null,
      reasons: ['service: must be an object (an ORUK 1.0 service as /services/{id} returns it)'],
    };
  }
  const sourceId = sourceIdOf(get(record, 'id'));
  if (!sourceId) {
    const raw = get(record, 'id');
    return { sourceId: null, reasons: [`id: ${present(raw) ? 'must be text or a number' : 'is missing'}`] };
  }
  const c = new Conversion(source, sourceId);
  const serviceId = asOrukId(`${source}:service`, sourceId);

  const attribute = (kind: string, key: string, term: Json | undefined, linkType?: string) =>
    term
      ? compact({
          id: stableUuid(`${source}:attribute`, `${sourceId}/${kind}/${key}`),
          link_id: serviceId,
          link_entity: 'service',
          link_type: linkType,
          taxonomy_term: term,
        })
      : undefined;

  const attributes: unknown[] = [];
  const seenTerms = new Set<string>();
  // Keyed by the term, not by position, so a feed that reorders its terms keeps its attribute ids.
  const addTerm = (term: Json | undefined, linkType?: string) => {
    const key = `${linkType ?? 'taxonomy'}/${term?.id}`;
    if (!term || seenTerms.has(key)) return;
    seenTerms.add(key);
    attributes.push(attribute(linkType ?? 'taxonomy', String(term.id), term, linkType));
  };
  c.list(record, 'service_taxonomys', 'service_taxonomys').forEach((st, i) => {
    const path = `service_taxonomys[${i}]`;
    if (c.object(st, path)) addTerm(taxonomyTerm(c, get(st, 'taxonomy'), `${path}.taxonomy`));
  });

  const eligibilityRows = c.list(record, 'eligibilitys', 'eligibilitys');
  const eligibilityTexts: string[] = [];
  const seenEligibility = new Set<string>();
  eligibilityRows.forEach((row, i) => {
    const path = `eligibilitys[${i}]`;
    if (!c.object(row, path)) return;
    const keyword = get(row, 'eligibility');
    if (nonEmpty(keyword) && keyword.trim().length > 100) eligibilityTexts.push(keyword.trim());
    else if (nonEmpty(keyword) && !seenEligibility.has(keyword.trim().toLowerCase())) {
      const name = keyword.trim();
      seenEligibility.add(name.toLowerCase());
      attributes.push(
        attribute(
          'eligibility',
          name.toLowerCase(),
          {
            id: stableUuid(`${source}:eligibility`, name.toLowerCase()),
            name,
            description: name,
            taxonomy: 'ORUK 1.0 eligibility',
          },
          'eligibility',
        ),
      );
    } else if (present(keyword) && typeof keyword !== 'string')
      c.reject(`${path}.eligibility`, 'must be text');
    c.list(row, 'taxonomys', `${path}.taxonomys`).forEach((t, j) => {
      addTerm(taxonomyTerm(c, t, `${path}.taxonomys[${j}]`), 'eligibility');
    });
  });
  const { minimum_age, maximum_age } = ages(c, eligibilityRows);

  // 1.0's delivery fields have no 3.0 column; kept as terms so a link worker can still filter on them.
  for (const field of ['attending_type', 'attending_access', 'deliverable_type'] as const) {
    const v = get(record, field);
    if (!nonEmpty(v)) continue;
    const name = v.trim();
    attributes.push(
      attribute(
        field,
        name.toLowerCase(),
        {
          id: stableUuid(`${source}:${field}`, name.toLowerCase()),
          name,
          description: name,
          taxonomy: `ORUK 1.0 ${field}`,
        },
        field,
      ),
    );
  }

  const org = get(record, 'organization');
  let organization: Json | undefined;
  if (present(org) && c.object(org, 'organization')) {
    const orgId = get(org, 'id');
    if (typeof orgId === 'number' || nonEmpty(orgId)) {
      organization = compact({
        id: asOrukId(`${source}:organization`, orgId),
        name: required(get(org, 'name')),
        alternate_name: text(get(org, 'alternate_name')),
        description: text(get(org, 'description')),
        email: text(get(org, 'email')),
        website: text(get(org, 'url')),
        logo: text(get(org, 'logo')),
        uri: httpUrl(get(org, 'uri')),
      });
    } else c.reject('organization.id', present(orgId) ? 'must be text or a number' : 'is missing');
  }

  const serviceAtLocations = c
    .list(record, 'service_at_locations', 'service_at_locations')
    .map((s, i) => serviceAtLocation(c, s, `service_at_locations[${i}]`, `service_at_locations[${i}]`))
    .filter((s) => s !== undefined);
  const atLocations = new Set(serviceAtLocations.flatMap((s) => (s.schedules as Json[]).map((x) => x.id)));
  // Some 1.0 feeds list a location's schedules both on the service and on its service_at_location.
  const schedules = c
    .list(record, 'regular_schedules', 'regular_schedules')
    .map((s, i) => schedule(c, s, `regular_schedules[${i}]`, `schedules[${i}]`))
    .filter((s) => s !== undefined && !atLocations.has(s.id));

  const contacts = c.list(record, 'contacts', 'contacts').map((ct, i) => {
    const path = `contacts[${i}]`;
    if (!c.object(ct, path)) return undefined;
    return compact({
      id: c.id('contact', ct, path, `contacts[${i}]`),
      name: text(get(ct, 'name')),
      title: text(get(ct, 'title')),
      department: text(get(ct, 'department')),
      email: text(get(ct, 'email')),
      phones: c.list(ct, 'phones', `${path}.phones`).map((p, j) => {
        const at = `${path}.phones[${j}]`;
        if (!c.object(p, at)) return undefined;
        const number = get(p, 'number');
        return compact({
          id: c.id('phone', p, at, `contacts[${i}]/phones[${j}]`),
          number: typeof number === 'number' ? String(number) : required(number),
          extension: text(get(p, 'extension')),
          type: text(get(p, 'type')),
          description: text(get(p, 'description')),
        });
      }),
    });
  });

  const costOptions = c.list(record, 'cost_options', 'cost_options').map((co, i) => {
    const path = `cost_options[${i}]`;
    if (!c.object(co, path)) return undefined;
    let amount = get(co, 'amount');
    let amountDescription = text(get(co, 'amount_description'));
    if (typeof amount === 'string') {
      const figure = amount.trim().replace(/^£\s*/, '').replace(/,/g, '');
      if (amount.trim() === '') amount = undefined;
      else if (numeric.test(figure)) amount = Number(figure);
      else if (!present(amountDescription)) {
        // "£5 a session" is a description of the cost, not an amount to be guessed from it.
        amountDescription = amount.trim();
        amount = undefined;
      }
    }
    return compact({
      id: c.id('cost_option', co, path, `cost_options[${i}]`),
      valid_from: dateOf(get(co, 'valid_from')),
      valid_to: dateOf(get(co, 'valid_to')),
      option: text(get(co, 'option')),
      amount: text(amount),
      amount_description: amountDescription,
    });
  });

  const languages = c.list(record, 'languages', 'languages').map((l, i) => {
    const path = `languages[${i}]`;
    if (!c.object(l, path)) return undefined;
    const name = text(get(l, 'language'));
    return compact({
      id: c.id('language', l, path, `languages[${i}]`),
      name,
      code:
        typeof name === 'string' && /^[a-z]{2}$/i.test(name.trim()) ? name.trim().toLowerCase() : undefined,
    });
  });

  const serviceAreas = c.list(record, 'service_areas', 'service_areas').map((a, i) => {
    const path = `service_areas[${i}]`;
    if (!c.object(a, path)) return undefined;
    const extent = text(get(a, 'extent'));
    return compact({
      id: c.id('service_area', a, path, `service_areas[${i}]`),
      name: text(get(a, 'name')),
      service_area: text(get(a, 'service_area')),
      description: text(get(a, 'description')),
      extent,
      // ORUK 1.0 defines extent as GeoJSON.
      extent_type: typeof extent === 'string' && extent.trim().startsWith('{') ? 'geojson' : undefined,
      uri: httpUrl(get(a, 'uri')),
    });
  });

  const funding = c.list(record, 'fundings', 'fundings').map((f, i) => {
    const path = `fundings[${i}]`;
    if (!c.object(f, path)) return undefined;
    return compact({ id: c.id('funding', f, path, `fundings[${i}]`), source: text(get(f, 'source')) });
  });

  if (c.reasons.length > 0) return { sourceId, reasons: c.reasons };
  const assuredDate = get(record, 'assured_date');
  return {
    sourceId,
    record: compact({
      id: serviceId,
      organization_id: organization?.id,
      name: required(get(record, 'name')),
      alternate_name: text(get(record, 'alternate_name')),
      description: text(get(record, 'description')),
      url: text(get(record, 'url')),
      email: text(get(record, 'email')),
      status: text(get(record, 'status')),
      interpretation_services: text(get(record, 'interpretation_services')),
      application_process: text(get(record, 'application_process')),
      fees: text(get(record, 'fees')),
      accreditations: text(get(record, 'accreditations')),
      eligibility_description: eligibilityTexts.length ? eligibilityTexts.join('\n') : undefined,
      minimum_age,
      maximum_age,
      assured_date: dateOf(assuredDate),
      assurer_email: text(get(record, 'assurer_email')),
      organization,
      schedules,
      service_areas: serviceAreas.filter(Boolean),
      service_at_locations: serviceAtLocations,
      languages: languages.filter(Boolean),
      funding: funding.filter(Boolean),
      cost_options: costOptions.filter(Boolean),
      contacts: contacts.filter(Boolean),
      attributes: attributes.filter(Boolean),
    }),
  };
}
