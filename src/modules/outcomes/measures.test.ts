import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';

describeEachDatabase('recording outcome measures on an episode', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  let referralId: string;
  let personId: string;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
    const referral = (
      await send('referrerA1a', 'POST', '/api/referrals', {
        person: {
          givenName: 'Measure',
          familyName: 'Person',
          dateOfBirth: '1955-02-02',
          sex: 'female',
          nhsNumber: null,
        },
        reasons: ['loneliness'],
        consentToReferral: true,
      })
    ).json();
    referralId = referral.id;
    personId = referral.personId;
    await send('leadA1', 'POST', `/api/referrals/${referralId}/triage`, {
      decision: 'accept',
      version: referral.version,
      linkWorkerId: world.users.lwA1.id,
    });
  });
  afterAll(() => t.close());

  const today = () => t.clock.now().toISOString().slice(0, 10);
  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);
  const measure = (
    instrumentCode: string,
    answers: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => ({
    instrumentCode,
    timepoint: 'baseline',
    completedOn: today(),
    completedBy: 'with_link_worker',
    mode: 'in_person',
    answers,
    submissionId: crypto.randomUUID(),
    ...extra,
  });

  it('records a baseline ONS4 and UCLA-3 in person, scored, on the episode and the timeline', async () => {
    const ons4 = await send(
      'lwA1',
      'POST',
      `/api/referrals/${referralId}/measures`,
      measure('ons4', { life_satisfaction: 4, worthwhile: 6, happiness: 5, anxiety: 7 }),
    );
    expect(ons4.statusCode, ons4.body).toBe(201);
    expect(ons4.json()).toMatchObject({
      status: 'complete',
      timepoint: 'baseline',
      scores: [
        { code: 'life_satisfaction', value: 4, band: 'Low' },
        { code: 'worthwhile', value: 6, band: 'Medium' },
        { code: 'happiness', value: 5, band: 'Medium' },
        { code: 'anxiety', value: 7, band: 'High' },
      ],
    });
    const ucla = await send(
      'lwA1',
      'POST',
      `/api/referrals/${referralId}/measures`,
      measure('ucla3', { lack_companionship: 3, left_out: 2, isolated: 3 }),
    );
    expect(ucla.json().scores).toEqual([{ code: 'ucla3_total', value: 8, band: null }]);
    const list = (await send('lwA1', 'GET', `/api/referrals/${referralId}/measures`)).json().items;
    expect(list.map((m: { instrumentCode: string }) => m.instrumentCode).sort()).toEqual(['ons4', 'ucla3']);
    const person = (await send('lwA1', 'GET', `/api/people/${personId}`)).json();
    expect(
      person.timeline
        .filter((i: { kind: string }) => i.kind === 'measure')
        .map((i: { title: string }) => i.title)
        .sort(),
    ).toEqual([
      'Outcome measure: ONS personal well-being (ONS4) (baseline)',
      'Outcome measure: UCLA 3-item loneliness scale (baseline)',
    ]);
  });

  it('names the item of an out-of-range answer, and keeps a partial response partial', async () => {
    const bad = await send(
      'lwA1',
      'POST',
      `/api/referrals/${referralId}/measures`,
      measure('ons4', { life_satisfaction: 11, anxiety: -1 }),
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'answers.life_satisfaction',
      'answers.anxiety',
    ]);
    const partial = await send(
      'lwA1',
      'POST',
      `/api/referrals/${referralId}/measures`,
      measure('ucla3', { lack_companionship: 2 }, { timepoint: 'other' }),
    );
    expect(partial.statusCode).toBe(201);
    expect(partial.json()).toMatchObject({ status: 'partial', scores: [] });
  });

  it('records a double submission once, refuses SWEMWBS without a licence, and another PCN’s episode is not found', async () => {
    const body = measure('ons_loneliness', { how_often_lonely: 5 });
    const first = await send('lwA1', 'POST', `/api/referrals/${referralId}/measures`, body);
    const again = await send('lwA1', 'POST', `/api/referrals/${referralId}/measures`, body);
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json().id).toBe(first.json().id);
    const swemwbs = await send(
      'lwA1',
      'POST',
      `/api/referrals/${referralId}/measures`,
      measure('swemwbs', {}),
    );
    expect(swemwbs.statusCode).toBe(422);
    expect(swemwbs.json().errors[0]).toEqual({
      field: 'instrumentCode',
      message: expect.stringContaining('once your organisation has recorded its licence'),
    });
    expect((await send('lwB1', 'GET', `/api/referrals/${referralId}/measures`)).statusCode).toBe(404);
    expect(
      (await send('lwB1', 'POST', `/api/referrals/${referralId}/measures`, measure('ons4', { anxiety: 1 })))
        .statusCode,
    ).toBe(404);
  });

  it('amends a measure as a new version and keeps the original', async () => {
    const made = (
      await send(
        'lwA1',
        'POST',
        `/api/referrals/${referralId}/measures`,
        measure('ucla3', { lack_companionship: 1, left_out: 1, isolated: 1 }, { timepoint: 'discharge' }),
      )
    ).json();
    const amended = await send('lwA1', 'POST', `/api/measures/${made.id}/amend`, {
      answers: { lack_companionship: 1, left_out: 2, isolated: 1 },
      reason: 'Typed the second answer wrongly',
    });
    expect(amended.statusCode, amended.body).toBe(201);
    expect(amended.json()).toMatchObject({ amends: made.id, scores: [{ code: 'ucla3_total', value: 4 }] });
    const again = await send('lwA1', 'POST', `/api/measures/${made.id}/amend`, {
      answers: { lack_companionship: 1, left_out: 1, isolated: 1 },
      reason: 'x',
    });
    expect(again.statusCode).toBe(409);
    const current = (await send('lwA1', 'GET', `/api/referrals/${referralId}/measures`)).json().items;
    const discharge = current.filter((m: { timepoint: string }) => m.timepoint === 'discharge');
    expect(discharge.map((m: { id: string }) => m.id)).toEqual([amended.json().id]);
  });
});
