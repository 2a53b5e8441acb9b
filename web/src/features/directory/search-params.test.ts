import { describe, expect, it } from 'vitest';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import {
  possessive,
  searchValuesForPerson,
  searchValuesFrom,
  searchValuesFromForm,
  timeOfDayOf,
} from './search-params.ts';

const known = ['loneliness', 'money_debt_benefits', 'physical_activity', 'bereavement'];

function episode(overrides: Partial<Episode> = {}): Episode {
  return {
    reasons: ['loneliness', 'bereavement'],
    whatMatters: [],
    reach: { postcode: 'xx1 1aa' },
    ...overrides,
  } as Episode;
}

const conversation = (version: number, domains: string[]) =>
  ({ version, needs: domains.map((domain) => ({ domain })) }) as unknown as Episode['whatMatters'][number];

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe('the Find services search in the page’s address', () => {
  it('starts a person’s search from the needs of their latest what matters conversation, near their postcode', () => {
    const withConversations = episode({
      whatMatters: [
        conversation(1, ['bereavement']),
        conversation(2, ['physical_activity', 'money_debt_benefits', 'physical_activity', 'housing_unknown']),
      ],
    });
    expect(searchValuesForPerson(withConversations, known)).toEqual({
      need: 'physical_activity,money_debt_benefits',
      postcode: 'XX1 1AA',
    });
  });

  it('uses the reasons for referral before any conversation, and leaves out a postcode it does not have', () => {
    expect(searchValuesForPerson(episode({ reach: { postcode: null } as Episode['reach'] }), known)).toEqual({
      need: 'loneliness,bereavement',
    });
  });

  it('reads the form into the API’s names: needs as one list, a time of day as from and to', () => {
    expect(
      searchValuesFromForm(
        form([
          ['q', ' walking '],
          ['need', 'loneliness'],
          ['need', 'physical_activity'],
          ['postcode', 'ls6 3hn'],
          ['withinKm', '5'],
          ['day', 'TU'],
          ['time', 'morning'],
          ['from', '13:00'],
          ['free', 'true'],
          ['attending', ''],
        ]),
      ),
    ).toEqual({
      q: 'walking',
      need: 'loneliness,physical_activity',
      postcode: 'LS6 3HN',
      withinKm: '5',
      day: 'TU',
      from: '09:00',
      to: '12:00',
      free: 'true',
    });
    expect(
      searchValuesFromForm(
        form([
          ['withinKm', '5'],
          ['time', 'between'],
          ['from', '18:30'],
        ]),
      ),
    ).toEqual({
      from: '18:30',
    });
  });

  it('knows a time of day again from its from and to, and keeps only the search’s own names', () => {
    expect(timeOfDayOf({ from: '17:00', to: '21:00' })).toBe('evening');
    expect(timeOfDayOf({ from: '17:00', to: '20:00' })).toBe('between');
    expect(timeOfDayOf({})).toBe('');
    expect(searchValuesFrom(new URLSearchParams('q=choir&referral=abc&page=2&sort=x&age='))).toEqual({
      q: 'choir',
      page: '2',
    });
  });

  it('says whose needs they are', () => {
    expect(possessive('Olive Thompson')).toBe('Olive Thompson’s');
    expect(possessive('James')).toBe('James’');
  });
});
