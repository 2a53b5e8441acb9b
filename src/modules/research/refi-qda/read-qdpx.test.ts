import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../platform/errors.ts';
import { guid, makeQdaProject } from './make-qda-project.ts';
import type { QdaImport, QdaProject } from './model.ts';
import { type ReadQdpxOptions, readQdc, readQdpx } from './read-qdpx.ts';
import { writeQdpx } from './write-qdpx.ts';

const NS = 'urn:QDA-XML:project:1.0';

function qdpx(files: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, content]) => [
        name,
        typeof content === 'string' ? strToU8(content) : content,
      ]),
    ),
  );
}

function importError(bytes: Uint8Array, options?: ReadQdpxOptions): ValidationError {
  try {
    readQdpx(bytes, options);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected the import to be refused');
}

function projectOnly(read: QdaImport): QdaProject {
  const { warnings, unimportedSources, ...project } = read;
  return project;
}

// QualCoder/NVivo habits: braces and upper-case GUIDs, a lower-case sources/ folder, CRLF line endings, a byte order
// mark, a three-digit colour, inline PlainTextContent, a PDF source, links and an extension element.
const U = '{A1B2C3D4-0000-4000-8000-00000000000A}';
const u = 'a1b2c3d4-0000-4000-8000-00000000000a';
const fixtureQde = [
  '\uFEFF<?xml version="1.0" encoding="utf-8"?>',
  `<Project xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ext="urn:example:ext" name="QualCoder export" origin="QualCoder 3.5" creatingUserGUID="${U}" creationDateTime="2023-11-02T14:00:00Z">`,
  `  <Users><User guid="${U}" name="coder"/></Users>`,
  '  <CodeBook><Codes>',
  '    <Code guid="C0DE0000-0000-4000-8000-000000000001" name="Loneliness" isCodable="true" color="#F0a">',
  '      <Description>Feeling alone</Description>',
  '      <Code guid="C0DE0000-0000-4000-8000-000000000002" name="Isolation at home" isCodable="true"/>',
  '    </Code>',
  '  </Codes></CodeBook>',
  '  <Variables><Variable guid="7A000000-0000-4000-8000-000000000001" name="Age band" typeOfVariable="Text"/></Variables>',
  '  <Cases>',
  '    <Case guid="CA5E0000-0000-4000-8000-000000000001" name="Participant 7">',
  '      <VariableValue><VariableRef targetGUID="7A000000-0000-4000-8000-000000000001"/><TextValue>65-74</TextValue></VariableValue>',
  '      <SourceRef targetGUID="50000000-0000-4000-8000-000000000001"/>',
  '      <SourceRef targetGUID="50000000-0000-4000-8000-000000000003"/>',
  '    </Case>',
  '  </Cases>',
  '  <Sources>',
  `    <TextSource guid="50000000-0000-4000-8000-000000000001" name="Interview 7.txt" plainTextPath="internal://50000000-0000-4000-8000-000000000001.txt" creatingUser="${U}" creationDateTime="2023-11-01T10:00:00Z">`,
  `      <PlainTextSelection guid="5E100000-0000-4000-8000-000000000001" name="Lonely" startPosition="26" endPosition="32" creatingUser="${U}" creationDateTime="2023-11-01T10:05:00Z">`,
  `        <Coding guid="C0D10000-0000-4000-8000-000000000001" creatingUser="${U}"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000001"/></Coding>`,
  '      </PlainTextSelection>',
  '    </TextSource>',
  '    <TextSource guid="50000000-0000-4000-8000-000000000002" name="Field notes">',
  '      <PlainTextContent>Met at the café. 😀 Good mood.</PlainTextContent>',
  '      <PlainTextSelection guid="5E100000-0000-4000-8000-000000000002" startPosition="17" endPosition="18">',
  '        <Coding guid="C0D10000-0000-4000-8000-000000000002"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000002"/></Coding>',
  '      </PlainTextSelection>',
  '    </TextSource>',
  '    <PDFSource guid="50000000-0000-4000-8000-000000000003" name="Leaflet.pdf" path="internal://50000000-0000-4000-8000-000000000003.pdf">',
  '      <PDFSelection guid="5E100000-0000-4000-8000-000000000003" page="1" firstX="0" firstY="0" secondX="10" secondY="10">',
  '        <Coding guid="C0D10000-0000-4000-8000-000000000003"><CodeRef targetGUID="C0DE0000-0000-4000-8000-000000000002"/></Coding>',
  '      </PDFSelection>',
  '    </PDFSource>',
  '  </Sources>',
  '  <Links><Link guid="11000000-0000-4000-8000-000000000001" originGUID="C0DE0000-0000-4000-8000-000000000001" targetGUID="C0DE0000-0000-4000-8000-000000000002"/></Links>',
  '  <ext:Review state="done"><ext:Note>not ours</ext:Note></ext:Review>',
  '</Project>',
].join('\r\n');
// Counted by hand, in code points after the byte order mark:
//   I0 :1 ␠2 H3 o4 w5 ␠6 h7 a8 v9 e10 ␠11 y12 o13 u14 ␠15 b16 e17 e18 n19 ?20 CR21 LF22 P23 :24 ␠25 L26 … y31
// so "Lonely" is [26, 32). In the field notes, "Met at the café. " is 17 code points: the emoji is [17, 18).
const interviewText = 'I: How have you been?\r\nP: Lonely, to be honest.';
const fixture = qdpx({
  'project.qde': fixtureQde,
  'sources/50000000-0000-4000-8000-000000000001.txt': `\uFEFF${interviewText}`,
  'sources/50000000-0000-4000-8000-000000000003.pdf': new Uint8Array([0x25, 0x50, 0x44, 0x46]),
});

describe('readQdpx with a file from another tool', () => {
  it('imports a QualCoder/NVivo-style project with a lower-case sources/ folder and inline text', () => {
    const read = readQdpx(fixture);
    expect(projectOnly(read)).toEqual({
      name: 'QualCoder export',
      origin: 'QualCoder 3.5',
      creatingUserGUID: u,
      creationDateTime: '2023-11-02T14:00:00Z',
      users: [{ guid: u, name: 'coder' }],
      codebook: {
        codes: [
          {
            guid: 'c0de0000-0000-4000-8000-000000000001',
            name: 'Loneliness',
            isCodable: true,
            color: '#FF00aa',
            description: 'Feeling alone',
            noteRefs: [],
            children: [
              {
                guid: 'c0de0000-0000-4000-8000-000000000002',
                name: 'Isolation at home',
                isCodable: true,
                noteRefs: [],
                children: [],
              },
            ],
          },
        ],
      },
      variables: [{ guid: '7a000000-0000-4000-8000-000000000001', name: 'Age band', typeOfVariable: 'Text' }],
      cases: [
        {
          guid: 'ca5e0000-0000-4000-8000-000000000001',
          name: 'Participant 7',
          codeRefs: [],
          variableValues: [
            { variableRef: '7a000000-0000-4000-8000-000000000001', value: { type: 'Text', value: '65-74' } },
          ],
          sourceRefs: ['50000000-0000-4000-8000-000000000001'],
          selectionRefs: [],
        },
      ],
      sources: [
        {
          guid: '50000000-0000-4000-8000-000000000001',
          name: 'Interview 7.txt',
          text: interviewText,
          creatingUser: u,
          creationDateTime: '2023-11-01T10:00:00Z',
          selections: [
            {
              guid: '5e100000-0000-4000-8000-000000000001',
              name: 'Lonely',
              startPosition: 26,
              endPosition: 32,
              creatingUser: u,
              creationDateTime: '2023-11-01T10:05:00Z',
              codings: [
                {
                  guid: 'c0d10000-0000-4000-8000-000000000001',
                  codeRef: 'c0de0000-0000-4000-8000-000000000001',
                  creatingUser: u,
                  noteRefs: [],
                },
              ],
              noteRefs: [],
            },
          ],
          codings: [],
          variableValues: [],
          noteRefs: [],
        },
        {
          guid: '50000000-0000-4000-8000-000000000002',
          name: 'Field notes',
          text: 'Met at the café. 😀 Good mood.',
          selections: [
            {
              guid: '5e100000-0000-4000-8000-000000000002',
              startPosition: 17,
              endPosition: 18,
              codings: [
                {
                  guid: 'c0d10000-0000-4000-8000-000000000002',
                  codeRef: 'c0de0000-0000-4000-8000-000000000002',
                  noteRefs: [],
                },
              ],
              noteRefs: [],
            },
          ],
          codings: [],
          variableValues: [],
          noteRefs: [],
        },
      ],
      notes: [],
      sets: [],
      noteRefs: [],
    });
    expect(Array.from(read.sources[0]!.text).slice(26, 32).join('')).toBe('Lonely');
    expect(Array.from(read.sources[1]!.text).slice(17, 18).join('')).toBe('😀');
  });

  it('lists the PDF source as not imported, and says what else it left out', () => {
    const read = readQdpx(fixture);
    expect(read.unimportedSources).toEqual([
      { guid: '50000000-0000-4000-8000-000000000003', name: 'Leaflet.pdf', kind: 'PDFSource' },
    ]);
    expect(read.warnings.map((warning) => warning.code)).toEqual([
      'notImported',
      'notImported',
      'notImported',
    ]);
    expect(read.warnings[0]!.message).toBe(
      'not imported: PDFSource "Leaflet.pdf" (project.qde line 30): Linkwork imports text sources only. Its codings are left out.',
    );
    expect(read.warnings[1]!.message).toContain('not imported: 1 link(s) (project.qde line 36)');
    expect(read.warnings[2]!.message).toContain(
      '1 case or set reference(s) to sources that were not imported',
    );
  });

  it('writes back what it imported as a valid project', () => {
    const read = projectOnly(readQdpx(fixture));
    expect(projectOnly(readQdpx(writeQdpx(read)))).toEqual(read);
  });
});

describe('readQdpx positions', () => {
  /** The test project as another tool would write it: the first selection's positions replaced. */
  function projectWithSelection(start: number, end: number): Uint8Array {
    const files = unzipSync(writeQdpx(makeQdaProject()));
    const qde = strFromU8(files['project.qde']!).replace(
      'startPosition="7" endPosition="19"',
      `startPosition="${start}" endPosition="${end}"`,
    );
    return zipSync({ ...files, 'project.qde': strToU8(qde) });
  }

  it('reads UTF-16 code unit positions as code points when told to', () => {
    // "group helps." is UTF-16 units [8, 20) (the emoji takes two), which is code points [7, 19).
    const read = readQdpx(projectWithSelection(8, 20), { positionsUnit: 'utf16' });
    expect(read.sources[0]!.selections[0]).toMatchObject({ startPosition: 7, endPosition: 19 });
    expect(read.warnings).toEqual([]);
    // By default the same numbers are code points, one character later.
    expect(readQdpx(projectWithSelection(8, 20)).sources[0]!.selections[0]).toMatchObject({
      startPosition: 8,
      endPosition: 20,
    });
  });

  it('warns and takes in the whole emoji when a UTF-16 position falls inside it', () => {
    // Unit 6 is the second half of the emoji (units 5–6); unit 9 is "r", code point 8. So [6, 9) becomes [5, 8).
    const read = readQdpx(projectWithSelection(6, 9), { positionsUnit: 'utf16' });
    expect(read.sources[0]!.selections[0]).toMatchObject({ startPosition: 5, endPosition: 8 });
    expect(read.warnings).toHaveLength(1);
    expect(read.warnings[0]!.code).toBe('positionsUnit');
    expect(read.warnings[0]!.message).toContain('inside a character written with two UTF-16 code units');
  });

  it('refuses a selection past the end of the text and suggests UTF-16 units when they would fit', () => {
    // The text is 36 code points and 37 UTF-16 units long.
    const error = importError(projectWithSelection(30, 37));
    expect(error.message).toContain(
      `PlainTextSelection "group helps." (project.qde line 79) in TextSource "Interview C3-PT-01 (patient)" (project.qde line 77) has endPosition 37, past the end of the text, which is 36 characters long counted as Unicode code points.`,
    );
    expect(error.message).toContain('Import it again with positions counted in UTF-16 units.');
    expect(error.errors[0]!.field).toBe('PlainTextSelection.endPosition');
  });

  it('refuses a selection that ends before it starts', () => {
    expect(importError(projectWithSelection(19, 7)).message).toContain(
      'has endPosition 7 before its startPosition 19.',
    );
  });
});

const USER = guid(1);
const CODE = guid(10);
const SOURCE = guid(40);

/** A small valid project.qde; `sources` and `codes` replace its parts to break one rule at a time. */
function projectQde({
  namespace = NS,
  codes = `    <Code guid="${CODE}" name="Buy-in" isCodable="true"/>`,
  sources = `    <TextSource guid="${SOURCE}" name="Interview" plainTextPath="internal://${SOURCE}.txt">
      <PlainTextSelection guid="${guid(41)}" startPosition="0" endPosition="5">
        <Coding guid="${guid(42)}" creatingUser="${USER}">
          <CodeRef targetGUID="${CODE}"/>
        </Coding>
      </PlainTextSelection>
    </TextSource>`,
} = {}): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Project xmlns="${namespace}" name="Small">`,
    `  <Users><User guid="${USER}" name="One"/></Users>`,
    '  <CodeBook><Codes>',
    codes,
    '  </Codes></CodeBook>',
    '  <Sources>',
    sources,
    '  </Sources>',
    '</Project>',
  ].join('\n');
}

function smallQdpx(parts: Parameters<typeof projectQde>[0] = {}): Uint8Array {
  return qdpx({ 'project.qde': projectQde(parts), [`Sources/${SOURCE}.txt`]: 'Hello, world.' });
}

describe('readQdpx refuses a broken file, returning nothing', () => {
  it('reads the small project these cases start from', () => {
    expect(readQdpx(smallQdpx()).sources[0]!.selections[0]!.codings[0]!.codeRef).toBe(CODE);
  });

  it('refuses a file that is not a zip', () => {
    expect(importError(strToU8('<Project/>')).message).toBe(
      'The file is not a .qdpx project: it is not a zip archive (or the archive is damaged). Export the project from your QDA tool again as REFI-QDA (.qdpx).',
    );
  });

  it('refuses a zip without project.qde', () => {
    expect(importError(qdpx({ 'Sources/a.txt': 'text' })).message).toBe(
      'The .qdpx file has no project.qde at the top of the archive, so it is not a REFI-QDA project.',
    );
  });

  it('refuses XML that is not well-formed, naming the line', () => {
    const broken = qdpx({
      'project.qde': `<?xml version="1.0"?>\n<Project xmlns="${NS}" name="x">\n  <Users>\n</Project>\n`,
    });
    expect(importError(broken).message).toMatch(
      /^project\.qde is not well-formed XML: line 4, column \d+: unexpected close tag/,
    );
  });

  it('refuses a project in the wrong namespace', () => {
    const error = importError(smallQdpx({ namespace: 'urn:QDA-XML:project:0.9' }));
    expect(error.message).toBe(
      'project.qde line 2: the root element must be Project in namespace "urn:QDA-XML:project:1.0", but it is Project in namespace "urn:QDA-XML:project:0.9".',
    );
    expect(error.errors).toEqual([{ field: 'project.qde:Project', message: error.message }]);
  });

  it('refuses a coding of a code that is not in the codebook', () => {
    const error = importError(
      smallQdpx({ codes: `    <Code guid="${guid(11)}" name="Connections" isCodable="true"/>` }),
    );
    expect(error.message).toBe(
      `The .qdpx project cannot be imported: Coding ${guid(42)} in PlainTextSelection ${guid(41)} (project.qde line 9) in TextSource "Interview" (project.qde line 8) refers to code ${CODE}, which is not in the project.`,
    );
    expect(error.errors).toEqual([{ field: 'Coding.CodeRef.targetGUID', message: expect.any(String) }]);
  });

  it('refuses a selection past the end of its text', () => {
    const sources = projectQde()
      .split('\n')
      .slice(7, 14)
      .join('\n')
      .replace('endPosition="5"', 'endPosition="14"');
    // "Hello, world." is 13 code points.
    expect(importError(smallQdpx({ sources })).message).toContain(
      'has endPosition 14, past the end of the text, which is 13 characters long counted as Unicode code points.',
    );
  });

  it('refuses a plainTextPath whose file is not in the archive', () => {
    const sources = `    <TextSource guid="${SOURCE}" name="Interview" plainTextPath="internal://missing.txt"/>`;
    expect(importError(smallQdpx({ sources })).message).toBe(
      'The .qdpx project cannot be imported: project.qde line 8: TextSource "Interview" has plainTextPath "internal://missing.txt", but there is no Sources/missing.txt in the .qdpx file.',
    );
  });

  it('refuses two objects with the same GUID, naming both lines', () => {
    const codes = [
      `    <Code guid="${CODE}" name="Buy-in" isCodable="true"/>`,
      `    <Code guid="{${CODE.toUpperCase()}}" name="Connections" isCodable="true"/>`,
    ].join('\n');
    expect(importError(smallQdpx({ codes })).message).toBe(
      `The .qdpx project cannot be imported: GUID ${CODE} is used by 2 objects: Code "Buy-in", Code "Connections" (project.qde lines 5, 6). Each object needs its own GUID.`,
    );
  });

  it('refuses an archive that would unpack to more than the limit', () => {
    expect(readQdpx(smallQdpx(), { maxUnpackedBytes: 2048 }).sources).toHaveLength(1);
    const big = qdpx({ 'project.qde': projectQde(), [`Sources/${SOURCE}.txt`]: 'x'.repeat(1024 * 1024 + 1) });
    expect(importError(big, { maxUnpackedBytes: 1024 * 1024 }).message).toBe(
      'The .qdpx file would unpack to more than 1 MB of project and text; it is too large to import.',
    );
  });

  it('lists every problem it found, not only the first', () => {
    const sources = `    <TextSource guid="${SOURCE}" name="Interview" plainTextPath="internal://missing.txt"/>
    <TextSource guid="not-a-guid" name="Other"><PlainTextContent>x</PlainTextContent></TextSource>`;
    const error = importError(smallQdpx({ sources }));
    expect(error.message).toMatch(
      /^The \.qdpx project cannot be imported: 2 problems\. The first: project\.qde line 8: TextSource "Interview" has plainTextPath/,
    );
    expect(error.errors.map((problem) => problem.field)).toEqual([
      'TextSource.plainTextPath',
      'TextSource.guid',
    ]);
  });
});

describe('readQdc', () => {
  const qdc = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 2022">',
    '  <Codes>',
    `    <Code guid="${CODE}" name="Buy-in" isCodable="false" color="#123456">`,
    `      <NoteRef targetGUID="${guid(60)}"/>`,
    `      <Code guid="${guid(11)}" name="From GPs" isCodable="true"/>`,
    '    </Code>',
    '  </Codes>',
    '</CodeBook>',
  ].join('\n');

  it('reads a codebook from another tool, leaving out notes a codebook cannot carry', () => {
    expect(readQdc(strToU8(qdc))).toEqual({
      origin: 'MAXQDA 2022',
      codes: [
        {
          guid: CODE,
          name: 'Buy-in',
          isCodable: false,
          color: '#123456',
          noteRefs: [],
          children: [{ guid: guid(11), name: 'From GPs', isCodable: true, noteRefs: [], children: [] }],
        },
      ],
    });
  });

  it('refuses a project file offered as a codebook', () => {
    expect(() => readQdc(strToU8(qdc.replace('codebook:1.0', 'project:1.0')))).toThrow(
      'the .qdc file line 2: the root element must be CodeBook in namespace "urn:QDA-XML:codebook:1.0", but it is CodeBook in namespace "urn:QDA-XML:project:1.0".',
    );
  });

  it('refuses a codebook with a repeated GUID', () => {
    expect(() => readQdc(strToU8(qdc.replace(guid(11), CODE)))).toThrow(
      `GUID ${CODE} is used by 2 objects: Code "Buy-in", Code "From GPs" (the .qdc file lines 4, 6).`,
    );
  });
});

describe('readQdpx keeps what XML attributes would otherwise lose', () => {
  it('round-trips names with line breaks, tabs and quotes', () => {
    const project = makeQdaProject();
    project.codebook.codes[0]!.name = 'Line one\nLine two\t"quoted" \r end';
    expect(projectOnly(readQdpx(writeQdpx(project)))).toEqual(project);
  });
});
