import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { csvCell } from '../../platform/csv.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { codeDescription, parseCodeDescription } from './exchange.ts';
import type { QdaCode } from './refi-qda/model.ts';
import { readQdc } from './refi-qda/read-qdpx.ts';
import { writeQdc } from './refi-qda/write-qdpx.ts';
import { researchCodes } from './schema.ts';
import { studyFor } from './service.ts';

/*
 * The codebook on its own, out and in: REFI-QDA `.qdc` (urn:QDA-XML:codebook:1.0) and CSV (one row per code, its
 * place in the hierarchy as a path "Parent › Child"). Import adds codes a study does not have, matching existing
 * ones by their path (names compared without regard to case), and changes no coding. All or nothing: a problem
 * anywhere refuses the whole file.
 */

const PATH_SEPARATOR = ' › ';
const DEFAULT_COLOUR = '#1D70B8';
const MAX_NAME = 120;
const CSV_HEADERS = ['Path', 'Name', 'Definition', 'When to use', 'When not to use', 'Colour'] as const;

type Code = typeof researchCodes.$inferSelect;

async function codesOf(tx: Db, studyId: string) {
  return tx
    .select()
    .from(researchCodes)
    .where(eq(researchCodes.studyId, studyId))
    .orderBy(researchCodes.name);
}

function pathsOf(codes: Code[]): Map<string, string> {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const path = (c: Code, seen = new Set<string>()): string => {
    if (!c.parentId || seen.has(c.id)) return c.name;
    seen.add(c.id);
    const parent = byId.get(c.parentId);
    return parent ? `${path(parent, seen)}${PATH_SEPARATOR}${c.name}` : c.name;
  };
  return new Map(codes.map((c) => [c.id, path(c)]));
}

export async function exportCodebookQdc(tx: Db, actor: Actor, studyId: string): Promise<Uint8Array> {
  await studyFor(tx, actor, studyId, 'read');
  const codes = await codesOf(tx, studyId);
  const tree = (parentId: string | null): QdaCode[] =>
    codes
      .filter((c) => c.parentId === parentId)
      .map((c) => ({
        guid: c.id,
        name: c.name,
        isCodable: true,
        color: c.colour.toUpperCase(),
        description: codeDescription(c),
        noteRefs: [],
        children: tree(c.id),
      }));
  if (codes.length === 0) throw new ValidationError('The codebook is empty: add codes before exporting it');
  await recordAudit(tx, actor, {
    action: 'research.codebook.exported',
    recordType: 'study',
    recordIds: [studyId],
  });
  return writeQdc({ origin: 'Linkwork', codes: tree(null) });
}

export async function exportCodebookCsv(tx: Db, actor: Actor, studyId: string): Promise<string> {
  await studyFor(tx, actor, studyId, 'read');
  const codes = await codesOf(tx, studyId);
  const paths = pathsOf(codes);
  const rows = [...codes].sort((a, b) => (paths.get(a.id)! < paths.get(b.id)! ? -1 : 1));
  await recordAudit(tx, actor, {
    action: 'research.codebook.exported',
    recordType: 'study',
    recordIds: [studyId],
  });
  return `\uFEFF${[
    CSV_HEADERS.join(','),
    ...rows.map((c) =>
      [paths.get(c.id)!, c.name, c.definition, c.whenToUse, c.whenNotToUse, c.colour].map(csvCell).join(','),
    ),
  ].join('\r\n')}\r\n`;
}

interface IncomingCode {
  path: string[];
  definition: string | null;
  whenToUse: string | null;
  whenNotToUse: string | null;
  colour: string;
}

/** Adds the codes the study does not have yet, parents before children; returns what was added and matched. */
async function addCodes(tx: Db, actor: Actor, studyId: string, incoming: IncomingCode[], what: string) {
  const { study } = await studyFor(tx, actor, studyId, 'write');
  const existing = await codesOf(tx, studyId);
  const key = (parentId: string | null, name: string) => `${parentId ?? ''}\u0000${name.toLowerCase()}`;
  const ids = new Map(existing.map((c) => [key(c.parentId, c.name), c.id]));
  let created = 0;
  let matched = 0;
  const ordered = [...incoming].sort((a, b) => a.path.length - b.path.length);
  for (const code of ordered) {
    let parentId: string | null = null;
    for (let depth = 0; depth < code.path.length; depth++) {
      const name = code.path[depth]!;
      const k = key(parentId, name);
      let id = ids.get(k);
      const last = depth === code.path.length - 1;
      if (!id) {
        id = newId();
        ids.set(k, id);
        await tx.insert(researchCodes).values({
          id,
          organisationId: study.organisationId,
          studyId,
          parentId,
          name,
          definition: last ? code.definition : null,
          whenToUse: last ? code.whenToUse : null,
          whenNotToUse: last ? code.whenNotToUse : null,
          colour: last ? code.colour : DEFAULT_COLOUR,
          createdBy: actor.userId,
          createdAt: actor.now,
          updatedAt: actor.now,
        });
        created++;
      } else if (last) {
        matched++;
      }
      parentId = id;
    }
  }
  await recordAudit(tx, actor, {
    action: 'research.codebook.imported',
    recordType: 'study',
    recordIds: [studyId],
    detail: { format: what, created, matched },
  });
  return { created, matched };
}

function checkName(name: string, where: string, problems: FieldError[]) {
  if (!name) problems.push({ field: where, message: `${where}: a code has no name` });
  else if (name.length > MAX_NAME) {
    problems.push({
      field: where,
      message: `${where}: “${name.slice(0, 40)}…” is longer than ${MAX_NAME} characters`,
    });
  }
}

export async function importCodebookQdc(tx: Db, actor: Actor, studyId: string, bytes: Uint8Array) {
  await studyFor(tx, actor, studyId, 'write');
  const book = readQdc(bytes);
  const incoming: IncomingCode[] = [];
  const problems: FieldError[] = [];
  const walk = (codes: QdaCode[], path: string[]) => {
    for (const c of codes) {
      const name = c.name.trim();
      checkName(name, `Code ${[...path, name].join(PATH_SEPARATOR)}`, problems);
      incoming.push({
        path: [...path, name],
        ...parseCodeDescription(c.description),
        colour: c.color ?? DEFAULT_COLOUR,
      });
      walk(c.children, [...path, name]);
    }
  };
  walk(book.codes, []);
  if (problems.length)
    throw new ValidationError(`The codebook cannot be imported: ${problems[0]!.message}`, problems);
  return addCodes(tx, actor, studyId, incoming, 'qdc');
}

export async function importCodebookCsv(tx: Db, actor: Actor, studyId: string, text: string) {
  await studyFor(tx, actor, studyId, 'write');
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true });
  } catch (err) {
    throw new ValidationError(`The CSV file cannot be read: ${(err as Error).message}`, [
      { field: 'file', message: (err as Error).message },
    ]);
  }
  const [header, ...rows] = records;
  const columns = (header ?? []).map((h) => h.trim().toLowerCase());
  const at = (name: string) => columns.indexOf(name.toLowerCase());
  if (at('Path') < 0 && at('Name') < 0) {
    throw new ValidationError('The first row must name the columns, with at least Path or Name', {
      field: 'file',
    });
  }
  const problems: FieldError[] = [];
  const incoming: IncomingCode[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    const cell = (name: string) => {
      const k = at(name);
      const v = k >= 0 ? (row[k] ?? '').trim().replace(/^'(?=[=+\-@])/, '') : '';
      return v === '' ? null : v;
    };
    const path = (cell('Path') ?? cell('Name') ?? '').split(/\s*(?:›|>)\s*/).map((p) => p.trim());
    for (const name of path) checkName(name, `Row ${line}`, problems);
    const colour = cell('Colour') ?? DEFAULT_COLOUR;
    if (!/^#[0-9A-Fa-f]{6}$/.test(colour)) {
      problems.push({ field: `Row ${line}`, message: `Row ${line}: colour “${colour}” is not like #1D70B8` });
    }
    incoming.push({
      path,
      definition: cell('Definition'),
      whenToUse: cell('When to use'),
      whenNotToUse: cell('When not to use'),
      colour,
    });
  });
  if (problems.length)
    throw new ValidationError(`The codebook cannot be imported: ${problems[0]!.message}`, problems);
  if (incoming.length === 0)
    throw new ValidationError('The CSV file has no codes under its header row', { field: 'file' });
  return addCodes(tx, actor, studyId, incoming, 'csv');
}
