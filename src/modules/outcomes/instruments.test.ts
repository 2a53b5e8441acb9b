import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { ONS4 } from './instruments.ts';

/** A made-up table for tests only: the real SWEMWBS table comes with an organisation's licence. */
const table = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ raw: from + i, converted: (from + i) * 10 }));

describeEachDatabase('outcome instruments', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
  });
  afterAll(() => t.close());

  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);
  const list = async (who: keyof World['users']) =>
    (await send(who, 'GET', '/api/outcomes/instruments')).json().items as {
      code: string;
      enabled: boolean;
      owner: string;
      licenceNotice: string | null;
    }[];

  it('ships ONS4, UCLA-3, the direct loneliness question and SWEMWBS, which waits for a licence', async () => {
    const items = await list('lwA1');
    expect(items.map((i) => [i.code, i.enabled, i.owner])).toEqual([
      ['ons_loneliness', true, 'shipped'],
      ['ons4', true, 'shipped'],
      ['swemwbs', false, 'shipped'],
      ['ucla3', true, 'shipped'],
    ]);
    expect(items.find((i) => i.code === 'swemwbs')!.licenceNotice).toContain('© University of Warwick');
  });

  it('an ICB’s SWEMWBS licence, with a complete conversion table, enables it for the PCNs below', async () => {
    const incomplete = await send('icbAdminA', 'PUT', '/api/outcomes/licences/swemwbs', {
      licenceReference: 'WEMWBS-2026-0001',
      conversions: { swemwbs_metric: table(7, 30) },
    });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().errors).toEqual([
      {
        field: 'conversions.swemwbs_metric',
        message: 'The table needs a row for every raw score from 7 to 35: 31, 32, 33, 34, 35 missing',
      },
    ]);
    expect(
      (await send('icbAdminA', 'PUT', '/api/outcomes/licences/swemwbs', { licenceReference: 'X' })).json()
        .errors[0].field,
    ).toBe('conversions.swemwbs_metric');
    expect(
      (await send('lwA1', 'PUT', '/api/outcomes/licences/swemwbs', { licenceReference: 'X' })).statusCode,
    ).toBe(403);
    const ok = await send('icbAdminA', 'PUT', '/api/outcomes/licences/swemwbs', {
      licenceReference: 'WEMWBS-2026-0001',
      conversions: { swemwbs_metric: table(7, 35) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await list('lwA1')).find((i) => i.code === 'swemwbs')!.enabled).toBe(true);
    // Another ICB's PCN is not covered.
    expect((await list('lwB1')).find((i) => i.code === 'swemwbs')!.enabled).toBe(false);
    expect(
      (await send('icbAdminA', 'PUT', '/api/outcomes/licences/ons4', { licenceReference: 'X' })).statusCode,
    ).toBe(409);
  });

  it('administrators add their own instruments in the same format, with every problem named', async () => {
    const goal = {
      code: 'goal_rating',
      version: '1',
      title: 'How close am I to my goal?',
      items: [{ linkId: 'goal', text: 'How close are you to your goal?', options: ONS4.items[0]!.options }],
      scores: [{ code: 'goal', label: 'Goal rating', kind: 'item', items: ['goal'], higherIsBetter: true }],
    };
    const made = await send('pcnAdminA1', 'POST', '/api/outcomes/instruments', goal);
    expect(made.statusCode, made.body).toBe(201);
    expect((await list('lwA1')).map((i) => i.code)).toContain('goal_rating');
    expect((await list('lwB1')).map((i) => i.code)).not.toContain('goal_rating');
    expect((await send('pcnAdminA1', 'POST', '/api/outcomes/instruments', goal)).statusCode).toBe(409);
    const clash = await send('pcnAdminA1', 'POST', '/api/outcomes/instruments', { ...goal, code: 'ons4' });
    expect(clash.statusCode).toBe(422);
    expect(clash.json().errors[0].field).toBe('code');
    const bad = await send('pcnAdminA1', 'POST', '/api/outcomes/instruments', {
      ...goal,
      version: '2',
      scores: [{ code: 'goal', label: 'Goal', kind: 'sum', items: ['nope'], higherIsBetter: true }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ field: 'scores.0.items.0', message: 'There is no item nope' }]);
    expect((await send('lwA1', 'POST', '/api/outcomes/instruments', goal)).statusCode).toBe(403);
  });

  it('exports an instrument as a FHIR R4 Questionnaire', async () => {
    const res = await send('lwA1', 'GET', '/api/outcomes/instruments/ucla3/questionnaire');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    expect(res.json()).toMatchObject({
      resourceType: 'Questionnaire',
      url: 'http://localhost:3000/fhir/Questionnaire/ucla3',
      status: 'active',
    });
    expect((await send('lwA1', 'GET', '/api/outcomes/instruments/nothing/questionnaire')).statusCode).toBe(
      404,
    );
  });
});
