import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversionTable } from '../../../../src/modules/outcomes/definition.ts';
import { definitionProblem, parseConversionCsv, readDefinition } from './admin-files.ts';

// Made-up tables: these test the file format only. Real conversion tables come with a licence and are never
// written here.

describe('parseConversionCsv', () => {
  it('reads a header and rows of raw,converted, with Windows line endings and a byte-order mark', () => {
    const { table, problems } = parseConversionCsv(
      '\uFEFFraw,converted\r\n1,10.5\r\n2,"11"\r\n\r\n3, 12.25\r\n',
    );
    expect(problems).toEqual([]);
    expect(table).toEqual([
      { raw: 1, converted: 10.5 },
      { raw: 2, converted: 11 },
      { raw: 3, converted: 12.25 },
    ]);
  });

  it('takes a first row of numbers as data, not as a header', () => {
    expect(parseConversionCsv('4,40\n5,50').table).toEqual([
      { raw: 4, converted: 40 },
      { raw: 5, converted: 50 },
    ]);
  });

  it('names each wrong row by its line in the file', () => {
    // Line 1 header; 2 fine; 3 raw not whole; 4 three values; 5 converted not a number; 6 blank (skipped);
    // 7 raw repeated from line 2; 8 both cells empty.
    const text = 'Raw score,Metric score\n1,10\n1.5,11\n2,12,13\n3,abc\n\n1,14\n,\n';
    const { table, problems } = parseConversionCsv(text);
    expect(table).toEqual([{ raw: 1, converted: 10 }]);
    expect(problems).toEqual([
      { row: 3, message: 'Row 3: the raw score “1.5” is not a whole number' },
      {
        row: 4,
        message:
          'Row 4 has 3 values: each row needs two, the raw score and the converted score, separated by a comma',
      },
      { row: 5, message: 'Row 5: the converted score “abc” is not a number (use a full stop for decimals)' },
      { row: 7, message: 'Row 7: raw score 1 is already on row 2' },
      { row: 8, message: 'Row 8 has no raw score: enter it in the first column' },
      { row: 8, message: 'Row 8 has no converted score: enter it in the second column' },
    ]);
  });

  it('says so when a row has one value, e.g. a file separated by semicolons', () => {
    expect(parseConversionCsv('1;10').problems).toEqual([
      {
        row: 1,
        message:
          'Row 1 has one value: each row needs two, the raw score and the converted score, separated by a comma',
      },
    ]);
  });

  it('says an empty file, or one with only a header, has no rows', () => {
    const empty = {
      row: null,
      message: 'The file has no rows: it needs one row for each raw score, with its converted score',
    };
    expect(parseConversionCsv('').problems).toEqual([empty]);
    expect(parseConversionCsv('raw,converted\n').problems).toEqual([empty]);
  });

  it('refuses more rows than the server keeps', () => {
    const text = Array.from({ length: 1001 }, (_, i) => `${i},${i}`).join('\n');
    expect(parseConversionCsv(text).problems).toEqual([
      { row: null, message: 'The table has 1001 rows: a conversion table has at most 1000' },
    ]);
  });

  it('reads back any table written as CSV, and the server’s schema accepts what it reads', () => {
    const tables = fc.uniqueArray(
      fc.record({
        raw: fc.integer({ min: -1000, max: 1000 }),
        converted: fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      }),
      { minLength: 1, maxLength: 60, selector: (row) => row.raw },
    );
    fc.assert(
      fc.property(tables, fc.boolean(), (rows, header) => {
        // Written the plain way a spreadsheet would: fixed decimals, so no exponent ("1e-7") appears.
        const text = [
          ...(header ? ['raw,converted'] : []),
          ...rows.map((r) => `${r.raw},${r.converted.toFixed(4)}`),
        ].join('\n');
        const { table, problems } = parseConversionCsv(text);
        expect(problems).toEqual([]);
        expect(table).toEqual(rows.map((r) => ({ raw: r.raw, converted: Number(r.converted.toFixed(4)) })));
        expect(conversionTable.safeParse(table).success).toBe(true);
      }),
    );
  });
});

describe('readDefinition', () => {
  it('reads one JSON object', () => {
    expect(readDefinition(' {"code": "goals", "version": "1"} ')).toEqual({
      kind: 'ok',
      definition: { code: 'goals', version: '1' },
    });
  });

  it('asks for something when nothing is given', () => {
    expect(readDefinition('  \n')).toEqual({
      kind: 'problem',
      message: 'Paste the questionnaire’s definition, or upload its JSON file',
    });
  });

  it('says JSON that does not parse is not valid JSON, with the parser’s reason', () => {
    const result = readDefinition('{"code": "goals",}');
    expect(result.kind).toBe('problem');
    expect(result.kind === 'problem' && result.message).toMatch(
      /^The definition is not valid JSON \(.+\): check for a missing quote, comma or bracket$/,
    );
  });

  it('refuses a list or a bare value, and explains a FHIR Questionnaire is not the definition format', () => {
    const notObject = 'The definition must be one JSON object, starting with { and ending with }';
    expect(readDefinition('[{"code": "goals"}]')).toEqual({ kind: 'problem', message: notObject });
    expect(readDefinition('null')).toEqual({ kind: 'problem', message: notObject });
    expect(readDefinition('{"resourceType": "Questionnaire", "item": []}')).toEqual({
      kind: 'problem',
      message:
        'This is a FHIR Questionnaire: write the questionnaire in Linkwork’s definition format instead (code, version, title, items and scores)',
    });
  });
});

describe('definitionProblem', () => {
  it('writes the server’s dotted field as the JSON path an editor shows', () => {
    expect(definitionProblem('items.0.options', 'An item needs at least two options')).toBe(
      'items[0].options: An item needs at least two options',
    );
    expect(definitionProblem('scores.1.items.0', 'There is no item mood')).toBe(
      'scores[1].items[0]: There is no item mood',
    );
    expect(definitionProblem('title', 'Write this')).toBe('title: Write this');
  });

  it('keeps a problem with the whole definition as it is', () => {
    expect(definitionProblem('definition', 'Invalid input')).toBe('Invalid input');
    expect(definitionProblem('', 'Invalid input')).toBe('Invalid input');
  });
});
