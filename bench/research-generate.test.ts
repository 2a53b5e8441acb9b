import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.ts';
import { demoPassword, seedDemo } from '../src/db/seed/demo.ts';
import { findLabelledTurns } from '../src/modules/research/sources/speaker-turns.ts';
import { describeEachDatabase } from '../test/db.ts';
import { call, makeTestApp, type Session, signIn, type TestApp, type TestUser } from '../test/factories.ts';
import { APP_ROLE } from '../test/global-setup.ts';
import type { RunSql } from './pathway-generate.ts';
import {
  CODEBOOK,
  CODING_SHAPE,
  type InsertedStudy,
  insertStudy,
  type PlannedCoding,
  planStudy,
  type ResearchVolumes,
  researchVolumesAt,
} from './research-generate.ts';

// Small enough to check every character: 6 transcripts, the first of 4,000 words, 600 codings.
const volumes: ResearchVolumes = { sources: 6, meanWords: 3000, longWords: 4000, codings: 600 };
const plan = planStudy(volumes, 7);
const isLetter = (ch: string | undefined) => ch !== undefined && /[A-Za-z]/.test(ch);

describe('planStudy', () => {
  it('gives the same study for the same seed, and another for another seed', () => {
    expect(JSON.stringify(planStudy(volumes, 7))).toBe(JSON.stringify(plan));
    expect(planStudy(volumes, 8).sources[0]!.text).not.toBe(plan.sources[0]!.text);
  });

  it('scales the brief’s 200 transcripts and 40,000 codings, keeping the long transcript', () => {
    expect(researchVolumesAt(1)).toEqual({
      sources: 200,
      meanWords: 8000,
      longWords: 20_000,
      codings: 40_000,
    });
    expect(researchVolumesAt(0.1)).toMatchObject({ sources: 20, longWords: 20_000, codings: 4000 });
  });

  it('writes a codebook of 12 themes with 88 codes under them', () => {
    expect(plan.codes).toHaveLength(100);
    const themes = plan.codes.filter((c) => c.parent === null);
    expect(themes.map((t) => t.name)).toEqual(CODEBOOK.map((g) => g.theme));
    for (const code of plan.codes) {
      if (code.parent !== null) expect(plan.codes[code.parent]!.parent).toBeNull();
      expect(code.colour).toMatch(/^#[0-9A-F]{6}$/);
    }
    expect(new Set(plan.codes.map((c) => c.name)).size).toBe(100);
  });

  it('makes ASCII transcripts of the asked length whose turns are the ones the app finds in a .txt', () => {
    for (const [i, source] of plan.sources.entries()) {
      expect(source.text).toMatch(/^[\x20-\x7e\n]+$/);
      // The app's own parser of uploaded transcripts is the independent check of the offsets.
      expect(source.turns).toEqual(findLabelledTurns(source.text));
      const words = source.text.match(/[A-Za-z]+/g)!.length - source.turns.length;
      expect(words).toBe(source.words);
      const [lo, hi] = i === 0 ? [4000, 4400] : [volumes.meanWords - 2000, volumes.meanWords + 2400];
      expect(source.words).toBeGreaterThanOrEqual(lo);
      expect(source.words).toBeLessThanOrEqual(hi);
      // The last turn is the interviewer's thanks, said once.
      const last = source.turns.at(-1)!;
      expect(last.speaker).toBe('Interviewer');
      expect(source.text.slice(last.start)).toBe(`Interviewer: ${source.closing}`);
      expect(source.text.split(source.closing)).toHaveLength(2);
    }
    // Interviewer and participant take turns, the interviewer first and last.
    const speakers = plan.sources[0]!.turns.map((t) => t.speaker);
    expect(speakers.every((s, j) => s === (j % 2 === 0 ? 'Interviewer' : 'Participant'))).toBe(true);
  });

  it('shares out exactly the codings asked for by length, half to each coder', () => {
    expect(plan.codings).toHaveLength(volumes.codings);
    for (const [s, source] of plan.sources.entries()) {
      const mine = plan.codings.filter((c) => c.source === s);
      const share =
        (volumes.codings * source.text.length) / plan.sources.reduce((n, x) => n + x.text.length, 0);
      expect(Math.abs(mine.length - share)).toBeLessThan(1);
      const lead = mine.filter((c) => c.coder === 0).length;
      expect(lead - (mine.length - lead)).toBeGreaterThanOrEqual(0);
      expect(lead - (mine.length - lead)).toBeLessThanOrEqual(1);
    }
  });

  it('codes 20–600 characters at word boundaries inside a participant’s turn, never the closing turn', () => {
    for (const c of plan.codings) {
      const { text, turns } = plan.sources[c.source]!;
      expect(c.end - c.start).toBeGreaterThanOrEqual(CODING_SHAPE.minSpan);
      expect(c.end - c.start).toBeLessThanOrEqual(CODING_SHAPE.maxSpan);
      expect(isLetter(text[c.start]) && !isLetter(text[c.start - 1])).toBe(true);
      expect(isLetter(text[c.end - 1]) && !isLetter(text[c.end])).toBe(true);
      const turn = turns.find((t) => t.start <= c.start && c.end <= t.end);
      expect(turn?.speaker).toBe('Participant');
    }
  });

  it('never overlaps a coder’s codings of one code, and the coders mostly code the same passages', () => {
    const groups = new Map<string, PlannedCoding[]>();
    for (const c of plan.codings) {
      const key = `${c.source}/${c.coder}/${c.code}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (const group of groups.values()) {
      for (const a of group) {
        for (const b of group) {
          if (a !== b) expect(a.start < b.end && a.end > b.start).toBe(false);
        }
      }
    }
    // About sharedPercent × sameCodePercent (60 % × 75 % = 45 %) of the coder's codings meet one of the lead's
    // of the same code; a third is a loose floor that fails if coders stop overlapping.
    const coders = plan.codings.filter((c) => c.coder === 1);
    const agreed = coders.filter((c) =>
      (groups.get(`${c.source}/0/${c.code}`) ?? []).some((l) => l.start < c.end && l.end > c.start),
    );
    expect(agreed.length / coders.length).toBeGreaterThan(1 / 3);
    expect(agreed.length / coders.length).toBeLessThan(0.8);
  });
});

interface Row {
  [key: string]: unknown;
}

describeEachDatabase('insertStudy', (db, kind) => {
  let run: RunSql;
  let owner: pg.Client | undefined;
  let t: TestApp;
  let inserted: InsertedStudy;
  let lead: Session;
  let coder: Session;
  let check: Row | undefined;
  const demoUser = (email: string) => ({ email, password: demoPassword }) as TestUser;

  beforeAll(async () => {
    const database = db();
    await seedDemo(database.db, new Date());
    if (kind === 'postgres') {
      owner = new pg.Client({ connectionString: database.url });
      await owner.connect();
      const client = owner;
      run = async (text) => (await client.query(text)).rows;
    } else {
      await database.db.execute(sql.raw('RESET ROLE'));
      run = async (text) => rowsOf<Row>(await database.db.execute(sql.raw(text)));
    }
    const id = async (text: string) => String((await run(text))[0]!.id);
    inserted = await insertStudy(
      run,
      plan,
      {
        icbId: await id(`SELECT id FROM organisations WHERE ods_code = 'QZZ'`),
        leadId: await id(`SELECT id FROM users WHERE email = 'researcher@demo.linkwork.example'`),
        coderId: await id(`SELECT id FROM users WHERE email = 'coder@demo.linkwork.example'`),
      },
      new Date(),
    );
    [check] = await run(`
      SELECT bool_and(s.length = char_length(s.text)) AS lengths,
        (SELECT count(*)::int FROM research_codings c JOIN research_sources x ON x.id = c.source_id
          WHERE c.end_offset > x.length) AS beyond
      FROM research_sources s WHERE s.study_id = '${inserted.studyId}'`);
    // PGlite's one connection goes back to working as the app, for the app's requests.
    if (kind === 'pglite') await database.db.execute(sql.raw(`SET ROLE ${APP_ROLE}`));
    t = await makeTestApp(database);
    lead = await signIn(t, demoUser('researcher@demo.linkwork.example'));
    coder = await signIn(t, demoUser('coder@demo.linkwork.example'));
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await owner?.end();
  });

  it('writes every planned row, with lengths the database counts the same way', async () => {
    expect(inserted.counts).toEqual({
      research_sources: 6,
      research_codes: 100,
      research_codings: 600,
      research_memos: plan.memos.length,
    });
    expect(check).toEqual({ lengths: true, beyond: 0 });
  });

  it('lets the lead read the long transcript as planned, with both coders’ codings', async () => {
    const res = await call(t, lead, 'GET', `/api/research/sources/${inserted.sourceIds[0]}`);
    expect(res.statusCode).toBe(200);
    const source = res.json();
    expect(source.text).toBe(plan.sources[0]!.text);
    expect(source.turns).toEqual(plan.sources[0]!.turns);
    expect(source.codings).toHaveLength(plan.codings.filter((c) => c.source === 0).length);
  });

  it('shows the coder only their own codings (blind coding)', async () => {
    const res = await call(t, coder, 'GET', `/api/research/sources/${inserted.sourceIds[0]}`);
    expect(res.json().codings).toHaveLength(
      plan.codings.filter((c) => c.source === 0 && c.coder === 1).length,
    );
  });

  it('retrieves a code’s text as the union of both coders’ codings', async () => {
    const code = plan.codings[0]!.code;
    // The plain way: a flag per character, then count the runs of flagged characters in each transcript.
    let runs = 0;
    for (const [s, source] of plan.sources.entries()) {
      const flags = new Array<boolean>(source.text.length + 1).fill(false);
      for (const c of plan.codings) {
        if (c.source === s && c.code === code) for (let i = c.start; i < c.end; i++) flags[i] = true;
      }
      for (let i = 0; i < source.text.length; i++) if (flags[i] && (i === 0 || !flags[i - 1])) runs++;
    }
    const res = await call(
      t,
      lead,
      'GET',
      `/api/research/studies/${inserted.studyId}/segments?all=${inserted.codeIds[code]}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().segments.total).toBe(runs);
  });
});
