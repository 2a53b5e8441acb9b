import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance, isProbableMatch, namesAlike } from './matching.ts';

const margaret = {
  givenName: 'Margaret',
  familyName: 'Okoro',
  dateOfBirth: '1948-05-02',
  postcode: 'LS1 4AP',
};

describe('probable duplicates', () => {
  it('counts a swapped pair of letters as one slip', () => {
    expect(editDistance('jonh', 'john')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('tolerates typos, accents and case in names, but not different names', () => {
    expect(namesAlike('Margaret', 'Margret')).toBe(true);
    expect(namesAlike('Okoro', 'okorro')).toBe(true);
    expect(namesAlike('Zoë', 'Zoe')).toBe(true);
    expect(namesAlike('Ann', 'Anne')).toBe(true);
    expect(namesAlike('Ann', 'Jan')).toBe(false);
    expect(namesAlike('Margaret', 'Michael')).toBe(false);
  });

  it('matches on date of birth and family name plus first name or postcode', () => {
    expect(isProbableMatch(margaret, { ...margaret, givenName: 'Margret' })).toBe(true);
    expect(isProbableMatch(margaret, { ...margaret, givenName: 'Peggy', postcode: 'ls14ap' })).toBe(true);
    expect(isProbableMatch(margaret, { ...margaret, givenName: 'Peggy', postcode: 'LS2 7UE' })).toBe(false);
    expect(isProbableMatch(margaret, { ...margaret, dateOfBirth: '1948-05-03' })).toBe(false);
    expect(isProbableMatch(margaret, { ...margaret, familyName: 'Smith' })).toBe(false);
  });

  it('is symmetric and finds everyone a match for themself', () => {
    const person = fc.record({
      givenName: fc.string({ minLength: 1, maxLength: 12 }),
      familyName: fc.string({ minLength: 1, maxLength: 12 }),
      dateOfBirth: fc.constantFrom('1950-01-01', '1950-01-02'),
      postcode: fc.option(fc.constantFrom('LS1 4AP', 'LS2 7UE'), { nil: null }),
    });
    fc.assert(
      fc.property(person, person, (a, b) => {
        expect(isProbableMatch(a, b)).toBe(isProbableMatch(b, a));
        if (/[a-z]/i.test(a.familyName) && /[a-z]/i.test(a.givenName))
          expect(isProbableMatch(a, a)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
