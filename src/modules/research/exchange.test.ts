import { sql } from 'drizzle-orm';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
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
import type { Actor } from '../../platform/actor.ts';
import { ManualClock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { linkWorkerContexts } from '../link-workers/schema.ts';
import { importStudyQdpx, parseCodeDescription, qdpxFileName, withLfLineEndings } from './exchange.ts';
import { guid, makeQdaProject } from './refi-qda/make-qda-project.ts';
import type { QdaCode, QdaProject, QdaValue, QdaVariableValue } from './refi-qda/model.ts';
import { readQdpx } from './refi-qda/read-qdpx.ts';
import { projectXsdErrors } from './refi-qda/validate-xsd.ts';
import { writeQdpx } from './refi-qda/write-qdpx.ts';

const TODAY = '2026-03-02T10:00:00Z';
const NS = 'urn:QDA-XML:project:1.0';

/*
 * The interview as uploaded, in code points (the emoji is one):
 *   line 1 "Interviewer: How did you meet them?" [0, 35), LF at 35
 *   line 2 starts at 36: "Participant:" 36–47, space 48, "Margaret Hughes" [49, 64), " here." 64–69, space 70,
 *          😀 71, space 72, "Dr Patel" [73, 81), " sent me." 81–89
 * Redacting [49, 64) → "[name]" (6) and [73, 81) → "[GP]" (4) gives the de-identified text:
 *   line 2 "Participant: [name] here. 😀 [GP] sent me.": "[name]" [49, 55), " here." 55–60, space 61, 😀 62,
 *          space 63, "[GP]" [64, 68), " sent me." 68–76, LF at 77
 *   line 3 starts at 78: "Participant:" 78–89, space 90, "It helped a lot." [91, 107); 107 code points in all.
 * So "😀 [GP] sent me." is [62, 77) (in UTF-16 units it would be [62, 78)).
 */
const interviewText =
  'Interviewer: How did you meet them?\nParticipant: Margaret Hughes here. 😀 Dr Patel sent me.\nParticipant: It helped a lot.';
const deidentifiedInterview =
  'Interviewer: How did you meet them?\nParticipant: [name] here. 😀 [GP] sent me.\nParticipant: It helped a lot.';
// "Observed the team meeting." is [0, 26): 8 + 4 + 5 + 9.
const fieldNotesText = 'Observed the team meeting.\nThe GP asked about referrals.';
const studyTitle = 'REFI-QDA round trip: study';

const codePoints = (text: string, start: number, end: number) => Array.from(text).slice(start, end).join('');

/** A .qdpx made by hand, for files Linkwork would never write. */
function qdpx(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

function emptyProject(name: string): QdaProject {
  return {
    name,
    users: [],
    codebook: { codes: [] },
    variables: [],
    cases: [],
    sources: [],
    notes: [],
    sets: [],
    noteRefs: [],
  };
}

const plainValue = (v: QdaValue | null) => (v === null ? null : v.value);

/**
 * What must survive a round trip, with every GUID replaced by what it stands for (GUIDs of sources, codings and
 * memos are new in the study imported into) and time stamps left out.
 */
function comparable(project: QdaProject) {
  const userName = new Map(project.users.map((u) => [u.guid, u.name]));
  const paths = new Map<string, string>();
  const flat: { code: QdaCode; path: string }[] = [];
  const walk = (codes: readonly QdaCode[], prefix: string) => {
    for (const code of codes) {
      const path = prefix ? `${prefix}/${code.name}` : code.name;
      paths.set(code.guid, path);
      flat.push({ code, path });
      walk(code.children, path);
    }
  };
  walk(project.codebook.codes, '');
  const notes = new Map(project.notes.map((n) => [n.guid, n]));
  const note = (g: string) => `${userName.get(notes.get(g)?.creatingUser ?? '')}: ${notes.get(g)?.text}`;
  const variableName = new Map(project.variables.map((v) => [v.guid, v.name]));
  const values = (vs: QdaVariableValue[]) =>
    Object.fromEntries(vs.map((v) => [variableName.get(v.variableRef), plainValue(v.value)]));
  const sourceName = new Map(project.sources.map((s) => [s.guid, s.name]));
  const referenced = new Set([
    ...project.noteRefs,
    ...flat.flatMap((f) => f.code.noteRefs),
    ...project.sources.flatMap((s) => [...s.noteRefs, ...s.selections.flatMap((sel) => sel.noteRefs)]),
  ]);
  const byJson = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
  return {
    description: project.description,
    users: project.users.map((u) => u.name).sort(),
    variables: project.variables.map((v) => `${v.name}: ${v.typeOfVariable}`).sort(),
    codes: flat.map(({ code, path }) => ({
      path,
      color: code.color,
      description: code.description,
      isCodable: code.isCodable,
      notes: code.noteRefs.map(note).sort(),
    })),
    sources: project.sources
      .map((s) => ({
        name: s.name,
        text: s.text,
        creator: userName.get(s.creatingUser ?? ''),
        values: values(s.variableValues),
        notes: s.noteRefs.map(note).sort(),
        codings: s.selections
          .flatMap((sel) =>
            sel.codings.map((c) => ({
              code: paths.get(c.codeRef),
              start: sel.startPosition,
              end: sel.endPosition,
              coder: userName.get(c.creatingUser ?? sel.creatingUser ?? ''),
              notes: sel.noteRefs.map(note).sort(),
            })),
          )
          .sort(byJson),
      }))
      .sort(byJson),
    cases: project.cases.map((c) => ({
      name: c.name,
      description: c.description,
      values: values(c.variableValues),
      sources: c.sourceRefs.map((g) => sourceName.get(g)).sort(),
    })),
    studyNotes: project.noteRefs.map(note).sort(),
    otherNotes: project.notes
      .filter((n) => !referenced.has(n.guid))
      .map((n) => `${n.name} — ${note(n.guid)}`)
      .sort(),
  };
}

describeEachDatabase('REFI-QDA export and import of a study', (db) => {
  let t: TestApp;
  let world: World;
  let lead: TestUser;
  let coderB: TestUser;
  let researcherC: TestUser;
  let outsider: TestUser;
  const { as, req } = signedInUsers(() => t);
  const ok = async <T = { id: string; version: number }>(
    user: TestUser,
    method: 'POST' | 'PUT',
    url: string,
    body: unknown,
  ): Promise<T> => {
    const res = await req(user, method, url, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  /** Sends bytes as the request body, as a browser sends a file. */
  const send = async (
    user: TestUser,
    method: 'GET' | 'POST',
    url: string,
    bytes?: Uint8Array | string,
    type = 'application/octet-stream',
  ) => {
    const s = await as(user);
    return t.app.inject({
      method,
      url: `/api${url}`,
      headers: {
        cookie: s.cookie,
        'x-csrf-token': s.csrfToken,
        ...(bytes === undefined ? {} : { 'content-type': type }),
      },
      ...(bytes === undefined ? {} : { payload: Buffer.from(bytes) }),
    });
  };
  const exportOf = async (studyId: string) => {
    const res = await send(lead, 'GET', `/research/studies/${studyId}/export.qdpx`);
    expect(res.statusCode, res.body).toBe(200);
    return new Uint8Array(res.rawPayload);
  };
  const counts = (studyId: string) =>
    inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ codes: number; sources: number; codings: number; memos: number }>(
        await tx.execute(sql`select
          (select count(*)::int from research_codes where study_id = ${studyId}) as codes,
          (select count(*)::int from research_sources where study_id = ${studyId}) as sources,
          (select count(*)::int from research_codings where study_id = ${studyId}) as codings,
          (select count(*)::int from research_memos where study_id = ${studyId}) as memos`),
      ),
    );
  const codingsOf = (studyId: string, sourceName: string) =>
    inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ coder_id: string; start_offset: number; end_offset: number; code: string; text: string }>(
        await tx.execute(sql`select c.coder_id, c.start_offset, c.end_offset, k.name as code, s.text
          from research_codings c join research_sources s on s.id = c.source_id
          join research_codes k on k.id = c.code_id
          where s.study_id = ${studyId} and s.name = ${sourceName} order by c.start_offset, c.end_offset`),
      ),
    );

  /** A study with the team, site and case both studies share: C1, Link worker A1 at PCN A1. */
  const makeStudy = async (title: string) => {
    const study = await ok(lead, 'POST', '/research/studies', {
      title,
      question: 'What works, for whom, in what circumstances?',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      workPackages: [{ code: 'WP1', title: 'Case studies' }],
      audioRetentionMonths: 6,
    });
    await ok(lead, 'PUT', `/research/studies/${study.id}/members`, { userId: coderB.id, role: 'coder' });
    await ok(lead, 'PUT', `/research/studies/${study.id}/members`, {
      userId: researcherC.id,
      role: 'researcher',
    });
    const site = await ok(lead, 'POST', `/research/studies/${study.id}/sites`, {
      name: 'Northshire',
      organisationId: world.orgs.pcnA1,
    });
    const kase = await ok(lead, 'POST', `/research/studies/${study.id}/cases`, {
      siteId: site.id,
      label: 'C1',
      linkWorkerId: world.users.lwA1.id,
      linkWorkerOrganisationId: world.orgs.pcnA1,
      startsOn: '2026-01-05',
    });
    return { studyId: study.id, caseId: kase.id };
  };
  const uploadText = async (studyId: string, fileName: string, text: string, participantId?: string) => {
    const query = `fileName=${fileName}${participantId ? `&participantId=${participantId}` : ''}`;
    const res = await send(lead, 'POST', `/research/studies/${studyId}/sources?${query}`, text, 'text/plain');
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number; text: string };
  };
  const deidentify = (source: { id: string; version: number }, redactions: object[] = []) =>
    ok(lead, 'POST', `/research/sources/${source.id}/redactions`, { redactions, version: source.version });
  const code = async (user: TestUser, sourceId: string, codeId: string, start: number, end: number) =>
    (
      await ok<{ items: { id: string }[] }>(user, 'POST', `/research/sources/${sourceId}/codings`, {
        codeIds: [codeId],
        start,
        end,
      })
    ).items[0]!.id;
  const memo = (user: TestUser, studyId: string, targetType: string, targetId: string | null, text: string) =>
    ok(user, 'POST', `/research/studies/${studyId}/memos`, { targetType, targetId, text });

  const buyIn = {
    name: 'Buy-in',
    definition: 'Practice staff believe in the role',
    whenToUse: 'Someone says they trust or refer',
    colour: '#005EB8',
  };
  /** The lead as a service sees them, for calling the service directly. */
  const leadActor = (): Actor => ({
    userId: lead.id,
    sessionId: 'test',
    actingOrganisationId: world.orgs.icbA,
    actingOrganisationType: 'icb',
    roles: ['researcher'],
    scopeOrganisationIds: [world.orgs.icbA, world.orgs.pcnA1, world.orgs.pcnA2, world.orgs.practiceA1a],
    requestId: 'test',
    ip: null,
    now: new Date(TODAY),
  });
  let first: { studyId: string; caseId: string };
  let second: { studyId: string; caseId: string };
  let firstExport: Uint8Array;

  beforeAll(async () => {
    world = await makeWorld(db().db);
    lead = world.users.researcherA;
    coderB = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Coder B' });
    researcherC = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Researcher C' });
    outsider = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Outsider' });
    await inTransaction(db().db, { system: true, now: new Date(TODAY) }, (tx) =>
      tx.insert(linkWorkerContexts).values({
        id: newId(),
        organisationId: world.orgs.pcnA1,
        linkWorkerId: world.users.lwA1.id,
        effectiveFrom: '2025-01-01',
        employmentModel: 'pcn_employed',
        baseSettings: ['gp_practice'],
        contractedHoursPerWeek: '37.5',
        supervision: 'lead_link_worker',
        clinicalSystemAccess: 'yes',
        practiceMeetings: 'regular',
        deliveryMode: 'in_person',
        recordedBy: world.users.leadA1.id,
        recordedAt: new Date(TODAY),
      }),
    );
    t = await makeTestApp(db(), new ManualClock(TODAY));

    first = await makeStudy(studyTitle);
    const { studyId, caseId } = first;
    const patient = await ok(lead, 'POST', `/research/studies/${studyId}/participants`, {
      caseId,
      role: 'patient',
      contact: { name: 'Margaret Hughes' },
    });
    const leaving = await ok(lead, 'POST', `/research/studies/${studyId}/participants`, {
      caseId,
      role: 'patient',
      contact: { name: 'Wendy Withdrawn' },
    });
    const interview = await uploadText(studyId, 'interview-1.txt', interviewText, patient.id);
    const ready = await deidentify(interview, [
      { start: 49, end: 64, replacement: '[name]' },
      { start: 73, end: 81, replacement: '[GP]' },
    ]);
    expect((ready as unknown as { text: string }).text).toBe(deidentifiedInterview);
    const notes = await uploadText(studyId, 'field-notes.txt', fieldNotesText);
    await deidentify(notes);
    await uploadText(studyId, 'draft.txt', 'Interviewer: not checked yet');
    const theirs = await uploadText(
      studyId,
      'withdrawn-interview.txt',
      'Participant: I would rather not say.',
      leaving.id,
    );
    await deidentify(theirs);

    const buyInId = (await ok(lead, 'POST', `/research/studies/${studyId}/codes`, buyIn)).id;
    const gpBuyIn = (
      await ok(lead, 'POST', `/research/studies/${studyId}/codes`, {
        name: 'GP buy-in',
        parentId: buyInId,
        colour: '#330072',
      })
    ).id;
    const connections = (
      await ok(lead, 'POST', `/research/studies/${studyId}/codes`, { name: 'Connections', colour: '#007F3B' })
    ).id;
    await code(lead, interview.id, buyInId, 62, 77);
    await code(lead, interview.id, gpBuyIn, 64, 68);
    const coderBuyIn = await code(coderB, interview.id, buyInId, 91, 107);
    await code(coderB, interview.id, connections, 62, 68);
    await code(lead, notes.id, connections, 0, 26);
    await code(lead, theirs.id, buyInId, 0, 11);

    await memo(lead, studyId, 'study', null, 'Buy-in looks like the key mechanism.');
    await memo(lead, studyId, 'case', caseId, 'The link worker is new in post.');
    await memo(coderB, studyId, 'source', interview.id, 'Long pauses before answering.');
    await memo(lead, studyId, 'code', connections, 'Includes links with VCSE organisations.');
    await memo(coderB, studyId, 'coding', coderBuyIn, 'Trust comes first here.');
    await memo(lead, studyId, 'source', theirs.id, 'Asked to stop the interview.');
    // Withdrawn, with their data to be removed: nothing of theirs may leave.
    await ok(lead, 'POST', `/research/participants/${leaving.id}/withdrawal`, {
      withdrawnOn: '2026-03-02',
      choice: 'remove_data',
      version: 1,
    });
  });
  afterAll(() => t?.close());

  it('exports a valid REFI-QDA project with every coder’s work and nothing that identifies anyone', async () => {
    const res = await send(lead, 'GET', `/research/studies/${first.studyId}/export.qdpx`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    // "REFI-QDA round trip: study": every run of other characters becomes one dash, lower-cased.
    expect(res.headers['content-disposition']).toBe('attachment; filename="refi-qda-round-trip-study.qdpx"');
    firstExport = new Uint8Array(res.rawPayload);

    const files = unzipSync(firstExport);
    const qde = strFromU8(files['project.qde']!);
    expect(await projectXsdErrors(qde)).toEqual([]);
    const everything = Object.values(files)
      .map((bytes) => strFromU8(bytes))
      .join('\n');
    for (const word of [
      'Margaret',
      'Hughes',
      'Patel',
      'Wendy',
      'rather not say',
      'Asked to stop',
      'not checked',
    ]) {
      expect(everything).not.toContain(word);
    }

    const project = readQdpx(firstExport);
    expect(project.warnings).toEqual([]);
    const view = comparable(project);
    expect(view.users).toEqual(['Coder B', 'Researcher A', 'Researcher C']);
    expect(view.codes).toEqual([
      {
        path: 'Buy-in',
        color: '#005EB8',
        description: 'Practice staff believe in the role\n\nWhen to use: Someone says they trust or refer',
        isCodable: true,
        notes: [],
      },
      { path: 'Buy-in/GP buy-in', color: '#330072', description: undefined, isCodable: true, notes: [] },
      {
        path: 'Connections',
        color: '#007F3B',
        description: undefined,
        isCodable: true,
        notes: ['Researcher A: Includes links with VCSE organisations.'],
      },
    ]);
    expect(view.sources.map((s) => s.name)).toEqual(['field-notes', 'interview-1']);
    const [fieldNotes, interview] = view.sources;
    expect(interview).toMatchObject({
      text: deidentifiedInterview,
      creator: 'Researcher A',
      notes: ['Coder B: Long pauses before answering.'],
    });
    expect(interview!.values).toEqual({ Participant: 'C1-PT-01', 'Participant role': 'patient' });
    expect(interview!.codings).toEqual([
      { code: 'Buy-in', start: 62, end: 77, coder: 'Researcher A', notes: [] },
      { code: 'Buy-in', start: 91, end: 107, coder: 'Coder B', notes: ['Coder B: Trust comes first here.'] },
      { code: 'Buy-in/GP buy-in', start: 64, end: 68, coder: 'Researcher A', notes: [] },
      { code: 'Connections', start: 62, end: 68, coder: 'Coder B', notes: [] },
    ]);
    // The positions count code points: the same spans sliced from the text's code points.
    expect(codePoints(interview!.text, 62, 77)).toBe('😀 [GP] sent me.');
    expect(codePoints(interview!.text, 64, 68)).toBe('[GP]');
    expect(codePoints(interview!.text, 91, 107)).toBe('It helped a lot.');
    expect(fieldNotes!.codings).toEqual([
      { code: 'Connections', start: 0, end: 26, coder: 'Researcher A', notes: [] },
    ]);
    expect(view.cases).toEqual([
      {
        name: 'C1',
        description: undefined,
        values: {
          Site: 'Northshire',
          'Case starts': '2026-01-05',
          'Case ends': '2026-04-04',
          'Employment model at case start': 'pcn_employed',
          'Delivery mode at case start': 'in_person',
          'Participant roles': 'patient',
        },
        sources: ['interview-1'],
      },
    ]);
    expect(view.studyNotes).toEqual(['Researcher A: Buy-in looks like the key mechanism.']);
    expect(view.otherNotes).toEqual(['Case memo: C1 — Researcher A: The link worker is new in post.']);
    // Exporting again gives the same GUIDs (variables and selections included).
    const again = readQdpx(await exportOf(first.studyId));
    expect(again.variables).toEqual(project.variables);
    expect(again.sources).toEqual(project.sources);

    const [audit] = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ detail: Record<string, number> }>(
        await tx.execute(sql`select detail from audit_events where action = 'research.study.exported'
          and record_ids @> ${JSON.stringify([first.studyId])}::jsonb order by occurred_at limit 1`),
      ),
    );
    expect(audit?.detail).toMatchObject({ sources: 2, codes: 3, codings: 5, memos: 5, cases: 1, users: 3 });
  });

  it('imports the export into another study, and that study exports the same project', async () => {
    second = await makeStudy('Second study');
    await ok(lead, 'POST', `/research/studies/${second.studyId}/participants`, {
      caseId: second.caseId,
      role: 'patient',
    });
    // Already in the codebook: matched, not created again.
    await ok(lead, 'POST', `/research/studies/${second.studyId}/codes`, buyIn);

    const res = await send(lead, 'POST', `/research/studies/${second.studyId}/import.qdpx`, firstExport);
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({
      codesCreated: 2,
      codesMatched: 1,
      sources: 2,
      codings: 5,
      memos: 5,
      casesMatched: 1,
    });
    expect(summary.warnings).toEqual([
      '2 sources were taken as already de-identified: check them before sharing any quotes.',
    ]);
    const secondExport = await exportOf(second.studyId);
    expect(await projectXsdErrors(strFromU8(unzipSync(secondExport)['project.qde']!))).toEqual([]);
    const before = comparable(readQdpx(firstExport));
    const after = comparable(readQdpx(secondExport));
    expect(after).toEqual(before);
    // Not an empty comparison.
    expect(after.sources.flatMap((s) => s.codings)).toHaveLength(5);
    const stored = await codingsOf(second.studyId, 'interview-1');
    expect(stored.map((c) => [c.code, c.start_offset, c.end_offset, c.coder_id === coderB.id])).toEqual([
      ['Connections', 62, 68, true],
      ['Buy-in', 62, 77, false],
      ['GP buy-in', 64, 68, false],
      ['Buy-in', 91, 107, true],
    ]);
  });

  it('refuses a malformed project, naming the problem, and writes nothing', async () => {
    const before = await counts(second.studyId);
    let res = await send(lead, 'POST', `/research/studies/${second.studyId}/import.qdpx`, 'not a zip at all');
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/not a zip archive/);
    // Line 5 of project.qde: a selection that runs past its 11-character text, under a code that is not yet here.
    const bad = qdpx({
      'project.qde': [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<Project xmlns="${NS}" name="Broken">`,
        `<CodeBook><Codes><Code guid="${guid(1)}" name="Brand new code" isCodable="true"/></Codes></CodeBook>`,
        `<Sources><TextSource guid="${guid(2)}" name="Short"><PlainTextContent>Short text.</PlainTextContent>`,
        `<PlainTextSelection guid="${guid(3)}" startPosition="0" endPosition="50"><Coding guid="${guid(4)}"><CodeRef targetGUID="${guid(1)}"/></Coding></PlainTextSelection>`,
        '</TextSource></Sources>',
        '</Project>',
      ].join('\n'),
    });
    res = await send(lead, 'POST', `/research/studies/${second.studyId}/import.qdpx`, bad, 'application/zip');
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(
      /PlainTextSelection .*line 5.* endPosition 50, past the end of the text/,
    );
    res = await send(lead, 'POST', `/research/studies/${second.studyId}/import.qdpx`, undefined);
    expect(res.statusCode).toBe(422);
    expect(await counts(second.studyId)).toEqual(before);
  });

  it('refuses work by someone not on the team, naming them, unless the lead takes it on', async () => {
    // "She had not left the house for weeks." is 37 code points; "not left the house for weeks." is [8, 37).
    const text = 'She had not left the house for weeks.';
    const project: QdaProject = {
      ...emptyProject('From another tool'),
      users: [
        { guid: guid(1), name: 'Researcher A' },
        { guid: guid(2), name: 'Dr Someone Else' },
      ],
      codebook: {
        codes: [{ guid: guid(10), name: 'Isolation', isCodable: true, noteRefs: [], children: [] }],
      },
      sources: [
        {
          guid: guid(20),
          name: 'Visitor notes',
          text,
          selections: [
            {
              guid: guid(21),
              startPosition: 0,
              endPosition: 37,
              creatingUser: guid(2),
              codings: [{ guid: guid(22), codeRef: guid(10), creatingUser: guid(2), noteRefs: [] }],
              noteRefs: [],
            },
            {
              guid: guid(23),
              startPosition: 8,
              endPosition: 37,
              codings: [{ guid: guid(24), codeRef: guid(10), creatingUser: guid(1), noteRefs: [] }],
              noteRefs: [],
            },
          ],
          codings: [],
          variableValues: [],
          noteRefs: [],
        },
      ],
    };
    const bytes = writeQdpx(project);
    const before = await counts(second.studyId);
    let res = await send(lead, 'POST', `/research/studies/${second.studyId}/import.qdpx`, bytes);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('not on this study’s team: “Dr Someone Else”');
    expect(res.json().errors).toEqual([
      { field: 'users', message: '“Dr Someone Else” is not on the study’s team.' },
    ]);
    expect(await counts(second.studyId)).toEqual(before);

    res = await send(
      lead,
      'POST',
      `/research/studies/${second.studyId}/import.qdpx?attributeUnknownTo=me`,
      bytes,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ codesCreated: 1, sources: 1, codings: 1 });
    expect(res.json().warnings).toEqual(
      expect.arrayContaining([
        'Coding and memos by “Dr Someone Else” are attributed to you.',
        '1 coding overlapping another of the same code by the same coder was joined to it.',
      ]),
    );
    // Both are the lead's now, and overlap: one span [0, 37), as the lead could have coded it.
    const stored = await codingsOf(second.studyId, 'Visitor notes');
    expect(stored.map((c) => [c.coder_id === lead.id, c.start_offset, c.end_offset])).toEqual([
      [true, 0, 37],
    ]);
  });

  it('lets only leads export and import; other teams are told the study does not exist', async () => {
    const url = `/research/studies/${first.studyId}`;
    expect((await send(coderB, 'GET', `${url}/export.qdpx`)).statusCode).toBe(403);
    expect((await send(researcherC, 'GET', `${url}/export.qdpx`)).statusCode).toBe(403);
    expect((await send(researcherC, 'POST', `${url}/import.qdpx`, firstExport)).statusCode).toBe(403);
    expect((await send(outsider, 'GET', `${url}/export.qdpx`)).statusCode).toBe(404);
    expect((await send(outsider, 'POST', `${url}/import.qdpx`, firstExport)).statusCode).toBe(404);
    expect((await send(world.users.commissionerA, 'GET', `${url}/export.qdpx`)).statusCode).toBe(403);
  });

  it('moves selections with CR LF line endings onto the LF text, leaving out one of no text', async () => {
    /*
     * As given: "Hi there" [0, 8), CR 8, LF 9, "P1: 😀 fine" [10, 20), lone CR 20, "End" [21, 24).
     * The CR of the CR LF goes (everything after moves back one); the lone CR becomes an LF (nothing moves):
     * "Hi there" [0, 8), LF 8, "P1: 😀 fine" [9, 19), LF 19, "End" [20, 23).
     * Selections: [10, 20) → [9, 19); [8, 10) "CR LF" → [8, 9) "LF"; [8, 9) "CR" → [8, 8), of no text, left out;
     * [21, 24) → [20, 23).
     */
    const text = 'Hi there\r\nP1: 😀 fine\rEnd';
    const selection = (n: number, startPosition: number, endPosition: number) => ({
      guid: guid(100 + n),
      startPosition,
      endPosition,
      codings: [{ guid: guid(200 + n), codeRef: guid(30), noteRefs: [] }],
      noteRefs: [],
    });
    const project: QdaProject = {
      ...emptyProject('Windows lines'),
      codebook: {
        codes: [{ guid: guid(30), name: 'Line test', isCodable: true, noteRefs: [], children: [] }],
      },
      sources: [
        {
          guid: guid(31),
          name: 'Windows notes',
          text,
          selections: [selection(1, 10, 20), selection(2, 8, 10), selection(3, 8, 9), selection(4, 21, 24)],
          codings: [],
          variableValues: [],
          noteRefs: [],
        },
      ],
    };
    const actor = leadActor();
    const summary = await inTransaction(db().db, actor, (tx) =>
      importStudyQdpx(tx, actor, second.studyId, writeQdpx(project)),
    );
    expect(summary).toMatchObject({ sources: 1, codings: 3, codesCreated: 1 });
    expect(summary.warnings).toEqual(
      expect.arrayContaining([
        'Source “Windows notes” had Windows or old Mac line endings (CR): they are LF now, and its selections moved with them.',
        '1 selection of no text (start and end at the same place) was left out.',
      ]),
    );
    const stored = await codingsOf(second.studyId, 'Windows notes');
    expect(stored[0]?.text).toBe('Hi there\nP1: 😀 fine\nEnd');
    expect(stored.map((c) => [c.start_offset, c.end_offset])).toEqual([
      [8, 9],
      [9, 19],
      [20, 23],
    ]);
    expect(codePoints(stored[0]!.text, 9, 19)).toBe('P1: 😀 fine');
    expect(codePoints(stored[0]!.text, 20, 23)).toBe('End');
  });

  it('imports another tool’s project: notes where they belong, unknown cases and sets reported', async () => {
    /*
     * makeQdaProject (worked in refi-qda/make-qda-project.ts): its two users are not on the team, so their work is
     * the lead's. "Buy-in" is already in this study (matched); its three descendants and "Connections & <trust>"
     * are new. Source A's codings of "Buy-in from patients", [7, 19) and [5, 12), are then the lead's twice over
     * and overlap: one [5, 19). Source B's coding of the whole source covers [0, 73): its two lines are 36 code
     * points each, with an LF between. 7 codings, 1 joined: 6.
     * Note 60 is referred to by the code "Buy-in", source A and the project (and a set): 3 memos, its name its
     * first line. Note 61 is empty: left out. Neither case is in this study.
     */
    const summary = await inTransaction(db().db, leadActor(), (tx) =>
      importStudyQdpx(tx, leadActor(), second.studyId, writeQdpx(makeQdaProject()), {
        attributeUnknownTo: 'me',
      }),
    );
    expect(summary).toEqual({
      codesCreated: 4,
      codesMatched: 1,
      sources: 2,
      codings: 6,
      memos: 3,
      casesMatched: 0,
      warnings: [
        'Coding and memos by “Researcher One”, “Researcher Two” are attributed to you.',
        `Cases not in this study were left out: “Case 3 — link worker at site 3”, ${guid(31)}. Add a case with the same label and import again to link their sources.`,
        '1 coding overlapping another of the same code by the same coder was joined to it.',
        '1 empty note was left out.',
        '1 set was not imported: Linkwork has no sets.',
        'Variables Linkwork does not keep were not imported: “Caseload”, “Remote delivery”, “Hours a week”, “Started”, “Interviewed at”. Cases and sources keep their details in Linkwork.',
        '2 sources were taken as already de-identified: check them before sharing any quotes.',
      ],
    });
    const a = await codingsOf(second.studyId, 'Interview C3-PT-01 (patient)');
    expect(a.map((c) => [c.code, c.start_offset, c.end_offset, c.coder_id === lead.id])).toEqual([
      ['Buy-in from patients', 5, 19, true],
      ['Connections & <trust>', 7, 19, true],
      ['GP refers "the right people"', 20, 36, true],
    ]);
    const b = await codingsOf(second.studyId, 'Interview C3-LW-01 (link worker)');
    expect(b.map((c) => [c.code, c.start_offset, c.end_offset])).toEqual([
      ['Connections & <trust>', 0, 73],
      ['Buy-in from practice staff', 13, 19],
      ['Buy-in from practice staff', 53, 59],
    ]);
    const memos = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ target_type: string; text: string }>(
        await tx.execute(sql`select target_type, text from research_memos
          where study_id = ${second.studyId} and text like 'Memo: buy-in%' order by target_type`),
      ),
    );
    expect(memos.map((m) => m.target_type)).toEqual(['code', 'source', 'study']);
    expect(memos[0]!.text).toBe(
      'Memo: buy-in\n\nBuy-in seems to hinge on the GP.\r\nCheck at site 4 — 🙂\tlater.',
    );
  });

  it('reads positions counted in UTF-16 units when told to', async () => {
    // "A 😀 b": code points A0 ␠1 😀2 ␠3 b4 (5); UTF-16 units A0 ␠1 😀2–3 ␠4 b5 (6). The file counts units.
    const file = qdpx({
      'project.qde': [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<Project xmlns="${NS}" name="Counts UTF-16">`,
        `<CodeBook><Codes><Code guid="${guid(40)}" name="Emoji" isCodable="true"/></Codes></CodeBook>`,
        `<Sources><TextSource guid="${guid(41)}" name="Emoji notes"><PlainTextContent>A 😀 b</PlainTextContent>`,
        `<PlainTextSelection guid="${guid(42)}" startPosition="2" endPosition="4"><Coding guid="${guid(43)}"><CodeRef targetGUID="${guid(40)}"/></Coding></PlainTextSelection>`,
        `<PlainTextSelection guid="${guid(44)}" startPosition="5" endPosition="6"><Coding guid="${guid(45)}"><CodeRef targetGUID="${guid(40)}"/></Coding></PlainTextSelection>`,
        '</TextSource></Sources>',
        '</Project>',
      ].join('\n'),
    });
    const url = `/research/studies/${second.studyId}/import.qdpx`;
    let res = await send(lead, 'POST', url, file);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/UTF-16/);
    res = await send(lead, 'POST', `${url}?positionsUnit=utf16`, file);
    expect(res.statusCode, res.body).toBe(200);
    const stored = await codingsOf(second.studyId, 'Emoji notes');
    expect(stored.map((c) => [c.start_offset, c.end_offset, c.coder_id === lead.id])).toEqual([
      [2, 3, true],
      [4, 5, true],
    ]);
    res = await send(lead, 'POST', `${url}?positionsUnit=bytes`, file);
    expect(res.statusCode).toBe(400);
  });
});

it('keeps a code’s definition, when to use it and when not, apart through one description', () => {
  expect(
    parseCodeDescription('Trust in the GP\n\nWhen to use: they say so\n\nWhen not to use: hearsay'),
  ).toEqual({ definition: 'Trust in the GP', whenToUse: 'they say so', whenNotToUse: 'hearsay' });
  expect(parseCodeDescription('\n\nWhen not to use: hearsay')).toEqual({
    definition: null,
    whenToUse: null,
    whenNotToUse: 'hearsay',
  });
  // Another tool's description is all definition.
  expect(parseCodeDescription('Feeling alone')).toEqual({
    definition: 'Feeling alone',
    whenToUse: null,
    whenNotToUse: null,
  });
  expect(parseCodeDescription(undefined)).toEqual({ definition: null, whenToUse: null, whenNotToUse: null });
});

it('maps positions across CR LF by counting the CRs removed before them', () => {
  // "a\r\nb\r\nc": a0 CR1 LF2 b3 CR4 LF5 c6 → "a\nb\nc": a0 LF1 b2 LF3 c4.
  const { text, toNew } = withLfLineEndings('a\r\nb\r\nc');
  expect(text).toBe('a\nb\nc');
  expect([0, 1, 2, 3, 4, 5, 6, 7].map(toNew)).toEqual([0, 1, 1, 2, 3, 3, 4, 5]);
  expect(withLfLineEndings('no returns').changed).toBe(false);
});

it('names the download after the study in letters, digits and dashes', () => {
  expect(qdpxFileName('Link workers: “what works”, 2026/27')).toBe('link-workers-what-works-2026-27.qdpx');
  expect(qdpxFileName('😀')).toBe('study.qdpx');
});
