import { unzipSync } from 'fflate';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { ValidationError } from '../../../platform/errors.ts';

const DOCUMENT_PART = 'word/document.xml';
// Far above any real transcript (2,000,000 characters of text is about 30 MB of WordprocessingML), low enough
// that a small zip cannot expand into gigabytes: the inflated part is cut at its declared size.
const MAX_DOCUMENT_XML_BYTES = 150 * 1024 * 1024;

const wordNamespaces = new Set([
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
  'http://purl.oclc.org/ooxml/wordprocessingml/main', // Strict Open XML
]);
const markupCompatibility = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

export const isZip = (bytes: Uint8Array) =>
  bytes[0] === 0x50 &&
  bytes[1] === 0x4b &&
  (bytes[2] === 0x03 || bytes[2] === 0x05) &&
  bytes[3] === bytes[2] + 1;

/** Office's container for password-protected documents, and for old Word 97–2003 .doc files. */
export const isCompoundFile = (bytes: Uint8Array) =>
  [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1].every((b, i) => bytes[i] === b);

/** Refuses a file that is not a zip, explaining what it is when that can be told. */
export function assertDocxContainer(fileName: string, bytes: Uint8Array): void {
  if (isZip(bytes)) return;
  if (isCompoundFile(bytes)) {
    // An encrypted Office document is a compound file holding an "EncryptedPackage" stream (MS-OFFCRYPTO 2.3.4).
    const encrypted = includesUtf16Le(bytes, 'EncryptedPackage');
    throw new ValidationError(
      encrypted
        ? `${fileName} is protected with a password, so it cannot be read. Open it in Word, remove the password ` +
            '(File > Info > Protect Document > Encrypt with Password, then clear it), save it and upload it again.'
        : `${fileName} is an old Word 97–2003 document (.doc), which Linkwork does not read. Open it in Word, ` +
            'save it as a Word Document (.docx) and upload that.',
      { field: 'file' },
    );
  }
  throw new ValidationError(
    `${fileName} is not a Word document (.docx): a .docx file is a zip archive and this is not one. Open it in ` +
      'Word, save it as a Word Document (.docx) and upload it again.',
    { field: 'file' },
  );
}

/**
 * The text of a Word document's body: each paragraph (w:p) a line, with its runs' text (w:t), tabs (w:tab) and
 * line breaks (w:br, w:cr); each table row a line with its cells separated by tabs. Headers, footers, footnotes
 * and comments live in other parts and are not read; deleted and moved-away tracked changes and hidden text are
 * left out; text boxes follow the paragraph they are anchored in.
 */
export function readDocx(fileName: string, bytes: Uint8Array): { text: string; warnings: string[] } {
  assertDocxContainer(fileName, bytes);
  const entries: { name: string; originalSize: number }[] = [];
  let files: Record<string, Uint8Array>;
  try {
    if (hasEncryptedEntries(bytes)) {
      throw new ValidationError(
        `${fileName} is a zip archive protected with a password, not a Word document Linkwork can read. ` +
          'Upload the .docx file itself.',
        { field: 'file' },
      );
    }
    files = unzipSync(bytes, {
      filter: (entry) => {
        entries.push(entry);
        return entry.name === DOCUMENT_PART && entry.originalSize <= MAX_DOCUMENT_XML_BYTES;
      },
    });
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(
      `${fileName} is damaged: its zip archive cannot be read (${(error as Error).message}). Open it in Word, save ` +
        'it again and upload it again.',
      { field: 'file' },
    );
  }
  const part = entries.find((entry) => entry.name === DOCUMENT_PART);
  if (!part) {
    throw new ValidationError(
      `${fileName} is a zip archive but not a Word document: it has no ${DOCUMENT_PART}. Upload a Word ` +
        'Document (.docx) saved from Word, LibreOffice or Google Docs.',
      { field: 'file' },
    );
  }
  const xml = files[DOCUMENT_PART];
  if (!xml) {
    throw new ValidationError(
      `${fileName} is too large to read: its text part ${DOCUMENT_PART} would expand to ` +
        `${Math.round(part.originalSize / 1024 / 1024)} MB. Split the document and upload each part.`,
      { field: 'file' },
    );
  }
  const reader = new DocumentReader(`${DOCUMENT_PART} in ${fileName}`);
  reader.read(xml);

  const warnings: string[] = [];
  if (reader.trackedChanges) {
    warnings.push('The document has tracked changes: its text is read as if every change had been accepted.');
  }
  if (reader.hiddenRuns) warnings.push('Hidden text in the document was left out.');
  if (reader.pictures) {
    warnings.push(
      `${reader.pictures} ${reader.pictures === 1 ? 'picture or object was' : 'pictures or objects were'} ` +
        'not read (only text is).',
    );
  }
  if (entries.some((entry) => entry.name === 'word/comments.xml')) {
    warnings.push('Comments in the document were not read.');
  }
  return { text: reader.lines.join('\n'), warnings };
}

interface Paragraph {
  text: string;
  /** Lines of text boxes anchored in this paragraph, which follow it. */
  after: string[];
}

// Elements whose content is not part of the text: properties hold formatting, and deleted text, moved-away text
// and field instructions are not what a reader of the document sees.
const skipped = new Set([
  'pPr',
  'sectPr',
  'tblPr',
  'tblGrid',
  'trPr',
  'tcPr',
  'sdtPr',
  'sdtEndPr',
  'del',
  'moveFrom',
  'delText',
  'instrText',
  'delInstrText',
  'rPrChange',
]);

/** Reads WordprocessingML as a stream of tags (saxes), so a large document is never held as a tree. */
class DocumentReader {
  readonly lines: string[] = [];
  trackedChanges = false;
  hiddenRuns = false;
  pictures = 0;

  private readonly paragraphs: Paragraph[] = [];
  /** Where finished lines go: the body, a table cell, or a text box's paragraph. */
  private readonly sinks: string[][] = [this.lines];
  private readonly rows: string[][] = [];
  private readonly runs: { hidden: boolean }[] = [];
  /** For each open mc:AlternateContent, whether one of its choices has been read. */
  private readonly alternates: boolean[] = [];
  /** For each open picture (w:drawing, w:pict, w:object), how many text boxes had opened before it. */
  private readonly pictureStarts: number[] = [];
  private textBoxes = 0;
  private skipDepth = 0;
  private depth = 0;
  private inText = false;
  private sawBody = false;

  constructor(private readonly where: string) {}

  read(xml: Uint8Array): void {
    const parser = new SaxesParser({ xmlns: true });
    parser.on('doctype', () => {
      // Word never writes a DTD; refusing one also refuses entity expansion attacks.
      throw new ValidationError(`${this.where} has a DOCTYPE declaration, which Word documents never have.`, {
        field: 'file',
      });
    });
    parser.on('opentag', (tag) => this.open(tag));
    parser.on('closetag', (tag) => this.close(tag));
    parser.on('text', (text) => this.text(text));
    parser.on('cdata', (text) => this.text(text));
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const chunk = 1 << 20;
    try {
      for (let offset = 0; offset < xml.length; offset += chunk) {
        parser.write(decoder.decode(xml.subarray(offset, offset + chunk), { stream: true }));
      }
      parser.write(decoder.decode());
      parser.close();
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      const reason = error instanceof TypeError ? 'it is not valid UTF-8' : (error as Error).message;
      throw new ValidationError(
        `${this.where} is not well-formed XML (${reason}). The file is damaged: open it in Word, save it again ` +
          'and upload it again.',
        { field: 'file' },
      );
    }
    if (!this.sawBody) {
      throw new ValidationError(
        `${this.where} has no document body (w:body), so it is not a Word document. Open the file in Word, save ` +
          'it as a Word Document (.docx) and upload it again.',
        { field: 'file' },
      );
    }
  }

  private open(tag: SaxesTagNS): void {
    this.depth++;
    if (this.depth === 1 && !(isWordNamespace(tag.uri) && tag.local === 'document')) {
      throw new ValidationError(
        `${this.where} starts with <${tag.name}>, not <w:document>, so it is not a Word document. Open the file ` +
          'in Word, save it as a Word Document (.docx) and upload it again.',
        { field: 'file' },
      );
    }
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return;
    }
    if (tag.uri === markupCompatibility) {
      // mc:AlternateContent offers the same content more than one way: read the first choice only.
      if (tag.local === 'AlternateContent') this.alternates.push(false);
      else if (tag.local === 'Choice' || tag.local === 'Fallback') {
        if (this.alternates.at(-1)) this.skipDepth = 1;
        else this.alternates[this.alternates.length - 1] = true;
      }
      return;
    }
    if (!isWordNamespace(tag.uri)) return;
    const paragraph = this.paragraphs.at(-1);
    const run = this.runs.at(-1);
    switch (tag.local) {
      case 'body':
        this.sawBody = true;
        break;
      case 'p':
        this.paragraphs.push({ text: '', after: [] });
        break;
      case 'r':
        this.runs.push({ hidden: false });
        break;
      case 'vanish':
        // Only a run's own properties count: a paragraph's (in w:pPr) and earlier ones (w:rPrChange) are skipped.
        if (run && !isOff(wordAttribute(tag, 'val'))) run.hidden = true;
        break;
      case 't':
        this.inText = true;
        break;
      case 'tab':
      case 'ptab':
        if (paragraph && !run?.hidden) paragraph.text += '\t';
        break;
      case 'br':
      case 'cr':
        if (paragraph && !run?.hidden) paragraph.text += '\n';
        break;
      case 'noBreakHyphen':
        if (paragraph && !run?.hidden) paragraph.text += '-';
        break;
      case 'tr':
        this.rows.push([]);
        break;
      case 'tc':
        this.sinks.push([]);
        break;
      case 'txbxContent':
        this.textBoxes++;
        this.sinks.push(paragraph ? paragraph.after : (this.sinks.at(-1) ?? this.lines));
        break;
      case 'drawing':
      case 'pict':
      case 'object':
        this.pictureStarts.push(this.textBoxes);
        break;
      case 'ins':
      case 'moveTo':
        this.trackedChanges = true;
        break;
      default:
        if (skipped.has(tag.local)) {
          if (tag.local === 'del' || tag.local === 'moveFrom') this.trackedChanges = true;
          this.skipDepth = 1;
        }
    }
  }

  private close(tag: SaxesTagNS): void {
    this.depth--;
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    if (tag.uri === markupCompatibility) {
      if (tag.local === 'AlternateContent') this.alternates.pop();
      return;
    }
    if (!isWordNamespace(tag.uri)) return;
    switch (tag.local) {
      case 'p': {
        const paragraph = this.paragraphs.pop()!;
        this.sinks.at(-1)!.push(paragraph.text, ...paragraph.after);
        break;
      }
      case 'r': {
        if (this.runs.pop()?.hidden) this.hiddenRuns = true;
        break;
      }
      case 't':
        this.inText = false;
        break;
      case 'tc': {
        const cell = this.sinks.pop()!;
        this.rows.at(-1)?.push(
          cell
            .map((line) => line.trim())
            .filter((line) => line !== '')
            .join(' '),
        );
        break;
      }
      case 'tr':
        this.sinks.at(-1)!.push(this.rows.pop()!.join('\t'));
        break;
      case 'txbxContent':
        this.sinks.pop();
        break;
      case 'drawing':
      case 'pict':
      case 'object':
        if (this.pictureStarts.pop() === this.textBoxes) this.pictures++;
        break;
    }
  }

  private text(text: string): void {
    if (!this.inText || this.skipDepth > 0) return;
    const paragraph = this.paragraphs.at(-1);
    if (paragraph && !this.runs.at(-1)?.hidden) paragraph.text += text;
  }
}

const isWordNamespace = (uri: string) => wordNamespaces.has(uri);

/** The value of a w: attribute such as w:val, whatever prefix the document gives the namespace. */
function wordAttribute(tag: SaxesTagNS, local: string): string | undefined {
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.local === local && isWordNamespace(attribute.uri)) return attribute.value;
  }
  return undefined;
}

const isOff = (value: string | undefined) => value === '0' || value === 'false' || value === 'off';

function includesUtf16Le(bytes: Uint8Array, ascii: string): boolean {
  const needle = new Uint8Array(ascii.length * 2);
  for (let i = 0; i < ascii.length; i++) needle[i * 2] = ascii.charCodeAt(i);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let k = 0; k < needle.length; k++) if (bytes[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** Whether any entry in the zip's central directory has the "encrypted" flag (APPNOTE 4.4.4, bit 0). */
function hasEncryptedEntries(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-directory record is the last 22 bytes, or before a comment of up to 65,535 bytes.
  let end = bytes.length - 22;
  const earliest = Math.max(0, end - 65535);
  while (end >= earliest && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < earliest) return false; // fflate reports a missing directory as damage
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  for (let i = 0; i < count && offset + 46 <= bytes.length; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) return false;
    if (view.getUint16(offset + 8, true) & 1) return true;
    offset +=
      46 +
      view.getUint16(offset + 28, true) +
      view.getUint16(offset + 30, true) +
      view.getUint16(offset + 32, true);
  }
  return false;
}
