import { PayloadTooLargeError, ValidationError } from '../../../platform/errors.ts';
import { decodeText, normaliseText } from './decode-text.ts';
import { assertDocxContainer, isCompoundFile, isZip, readDocx } from './docx.ts';
import { codePointLength } from './offsets.ts';
import { findLabelledTurns, type Turn } from './speaker-turns.ts';
import { notWebVtt, readVtt, startsWithWebVtt } from './vtt.ts';

export type SourceKind = 'text' | 'docx' | 'vtt';

/**
 * A source as Linkwork keeps it: normalised plain text, its speaker turns, and what a researcher should know about
 * the reading. Every position (turns here, codings later) is a Unicode code point offset into `text`, [start, end).
 */
export interface NormalisedSource {
  kind: SourceKind;
  text: string;
  turns: Turn[];
  warnings: string[];
}

export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
export const MAX_SOURCE_CODE_POINTS = 2_000_000;

const mediaTypes: Record<string, SourceKind> = {
  'text/plain': 'text',
  'text/vtt': 'vtt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};
const extensions: Record<string, SourceKind> = { txt: 'text', text: 'text', vtt: 'vtt', docx: 'docx' };
const kindNames: Record<SourceKind, string> = {
  text: 'plain text',
  docx: 'Word document',
  vtt: 'WebVTT transcript',
};

const formatCount = (n: number) => n.toLocaleString('en-GB');

/**
 * Reads an uploaded transcript or document — plain text (.txt), Word (.docx) or a Teams/WebVTT transcript (.vtt) —
 * into normalised text and speaker turns. Throws a ValidationError (PayloadTooLargeError for size) whose message
 * names the file and what to do.
 */
export function normaliseSource(input: {
  fileName: string;
  bytes: Uint8Array;
  mediaType?: string;
}): NormalisedSource {
  const { fileName, bytes } = input;
  if (bytes.length > MAX_SOURCE_BYTES) {
    throw new PayloadTooLargeError(
      `${fileName} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; sources can be up to 20 MB. Split it into ` +
        'parts and upload each.',
    );
  }
  if (bytes.length === 0) {
    throw new ValidationError(`${fileName} is empty (0 bytes). Check you chose the right file.`, {
      field: 'file',
    });
  }
  const warnings: string[] = [];
  let kind = detectKind(fileName, bytes, input.mediaType, warnings);

  let text: string;
  let turns: Turn[];
  if (kind === 'docx') {
    const document = readDocx(fileName, bytes);
    text = normaliseText(document.text);
    warnings.push(...document.warnings);
    assertWithinLimits(fileName, text);
    turns = findLabelledTurns(text);
  } else {
    const decoded = normaliseText(decodeText(fileName, bytes).text);
    const nul = decoded.indexOf('\0');
    if (nul !== -1) {
      throw new ValidationError(
        `${fileName} contains NUL characters (the first at character ${formatCount(codePointLength(decoded.slice(0, nul)))}), so it is not plain ` +
          'text: it may be UTF-16 without a byte order mark, or not a text file at all. Save it as UTF-8 text and ' +
          'upload it again.',
        { field: 'file' },
      );
    }
    if (kind === 'text' && startsWithWebVtt(decoded)) {
      warnings.push(`${fileName} is a WebVTT transcript: it was read as one, with its speakers and timings.`);
      kind = 'vtt';
    }
    if (kind === 'vtt') {
      const transcript = readVtt(fileName, decoded);
      text = transcript.text;
      turns = transcript.turns;
      warnings.push(...transcript.warnings);
      assertWithinLimits(fileName, text);
    } else {
      text = decoded;
      assertWithinLimits(fileName, text);
      turns = findLabelledTurns(text);
    }
  }
  if (text.trim() === '') {
    throw new ValidationError(
      `${fileName} has no text in it${kind === 'docx' ? ' (pictures and scanned pages are not read)' : ''}.`,
      { field: 'file' },
    );
  }
  return { kind, text, turns, warnings };
}

/** The kind of a file, from its name (or media type) checked against its first bytes. */
function detectKind(
  fileName: string,
  bytes: Uint8Array,
  mediaType: string | undefined,
  warnings: string[],
): SourceKind {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const claimed =
    (extension !== undefined ? extensions[extension] : undefined) ??
    (mediaType !== undefined ? mediaTypes[mediaType.split(';')[0]!.trim().toLowerCase()] : undefined);
  if (claimed === 'docx') {
    assertDocxContainer(fileName, bytes);
    return 'docx';
  }
  if (claimed === 'vtt') {
    if (isZip(bytes) || isCompoundFile(bytes)) throw notWebVtt(fileName);
    return 'vtt'; // readVtt refuses text that does not start with WEBVTT
  }
  if (isZip(bytes) || isCompoundFile(bytes)) {
    if (claimed === 'text') {
      // A Word document renamed, or saved from a browser under the wrong name: read it for what it is.
      warnings.push(`${fileName} is a Word document, not plain text: it was read as one.`);
    }
    if (claimed === 'text' || claimed === undefined) return 'docx';
  }
  if (claimed === 'text') return 'text';
  const known = Object.values(kindNames).join(', ');
  if (extension === 'doc') {
    throw new ValidationError(
      `${fileName} is an old Word 97–2003 document (.doc), which Linkwork does not read. Open it in Word, save ` +
        'it as a Word Document (.docx) and upload that.',
      { field: 'file' },
    );
  }
  throw new ValidationError(
    `Linkwork cannot read ${fileName}${extension ? ` (.${extension} files)` : ''}: sources must be ${known} ` +
      '(.txt, .docx or .vtt). Save it in one of those formats and upload it again.',
    { field: 'file' },
  );
}

function assertWithinLimits(fileName: string, text: string): void {
  // A JS string's length is at least its code point count, so only long strings need counting.
  if (text.length <= MAX_SOURCE_CODE_POINTS) return;
  const length = codePointLength(text);
  if (length > MAX_SOURCE_CODE_POINTS) {
    throw new PayloadTooLargeError(
      `${fileName} has ${formatCount(length)} characters of text; a source can have up to ` +
        `${formatCount(MAX_SOURCE_CODE_POINTS)}. Split it into parts and upload each.`,
    );
  }
}
