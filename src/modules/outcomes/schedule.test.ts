import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { DEFAULT_OUTCOME_SETTINGS, dueMeasures } from './schedule.ts';

describe('when measures are due', () => {
  const base = {
    acceptedOn: '2026-01-10',
    firstWhatMattersOn: null,
    discharge: null,
    settings: { ...DEFAULT_OUTCOME_SETTINGS, instrumentCodes: ['ucla3'] },
    done: new Set<string>(),
  };
  const statuses = (items: ReturnType<typeof dueMeasures>) =>
    items.map((i) => [i.timepoint, i.status, i.from, i.to]);

  it('baseline is due from acceptance until the first conversation, then overdue; done once complete', () => {
    expect(statuses(dueMeasures({ ...base, today: '2026-01-12' }))).toEqual([
      ['baseline', 'due', '2026-01-10', null],
    ]);
    expect(
      statuses(dueMeasures({ ...base, firstWhatMattersOn: '2026-01-20', today: '2026-01-20' }))[0]![1],
    ).toBe('due');
    expect(
      statuses(dueMeasures({ ...base, firstWhatMattersOn: '2026-01-20', today: '2026-01-21' }))[0]![1],
    ).toBe('overdue');
    expect(
      statuses(dueMeasures({ ...base, today: '2026-03-01', done: new Set(['baseline:ucla3']) }))[0]![1],
    ).toBe('done');
  });

  it('follow-ups only with consent, in windows of months after discharge (9–12 months by default)', () => {
    const withoutConsent = dueMeasures({
      ...base,
      today: '2026-06-01',
      discharge: { on: '2026-05-31', consentToFollowUp: false },
    });
    expect(withoutConsent.map((i) => i.timepoint)).toEqual(['baseline', 'discharge']);
    const withConsent = dueMeasures({
      ...base,
      today: '2027-03-01',
      done: new Set(['baseline:ucla3', 'discharge:ucla3']),
      discharge: { on: '2026-05-31', consentToFollowUp: true },
    });
    expect(statuses(withConsent)).toEqual([
      ['baseline', 'done', '2026-01-10', null],
      ['discharge', 'done', '2026-05-17', '2026-06-28'],
      // 31 May + 3 months is 31 August; + 4 months is 30 September (the month's last day).
      ['follow_up_short', 'overdue', '2026-08-31', '2026-09-30'],
      ['follow_up_long', 'due', '2027-02-28', '2027-05-31'],
    ]);
  });
});

describeEachDatabase('measures due on the caseload, the episode and the follow-up list', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
  });
  afterAll(() => t.close());

  const today = () => t.clock.now().toISOString().slice(0, 10);
  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);

  async function accepted(givenName: string, born: string) {
    const referral = (
      await send('referrerA1a', 'POST', '/api/referrals', {
        person: { givenName, familyName: 'Due', dateOfBirth: born, sex: 'male', nhsNumber: null },
        reasons: ['loneliness'],
        consentToReferral: true,
      })
    ).json();
    await send('leadA1', 'POST', `/api/referrals/${referral.id}/triage`, {
      decision: 'accept',
      version: referral.version,
      linkWorkerId: world.users.lwA1.id,
    });
    return referral as { id: string; personId: string };
  }
  const caseloadRow = async (id: string) =>
    (await send('lwA1', 'GET', '/api/caseload'))
      .json()
      .items.find((i: { referralId: string }) => i.referralId === id);

  it('baseline measures are due on the caseload, overdue after the first conversation, gone once recorded', async () => {
    const r = await accepted('Ada', '1950-01-01');
    expect(await caseloadRow(r.id)).toMatchObject({ baselineMeasuresDue: 2, baselineMeasuresOverdue: false });
    await send('lwA1', 'POST', `/api/referrals/${r.id}/first-contact`, {
      occurredAt: t.clock.now().toISOString(),
      mode: 'phone',
      personDecision: 'accepts',
    });
    const wm = await send('lwA1', 'POST', `/api/referrals/${r.id}/what-matters`, {
      baseVersion: null,
      heldOn: today(),
      needs: [{ domain: 'loneliness', priority: 'high', concern: 'On her own since the move' }],
      ownWords: 'I want to know people here.',
    });
    expect(wm.statusCode, wm.body).toBe(201);
    // The day of the conversation it is still due; the day after, overdue.
    expect(await caseloadRow(r.id)).toMatchObject({ baselineMeasuresDue: 2, baselineMeasuresOverdue: false });
    await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx.execute(
        sql`update what_matters_conversations set held_on = held_on - 1 where referral_id = ${r.id}`,
      ),
    );
    expect(await caseloadRow(r.id)).toMatchObject({ baselineMeasuresDue: 2, baselineMeasuresOverdue: true });
    await send('lwA1', 'POST', `/api/referrals/${r.id}/measures`, {
      instrumentCode: 'ucla3',
      timepoint: 'baseline',
      completedOn: today(),
      completedBy: 'with_link_worker',
      mode: 'phone',
      answers: { lack_companionship: 3, left_out: 3, isolated: 2 },
      submissionId: crypto.randomUUID(),
    });
    expect(await caseloadRow(r.id)).toMatchObject({ baselineMeasuresDue: 1 });
    const due = (await send('lwA1', 'GET', `/api/referrals/${r.id}/measures/due`)).json().items;
    expect(due.map((d: { instrumentCode: string; status: string }) => [d.instrumentCode, d.status])).toEqual([
      ['ons4', 'overdue'],
      ['ucla3', 'done'],
    ]);
  });

  it('a person who agreed at discharge appears on the follow-up list when the 9–12 month window opens', async () => {
    const r = await accepted('Bert', '1949-02-02');
    const episode = (await send('lwA1', 'GET', `/api/referrals/${r.id}/episode`)).json();
    const discharged = await send('lwA1', 'POST', `/api/referrals/${r.id}/discharge`, {
      version: episode.version,
      reason: 'goals_met',
      dischargedOn: today(),
      closingSummary: 'Goes to the lunch club every week now.',
      supportOffered: 'Lunch club introduction',
      outcome: 'Less lonely',
      consentToFollowUp: true,
    });
    expect(discharged.statusCode, discharged.body).toBe(200);
    expect((await send('lwA1', 'GET', '/api/outcomes/follow-ups')).json().items).toEqual([]);
    // Nine and a half months later (the discharge moved back; sessions stay valid).
    await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx.execute(sql`update discharges set discharged_on = discharged_on - 290 where referral_id = ${r.id}`),
    );
    const list = (await send('leadA1', 'GET', '/api/outcomes/follow-ups')).json().items;
    expect(list).toEqual([
      expect.objectContaining({
        referralId: r.id,
        personName: 'Bert Due',
        timepoint: 'follow_up_long',
        open: true,
        instrumentsOutstanding: ['ons4', 'ucla3'],
      }),
    ]);
    expect((await send('lwA1b', 'GET', '/api/outcomes/follow-ups')).json().items).toEqual([]);

    // On the link worker's list of measures due: the long-term window, open; the short-term one closed months
    // ago (missed) is no longer listed, nor the discharge measures.
    const dueFor = async () =>
      (
        (await send('lwA1', 'GET', '/api/outcomes/due')).json().items as {
          referralId: string;
          timepoint: string;
          status: string;
        }[]
      )
        .filter((i) => i.referralId === r.id)
        .map((i) => [i.timepoint, i.status]);
    expect(await dueFor()).toEqual([['follow_up_long', 'due']]);
    // Four months and ten days after discharge: the short-term window closed ten days ago, shown as overdue.
    await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx.execute(
        sql`update discharges set discharged_on = (current_date - interval '4 months' - interval '10 days')::date where referral_id = ${r.id}`,
      ),
    );
    expect(await dueFor()).toEqual([['follow_up_short', 'overdue']]);
  });

  it('leads choose the PCN’s instruments and windows; unknown or unlicensed instruments are named', async () => {
    const current = (await send('leadA1', 'GET', '/api/outcome-settings')).json();
    const bad = await send('leadA1', 'PUT', '/api/outcome-settings', {
      ...current,
      instrumentCodes: ['ons4', 'swemwbs', 'nope'],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'instrumentCodes.1',
      'instrumentCodes.2',
    ]);
    const ok = await send('leadA1', 'PUT', '/api/outcome-settings', {
      ...current,
      instrumentCodes: ['ons_loneliness'],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ instrumentCodes: ['ons_loneliness'], version: 1 });
    expect((await send('leadA1', 'PUT', '/api/outcome-settings', current)).statusCode).toBe(409);
    expect((await send('lwA1', 'PUT', '/api/outcome-settings', { ...current, version: 1 })).statusCode).toBe(
      403,
    );
  });
});
