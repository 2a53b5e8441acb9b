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
import { codebookXsdErrors } from './refi-qda/validate-xsd.ts';

describeEachDatabase('the research workspace: codebook out and in as REFI-QDA .qdc and CSV', (db) => {
  let t: TestApp;
  let world: World;
  let lead: TestUser;
  let coder: TestUser;
  const { as, req } = signedInUsers(() => t);
  const send = async (user: TestUser, url: string, body: Buffer | string, type: string) => {
    const s = await as(user);
    return t.app.inject({
      method: 'POST',
      url: `/api${url}`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': type },
      payload: typeof body === 'string' ? Buffer.from(body) : body,
    });
  };
  const newStudy = async (title: string) =>
    (
      await req(lead, 'POST', '/research/studies', {
        title,
        question: 'What works?',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        audioRetentionMonths: 6,
      })
    ).json().id as string;
  const names = async (studyId: string) =>
    (await req(lead, 'GET', `/research/studies/${studyId}/codes`))
      .json()
      .items.map((c: { name: string }) => c.name);
  let first: string;

  beforeAll(async () => {
    world = await makeWorld(db().db);
    lead = world.users.researcherA;
    coder = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']] });
    t = await makeTestApp(db(), new ManualClock('2026-03-02T10:00:00Z'));
    first = await newStudy('First');
    await req(lead, 'PUT', `/research/studies/${first}/members`, { userId: coder.id, role: 'coder' });
    const buyIn = (
      await req(lead, 'POST', `/research/studies/${first}/codes`, {
        name: 'Buy-in',
        definition: 'Staff and patients back the service',
        whenToUse: 'Someone says why they trust it',
        colour: '#005EB8',
      })
    ).json().id;
    await req(lead, 'POST', `/research/studies/${first}/codes`, { name: 'GP buy-in', parentId: buyIn });
    await req(lead, 'POST', `/research/studies/${first}/codes`, {
      name: '=Connections, "local"',
      colour: '#007F3B',
    });
  });
  afterAll(() => t?.close());

  it('exports a .qdc that the REFI-QDA schema accepts, and imports it into another study with the hierarchy', async () => {
    const res = await req(coder, 'GET', `/research/studies/${first}/codebook.qdc`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('urn:QDA-XML:codebook:1.0');
    expect(await codebookXsdErrors(res.body)).toEqual([]);
    const second = await newStudy('Second');
    const imported = await send(
      lead,
      `/research/studies/${second}/codebook?format=qdc`,
      res.rawPayload,
      'application/xml',
    );
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ created: 3, matched: 0 });
    const codes = (await req(lead, 'GET', `/research/studies/${second}/codes`)).json().items;
    const gp = codes.find((c: { name: string }) => c.name === 'GP buy-in');
    const parent = codes.find((c: { name: string }) => c.name === 'Buy-in');
    expect(gp.parentId).toBe(parent.id);
    expect(parent).toMatchObject({
      definition: 'Staff and patients back the service',
      whenToUse: 'Someone says why they trust it',
      colour: '#005EB8',
    });
    // Again: everything matches, nothing is added.
    const again = await send(
      lead,
      `/research/studies/${second}/codebook?format=qdc`,
      res.rawPayload,
      'application/xml',
    );
    expect(again.json()).toEqual({ created: 0, matched: 3 });
  });

  it('exports CSV with each code’s path, safe for spreadsheets, and imports it back', async () => {
    const res = await req(lead, 'GET', `/research/studies/${first}/codebook.csv`);
    expect(res.body).toBe(
      '\uFEFFPath,Name,Definition,When to use,When not to use,Colour\r\n' +
        `"'=Connections, ""local""","'=Connections, ""local""",,,,#007F3B\r\n` +
        'Buy-in,Buy-in,Staff and patients back the service,Someone says why they trust it,,#005EB8\r\n' +
        'Buy-in › GP buy-in,GP buy-in,,,,#1D70B8\r\n',
    );
    const third = await newStudy('Third');
    const imported = await send(lead, `/research/studies/${third}/codebook?format=csv`, res.body, 'text/csv');
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ created: 3, matched: 0 });
    expect(await names(third)).toEqual(['=Connections, "local"', 'Buy-in', 'GP buy-in']);
  });

  it('refuses a broken file, naming the problem, and adds nothing', async () => {
    const fourth = await newStudy('Fourth');
    let res = await send(
      lead,
      `/research/studies/${fourth}/codebook?format=csv`,
      'Path,Colour\r\nTrust,blue\r\nOther,#000000\r\n',
      'text/csv',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/Row 2: colour “blue”/);
    res = await send(
      lead,
      `/research/studies/${fourth}/codebook?format=qdc`,
      '<CodeBook><Codes>',
      'application/xml',
    );
    expect(res.statusCode).toBe(422);
    expect(await names(fourth)).toEqual([]);
    res = await send(coder, `/research/studies/${first}/codebook?format=csv`, 'Path\r\nMine\r\n', 'text/csv');
    expect(res.statusCode).toBe(403);
  });
});
