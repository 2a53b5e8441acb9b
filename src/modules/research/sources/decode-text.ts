import { ValidationError } from '../../../platform/errors.ts';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

const formatCount = (n: number) => n.toLocaleString('en-GB');
const hexByte = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Decodes a text file: UTF-8 (a byte order mark is dropped), or UTF-16 when a byte order mark says so. Invalid
 * bytes are refused, naming where they are, rather than replaced: a transcript with "�" in place of a name cannot
 * be coded or de-identified properly.
 */
export function decodeText(
  fileName: string,
  bytes: Uint8Array,
): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0 && bytes.length >= 4) {
    throw new ValidationError(
      `${fileName} is in UTF-32, which Linkwork does not read. Save it as UTF-8 text and upload it again.`,
      { field: 'file' },
    );
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: decodeUtf16(fileName, bytes, 'le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: decodeUtf16(fileName, bytes, 'be'), encoding: 'utf-16be' };
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return {
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body),
      encoding: 'utf-8',
    };
  } catch {
    const offset = start + firstInvalidUtf8(body);
    throw new ValidationError(
      `${fileName} is not valid UTF-8 text: the byte at offset ${formatCount(offset)} (counting from 0, on line ` +
        `${formatCount(lineOfByte(bytes, offset))}) is ${hexByte(bytes[offset] ?? 0)}, which cannot start or ` +
        'continue a character there. The file was probably saved in another encoding (such as Windows-1252): open ' +
        'it, save it as UTF-8 and upload it again.',
      { field: 'file' },
    );
  }
}

function decodeUtf16(fileName: string, bytes: Uint8Array, order: 'le' | 'be'): string {
  const label = order === 'le' ? 'UTF-16 LE' : 'UTF-16 BE';
  if (bytes.length % 2 !== 0) {
    throw new ValidationError(
      `${fileName} says it is ${label} text but has an odd number of bytes (${formatCount(bytes.length)}), so ` +
        'its end is cut off or damaged. Save it again (as UTF-8 if you can) and upload it again.',
      { field: 'file' },
    );
  }
  const body = bytes.subarray(2);
  try {
    return new TextDecoder(`utf-16${order}`, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const unit = (i: number) =>
      order === 'le' ? body[i]! | (body[i + 1]! << 8) : (body[i]! << 8) | body[i + 1]!;
    let offset = 0;
    for (let i = 0; i < body.length; i += 2) {
      const u = unit(i);
      if (u >= 0xd800 && u <= 0xdbff) {
        const next = i + 2 < body.length ? unit(i + 2) : -1;
        if (next >= 0xdc00 && next <= 0xdfff) {
          i += 2;
          continue;
        }
        offset = i + 2;
        break;
      }
      if (u >= 0xdc00 && u <= 0xdfff) {
        offset = i + 2;
        break;
      }
    }
    throw new ValidationError(
      `${fileName} is not valid ${label} text: the two bytes at offset ${formatCount(offset)} (counting from 0) ` +
        'are half of a character with nothing to pair with. Save it again as UTF-8 and upload it again.',
      { field: 'file' },
    );
  }
}

/** Offset in `bytes` of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629 table). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0; // overlong
      if (b === 0xed) high = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90; // overlong
      if (b === 0xf4) high = 0x8f; // beyond U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c === undefined || c < min || c > max) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * The one normalisation every source's text goes through: CRLF and lone CR to LF, Unicode NFC, and spaces and
 * tabs at the end of each line removed. Nothing else changes, so what a researcher reads is what was written.
 */
export function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').split('\n').map(trimLineEnd).join('\n');
}

const horizontalSpace = /[\t\p{Zs}]/u;

// A loop rather than a regex: /\s+$/ rescans every run of spaces from each of its positions.
function trimLineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && horizontalSpace.test(line[end - 1]!)) end--;
  return end === line.length ? line : line.slice(0, end);
}
