import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reasonsOf, type Service, service } from '../oruk.ts';
import {
  type CsvMapping,
  csvFields,
  csvRecords,
  defaultCsvMapping,
  fromCsvRow,
  parseCsvMapping,
  readDays,
} from './csv.ts';
import { asOrukId, LINKWORK_IMPORT_NAMESPACE, stableUuid } from './ids.ts';
import { type ConversionResult, clockTime, fromOruk1, isoDate } from './oruk1.ts';

const fixturePath = (name: string) => new URL(`../../../../test/fixtures/directory/${name}`, import.meta.url);
const oruk1Fixture = () =>
  JSON.parse(readFileSync(fixturePath('oruk1-service.json'), 'utf8')) as Record<string, unknown>;

/** What the import pipeline does with a converter's result: convert, then validate against ORUK 3.0. */
function imported(result: ConversionResult): { service: Service } | { reasons: string[] } {
  if ('reasons' in result) return { reasons: result.reasons };
  const parsed = service.safeParse(result.record);
  return parsed.success ? { service: parsed.data } : { reasons: reasonsOf(parsed.error) };
}
function accepted(result: ConversionResult): Service {
  const outcome = imported(result);
  if ('reasons' in outcome) throw new Error(`rejected: ${outcome.reasons.join('; ')}`);
  return outcome.service;
}
function rejections(result: ConversionResult): string[] {
  const outcome = imported(result);
  if ('service' in outcome) throw new Error('accepted a record that should have been rejected');
  return outcome.reasons;
}

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('stable ids', () => {
  it('matches the RFC 9562 UUID v5 example for www.example.com in the DNS namespace', () => {
    expect(stableUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('hangs named namespaces from the Linkwork import namespace, itself v5 of a URN in the URL namespace', () => {
    expect(stableUuid('6ba7b811-9dad-11d1-80b4-00c04fd430c8', 'urn:linkwork:directory-import')).toBe(
      LINKWORK_IMPORT_NAMESPACE,
    );
    expect(stableUuid('camden:service', '2378')).toBe(
      stableUuid(stableUuid(LINKWORK_IMPORT_NAMESPACE, 'camden:service'), '2378'),
    );
  });

  it('gives one source id the same UUID every time, and a different one in another namespace', () => {
    const id = stableUuid('camden:service', '2378');
    expect(id).toMatch(UUID_V5);
    expect(stableUuid('camden:service', '2378')).toBe(id);
    expect(stableUuid('camden:location', '2378')).not.toBe(id);
    expect(stableUuid('islington:service', '2378')).not.toBe(id);
  });

  it('keeps a source id that is already a UUID, lower-cased, and maps any other to its stable UUID', () => {
    expect(asOrukId('camden:service', '8D1A4F0C-2B6E-4C3F-9A7D-5E0B1C2D3E4F')).toBe(
      '8d1a4f0c-2b6e-4c3f-9a7d-5e0b1c2d3e4f',
    );
    expect(asOrukId('camden:service', ' 2378 ')).toBe(stableUuid('camden:service', '2378'));
    expect(asOrukId('camden:service', 2378)).toBe(stableUuid('camden:service', '2378'));
    // The nil UUID is a blank in a feed, not an identity many services could share.
    expect(asOrukId('camden:service', '00000000-0000-0000-0000-000000000000')).toBe(
      stableUuid('camden:service', '00000000-0000-0000-0000-000000000000'),
    );
  });
});

describe('reading values the way feeds and spreadsheets write them', () => {
  it.each([
    ['9:30', '09:30'],
    ['09:30:00', '09:30'],
    ['09:30:15', '09:30:15'],
    ['09.30', '09:30'],
    ['10am', '10:00'],
    ['5.30pm', '17:30'],
    ['12pm', '12:00'],
    ['12am', '00:00'],
    ['1970-01-01T18:00:00', '18:00'],
    ['10:00Z', '10:00Z'],
    ['25:00', '25:00'],
    ['teatime', 'teatime'],
  ])('reads the time %j as %j', (raw, expected) => {
    expect(clockTime(raw)).toBe(expected);
  });

  it.each([
    ['2024-03-14', '2024-03-14'],
    ['2024-03-14T00:00:00Z', '2024-03-14'],
    ['14/03/2024', '2024-03-14'],
    ['14/03/2024 00:00:00', '2024-03-14'],
    ['1/5/2024', '2024-05-01'],
    ['March 2024', 'March 2024'],
  ])('reads the date %j as %j', (raw, expected) => {
    expect(isoDate(raw)).toBe(expected);
  });

  it.each([
    ['Tue, Thu', 'TU,TH'],
    ['Tuesdays and Thursdays', 'TU,TH'],
    ['MO,TH', 'MO,TH'],
    ['Mon-Fri', 'MO,TU,WE,TH,FR'],
    ['Monday to Wednesday', 'MO,TU,WE'],
    ['weekends', 'SA,SU'],
    ['every day', 'MO,TU,WE,TH,FR,SA,SU'],
    ['2nd Tuesday', '2TU'],
    ['1st and 3rd Wednesday', '1WE,3WE'],
    ['last Friday of the month', '-1FR'],
    ['-1FR', '-1FR'],
  ])('reads the days %j as BYDAY %j', (raw, byday) => {
    expect(readDays(raw)).toEqual({ byday, ordinal: /\d/.test(byday) });
  });

  it.each([
    ['Funday', ['funday']],
    ['term time', ['term', 'time']],
    ['Fri-Mon', ['fri-mon']],
    ['2nd', ['2 (which day?)']],
  ])('cannot read %j as days', (raw, unreadable) => {
    expect(readDays(raw)).toEqual({ unreadable });
  });
});

describe('ORUK 1.0 → ORUK 3.0', () => {
  const source = 'exampleton';

  it('converts a council 1.0 service into a record the ORUK 3.0 schema accepts', () => {
    const result = fromOruk1(oruk1Fixture(), source);
    expect(result.sourceId).toBe('2378');
    const s = accepted(result);

    expect(s.id).toBe(stableUuid('exampleton:service', '2378'));
    expect(s.name).toBe("Tea and Talk Carers' Group");
    expect(s.status).toBe('active');
    expect(s.url).toBe('https://www.example-council.gov.uk/carers/tea-and-talk');
    expect(s.fees).toBe('Free. Donations for refreshments welcome.');
    expect(s.assured_date).toBe('2024-03-14');
    expect(s.minimum_age).toBe(18);
    expect(s.maximum_age).toBeUndefined();
    expect(s.accreditations).toBeUndefined();
  });

  it('keeps the organisation, its UUID lower-cased, its url as website, and leaves out a uri that is no URL', () => {
    const s = accepted(fromOruk1(oruk1Fixture(), source));
    expect(s.organization_id).toBe('8d1a4f0c-2b6e-4c3f-9a7d-5e0b1c2d3e4f');
    expect(s.organization).toEqual({
      id: '8d1a4f0c-2b6e-4c3f-9a7d-5e0b1c2d3e4f',
      name: 'Exampleton Carers Centre',
      description: 'Independent charity supporting unpaid carers in Exampleton.',
      email: 'info@exampletoncarers.org.uk',
      website: 'https://www.exampletoncarers.org.uk',
      logo: 'https://www.exampletoncarers.org.uk/logo.png',
      organization_identifiers: [],
      attributes: [],
    });
  });

  it('turns regular_schedules (byday, a weekday name, a monthly ordinal) into recurring 3.0 schedules', () => {
    const s = accepted(fromOruk1(oruk1Fixture(), source));
    expect(s.schedules).toEqual([
      {
        id: stableUuid('exampleton:schedule', 'rs-5511'),
        valid_from: '2024-01-01',
        freq: 'WEEKLY',
        interval: 1,
        byday: 'TU',
        description: 'Every Tuesday morning, except bank holidays',
        opens_at: '10:00',
        closes_at: '12:00',
      },
      {
        id: stableUuid('exampleton:schedule', 'rs-5512'),
        freq: 'WEEKLY',
        byday: 'TH',
        description: 'Thursday afternoons',
        opens_at: '13:30',
        closes_at: '15:00',
      },
      {
        id: stableUuid('exampleton:schedule', 'rs-5513'),
        freq: 'MONTHLY',
        byday: '1WE',
        description: 'Evening session, first Wednesday of the month',
        opens_at: '18:00',
        closes_at: '19:30',
      },
    ]);
  });

  it('turns service_at_locations into a location with a physical address in GB and its accessibility', () => {
    const s = accepted(fromOruk1(oruk1Fixture(), source));
    const locationId = stableUuid('exampleton:location', '77');
    expect(s.service_at_locations).toEqual([
      {
        id: stableUuid('exampleton:service_at_location', 'sal-2378-77'),
        location_id: locationId,
        location: {
          id: locationId,
          location_type: 'physical',
          name: 'Whitby Road Community Centre',
          description: 'Main hall, ground floor',
          latitude: 53.4011,
          longitude: -2.1578,
          addresses: [
            {
              id: stableUuid('exampleton:address', 'pa-77'),
              address_1: '41 Whitby Road',
              city: 'Exampleton',
              state_province: 'Greater Manchester',
              postal_code: 'SK1 4AB',
              country: 'GB',
              address_type: 'physical',
              attributes: [],
            },
          ],
          accessibility: [
            {
              id: stableUuid('exampleton:accessibility', 'acc-77-1'),
              description: 'Step-free access and an accessible toilet',
              attributes: [],
            },
          ],
          attributes: [],
        },
        schedules: [],
        attributes: [],
      },
    ]);
  });

  it('maps contacts with phones, cost options, languages, service areas and funding; drops reviews', () => {
    const result = fromOruk1(oruk1Fixture(), source);
    const s = accepted(result);
    expect(s.contacts).toEqual([
      {
        id: stableUuid('exampleton:contact', 'c-2378'),
        name: 'Priya Shah',
        title: 'Carers Support Worker',
        phones: [{ id: stableUuid('exampleton:phone', 'ph-901'), number: '0161 496 0000' }],
      },
    ]);
    expect(s.cost_options).toEqual([
      {
        id: stableUuid('exampleton:cost_option', 'co-2378'),
        option: 'Refreshments',
        amount: 0.5,
        amount_description: 'Suggested donation per cup',
      },
    ]);
    expect(s.languages.map((l) => l.name)).toEqual(['English', 'Urdu']);
    expect(s.service_areas).toEqual([
      {
        id: stableUuid('exampleton:service_area', 'sa-2378-1'),
        service_area: 'Borough of Exampleton',
        uri: 'http://statistics.data.gov.uk/id/statistical-geography/E07000999',
      },
    ]);
    expect(s.funding).toEqual([
      { id: stableUuid('exampleton:funding', 'f-2378'), source: 'Exampleton Better Care Fund' },
    ]);
    const record = (result as { record: Record<string, unknown> }).record;
    expect(Object.keys(record)).not.toContain('reviews');
    expect(Object.keys(record)).not.toContain('holiday_schedules');
  });

  it('turns service_taxonomys, eligibilitys and the 1.0 delivery fields into attributes with nested terms', () => {
    const s = accepted(fromOruk1(oruk1Fixture(), source));
    const serviceId = stableUuid('exampleton:service', '2378');
    const terms = s.attributes.map((a) => ({
      link_type: a.link_type,
      link_id: a.link_id,
      name: a.taxonomy_term?.name,
      taxonomy: a.taxonomy_term?.taxonomy,
    }));
    expect(terms).toEqual([
      { link_type: undefined, link_id: serviceId, name: 'Carers support', taxonomy: 'esdServiceTypes' },
      { link_type: undefined, link_id: serviceId, name: 'Caring for someone', taxonomy: 'esdCircumstances' },
      { link_type: 'eligibility', link_id: serviceId, name: 'adult', taxonomy: 'ORUK 1.0 eligibility' },
      { link_type: 'attending_type', link_id: serviceId, name: 'venue', taxonomy: 'ORUK 1.0 attending_type' },
      {
        link_type: 'attending_access',
        link_id: serviceId,
        name: 'drop-in',
        taxonomy: 'ORUK 1.0 attending_access',
      },
      {
        link_type: 'deliverable_type',
        link_id: serviceId,
        name: 'Information',
        taxonomy: 'ORUK 1.0 deliverable_type',
      },
    ]);
    expect(s.attributes[1]!.taxonomy_term).toEqual({
      id: stableUuid('exampleton:taxonomy', 'esdCircumstances:330'),
      name: 'Caring for someone',
      description: 'Caring for someone',
      parent_id: stableUuid('exampleton:taxonomy', 'esdCircumstances:12'),
      taxonomy: 'esdCircumstances',
      code: 'esdCircumstances:330',
    });
  });

  it('reads a numeric weekday as ISO 8601 (1 = Monday, 7 = Sunday)', () => {
    const feed = { ...oruk1Fixture(), regular_schedules: [{ id: 'x', weekday: 7, opens_at: '9:00' }] };
    expect(accepted(fromOruk1(feed, source)).schedules).toEqual([
      { id: stableUuid('exampleton:schedule', 'x'), freq: 'WEEKLY', byday: 'SU', opens_at: '09:00' },
    ]);
  });

  it('reads a BYDAY with no freq as weekly, or monthly when its days are ordinal', () => {
    const feed = {
      ...oruk1Fixture(),
      regular_schedules: [
        { id: 'w', byday: 'monday, WE' },
        { id: 'm', byday: '2TU' },
      ],
    };
    expect(accepted(fromOruk1(feed, source)).schedules.map((x) => [x.freq, x.byday])).toEqual([
      ['WEEKLY', 'MO,WE'],
      ['MONTHLY', '2TU'],
    ]);
  });

  it('keeps a schedule listed both on the service and on its service_at_location once, on the location', () => {
    const feed = oruk1Fixture();
    const shared = { id: 'rs-9', byday: 'FR', opens_at: '09:00', closes_at: '10:00' };
    feed.regular_schedules = [shared];
    const sal = (feed.service_at_locations as Record<string, unknown>[])[0]!;
    sal.regular_schedule = [shared];
    const s = accepted(fromOruk1(feed, source));
    expect(s.schedules).toEqual([]);
    expect(s.service_at_locations[0]!.schedules).toEqual([
      {
        id: stableUuid('exampleton:schedule', 'rs-9'),
        service_at_location_id: stableUuid('exampleton:service_at_location', 'sal-2378-77'),
        freq: 'WEEKLY',
        byday: 'FR',
        opens_at: '09:00',
        closes_at: '10:00',
      },
    ]);
  });

  it('combines age ranges from several eligibility rows into the widest one', () => {
    const feed = {
      ...oruk1Fixture(),
      eligibilitys: [
        { id: 'a', eligibility: 'child', minimum_age: '5', maximum_age: '11' },
        { id: 'b', eligibility: 'teen', minimum_age: 12, maximum_age: 18 },
      ],
    };
    const s = accepted(fromOruk1(feed, source));
    expect([s.minimum_age, s.maximum_age]).toEqual([5, 18]);
    expect(
      s.attributes.filter((a) => a.link_type === 'eligibility').map((a) => a.taxonomy_term?.name),
    ).toEqual(['child', 'teen']);
  });

  it('rejects a service without an id, or with an id that is not text or a number', () => {
    const { id: _, ...withoutId } = oruk1Fixture();
    expect(fromOruk1(withoutId, source)).toEqual({ sourceId: null, reasons: ['id: is missing'] });
    expect(fromOruk1({ ...oruk1Fixture(), id: { value: 1 } }, source)).toEqual({
      sourceId: null,
      reasons: ['id: must be text or a number'],
    });
    expect(fromOruk1('2378', source)).toEqual({
      sourceId: null,
      reasons: ['service: must be an object (an ORUK 1.0 service as /services/{id} returns it)'],
    });
  });

  it('rejects values of the wrong type, naming the field', () => {
    expect(rejections(fromOruk1({ ...oruk1Fixture(), name: 42 }, source))).toEqual(['name: must be text']);
    expect(rejections(fromOruk1({ ...oruk1Fixture(), service_at_locations: 'Whitby Road' }, source))).toEqual(
      ['service_at_locations: must be a list'],
    );
    const noTermId = {
      ...oruk1Fixture(),
      service_taxonomys: [{ id: 'st', taxonomy: { name: 'Carers support' } }],
    };
    expect(rejections(fromOruk1(noTermId, source))).toEqual(['service_taxonomys[0].taxonomy.id: is missing']);
    const badAge = { ...oruk1Fixture(), eligibilitys: [{ id: 'e', minimum_age: 'eighteen' }] };
    expect(rejections(fromOruk1(badAge, source))).toEqual([
      'eligibilitys[0].minimum_age: must be a number, not "eighteen"',
    ]);
  });

  it('rejects absurd coordinates', () => {
    const feed = oruk1Fixture();
    const sal = (feed.service_at_locations as Record<string, Record<string, unknown>>[])[0]!;
    sal.location = { ...sal.location, latitude: 153.4 };
    expect(rejections(fromOruk1(feed, source))).toEqual([
      'service_at_locations[0].location.latitude: must be between -90 and 90',
    ]);
  });

  it('rejects days that cannot recur: an unreadable weekday, weekday 0, or a BYDAY that is no day', () => {
    const withSchedule = (schedule: Record<string, unknown>) =>
      fromOruk1({ ...oruk1Fixture(), regular_schedules: [{ id: 'rs', ...schedule }] }, source);
    expect(rejections(withSchedule({ weekday: 'Funday' }))).toEqual([
      'regular_schedules[0].weekday: cannot be read as a day of the week: "Funday" (use Monday…Sunday, or 1–7 with 1 = Monday)',
    ]);
    expect(rejections(withSchedule({ weekday: 0 }))).toEqual([
      'regular_schedules[0].weekday: cannot be read as a day of the week: 0 (use Monday…Sunday, or 1–7 with 1 = Monday)',
    ]);
    expect(rejections(withSchedule({ freq: 'WEEKLY', byday: 'TU,XX' }))).toEqual([
      'schedules[0].byday: has days that cannot recur weekly: XX (use MO, TU, WE, TH, FR, SA or SU)',
    ]);
    expect(rejections(withSchedule({ freq: 'WEEKLY', byday: '2TU' }))).toEqual([
      'schedules[0].byday: has days that cannot recur weekly: 2TU (use MO, TU, WE, TH, FR, SA or SU)',
    ]);
  });

  it('never throws on anything thrown at it, and gives the same output for the same input', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (input) => {
        const first = fromOruk1(input, source);
        expect('record' in first || 'reasons' in first).toBe(true);
        expect(fromOruk1(input, source)).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on a real service with any of its fields, or its location, replaced by anything', () => {
    const fixture = oruk1Fixture();
    const topKeys = Object.keys(fixture);
    const locationKeys = [
      'id',
      'name',
      'latitude',
      'longitude',
      'physical_addresses',
      'accessibility_for_disabilities',
    ];
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...topKeys), fc.anything()),
        fc.dictionary(fc.constantFrom(...locationKeys), fc.anything()),
        fc.array(
          fc.record({
            id: fc.anything(),
            weekday: fc.anything(),
            byday: fc.anything(),
            opens_at: fc.anything(),
          }),
        ),
        (top, loc, schedules) => {
          const feed = oruk1Fixture();
          const sal = (feed.service_at_locations as Record<string, Record<string, unknown>>[])[0]!;
          sal.location = { ...sal.location, ...loc };
          const input = { ...feed, regular_schedules: schedules, ...top };
          const first = fromOruk1(input, source);
          if ('record' in first) expect(() => imported(first)).not.toThrow();
          else expect(first.reasons.length).toBeGreaterThan(0);
          expect(fromOruk1(structuredClone(input), source)).toEqual(first);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const spreadsheetMapping: CsvMapping = {
  id: 'Ref',
  name: 'Service name',
  description: 'Description',
  organisation_name: 'Organisation',
  url: 'Website',
  email: 'Email',
  phone: 'Telephone',
  free: 'Free?',
  fees: 'Cost',
  minimum_age: 'Min age',
  maximum_age: 'Max age',
  eligibility: 'Who can use it',
  location_name: 'Venue',
  address_1: 'Address line 1',
  address_2: 'Address line 2',
  city: 'Town',
  county: 'County',
  postcode: 'Postcode',
  latitude: 'Lat',
  longitude: 'Long',
  days: 'Days',
  opens_at: 'From',
  closes_at: 'To',
  frequency: 'How often',
  attending: 'How to attend',
  taxonomy_terms: 'Categories',
  languages: 'Languages',
  accessibility: 'Access',
  assured_date: 'Last checked',
  assurer_email: 'Checked by',
};

async function readAll(input: NodeJS.ReadableStream | string, mapping: CsvMapping, source = 'walks') {
  const out: { line: number; result: ConversionResult }[] = [];
  for await (const item of csvRecords(input, mapping, source)) out.push(item);
  return out;
}

/** A minimal good row under the default mapping (headers are our field names). */
const makeRow = (overrides: Record<string, string> = {}) => ({ id: 'R1', name: 'Lunch club', ...overrides });

describe('CSV → ORUK 3.0', () => {
  const source = 'walks';

  it('reads every row of a local spreadsheet (BOM, CRLF, quoted commas and line breaks, awkward rows)', async () => {
    const results = await readAll(createReadStream(fixturePath('services.csv')), spreadsheetMapping);
    expect(results.map((r) => [r.line, r.result.sourceId, 'record' in r.result])).toEqual([
      [2, 'WB-001', true],
      [4, 'WB-002', true],
      [5, null, false],
      [6, 'WB-004', false],
      [7, 'WB-005', true],
      [8, 'WB-006', false],
      [9, 'WB-007', true],
      [11, 'WB-008', true],
    ]);
  });

  it('converts a full row into a service the ORUK 3.0 schema accepts, with every nested id stable', async () => {
    const [first] = await readAll(createReadStream(fixturePath('services.csv')), spreadsheetMapping);
    const s = accepted(first!.result);
    const own = (role: string, suffix = '') => stableUuid(`walks:${role}`, `WB-001${suffix}`);
    const organizationId = stableUuid('walks:organization', 'name:exampleton walking group');

    expect(s.id).toBe(stableUuid('walks:service', 'WB-001'));
    expect(s.name).toBe('Walk and Talk');
    expect(s.description).toBe(
      'Gentle group walks, about an hour, then tea.\nAll paces welcome, no booking needed.',
    );
    expect(s.status).toBe('active');
    expect(s.organization_id).toBe(organizationId);
    expect(s.organization?.name).toBe('Exampleton Walking Group');
    expect(s.eligibility_description).toBe('Anyone, including people with dementia and their carers');
    expect(s.assured_date).toBe('2024-04-02');
    expect(s.assurer_email).toBe('volunteer@exampletonwalks.org.uk');
    expect(s.phones).toEqual([{ id: own('phone', '/0'), number: '0161 496 0001' }]);
    expect(s.cost_options).toEqual([
      { id: own('cost_option', '/free'), amount: 0, amount_description: 'Free' },
    ]);
    expect(s.schedules).toEqual([
      {
        id: own('schedule'),
        freq: 'WEEKLY',
        byday: 'TU,TH',
        opens_at: '10:00',
        closes_at: '11:30',
        attending_type: 'In person',
      },
    ]);
    expect(s.service_at_locations).toEqual([
      {
        id: own('service_at_location'),
        location_id: own('location'),
        location: {
          id: own('location'),
          location_type: 'physical',
          name: 'Exampleton Park, main gate',
          latitude: 53.4102,
          longitude: -2.1633,
          addresses: [
            {
              id: own('address'),
              address_1: 'Park Road',
              city: 'Exampleton',
              state_province: 'Greater Manchester',
              postal_code: 'SK1 2CD',
              country: 'GB',
              address_type: 'physical',
              attributes: [],
            },
          ],
          accessibility: [
            { id: own('accessibility'), description: 'Flat paths, benches every 200m', attributes: [] },
          ],
          attributes: [],
        },
        schedules: [],
        attributes: [],
      },
    ]);
    expect(s.attributes).toEqual([
      {
        id: own('attribute', '/term/physical activity'),
        link_id: s.id,
        link_entity: 'service',
        taxonomy_term: {
          id: stableUuid('walks:term', 'physical activity'),
          name: 'Physical activity',
          description: 'Physical activity',
        },
      },
      {
        id: own('attribute', '/term/mental wellbeing'),
        link_id: s.id,
        link_entity: 'service',
        taxonomy_term: {
          id: stableUuid('walks:term', 'mental wellbeing'),
          name: 'Mental wellbeing',
          description: 'Mental wellbeing',
        },
      },
      {
        id: own('attribute', '/attending/in person'),
        link_id: s.id,
        link_entity: 'service',
        link_type: 'attending_type',
        taxonomy_term: {
          id: stableUuid('walks:attending', 'in person'),
          name: 'In person',
          description: 'In person',
          taxonomy: 'attending_type',
        },
      },
    ]);
    expect(s.languages).toEqual([
      { id: own('language', '/english'), name: 'English' },
      { id: own('language', '/polish'), name: 'Polish' },
    ]);
  });

  it('reads a monthly "2nd Tuesday" row, with two phone numbers, a cost and a shared organisation', async () => {
    const results = await readAll(createReadStream(fixturePath('services.csv')), spreadsheetMapping);
    const walk = accepted(results[0]!.result);
    const shed = accepted(results[1]!.result);
    expect(shed.schedules.map((x) => [x.freq, x.byday, x.opens_at, x.closes_at])).toEqual([
      ['MONTHLY', '2TU', '18:30', '20:30'],
    ]);
    expect(shed.phones.map((p) => p.number)).toEqual(['0161 496 0002', '07700 900123']);
    expect(shed.fees).toBe('£2 a session towards materials');
    expect(shed.cost_options).toEqual([]);
    expect(shed.minimum_age).toBe(18);
    expect(shed.assured_date).toBe('2024-05-01');
    expect(shed.organization_id).toBe(walk.organization_id);
  });

  it('reads an online-only row padded with empty cells: no location, an online attribute, ages and a language code', async () => {
    const results = await readAll(createReadStream(fixturePath('services.csv')), spreadsheetMapping);
    const online = accepted(results[7]!.result);
    expect(online.service_at_locations).toEqual([]);
    expect([online.minimum_age, online.maximum_age]).toEqual([16, 25]);
    expect(online.schedules.map((x) => [x.freq, x.byday, x.attending_type])).toEqual([
      ['WEEKLY', 'MO,TH', 'Online'],
    ]);
    expect(online.languages.map((l) => [l.name, l.code])).toEqual([['en', 'en']]);
    expect(online.assured_date).toBe('2024-05-01');
  });

  it('rejects the awkward rows with a reason naming the field or the row', async () => {
    const results = await readAll(createReadStream(fixturePath('services.csv')), spreadsheetMapping);
    const byLine = new Map(results.map((r) => [r.line, r.result]));
    expect(rejections(byLine.get(5)!)).toEqual([
      'id (column "Ref"): is missing on line 5: every service needs its own reference',
    ]);
    expect(rejections(byLine.get(6)!)).toEqual([
      'row: has 3 columns but the header has 30 (a missing comma, or a comma in an unquoted value?)',
    ]);
    expect(rejections(byLine.get(7)!)).toEqual([
      'service_at_locations[0].location.latitude: must be between -90 and 90',
    ]);
    expect(rejections(byLine.get(8)!)).toEqual([
      'days (column "Days"): cannot read "funday" as days that recur (use e.g. "Tue, Thu", "Tuesdays and Thursdays", "MO,TH" or, monthly, "2nd Tuesday")',
    ]);
    expect(rejections(byLine.get(9)!)).toEqual([
      'schedules[0].byday: has days that cannot recur weekly: 2TU (use MO, TU, WE, TH, FR, SA or SU)',
    ]);
  });

  it('gives identical results, ids included, when the same file is imported twice', async () => {
    const once = await readAll(readFileSync(fixturePath('services.csv'), 'utf8'), spreadsheetMapping);
    const twice = await readAll(createReadStream(fixturePath('services.csv')), spreadsheetMapping);
    expect(twice).toEqual(once);
  });

  it('rejects a row with an extra filled column, and reports an unclosed quote at its line instead of throwing', async () => {
    const text = 'id,name\r\nA1,"Lunch, club"\r\nA2,Choir,extra\r\nA3,"Walks\r\n';
    const results = await readAll(text, defaultCsvMapping);
    expect(results).toEqual([
      { line: 2, result: { sourceId: 'A1', record: expect.objectContaining({ name: 'Lunch, club' }) } },
      {
        line: 3,
        result: {
          sourceId: 'A2',
          reasons: [
            'row: has 3 columns but the header has 2 (a missing comma, or a comma in an unquoted value?)',
          ],
        },
      },
      {
        line: 4,
        result: {
          sourceId: null,
          reasons: [
            'file: a quote opened on line 4 is never closed, so the file cannot be read from there on',
          ],
        },
      },
    ]);
  });

  it('keeps every row before an unclosed quote when the file arrives in small chunks', async () => {
    const text = `id,name\n${Array.from({ length: 40 }, (_, i) => `B${i},"Club, ${i}"`).join('\n')}\nB40,"Never closed\n`;
    const results = await readAll(Readable.from(text.match(/[\s\S]{1,7}/g)!), defaultCsvMapping);
    expect(results).toHaveLength(41);
    expect(results.slice(0, 40).map((r) => [r.line, r.result.sourceId, 'record' in r.result])).toEqual(
      Array.from({ length: 40 }, (_, i) => [i + 2, `B${i}`, true]),
    );
    expect(results[40]).toEqual({
      line: 42,
      result: {
        sourceId: null,
        reasons: [
          'file: a quote opened on line 42 is never closed, so the file cannot be read from there on',
        ],
      },
    });
  });

  it('reports a failing input stream as a rejection instead of throwing', async () => {
    const failing = new Readable({
      read() {
        this.push('id,name\nC1,Choir\n');
        this.destroy(new Error('connection reset'));
      },
    });
    const results = await readAll(failing, defaultCsvMapping);
    expect(results.at(-1)?.result).toEqual({
      sourceId: null,
      reasons: [`file: cannot be read from line ${results.at(-1)?.line}: connection reset`],
    });
  });

  it('stops at a header that lacks the id column, with one reason', async () => {
    const results = await readAll('Service,Town\nLunch club,Exampleton\n', spreadsheetMapping);
    expect(results).toEqual([
      {
        line: 1,
        result: { sourceId: null, reasons: ['id: the header has no column "Ref" (it has Service, Town)'] },
      },
    ]);
  });

  it('matches headers ignoring case and surrounding spaces', () => {
    const result = fromCsvRow({ ' REF ': 'X9', 'service NAME': 'Choir' }, spreadsheetMapping, source, 2);
    expect(accepted(result).name).toBe('Choir');
  });

  it('rejects unreadable yes/no, attending, frequency and dates, naming the field', () => {
    const reasons = (overrides: Record<string, string>) =>
      rejections(fromCsvRow(makeRow(overrides), defaultCsvMapping, source, 2));
    expect(reasons({ free: 'sometimes' })).toEqual([
      'free (column "free"): cannot read "sometimes" (use yes or no)',
    ]);
    expect(reasons({ attending: 'by carrier pigeon' })).toEqual([
      'attending (column "attending"): cannot read "by carrier pigeon" (use in person, online, phone or home visit)',
    ]);
    expect(reasons({ days: 'Monday', frequency: 'quarterly' })).toEqual([
      'frequency (column "frequency"): cannot read "quarterly" (use weekly, fortnightly or monthly)',
    ]);
    expect(reasons({ frequency: 'weekly' })).toEqual([
      'days (column "days"): is missing: a weekly schedule must say on which days',
    ]);
    expect(reasons({ assured_date: '31/02/2024' })).toEqual(['assured_date: must be a date as YYYY-MM-DD']);
    expect(reasons({ minimum_age: '18+' })).toEqual(['minimum_age: minimum_age must be a number']);
    expect(reasons({ postcode: 'SK1 2CD' })).toEqual([
      'address_1 (column "address_1"): is missing: an address needs its first line',
    ]);
    expect(reasons({ accessibility: 'Hearing loop' })).toEqual([
      'accessibility (column "accessibility"): describes no place: give the address or the coordinates it applies to',
    ]);
    expect(reasons({ latitude: '53.4', longitude: 'west' })).toEqual([
      'service_at_locations[0].location.longitude: longitude must be a number',
    ]);
  });

  it('reads fortnightly as every 2 weeks and "last Friday" as monthly', () => {
    const fortnightly = accepted(
      fromCsvRow(makeRow({ days: 'Wednesdays', frequency: 'Fortnightly' }), defaultCsvMapping, source, 2),
    );
    expect(fortnightly.schedules.map((x) => [x.freq, x.interval, x.byday])).toEqual([['WEEKLY', 2, 'WE']]);
    const last = accepted(fromCsvRow(makeRow({ days: 'last Friday' }), defaultCsvMapping, source, 2));
    expect(last.schedules.map((x) => [x.freq, x.byday])).toEqual([['MONTHLY', '-1FR']]);
  });

  it('offers a default mapping whose headers are the field names', () => {
    expect(Object.keys(defaultCsvMapping)).toEqual([...csvFields]);
    expect(Object.entries(defaultCsvMapping).every(([field, header]) => field === header)).toBe(true);
  });

  it('parses a saved column mapping and rejects unknown field names clearly', () => {
    expect(parseCsvMapping({ id: ' Ref ', postcode: 'Post code' })).toEqual({
      mapping: { id: 'Ref', postcode: 'Post code' },
    });
    expect(parseCsvMapping({ id: 'Ref', postcde: 'Post code', phone_number: 'Tel' })).toEqual({
      reasons: [
        `mapping: names fields Linkwork does not have: postcde, phone_number (the fields are ${csvFields.join(', ')})`,
      ],
    });
    expect(parseCsvMapping({ id: 7 })).toEqual({ reasons: ['id: must be a column header (text)'] });
    expect(parseCsvMapping(['id'])).toEqual({
      reasons: ['mapping: must be an object of field name to column header'],
    });
  });

  it('never throws on any row, under the default or any mapping, and gives the same output for the same row', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '',
        ' ',
        'Tue',
        '2nd',
        'last',
        '-',
        'Mon-Fri',
        'and',
        '10am',
        '25:00',
        'yes',
        'no',
        '-1FR',
        '91',
      ),
    );
    const row = fc.dictionary(fc.oneof(fc.constantFrom(...csvFields), fc.string()), cell);
    const mapping = fc.oneof(
      fc.constant(defaultCsvMapping),
      fc.dictionary(fc.constantFrom(...csvFields), fc.oneof(fc.constantFrom(...csvFields), fc.string())),
    );
    fc.assert(
      fc.property(row, mapping, fc.integer({ min: 1 }), (r, m, line) => {
        const first = fromCsvRow(r, m, source, line);
        if ('record' in first) expect(() => imported(first)).not.toThrow();
        else expect(first.reasons.length).toBeGreaterThan(0);
        expect(fromCsvRow({ ...r }, { ...m }, source, line)).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on any CSV text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom('a', 'id', ',', '"', '\n', '\r\n', ' ', '\uFEFF') }),
        async (text) => {
          const results = await readAll(`id,name\n${text}`, defaultCsvMapping);
          for (const { line, result } of results) {
            expect(line).toBeGreaterThanOrEqual(1);
            expect('record' in result || 'reasons' in result).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
