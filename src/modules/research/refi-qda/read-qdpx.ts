import { type Unzipped, unzipSync } from 'fflate';
import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import {
  COLOR_PATTERN,
  codePointLength,
  DATE_TIME_PATTERN,
  findCodebookProblems,
  findProjectProblems,
  throwIfProblems,
} from './check-project.ts';
import {
  QDA_CODEBOOK_NAMESPACE,
  QDA_PROJECT_NAMESPACE,
  type QdaCase,
  type QdaCode,
  type QdaCodebook,
  type QdaCoding,
  type QdaImport,
  type QdaNote,
  type QdaPositionsUnit,
  type QdaSet,
  type QdaTextSelection,
  type QdaTextSource,
  type QdaUnimportedSource,
  type QdaUser,
  type QdaValue,
  type QdaVariable,
  type QdaVariableType,
  type QdaVariableValue,
  type QdaWarning,
  qdaVariableTypes,
} from './model.ts';
import { parseXmlDocument, type XmlElement } from './xml-tree.ts';

// Positions are read as Unicode code points of the text unless the caller says the file counts UTF-16 code units
// (see model.ts); the model always holds code points.

export interface ReadQdpxOptions {
  /** What the file's startPosition/endPosition count. Default: code points, as Linkwork writes them. */
  positionsUnit?: QdaPositionsUnit;
  /** Refuse archives whose project.qde and text sources would unpack to more than this. Default 256 MiB. */
  maxUnpackedBytes?: number;
}

const PROJECT_FILE = 'project.qde';
const GUID_IN_FILE = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
const NON_TEXT_SOURCES = ['PictureSource', 'PDFSource', 'AudioSource', 'VideoSource'] as const;

/**
 * Reads a REFI-QDA project (.qdpx). Text sources come from their plainTextPath in the `Sources/` folder (any case)
 * or from inline PlainTextContent; PDF, picture, audio and video sources are listed in `unimportedSources` with a
 * warning. Anything that breaks a rule (not a zip, no project.qde, malformed XML, wrong namespace, an unknown
 * reference, a selection outside its text, a missing source file, a repeated GUID) throws one ValidationError that
 * names the element and line; nothing is returned in part.
 */
export function readQdpx(bytes: Uint8Array, options: ReadQdpxOptions = {}): QdaImport {
  const maxUnpackedBytes = options.maxUnpackedBytes ?? 256 * 1024 * 1024;
  const projectEntry = unzipEntries(
    bytes,
    (path) => path.toLowerCase() === PROJECT_FILE,
    maxUnpackedBytes,
    0,
  );
  const projectBytes = Object.values(projectEntry)[0];
  if (!projectBytes) {
    throw new ValidationError(
      'The .qdpx file has no project.qde at the top of the archive, so it is not a REFI-QDA project.',
      { field: PROJECT_FILE },
    );
  }
  const root = parseXmlDocument(
    decodeText(projectBytes, PROJECT_FILE),
    PROJECT_FILE,
    'Project',
    QDA_PROJECT_NAMESPACE,
  );
  const reader = new ProjectReader(
    options.positionsUnit ?? 'codePoint',
    PROJECT_FILE,
    'The .qdpx project cannot be imported',
  );
  const wantedSources = reader.sourceFileNames(root);
  const sourceFiles = unzipEntries(
    bytes,
    (path) => wantedSources.has(sourceFileKey(path) ?? ''),
    maxUnpackedBytes,
    projectBytes.length,
  );
  const byName = new Map<string, { name: string; data: Uint8Array }[]>();
  for (const [path, data] of Object.entries(sourceFiles)) {
    const key = sourceFileKey(path)!;
    byName.set(key, [
      ...(byName.get(key) ?? []),
      { name: path.replaceAll('\\', '/').split('/').pop()!, data },
    ]);
  }
  // The exact file name first; failing that, the one file whose name differs only in case.
  return reader.read(root, (fileName) => {
    const candidates = byName.get(fileName.toLowerCase()) ?? [];
    const exact = candidates.find((candidate) => candidate.name === fileName);
    return (exact ?? (candidates.length === 1 ? candidates[0] : undefined))?.data;
  });
}

/** Reads a REFI-QDA codebook (.qdc): root CodeBook in `urn:QDA-XML:codebook:1.0`. Codes' NoteRefs are left out. */
export function readQdc(bytes: Uint8Array): QdaCodebook {
  const fileName = 'the .qdc file';
  const root = parseXmlDocument(decodeText(bytes, fileName), fileName, 'CodeBook', QDA_CODEBOOK_NAMESPACE);
  const reader = new ProjectReader('codePoint', fileName, 'The codebook cannot be imported');
  const codes = reader.readCodes(root, false);
  throwIfProblems(reader.problems, reader.heading);
  const codebook: QdaCodebook = { codes };
  const origin = root.attributes.get('origin');
  if (origin !== undefined) codebook.origin = origin;
  throwIfProblems(
    findCodebookProblems(codebook, (guid) => reader.locate(guid)),
    reader.heading,
  );
  return codebook;
}

/** `sources/abc.txt` (any case of the folder) → its file name lower-cased; undefined for other entries. */
function sourceFileKey(path: string): string | undefined {
  const match = /^sources\/([^/]+)$/i.exec(path.replaceAll('\\', '/'));
  return match?.[1]?.toLowerCase();
}

function unzipEntries(
  bytes: Uint8Array,
  wanted: (path: string) => boolean,
  maxBytes: number,
  alreadyUnpacked: number,
): Unzipped {
  let total = alreadyUnpacked;
  try {
    return unzipSync(bytes, {
      filter: (file) => {
        if (!wanted(file.name)) return false;
        total += file.originalSize;
        if (total > maxBytes) {
          throw new ValidationError(
            `The .qdpx file would unpack to more than ${Math.floor(maxBytes / 1024 / 1024)} MB of project and text; it is too large to import.`,
            { field: file.name },
          );
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(
      'The file is not a .qdpx project: it is not a zip archive (or the archive is damaged). Export the project from your QDA tool again as REFI-QDA (.qdpx).',
      { field: 'file' },
    );
  }
}

/** UTF-8 (with or without a byte order mark) or, when a byte order mark says so, UTF-16. */
function decodeText(bytes: Uint8Array, fileName: string): string {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  try {
    // TextDecoder drops the byte order mark itself.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError(`${fileName} is not UTF-8 text. Save it as UTF-8 and try again.`, {
      field: fileName,
    });
  }
}

function normaliseGuid(value: string): string | undefined {
  return GUID_IN_FILE.exec(value.trim())?.[1]?.toLowerCase();
}

function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((candidate) => candidate.name === name);
}

/** Turns the parsed project.qde into the model, collecting every problem before any is thrown. */
class ProjectReader {
  readonly problems: FieldError[] = [];
  readonly warnings: QdaWarning[] = [];
  readonly unimportedSources: QdaUnimportedSource[] = [];
  private readonly lines = new Map<string, number[]>();
  /** Every GUID inside a source that was not imported (its selections too), so references to them can go. */
  private readonly unimportedGuids = new Set<string>();

  constructor(
    private readonly positionsUnit: QdaPositionsUnit,
    private readonly fileName: string,
    /** How a thrown error begins: what could not be done. */
    readonly heading: string,
  ) {}

  locate(guid: string): string | undefined {
    const lines = this.lines.get(guid);
    if (!lines) return undefined;
    return `${this.fileName} ${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}`;
  }

  private problem(element: XmlElement, field: string, message: string) {
    this.problems.push({ field, message: `${this.fileName} line ${element.line}: ${message}` });
  }

  private warn(code: QdaWarning['code'], message: string) {
    this.warnings.push({ code, message });
  }

  /** The lower-cased file names the project's text sources and notes point to in Sources/. */
  sourceFileNames(root: XmlElement): Set<string> {
    const names = new Set<string>();
    const sources = child(root, 'Sources');
    const notes = child(root, 'Notes');
    for (const element of [...(sources ? children(sources, 'TextSource') : []), ...(notes?.children ?? [])]) {
      const path = element.attributes.get('plainTextPath');
      if (path) names.add(fileNameOf(path).toLowerCase());
    }
    return names;
  }

  read(root: XmlElement, sourceFile: (fileName: string) => Uint8Array | undefined): QdaImport {
    const name = root.attributes.get('name');
    if (name === undefined) this.problem(root, 'Project.name', 'the Project element has no name attribute.');
    const project: QdaImport = {
      name: name ?? '',
      users: [],
      codebook: { codes: [] },
      variables: [],
      cases: [],
      sources: [],
      notes: [],
      sets: [],
      noteRefs: [],
      warnings: this.warnings,
      unimportedSources: this.unimportedSources,
    };
    this.optional(project, 'origin', root.attributes.get('origin'));
    this.optional(project, 'creatingUserGUID', this.guidAttribute(root, 'creatingUserGUID'));
    this.optional(project, 'creationDateTime', this.dateTime(root, 'creationDateTime'));
    this.optional(project, 'modifyingUserGUID', this.guidAttribute(root, 'modifyingUserGUID'));
    this.optional(project, 'modifiedDateTime', this.dateTime(root, 'modifiedDateTime'));
    this.optional(project, 'description', child(root, 'Description')?.text);

    const users = child(root, 'Users');
    if (users) project.users = children(users, 'User').map((element) => this.readUser(element));
    const codebook = child(root, 'CodeBook');
    if (codebook) project.codebook.codes = this.readCodes(codebook, true);
    const variables = child(root, 'Variables');
    if (variables) {
      project.variables = children(variables, 'Variable').flatMap(
        (element) => this.readVariable(element) ?? [],
      );
    }
    const variableTypes = new Map(
      project.variables.map((variable) => [variable.guid, variable.typeOfVariable]),
    );
    const sources = child(root, 'Sources');
    if (sources) {
      for (const element of sources.children) {
        if (element.name === 'TextSource') {
          const source = this.readTextSource(element, sourceFile, variableTypes);
          if (source) project.sources.push(source);
        } else if ((NON_TEXT_SOURCES as readonly string[]).includes(element.name)) {
          this.notImported(element, element.name as QdaUnimportedSource['kind']);
        }
      }
    }
    const cases = child(root, 'Cases');
    if (cases)
      project.cases = children(cases, 'Case').map((element) => this.readCase(element, variableTypes));
    const notes = child(root, 'Notes');
    if (notes) {
      project.notes = children(notes, 'Note').flatMap((element) => this.readNote(element, sourceFile) ?? []);
    }
    const sets = child(root, 'Sets');
    if (sets) project.sets = children(sets, 'Set').map((element) => this.readSet(element));
    project.noteRefs = this.refs(root, 'NoteRef');
    for (const part of ['Links', 'Graphs']) {
      const element = child(root, part);
      if (element) {
        this.warn(
          'notImported',
          `not imported: ${element.children.length} ${part === 'Links' ? 'link(s)' : 'graph(s)'} (${this.fileName} line ${element.line}); Linkwork does not hold them.`,
        );
      }
    }

    this.dropDanglingReferences(project);
    throwIfProblems(this.problems, this.heading);
    throwIfProblems(
      findProjectProblems(project, (guid) => this.locate(guid)),
      this.heading,
    );
    return project;
  }

  private optional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined) {
    if (value !== undefined) target[key] = value;
  }

  private declare(element: XmlElement, kind: string): string {
    const raw = element.attributes.get('guid');
    const guid = raw === undefined ? undefined : normaliseGuid(raw);
    if (guid === undefined) {
      this.problem(
        element,
        `${kind}.guid`,
        raw === undefined
          ? `${kind} has no guid attribute.`
          : `${kind} has guid "${raw}", which is not a GUID (8-4-4-4-12 hex digits).`,
      );
      return raw ?? '';
    }
    this.lines.set(guid, [...(this.lines.get(guid) ?? []), element.line]);
    return guid;
  }

  private guidAttribute(element: XmlElement, attribute: string): string | undefined {
    const raw = element.attributes.get(attribute);
    if (raw === undefined) return undefined;
    const guid = normaliseGuid(raw);
    if (guid === undefined) {
      this.problem(
        element,
        `${element.name}.${attribute}`,
        `${element.name} has ${attribute} "${raw}", which is not a GUID (8-4-4-4-12 hex digits).`,
      );
    }
    return guid;
  }

  private refs(element: XmlElement, name: string): string[] {
    return children(element, name).flatMap((ref) => this.guidAttribute(ref, 'targetGUID') ?? []);
  }

  private requiredRef(element: XmlElement, name: string, owner: string): string {
    const ref = child(element, name);
    if (!ref) {
      this.problem(element, `${element.name}.${name}`, `${owner} has no ${name}.`);
      return '';
    }
    const guid = this.guidAttribute(ref, 'targetGUID');
    if (guid === undefined && !ref.attributes.has('targetGUID')) {
      this.problem(ref, `${name}.targetGUID`, `the ${name} in ${owner} has no targetGUID.`);
    }
    return guid ?? '';
  }

  /** An optional xsd:dateTime: one Linkwork cannot read is left out with a warning rather than refusing the file. */
  private dateTime(element: XmlElement, attribute: string): string | undefined {
    const value = element.attributes.get(attribute)?.trim();
    if (value === undefined || DATE_TIME_PATTERN.test(value)) return value;
    this.warn(
      'ignored',
      `${element.name} (${this.fileName} line ${element.line}) has ${attribute} "${value}", which is not a date and time; it was left out.`,
    );
    return undefined;
  }

  private authored<T extends object>(target: T, element: XmlElement): T {
    const record = target as {
      creatingUser?: string;
      creationDateTime?: string;
      modifyingUser?: string;
      modifiedDateTime?: string;
    };
    this.optional(record, 'creatingUser', this.guidAttribute(element, 'creatingUser'));
    this.optional(record, 'creationDateTime', this.dateTime(element, 'creationDateTime'));
    this.optional(record, 'modifyingUser', this.guidAttribute(element, 'modifyingUser'));
    this.optional(record, 'modifiedDateTime', this.dateTime(element, 'modifiedDateTime'));
    return target;
  }

  private readUser(element: XmlElement): QdaUser {
    const user: QdaUser = { guid: this.declare(element, 'User') };
    this.optional(user, 'name', element.attributes.get('name'));
    this.optional(user, 'id', element.attributes.get('id'));
    return user;
  }

  readCodes(codebook: XmlElement, withNotes: boolean): QdaCode[] {
    const codes = child(codebook, 'Codes');
    if (!codes) return [];
    return children(codes, 'Code').map((element) => this.readCode(element, withNotes));
  }

  private readCode(element: XmlElement, withNotes: boolean): QdaCode {
    const guid = this.declare(element, 'Code');
    const name = element.attributes.get('name');
    if (name === undefined) this.problem(element, 'Code.name', `Code ${guid} has no name attribute.`);
    const code: QdaCode = {
      guid,
      name: name ?? '',
      isCodable: this.boolean(element, 'isCodable') ?? true,
      noteRefs: withNotes ? this.refs(element, 'NoteRef') : [],
      children: children(element, 'Code').map((childCode) => this.readCode(childCode, withNotes)),
    };
    this.optional(code, 'color', this.color(element));
    this.optional(code, 'description', child(element, 'Description')?.text);
    return code;
  }

  private boolean(element: XmlElement, attribute: string): boolean | undefined {
    const value = element.attributes.get(attribute)?.trim();
    if (value === undefined) return undefined;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    this.problem(
      element,
      `${element.name}.${attribute}`,
      `${element.name} has ${attribute} "${value}"; it must be true or false.`,
    );
    return undefined;
  }

  /** `#RGB` becomes `#RRGGBB`; a colour Linkwork cannot read is left out with a warning. */
  private color(element: XmlElement): string | undefined {
    const value = element.attributes.get('color')?.trim();
    if (value === undefined) return undefined;
    const short = /^#([0-9A-Fa-f])([0-9A-Fa-f])([0-9A-Fa-f])$/.exec(value);
    if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
    if (COLOR_PATTERN.test(value)) return value;
    this.warn(
      'ignored',
      `${element.name} (${this.fileName} line ${element.line}) has color "${value}", which is not #RRGGBB; it was left out.`,
    );
    return undefined;
  }

  private readVariable(element: XmlElement): QdaVariable | undefined {
    const guid = this.declare(element, 'Variable');
    const name = element.attributes.get('name');
    const type = element.attributes.get('typeOfVariable')?.trim();
    if (name === undefined) this.problem(element, 'Variable.name', `Variable ${guid} has no name attribute.`);
    if (!(qdaVariableTypes as readonly string[]).includes(type ?? '')) {
      this.problem(
        element,
        'Variable.typeOfVariable',
        `Variable "${name ?? guid}" has typeOfVariable "${type ?? ''}"; it must be one of ${qdaVariableTypes.join(', ')}.`,
      );
    }
    const variable: QdaVariable = { guid, name: name ?? '', typeOfVariable: type as QdaVariableType };
    this.optional(variable, 'description', child(element, 'Description')?.text);
    return variable;
  }

  private readVariableValues(element: XmlElement, types: Map<string, QdaVariableType>): QdaVariableValue[] {
    return children(element, 'VariableValue').map((valueElement) => {
      const variableRef = this.requiredRef(valueElement, 'VariableRef', 'VariableValue');
      const typed = valueElement.children.find((candidate) => candidate.name.endsWith('Value'));
      if (!typed) return { variableRef, value: null };
      return { variableRef, value: this.readValue(typed, types.get(variableRef)) };
    });
  }

  private readValue(element: XmlElement, expected: QdaVariableType | undefined): QdaValue | null {
    const type = element.name.slice(0, -'Value'.length) as QdaVariableType;
    const raw = element.text;
    const text = raw.trim();
    const bad = (what: string) => {
      this.problem(element, `VariableValue.${element.name}`, `${element.name} "${text}" is not ${what}.`);
      return null;
    };
    switch (type) {
      case 'Text':
        return { type, value: raw };
      case 'Boolean':
        if (text === 'true' || text === '1') return { type, value: true };
        if (text === 'false' || text === '0') return { type, value: false };
        return bad('true or false');
      case 'Integer': {
        const value = Number(text);
        return /^[+-]?\d+$/.test(text) && Number.isSafeInteger(value)
          ? { type, value }
          : bad('a whole number Linkwork can hold');
      }
      case 'Float':
        return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)
          ? { type, value: Number(text) }
          : bad('a decimal number');
      case 'Date':
      case 'DateTime':
        return { type, value: text };
      default:
        this.problem(
          element,
          'VariableValue',
          `VariableValue has ${element.name}; expected ${expected ? `${expected}Value` : 'one of TextValue, BooleanValue, IntegerValue, FloatValue, DateValue, DateTimeValue'}.`,
        );
        return null;
    }
  }

  private readCase(element: XmlElement, types: Map<string, QdaVariableType>): QdaCase {
    const kase: QdaCase = {
      guid: this.declare(element, 'Case'),
      codeRefs: this.refs(element, 'CodeRef'),
      variableValues: this.readVariableValues(element, types),
      sourceRefs: this.refs(element, 'SourceRef'),
      selectionRefs: this.refs(element, 'SelectionRef'),
    };
    this.optional(kase, 'name', element.attributes.get('name'));
    this.optional(kase, 'description', child(element, 'Description')?.text);
    return kase;
  }

  private notImported(element: XmlElement, kind: QdaUnimportedSource['kind'], why?: string) {
    const guid = this.declare(element, kind);
    const collect = (inner: XmlElement) => {
      const innerGuid = normaliseGuid(inner.attributes.get('guid') ?? '');
      if (innerGuid) this.unimportedGuids.add(innerGuid);
      for (const grandchild of inner.children) collect(grandchild);
    };
    collect(element);
    const name = element.attributes.get('name');
    const entry: QdaUnimportedSource = { guid, kind };
    if (name !== undefined) entry.name = name;
    this.unimportedSources.push(entry);
    this.warn(
      'notImported',
      `not imported: ${kind} ${name ? `"${name}"` : guid} (${this.fileName} line ${element.line})${why ?? ': Linkwork imports text sources only'}. Its codings are left out.`,
    );
  }

  /** The text a TextSource or Note carries: its plainTextPath file in Sources/, else its PlainTextContent. */
  private readText(
    element: XmlElement,
    label: string,
    sourceFile: (fileName: string) => Uint8Array | undefined,
  ): string | undefined {
    const path = element.attributes.get('plainTextPath');
    const inline = child(element, 'PlainTextContent')?.text;
    if (path) {
      const fileName = fileNameOf(path);
      const bytes = sourceFile(fileName);
      if (bytes) return decodeText(bytes, `Sources/${fileName}`);
      if (inline !== undefined) return inline;
      this.problem(
        element,
        `${element.name}.plainTextPath`,
        `${label} has plainTextPath "${path}", but there is no Sources/${fileName} in the .qdpx file.`,
      );
      return '';
    }
    return inline;
  }

  private readTextSource(
    element: XmlElement,
    sourceFile: (fileName: string) => Uint8Array | undefined,
    types: Map<string, QdaVariableType>,
  ): QdaTextSource | undefined {
    const name = element.attributes.get('name');
    const label = `TextSource ${name ? `"${name}"` : (element.attributes.get('guid') ?? '')}`;
    const text = this.readText(element, label, sourceFile);
    if (text === undefined) {
      if (element.attributes.has('richTextPath')) {
        this.notImported(element, 'TextSource', ': it has only a rich-text copy and no plain text');
      } else {
        this.declare(element, 'TextSource');
        this.problem(
          element,
          'TextSource.plainTextPath',
          `${label} has neither plainTextPath nor PlainTextContent.`,
        );
      }
      return undefined;
    }
    const source: QdaTextSource = {
      guid: this.declare(element, 'TextSource'),
      text,
      selections: [],
      codings: [],
      variableValues: [],
      noteRefs: [],
    };
    this.optional(source, 'name', name);
    this.authored(source, element);
    this.optional(source, 'description', child(element, 'Description')?.text);
    source.selections = children(element, 'PlainTextSelection').map((selection) =>
      this.readSelection(selection, text, label),
    );
    source.codings = children(element, 'Coding').map((coding) => this.readCoding(coding));
    source.noteRefs = this.refs(element, 'NoteRef');
    source.variableValues = this.readVariableValues(element, types);
    return source;
  }

  private readSelection(element: XmlElement, text: string, sourceLabel: string): QdaTextSelection {
    const guid = this.declare(element, 'PlainTextSelection');
    const selection: QdaTextSelection = {
      guid,
      startPosition: this.position(element, 'startPosition'),
      endPosition: this.position(element, 'endPosition'),
      codings: children(element, 'Coding').map((coding) => this.readCoding(coding)),
      noteRefs: this.refs(element, 'NoteRef'),
    };
    this.optional(selection, 'name', element.attributes.get('name'));
    this.authored(selection, element);
    this.optional(selection, 'description', child(element, 'Description')?.text);
    if (this.positionsUnit === 'utf16') this.fromUtf16(selection, element, text, sourceLabel);
    return selection;
  }

  private position(element: XmlElement, attribute: string): number {
    const value = element.attributes.get(attribute)?.trim();
    if (value === undefined || !/^[+-]?\d+$/.test(value)) {
      this.problem(
        element,
        `PlainTextSelection.${attribute}`,
        value === undefined
          ? `PlainTextSelection has no ${attribute}.`
          : `PlainTextSelection has ${attribute} "${value}", which is not a whole number.`,
      );
      return 0;
    }
    return Number(value);
  }

  /** UTF-16 code unit offsets → code points; a boundary inside a surrogate pair is widened to the whole character. */
  private fromUtf16(selection: QdaTextSelection, element: XmlElement, text: string, sourceLabel: string) {
    const { startPosition: start, endPosition: end } = selection;
    if (start < 0 || end < start) return;
    if (end > text.length) {
      this.problem(
        element,
        'PlainTextSelection.endPosition',
        `PlainTextSelection ${selection.guid} in ${sourceLabel} has endPosition ${end}, past the end of the text, which is ${text.length} UTF-16 code units long.`,
      );
      return;
    }
    const splits = (offset: number) =>
      offset > 0 && offset < text.length && isLowSurrogate(text.charCodeAt(offset));
    if (splits(start) || splits(end)) {
      this.warn(
        'positionsUnit',
        `PlainTextSelection ${selection.guid} in ${sourceLabel} (${this.fileName} line ${element.line}) starts or ends inside a character written with two UTF-16 code units (such as an emoji); it now takes in the whole character. If many selections look shifted, import the file again with positions counted in code points.`,
      );
    }
    selection.startPosition = codePointLength(text.slice(0, splits(start) ? start - 1 : start));
    selection.endPosition = codePointLength(text.slice(0, splits(end) ? end + 1 : end));
  }

  private readCoding(element: XmlElement): QdaCoding {
    const guid = this.declare(element, 'Coding');
    const coding: QdaCoding = {
      guid,
      codeRef: this.requiredRef(element, 'CodeRef', `Coding ${guid}`),
      noteRefs: this.refs(element, 'NoteRef'),
    };
    this.optional(coding, 'creatingUser', this.guidAttribute(element, 'creatingUser'));
    this.optional(coding, 'creationDateTime', this.dateTime(element, 'creationDateTime'));
    return coding;
  }

  private readNote(
    element: XmlElement,
    sourceFile: (fileName: string) => Uint8Array | undefined,
  ): QdaNote | undefined {
    const name = element.attributes.get('name');
    const note: QdaNote = {
      guid: this.declare(element, 'Note'),
      text:
        this.readText(
          element,
          `Note ${name ? `"${name}"` : (element.attributes.get('guid') ?? '')}`,
          sourceFile,
        ) ?? '',
    };
    this.optional(note, 'name', name);
    this.authored(note, element);
    this.optional(note, 'description', child(element, 'Description')?.text);
    if (children(element, 'PlainTextSelection').length > 0) {
      this.warn(
        'ignored',
        `Note ${name ? `"${name}"` : note.guid} (${this.fileName} line ${element.line}) has selections and codings inside it; Linkwork keeps the note's text only.`,
      );
    }
    return note;
  }

  private readSet(element: XmlElement): QdaSet {
    const guid = this.declare(element, 'Set');
    const name = element.attributes.get('name');
    if (name === undefined) this.problem(element, 'Set.name', `Set ${guid} has no name attribute.`);
    const set: QdaSet = {
      guid,
      name: name ?? '',
      memberCodes: this.refs(element, 'MemberCode'),
      memberSources: this.refs(element, 'MemberSource'),
      memberNotes: this.refs(element, 'MemberNote'),
    };
    this.optional(set, 'description', child(element, 'Description')?.text);
    return set;
  }

  /**
   * References that cannot be kept without failing the import for something the researcher cannot fix: to sources
   * that were not imported (PDF, audio…) and to users the file does not list (some tools leave them out).
   */
  private dropDanglingReferences(project: QdaImport) {
    const unimported = this.unimportedGuids;
    const users = new Set(project.users.map((user) => user.guid));
    let droppedSourceRefs = 0;
    const keepSources = (guids: string[]) =>
      guids.filter((guid) => {
        if (!unimported.has(guid)) return true;
        droppedSourceRefs++;
        return false;
      });
    for (const kase of project.cases) {
      kase.sourceRefs = keepSources(kase.sourceRefs);
      kase.selectionRefs = keepSources(kase.selectionRefs);
    }
    for (const set of project.sets) set.memberSources = keepSources(set.memberSources);
    if (droppedSourceRefs > 0) {
      this.warn(
        'notImported',
        `not imported: ${droppedSourceRefs} case or set reference(s) to sources that were not imported.`,
      );
    }

    const unknownUsers = new Set<string>();
    const checkUser = <T extends object>(target: T, key: keyof T) => {
      const guid = target[key];
      if (typeof guid === 'string' && !users.has(guid)) {
        unknownUsers.add(guid);
        delete target[key];
      }
    };
    checkUser(project, 'creatingUserGUID');
    checkUser(project, 'modifyingUserGUID');
    const authored = [
      ...project.sources,
      ...project.sources.flatMap((source) => source.selections),
      ...project.notes,
    ];
    for (const item of authored) {
      checkUser(item, 'creatingUser');
      checkUser(item, 'modifyingUser');
    }
    const codings = project.sources.flatMap((source) => [
      ...source.codings,
      ...source.selections.flatMap((selection) => selection.codings),
    ]);
    for (const coding of codings) checkUser(coding, 'creatingUser');
    if (unknownUsers.size > 0) {
      this.warn(
        'ignored',
        `${unknownUsers.size} user(s) named as creators or modifiers are not in the project's Users list; those names were left out.`,
      );
    }
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** `internal://abc.txt`, `relative://x/abc.txt` or a plain path → `abc.txt` (files are matched by name). */
function fileNameOf(path: string): string {
  return (
    path
      .replace(/^[a-z]+:\/\//i, '')
      .replaceAll('\\', '/')
      .split('/')
      .pop() ?? ''
  );
}
