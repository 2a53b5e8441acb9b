import { describe, expect, it } from 'vitest';
import { service as orukService } from '../../../../src/modules/directory/oruk.ts';
import {
  buildService,
  checkServiceValues,
  formValuesOf,
  problemFromOruk,
  type ServiceFormValues,
} from './service-form.ts';

const walking = '6f0c0a5e-52a5-5b8a-9d4a-1e1e1e1e1e01';
const befriending = '0a0c3649-8819-5b5a-944f-54ef85bba6fd';
const otherTaxonomy = '7d6f3b0e-1111-4a4a-8b8b-222222222222';

/** Ids a test can predict: uuid-shaped, counting up. */
function ids() {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

function values(overrides: Partial<ServiceFormValues> = {}): ServiceFormValues {
  return {
    name: 'Headingley Health Walk',
    description: 'A gentle led walk around the park, with tea after.',
    organisationName: 'Leeds Walking Trust',
    status: 'active',
    url: 'https://example.org/walks',
    email: 'walks@example.org',
    phone: '0113 496 0000',
    locationName: 'Headingley Park gates',
    address1: '1 Park Lane',
    town: 'Leeds',
    postcode: 'LS6 3HN',
    accessibility: 'Step-free route',
    days: ['TU', 'TH'],
    opens: '9:30',
    closes: '11:00',
    attending: 'In person',
    cost: 'free',
    costText: '',
    minimumAge: '18',
    maximumAge: '',
    eligibility: 'Adults who can walk for 30 minutes',
    languages: 'English, Polish',
    termIds: [walking],
    ...overrides,
  };
}

/** A service as the API reads it back: fully nested, with fields the form does not show. */
function storedService(): Record<string, unknown> {
  return {
    id: 'a1a1a1a1-0000-4000-8000-000000000001',
    name: 'Telephone Befriending',
    status: 'active',
    application_process: 'Ring the office and ask for Sam.',
    organization_id: 'a1a1a1a1-0000-4000-8000-000000000002',
    organization: { id: 'a1a1a1a1-0000-4000-8000-000000000002', name: 'Age Well', description: '' },
    schedules: [
      {
        id: 'a1a1a1a1-0000-4000-8000-000000000003',
        freq: 'WEEKLY',
        byday: 'MO,WE',
        opens_at: '10:00',
        closes_at: '12:00',
        notes: 'Not on bank holidays',
      },
    ],
    cost_options: [{ id: 'a1a1a1a1-0000-4000-8000-000000000004', option: 'Free', amount: 0 }],
    contacts: [{ id: 'a1a1a1a1-0000-4000-8000-000000000005', name: 'Sam Organiser' }],
    languages: [{ id: 'a1a1a1a1-0000-4000-8000-000000000006', name: 'English' }],
    attributes: [
      { id: 'a1a1a1a1-0000-4000-8000-000000000007', taxonomy_term_id: befriending },
      { id: 'a1a1a1a1-0000-4000-8000-000000000008', taxonomy_term_id: otherTaxonomy },
    ],
    service_at_locations: [
      {
        id: 'a1a1a1a1-0000-4000-8000-000000000009',
        location_id: 'a1a1a1a1-0000-4000-8000-000000000010',
        location: {
          id: 'a1a1a1a1-0000-4000-8000-000000000010',
          location_type: 'physical',
          name: 'Community hall',
          latitude: 53.8194,
          longitude: -1.5769,
          transportation: 'Bus 56 stops outside',
          addresses: [
            {
              id: 'a1a1a1a1-0000-4000-8000-000000000011',
              address_1: '2 Hall Road',
              city: 'Leeds',
              state_province: 'West Yorkshire',
              postal_code: 'LS6 3HN',
              country: 'GB',
              address_type: 'physical',
            },
          ],
          accessibility: [
            { id: 'a1a1a1a1-0000-4000-8000-000000000012', accessibility: 'Ramp at the side door' },
          ],
        },
      },
    ],
  };
}

describe('the directory manager’s service form', () => {
  it('builds a new service that is a valid ORUK 3.0 record, with new ids for everything nested', () => {
    const { service, paths } = buildService(values(), null, [walking, befriending], ids());
    const parsed = orukService.safeParse(service);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(service.id).toBe('00000000-0000-4000-8000-000000000001');
    expect(service.organization).toEqual({
      id: '00000000-0000-4000-8000-000000000002',
      description: '',
      name: 'Leeds Walking Trust',
    });
    expect(service.organization_id).toBe('00000000-0000-4000-8000-000000000002');
    expect(service.schedules).toEqual([
      {
        id: expect.stringMatching(/^00000000-/),
        freq: 'WEEKLY',
        byday: 'TU,TH',
        opens_at: '09:30',
        closes_at: '11:00',
        attending_type: 'In person',
      },
    ]);
    expect(service.cost_options).toEqual([{ id: expect.any(String), option: 'Free', amount: 0 }]);
    expect(service.minimum_age).toBe(18);
    expect(service).not.toHaveProperty('maximum_age');
    expect((service.languages as { name: string }[]).map((l) => l.name)).toEqual(['English', 'Polish']);
    expect(service.attributes).toEqual([{ id: expect.any(String), taxonomy_term_id: walking }]);
    const location = (service.service_at_locations as { location: Record<string, unknown> }[])[0]!.location;
    expect(location.name).toBe('Headingley Park gates');
    expect(location.addresses).toEqual([
      {
        id: expect.any(String),
        address_type: 'physical',
        state_province: '',
        country: 'GB',
        address_1: '1 Park Lane',
        city: 'Leeds',
        postal_code: 'LS6 3HN',
      },
    ]);
    expect(location.accessibility).toEqual([{ id: expect.any(String), description: 'Step-free route' }]);
    expect(paths).toEqual({
      schedule: 'schedules.0',
      address: 'service_at_locations.0.location.addresses.0',
    });
    const allIds = JSON.stringify(service).match(/00000000-0000-4000-8000-\d{12}/g) ?? [];
    expect(new Set(allIds).size).toBe(allIds.length - 2); // the organisation and location ids appear twice
  });

  it('reads a stored service into the form, and saving it unchanged gives back the same record', () => {
    const stored = storedService();
    const form = formValuesOf(stored);
    expect(form).toMatchObject({
      name: 'Telephone Befriending',
      organisationName: 'Age Well',
      days: ['MO', 'WE'],
      opens: '10:00',
      closes: '12:00',
      cost: 'free',
      accessibility: 'Ramp at the side door',
      postcode: 'LS6 3HN',
      languages: 'English',
      termIds: [befriending, otherTaxonomy],
    });
    const { service } = buildService(form, stored, [walking, befriending], ids());
    expect(service).toEqual(stored);
  });

  it('changes only what was changed, keeping ids and the fields the form does not show', () => {
    const stored = storedService();
    const form = formValuesOf(stored);
    const { service } = buildService(
      {
        ...form,
        name: 'Phone Befriending',
        postcode: 'LS1 4AP',
        days: ['FR'],
        termIds: [walking],
        cost: 'cost',
        costText: '£2 a call',
      },
      stored,
      [walking, befriending],
      ids(),
    );
    expect(orukService.safeParse(service).success).toBe(true);
    expect(service.name).toBe('Phone Befriending');
    expect(service.application_process).toBe('Ring the office and ask for Sam.');
    expect(service.contacts).toEqual(stored.contacts);
    const [schedule] = service.schedules as Record<string, unknown>[];
    expect(schedule).toEqual({
      id: 'a1a1a1a1-0000-4000-8000-000000000003',
      freq: 'WEEKLY',
      byday: 'FR',
      opens_at: '10:00',
      closes_at: '12:00',
      notes: 'Not on bank holidays',
    });
    const location = (service.service_at_locations as { location: Record<string, unknown> }[])[0]!.location;
    // The coordinates were the old postcode's: the directory places the new one.
    expect(location).not.toHaveProperty('latitude');
    expect(location.transportation).toBe('Bus 56 stops outside');
    expect((location.addresses as Record<string, unknown>[])[0]).toMatchObject({
      id: 'a1a1a1a1-0000-4000-8000-000000000011',
      postal_code: 'LS1 4AP',
      state_province: 'West Yorkshire',
    });
    // The other taxonomy's tag stays; the unticked term goes; the ticked one is added.
    expect(service.attributes).toEqual([
      { id: 'a1a1a1a1-0000-4000-8000-000000000008', taxonomy_term_id: otherTaxonomy },
      { id: '00000000-0000-4000-8000-000000000002', taxonomy_term_id: walking },
    ]);
    expect(service.cost_options).toEqual([
      { id: '00000000-0000-4000-8000-000000000001', amount_description: '£2 a call' },
    ]);
  });

  it('keeps a monthly schedule it cannot show, and says so', () => {
    const stored = storedService();
    (stored.schedules as Record<string, unknown>[])[0] = {
      id: 'a1a1a1a1-0000-4000-8000-000000000003',
      freq: 'MONTHLY',
      byday: '2TU',
      opens_at: '14:00',
    };
    const form = formValuesOf(stored);
    expect(form.days).toEqual([]);
    const { service } = buildService({ ...form, days: ['MO'], name: 'Changed' }, stored, [], ids());
    expect(service.schedules).toEqual(stored.schedules);
  });

  it('removes the place when every field about it is cleared', () => {
    const stored = storedService();
    const form = formValuesOf(stored);
    const { service } = buildService(
      { ...form, locationName: '', address1: '', town: '', postcode: '', accessibility: '' },
      stored,
      [],
      ids(),
    );
    expect(service.service_at_locations).toEqual([]);
  });

  it('says in plain words what the form can check before sending', () => {
    expect(
      checkServiceValues(
        values({
          name: '',
          address1: '',
          opens: '25:00',
          closes: '08:00',
          days: [],
          cost: 'cost',
          maximumAge: '12',
        }),
      ),
    ).toEqual([
      { field: 'name', message: 'Enter the name of the service' },
      { field: 'address1', message: 'Enter the first line of the address' },
      { field: 'opens', message: 'Enter the opening time as hours and minutes, like 09:30' },
      { field: 'days', message: 'Choose the days it runs' },
      { field: 'costText', message: 'Say what it costs' },
      { field: 'maximumAge', message: 'The maximum age must be the same as the minimum age or more' },
    ]);
  });

  it('puts the directory’s problems on the fields they are about, and keeps the others with their path', () => {
    const paths = {
      schedule: 'service_at_locations.0.schedules.0',
      address: 'service_at_locations.0.location.addresses.1',
    };
    expect(
      problemFromOruk(
        {
          field: 'service_at_locations.0.location.addresses.1.postal_code',
          message: 'must be 20 characters or fewer',
        },
        paths,
      ),
    ).toEqual({ field: 'postcode', message: 'Postcode must be 20 characters or fewer' });
    expect(
      problemFromOruk(
        {
          field: 'service_at_locations[0].schedules[0].byday',
          message: 'has days that cannot recur weekly: XX',
        },
        paths,
      ),
    ).toEqual({ field: 'days', message: 'Choose the days it runs' });
    expect(problemFromOruk({ field: 'email', message: 'must be an email address' }, paths)).toEqual({
      field: 'email',
      message: 'Enter an email address in the correct format, like name@example.org',
    });
    expect(problemFromOruk({ field: 'maximum_age', message: 'is below minimum_age' }, paths)).toEqual({
      field: 'maximumAge',
      message: 'Maximum age is below the minimum age',
    });
    expect(problemFromOruk({ field: 'funding.0.source', message: 'must be text' }, paths)).toEqual({
      field: '',
      message: 'In the record’s funding.0.source: must be text',
    });
    expect(
      problemFromOruk({ field: 'attributes', message: 'Term 123 is not in your directory' }, paths),
    ).toEqual({ field: 'terms', message: 'Term 123 is not in your directory' });
  });
});
