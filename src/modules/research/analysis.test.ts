import ExcelJS from 'exceljs';
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
import { ManualClock } from '../../platform/clock.ts';

const TODAY = '2026-03-02T10:00:00Z';

// Four speaker turns, ASCII only, so code points and string indexes agree and the working below is plain.
const TRANSCRIPT = [
  'Interviewer: How did it start for you?',
  'Participant: The GP trusted her, so I went to the group.',
  'Interviewer: And now?',
  'Participant: I go every week and help make the tea.',
].join('\n');

/**
 * Codings (code X, code Y), lead A and coder B:
 *   A: X [0,30)  Y [20,50)        B: X [10,40)  Y [35,60)
 * All coders' text: X = [0,40), Y = [20,60); X and Y = [20,40); X or Y = [0,60); X not Y = [0,20).
 * Coder B alone: X and Y = [35,40).
 */
const CODINGS = {
  A: [
    ['X', 0, 30],
    ['Y', 20, 50],
  ],
  B: [
    ['X', 10, 40],
    ['Y', 35, 60],
  ],
} as const;

/** Cohen's κ the plain way: a flag per character for each coder. */
function plainKappa(length: number, a: [number, number][], b: [number, number][]) {
  const flags = (spans: [number, number][]) => {
    const f = new Array<boolean>(length).fill(false);
    for (const [s, e] of spans) for (let i = s; i < e; i++) f[i] = true;
    return f;
  };
  const fa = flags(a);
  const fb = flags(b);
  let agree = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < length; i++) {
    if (fa[i] === fb[i]) agree++;
    if (fa[i]) na++;
    if (fb[i]) nb++;
  }
  const po = agree / length;
  const pe = (na * nb + (length - na) * (length - nb)) / (length * length);
  return (po - pe) / (1 - pe);
}

describeEachDatabase('the research workspace: agreement, retrieval and the case × code matrix', (db) => {
  let t: TestApp;
  let world: World;
  let lead: TestUser;
  let coderB: TestUser;
  const { as, req } = signedInUsers(() => t);
  let studyId: string;
  let participantId: string;
  let sourceId: string;
  let length: number;
  const codes: Record<string, string> = {};

  beforeAll(async () => {
    world = await makeWorld(db().db);
    lead = world.users.researcherA;
    coderB = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Coder B' });
    t = await makeTestApp(db(), new ManualClock(TODAY));
    studyId = (
      await req(lead, 'POST', '/research/studies', {
        title: 'Analysis study',
        question: 'What works?',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        workPackages: [{ code: 'WP1', title: 'Case studies' }],
        audioRetentionMonths: 6,
      })
    ).json().id;
    await req(lead, 'PUT', `/research/studies/${studyId}/members`, { userId: coderB.id, role: 'coder' });
    const site = (
      await req(lead, 'POST', `/research/studies/${studyId}/sites`, { name: 'Northshire' })
    ).json();
    const kase = (
      await req(lead, 'POST', `/research/studies/${studyId}/cases`, {
        siteId: site.id,
        label: 'C1',
        startsOn: '2026-02-01',
      })
    ).json();
    const participant = (
      await req(lead, 'POST', `/research/studies/${studyId}/participants`, {
        caseId: kase.id,
        role: 'patient',
      })
    ).json();
    participantId = participant.id;
    const s = await as(lead);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: `/api/research/studies/${studyId}/sources?fileName=c1-pt-01.txt&participantId=${participant.id}`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'text/plain' },
      payload: Buffer.from(TRANSCRIPT),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    sourceId = uploaded.json().id;
    length = uploaded.json().length;
    expect(length).toBe(TRANSCRIPT.length);
    expect(uploaded.json().turns).toHaveLength(4);
    await req(lead, 'POST', `/research/sources/${sourceId}/redactions`, { redactions: [], version: 1 });
    for (const name of ['X', 'Y']) {
      codes[name] = (await req(lead, 'POST', `/research/studies/${studyId}/codes`, { name })).json().id;
    }
    for (const [who, user] of [
      ['A', lead],
      ['B', coderB],
    ] as const) {
      for (const [code, start, end] of CODINGS[who]) {
        const res = await req(user, 'POST', `/research/sources/${sourceId}/codings`, {
          codeIds: [codes[code]],
          start,
          end,
        });
        expect(res.statusCode, res.body).toBe(201);
      }
    }
  });
  afterAll(() => t?.close());

  it('gives character-level κ per code equal to a plain count, and lists each disagreement with its text', async () => {
    const res = await req(
      lead,
      'GET',
      `/research/studies/${studyId}/agreement?coderA=${lead.id}&coderB=${coderB.id}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    const x = r.characters.codes.find((c: { codeName: string }) => c.codeName === 'X');
    const y = r.characters.codes.find((c: { codeName: string }) => c.codeName === 'Y');
    expect(x.pooled).toMatchObject({ n: length, codedByA: 30, codedByB: 30, codedByBoth: 20 });
    // Code × source cells only when asked for (a large study has tens of thousands).
    expect(x.sources).toBeUndefined();
    const cells = (
      await req(
        lead,
        'GET',
        `/research/studies/${studyId}/agreement?coderA=${lead.id}&coderB=${coderB.id}&bySource=true`,
      )
    ).json();
    expect(cells.characters.codes[0].sources).toHaveLength(1);
    expect(x.pooled.kappa).toBeCloseTo(plainKappa(length, [[0, 30]], [[10, 40]]), 12);
    expect(y.pooled.kappa).toBeCloseTo(plainKappa(length, [[20, 50]], [[35, 60]]), 12);
    // Disagreements on X: A alone [0,10), B alone [30,40); on Y: A alone [20,35), B alone [50,60).
    const listed = r.disagreements.listed.map(
      (d: { codeName: string; start: number; end: number; codedByName: string; text: string }) => [
        d.codeName,
        d.start,
        d.end,
        d.codedByName,
        d.text,
      ],
    );
    expect(listed).toEqual(
      expect.arrayContaining([
        ['X', 0, 10, 'Researcher A', TRANSCRIPT.slice(0, 10)],
        ['X', 30, 40, 'Coder B', TRANSCRIPT.slice(30, 40)],
        ['Y', 20, 35, 'Researcher A', TRANSCRIPT.slice(20, 35)],
        ['Y', 50, 60, 'Coder B', TRANSCRIPT.slice(50, 60)],
      ]),
    );
    expect(r.disagreements.total).toBe(4);
    // On speaker turns (turn 1 is [0,38), turn 2 starts at 39): for X, A codes turn 1, B turns 1 and 2.
    // Coincidences over 4 units: o(1,1) = 2, o(1,0) = o(0,1) = 1, o(0,0) = 4; n = 8, n1 = 3, n0 = 5;
    // α = 1 − (n − 1)·(o10 + o01) / (2·n0·n1) = 1 − 7·2/30 = 0.533333.
    const turnsX = r.turns.codes.find((c: { codeName: string }) => c.codeName === 'X');
    expect(turnsX.unitsCompared).toBe(4);
    expect(turnsX.krippendorffAlpha.alpha).toBeCloseTo(1 - 14 / 30, 12);
    // Leaving out text neither coder coded shrinks N to what either coded: [0,60).
    const ex = (
      await req(
        lead,
        'GET',
        `/research/studies/${studyId}/agreement?coderA=${lead.id}&coderB=${coderB.id}&excludeUncoded=true`,
      )
    ).json();
    expect(ex.characters.codes.find((c: { codeName: string }) => c.codeName === 'X').pooled.n).toBe(60);
  });

  it('lets only leads compare coders, and names what is wrong with the question', async () => {
    expect(
      (
        await req(
          coderB,
          'GET',
          `/research/studies/${studyId}/agreement?coderA=${lead.id}&coderB=${coderB.id}`,
        )
      ).statusCode,
    ).toBe(403);
    const same = await req(
      lead,
      'GET',
      `/research/studies/${studyId}/agreement?coderA=${lead.id}&coderB=${lead.id}`,
    );
    expect(same.statusCode).toBe(422);
    expect(same.json().errors[0].field).toBe('coderB');
    const bad = await req(
      lead,
      'GET',
      `/research/studies/${studyId}/agreement?coderA=${lead.id}&coderB=nobody`,
    );
    expect(bad.statusCode).toBe(400);
  });

  it('retrieves text for all / any / not combinations of codes, with coverage, within the coder’s view', async () => {
    const find = async (user: TestUser, query: string) => {
      const res = await req(user, 'GET', `/research/studies/${studyId}/segments?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const spans = (r: { segments: { listed: { start: number; end: number; text: string }[] } }) =>
      r.segments.listed.map((s) => [s.start, s.end, s.text]);
    expect(spans(await find(lead, `all=${codes.X}`))).toEqual([[0, 40, TRANSCRIPT.slice(0, 40)]]);
    expect(spans(await find(lead, `all=${codes.X},${codes.Y}`))).toEqual([
      [20, 40, TRANSCRIPT.slice(20, 40)],
    ]);
    const either = await find(lead, `any=${codes.X},${codes.Y}`);
    expect(spans(either)).toEqual([[0, 60, TRANSCRIPT.slice(0, 60)]]);
    expect(either.coverage).toEqual({
      characters: 60,
      ofCharacters: length,
      percent: Math.round((1000 * 60) / length) / 10,
    });
    expect(either.sources[0]).toMatchObject({
      caseLabel: 'C1',
      role: 'patient',
      siteName: 'Northshire',
      segments: 1,
    });
    expect(spans(await find(lead, `all=${codes.X}&not=${codes.Y}`))).toEqual([
      [0, 20, TRANSCRIPT.slice(0, 20)],
    ]);
    // Blind coding: coder B finds only their own codings' text.
    const mine = await find(coderB, `all=${codes.X},${codes.Y}`);
    expect(mine.codingsOf).toBe('you');
    expect(spans(mine)).toEqual([[35, 40, TRANSCRIPT.slice(35, 40)]]);
    // Filters: nothing from GPs here.
    expect((await find(lead, `all=${codes.X}&role=gp`)).segments.total).toBe(0);
    const none = await req(lead, 'GET', `/research/studies/${studyId}/segments?not=${codes.X}`);
    expect(none.statusCode).toBe(422);
  });

  it('counts codings, sources and coverage per case and code, and downloads the matrix as CSV and XLSX', async () => {
    const m = (await req(lead, 'GET', `/research/studies/${studyId}/matrix`)).json();
    expect(m.codes.map((c: { name: string }) => c.name)).toEqual(['X', 'Y']);
    expect(m.rows).toEqual([
      { caseId: expect.any(String), label: 'C1', siteName: 'Northshire', sources: 1, cells: [2, 2] },
    ]);
    const coverage = (await req(lead, 'GET', `/research/studies/${studyId}/matrix?count=coverage`)).json();
    const pct = (n: number) => Math.round((1000 * n) / length) / 10;
    expect(coverage.rows[0].cells).toEqual([pct(40), pct(40)]);
    expect((await req(coderB, 'GET', `/research/studies/${studyId}/matrix`)).json().rows[0].cells).toEqual([
      1, 1,
    ]);
    const csv = await req(lead, 'GET', `/research/studies/${studyId}/matrix.csv`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toBe('\uFEFFCase,Site,Sources,X (codings),Y (codings)\r\nC1,Northshire,1,2,2\r\n');
    const xlsx = await req(lead, 'GET', `/research/studies/${studyId}/matrix.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).values).toEqual([undefined, 'C1', 'Northshire', 1, 2, 2]);
  });

  it('exports quotes only from participants who agreed to anonymised quotes, saying what was left out', async () => {
    const quotes = async () =>
      (await req(lead, 'GET', `/research/studies/${studyId}/quotes.csv?all=${codes.X}`)).body;
    let csv = await quotes();
    expect(csv).toBe(
      '\uFEFFParticipant,Case,Source,Start,End,Quote\r\n' +
        '"1 segment was left out: the participant did not agree to anonymised quotes, withdrew, or is not a participant."\r\n',
    );
    const consent = await req(lead, 'POST', `/research/participants/${participantId}/consents`, {
      formVersion: 'v1',
      consentedOn: '2026-03-01',
      scopes: ['interview', 'anonymised_quotes'],
    });
    expect(consent.statusCode, consent.body).toBe(201);
    csv = await quotes();
    expect(csv).toBe(
      `\uFEFFParticipant,Case,Source,Start,End,Quote\r\nC1-PT-01,C1,c1-pt-01,0,40,"${TRANSCRIPT.slice(0, 40)}"\r\n`,
    );
  });

  it('lets a lead settle disagreements, both coding a stretch or neither, until the coders agree', async () => {
    const agreement = async () =>
      (
        await req(lead, 'GET', `/research/studies/${studyId}/agreement?coderA=${lead.id}&coderB=${coderB.id}`)
      ).json();
    const settle = (body: Record<string, unknown>, user = lead) =>
      req(user, 'POST', `/research/studies/${studyId}/agreement/resolutions`, { sourceId, ...body });
    const spansOf = async (user: TestUser, code: string) =>
      (await req(user, 'GET', `/research/studies/${studyId}/segments?all=${codes[code]}`))
        .json()
        .segments.listed.map((s: { start: number; end: number }) => [s.start, s.end]);

    // X: A alone [0,10) → both code it: B gets [0,10), which touches their [10,40).
    let res = await settle({
      codeId: codes.X,
      start: 0,
      end: 10,
      codedBy: lead.id,
      notCodedBy: coderB.id,
      decision: 'code_both',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ decision: 'code_both', codingsChanged: 1 });
    expect(await spansOf(coderB, 'X')).toEqual([[0, 40]]);
    // The same stretch again: already settled.
    res = await settle({
      codeId: codes.X,
      start: 0,
      end: 10,
      codedBy: lead.id,
      notCodedBy: coderB.id,
      decision: 'code_both',
    });
    expect(res.statusCode).toBe(409);
    // X: B alone [30,40) → neither codes it: B's [0,10) and [10,40) keep [0,30).
    res = await settle({
      codeId: codes.X,
      start: 30,
      end: 40,
      codedBy: coderB.id,
      notCodedBy: lead.id,
      decision: 'code_neither',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await spansOf(coderB, 'X')).toEqual([[0, 30]]);
    // Y: A alone [20,35) inside A's [20,50) → neither: A keeps [35,50); a middle cut splits a coding in two.
    res = await settle({
      codeId: codes.Y,
      start: 40,
      end: 45,
      codedBy: lead.id,
      notCodedBy: coderB.id,
      decision: 'code_neither',
    });
    expect(res.statusCode, res.body).toBe(200);
    const codingsOfA = (await req(lead, 'GET', `/research/sources/${sourceId}`))
      .json()
      .codings.filter(
        (c: { coderId: string; codeId: string }) => c.coderId === lead.id && c.codeId === codes.Y,
      );
    expect(codingsOfA.map((c: { start: number; end: number }) => [c.start, c.end]).sort()).toEqual([
      [20, 40],
      [45, 50],
    ]);
    // X is now settled: κ 1 over the characters, no disagreement left on it.
    const r = await agreement();
    const x = r.characters.codes.find((c: { codeName: string }) => c.codeName === 'X');
    expect(x.pooled.kappa).toBe(1);
    expect(r.disagreements.listed.filter((d: { codeName: string }) => d.codeName === 'X')).toEqual([]);

    // Coders do not settle; a stretch outside the source and a stranger as coder are named.
    expect(
      (
        await settle(
          {
            codeId: codes.Y,
            start: 50,
            end: 60,
            codedBy: coderB.id,
            notCodedBy: lead.id,
            decision: 'code_both',
          },
          coderB,
        )
      ).statusCode,
    ).toBe(403);
    const outside = await settle({
      codeId: codes.Y,
      start: 50,
      end: length + 5,
      codedBy: coderB.id,
      notCodedBy: lead.id,
      decision: 'code_both',
    });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().errors[0].field).toBe('end');
    const notOnTeam = await makeUser(db().db, {
      roles: [[world.orgs.icbA, 'researcher']],
      name: 'Not on team',
    });
    const stranger = await settle({
      codeId: codes.Y,
      start: 50,
      end: 60,
      codedBy: notOnTeam.id,
      notCodedBy: lead.id,
      decision: 'code_both',
    });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().errors[0].field).toBe('codedBy');
    const same = await settle({
      codeId: codes.Y,
      start: 50,
      end: 60,
      codedBy: lead.id,
      notCodedBy: lead.id,
      decision: 'maybe',
    });
    expect(same.statusCode).toBe(400);
  });
});
