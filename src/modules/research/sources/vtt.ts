import { ValidationError } from '../../../platform/errors.ts';
import { createOffsetConverter } from './offsets.ts';
import type { Turn } from './speaker-turns.ts';

/** A WebVTT file starts with "WEBVTT", alone or followed by a space or tab and a title (W3C WebVTT §4.1). */
export const startsWithWebVtt = (text: string) => /^WEBVTT(?:[ \t]|\n|$)/.test(text);

export const notWebVtt = (fileName: string) =>
  new ValidationError(
    `${fileName} does not start with "WEBVTT", so it is not a WebVTT transcript. Download the transcript from ` +
      'Teams again (as .vtt), or upload it as a .txt or .docx file.',
    { field: 'file' },
  );

interface Segment {
  speaker: string | null;
  words: string;
  startMs: number;
  endMs: number;
}

const timestamp = String.raw`(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})`;
const timingLine = new RegExp(String.raw`^${timestamp}[ \t]+-->[ \t]+${timestamp}(?:[ \t].*)?$`);

const toMs = (hours: string | undefined, minutes: string, seconds: string, millis: string) =>
  ((Number(hours ?? 0) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(millis);

/**
 * Reads a WebVTT transcript, as Microsoft Teams writes it (`<v Speaker Name>words</v>` in each cue), from text
 * already normalised (LF line endings, NFC). Consecutive cues by the same speaker become one turn, written as a
 * "Speaker: words" paragraph with a blank line between paragraphs; each turn covers its whole paragraph.
 */
export function readVtt(fileName: string, text: string): { text: string; turns: Turn[]; warnings: string[] } {
  if (!startsWithWebVtt(text)) throw notWebVtt(fileName);
  const lines = text.split('\n');
  const segments: Segment[] = [];
  let cuesWithoutSpeaker = 0;
  let i = 0;
  // The header runs to the first blank line (or, in a file missing that line, to the first timing).
  while (i < lines.length && lines[i] !== '' && !(i > 0 && lines[i]!.includes('-->'))) i++;
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    const first = lines[i]!;
    if (/^(?:NOTE|STYLE|REGION)(?:[ \t]|$)/.test(first) && !first.includes('-->')) {
      while (i < lines.length && lines[i] !== '') i++;
      continue;
    }
    // An optional cue identifier, then the timing line.
    if (!first.includes('-->')) i++;
    const timing = lines[i];
    const match = timing === undefined ? null : timingLine.exec(timing.trim());
    if (!match) {
      const lineNumber = timing === undefined || timing === '' ? blockStart + 1 : i + 1;
      throw new ValidationError(
        `Line ${lineNumber} of ${fileName} should be a cue timing such as "00:01:02.500 --> 00:01:05.000" ` +
          `but is "${(timing ?? lines[blockStart] ?? '').slice(0, 60)}". The file may be damaged: download ` +
          'the transcript again.',
        { field: 'file' },
      );
    }
    const startMs = toMs(match[1], match[2]!, match[3]!, match[4]!);
    const endMs = toMs(match[5], match[6]!, match[7]!, match[8]!);
    if (endMs < startMs) {
      throw new ValidationError(
        `Line ${i + 1} of ${fileName}: the cue ends before it starts. The file may be damaged: download the ` +
          'transcript again.',
        { field: 'file' },
      );
    }
    i++;
    const payload: string[] = [];
    // A payload ends at a blank line (or, in a damaged file, at the next timing line).
    while (i < lines.length && lines[i] !== '' && !lines[i]!.includes('-->')) payload.push(lines[i++]!);
    const cueSegments = parseCuePayload(payload.join('\n'));
    if (cueSegments.some((segment) => segment.speaker === null)) cuesWithoutSpeaker++;
    for (const segment of cueSegments) segments.push({ ...segment, startMs, endMs });
  }

  const merged: Segment[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (last && last.speaker === segment.speaker) {
      last.words = `${last.words} ${segment.words}`;
      last.endMs = Math.max(last.endMs, segment.endMs);
    } else merged.push({ ...segment });
  }

  let out = '';
  const spans: { speaker: string | null; start: number; end: number; startMs: number; endMs: number }[] = [];
  for (const turn of merged) {
    if (out !== '') out += '\n\n';
    const start = out.length;
    out += turn.speaker === null ? turn.words : `${turn.speaker}: ${turn.words}`;
    spans.push({ speaker: turn.speaker, start, end: out.length, startMs: turn.startMs, endMs: turn.endMs });
  }
  const converter = createOffsetConverter(out);
  const warnings: string[] = [];
  if (merged.length === 0) warnings.push(`${fileName} has no cues with words in them.`);
  if (cuesWithoutSpeaker > 0) {
    warnings.push(
      `${cuesWithoutSpeaker} ${cuesWithoutSpeaker === 1 ? 'cue has' : 'cues have'} no speaker (no <v Name> ` +
        'tag): their words are kept in turns without a speaker.',
    );
  }
  return {
    text: out,
    turns: spans.map((span) => ({
      speaker: span.speaker,
      start: converter.toCodePoint(span.start),
      end: converter.toCodePoint(span.end),
      startMs: span.startMs,
      endMs: span.endMs,
    })),
    warnings,
  };
}

/**
 * Splits a cue's text by voice: `<v Name>` (or `<v.class Name>`) sets the speaker until `</v>`; other tags
 * (<c>, <i>, <b>, <u>, <lang>, <ruby>, timestamps) are dropped and character references decoded. The lines of a
 * cue are joined with a space, as they are one utterance wrapped for display.
 */
function parseCuePayload(payload: string): { speaker: string | null; words: string }[] {
  const parts: { speaker: string | null; words: string }[] = [];
  let speaker: string | null = null;
  let words = '';
  const flush = () => {
    const cleaned = decodeReferences(words)
      .replace(/\s*\n\s*/g, ' ')
      .trim();
    if (cleaned !== '') {
      const last = parts.at(-1);
      if (last && last.speaker === speaker) last.words = `${last.words} ${cleaned}`;
      else parts.push({ speaker, words: cleaned });
    }
    words = '';
  };
  const tag = /<(\/?)([^\s.>/]*)([^>]*)>/g;
  let position = 0;
  for (let match = tag.exec(payload); match; match = tag.exec(payload)) {
    words += payload.slice(position, match.index);
    position = match.index + match[0].length;
    if (match[2] !== 'v') continue;
    flush();
    if (match[1] === '/') speaker = null;
    else {
      // <v.loud Amira Hassan>: classes run to the first space, the annotation (the speaker) follows it.
      const annotation = match[3]!.replace(/^(?:\.[^\s]*)?/, '').trim();
      speaker = annotation === '' ? null : decodeReferences(annotation).normalize('NFC');
    }
  }
  words += payload.slice(position);
  flush();
  return parts.map((part) => ({ speaker: part.speaker, words: part.words.normalize('NFC') }));
}

const namedReferences: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  lrm: '\u200e',
  rlm: '\u200f',
};

function decodeReferences(text: string): string {
  return text.replace(/&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([a-zA-Z]+));/g, (whole, dec, hex, name) => {
    if (name !== undefined) return namedReferences[name] ?? whole;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}
