import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import {
  type QdaCode,
  type QdaCodebook,
  type QdaCoding,
  type QdaProject,
  type QdaValue,
  type QdaVariableValue,
  qdaVariableTypes,
} from './model.ts';

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;
// xsd:dateTime and xsd:date lexical forms (time zone optional).
export const DATE_TIME_PATTERN = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
export const DATE_PATTERN = /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;
// With the u flag a surrogate class matches only unpaired halves, which UTF-8 cannot carry.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Where an object was found, for messages: "project.qde line 12". Absent when checking a model to write. */
export type Locate = (guid: string) => string | undefined;

/** The number of Unicode code points in a text: what Linkwork positions count. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** A code and its descendants, depth first, parents before children. */
export function* walkCodes(codes: readonly QdaCode[]): Generator<QdaCode> {
  for (const code of codes) {
    yield code;
    yield* walkCodes(code.children);
  }
}

/** The user-facing name of an object: its kind, its name or GUID, and where it is in the file when known. */
export function describe(kind: string, guid: string, name: string | undefined, locate?: Locate): string {
  const where = locate?.(guid);
  return `${kind} ${name ? `"${name}"` : guid}${where ? ` (${where})` : ''}`;
}

interface Declared {
  kind: string;
  name: string | undefined;
}

/**
 * Every rule a project must meet to be written or returned from an import: GUIDs well formed and unique, every
 * reference resolved, variable values of their variable's type, selections inside their text (in code points).
 */
export function findProjectProblems(project: QdaProject, locate?: Locate): FieldError[] {
  const problems: FieldError[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const declared = new Map<string, Declared[]>();
  const declare = (kind: string, guid: string, name: string | undefined, field: string) => {
    if (!GUID_PATTERN.test(guid)) {
      problem(
        `${field}.guid`,
        `${describe(kind, guid, name, locate)} has GUID "${guid}", which is not lower-case 8-4-4-4-12 hex.`,
      );
    }
    const entries = declared.get(guid) ?? [];
    entries.push({ kind, name });
    declared.set(guid, entries);
  };
  const checkDate = (owner: string, field: string, attribute: string, value: string | undefined) => {
    if (value !== undefined && !DATE_TIME_PATTERN.test(value)) {
      problem(
        `${field}.${attribute}`,
        `${owner} has ${attribute} "${value}", which is not a date and time such as 2024-05-01T09:30:00Z.`,
      );
    }
  };

  for (const user of project.users) declare('User', user.guid, user.name, 'User');
  for (const code of walkCodes(project.codebook.codes)) {
    declare('Code', code.guid, code.name, 'Code');
    const owner = describe('Code', code.guid, code.name, locate);
    if (code.color !== undefined && !COLOR_PATTERN.test(code.color)) {
      problem('Code.color', `${owner} has color "${code.color}", which is not a colour such as #1F77B4.`);
    }
  }
  for (const variable of project.variables) {
    declare('Variable', variable.guid, variable.name, 'Variable');
    if (!qdaVariableTypes.includes(variable.typeOfVariable)) {
      problem(
        'Variable.typeOfVariable',
        `${describe('Variable', variable.guid, variable.name, locate)} has typeOfVariable "${variable.typeOfVariable}"; it must be one of ${qdaVariableTypes.join(', ')}.`,
      );
    }
  }
  for (const kase of project.cases) declare('Case', kase.guid, kase.name, 'Case');
  for (const source of project.sources) {
    declare('TextSource', source.guid, source.name, 'TextSource');
    for (const selection of source.selections) {
      declare('PlainTextSelection', selection.guid, selection.name, 'PlainTextSelection');
      for (const coding of selection.codings) declare('Coding', coding.guid, undefined, 'Coding');
    }
    for (const coding of source.codings) declare('Coding', coding.guid, undefined, 'Coding');
  }
  for (const note of project.notes) declare('Note', note.guid, note.name, 'Note');
  for (const set of project.sets) declare('Set', set.guid, set.name, 'Set');

  for (const [guid, entries] of declared) {
    if (entries.length < 2) continue;
    const what = entries.map((entry) => describe(entry.kind, guid, entry.name)).join(', ');
    const where = locate?.(guid);
    problem(
      'guid',
      `GUID ${guid} is used by ${entries.length} objects: ${what}${where ? ` (${where})` : ''}. Each object needs its own GUID.`,
    );
  }

  const kindOf = (guid: string) => declared.get(guid)?.[0]?.kind;
  const checkRefs = (owner: string, field: string, guids: readonly string[], kind: string, noun: string) => {
    for (const guid of guids) {
      if (kindOf(guid) !== kind) {
        problem(`${field}.targetGUID`, `${owner} refers to ${noun} ${guid}, which is not in the project.`);
      }
    }
  };
  const checkUser = (owner: string, field: string, attribute: string, guid: string | undefined) => {
    if (guid !== undefined && kindOf(guid) !== 'User') {
      problem(
        `${field}.${attribute}`,
        `${owner} has ${attribute} ${guid}, which is not a user in the project.`,
      );
    }
  };
  const variables = new Map(project.variables.map((variable) => [variable.guid, variable]));
  const checkValues = (owner: string, field: string, values: readonly QdaVariableValue[]) => {
    for (const { variableRef, value } of values) {
      const variable = variables.get(variableRef);
      if (!variable) {
        problem(
          `${field}.VariableValue.VariableRef`,
          `${owner} has a value for variable ${variableRef}, which is not in the project.`,
        );
        continue;
      }
      if (value === null) continue;
      const valueProblem = findValueProblem(value);
      const label = `${owner}'s value for variable "${variable.name}"`;
      if (value.type !== variable.typeOfVariable) {
        problem(
          `${field}.VariableValue`,
          `${label} is a ${value.type} value, but the variable is of type ${variable.typeOfVariable}.`,
        );
      } else if (valueProblem) {
        problem(`${field}.VariableValue.${value.type}Value`, `${label} ${valueProblem}`);
      }
    }
  };
  const checkCoding = (owner: string, coding: QdaCoding) => {
    const label = `Coding ${coding.guid} in ${owner}`;
    checkRefs(label, 'Coding.CodeRef', [coding.codeRef], 'Code', 'code');
    checkRefs(label, 'Coding.NoteRef', coding.noteRefs, 'Note', 'note');
    checkUser(label, 'Coding', 'creatingUser', coding.creatingUser);
    checkDate(label, 'Coding', 'creationDateTime', coding.creationDateTime);
  };

  const project_ = `Project "${project.name}"`;
  checkUser(project_, 'Project', 'creatingUserGUID', project.creatingUserGUID);
  checkUser(project_, 'Project', 'modifyingUserGUID', project.modifyingUserGUID);
  checkDate(project_, 'Project', 'creationDateTime', project.creationDateTime);
  checkDate(project_, 'Project', 'modifiedDateTime', project.modifiedDateTime);
  checkRefs(project_, 'Project.NoteRef', project.noteRefs, 'Note', 'note');
  for (const code of walkCodes(project.codebook.codes)) {
    checkRefs(describe('Code', code.guid, code.name, locate), 'Code.NoteRef', code.noteRefs, 'Note', 'note');
  }
  for (const kase of project.cases) {
    const owner = describe('Case', kase.guid, kase.name, locate);
    checkRefs(owner, 'Case.CodeRef', kase.codeRefs, 'Code', 'code');
    checkRefs(owner, 'Case.SourceRef', kase.sourceRefs, 'TextSource', 'source');
    checkRefs(owner, 'Case.SelectionRef', kase.selectionRefs, 'PlainTextSelection', 'selection');
    checkValues(owner, 'Case', kase.variableValues);
  }
  for (const source of project.sources) {
    const owner = describe('TextSource', source.guid, source.name, locate);
    checkUser(owner, 'TextSource', 'creatingUser', source.creatingUser);
    checkUser(owner, 'TextSource', 'modifyingUser', source.modifyingUser);
    checkDate(owner, 'TextSource', 'creationDateTime', source.creationDateTime);
    checkDate(owner, 'TextSource', 'modifiedDateTime', source.modifiedDateTime);
    checkRefs(owner, 'TextSource.NoteRef', source.noteRefs, 'Note', 'note');
    checkValues(owner, 'TextSource', source.variableValues);
    for (const coding of source.codings) checkCoding(owner, coding);
    if (LONE_SURROGATE.test(source.text)) {
      problem(
        'TextSource.text',
        `The text of ${owner} contains half of a surrogate pair, which UTF-8 cannot carry.`,
      );
    }
    const length = codePointLength(source.text);
    for (const selection of source.selections) {
      const label = `${describe('PlainTextSelection', selection.guid, selection.name, locate)} in ${owner}`;
      const { startPosition: start, endPosition: end } = selection;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
        problem(
          'PlainTextSelection.startPosition',
          `${label} has positions ${start}–${end}, which are not whole numbers.`,
        );
      } else if (start < 0) {
        problem(
          'PlainTextSelection.startPosition',
          `${label} has startPosition ${start}, which is before the text begins.`,
        );
      } else if (end < start) {
        problem(
          'PlainTextSelection.endPosition',
          `${label} has endPosition ${end} before its startPosition ${start}.`,
        );
      } else if (end > length) {
        problem(
          'PlainTextSelection.endPosition',
          `${label} has endPosition ${end}, past the end of the text, which is ${length} characters long counted as Unicode code points.${positionsHint(source.text, end)}`,
        );
      }
      checkUser(label, 'PlainTextSelection', 'creatingUser', selection.creatingUser);
      checkUser(label, 'PlainTextSelection', 'modifyingUser', selection.modifyingUser);
      checkDate(label, 'PlainTextSelection', 'creationDateTime', selection.creationDateTime);
      checkDate(label, 'PlainTextSelection', 'modifiedDateTime', selection.modifiedDateTime);
      checkRefs(label, 'PlainTextSelection.NoteRef', selection.noteRefs, 'Note', 'note');
      for (const coding of selection.codings) checkCoding(label, coding);
    }
  }
  for (const note of project.notes) {
    const owner = describe('Note', note.guid, note.name, locate);
    checkUser(owner, 'Note', 'creatingUser', note.creatingUser);
    checkUser(owner, 'Note', 'modifyingUser', note.modifyingUser);
    checkDate(owner, 'Note', 'creationDateTime', note.creationDateTime);
    checkDate(owner, 'Note', 'modifiedDateTime', note.modifiedDateTime);
  }
  for (const set of project.sets) {
    const owner = describe('Set', set.guid, set.name, locate);
    checkRefs(owner, 'Set.MemberCode', set.memberCodes, 'Code', 'code');
    checkRefs(owner, 'Set.MemberSource', set.memberSources, 'TextSource', 'source');
    checkRefs(owner, 'Set.MemberNote', set.memberNotes, 'Note', 'note');
  }
  return problems;
}

/** The rules for a codebook on its own (.qdc): GUIDs well formed and unique, colours. */
export function findCodebookProblems(codebook: QdaCodebook, locate?: Locate): FieldError[] {
  return findProjectProblems(
    {
      name: 'codebook',
      users: [],
      codebook: { codes: codebook.codes.map(withoutNoteRefs) },
      variables: [],
      cases: [],
      sources: [],
      notes: [],
      sets: [],
      noteRefs: [],
    },
    locate,
  );
}

function withoutNoteRefs(code: QdaCode): QdaCode {
  return { ...code, noteRefs: [], children: code.children.map(withoutNoteRefs) };
}

function positionsHint(text: string, end: number): string {
  if (end <= text.length) {
    return ` The text has characters such as emoji that count twice in UTF-16 code units (${text.length} units): the tool that wrote the file may count those. Import it again with positions counted in UTF-16 units.`;
  }
  const bytes = new TextEncoder().encode(text).length;
  if (end <= bytes) {
    return ` The text is ${bytes} bytes long in UTF-8: the tool that wrote the file may count bytes, which Linkwork cannot import.`;
  }
  return '';
}

function findValueProblem(value: QdaValue): string | undefined {
  switch (value.type) {
    case 'Integer':
      return Number.isSafeInteger(value.value)
        ? undefined
        : `${value.value} is not a whole number Linkwork can hold.`;
    case 'Float':
      return Number.isFinite(value.value) ? undefined : `${value.value} is not a finite number.`;
    case 'Date':
      return DATE_PATTERN.test(value.value)
        ? undefined
        : `"${value.value}" is not a date such as 2024-05-01.`;
    case 'DateTime':
      return DATE_TIME_PATTERN.test(value.value)
        ? undefined
        : `"${value.value}" is not a date and time such as 2024-05-01T09:30:00Z.`;
    case 'Text':
    case 'Boolean':
      return undefined;
  }
}

/** Throws one ValidationError listing every problem, the first (and how many more) in its message. */
export function throwIfProblems(problems: FieldError[], what: string): void {
  if (problems.length === 0) return;
  const first = problems[0]!.message;
  const message =
    problems.length === 1 ? `${what}: ${first}` : `${what}: ${problems.length} problems. The first: ${first}`;
  throw new ValidationError(message, problems.slice(0, 200));
}
