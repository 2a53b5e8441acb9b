import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findIdentifiers } from './identifiers.ts';

const found = (text: string, hints = {}) =>
  findIdentifiers(text, hints).map(({ kind, text: value, suggestion }) => [kind, value, suggestion]);

describe('findIdentifiers', () => {
  it('finds each kind of identifier in an interview, at exact code point offsets', () => {
    const text =
      'P1: 😀 My name is Ann Smith and I was born on 3rd April 1958. My NHS number is 943 476 5919 and you can ' +
      'ring me on 07700 900123 or email ann.smith@example.org. I live at LS6 3AB near Headingley and Dr Patel at ' +
      'Riverside Surgery referred me. We met on 12/05/2023.\n' +
      "The link worker from Leeds City Council rang +44 20 7946 0000 about Mrs O'Brien-Jones. DOB: 03/03/61.";
    // Offsets count code points: "P1: " is 4, the emoji 1, " My name is " 12, so "Ann Smith" is 17–26. Each later
    // offset is its position in a code point count of the text (one less than its JS string index).
    expect(findIdentifiers(text, { places: ['headingley'], names: ['ann smith'] })).toEqual([
      { start: 17, end: 26, kind: 'name', text: 'Ann Smith', suggestion: '[name]' },
      { start: 45, end: 59, kind: 'date_of_birth', text: '3rd April 1958', suggestion: '[date of birth]' },
      { start: 78, end: 90, kind: 'nhs_number', text: '943 476 5919', suggestion: '[NHS number]' },
      { start: 114, end: 126, kind: 'phone', text: '07700 900123', suggestion: '[phone number]' },
      { start: 136, end: 157, kind: 'email', text: 'ann.smith@example.org', suggestion: '[email]' },
      { start: 169, end: 176, kind: 'postcode', text: 'LS6 3AB', suggestion: '[postcode]' },
      { start: 182, end: 192, kind: 'place', text: 'Headingley', suggestion: '[place]' },
      { start: 197, end: 205, kind: 'name', text: 'Dr Patel', suggestion: '[name]' },
      { start: 209, end: 226, kind: 'organisation', text: 'Riverside Surgery', suggestion: '[GP practice]' },
      { start: 250, end: 260, kind: 'date_of_birth', text: '12/05/2023', suggestion: '[date]' },
      { start: 283, end: 301, kind: 'organisation', text: 'Leeds City Council', suggestion: '[council]' },
      { start: 307, end: 323, kind: 'phone', text: '+44 20 7946 0000', suggestion: '[phone number]' },
      { start: 330, end: 347, kind: 'name', text: "Mrs O'Brien-Jones", suggestion: '[name]' },
      { start: 354, end: 362, kind: 'date_of_birth', text: '03/03/61', suggestion: '[date of birth]' },
    ]);
  });

  it('takes only NHS numbers whose check digit is right', () => {
    // 9434765919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9.
    expect(found('NHS 943 476 5919, 9434765919, 943-476-5919')).toEqual([
      ['nhs_number', '943 476 5919', '[NHS number]'],
      ['nhs_number', '9434765919', '[NHS number]'],
      ['nhs_number', '943-476-5919', '[NHS number]'],
    ]);
    expect(found('not 943 476 5918 nor 943 4765 919')).toEqual([]);
  });

  it('finds UK phone numbers as people write them, and not other numbers', () => {
    expect(
      found('Ring 020 7946 0000, (0113) 496 0000, 01632 960123, 07700900123 or +44 (0)7700 900123.').map(
        (c) => c[1],
      ),
    ).toEqual(['020 7946 0000', '(0113) 496 0000', '01632 960123', '07700900123', '+44 (0)7700 900123']);
    expect(found('Call 0800 123 4567 or quote 12345 678901 or 0113 49')).toEqual([]);
  });

  it('finds postcodes in capitals and not things shaped a little like them', () => {
    expect(found('SW1A 1AA, M1 1AE, B331HJ and GIR 0AA').map((c) => c[1])).toEqual([
      'SW1A 1AA',
      'M1 1AE',
      'B331HJ',
      'GIR 0AA',
    ]);
    expect(found('the A1 road, QQ1 1AA, LS6 3CI')).toEqual([]);
  });

  it('marks dates near a birth keyword as dates of birth, with parts of dates, and other real dates as dates', () => {
    expect(found('She was born in March 1958.')).toEqual([
      ['date_of_birth', 'March 1958', '[date of birth]'],
    ]);
    expect(found('born in 1958')).toEqual([['date_of_birth', '1958', '[date of birth]']]);
    expect(found('Her birthday is the 3rd of April.')).toEqual([
      ['date_of_birth', '3rd of April', '[date of birth]'],
    ]);
    expect(found('03.04.1958 (date of birth)')).toEqual([['date_of_birth', '03.04.1958', '[date of birth]']]);
    expect(found('We met on April 3rd, 2024 and 29/02/2024.')).toEqual([
      ['date_of_birth', 'April 3rd, 2024', '[date]'],
      ['date_of_birth', '29/02/2024', '[date]'],
    ]);
    // No 31st of April; no 29th of February in 2023; a year alone away from a birth keyword is not a date.
    expect(found('31/04/2020, 29/02/2023, in 1958')).toEqual([]);
  });

  it('finds names after titles, "my name is", "called" and "named", and hinted names as whole words', () => {
    expect(found('Mrs Ann Smith and Dr. J. Patel met Prof Okafor.')).toEqual([
      ['name', 'Mrs Ann Smith', '[name]'],
      ['name', 'Dr. J. Patel', '[name]'],
      ['name', 'Prof Okafor', '[name]'],
    ]);
    expect(found('My name is Bob and my son is called Jamal Idris.')).toEqual([
      ['name', 'Bob', '[name]'],
      ['name', 'Jamal Idris', '[name]'],
    ]);
    expect(found('Ann, ANN and ann said; Annette and Joanne did not.', { names: ['Ann'] })).toEqual([
      ['name', 'Ann', '[name]'],
      ['name', 'ANN', '[name]'],
      ['name', 'ann', '[name]'],
    ]);
    expect(found('the nurse and I called him')).toEqual([]);
  });

  it('finds organisations by their ending, without the words before that are not part of the name', () => {
    expect(
      found(
        'So Riverside Surgery sent me to University Hospitals of Leicester NHS Trust, then North Leeds PCN, ' +
          "St Mary's Hospital and Oakwood Medical Centre.",
      ),
    ).toEqual([
      ['organisation', 'Riverside Surgery', '[GP practice]'],
      ['organisation', 'University Hospitals of Leicester NHS Trust', '[NHS trust]'],
      ['organisation', 'North Leeds PCN', '[PCN]'],
      ['organisation', "St Mary's Hospital", '[hospital]'],
      ['organisation', 'Oakwood Medical Centre', '[GP practice]'],
    ]);
    expect(found('Our GP Practice and the hospital and the Trust')).toEqual([]);
    expect(found('I went to Age UK.', { organisations: ['age uk'] })).toEqual([
      ['organisation', 'Age UK', '[organisation]'],
    ]);
  });

  it('keeps the longer of two overlapping candidates', () => {
    // "Riverside" (a hinted place) lies inside "Riverside Surgery"; "Patel" (a hinted name) inside "Dr Patel".
    expect(found('Dr Patel at Riverside Surgery', { places: ['Riverside'], names: ['Patel'] })).toEqual([
      ['name', 'Dr Patel', '[name]'],
      ['organisation', 'Riverside Surgery', '[GP practice]'],
    ]);
  });

  it('returns sorted candidates that never overlap and whose text is what lies at their offsets', () => {
    const fragments = [
      'Dr Patel',
      ' ',
      '😀',
      'Riverside Surgery',
      'LS6 3AB',
      '07700 900123',
      ' born on ',
      '3/4/58',
      'ann@example.org',
      'Ann',
      '\n',
      'called ',
      'Leeds',
      '943 476 5919',
      ' at ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const codePoints = [...text];
        const candidates = findIdentifiers(text, { names: ['Ann'], places: ['Leeds'] });
        for (let i = 0; i < candidates.length; i++) {
          const c = candidates[i]!;
          expect(c.start).toBeLessThan(c.end);
          expect(codePoints.slice(c.start, c.end).join('')).toBe(c.text);
          if (i > 0) expect(candidates[i - 1]!.end).toBeLessThanOrEqual(c.start);
        }
      }),
    );
  });
});
