import { isValidNhsNumber } from '../../people/nhs-number.ts';
import { createOffsetConverter } from './offsets.ts';

export type IdentifierKind =
  | 'name'
  | 'place'
  | 'organisation'
  | 'date_of_birth'
  | 'nhs_number'
  | 'phone'
  | 'email'
  | 'postcode';

/** Something in a source that may identify a person, for a researcher to accept, change or dismiss. */
export interface Candidate {
  /** Code point offsets into the text, [start, end). */
  start: number;
  end: number;
  kind: IdentifierKind;
  text: string;
  /** What to put in its place, such as "[name]" or "[GP practice]". */
  suggestion: string;
}

export interface IdentifierHints {
  names?: string[];
  places?: string[];
  organisations?: string[];
}

interface Found {
  start: number;
  end: number;
  kind: IdentifierKind;
  suggestion: string;
}

// When two candidates of the same length overlap, the more specific pattern wins.
const precedence: IdentifierKind[] = [
  'email',
  'nhs_number',
  'phone',
  'postcode',
  'date_of_birth',
  'organisation',
  'name',
  'place',
];

const notAfter = String.raw`(?<![\p{L}\p{N}_])`;
const notBefore = String.raw`(?![\p{L}\p{N}_])`;
// A capitalised word of a name: Ann, O'Brien, Smith-Jones, McDonald, or an initial (J or J.).
const nameWord = String.raw`(?:\p{Lu}\.|\p{Lu}(?:[\p{L}\p{M}'’-]*[\p{L}\p{M}])?)`;
const nameWords = String.raw`${nameWord}(?:[ \t]+${nameWord}){0,2}`;

const emailPattern =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}-])/gu;
// +44 7700 900123, +44 (0)20 7946 0000
const internationalPhonePattern = /(?<![\d+])\+44[ \t-]?(?:\(0\)[ \t-]?)?\d(?:[ \t-]?\d){8,9}(?!\d)/g;
// 07700 900123, 020 7946 0000, (0113) 496 0000, 01632 960123: counted and checked after matching.
const nationalPhonePattern = /(?<![\d+])(?:\(0\d{2,5}\)|0\d{2,5})[ \t-]?\d{3,4}[ \t-]?\d{3,4}(?!\d)/g;
const nhsNumberPattern = /(?<!\d)\d{3}([ \t-]?)\d{3}\1\d{4}(?!\d)/g;
// UK postcode format (outward code rules from the ONS/Royal Mail pattern), capital letters as written.
const postcodePattern = new RegExp(
  `${notAfter}(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|` +
    `[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})${notBefore}`,
  'gu',
);

const months =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const ordinalDay = String.raw`(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?`;
// Full dates in the forms UK writers use: 03/04/1958, 3.4.58, 3-4-1958, 3 April 1958, 3rd of April 1958,
// April 3rd, 1958.
const fullDatePattern = new RegExp(
  [
    String.raw`(?<!\d)(?:[12]\d|3[01]|0?[1-9])([/.-])(?:1[0-2]|0?[1-9])\1(?:\d{4}|\d{2})(?!\d)`,
    String.raw`${notAfter}${ordinalDay}(?:[ \t]+of)?[ \t]+${months}\.?,?[ \t]+\d{4}(?!\d)`,
    String.raw`${notAfter}${months}\.?[ \t]+${ordinalDay},?[ \t]+\d{4}(?!\d)`,
  ].join('|'),
  'giu',
);
// Near a birth keyword, part of a date is enough: 3rd of April, April 1958, 1958.
const partialDatePattern = new RegExp(
  [
    String.raw`${notAfter}${ordinalDay}(?:[ \t]+of)?[ \t]+${months}${notBefore}`,
    String.raw`${notAfter}${months}\.?[ \t]+${ordinalDay}${notBefore}`,
    String.raw`${notAfter}${months}\.?,?[ \t]+(?:19|20)\d{2}(?!\d)`,
    String.raw`(?<!\d)(?:19|20)\d{2}(?!\d)`,
  ].join('|'),
  'giu',
);
const birthKeywordPattern = /\b(?:born|d\.?o\.?b\.?|date of birth|birthday)(?![\p{L}\p{N}])/giu;
const AFTER_KEYWORD = 40;
const BEFORE_KEYWORD = 20;

const titledNamePattern = new RegExp(
  String.raw`${notAfter}(?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Revd|Rev|Reverend|Lady|Lord)\.?[ \t]+${nameWords}${notBefore}`,
  'gu',
);
const introducedNamePattern = new RegExp(
  String.raw`${notAfter}(?:[Mm]y[ \t]+name[ \t]+is|[Cc]alled|[Nn]amed)[ \t]+(${nameWords})${notBefore}`,
  'dgu',
);

// A word of an organisation's name, which is not itself an ending ("St Mary's Hospital and Oakwood Surgery" is two).
const organisationWord = String.raw`(?!(?:Surgery|Practice|Hospital|Council|PCN|Trust|Centre|Center)${notBefore})[\p{Lu}\p{N}][\p{L}\p{N}\p{M}'’.&-]*`;
const organisationPattern = new RegExp(
  String.raw`${notAfter}((?:${organisationWord}[ \t]+(?:(?:of|and|&|upon|on|the)[ \t]+)?){1,7})` +
    String.raw`([Ss]urgery|[Pp]ractice|[Mm]edical[ \t]+[Cc]ent(?:re|er)|[Hh]ealth[ \t]+[Cc]ent(?:re|er)|PCN|Trust|Council|[Hh]ospital)${notBefore}`,
  'gu',
);
// Words that start a phrase without belonging to a name: "So Riverside Surgery", "Our GP Practice".
const leadingWords = new Set(
  (
    'the a an our my your his her their its this that these those so and but or then well yes no oh because when ' +
    'if at in on from to with for like yeah um er erm i we they he she it you also just even only actually now ' +
    'there here what which who whoever local after before during since'
  ).split(' '),
);
// Words that on their own make a generic description, not a name: "GP Practice", "Medical Centre".
const genericWords = new Set(
  'gp nhs general medical family group primary care community main health the of and & upon on'.split(' '),
);
const organisationSuggestion = (keyword: string): string => {
  const word = keyword.toLowerCase();
  if (word === 'pcn') return '[PCN]';
  if (word === 'trust') return '[NHS trust]';
  if (word === 'council') return '[council]';
  if (word === 'hospital') return '[hospital]';
  return '[GP practice]';
};

/**
 * Finds what may identify someone in a transcript: emails, UK phone numbers, NHS numbers (with a valid check
 * digit), UK postcodes, dates (as "[date of birth]" near "born", "DOB", "date of birth" or "birthday", otherwise
 * full dates as "[date]"), names after a title or "my name is"/"called"/"named", organisations ending Surgery,
 * Practice, Medical Centre, Health Centre, PCN, Trust, Council or Hospital, and every whole-word, case-insensitive
 * occurrence of the names, places and organisations given as hints. Candidates are sorted and never overlap: where
 * two would, the longer wins. These are suggestions for a researcher to review, not a guarantee.
 */
export function findIdentifiers(text: string, hints: IdentifierHints = {}): Candidate[] {
  const found: Found[] = [];
  const add = (start: number, end: number, kind: IdentifierKind, suggestion: string) =>
    found.push({ start, end, kind, suggestion });

  for (const m of text.matchAll(emailPattern)) add(m.index, m.index + m[0].length, 'email', '[email]');
  for (const m of text.matchAll(internationalPhonePattern)) {
    add(m.index, m.index + m[0].length, 'phone', '[phone number]');
  }
  for (const m of text.matchAll(nationalPhonePattern)) {
    const digits = m[0].replace(/\D/g, '');
    if ((digits.length === 10 || digits.length === 11) && /^0[1237]/.test(digits)) {
      add(m.index, m.index + m[0].length, 'phone', '[phone number]');
    }
  }
  for (const m of text.matchAll(nhsNumberPattern)) {
    if (isValidNhsNumber(m[0])) add(m.index, m.index + m[0].length, 'nhs_number', '[NHS number]');
  }
  for (const m of text.matchAll(postcodePattern))
    add(m.index, m.index + m[0].length, 'postcode', '[postcode]');
  findDates(text, add);
  for (const m of text.matchAll(titledNamePattern)) add(m.index, m.index + m[0].length, 'name', '[name]');
  for (const m of text.matchAll(introducedNamePattern)) {
    const [start, end] = m.indices![1]!;
    add(start, end, 'name', '[name]');
  }
  for (const m of text.matchAll(organisationPattern)) {
    const words = m[1]!.split(/([ \t]+)/);
    // Drop leading words that are not part of the name, keeping offsets right.
    let offset = m.index;
    let i = 0;
    while (i < words.length && (leadingWords.has(words[i]!.toLowerCase()) || /^[ \t]+$/.test(words[i]!))) {
      offset += words[i]!.length;
      i++;
    }
    const kept = words.slice(i).filter((word) => word.trim() !== '');
    if (kept.length === 0 || kept.every((word) => genericWords.has(word.toLowerCase()))) continue;
    add(offset, m.index + m[0].length, 'organisation', organisationSuggestion(m[2]!.split(/[ \t]/)[0]!));
  }
  const hinted: [string[] | undefined, IdentifierKind, string][] = [
    [hints.names, 'name', '[name]'],
    [hints.places, 'place', '[place]'],
    [hints.organisations, 'organisation', '[organisation]'],
  ];
  for (const [list, kind, suggestion] of hinted) {
    for (const hint of list ?? []) {
      const words = hint.normalize('NFC').trim().split(/\s+/).filter(Boolean);
      if (words.length === 0) continue;
      const pattern = new RegExp(
        `${notAfter}${words.map(escapeRegExp).join(String.raw`\s+`)}${notBefore}`,
        'giu',
      );
      for (const m of text.matchAll(pattern)) add(m.index, m.index + m[0].length, kind, suggestion);
    }
  }
  return resolveOverlaps(text, found);
}

function findDates(
  text: string,
  add: (start: number, end: number, kind: IdentifierKind, s: string) => void,
): void {
  const keywordEnds: number[] = [];
  const keywordStarts: number[] = [];
  for (const m of text.matchAll(birthKeywordPattern)) {
    keywordStarts.push(m.index);
    keywordEnds.push(m.index + m[0].length);
  }
  const nearKeyword = (start: number, end: number) =>
    keywordEnds.some(
      (k) => start >= k && start - k <= AFTER_KEYWORD && !text.slice(k, start).includes('\n'),
    ) ||
    keywordStarts.some((k) => end <= k && k - end <= BEFORE_KEYWORD && !text.slice(end, k).includes('\n'));
  for (const m of text.matchAll(fullDatePattern)) {
    if (!isRealDate(m[0])) continue;
    const end = m.index + m[0].length;
    add(m.index, end, 'date_of_birth', nearKeyword(m.index, end) ? '[date of birth]' : '[date]');
  }
  // Parts of a date just after a birth keyword ("born in April 1958", "her birthday is the 3rd of April").
  for (const keywordEnd of keywordEnds) {
    const window = text.slice(keywordEnd, keywordEnd + AFTER_KEYWORD).split('\n')[0]!;
    const m = new RegExp(partialDatePattern.source, 'iu').exec(window);
    if (m) add(keywordEnd + m.index, keywordEnd + m.index + m[0].length, 'date_of_birth', '[date of birth]');
  }
}

const monthNumbers: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Whether a matched full date exists (no 31st of April, 29th of February only in leap years). */
function isRealDate(value: string): boolean {
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(value);
  let day: number;
  let month: number;
  let year: number;
  if (numeric) {
    day = Number(numeric[1]);
    month = Number(numeric[2]);
    year = Number(numeric[3]);
    if (numeric[3]!.length === 2) year += 1900; // only the leap year rule depends on the century
  } else {
    // "3rd of April 1958", "April 3rd, 1958": the first one or two digits are the day, the first three
    // letters that are not a suffix ("rd", "of" have two) the month.
    const dayMatch = /\d{1,2}/.exec(value);
    const monthMatch = /\p{L}{3}/u.exec(value);
    const yearMatch = /\d{4}/.exec(value);
    if (!dayMatch || !monthMatch || !yearMatch) return false;
    day = Number(dayMatch[0]);
    month = monthNumbers[monthMatch[0].toLowerCase()] ?? 0;
    year = Number(yearMatch[0]);
  }
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function resolveOverlaps(text: string, found: Found[]): Candidate[] {
  // Longest first, then by precedence, then leftmost; a candidate is kept if no kept one shares a character.
  const ordered = [...found].sort(
    (a, b) =>
      b.end - b.start - (a.end - a.start) ||
      precedence.indexOf(a.kind) - precedence.indexOf(b.kind) ||
      a.start - b.start,
  );
  const taken = new Uint8Array(text.length);
  const kept: Found[] = [];
  for (const candidate of ordered) {
    let free = true;
    for (let i = candidate.start; i < candidate.end && free; i++) if (taken[i]) free = false;
    if (!free) continue;
    taken.fill(1, candidate.start, candidate.end);
    kept.push(candidate);
  }
  kept.sort((a, b) => a.start - b.start);
  const converter = createOffsetConverter(text);
  return kept.map((candidate) => ({
    start: converter.toCodePoint(candidate.start),
    end: converter.toCodePoint(candidate.end),
    kind: candidate.kind,
    text: text.slice(candidate.start, candidate.end),
    suggestion: candidate.suggestion,
  }));
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
