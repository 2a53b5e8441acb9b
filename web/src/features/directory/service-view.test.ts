import { describe, expect, it } from 'vitest';
import { serviceView } from './service-view.ts';

describe('what the service page shows from an ORUK record', () => {
  it('says each cost once, and reads the physical address and accessibility of each place', () => {
    const view = serviceView({
      name: 'Community Choir',
      minimum_age: 18,
      cost_options: [
        { id: 'a', option: 'Free', amount: 0 },
        { id: 'b', option: 'Per term', amount: 30 },
        { id: 'c', option: 'Carers', amount_description: 'Free with a carer’s card' },
      ],
      service_at_locations: [
        {
          location: {
            name: 'St Anne’s hall',
            addresses: [
              { address_1: 'PO Box 4', postal_code: 'XX1 9AA', address_type: 'postal' },
              {
                address_1: '2 Church Lane',
                city: 'Riverside',
                postal_code: 'XX1 2AB',
                address_type: 'physical',
              },
            ],
            accessibility: [{ accessibility: 'Ramp', description: 'at the side door' }],
          },
        },
        { location: { location_type: 'virtual', url: 'https://example.org' } },
      ],
    });
    expect(view.costs).toEqual(['Free', 'Per term: £30', 'Carers: Free with a carer’s card']);
    expect(view.ages).toBe('18 and over');
    expect(view.places).toEqual([
      {
        name: 'St Anne’s hall',
        lines: ['2 Church Lane', 'Riverside', 'XX1 2AB'],
        accessibility: ['Ramp: at the side door'],
        transport: '',
      },
      { name: 'Online', lines: [], accessibility: [], transport: '' },
    ]);
  });

  it('falls back to the fees text when there are no cost options, and says all ages when none are given', () => {
    const view = serviceView({ name: 'Craft and Natter', fees_description: '£2 for materials' });
    expect(view.costs).toEqual(['£2 for materials']);
    expect(view.ages).toBe('All ages');
    expect(view.places).toEqual([]);
  });
});
