import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { type ImportReport, importDirectory, type SourceRecord } from '../src/modules/directory/import.ts';
import { termByCode } from '../src/modules/directory/taxonomy.ts';
import { newId } from '../src/platform/ids.ts';
import { inTransaction } from '../src/platform/transaction.ts';

/** Places the directory tests search around (real-looking coordinates; postcodes made up but well formed). */
export const PLACES = {
  leedsCentre: { postcode: 'LS1 4AP', latitude: 53.7997, longitude: -1.5492 },
  leedsHeadingley: { postcode: 'LS6 3HN', latitude: 53.8194, longitude: -1.5769 }, // ~3 km from the centre
  bradford: { postcode: 'BD1 1HY', latitude: 53.7938, longitude: -1.7521 }, // ~13 km away
  york: { postcode: 'YO1 7HH', latitude: 53.9591, longitude: -1.0815 }, // ~34 km away
} as const;

export async function loadPlaces(db: Db) {
  await inTransaction(db, { system: true, now: new Date() }, async (tx) => {
    for (const p of Object.values(PLACES)) {
      await tx.execute(sql`insert into postcodes (postcode, latitude, longitude)
        values (${p.postcode.replace(' ', '')}, ${p.latitude}, ${p.longitude}) on conflict do nothing`);
    }
  });
}

export const termId = (code: string) => termByCode(code)!.id;

export interface ServiceSpec {
  id?: string;
  name: string;
  description?: string;
  place?: keyof typeof PLACES | null;
  terms?: string[];
  byday?: string;
  opensAt?: string;
  closesAt?: string;
  attending?: string;
  free?: boolean;
  minimumAge?: number;
  maximumAge?: number;
  assuredDate?: string;
  languages?: string[];
  accessibility?: string;
  status?: string;
  organisation?: { id: string; name: string };
}

/** A valid ORUK 3.0 service, fully nested, from a few facts. */
export function orukService(spec: ServiceSpec): Record<string, unknown> {
  const id = spec.id ?? newId();
  const org = spec.organisation ?? { id: newId(), name: `${spec.name} Trust` };
  const place = spec.place === undefined ? 'leedsCentre' : spec.place;
  const locationId = newId();
  return {
    id,
    name: spec.name,
    description: spec.description ?? `${spec.name}: friendly, local and open to all.`,
    status: spec.status ?? 'active',
    url: 'https://example.org/services',
    email: 'hello@example.org',
    ...(spec.minimumAge !== undefined ? { minimum_age: spec.minimumAge } : {}),
    ...(spec.maximumAge !== undefined ? { maximum_age: spec.maximumAge } : {}),
    ...(spec.assuredDate ? { assured_date: spec.assuredDate, assurer_email: 'checker@example.org' } : {}),
    organization: { id: org.id, name: org.name, description: `${org.name} runs community services.` },
    organization_id: org.id,
    schedules: spec.byday
      ? [
          {
            id: newId(),
            freq: spec.byday.match(/\d/) ? 'MONTHLY' : 'WEEKLY',
            byday: spec.byday,
            opens_at: spec.opensAt ?? '10:00',
            closes_at: spec.closesAt ?? '12:00',
            ...(spec.attending ? { attending_type: spec.attending } : {}),
          },
        ]
      : [],
    cost_options: [
      spec.free === false
        ? { id: newId(), option: 'Per session', amount: 3, amount_description: '£3 a session' }
        : { id: newId(), option: 'Free', amount: 0 },
    ],
    languages: (spec.languages ?? []).map((name) => ({ id: newId(), name })),
    contacts: [{ id: newId(), name: 'Sam Organiser', phones: [{ id: newId(), number: '0113 496 0000' }] }],
    attributes: (spec.terms ?? []).map((code) => ({ id: newId(), taxonomy_term_id: termId(code) })),
    service_at_locations:
      place === null
        ? []
        : [
            {
              id: newId(),
              location: {
                id: locationId,
                location_type: 'physical',
                name: `${spec.name} venue`,
                latitude: PLACES[place].latitude,
                longitude: PLACES[place].longitude,
                addresses: [
                  {
                    id: newId(),
                    address_1: '1 Community Street',
                    city: 'Leeds',
                    state_province: 'West Yorkshire',
                    postal_code: PLACES[place].postcode,
                    country: 'GB',
                    address_type: 'physical',
                  },
                ],
                accessibility: spec.accessibility ? [{ id: newId(), description: spec.accessibility }] : [],
              },
            },
          ],
  };
}

export async function importServices(
  db: Db,
  icbId: string,
  services: unknown[],
  source = 'test-feed',
): Promise<ImportReport> {
  async function* records(): AsyncGenerator<SourceRecord> {
    for (const [i, record] of services.entries()) {
      yield {
        position: `record ${i + 1}`,
        sourceId: (record as { id?: string }).id ?? null,
        record,
      };
    }
  }
  return importDirectory(db, records(), {
    icbId,
    source,
    format: 'oruk3',
    location: 'test',
    now: () => new Date(),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The official ORUK 3.0 JSON schemas

const ORUK = path.resolve('../shared/standards/oruk-3.0');
let ajv: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

/** Validates against one of the official schemas (`compiled/service.json`, `taxonomy.json` …); returns the errors. */
export function orukSchemaErrors(schemaFile: string, value: unknown): string[] {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // The object schemas refer to each other by file name ("taxonomy_term.json").
    for (const file of readdirSync(ORUK).filter((f) => f.endsWith('.json') && f !== 'openapi.json')) {
      const schema = JSON.parse(readFileSync(path.join(ORUK, file), 'utf8')) as Record<string, unknown>;
      ajv.addSchema({ ...schema, $id: file }, file);
    }
  }
  let validate = compiled.get(schemaFile);
  if (!validate) {
    validate =
      ajv.getSchema(schemaFile) ??
      ajv.compile(JSON.parse(readFileSync(path.join(ORUK, schemaFile), 'utf8')) as Record<string, unknown>);
    compiled.set(schemaFile, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** The Page object of the ORUK OpenAPI, with each item checked against its schema. */
export function orukPageErrors(itemSchemaFile: string, body: unknown): string[] {
  const page = body as Record<string, unknown>;
  const errors: string[] = [];
  for (const [key, type] of [
    ['total_items', 'number'],
    ['total_pages', 'number'],
    ['page_number', 'number'],
    ['size', 'number'],
    ['first_page', 'boolean'],
    ['last_page', 'boolean'],
    ['empty', 'boolean'],
  ] as const) {
    if (typeof page[key] !== type) errors.push(`${key} is not a ${type}`);
  }
  if (!Array.isArray(page.contents)) return [...errors, 'contents is not a list'];
  page.contents.forEach((item, i) => {
    for (const e of orukSchemaErrors(itemSchemaFile, item)) errors.push(`contents[${i}]${e}`);
  });
  return errors;
}
