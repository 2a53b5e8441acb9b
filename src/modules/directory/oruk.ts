import { z } from 'zod';

/**
 * Open Referral UK 3.0 objects as Linkwork reads them from a feed, a file or the directory editor. Lenient where
 * real feeds are loose (unknown fields are dropped; null or "" in an optional field means absent) and strict
 * where a wrong value would mislead a link worker: ids are UUIDs, coordinates are on the Earth, schedules recur.
 * Field names are the standard's, so a record reads the same here as in the specification.
 */

const absent = (v: unknown) => (v === null || v === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(absent, schema.optional());
const text = (max = 10_000) =>
  z
    .string({ error: 'must be text' })
    .max(max, `must be ${max} characters or fewer`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');
const optText = (max?: number) => opt(text(max).trim());
const uuid = z.uuid({ error: 'must be a UUID (for example 3f7b145d-84af-42d7-8fae-eaca714b02b2)' });
const optUuid = opt(uuid);
const url = z.url({ error: 'must be a web address starting http:// or https://', protocol: /^https?$/ });
const email = z.email({ error: 'must be an email address' });
const isoDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
const number = (what: string) => z.coerce.number({ error: `${what} must be a number` });
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v == null ? [] : v), z.array(item).max(500));

export const taxonomyTerm = z.object({
  id: uuid,
  name: text(500).trim().min(1, 'must not be empty'),
  description: z.preprocess((v) => v ?? '', text(5000)),
  parent_id: optUuid,
  taxonomy: optText(500),
  taxonomy_id: optUuid,
  term_uri: opt(url),
  code: optText(200),
  term: optText(500),
});
export type TaxonomyTerm = z.infer<typeof taxonomyTerm>;

export const taxonomy = z.object({
  id: uuid,
  name: text(500).trim().min(1, 'must not be empty'),
  description: z.preprocess((v) => v ?? '', text(5000)),
  uri: opt(url),
  version: optText(100),
});
export type Taxonomy = z.infer<typeof taxonomy>;

export const attribute = z.object({
  id: uuid,
  link_id: optUuid,
  link_type: optText(200),
  link_entity: optText(200),
  taxonomy_term_id: optUuid,
  value: optText(1000),
  taxonomy_term: opt(taxonomyTerm),
});
export type Attribute = z.infer<typeof attribute>;

const withTerm = <T extends z.ZodType<{ taxonomy_term_id?: string; taxonomy_term?: TaxonomyTerm }>>(s: T) =>
  s.refine((a) => a.taxonomy_term_id || a.taxonomy_term, {
    message: 'names no taxonomy term (taxonomy_term_id or taxonomy_term)',
  });
const attributes = list(withTerm(attribute));

export const phone = z.object({
  id: uuid,
  number: text(100).trim().min(1, 'must not be empty'),
  description: optText(1000),
  extension: opt(number('extension')),
  type: optText(100),
});

export const contact = z.object({
  id: uuid,
  name: optText(500),
  title: optText(500),
  department: optText(500),
  email: opt(email),
  phones: list(phone),
});

export const language = z.object({
  id: uuid,
  name: optText(200),
  code: optText(50),
  note: optText(1000),
});

export const costOption = z.object({
  id: uuid,
  valid_from: opt(isoDate),
  valid_to: opt(isoDate),
  option: optText(1000),
  currency: optText(3),
  amount: opt(number('amount').min(0, 'must not be negative')),
  amount_description: optText(1000),
});

export const funding = z.object({ id: uuid, source: optText(1000) });

export const serviceArea = z.object({
  id: uuid,
  name: optText(1000),
  description: optText(5000),
  extent: optText(100_000),
  extent_type: optText(50),
  uri: opt(url),
  service_area: optText(1000),
});

const weekday = /^(MO|TU|WE|TH|FR|SA|SU)$/;
const monthlyDay = /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/;
const time = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]\d\d:?\d\d)?$/;

export const schedule = z
  .object({
    id: uuid,
    service_at_location_id: optUuid,
    valid_from: opt(isoDate),
    valid_to: opt(isoDate),
    dtstart: opt(isoDate),
    timezone: opt(number('timezone')),
    until: opt(isoDate),
    count: opt(number('count').int().min(1)),
    wkst: optText(2),
    freq: opt(z.enum(['WEEKLY', 'MONTHLY'], { error: 'must be WEEKLY or MONTHLY' })),
    interval: opt(number('interval').int('must be a whole number').min(1, 'must be 1 or more').max(52)),
    byday: opt(text(200).transform((s) => s.replace(/\s/g, '').toUpperCase())),
    bymonthday: optText(200),
    byweekno: optText(200),
    byyearday: optText(200),
    description: optText(2000),
    opens_at: opt(text(20).trim().regex(time, 'must be a time as HH:MM')),
    closes_at: opt(text(20).trim().regex(time, 'must be a time as HH:MM')),
    schedule_link: opt(url),
    attending_type: optText(500),
    notes: optText(2000),
  })
  .superRefine((s, ctx) => {
    if (s.valid_from && s.valid_to && s.valid_to < s.valid_from) {
      ctx.addIssue({ code: 'custom', path: ['valid_to'], message: 'is before valid_from' });
    }
    if (s.byday) {
      const pattern = s.freq === 'MONTHLY' ? monthlyDay : weekday;
      const bad = s.byday.split(',').filter((d) => !pattern.test(d));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['byday'],
          message:
            s.freq === 'MONTHLY'
              ? `has days that cannot recur monthly: ${bad.join(', ')} (use MO…SU, optionally with 1–5 or -1, like 2TU)`
              : `has days that cannot recur weekly: ${bad.join(', ')} (use MO, TU, WE, TH, FR, SA or SU)`,
        });
      }
    }
    if (s.bymonthday) {
      const bad = s.bymonthday.split(',').filter((d) => {
        const n = Number(d);
        return !Number.isInteger(n) || n === 0 || n < -31 || n > 31;
      });
      if (bad.length > 0 || s.freq !== 'MONTHLY') {
        ctx.addIssue({
          code: 'custom',
          path: ['bymonthday'],
          message:
            s.freq !== 'MONTHLY'
              ? 'only recurs with freq MONTHLY'
              : `has days of the month that do not exist: ${bad.join(', ')}`,
        });
      }
    }
    if ((s.byday || s.bymonthday) && !s.freq) {
      ctx.addIssue({ code: 'custom', path: ['freq'], message: 'is needed with byday or bymonthday' });
    }
    if (s.freq && !s.byday && !s.bymonthday) {
      ctx.addIssue({
        code: 'custom',
        path: ['byday'],
        message: `is needed: a ${s.freq.toLowerCase()} schedule must say on which days it recurs`,
      });
    }
    if (s.opens_at && s.closes_at && s.closes_at.slice(0, 5) <= s.opens_at.slice(0, 5)) {
      ctx.addIssue({ code: 'custom', path: ['closes_at'], message: 'must be after opens_at' });
    }
  });
export type Schedule = z.infer<typeof schedule>;

export const address = z.object({
  id: uuid,
  attention: optText(500),
  address_1: text(500).trim().min(1, 'must not be empty'),
  address_2: optText(500),
  city: z.preprocess((v) => v ?? '', text(200).trim()),
  region: optText(200),
  state_province: z.preprocess((v) => v ?? '', text(200).trim()),
  postal_code: z.preprocess((v) => v ?? '', text(20).trim()),
  country: z.preprocess((v) => v ?? 'GB', text(2).trim().toUpperCase()),
  address_type: z.enum(['physical', 'postal', 'virtual'], { error: 'must be physical, postal or virtual' }),
  attributes,
});

export const accessibility = z.object({
  id: uuid,
  description: optText(5000),
  details: optText(5000),
  url: opt(url),
  accessibility: optText(5000),
  attributes,
});

export const location = z
  .object({
    id: uuid,
    location_type: z.preprocess(
      (v) => v ?? 'physical',
      z.enum(['physical', 'postal', 'virtual'], { error: 'must be physical, postal or virtual' }),
    ),
    url: opt(url),
    name: optText(500),
    alternate_name: optText(500),
    description: optText(5000),
    transportation: optText(5000),
    latitude: opt(
      number('latitude').min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90'),
    ),
    longitude: opt(
      number('longitude').min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180'),
    ),
    external_identifier: optText(200),
    external_identifier_type: optText(200),
    addresses: list(address),
    accessibility: list(accessibility),
    attributes,
  })
  .superRefine((l, ctx) => {
    if ((l.latitude === undefined) !== (l.longitude === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [l.latitude === undefined ? 'latitude' : 'longitude'],
        message: 'is missing: give both latitude and longitude, or neither',
      });
    }
    if (l.latitude === 0 && l.longitude === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['latitude'],
        message: 'is 0, 0 (in the Atlantic): the coordinates were probably left blank',
      });
    }
  });
export type Location = z.infer<typeof location>;

export const organizationIdentifier = z.object({
  id: uuid,
  identifier_scheme: optText(200),
  identifier_type: text(200).trim().min(1, 'must not be empty'),
  identifier: text(200).trim().min(1, 'must not be empty'),
});

export const organization = z.object({
  id: uuid,
  name: text(500).trim().min(1, 'must not be empty'),
  alternate_name: optText(500),
  description: z.preprocess((v) => v ?? '', text(10_000)),
  email: opt(email),
  website: opt(url),
  logo: optText(2000),
  uri: opt(url),
  parent_organization_id: optUuid,
  organization_identifiers: list(organizationIdentifier),
  attributes,
});
export type Organization = z.infer<typeof organization>;

export const serviceAtLocation = z.object({
  id: uuid,
  location_id: optUuid,
  description: optText(5000),
  location: opt(location),
  schedules: list(schedule),
  attributes,
});

export const serviceStatuses = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

export const service = z
  .object({
    id: uuid,
    organization_id: optUuid,
    name: text(500).trim().min(1, 'must not be empty'),
    alternate_name: optText(500),
    description: optText(20_000),
    url: opt(url),
    email: opt(email),
    status: z.preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(serviceStatuses, { error: `must be one of ${serviceStatuses.join(', ')}` }),
    ),
    interpretation_services: optText(2000),
    application_process: optText(5000),
    fees_description: optText(2000),
    fees: optText(2000),
    accreditations: optText(2000),
    eligibility_description: optText(5000),
    minimum_age: opt(number('minimum_age').min(0, 'must not be negative').max(150, 'must be 150 or less')),
    maximum_age: opt(number('maximum_age').min(0, 'must not be negative').max(150, 'must be 150 or less')),
    assured_date: opt(isoDate),
    assurer_email: opt(email),
    alert: optText(2000),
    last_modified: opt(z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' })),
    organization: opt(organization),
    schedules: list(schedule),
    service_areas: list(serviceArea),
    service_at_locations: list(serviceAtLocation),
    languages: list(language),
    funding: list(funding),
    cost_options: list(costOption),
    contacts: list(contact),
    phones: list(phone),
    attributes,
  })
  .superRefine((s, ctx) => {
    if (s.minimum_age !== undefined && s.maximum_age !== undefined && s.maximum_age < s.minimum_age) {
      ctx.addIssue({ code: 'custom', path: ['maximum_age'], message: 'is below minimum_age' });
    }
    if (s.organization && s.organization_id && s.organization.id !== s.organization_id) {
      ctx.addIssue({
        code: 'custom',
        path: ['organization_id'],
        message: 'differs from the id of the nested organization',
      });
    }
    // Ids inside one record must be unique: a feed that repeats one would otherwise overwrite itself.
    const seen = new Map<string, string>();
    const note = (id: string, where: string) => {
      const first = seen.get(id);
      if (first && first !== where) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: `uses the id ${id} twice (${first} and ${where})`,
        });
      }
      seen.set(id, where);
    };
    for (const key of [
      'schedules',
      'contacts',
      'cost_options',
      'service_at_locations',
      'attributes',
      'languages',
    ] as const) {
      for (const [i, x] of s[key].entries()) note(x.id, `${key}[${i}]`);
    }
    const locationIds = new Set<string>();
    s.service_at_locations.forEach((sal, i) => {
      const id = sal.location?.id ?? sal.location_id;
      if (!id) {
        ctx.addIssue({
          code: 'custom',
          path: ['service_at_locations', i, 'location_id'],
          message: 'is missing: a service at a location must name its location',
        });
      } else if (sal.location && sal.location_id && sal.location_id !== sal.location.id) {
        ctx.addIssue({
          code: 'custom',
          path: ['service_at_locations', i, 'location_id'],
          message: 'differs from the id of the nested location',
        });
      } else if (locationIds.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['service_at_locations', i, 'location_id'],
          message: 'names a location this service is already at',
        });
      }
      if (id) locationIds.add(id);
    });
  });
export type Service = z.infer<typeof service>;
export type ServiceInput = z.input<typeof service>;

/** A rejected record's reasons, one line each, as "field.path: message". */
export function reasonsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const where = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const field = where.replace(/^\./, '');
    return field ? `${field}: ${i.message}` : i.message;
  });
}
