import { zipSync } from 'fflate';
import { findCodebookProblems, findProjectProblems, throwIfProblems } from './check-project.ts';
import {
  QDA_CODEBOOK_NAMESPACE,
  QDA_PROJECT_NAMESPACE,
  type QdaCode,
  type QdaCodebook,
  type QdaCoding,
  type QdaProject,
  type QdaValue,
  type QdaVariableValue,
} from './model.ts';
import { serializeXml, type XmlNode } from './xml-tree.ts';

// Positions are written as Unicode code points of the text (see model.ts).

// A fixed time stamp on every zip entry, so the same project always gives the same bytes.
const ZIP_ENTRY_TIME = new Date(2000, 0, 1);

/**
 * A REFI-QDA project (.qdpx): `project.qde` (UTF-8, LF) and each text source as `Sources/<guid>.txt` (UTF-8, exactly
 * the text its positions count). Throws a ValidationError listing every problem, writing nothing, when the project
 * breaks a rule (see findProjectProblems).
 */
export function writeQdpx(project: QdaProject): Uint8Array {
  throwIfProblems(findProjectProblems(project), `Project "${project.name}" cannot be exported`);
  const encoder = new TextEncoder();
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {
    'project.qde': [encoder.encode(projectXml(project)), { mtime: ZIP_ENTRY_TIME }],
  };
  for (const source of project.sources) {
    // Readers drop one leading byte order mark, so a text that itself begins with U+FEFF gets one in front.
    const text = source.text.startsWith('\uFEFF') ? `\uFEFF${source.text}` : source.text;
    files[`Sources/${source.guid}.txt`] = [encoder.encode(text), { mtime: ZIP_ENTRY_TIME }];
  }
  return zipSync(files);
}

/** A REFI-QDA codebook (.qdc): UTF-8 XML, root CodeBook in `urn:QDA-XML:codebook:1.0`. Codes' notes are left out. */
export function writeQdc(codebook: QdaCodebook): Uint8Array {
  if (codebook.codes.length === 0) {
    throwIfProblems(
      [{ field: 'Codes', message: 'it has no codes to export.' }],
      'The codebook cannot be exported',
    );
  }
  throwIfProblems(findCodebookProblems(codebook), 'The codebook cannot be exported');
  const root: XmlNode = {
    name: 'CodeBook',
    attributes: { origin: codebook.origin },
    children: [{ name: 'Codes', children: codebook.codes.map((code) => codeNode(code, false)) }],
  };
  return new TextEncoder().encode(serializeXml(root, QDA_CODEBOOK_NAMESPACE));
}

/** The `project.qde` document (elements in the order the XSD's sequences require). */
export function projectXml(project: QdaProject): string {
  const root: XmlNode = {
    name: 'Project',
    attributes: {
      name: project.name,
      origin: project.origin,
      creatingUserGUID: project.creatingUserGUID,
      creationDateTime: project.creationDateTime,
      modifyingUserGUID: project.modifyingUserGUID,
      modifiedDateTime: project.modifiedDateTime,
    },
    children: [
      container(
        'Users',
        project.users.map((user) => ({
          name: 'User',
          attributes: { guid: user.guid, name: user.name, id: user.id },
        })),
      ),
      project.codebook.codes.length > 0
        ? {
            name: 'CodeBook',
            children: [
              { name: 'Codes', children: project.codebook.codes.map((code) => codeNode(code, true)) },
            ],
          }
        : undefined,
      container(
        'Variables',
        project.variables.map((variable) => ({
          name: 'Variable',
          attributes: { guid: variable.guid, name: variable.name, typeOfVariable: variable.typeOfVariable },
          children: [textNode('Description', variable.description)],
        })),
      ),
      container(
        'Cases',
        project.cases.map((kase) => ({
          name: 'Case',
          attributes: { guid: kase.guid, name: kase.name },
          children: [
            textNode('Description', kase.description),
            ...refs('CodeRef', kase.codeRefs),
            ...kase.variableValues.map(variableValueNode),
            ...refs('SourceRef', kase.sourceRefs),
            ...refs('SelectionRef', kase.selectionRefs),
          ],
        })),
      ),
      container(
        'Sources',
        project.sources.map((source) => ({
          name: 'TextSource',
          attributes: {
            guid: source.guid,
            name: source.name,
            plainTextPath: `internal://${source.guid}.txt`,
            creatingUser: source.creatingUser,
            creationDateTime: source.creationDateTime,
            modifyingUser: source.modifyingUser,
            modifiedDateTime: source.modifiedDateTime,
          },
          children: [
            textNode('Description', source.description),
            ...source.selections.map((selection) => ({
              name: 'PlainTextSelection',
              attributes: {
                guid: selection.guid,
                name: selection.name,
                startPosition: String(selection.startPosition),
                endPosition: String(selection.endPosition),
                creatingUser: selection.creatingUser,
                creationDateTime: selection.creationDateTime,
                modifyingUser: selection.modifyingUser,
                modifiedDateTime: selection.modifiedDateTime,
              },
              children: [
                textNode('Description', selection.description),
                ...selection.codings.map(codingNode),
                ...refs('NoteRef', selection.noteRefs),
              ],
            })),
            ...source.codings.map(codingNode),
            ...refs('NoteRef', source.noteRefs),
            ...source.variableValues.map(variableValueNode),
          ],
        })),
      ),
      container(
        'Notes',
        project.notes.map((note) => ({
          name: 'Note',
          attributes: {
            guid: note.guid,
            name: note.name,
            creatingUser: note.creatingUser,
            creationDateTime: note.creationDateTime,
            modifyingUser: note.modifyingUser,
            modifiedDateTime: note.modifiedDateTime,
          },
          children: [textNode('Description', note.description), textNode('PlainTextContent', note.text)],
        })),
      ),
      container(
        'Sets',
        project.sets.map((set) => ({
          name: 'Set',
          attributes: { guid: set.guid, name: set.name },
          children: [
            textNode('Description', set.description),
            ...refs('MemberCode', set.memberCodes),
            ...refs('MemberSource', set.memberSources),
            ...refs('MemberNote', set.memberNotes),
          ],
        })),
      ),
      textNode('Description', project.description),
      ...refs('NoteRef', project.noteRefs),
    ],
  };
  return serializeXml(root, QDA_PROJECT_NAMESPACE);
}

// The XSD's list elements (Users, Cases, …) need at least one member, so an empty list is left out.
function container(name: string, children: XmlNode[]): XmlNode | undefined {
  return children.length > 0 ? { name, children } : undefined;
}

function textNode(name: string, text: string | undefined): XmlNode | undefined {
  return text === undefined ? undefined : { name, text };
}

function refs(name: string, guids: readonly string[]): XmlNode[] {
  return guids.map((targetGUID) => ({ name, attributes: { targetGUID } }));
}

function codeNode(code: QdaCode, withNotes: boolean): XmlNode {
  return {
    name: 'Code',
    attributes: { guid: code.guid, name: code.name, isCodable: String(code.isCodable), color: code.color },
    children: [
      textNode('Description', code.description),
      ...(withNotes ? refs('NoteRef', code.noteRefs) : []),
      ...code.children.map((child) => codeNode(child, withNotes)),
    ],
  };
}

function codingNode(coding: QdaCoding): XmlNode {
  return {
    name: 'Coding',
    attributes: {
      guid: coding.guid,
      creatingUser: coding.creatingUser,
      creationDateTime: coding.creationDateTime,
    },
    children: [
      { name: 'CodeRef', attributes: { targetGUID: coding.codeRef } },
      ...refs('NoteRef', coding.noteRefs),
    ],
  };
}

function variableValueNode(value: QdaVariableValue): XmlNode {
  return {
    name: 'VariableValue',
    children: [
      { name: 'VariableRef', attributes: { targetGUID: value.variableRef } },
      value.value === null ? undefined : { name: `${value.value.type}Value`, text: valueText(value.value) },
    ],
  };
}

function valueText(value: QdaValue): string {
  switch (value.type) {
    case 'Boolean':
      return String(value.value);
    case 'Integer':
      return String(value.value);
    case 'Float':
      return decimalText(value.value);
    case 'Text':
    case 'Date':
    case 'DateTime':
      return value.value;
  }
}

/** xsd:decimal has no exponent: 1e-7 is written 0.0000001, 1e21 as 1000000000000000000000. */
export function decimalText(value: number): string {
  const shortest = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!match) return shortest;
  const [, sign, lead, fraction = '', exponentText] = match;
  const digits = `${lead}${fraction}`;
  const exponent = Number(exponentText);
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  return `${sign}${digits}${'0'.repeat(Math.max(0, exponent - fraction.length))}`;
}
