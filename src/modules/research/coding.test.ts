import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import {
  makeTestApp,
  makeUser,
  signedInUsers,
  type TestApp,
  type TestUser,
} from '../../../test/factories.ts';
import { makeWorld, type World } from '../../../test/world.ts';
import { rowsOf } from '../../db/client.ts';
import { ManualClock } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/transaction.ts';

const TODAY = '2026-03-02T10:00:00Z';

// A Teams transcript as Teams writes it: cue ids, timings, <v Speaker> voice spans, a NOTE block, CRLF endings.
const teamsVtt = [
  'WEBVTT',
  '',
  'NOTE recorded in Microsoft Teams',
  '',
  '1f6c-0',
  '00:00:01.000 --> 00:00:04.000',
  '<v Interviewer>Thank you for joining. Could you tell me how you met your link worker?</v>',
  '',
  '1f6c-1',
  '00:00:04.500 --> 00:00:09.000',
  '<v Participant>My name is Margaret Hughes. Dr Patel at Riverside Surgery sent me to her.</v>',
  '',
  '1f6c-2',
  '00:00:09.000 --> 00:00:12.000',
  '<v Participant>She rang me on 07700 900123 the next week.</v>',
  '',
].join('\r\n');

describeEachDatabase('the research workspace: sources, de-identification, codebook and coding', (db) => {
  let t: TestApp;
  let world: World;
  let coderB: TestUser;
  let readerD: TestUser;
  const { as, req } = signedInUsers(() => t);
  const upload = async (
    user: TestUser,
    query: string,
    bytes: Buffer | string,
    type = 'application/octet-stream',
  ) => {
    const s = await as(user);
    return t.app.inject({
      method: 'POST',
      url: `/api/research/studies/${studyId}/sources?${query}`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': type },
      payload: typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes,
    });
  };
  let lead: TestUser;
  let studyId: string;
  let participantId: string;
  let sourceId: string;
  const codes: Record<string, string> = {};

  beforeAll(async () => {
    world = await makeWorld(db().db);
    lead = world.users.researcherA;
    coderB = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Coder B' });
    readerD = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Reader D' });
    t = await makeTestApp(db(), new ManualClock(TODAY));
    const study = await req(lead, 'POST', '/research/studies', {
      title: 'Coding study',
      question: 'What works?',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      workPackages: [{ code: 'WP1', title: 'Case studies' }],
      audioRetentionMonths: 6,
    });
    studyId = study.json().id;
    await req(lead, 'PUT', `/research/studies/${studyId}/members`, { userId: coderB.id, role: 'coder' });
    await req(lead, 'PUT', `/research/studies/${studyId}/members`, { userId: readerD.id, role: 'read_only' });
    const p = await req(lead, 'POST', `/research/studies/${studyId}/participants`, {
      role: 'patient',
      contact: { name: 'Margaret Hughes' },
    });
    participantId = p.json().id;
  });
  afterAll(() => t?.close());

  it('reads a Teams transcript into speaker turns and highlights what may identify someone', async () => {
    const res = await upload(
      lead,
      `fileName=interview-1.vtt&participantId=${participantId}`,
      teamsVtt,
      'text/vtt',
    );
    expect(res.statusCode, res.body).toBe(201);
    const source = res.json();
    sourceId = source.id;
    expect(source).toMatchObject({ kind: 'vtt', status: 'awaiting_deidentification', name: 'interview-1' });
    expect(source.turns.map((x: { speaker: string }) => x.speaker)).toEqual(['Interviewer', 'Participant']);
    expect(source.text).toContain('Participant: My name is Margaret Hughes.');
    expect(source.text).not.toContain('\r');
    const kinds = source.candidates.map((c: { kind: string; text: string }) => `${c.kind}:${c.text}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'name:Margaret Hughes',
        'phone:07700 900123',
        'organisation:Riverside Surgery',
      ]),
    );
    expect(kinds.some((k: string) => k.startsWith('name:') && k.includes('Patel'))).toBe(true);
    // A coder sees no text until it is de-identified; nobody codes it before.
    const asCoder = (await req(coderB, 'GET', `/research/sources/${sourceId}`)).json();
    expect(asCoder).toMatchObject({ text: null, candidates: [] });
    const early = await req(lead, 'POST', `/research/sources/${sourceId}/codings`, {
      codeIds: ['00000000-0000-7000-8000-000000000000'],
      start: 0,
      end: 5,
    });
    expect(early.statusCode).toBe(409);
  });

  it('refuses overlapping redactions, naming them, then accepts the chosen ones and keeps no unredacted text', async () => {
    const source = (await req(lead, 'GET', `/research/sources/${sourceId}`)).json();
    const chosen = source.candidates.map((c: { start: number; end: number; suggestion: string }) => ({
      start: c.start,
      end: c.end,
      replacement: c.suggestion,
    }));
    const bad = await req(lead, 'POST', `/research/sources/${sourceId}/redactions`, {
      redactions: [chosen[0], { ...chosen[0], end: chosen[0].end + 2 }],
      version: source.version,
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.length).toBeGreaterThan(0);
    const res = await req(lead, 'POST', `/research/sources/${sourceId}/redactions`, {
      redactions: chosen,
      version: source.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    const done = res.json();
    expect(done).toMatchObject({ status: 'ready', unredactedKept: false, candidates: [] });
    for (const word of ['Margaret', 'Hughes', 'Patel', '07700', 'Riverside Surgery']) {
      expect(done.text).not.toContain(word);
    }
    expect(done.text).toContain('[name]');
    // Turns still cover their speaker's words after the text shrank.
    const last = done.turns[done.turns.length - 1];
    expect([...done.text].slice(last.start, last.end).join('')).toMatch(/^Participant: /);
    expect([...done.text].length).toBe(done.length);
    const [audit] = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ detail: unknown }>(
        await tx.execute(sql`select detail from audit_events where action = 'research.source.deidentified'`),
      ),
    );
    expect(JSON.stringify(audit?.detail)).not.toMatch(/Margaret|Patel|07700/);
    const [stored] = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ unredacted_text: string | null; text: string }>(
        await tx.execute(sql`select unredacted_text, text from research_sources where id = ${sourceId}`),
      ),
    );
    expect(stored).toMatchObject({ unredacted_text: null });
    expect(stored?.text).not.toContain('Margaret');
  });

  it('keeps a hierarchical codebook: unique names among siblings, no code under its own branch', async () => {
    const add = async (name: string, parentId: string | null = null) => {
      const res = await req(lead, 'POST', `/research/studies/${studyId}/codes`, {
        name,
        parentId,
        definition: `${name}: as the programme theory uses it`,
        colour: '#005EB8',
      });
      expect(res.statusCode, res.body).toBe(201);
      codes[name] = res.json().id;
    };
    await add('Buy-in');
    await add('GP buy-in', codes['Buy-in']);
    await add('Connections');
    const dup = await req(lead, 'POST', `/research/studies/${studyId}/codes`, { name: 'buy-in' });
    expect(dup.statusCode).toBe(422);
    const loop = await req(lead, 'PUT', `/research/codes/${codes['Buy-in']}`, {
      name: 'Buy-in',
      parentId: codes['GP buy-in'],
      version: 1,
    });
    expect(loop.statusCode).toBe(422);
    expect(loop.json().errors[0].field).toBe('parentId');
    // A coder may not change the codebook.
    expect(
      (await req(coderB, 'POST', `/research/studies/${studyId}/codes`, { name: 'Mine' })).statusCode,
    ).toBe(403);
  });

  it('codes spans blind: overlaps allowed across codes and coders, refused for the same coder and code', async () => {
    const code = (user: TestUser, codeIds: string[], start: number, end: number) =>
      req(user, 'POST', `/research/sources/${sourceId}/codings`, { codeIds, start, end });
    let res = await code(lead, [codes['Buy-in']!], 10, 40);
    expect(res.statusCode, res.body).toBe(201);
    res = await code(coderB, [codes['Buy-in']!, codes.Connections!], 20, 50);
    expect(res.statusCode).toBe(201);
    expect(res.json().items).toHaveLength(2);
    res = await code(coderB, [codes['Buy-in']!], 45, 60);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/already coded 20–50 of this source as Buy-in/);
    const length = (await req(lead, 'GET', `/research/sources/${sourceId}`)).json().length;
    res = await code(coderB, [codes['GP buy-in']!], length - 2, length + 5);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain(`positions 0 to ${length}`);
    expect((await code(readerD, [codes['GP buy-in']!], 0, 5)).statusCode).toBe(403);
    // Blind: the coder sees their own two codings only; the lead sees all three.
    const mine = (await req(coderB, 'GET', `/research/sources/${sourceId}`)).json();
    expect(mine.codingsShown).toBe('own');
    expect(mine.codings.map((c: { coderId: string }) => c.coderId)).toEqual([coderB.id, coderB.id]);
    const all = (await req(lead, 'GET', `/research/sources/${sourceId}`)).json();
    expect(all.codings).toHaveLength(3);
  });

  it('merges a code into another, joining one coder’s overlapping spans, and keeps memos on codings', async () => {
    const coderCodings = (await req(coderB, 'GET', `/research/sources/${sourceId}`)).json().codings;
    const memo = await req(coderB, 'POST', `/research/studies/${studyId}/memos`, {
      targetType: 'coding',
      targetId: coderCodings[0].id,
      text: 'Trust in the GP comes first here.',
    });
    expect(memo.statusCode, memo.body).toBe(201);
    const res = await req(lead, 'POST', `/research/codes/${codes.Connections}/merge`, {
      intoId: codes['Buy-in'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((c: { name: string }) => c.name)).toEqual(['Buy-in', 'GP buy-in']);
    const all = (await req(lead, 'GET', `/research/sources/${sourceId}`)).json().codings;
    // Coder B's Buy-in 20–50 and Connections 20–50 are one Buy-in 20–50 now; the lead's 10–40 stays its own.
    expect(
      all.map((c: { coderId: string; start: number; end: number; codeId: string }) => [
        c.coderId === lead.id ? 'A' : 'B',
        c.start,
        c.end,
        c.codeId === codes['Buy-in'],
      ]),
    ).toEqual([
      ['A', 10, 40, true],
      ['B', 20, 50, true],
    ]);
    const memos = (await req(lead, 'GET', `/research/studies/${studyId}/memos?targetType=coding`)).json()
      .items;
    expect(memos).toHaveLength(1);
    expect(memos[0]).toMatchObject({ text: 'Trust in the GP comes first here.', authorName: 'Coder B' });
  });

  it('says what is wrong with a file it cannot read, and takes nothing from a withdrawn participant', async () => {
    let res = await upload(lead, 'fileName=notes.docx', Buffer.from('PK\u0003\u0004not really a zip'));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/notes\.docx/);
    res = await upload(lead, 'fileName=empty.txt', Buffer.alloc(0));
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/empty/);
    res = await upload(lead, 'fileName=bad.txt', Buffer.from([0x48, 0x69, 0xff, 0xfe, 0x21]));
    expect(res.statusCode).toBe(422);
    res = await upload(coderB, 'fileName=x.txt', 'Interviewer: hello');
    expect(res.statusCode).toBe(403);
    const withdrawn = await req(lead, 'POST', `/research/participants/${participantId}/withdrawal`, {
      withdrawnOn: '2026-03-02',
      choice: 'keep_data',
      version: 1,
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    res = await upload(
      lead,
      `fileName=second.txt&participantId=${participantId}`,
      'Interviewer: hello again',
    );
    expect(res.statusCode).toBe(409);
  });

  it('removes a withdrawn participant’s transcripts with their codings and memos when they ask for it', async () => {
    const { id } = (
      await req(lead, 'POST', `/research/studies/${studyId}/participants`, {
        role: 'gp',
        contact: { name: 'Dr Gone' },
      })
    ).json();
    const res = await upload(
      lead,
      `fileName=gp.txt&participantId=${id}`,
      'Interviewer: hello\nGP: we refer a lot',
    );
    const source = res.json();
    await req(lead, 'POST', `/research/sources/${source.id}/redactions`, {
      redactions: [],
      version: source.version,
    });
    const coded = await req(lead, 'POST', `/research/sources/${source.id}/codings`, {
      codeIds: [codes['Buy-in']],
      start: 0,
      end: 5,
    });
    await req(lead, 'POST', `/research/studies/${studyId}/memos`, {
      targetType: 'coding',
      targetId: coded.json().items[0].id,
      text: 'About the GP',
    });
    const withdrawn = await req(lead, 'POST', `/research/participants/${id}/withdrawal`, {
      withdrawnOn: '2026-03-02',
      choice: 'remove_data',
      version: 1,
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect((await req(lead, 'GET', `/research/sources/${source.id}`)).statusCode).toBe(404);
    const left = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ codings: number; memos: number; detail: { removed: Record<string, number> } }>(
        await tx.execute(sql`select
          (select count(*)::int from research_codings where source_id = ${source.id}) as codings,
          (select count(*)::int from research_memos where text = 'About the GP') as memos,
          (select detail from audit_events where action = 'research.participant.withdrawn'
            and record_ids @> ${JSON.stringify([id])}::jsonb) as detail`),
      ),
    );
    expect(left[0]).toMatchObject({ codings: 0, memos: 0 });
    expect(left[0]!.detail.removed).toMatchObject({ sources: 1, codings: 1, evidence: 0, contactDetails: 1 });
  });
});
