/*
 * What an administrator uploads or pastes on the Questionnaires pages, read in the browser so each problem can be
 * named before anything is sent: a licence's conversion table (a CSV of raw,converted) and an instrument's
 * definition (JSON in the definition format). The server checks both again; these only catch what it cannot
 * explain as well (a row of a file it never sees, JSON that does not parse).
 */

export interface ConversionRow {
  raw: number;
  converted: number;
}

export interface FileProblem {
  /** The file's line number (from 1), or null for a problem with the whole file. */
  row: number | null;
  message: string;
}

/** The server's limit on a conversion table's rows (definition.ts conversionTable). */
export const MAX_CONVERSION_ROWS = 1000;

const wholeNumber = /^-?\d+$/;
const decimalNumber = /^-?(\d+(\.\d*)?|\.\d+)$/;

function cellsOf(line: string): string[] {
  return line.split(',').map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );
}

/**
 * A conversion table from a CSV file with two columns, the raw score and the converted score, one row per raw
 * score. A first row that does not start with a number (e.g. `raw,converted`) is taken as the header.
 */
export function parseConversionCsv(text: string): { table: ConversionRow[]; problems: FileProblem[] } {
  const table: ConversionRow[] = [];
  const problems: FileProblem[] = [];
  const firstRowOf = new Map<number, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let seenFirst = false;
  lines.forEach((line, index) => {
    const row = index + 1;
    if (line.trim() === '') return;
    const cells = cellsOf(line);
    const isFirst = !seenFirst;
    seenFirst = true;
    if (isFirst && cells[0] !== '' && !/^[-+.]?\d/.test(cells[0] ?? '')) return;
    if (cells.length !== 2) {
      problems.push({
        row,
        message: `Row ${row} has ${cells.length === 1 ? 'one value' : `${cells.length} values`}: each row needs two, the raw score and the converted score, separated by a comma`,
      });
      return;
    }
    const [rawText = '', convertedText = ''] = cells;
    let ok = true;
    if (!wholeNumber.test(rawText)) {
      ok = false;
      problems.push({
        row,
        message:
          rawText === ''
            ? `Row ${row} has no raw score: enter it in the first column`
            : `Row ${row}: the raw score “${rawText}” is not a whole number`,
      });
    }
    if (!decimalNumber.test(convertedText)) {
      ok = false;
      problems.push({
        row,
        message:
          convertedText === ''
            ? `Row ${row} has no converted score: enter it in the second column`
            : `Row ${row}: the converted score “${convertedText}” is not a number (use a full stop for decimals)`,
      });
    }
    if (!ok) return;
    const raw = Number(rawText);
    const earlier = firstRowOf.get(raw);
    if (earlier !== undefined) {
      problems.push({ row, message: `Row ${row}: raw score ${raw} is already on row ${earlier}` });
      return;
    }
    firstRowOf.set(raw, row);
    table.push({ raw, converted: Number(convertedText) });
  });
  if (table.length === 0 && problems.length === 0) {
    problems.push({
      row: null,
      message: 'The file has no rows: it needs one row for each raw score, with its converted score',
    });
  }
  if (table.length > MAX_CONVERSION_ROWS) {
    problems.push({
      row: null,
      message: `The table has ${table.length} rows: a conversion table has at most ${MAX_CONVERSION_ROWS}`,
    });
  }
  return { table, problems };
}

/** A pasted or uploaded instrument definition: one JSON object, or why it is not one. */
export function readDefinition(
  text: string,
): { kind: 'ok'; definition: Record<string, unknown> } | { kind: 'problem'; message: string } {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') {
    return { kind: 'problem', message: 'Paste the questionnaire’s definition, or upload its JSON file' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'problem',
      message: `The definition is not valid JSON (${reason}): check for a missing quote, comma or bracket`,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      kind: 'problem',
      message: 'The definition must be one JSON object, starting with { and ending with }',
    };
  }
  const object = parsed as Record<string, unknown>;
  if (object.resourceType === 'Questionnaire') {
    return {
      kind: 'problem',
      message:
        'This is a FHIR Questionnaire: write the questionnaire in Linkwork’s definition format instead (code, version, title, items and scores)',
    };
  }
  return { kind: 'ok', definition: object };
}

/**
 * A problem the server found in a definition, saying where: `items.0.options` becomes `items[0].options`, the
 * JSON path an editor shows; a problem with the whole definition keeps its message alone.
 */
export function definitionProblem(field: string, message: string): string {
  if (field === '' || field === 'definition') return message;
  const path = field
    .split('.')
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
  return `${path}: ${message}`;
}
