// A realist evaluation's coded interviews for bench/research.ts, on PostgreSQL or PGlite.
//
// planStudy makes everything in memory from a seeded PRNG (mulberry32), so a seed always gives the same study:
// - a codebook of 100 codes in two levels (12 themes, 88 codes under them), with definitions and colours;
// - 2 sites, 10 cases and one pseudonymised participant per transcript (link workers, GPs, practice managers,
//   VCSE staff and patients, a few patients' transcripts from the WP2 follow-up);
// - transcripts of "Interviewer:" and "Participant:" turns, blank lines between, sentences of words from a fixed
//   vocabulary (ASCII only, so code points are characters), each ending with a thank-you sentence of its own; the
//   speaker turns in code point offsets exactly as the app finds them in an uploaded .txt (findLabelledTurns);
// - codings by two coders (the study's lead and its coder), shared out between transcripts by length: spans of
//   20 to 600 characters at word boundaries inside participants' turns; most passages coded by both, usually
//   with the same code and nearly the same boundaries, sometimes with a neighbouring code or only by one; never
//   two overlapping codings of the same code by the same coder (the app refuses those); the closing turn never
//   coded;
// - a memo on every transcript and on a few codes.
// insertStudy writes it with a few dozen multi-row INSERTs as the tables' owner (row-level security does not bind
// the owner), with ids shaped like the app's UUIDv7s (the run's time, a table tag, the row number), beside an
// empty study with the same team to import a .qdpx into.
import type { SourceTurn } from '../src/modules/research/contract.ts';
import type { RunSql } from './pathway-generate.ts';

export interface ResearchVolumes {
  sources: number;
  /** Words of a transcript, on average (uniform from 6,000 to 10,000). */
  meanWords: number;
  /** The first transcript is this long: the one opened in the browser. */
  longWords: number;
  codings: number;
}

export function researchVolumesAt(scale: number): ResearchVolumes {
  return {
    sources: Math.max(4, Math.round(200 * scale)),
    meanWords: 8000,
    longWords: 20_000,
    codings: Math.max(100, Math.round(40_000 * scale)),
  };
}

export const CODING_SHAPE = {
  /** Span lengths in characters, as the brief asks. */
  minSpan: 20,
  maxSpan: 600,
  /** Of passages: coded by both coders (the rest by one). */
  sharedPercent: 60,
  /** When both code a passage, the second coder uses the same code this often, else a sibling or the theme. */
  sameCodePercent: 75,
  siblingCodePercent: 15,
  /** … and keeps the first coder's boundaries exactly this often, else moves each by up to three words. */
  sameBoundsPercent: 35,
  /** Of the first coder's passages: a second code on the same span. */
  secondCodePercent: 10,
  /** Of codes chosen: a theme (a code with codes under it) rather than a code under one. */
  themePercent: 8,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// The PRNG

/** mulberry32: a small, fast, well-mixed 32-bit generator; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
/** Skewed to the front of the list: a word's rank decides how often it comes. */
const pickSkewed = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() ** 2.2 * items.length)]!;

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary and codebook

// Ordered roughly by how often people say them; no "thank" (it marks each transcript's closing sentence).
const WORDS = `the and I to a it was of that you in they we so just like really but my me know she he
  with for about because when there what think all not them have had got get then be on at this if his her
  one some would could more time people felt feel go went do did said say things thing out up there then
  very bit lot much good now week help back first group weeks going come came
  GP practice surgery appointment link worker support plan referral referred doctor nurse receptionist
  garden gardening walking walk choir singing club cafe coffee library bus town centre community hall
  volunteer volunteering advice debt money benefits housing landlord council letter forms phone call
  lonely loneliness isolated anxious anxiety low mood depression confidence confident worried stress
  family daughter son husband wife friend friends neighbour carer caring mum dad grandchildren
  sessions session course class art craft cooking swimming gym exercise fishing allotment shed men
  waiting list months year years morning afternoon evening Tuesday Thursday Friday weekend
  together talk talking listened listen understand trust trusted safe welcome welcomed nervous scared
  better worse different same change changed changes started stopped keep kept still again never always
  sometimes often maybe probably actually honestly basically obviously definitely quite pretty
  home house flat street road area local village estate city
  work job retired unemployed sick pension shift hours funding funded service services charity
  team manager supervision training caseload time everyone someone nobody anybody
  goals goal steps small big hard easy difficult helpful useful important difference
  health pain diabetes breathing sleep tired energy weight eating medication tablets
  online computer internet form email text message
  remember remembered noticed realised decided wanted needed tried managed learned`
  .split(/\s+/)
  .filter(Boolean);

const OPENERS = ['So', 'Well', 'And', 'Yeah', 'I mean', 'But', 'Honestly', 'Right', 'Oh'];
const QUESTION_OPENERS = [
  'Can you tell me about',
  'How did you feel about',
  'What happened with',
  'Could you say more about',
  'What difference did',
  'How did you find',
  'What was it like with',
  'Who helped with',
];

/** What a closing sentence thanks someone for talking about. */
const TOPICS = [
  'the walking group',
  'your support plan',
  'the garden project',
  'the choir',
  'the money advice',
  'your housing',
  'the men in sheds',
  'the library sessions',
  'your first appointment',
  'the waiting list',
  'the community cafe',
  'your goals',
  'the art class',
  'the bus pass',
  'your caring role',
  'the practice team',
];

/** The codebook: 12 themes with the codes under them (88), 100 in all. */
export const CODEBOOK: readonly { theme: string; codes: readonly string[] }[] = [
  {
    theme: 'Practice buy-in',
    codes: [
      'GPs understand the role',
      'Referrals that fit',
      'Practice meetings',
      'Clinical system access',
      'Feedback to the practice',
      'Trust in the link worker',
      'Inappropriate referrals',
      'Practice workload',
    ],
  },
  {
    theme: 'Patient buy-in',
    codes: [
      'Told why they were referred',
      'Quick first contact',
      'Feeling listened to',
      'On their side',
      'Doubts about social prescribing',
      'Stigma',
      'Readiness to change',
      'Expectations',
    ],
  },
  {
    theme: 'VCSE capacity',
    codes: [
      'Funding for groups',
      'Waiting lists in groups',
      'Volunteers',
      'Partnership working',
      'Unfunded demand',
      'Groups closing',
      'Welcome on arrival',
    ],
  },
  {
    theme: 'Connections in the community',
    codes: [
      'Knowing local groups',
      'Warm handover',
      'Going along the first time',
      'Fear of walking in alone',
      'Transport',
      'Peer support',
      'Social capital',
      'Keeping going',
    ],
  },
  {
    theme: 'Link worker role',
    codes: [
      'Time with each person',
      'Caseload size',
      'Supervision',
      'Training',
      'Role boundaries',
      'Emotional load',
      'Job security',
      'Employment model',
    ],
  },
  {
    theme: 'What matters',
    codes: [
      'Goals in their own words',
      'Support plan',
      'Loneliness',
      'Money and debt',
      'Housing',
      'Physical activity',
      'Mental wellbeing',
    ],
  },
  {
    theme: 'Outcomes',
    codes: [
      'Confidence',
      'Wellbeing improved',
      'Fewer GP appointments',
      'New friendships',
      'Back to work or volunteering',
      'No change',
      'Things got worse',
    ],
  },
  {
    theme: 'Sustaining change',
    codes: [
      'Self-management',
      'Patient activation',
      'After discharge',
      'Relapse',
      'Skills learned',
      'Ongoing contact',
      'Community belonging',
    ],
  },
  {
    theme: 'Context',
    codes: [
      'Deprivation',
      'Rural area',
      'Covid legacy',
      'Cost of living',
      'Digital exclusion',
      'Language and culture',
      'Local services cut',
    ],
  },
  {
    theme: 'Referral pathways',
    codes: [
      'Self-referral',
      'Referral from the GP',
      'Referral from other services',
      'Triage',
      'Waiting for first contact',
      'Declined referrals',
      'Signposting only',
    ],
  },
  {
    theme: 'Barriers',
    codes: [
      'Health getting in the way',
      'Caring responsibilities',
      'Cost of activities',
      'Anxiety about going',
      'Mismatch with need',
      'Poor information',
      'Timing of sessions',
    ],
  },
  {
    theme: 'Mechanisms',
    codes: ['Hope', 'Being believed', 'Belonging', 'Motivation', 'Relief', 'Feeling in control', 'Trust'],
  },
];

const COLOURS = ['#1D70B8', '#00703C', '#D4351C', '#F47738', '#4C2C92', '#B58840', '#5694CA', '#85994B'];

// ---------------------------------------------------------------------------------------------------------------
// The plan

export interface PlannedCode {
  name: string;
  /** Index of the theme in `codes`, null for a theme. */
  parent: number | null;
  definition: string;
  whenToUse: string | null;
  colour: string;
}

export interface PlannedSource {
  name: string;
  studyCode: string;
  role: 'link_worker' | 'gp' | 'practice_manager' | 'vcse_staff' | 'patient';
  caseIndex: number;
  workPackage: 'WP1' | 'WP2';
  text: string;
  turns: SourceTurn[];
  words: number;
  /** The transcript's last sentence: the words a reader sees last. */
  closing: string;
}

export interface PlannedCoding {
  source: number;
  code: number;
  /** 0: the lead, 1: the coder. */
  coder: 0 | 1;
  start: number;
  end: number;
  /** Days before the run that the coding was made. */
  daysAgo: number;
}

export interface PlannedMemo {
  target: 'source' | 'code' | 'study';
  index: number;
  author: 0 | 1;
  text: string;
}

export interface StudyPlan {
  volumes: ResearchVolumes;
  seed: number;
  codes: PlannedCode[];
  cases: { label: string; site: 0 | 1 }[];
  sources: PlannedSource[];
  codings: PlannedCoding[];
  memos: PlannedMemo[];
}

interface Span {
  start: number;
  end: number;
}

/** A participant's turn: where its words are, to start and end codings on. */
interface CodableTurn {
  wordStarts: number[];
  wordEnds: number[];
}

function sentence(rng: Rng, words: number, question: boolean): string {
  const parts: string[] = [];
  let remaining = words;
  if (question) {
    const opener = pick(rng, QUESTION_OPENERS);
    parts.push(opener);
    remaining -= opener.split(' ').length;
  } else if (rng() < 0.25) {
    const opener = pick(rng, OPENERS);
    parts.push(`${opener},`);
    remaining -= opener.split(' ').length;
  }
  for (let i = 0; i < Math.max(2, remaining); i++) {
    const word = pickSkewed(rng, WORDS);
    parts.push(rng() < 0.06 && i > 1 ? `${word},` : word);
  }
  let text = parts.join(' ').replace(/,$/, '');
  text = text[0]!.toUpperCase() + text.slice(1);
  return `${text}${question ? '?' : '.'}`;
}

/** One transcript: its text, turns as findLabelledTurns finds them, and each participant turn's words. */
function transcript(
  rng: Rng,
  targetWords: number,
): { text: string; turns: SourceTurn[]; codable: CodableTurn[]; words: number; closing: string } {
  let text = '';
  let words = 0;
  const turns: SourceTurn[] = [];
  const codable: CodableTurn[] = [];
  const addTurn = (speaker: 'Interviewer' | 'Participant', sentences: string[]) => {
    if (text !== '') text += '\n\n';
    const start = text.length;
    text += `${speaker}:`;
    const wordStarts: number[] = [];
    const wordEnds: number[] = [];
    sentences.forEach((s, i) => {
      // A long answer now and then goes on to a new line of the same turn.
      text += i > 0 && i % 5 === 0 && rng() < 0.5 ? '\n' : ' ';
      for (const m of s.matchAll(/[A-Za-z]+/g)) {
        wordStarts.push(text.length + m.index);
        wordEnds.push(text.length + m.index + m[0].length);
      }
      text += s;
    });
    words += wordStarts.length;
    turns.push({ speaker, start, end: text.length });
    if (speaker === 'Participant') codable.push({ wordStarts, wordEnds });
  };
  while (words < targetWords) {
    const questions = rng() < 0.3 ? 2 : 1;
    const asked = Array.from({ length: questions }, (_, i) =>
      sentence(rng, int(rng, 6, 16), i === questions - 1),
    );
    addTurn('Interviewer', asked);
    addTurn(
      'Participant',
      Array.from({ length: int(rng, 2, 14) }, () => sentence(rng, int(rng, 4, 22), false)),
    );
  }
  const first = pick(rng, TOPICS);
  const closing = `Thank you for talking to me today about ${first} and ${pick(
    rng,
    TOPICS.filter((t) => t !== first),
  )}.`;
  addTurn('Interviewer', [closing]);
  return { text, turns, codable, words, closing };
}

const overlaps = (spans: readonly Span[] | undefined, s: Span) =>
  spans?.some((o) => o.start < s.end && o.end > s.start) ?? false;

/** A span starting at a word of the turn, ending at a word end about `length` characters on (20–600). */
function spanFrom(turn: CodableTurn, firstWord: number, length: number): Span | null {
  const { minSpan, maxSpan } = CODING_SHAPE;
  const start = turn.wordStarts[firstWord]!;
  let end = -1;
  for (let j = firstWord; j < turn.wordEnds.length && turn.wordEnds[j]! - start <= maxSpan; j++) {
    if (turn.wordEnds[j]! - start >= minSpan) {
      end = turn.wordEnds[j]!;
      if (end - start >= length) break;
    }
  }
  return end < 0 ? null : { start, end };
}

/** The same passage as another coder would mark it: each end moved by up to three words, or kept. */
function nearly(rng: Rng, turn: CodableTurn, s: Span): Span | null {
  if (rng() * 100 < CODING_SHAPE.sameBoundsPercent) return s;
  const first = turn.wordStarts.indexOf(s.start);
  const last = turn.wordEnds.indexOf(s.end);
  const a = Math.max(0, first + int(rng, -3, 3));
  const b = Math.min(turn.wordEnds.length - 1, last + int(rng, -3, 3));
  const span = { start: turn.wordStarts[a]!, end: turn.wordEnds[b]! };
  const length = span.end - span.start;
  return length >= CODING_SHAPE.minSpan && length <= CODING_SHAPE.maxSpan ? span : null;
}

/** Builds the whole study in memory; the same seed and volumes always give the same plan. */
export function planStudy(volumes: ResearchVolumes, seed: number): StudyPlan {
  const codes: PlannedCode[] = [];
  const themeOf: number[] = [];
  const childrenOf = new Map<number, number[]>();
  const described = mulberry32(seed);
  for (const [t, group] of CODEBOOK.entries()) {
    const themeIndex = codes.length;
    codes.push({
      name: group.theme,
      parent: null,
      definition: `Anything about ${group.theme.toLowerCase()}: ${sentence(described, 12, false)}`,
      whenToUse: null,
      colour: COLOURS[t % COLOURS.length]!,
    });
    themeOf.push(themeIndex);
    const children: number[] = [];
    for (const name of group.codes) {
      children.push(codes.length);
      themeOf.push(themeIndex);
      codes.push({
        name,
        parent: themeIndex,
        definition: sentence(described, int(described, 10, 24), false),
        whenToUse: described() < 0.5 ? sentence(described, int(described, 8, 16), false) : null,
        colour: COLOURS[t % COLOURS.length]!,
      });
    }
    childrenOf.set(themeIndex, children);
  }
  const themes = codes.flatMap((c, i) => (c.parent === null ? [i] : []));
  // Codes under themes by popularity: a shuffled order, then skewed picks (some codes common, some rare).
  const byPopularity = codes.flatMap((c, i) => (c.parent === null ? [] : [i]));
  const order = mulberry32(seed + 1);
  for (let i = byPopularity.length - 1; i > 0; i--) {
    const j = Math.floor(order() * (i + 1));
    [byPopularity[i], byPopularity[j]] = [byPopularity[j]!, byPopularity[i]!];
  }
  const chooseCode = (rng: Rng) =>
    rng() * 100 < CODING_SHAPE.themePercent
      ? pick(rng, themes)
      : byPopularity[Math.floor(rng() ** 1.6 * byPopularity.length)]!;

  const cases = Array.from({ length: 10 }, (_, i) => ({ label: `C${i + 1}`, site: (i % 2) as 0 | 1 }));
  const roleCodes = {
    link_worker: 'LW',
    gp: 'GP',
    practice_manager: 'PM',
    vcse_staff: 'VCSE',
    patient: 'PT',
  };
  const seen = new Map<string, number>();
  const sources: PlannedSource[] = [];
  const codableOf: CodableTurn[][] = [];
  for (let i = 0; i < volumes.sources; i++) {
    const rng = mulberry32(seed * 7919 + 101 + i);
    const role: PlannedSource['role'] =
      i === 0
        ? 'link_worker'
        : pick(rng, [
            'patient',
            'patient',
            'patient',
            'patient',
            'link_worker',
            'link_worker',
            'gp',
            'practice_manager',
            'vcse_staff',
            'vcse_staff',
          ] as const);
    const caseIndex = i === 0 ? 0 : int(rng, 0, cases.length - 1);
    const prefix = `${cases[caseIndex]!.label}-${roleCodes[role]}`;
    const n = (seen.get(prefix) ?? 0) + 1;
    seen.set(prefix, n);
    const studyCode = `${prefix}-${String(n).padStart(2, '0')}`;
    const workPackage = role === 'patient' && rng() < 0.25 ? 'WP2' : 'WP1';
    const target = i === 0 ? volumes.longWords : int(rng, volumes.meanWords - 2000, volumes.meanWords + 2000);
    const t = transcript(rng, target);
    codableOf.push(t.codable);
    sources.push({
      name: `${studyCode} ${workPackage === 'WP2' ? 'follow-up' : 'interview'}`,
      studyCode,
      role,
      caseIndex,
      workPackage,
      text: t.text,
      turns: t.turns,
      words: t.words,
      closing: t.closing,
    });
  }

  // Codings shared out by length (largest remainders, so they add up exactly), half to each coder.
  const total = sources.reduce((n, s) => n + s.text.length, 0);
  const exact = sources.map((s) => (volumes.codings * s.text.length) / total);
  const quota = exact.map(Math.floor);
  const short = volumes.codings - quota.reduce((a, b) => a + b, 0);
  exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i)
    .slice(0, short)
    .forEach(({ i }) => {
      quota[i]!++;
    });

  const codings: PlannedCoding[] = [];
  for (const [s, source] of sources.entries()) {
    const rng = mulberry32(seed * 104_729 + 7 + s);
    const turns = codableOf[s]!;
    const want = [Math.ceil(quota[s]! / 2), Math.floor(quota[s]! / 2)] as const;
    const made = [0, 0];
    const taken = [new Map<number, Span[]>(), new Map<number, Span[]>()];
    const add = (coder: 0 | 1, code: number, span: Span) => {
      if (made[coder]! >= want[coder] || overlaps(taken[coder]!.get(code), span)) return false;
      const list = taken[coder]!.get(code) ?? [];
      list.push(span);
      taken[coder]!.set(code, list);
      made[coder]!++;
      const daysAgo = Math.max(1, 150 - Math.floor((120 * s) / sources.length) - coder * 10 - int(rng, 0, 5));
      codings.push({ source: s, code, coder, start: span.start, end: span.end, daysAgo });
      return true;
    };
    let attempts = 0;
    while (made[0]! < want[0] || made[1]! < want[1]) {
      if (++attempts > 100 * (quota[s]! + 10)) {
        throw new Error(`${source.name}: could not place ${quota[s]} codings without overlaps of one code`);
      }
      const turn = pick(rng, turns);
      const length = Math.round(
        CODING_SHAPE.minSpan * (CODING_SHAPE.maxSpan / CODING_SHAPE.minSpan) ** (rng() ** 0.6),
      );
      const span = spanFrom(turn, Math.floor(rng() * turn.wordStarts.length), length);
      if (!span) continue;
      const code = chooseCode(rng);
      const both = made[0]! < want[0] && made[1]! < want[1];
      if (both && rng() * 100 < CODING_SHAPE.sharedPercent) {
        // A passage both coders coded: the lead first, then the coder, usually alike.
        if (!add(0, code, span)) continue;
        if (rng() * 100 < CODING_SHAPE.secondCodePercent) add(0, chooseCode(rng), span);
        const u = rng() * 100;
        const theme = themeOf[code]!;
        const other =
          u < CODING_SHAPE.sameCodePercent
            ? code
            : u < CODING_SHAPE.sameCodePercent + CODING_SHAPE.siblingCodePercent
              ? pick(rng, childrenOf.get(theme)!)
              : theme;
        const theirs = nearly(rng, turn, span);
        if (theirs) add(1, other, theirs);
      } else {
        // A passage one coder coded alone: whichever is further from its share.
        const coder =
          made[0]! < want[0] && (made[1]! >= want[1] || made[0]! / want[0] <= made[1]! / want[1]) ? 0 : 1;
        add(coder, code, span);
      }
    }
  }

  const memoRng = mulberry32(seed + 2);
  const memos: PlannedMemo[] = [
    { target: 'study', index: 0, author: 0, text: sentence(memoRng, 30, false) },
    ...sources.map((_, i) => ({
      target: 'source' as const,
      index: i,
      author: (i % 3 === 0 ? 1 : 0) as 0 | 1,
      text: Array.from({ length: int(memoRng, 2, 6) }, () =>
        sentence(memoRng, int(memoRng, 8, 20), false),
      ).join(' '),
    })),
    ...themes.map((index) => ({
      target: 'code' as const,
      index,
      author: 0 as const,
      text: sentence(memoRng, int(memoRng, 10, 30), false),
    })),
  ];
  return { volumes, seed, codes, cases, sources, codings, memos };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing it

export interface StudyPeople {
  icbId: string;
  leadId: string;
  coderId: string;
}

export interface InsertedStudy {
  studyId: string;
  /** An empty study with the same team, to import the exported .qdpx into. */
  importStudyId: string;
  sourceIds: string[];
  codeIds: string[];
  ms: number;
  counts: Record<string, number>;
}

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const litOrNull = (s: string | null) => (s === null ? 'NULL' : lit(s));

/** An id shaped like the app's UUIDv7s: the run's milliseconds, version 7, a table tag, variant 10, a number. */
export function benchId(ms: number, tag: number, n: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const r = n.toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${tag.toString(16).padStart(3, '0')}-8${r.slice(0, 3)}-${r.slice(3)}`;
}

const TAG = {
  study: 0xa01,
  site: 0xa02,
  case: 0xa03,
  participant: 0xa04,
  source: 0xa05,
  code: 0xa06,
} as const;
const TAG_CODING = 0xa07;
const TAG_MEMO = 0xa08;
const TAG_WORK_PACKAGE = 0xa09;

/** Rows in statements of about this many characters (a transcript is about 50,000). */
const STATEMENT_CHARS = 1_000_000;

async function insertRows(run: RunSql, table: string, columns: string, rows: string[]) {
  let batch: string[] = [];
  let size = 0;
  const flush = async () => {
    if (batch.length) await run(`INSERT INTO ${table} (${columns}) VALUES\n${batch.join(',\n')}`);
    batch = [];
    size = 0;
  };
  for (const row of rows) {
    batch.push(row);
    size += row.length;
    if (size >= STATEMENT_CHARS || batch.length >= 5000) await flush();
  }
  await flush();
}

/**
 * Writes the plan as a new study of the ICB (the lead and the coder on its team), and an empty study with the same
 * team; then VACUUM (ANALYZE) of the tables written. `run` works as the tables' owner.
 */
export async function insertStudy(
  run: RunSql,
  plan: StudyPlan,
  people: StudyPeople,
  now: Date,
  onStep?: (name: string, ms: number) => void,
): Promise<InsertedStudy> {
  const started = performance.now();
  const step = async (name: string, fn: () => Promise<void>) => {
    const t = performance.now();
    await fn();
    onStep?.(name, performance.now() - t);
  };
  const ms = now.getTime();
  const at = (daysAgo: number, n = 0) => lit(new Date(ms - daysAgo * 86_400_000 + n).toISOString());
  const day = (daysAgo: number) => lit(new Date(ms - daysAgo * 86_400_000).toISOString().slice(0, 10));
  const org = lit(people.icbId);
  const lead = lit(people.leadId);
  const coderIds = [people.leadId, people.coderId];
  const studyId = benchId(ms, TAG.study, 1);
  const importStudyId = benchId(ms, TAG.study, 2);
  const siteIds = [benchId(ms, TAG.site, 1), benchId(ms, TAG.site, 2)];
  const caseIds = plan.cases.map((_, i) => benchId(ms, TAG.case, i + 1));
  const sourceIds = plan.sources.map((_, i) => benchId(ms, TAG.source, i + 1));
  const participantIds = plan.sources.map((_, i) => benchId(ms, TAG.participant, i + 1));
  const codeIds = plan.codes.map((_, i) => benchId(ms, TAG.code, i + 1));
  const S = lit(studyId);

  await step('study, team, sites, cases and participants', async () => {
    const study = (id: string, title: string) =>
      `(${lit(id)}, ${org}, ${lit(title)}, ${lit('When implementing link workers in primary care, what works, for whom, why and in what circumstances?')}, ${day(400)}, ${day(-500)}, 6, false, true, ${lead}, ${at(400)}, ${at(400)})`;
    await insertRows(
      run,
      'research_studies',
      'id, organisation_id, title, question, starts_on, ends_on, audio_retention_months, keep_unredacted_text, blind_coding, created_by, created_at, updated_at',
      [
        study(studyId, `Benchmark: link workers in primary care (${plan.sources.length} transcripts)`),
        study(importStudyId, 'Benchmark: a study to import a project into'),
      ],
    );
    await insertRows(run, 'research_work_packages', 'id, organisation_id, study_id, code, title', [
      `(${lit(benchId(ms, TAG_WORK_PACKAGE, 1))}, ${org}, ${S}, 'WP1', 'Case studies of link workers in practice')`,
      `(${lit(benchId(ms, TAG_WORK_PACKAGE, 2))}, ${org}, ${S}, 'WP2', 'Patient follow-up interviews')`,
    ]);
    await insertRows(
      run,
      'research_study_members',
      'organisation_id, study_id, user_id, role, added_by, added_at',
      [studyId, importStudyId].flatMap((id) => [
        `(${org}, ${lit(id)}, ${lead}, 'lead', ${lead}, ${at(400)})`,
        `(${org}, ${lit(id)}, ${lit(people.coderId)}, 'coder', ${lead}, ${at(400)})`,
      ]),
    );
    await insertRows(
      run,
      'research_sites',
      'id, organisation_id, study_id, name, created_at',
      siteIds.map(
        (id, i) => `(${lit(id)}, ${org}, ${S}, ${lit(i === 0 ? 'Riverside' : 'Moorland')}, ${at(390)})`,
      ),
    );
    await insertRows(
      run,
      'research_cases',
      'id, organisation_id, study_id, site_id, label, starts_on, ends_on, created_at',
      plan.cases.map(
        (c, i) =>
          `(${lit(caseIds[i]!)}, ${org}, ${S}, ${lit(siteIds[c.site]!)}, ${lit(c.label)}, ${day(380 - 30 * i)}, ${day(290 - 30 * i)}, ${at(385)})`,
      ),
    );
    await insertRows(
      run,
      'research_participants',
      'id, organisation_id, study_id, case_id, study_code, role, created_at',
      plan.sources.map(
        (s, i) =>
          `(${lit(participantIds[i]!)}, ${org}, ${S}, ${lit(caseIds[s.caseIndex]!)}, ${lit(s.studyCode)}, ${lit(s.role)}, ${at(370)})`,
      ),
    );
  });

  await step('codebook', async () => {
    // Themes first: a code's parent is written before it.
    const rows = plan.codes.map(
      (c, i) =>
        `(${lit(codeIds[i]!)}, ${org}, ${S}, ${c.parent === null ? 'NULL' : lit(codeIds[c.parent]!)}, ${lit(c.name)}, ${lit(c.definition)}, ${litOrNull(c.whenToUse)}, ${lit(c.colour)}, ${lead}, ${at(200)}, ${at(200)})`,
    );
    const columns =
      'id, organisation_id, study_id, parent_id, name, definition, when_to_use, colour, created_by, created_at, updated_at';
    await insertRows(
      run,
      'research_codes',
      columns,
      rows.filter((_, i) => plan.codes[i]!.parent === null),
    );
    await insertRows(
      run,
      'research_codes',
      columns,
      rows.filter((_, i) => plan.codes[i]!.parent !== null),
    );
  });

  await step('transcripts', async () => {
    const uploaded = (i: number) => 360 - Math.floor((200 * i) / plan.sources.length);
    await insertRows(
      run,
      'research_sources',
      'id, organisation_id, study_id, name, kind, file_name, participant_id, case_id, work_package, text, turns, length, status, redactions, warnings, uploaded_by, uploaded_at, deidentified_by, deidentified_at',
      plan.sources.map(
        (s, i) =>
          `(${lit(sourceIds[i]!)}, ${org}, ${S}, ${lit(s.name)}, 'text', ${lit(`${s.studyCode}.txt`)}, ${lit(participantIds[i]!)}, ${lit(caseIds[s.caseIndex]!)}, ${lit(s.workPackage)}, ${lit(s.text)}, ${lit(JSON.stringify(s.turns))}::jsonb, ${s.text.length}, 'ready', '[]'::jsonb, '[]'::jsonb, ${lead}, ${at(uploaded(i))}, ${lead}, ${at(uploaded(i) - 1)})`,
      ),
    );
  });

  await step('codings', async () => {
    await insertRows(
      run,
      'research_codings',
      'id, organisation_id, study_id, source_id, code_id, coder_id, start_offset, end_offset, created_at',
      plan.codings.map(
        (c, i) =>
          `(${lit(benchId(ms, TAG_CODING, i + 1))}, ${org}, ${S}, ${lit(sourceIds[c.source]!)}, ${lit(codeIds[c.code]!)}, ${lit(coderIds[c.coder]!)}, ${c.start}, ${c.end}, ${at(c.daysAgo, i)})`,
      ),
    );
  });

  await step('memos', async () => {
    const targetId = (m: PlannedMemo) =>
      m.target === 'study' ? studyId : m.target === 'source' ? sourceIds[m.index]! : codeIds[m.index]!;
    await insertRows(
      run,
      'research_memos',
      'id, organisation_id, study_id, target_type, target_id, text, author_id, created_at, updated_at',
      plan.memos.map(
        (m, i) =>
          `(${lit(benchId(ms, TAG_MEMO, i + 1))}, ${org}, ${S}, ${lit(m.target)}, ${lit(targetId(m))}, ${lit(m.text)}, ${lit(coderIds[m.author]!)}, ${at(100, i)}, ${at(100, i)})`,
      ),
    );
  });

  const tables = [
    'research_studies',
    'research_study_members',
    'research_participants',
    'research_sources',
    'research_codes',
    'research_codings',
    'research_memos',
  ];
  await step('VACUUM (ANALYZE)', async () => {
    for (const table of tables) await run(`VACUUM (ANALYZE) ${table}`);
  });

  const counts: Record<string, number> = {};
  for (const table of ['research_sources', 'research_codes', 'research_codings', 'research_memos']) {
    const [row] = await run(`SELECT count(*)::int AS n FROM ${table} WHERE study_id = ${S}`);
    counts[table] = Number(row!.n);
  }
  return { studyId, importStudyId, sourceIds, codeIds, ms: performance.now() - started, counts };
}
