import { createOffsetConverter } from './offsets.ts';

/** A stretch of a source spoken by one person, as code point offsets [start, end) into the normalised text. */
export interface Turn {
  speaker: string | null;
  start: number;
  end: number;
  /** From a timed transcript (WebVTT): when the turn starts and ends in the recording, in milliseconds. */
  startMs?: number;
  endMs?: number;
}

// A label is up to 40 characters with its colon ("Interviewer:", "P1:", "Link worker 2:", "Dr Patel (GP):"), or
// a bracketed code ("[LW]"), at the start of a line and followed by a space or the line's end, so "10:30" and
// "https://…" are not labels. At most five words: a sentence such as "Then she said to me:" is not a speaker.
const labelPattern =
  /^[ \t]*(?:\[([^\]\n]{1,38})\]:?|([\p{L}\p{N}][\p{L}\p{N}\p{M} .'’()/&-]{0,38}):)(?=[ \t]|$)/u;

// Heading fields often found at the top of a transcript, which look like labels but name no one.
const notSpeakers = new Set([
  'date',
  'time',
  'duration',
  'length',
  'location',
  'venue',
  'place',
  'present',
  'attendees',
  'subject',
  'title',
  're',
  'note',
  'notes',
  'nb',
  'ps',
  'file',
  'filename',
  'file name',
  'recording',
  'transcript',
  'transcriber',
  'transcribed by',
  'interview date',
  'interview',
  'mode',
  'topic guide',
]);

/** The speaker named by a label at the start of `line`, if it has one. */
export function speakerLabelOf(line: string): string | null {
  const match = labelPattern.exec(line);
  if (!match) return null;
  const speaker = (match[1] ?? match[2] ?? '').trim();
  if (speaker === '' || speaker.split(/\s+/).length > 5) return null;
  if (notSpeakers.has(speaker.toLowerCase())) return null;
  return speaker;
}

/**
 * Speaker turns of a plain text or Word transcript: a line that starts with a speaker label starts a turn, which
 * runs to the end of the last non-blank line before the next label. Text before the first label (a heading, say)
 * is a turn with no speaker; a document with no labels at all has no turns.
 */
export function findLabelledTurns(text: string): Turn[] {
  const turns: { speaker: string | null; start: number; end: number }[] = [];
  let current: { speaker: string | null; start: number; end: number } | null = null;
  let lineStart = 0;
  let sawLabel = false;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    const speaker = speakerLabelOf(line);
    if (speaker !== null) {
      sawLabel = true;
      current = { speaker, start: lineStart + (line.length - line.trimStart().length), end: lineEnd };
      turns.push(current);
    } else if (line.trim() !== '') {
      if (current) current.end = lineEnd;
      else {
        current = { speaker: null, start: lineStart + (line.length - line.trimStart().length), end: lineEnd };
        turns.push(current);
      }
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  if (!sawLabel) return [];
  const converter = createOffsetConverter(text);
  return turns.map((turn) => ({
    speaker: turn.speaker,
    start: converter.toCodePoint(turn.start),
    end: converter.toCodePoint(turn.end),
  }));
}
