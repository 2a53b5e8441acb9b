import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError, ValidationError } from '../../../platform/errors.ts';
import { firstInvalidUtf8, normaliseText } from './decode-text.ts';
import { MAX_SOURCE_BYTES, normaliseSource } from './normalise-source.ts';
import { sliceCodePoints } from './offsets.ts';
import { speakerLabelOf } from './speaker-turns.ts';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`;

/** A .docx as Word lays it out, from its document.xml and any other parts. */
function makeDocx(documentXml: string, otherParts: Record<string, string> = {}): Uint8Array {
  const parts: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(contentTypes),
    'word/document.xml': strToU8(documentXml),
  };
  for (const [name, content] of Object.entries(otherParts)) parts[name] = strToU8(content);
  return zipSync(parts);
}

const wordDocument = (body: string, namespaces = '') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}" ${namespaces}><w:body>${body}</w:body></w:document>`;

const utf8 = (text: string) => new TextEncoder().encode(text);
const withUtf8Bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
function utf16(text: string, order: 'le' | 'be'): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 + 2 * i + (order === 'le' ? 0 : 1)] = unit & 0xff;
    bytes[2 + 2 * i + (order === 'le' ? 1 : 0)] = unit >> 8;
  }
  return bytes;
}

function rejection(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected it to throw');
}

describe('plain text sources', () => {
  it('drops a UTF-8 byte order mark, turns CRLF and lone CR into LF, composes to NFC and trims line ends', () => {
    // "Cafe\u0301" is é written as e + combining acute; NFC makes it the one code point U+00E9.
    const source = normaliseSource({
      fileName: 'interview.txt',
      bytes: withUtf8Bom('Interviewer: Hello  \r\nP1: Cafe\u0301\t\r\n\r\nsecond para\r'),
    });
    expect(source.kind).toBe('text');
    expect(source.text).toBe('Interviewer: Hello\nP1: Café\n\nsecond para\n');
    // "Interviewer: Hello" is 0–18; "P1: Café" starts at 19 and its turn runs to the end of "second para"
    // (19 + 8 + 2 newlines = 29, + 11 = 40).
    expect(source.turns).toEqual([
      { speaker: 'Interviewer', start: 0, end: 18 },
      { speaker: 'P1', start: 19, end: 40 },
    ]);
    expect(source.warnings).toEqual([]);
  });

  it('reads UTF-16 LE and BE when a byte order mark says so, with turns in code points', () => {
    for (const order of ['le', 'be'] as const) {
      const source = normaliseSource({ fileName: 'notes.txt', bytes: utf16('P1: 😀 ok\r\nGP: fine', order) });
      expect(source.text).toBe('P1: 😀 ok\nGP: fine');
      // "P1: 😀 ok" is 8 code points (9 UTF-16 units); the newline is 8, "GP: fine" 9–17.
      expect(source.turns).toEqual([
        { speaker: 'P1', start: 0, end: 8 },
        { speaker: 'GP', start: 9, end: 17 },
      ]);
    }
  });

  it('refuses invalid UTF-8, naming the byte offset, its line and its value', () => {
    // "Line one\n" is 9 bytes and "Caf" 3 more: the Windows-1252 é (0xE9) is at offset 12, on line 2.
    const bytes = new Uint8Array([...utf8('Line one\nCaf'), 0xe9, ...utf8(' au lait')]);
    const error = rejection(() => normaliseSource({ fileName: 'notes.txt', bytes }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(
      /notes\.txt is not valid UTF-8 text: the byte at offset 12 .*on line 2\) is 0xE9/,
    );
  });

  it('finds the first invalid UTF-8 byte where the platform decoder would stop', () => {
    const cases: [number[], number][] = [
      [[0x61, 0xc3, 0xa9, 0x62], 4], // a é b: valid
      [[0x61, 0xc0, 0xaf], 1], // overlong "/"
      [[0x61, 0xed, 0xa0, 0x80], 1], // an encoded surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // beyond U+10FFFF
      [[0x61, 0x62, 0xe2, 0x82], 2], // cut off at the end
      [[0xf0, 0x9f, 0x98, 0x80, 0x80], 4], // 😀 then a stray continuation byte
    ];
    for (const [bytes, offset] of cases) {
      const array = new Uint8Array(bytes);
      expect(firstInvalidUtf8(array)).toBe(offset);
      const decodes = () => new TextDecoder('utf-8', { fatal: true }).decode(array);
      if (offset === bytes.length) expect(decodes).not.toThrow();
      else {
        expect(decodes).toThrow();
        expect(() =>
          new TextDecoder('utf-8', { fatal: true }).decode(array.subarray(0, offset)),
        ).not.toThrow();
      }
    }
  });

  it('refuses an empty file and a file of only blank lines', () => {
    expect(rejection(() => normaliseSource({ fileName: 'empty.txt', bytes: new Uint8Array() })).message).toBe(
      'empty.txt is empty (0 bytes). Check you chose the right file.',
    );
    expect(
      rejection(() => normaliseSource({ fileName: 'blank.txt', bytes: utf8(' \r\n\t\n') })).message,
    ).toBe('blank.txt has no text in it.');
  });

  it('refuses text with NUL characters, as UTF-16 without a byte order mark would be', () => {
    const bytes = utf16('Hello', 'le').subarray(2);
    expect(rejection(() => normaliseSource({ fileName: 'x.txt', bytes })).message).toMatch(
      /x\.txt contains NUL characters \(the first at character 1\).*UTF-16 without a byte order mark/,
    );
  });

  it('limits sources to 20 MB and to 2,000,000 code points (not UTF-16 units)', () => {
    const tooBig = new Uint8Array(MAX_SOURCE_BYTES + 1).fill(0x61);
    const error = rejection(() => normaliseSource({ fileName: 'big.txt', bytes: tooBig }));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error.message).toBe(
      'big.txt is 20.0 MB; sources can be up to 20 MB. Split it into parts and upload each.',
    );

    // 1,999,999 letters and an emoji: 2,000,000 code points but 2,000,001 UTF-16 units, so accepted.
    const atLimit = `${'a'.repeat(1_999_999)}😀`;
    expect(normaliseSource({ fileName: 'long.txt', bytes: utf8(atLimit) }).text).toBe(atLimit);
    const overLimit = rejection(() => normaliseSource({ fileName: 'long.txt', bytes: utf8(`${atLimit}a`) }));
    expect(overLimit).toBeInstanceOf(PayloadTooLargeError);
    expect(overLimit.message).toMatch(
      /long\.txt has 2,000,001 characters of text; a source can have up to 2,000,000/,
    );
  });

  it('refuses file types it does not read, saying which it does', () => {
    expect(
      rejection(() => normaliseSource({ fileName: 'scan.pdf', bytes: utf8('%PDF-1.7') })).message,
    ).toMatch(/cannot read scan\.pdf \(\.pdf files\).*\(\.txt, \.docx or \.vtt\)/);
    expect(rejection(() => normaliseSource({ fileName: 'old.doc', bytes: utf8('x') })).message).toMatch(
      /old\.doc is an old Word 97–2003 document/,
    );
  });

  it('uses the media type when the name has no extension', () => {
    const source = normaliseSource({
      fileName: 'upload',
      bytes: utf8('hello'),
      mediaType: 'text/plain; charset=utf-8',
    });
    expect(source.kind).toBe('text');
  });

  it('finds speaker labels of up to 40 characters and leaves headings and times alone', () => {
    expect(speakerLabelOf('Interviewer: so')).toBe('Interviewer');
    expect(speakerLabelOf('Link worker 2: yes')).toBe('Link worker 2');
    expect(speakerLabelOf('Dr Patel (GP):')).toBe('Dr Patel (GP)');
    expect(speakerLabelOf('[LW] we met weekly')).toBe('LW');
    expect(speakerLabelOf('[LW]: we met weekly')).toBe('LW');
    expect(speakerLabelOf('Date: 3 May 2024')).toBeNull();
    expect(speakerLabelOf('10:30 we met')).toBeNull();
    expect(speakerLabelOf('See https://example.org')).toBeNull();
    expect(speakerLabelOf('Then she said to me that: no')).toBeNull(); // six words
    expect(speakerLabelOf(`${'x'.repeat(40)}: too long`)).toBeNull();
    expect(speakerLabelOf(`${'x'.repeat(39)}: long enough`)).toBe('x'.repeat(39));
  });

  it('gives text before the first label a turn without a speaker, and a document with no labels no turns', () => {
    const source = normaliseSource({ fileName: 't.txt', bytes: utf8('Date: 3 May\nSite 2\n\nP1: hi\n') });
    expect(source.turns).toEqual([
      { speaker: null, start: 0, end: 18 },
      { speaker: 'P1', start: 20, end: 26 },
    ]);
    expect(
      normaliseSource({ fileName: 'notes.txt', bytes: utf8('Field notes.\nNo speakers.') }).turns,
    ).toEqual([]);
  });

  it('changes nothing but line endings, NFC and trailing spaces', () => {
    const text = '  indented\tline \u00a0\n\n\nkeeps “quotes” and   inner  spaces\u3000\nlast';
    expect(normaliseText(text)).toBe('  indented\tline\n\n\nkeeps “quotes” and   inner  spaces\nlast');
  });
});

describe('Teams / WebVTT transcripts', () => {
  // Written by hand as Teams writes it: cue identifiers, <v Name> voice spans, a cue wrapped over two lines,
  // a NOTE block, CRLF line endings, and a cue with no speaker.
  const teamsVtt = [
    'WEBVTT',
    '',
    'NOTE',
    'Written by hand in the format Teams uses.',
    '',
    '3f2a9c1e-7b4d-4e0a-9c55-2d1e8f6a0b11/12-0',
    '00:00:03.120 --> 00:00:07.560',
    '<v Amira Hassan>Thanks for joining. Can you',
    'hear me OK?</v>',
    '',
    '3f2a9c1e-7b4d-4e0a-9c55-2d1e8f6a0b11/12-1',
    '00:00:07.560 --> 00:00:09.000',
    '<v Amira Hassan>We&#39;ll start with consent.</v>',
    '',
    '3f2a9c1e-7b4d-4e0a-9c55-2d1e8f6a0b11/15-0',
    '00:00:09.480 --> 00:00:12.020 align:start',
    "<v Ann Smith>Yes, that's fine 😊</v>",
    '',
    '00:00:12.500 --> 00:01:02.250',
    '<v Amira Hassan>Great &amp; thank you.</v>',
    '',
    '3f2a9c1e-7b4d-4e0a-9c55-2d1e8f6a0b11/20-0',
    '01:03.000 --> 01:04.000',
    '[inaudible]',
    '',
  ].join('\r\n');

  it('merges consecutive cues by one speaker into a "Speaker: words" paragraph covered by its turn', () => {
    const source = normaliseSource({ fileName: 'teams.vtt', bytes: utf8(teamsVtt) });
    expect(source.kind).toBe('vtt');
    expect(source.text).toBe(
      "Amira Hassan: Thanks for joining. Can you hear me OK? We'll start with consent.\n\n" +
        "Ann Smith: Yes, that's fine 😊\n\n" +
        'Amira Hassan: Great & thank you.\n\n' +
        '[inaudible]',
    );
    // Paragraph lengths in code points: 14 + 19 + 20 + 26 = 79; "Ann Smith: Yes, that's fine 😊" 29 (the emoji
    // is one); "Amira Hassan: Great & thank you." 32; "[inaudible]" 11. Each is followed by two newlines.
    expect(source.turns).toEqual([
      { speaker: 'Amira Hassan', start: 0, end: 79, startMs: 3120, endMs: 9000 },
      { speaker: 'Ann Smith', start: 81, end: 110, startMs: 9480, endMs: 12020 },
      { speaker: 'Amira Hassan', start: 112, end: 144, startMs: 12500, endMs: 62250 },
      { speaker: null, start: 146, end: 157, startMs: 63000, endMs: 64000 },
    ]);
    expect(sliceCodePoints(source.text, 81, 110)).toBe("Ann Smith: Yes, that's fine 😊");
    expect(source.warnings).toEqual([
      '1 cue has no speaker (no <v Name> tag): their words are kept in turns without a speaker.',
    ]);
    expect(normaliseText(source.text)).toBe(source.text);
  });

  it('reads a .txt that is really a WebVTT transcript as one, and says so', () => {
    const source = normaliseSource({ fileName: 'transcript.txt', bytes: withUtf8Bom(teamsVtt) });
    expect(source.kind).toBe('vtt');
    expect(source.warnings[0]).toBe(
      'transcript.txt is a WebVTT transcript: it was read as one, with its speakers and timings.',
    );
  });

  it('refuses a .vtt that does not start with WEBVTT', () => {
    const error = rejection(() =>
      normaliseSource({ fileName: 'call.vtt', bytes: utf8('1\n00:00:01,000 --> x') }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^call\.vtt does not start with "WEBVTT"/);
  });

  it('names the line of a cue timing it cannot read', () => {
    const vtt =
      'WEBVTT\n\nid-1\n00:00:01.000 --> 00:00:02.000\n<v A>ok</v>\n\nid-2\n00:00:03,000 --> 00:00:04,000\nno\n';
    expect(rejection(() => normaliseSource({ fileName: 'call.vtt', bytes: utf8(vtt) })).message).toMatch(
      /^Line 8 of call\.vtt should be a cue timing such as "00:01:02\.500 --> 00:01:05\.000" but is "00:00:03,000/,
    );
  });
});

describe('Word documents', () => {
  const body = [
    // A title paragraph whose tab stop definitions (in w:pPr) must not become tabs.
    '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Interview C3-PT-01</w:t></w:r></w:p>',
    // A label split across runs, with significant spaces.
    '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Inter</w:t></w:r><w:r><w:t xml:space="preserve">viewer: </w:t></w:r>',
    '<w:r><w:t>How did you hear about the link worker?</w:t></w:r></w:p>',
    // Tracked changes (deletion left out, insertion kept), hidden text, a line break, a tab, references.
    '<w:p><w:r><w:t xml:space="preserve">P1: My GP </w:t></w:r>',
    '<w:del w:id="1" w:author="R"><w:r><w:delText>Dr X </w:delText></w:r></w:del>',
    '<w:ins w:id="2" w:author="R"><w:r><w:t>told me</w:t></w:r></w:ins>',
    '<w:r><w:rPr><w:vanish/></w:rPr><w:t>HIDDEN</w:t></w:r>',
    '<w:r><w:t>.</w:t><w:br/><w:t>Then</w:t><w:tab/><w:t>caf&#xE9; &amp; chat</w:t></w:r></w:p>',
    // A text box offered two ways (DrawingML and VML): read once, after its paragraph.
    '<w:p><w:r><w:t>See box</w:t></w:r><w:r><mc:AlternateContent>',
    '<mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p>',
    '</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>',
    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Box text</w:t></w:r></w:p></w:txbxContent>',
    '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>',
    '<w:p/>',
    // A table: a row per line, cells separated by tabs, a cell's paragraphs joined by a space.
    '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>',
    '<w:tr><w:tc><w:p><w:r><w:t>Name</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Role</w:t></w:r></w:p></w:tc></w:tr>',
    '<w:tr><w:tc><w:p><w:r><w:t>Ann</w:t></w:r></w:p><w:p><w:r><w:t>Smith</w:t></w:r></w:p></w:tc>',
    '<w:tc><w:p><w:r><w:t>Patient</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
    // Trailing spaces trimmed; a picture with no text.
    '<w:p><w:r><w:t xml:space="preserve">GP: Thanks  </w:t></w:r><w:r><w:drawing><wp:inline/></w:drawing></w:r></w:p>',
    '<w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr>',
  ].join('');
  const namespaces = [
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
    'xmlns:v="urn:schemas-microsoft-com:vml"',
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
    'mc:Ignorable="wps"',
  ].join(' ');

  it('reads paragraphs, runs, tabs, breaks and table rows into lines, and finds the speaker turns', () => {
    const docx = makeDocx(wordDocument(body, namespaces), {
      'word/header1.xml': `<w:hdr xmlns:w="${W}"><w:p><w:r><w:t>HEADER TEXT</w:t></w:r></w:p></w:hdr>`,
      'word/comments.xml': `<w:comments xmlns:w="${W}"><w:comment w:id="0"><w:p><w:r><w:t>COMMENT</w:t></w:r></w:p></w:comment></w:comments>`,
    });
    const source = normaliseSource({ fileName: 'interview.docx', bytes: docx });
    expect(source.kind).toBe('docx');
    expect(source.text).toBe(
      [
        'Interview C3-PT-01',
        'Interviewer: How did you hear about the link worker?',
        'P1: My GP told me.',
        'Then\tcafé & chat',
        'See box',
        'Box text',
        '',
        'Name\tRole',
        'Ann Smith\tPatient',
        'GP: Thanks',
      ].join('\n'),
    );
    // Line starts: 0, 19, 72, 91, 108, 116, 125 (empty), 126, 136, 154. The heading is a turn without a speaker;
    // P1's turn runs from its label to the end of "Ann Smith\tPatient" (136 + 17 = 153).
    expect(source.turns).toEqual([
      { speaker: null, start: 0, end: 18 },
      { speaker: 'Interviewer', start: 19, end: 71 },
      { speaker: 'P1', start: 72, end: 153 },
      { speaker: 'GP', start: 154, end: 164 },
    ]);
    expect(source.warnings).toEqual([
      'The document has tracked changes: its text is read as if every change had been accepted.',
      'Hidden text in the document was left out.',
      '1 picture or object was not read (only text is).',
      'Comments in the document were not read.',
    ]);
  });

  it('reads Strict Open XML and any namespace prefix', () => {
    const xml =
      '<x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main"><x:body>' +
      '<x:p><x:r><x:t>P1: hello</x:t></x:r></x:p></x:body></x:document>';
    expect(normaliseSource({ fileName: 'strict.docx', bytes: makeDocx(xml) }).text).toBe('P1: hello');
  });

  it('refuses a zip that is not a Word document', () => {
    const zip = zipSync({ 'notes/readme.txt': strToU8('hello') });
    const error = rejection(() => normaliseSource({ fileName: 'notes.docx', bytes: zip }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(
      /^notes\.docx is a zip archive but not a Word document: it has no word\/document\.xml/,
    );
  });

  it('refuses a damaged zip, and a Word document named .vtt', () => {
    const docx = makeDocx(wordDocument('<w:p><w:r><w:t>x</w:t></w:r></w:p>'));
    // Without its last 30 bytes the zip has no end-of-directory record.
    expect(
      rejection(() => normaliseSource({ fileName: 'cut.docx', bytes: docx.subarray(0, -30) })).message,
    ).toMatch(/^cut\.docx is damaged: its zip archive cannot be read/);
    expect(rejection(() => normaliseSource({ fileName: 'call.vtt', bytes: docx })).message).toMatch(
      /^call\.vtt does not start with "WEBVTT"/,
    );
  });

  it('refuses a .docx that is not a zip', () => {
    expect(
      rejection(() => normaliseSource({ fileName: 'x.docx', bytes: utf8('plain words') })).message,
    ).toMatch(
      /^x\.docx is not a Word document \(\.docx\): a \.docx file is a zip archive and this is not one/,
    );
  });

  it('refuses a password-protected document, which Word stores as an encrypted compound file', () => {
    // The compound file signature, then (somewhere in its directory) the stream name in UTF-16 LE.
    const name = [...'EncryptedPackage'].flatMap((c) => [c.charCodeAt(0), 0]);
    const bytes = new Uint8Array([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...new Array(504).fill(0),
      ...name,
    ]);
    expect(rejection(() => normaliseSource({ fileName: 'secret.docx', bytes })).message).toMatch(
      /^secret\.docx is protected with a password, so it cannot be read/,
    );
    const oldDoc = new Uint8Array([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...new Array(504).fill(0),
    ]);
    expect(rejection(() => normaliseSource({ fileName: 'renamed.docx', bytes: oldDoc })).message).toMatch(
      /^renamed\.docx is an old Word 97–2003 document/,
    );
  });

  it('refuses a zip whose entries are encrypted', () => {
    const docx = makeDocx(wordDocument('<w:p><w:r><w:t>x</w:t></w:r></w:p>'));
    // Set bit 0 (encrypted) of the general purpose flags in each central directory header (APPNOTE 4.3.12).
    const view = new DataView(docx.buffer);
    for (let i = 0; i + 4 <= docx.length; i++) {
      if (view.getUint32(i, true) === 0x02014b50)
        view.setUint16(i + 8, view.getUint16(i + 8, true) | 1, true);
    }
    expect(rejection(() => normaliseSource({ fileName: 'locked.docx', bytes: docx })).message).toMatch(
      /^locked\.docx is a zip archive protected with a password/,
    );
  });

  it('names where document.xml is not well-formed, and refuses a DOCTYPE', () => {
    const broken = makeDocx(
      `<w:document xmlns:w="${W}">\n<w:body>\n<w:p><w:r><w:t>x</w:r></w:p></w:body></w:document>`,
    );
    expect(rejection(() => normaliseSource({ fileName: 'broken.docx', bytes: broken })).message).toMatch(
      /^word\/document\.xml in broken\.docx is not well-formed XML \(3:\d+: .*\)/,
    );
    const doctype = makeDocx(
      `<!DOCTYPE w:document [<!ENTITY a "aaaa">]><w:document xmlns:w="${W}"><w:body/></w:document>`,
    );
    expect(rejection(() => normaliseSource({ fileName: 'dtd.docx', bytes: doctype })).message).toBe(
      'word/document.xml in dtd.docx has a DOCTYPE declaration, which Word documents never have.',
    );
  });

  it('refuses a document.xml that is not WordprocessingML, and a document with no text', () => {
    const other = makeDocx('<html><body><p>hi</p></body></html>');
    expect(rejection(() => normaliseSource({ fileName: 'web.docx', bytes: other })).message).toMatch(
      /^word\/document\.xml in web\.docx starts with <html>, not <w:document>/,
    );
    const picturesOnly = makeDocx(wordDocument('<w:p><w:r><w:drawing/></w:r></w:p>'));
    expect(rejection(() => normaliseSource({ fileName: 'scan.docx', bytes: picturesOnly })).message).toBe(
      'scan.docx has no text in it (pictures and scanned pages are not read).',
    );
  });

  it('reads a Word document saved with a .txt name, and says so', () => {
    const docx = makeDocx(wordDocument('<w:p><w:r><w:t>P1: hello</w:t></w:r></w:p>'));
    const source = normaliseSource({ fileName: 'interview.txt', bytes: docx });
    expect(source.kind).toBe('docx');
    expect(source.text).toBe('P1: hello');
    expect(source.warnings).toEqual([
      'interview.txt is a Word document, not plain text: it was read as one.',
    ]);
  });
});
