import { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import { z } from 'zod';
import { asOrukId, stableUuid } from './ids.ts';
import { type ConversionResult, clockTime, compact, dayCode, isoDate, weekdayCodes } from './oruk1.ts';

/**
 * Spreadsheets of services (one row per service) → ORUK 3.0 service objects shaped for `service` in ../oruk.ts.
 * A column mapping names which header holds each of our fields. Values are moved and read (days, times, dates,
 * yes/no), not judged: the import pipeline validates the result with `service.safeParse`. Every nested id is a
 * stable UUID from the source, the row's own id and the role, so importing the same row again gives the same ids.
 */

export const csvFields = [
  'id',
  'name',
  'alternate_name',
  'description',
  'organisation_name',
  'organisation_id',
  'url',
  'email',
  'phone',
  'status',
  'fees',
  'free',
  'minimum_age',
  'maximum_age',
  'eligibility',
  'application_process',
  'address_1',
  'address_2',
  'city',
  'county',
  'postcode',
  'latitude',
  'longitude',
  'location_name',
  'days',
  'opens_at',
  'closes_at',
  'frequency',
  'attending',
  'taxonomy_terms',
  'languages',
  'accessibility',
  'assured_date',
  'assurer_email',
] as const;
export type CsvField = (typeof csvFields)[number];

/** Our field → the spreadsheet's column header. */
export type CsvMapping = Partial<Record<CsvField, string>>;

export const defaultCsvMapping: CsvMapping = Object.fromEntries(csvFields.map((f) => [f, f]));

const header = z
  .string({ error: 'must be a column header (text)' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be 200 characters or fewer');

export const csvMapping = z.strictObject(
  Object.fromEntries(csvFields.map((f) => [f, header.optional()])) as Record<
    CsvField,
    z.ZodOptional<typeof header>
  >,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `names fields Linkwork does not have: ${issue.keys.join(', ')} (the fields are ${csvFields.join(', ')})`
        : issue.code === 'invalid_type'
          ? 'must be an object of field name to column header'
          : undefined,
  },
);

/** A column mapping from JSON (a saved import setting), or the reasons it is not one. */
export function parseCsvMapping(json: unknown): { mapping: CsvMapping } | { reasons: string[] } {
  const parsed = csvMapping.safeParse(json);
  if (parsed.success) return { mapping: parsed.data };
  return {
    reasons: parsed.error.issues.map((i) => {
      const field = i.path.map(String).join('.');
      return field ? `${field}: ${i.message}` : `mapping: ${i.message}`;
    }),
  };
}

const ordinals = new Map<string, string>([
  ['1st', '1'],
  ['first', '1'],
  ['2nd', '2'],
  ['second', '2'],
  ['3rd', '3'],
  ['third', '3'],
  ['4th', '4'],
  ['fourth', '4'],
  ['5th', '5'],
  ['fifth', '5'],
  ['last', '-1'],
]);

type Days = { byday: string; ordinal: boolean } | { unreadable: string[] };

/**
 * "Tue, Thu", "Tuesdays and Thursdays", "MO,TH", "Mon-Fri", "Monday to Friday", "weekdays", "every day",
 * "2nd Tuesday", "1st and 3rd Wednesday", "last Friday" → RRULE BYDAY ("TU,TH", "2TU", "1WE,3WE", "-1FR").
 */
export function readDays(raw: string): Days {
  const s = raw
    .toLowerCase()
    .replace(/\b(every|each|on|of|the|month|week|only)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^(daily|day|days|7 days|seven days|all week)$/.test(s))
    return { byday: weekdayCodes.join(','), ordinal: false };
  const codes: string[] = [];
  const unreadable: string[] = [];
  let pending: string[] = [];
  // A dash between words is a range ("Mon-Fri"); one before a digit is part of a code ("-1FR").
  const tokens = s
    .replace(/([a-z.])\s*[-–—]\s*(?=[a-z])/g, '$1 - ')
    .replace(/\s+(?:to|until|through|thru)\s+/g, ' - ')
    .split(/\s*(?:,|;|\/|&|\+|\band\b|\bor\b|\s)\s*/)
    .filter((t) => t !== '');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '-') {
      const from = codes.at(-1);
      const to = tokens[i + 1] ? dayCode(tokens[i + 1]!) : undefined;
      if (!from || !to || pending.length > 0 || /\d/.test(from))
        unreadable.push(`${from ?? ''}-${tokens[i + 1] ?? ''}`);
      else {
        const a = weekdayCodes.indexOf(from as (typeof weekdayCodes)[number]);
        const b = weekdayCodes.indexOf(to as (typeof weekdayCodes)[number]);
        if (b <= a) unreadable.push(`${tokens[i - 1]}-${tokens[i + 1]}`);
        else codes.push(...weekdayCodes.slice(a + 1, b + 1));
      }
      i++;
      continue;
    }
    if (t === 'weekdays' || t === 'weekday') {
      codes.push('MO', 'TU', 'WE', 'TH', 'FR');
      continue;
    }
    if (t === 'weekends' || t === 'weekend') {
      codes.push('SA', 'SU');
      continue;
    }
    const ordinal = ordinals.get(t);
    if (ordinal) {
      pending.push(ordinal);
      continue;
    }
    const coded = /^([+-]?[1-5])(mo|tu|we|th|fr|sa|su)$/.exec(t);
    if (coded) {
      codes.push(`${coded[1]}${coded[2]!.toUpperCase()}`);
      continue;
    }
    const day = dayCode(t);
    if (day) {
      if (pending.length > 0) codes.push(...pending.map((n) => `${n}${day}`));
      else codes.push(day);
      pending = [];
      continue;
    }
    unreadable.push(t);
  }
  if (pending.length > 0) unreadable.push(`${pending.join(', ')} (which day?)`);
  if (unreadable.length > 0 || codes.length === 0)
    return { unreadable: unreadable.length ? unreadable : [raw] };
  const unique = [...new Set(codes)];
  return { byday: unique.join(','), ordinal: unique.some((c) => /\d/.test(c)) };
}

const attendingKinds: [RegExp, string][] = [
  [/^(in person|in-person|face to face|face-to-face|venue|drop in|drop-in|at a venue)$/, 'In person'],
  [/^(online|virtual|video|video call|remote|remotely|zoom|teams|web|website)$/, 'Online'],
  [/^(phone|telephone|by phone|by telephone|phone call|over the phone)$/, 'By phone'],
  [/^(home visit|home visits|at home)$/, 'Home visit'],
];

function readAttending(raw: string): { kinds: string[] } | { unreadable: string[] } {
  const kinds: string[] = [];
  const unreadable: string[] = [];
  for (const part of raw
    .toLowerCase()
    .split(/\s*(?:,|;|\/|&|\+|\band\b|\bor\b)\s*/)
    .filter((p) => p !== '')) {
    const kind = attendingKinds.find(([re]) => re.test(part.trim()))?.[1];
    if (kind) kinds.includes(kind) || kinds.push(kind);
    else unreadable.push(part.trim());
  }
  return unreadable.length ? { unreadable } : { kinds };
}

/** A plain number in a cell becomes one; anything else is left as written, for the schema to refuse. */
const numberOf = (v: string | undefined) => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

const yes = new Set(['yes', 'y', 'true', '1', 'free']);
const no = new Set(['no', 'n', 'false', '0']);

/**
 * One spreadsheet row as an ORUK 3.0 service object, or the reasons it cannot be. `line` is the row's first line
 * in the file, used to point at a row that has no id.
 */
export function fromCsvRow(
  row: Record<string, string>,
  mapping: CsvMapping,
  source: string,
  line: number,
): ConversionResult {
  // Headers are matched exactly first, then ignoring case and surrounding spaces (spreadsheets drift).
  const loose = new Map<string, string>();
  for (const key of Object.keys(row)) {
    const k = key.trim().toLowerCase();
    if (!loose.has(k)) loose.set(k, key);
  }
  const column = (field: CsvField) => mapping[field];
  const value = (field: CsvField): string | undefined => {
    const col = column(field);
    if (col === undefined) return undefined;
    const key = Object.hasOwn(row, col) ? col : loose.get(col.trim().toLowerCase());
    const v = key === undefined ? undefined : row[key];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const where = (field: CsvField) => `${field} (column "${column(field)}")`;

  const sourceId = value('id');
  if (!sourceId) {
    return {
      sourceId: null,
      reasons: [
        column('id') === undefined
          ? 'id: the column mapping names no column for id: every service needs its own reference'
          : `${where('id')}: is missing on line ${line}: every service needs its own reference`,
      ],
    };
  }
  const reasons: string[] = [];
  const ns = (role: string) => `${source}:${role}`;
  const own = (role: string, suffix = '') => stableUuid(ns(role), `${sourceId}${suffix}`);
  const serviceId = asOrukId(ns('service'), sourceId);

  const orgName = value('organisation_name');
  const orgSourceId = value('organisation_id');
  // Rows that name the same organisation share it; a name alone keys it, so it is not duplicated per row.
  const organizationId = orgSourceId
    ? asOrukId(ns('organization'), orgSourceId)
    : orgName
      ? stableUuid(ns('organization'), `name:${orgName.toLowerCase().replace(/\s+/g, ' ')}`)
      : undefined;

  const attributes: Record<string, unknown>[] = [];
  const seenTerms = new Set<string>();
  for (const name of (value('taxonomy_terms') ?? '').split(';').map((t) => t.trim())) {
    if (name === '' || seenTerms.has(name.toLowerCase())) continue;
    seenTerms.add(name.toLowerCase());
    attributes.push({
      id: own('attribute', `/term/${name.toLowerCase()}`),
      link_id: serviceId,
      link_entity: 'service',
      taxonomy_term: { id: stableUuid(ns('term'), name.toLowerCase()), name, description: name },
    });
  }

  let attending: string[] = [];
  const attendingRaw = value('attending');
  if (attendingRaw) {
    const read = readAttending(attendingRaw);
    if ('unreadable' in read) {
      reasons.push(
        `${where('attending')}: cannot read ${read.unreadable.map((u) => `"${u}"`).join(', ')} (use in person, online, phone or home visit)`,
      );
    } else {
      attending = read.kinds;
      for (const kind of attending) {
        attributes.push({
          id: own('attribute', `/attending/${kind.toLowerCase()}`),
          link_id: serviceId,
          link_entity: 'service',
          link_type: 'attending_type',
          taxonomy_term: {
            id: stableUuid(ns('attending'), kind.toLowerCase()),
            name: kind,
            description: kind,
            taxonomy: 'attending_type',
          },
        });
      }
    }
  }

  const schedules: Record<string, unknown>[] = [];
  const daysRaw = value('days');
  const opensAt = value('opens_at');
  const closesAt = value('closes_at');
  const frequency = value('frequency')?.toLowerCase();
  if (daysRaw || opensAt || closesAt || frequency) {
    let freq: string | undefined;
    let interval: number | undefined;
    if (frequency === undefined) freq = undefined;
    else if (/^(weekly|every week|each week)$/.test(frequency)) freq = 'WEEKLY';
    else if (/^(fortnightly|every (other|2|two) weeks?|biweekly)$/.test(frequency)) {
      freq = 'WEEKLY';
      interval = 2;
    } else if (/^(monthly|every month|each month)$/.test(frequency)) freq = 'MONTHLY';
    else
      reasons.push(
        `${where('frequency')}: cannot read "${value('frequency')}" (use weekly, fortnightly or monthly)`,
      );
    let byday: string | undefined;
    if (daysRaw) {
      const read = readDays(daysRaw);
      if ('unreadable' in read) {
        reasons.push(
          `${where('days')}: cannot read ${read.unreadable.map((u) => `"${u}"`).join(', ')} as days that recur (use e.g. "Tue, Thu", "Tuesdays and Thursdays", "MO,TH" or, monthly, "2nd Tuesday")`,
        );
      } else {
        byday = read.byday;
        // "2nd Tuesday" only recurs monthly; an explicit "weekly" with it is left for the schema to refuse.
        freq ??= read.ordinal ? 'MONTHLY' : 'WEEKLY';
      }
    } else if (freq)
      reasons.push(`${where('days')}: is missing: a ${frequency} schedule must say on which days`);
    schedules.push(
      compact({
        id: own('schedule'),
        freq,
        interval,
        byday,
        opens_at: opensAt ? clockTime(opensAt) : undefined,
        closes_at: closesAt ? clockTime(closesAt) : undefined,
        attending_type: attending.length ? attending.join(', ') : undefined,
      }),
    );
  }

  const locationFields = ['location_name', 'address_1', 'address_2', 'city', 'county', 'postcode'] as const;
  const hasPlace = locationFields.some((f) => value(f)) || value('latitude') || value('longitude');
  const accessibility = value('accessibility');
  const serviceAtLocations: Record<string, unknown>[] = [];
  if (accessibility && !hasPlace) {
    reasons.push(
      `${where('accessibility')}: describes no place: give the address or the coordinates it applies to`,
    );
  }
  if (hasPlace) {
    const address1 = value('address_1');
    if (!address1 && (value('address_2') || value('city') || value('county') || value('postcode'))) {
      reasons.push(`${where('address_1')}: is missing: an address needs its first line`);
    }
    const locationId = own('location');
    serviceAtLocations.push({
      id: own('service_at_location'),
      location_id: locationId,
      location: compact({
        id: locationId,
        location_type: 'physical',
        name: value('location_name'),
        latitude: numberOf(value('latitude')),
        longitude: numberOf(value('longitude')),
        addresses: address1
          ? [
              compact({
                id: own('address'),
                address_1: address1,
                address_2: value('address_2'),
                city: value('city'),
                state_province: value('county'),
                postal_code: value('postcode')?.toUpperCase().replace(/\s+/g, ' '),
                country: 'GB',
                address_type: 'physical',
              }),
            ]
          : [],
        accessibility: accessibility ? [{ id: own('accessibility'), description: accessibility }] : [],
      }),
    });
  }

  const free = value('free');
  const costOptions: Record<string, unknown>[] = [];
  if (free && yes.has(free.toLowerCase())) {
    costOptions.push({ id: own('cost_option', '/free'), amount: 0, amount_description: 'Free' });
  } else if (free && !no.has(free.toLowerCase())) {
    reasons.push(`${where('free')}: cannot read "${free}" (use yes or no)`);
  }

  const phones = (value('phone') ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((number, i) => ({ id: own('phone', `/${i}`), number }));

  const seenLanguages = new Set<string>();
  const languages = (value('languages') ?? '')
    .split(';')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !seenLanguages.has(l.toLowerCase()) && seenLanguages.add(l.toLowerCase()))
    .map((name) =>
      compact({
        id: own('language', `/${name.toLowerCase()}`),
        name,
        code: /^[a-z]{2}$/i.test(name) ? name.toLowerCase() : undefined,
      }),
    );

  if (reasons.length > 0) return { sourceId, reasons };
  const assured = value('assured_date');
  return {
    sourceId,
    record: compact({
      id: serviceId,
      organization_id: organizationId,
      name: value('name'),
      alternate_name: value('alternate_name'),
      description: value('description'),
      url: value('url'),
      email: value('email'),
      status: value('status') ?? 'active',
      fees: value('fees'),
      eligibility_description: value('eligibility'),
      application_process: value('application_process'),
      minimum_age: numberOf(value('minimum_age')),
      maximum_age: numberOf(value('maximum_age')),
      assured_date: assured ? isoDate(assured) : undefined,
      assurer_email: value('assurer_email'),
      organization: orgName && organizationId ? { id: organizationId, name: orgName } : undefined,
      schedules,
      service_at_locations: serviceAtLocations,
      languages,
      cost_options: costOptions,
      phones,
      attributes,
    }),
  };
}

const lineBreaks = (cells: string[]) => cells.reduce((n, c) => n + (c.match(/\r\n|\n|\r/g)?.length ?? 0), 0);

/**
 * Reads a CSV file (UTF-8, with or without a BOM; CRLF or LF; quoted commas and line breaks) and converts each
 * service row. A row with the wrong number of columns, or a file that stops parsing (an unclosed quote), is
 * reported as a rejected result at its line, never thrown.
 */
export async function* csvRecords(
  input: NodeJS.ReadableStream | string,
  mapping: CsvMapping,
  source: string,
): AsyncGenerator<{ line: number; result: ConversionResult }> {
  // Errors are collected, not thrown: a stream that errors drops the rows it had already parsed but not yet handed
  // on. With quotes and column counts relaxed, the error left in practice is a quote never closed before the end.
  const skipped: { error: Error; after: number }[] = [];
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    // Parsing runs ahead of this generator; `after` (records parsed before the error) puts the report in order.
    on_skip: (error) => {
      skipped.push({ error: error ?? new Error('a record could not be read'), after: parser.info.records });
    },
  });
  const stream = typeof input === 'string' ? Readable.from([input]) : input;
  // Left attached after the end: a caller's stream that fails later must not become an unhandled 'error' event.
  stream.on('error', (error: Error) => parser.destroy(error));
  stream.pipe(parser);

  let headers: string[] | undefined;
  let line = 1;
  const unreadable = (error: Error) => ({
    line,
    result: {
      sourceId: null,
      reasons: [
        (error as Partial<CsvError>).code === 'CSV_QUOTE_NOT_CLOSED'
          ? `file: a quote opened on line ${line} is never closed, so the file cannot be read from there on`
          : `file: cannot be read from line ${line}: ${error.message}`,
      ],
    },
  });
  try {
    let received = 0;
    for await (const cells of parser as AsyncIterable<string[]>) {
      while (skipped[0] && skipped[0].after <= received) yield unreadable(skipped.shift()!.error);
      received++;
      const start = line;
      line += 1 + lineBreaks(cells);
      if (cells.every((c) => c.trim() === '')) continue;
      if (!headers) {
        headers = cells.map((h) => h.trim());
        const problem = headerProblem(headers, mapping);
        if (problem) {
          yield { line: start, result: { sourceId: null, reasons: [problem] } };
          return;
        }
        continue;
      }
      // Spreadsheet exports often pad rows with empty cells; only cells with something in them must fit a header.
      const extra = cells.slice(headers.length);
      if (cells.length < headers.length || extra.some((c) => c.trim() !== '')) {
        const sourceIdAt = headers.findIndex((h) => h.toLowerCase() === mapping.id?.trim().toLowerCase());
        const sourceId = sourceIdAt >= 0 && cells[sourceIdAt]?.trim() ? cells[sourceIdAt]!.trim() : null;
        yield {
          line: start,
          result: {
            sourceId,
            reasons: [
              `row: has ${cells.length} columns but the header has ${headers.length} (a missing comma, or a comma in an unquoted value?)`,
            ],
          },
        };
        continue;
      }
      const row: Record<string, string> = Object.create(null);
      headers.forEach((h, i) => {
        if (h !== '' && !Object.hasOwn(row, h)) row[h] = cells[i] ?? '';
      });
      yield { line: start, result: fromCsvRow(row, mapping, source, start) };
    }
    for (const { error } of skipped.splice(0)) yield unreadable(error);
  } catch (error) {
    yield unreadable(error instanceof Error ? error : new Error(String(error)));
  } finally {
    // Stops reading when the caller stops early or the file cannot be read further.
    stream.unpipe(parser);
    parser.destroy();
  }
}

function headerProblem(headers: string[], mapping: CsvMapping): string | undefined {
  const present = new Set(headers.map((h) => h.toLowerCase()));
  const idColumn = mapping.id;
  if (idColumn === undefined) return 'id: the column mapping names no column for id';
  if (!present.has(idColumn.trim().toLowerCase())) {
    return `id: the header has no column "${idColumn}" (it has ${headers.filter(Boolean).join(', ')})`;
  }
  const mapped = new Set(
    Object.values(mapping)
      .filter((c) => typeof c === 'string')
      .map((c) => c.trim().toLowerCase()),
  );
  const twice = headers.filter((h, i) => h !== '' && mapped.has(h.toLowerCase()) && headers.indexOf(h) !== i);
  if (twice.length > 0) return `header: names the column ${twice.map((h) => `"${h}"`).join(', ')} twice`;
  return undefined;
}
