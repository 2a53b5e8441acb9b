import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import { guid, makeQdaProject, sourceAText } from './make-qda-project.ts';
import type { QdaCodebook, QdaProject } from './model.ts';
import { readQdc, readQdpx } from './read-qdpx.ts';
import { codebookXsdErrors, projectXsdErrors } from './validate-xsd.ts';
import { decimalText, writeQdc, writeQdpx } from './write-qdpx.ts';

function unzipped(bytes: Uint8Array) {
  return unzipSync(bytes);
}

function projectQde(bytes: Uint8Array): string {
  return strFromU8(unzipped(bytes)['project.qde']!);
}

function exportError(project: QdaProject): ValidationError {
  try {
    writeQdpx(project);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected the export to be refused');
}

describe('writeQdpx and readQdpx', () => {
  it('reads back exactly the project it wrote', () => {
    const project = makeQdaProject();
    const { warnings, unimportedSources, ...read } = readQdpx(writeQdpx(project));
    expect(read).toEqual(project);
    expect(warnings).toEqual([]);
    expect(unimportedSources).toEqual([]);
  });

  it('writes positions as code points: the emoji counts once', () => {
    const xml = projectQde(writeQdpx(makeQdaProject()));
    // "group helps." is code points [7, 19) — UTF-16 units would be [8, 20) (worked in make-qda-project.ts).
    expect(xml).toContain(`guid="${guid(41)}" name="group helps." startPosition="7" endPosition="19"`);
    expect(xml).toContain(`guid="${guid(46)}" startPosition="20" endPosition="36"`);
    // An independent reading of the same positions: slicing the text's code points.
    const codePoints = Array.from(sourceAText);
    expect(codePoints.slice(7, 19).join('')).toBe('group helps.');
    expect(codePoints.slice(5, 12).join('')).toBe('😀 group');
    expect(codePoints.slice(20, 36).join('')).toBe('I go every week.');
    expect(codePoints).toHaveLength(36);
  });

  it('writes project.qde as UTF-8 with LF line endings and each text to Sources/<guid>.txt', () => {
    const files = unzipped(writeQdpx(makeQdaProject()));
    expect(Object.keys(files).sort()).toEqual(
      [`Sources/${guid(40)}.txt`, `Sources/${guid(50)}.txt`, 'project.qde'].sort(),
    );
    const xml = strFromU8(files['project.qde']!);
    expect(
      xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '),
    ).toBe(true);
    expect(xml).not.toContain('\r');
    // The memo's CR is kept as a character reference, so the reader gets it back.
    expect(xml).toContain(
      '<PlainTextContent>Buy-in seems to hinge on the GP.&#13;\nCheck at site 4 — 🙂\tlater.</PlainTextContent>',
    );
    expect(xml).toContain(`plainTextPath="internal://${guid(40)}.txt"`);
    // "é" is C3 A9 and "😀" F0 9F 98 80 in UTF-8.
    expect(Array.from(files[`Sources/${guid(40)}.txt`]!.slice(0, 10))).toEqual([
      0x43, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xf0, 0x9f, 0x98, 0x80,
    ]);
    expect(xml).toContain('<FloatValue>0.0000001</FloatValue>');
    expect(xml).toContain('name="Connections &amp; &lt;trust&gt;"');
  });

  it('writes the same bytes for the same project', () => {
    expect(writeQdpx(makeQdaProject())).toEqual(writeQdpx(makeQdaProject()));
  });

  it('writes a project.qde that the REFI-QDA 1.0 XSD accepts', async () => {
    expect(await projectXsdErrors(projectQde(writeQdpx(makeQdaProject())))).toEqual([]);
  });

  it('is checked by an XSD validation that can fail', async () => {
    const xml = projectQde(writeQdpx(makeQdaProject())).replace('isCodable="false"', 'isCodable="maybe"');
    expect((await projectXsdErrors(xml)).join('\n')).toContain('isCodable');
  });

  it('writes a valid project with nothing in it but a name', async () => {
    const empty: QdaProject = {
      name: 'Empty',
      users: [],
      codebook: { codes: [] },
      variables: [],
      cases: [],
      sources: [],
      notes: [],
      sets: [],
      noteRefs: [],
    };
    const bytes = writeQdpx(empty);
    expect(await projectXsdErrors(projectQde(bytes))).toEqual([]);
    const { warnings, unimportedSources, ...read } = readQdpx(bytes);
    expect(read).toEqual(empty);
  });

  it('keeps a text that begins with a byte order mark character', () => {
    const project = makeQdaProject();
    project.sources[1]!.text = `\uFEFF${project.sources[1]!.text}`;
    project.sources[1]!.selections = [];
    const { warnings, unimportedSources, ...read } = readQdpx(writeQdpx(project));
    expect(read.sources[1]!.text).toBe(project.sources[1]!.text);
  });

  it('round-trips any text and any selections inside it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
        fc
          .string({ unit: 'binary', maxLength: 20 })
          .map((text) => text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')),
        (text, spans, noteText) => {
          const length = Array.from(text).length;
          const project = makeQdaProject();
          project.sources[1]!.text = text;
          project.sources[1]!.codings = [];
          project.sources[1]!.selections = spans.map(([a, b], index) => {
            const [start, end] = [a % (length + 1), b % (length + 1)].sort((x, y) => x - y) as [
              number,
              number,
            ];
            return {
              guid: guid(900 + index),
              startPosition: start,
              endPosition: end,
              codings: [],
              noteRefs: [],
            };
          });
          project.notes[1]!.text = noteText;
          project.cases[0]!.selectionRefs = [];
          const { warnings, unimportedSources, ...read } = readQdpx(writeQdpx(project));
          expect(read).toEqual(project);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes xsd:decimal without an exponent', () => {
    expect(decimalText(1e-7)).toBe('0.0000001');
    expect(decimalText(-2.5e-8)).toBe('-0.000000025');
    expect(decimalText(1.5e21)).toBe('1500000000000000000000');
    expect(decimalText(37.5)).toBe('37.5');
  });
});

describe('writeQdpx refuses a project that breaks a rule', () => {
  it('refuses a coding of a code that is not in the codebook', () => {
    const project = makeQdaProject();
    project.sources[0]!.selections[0]!.codings[0]!.codeRef = guid(999);
    const error = exportError(project);
    expect(error.message).toContain(`refers to code ${guid(999)}, which is not in the project`);
    expect(error.errors[0]!.field).toBe('Coding.CodeRef.targetGUID');
  });

  it('refuses a selection past the end of its text and says how long the text is', () => {
    const project = makeQdaProject();
    project.sources[0]!.selections[2]!.endPosition = 37;
    expect(exportError(project).message).toContain(
      'endPosition 37, past the end of the text, which is 36 characters long counted as Unicode code points',
    );
  });

  it('refuses two objects with the same GUID', () => {
    const project = makeQdaProject();
    project.notes[1]!.guid = guid(60);
    expect(exportError(project).message).toContain(`GUID ${guid(60)} is used by 2 objects`);
  });

  it('refuses upper-case GUIDs, bad colours and values of the wrong type', () => {
    const project = makeQdaProject();
    project.users[0]!.guid = 'ABCDEF00-0000-4000-8000-000000000001';
    project.codebook.codes[0]!.color = 'blue';
    project.cases[0]!.variableValues[1] = { variableRef: guid(21), value: { type: 'Text', value: '42' } };
    const fields = exportError(project).errors.map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['User.guid', 'Code.color', 'Case.VariableValue', 'Project.creatingUserGUID']),
    );
  });

  it('refuses a memo holding a character XML cannot carry', () => {
    const project = makeQdaProject();
    project.notes[0]!.text = 'page\fbreak';
    expect(exportError(project).message).toContain(
      `PlainTextContent of Note ${guid(60)}: it contains the character U+000C`,
    );
  });
});

describe('writeQdc and readQdc', () => {
  const codebook: QdaCodebook = { origin: 'Linkwork 0.1', codes: makeQdaProject().codebook.codes };

  it('reads back the codebook it wrote, without the notes a codebook cannot carry', () => {
    const read = readQdc(writeQdc(codebook));
    const withoutNotes = JSON.parse(
      JSON.stringify(codebook.codes).replaceAll(`"noteRefs":["${guid(60)}"]`, '"noteRefs":[]'),
    );
    expect(read).toEqual({ origin: 'Linkwork 0.1', codes: withoutNotes });
  });

  it('writes the codebook namespace and a CodeBook the project XSD accepts', async () => {
    const xml = strFromU8(writeQdc(codebook));
    expect(xml.split('\n')[1]).toBe('<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Linkwork 0.1">');
    expect(await codebookXsdErrors(xml)).toEqual([]);
  });

  it('refuses to write a codebook with no codes', () => {
    expect(() => writeQdc({ codes: [] })).toThrow(
      'The codebook cannot be exported: it has no codes to export.',
    );
  });
});
