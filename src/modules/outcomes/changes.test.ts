import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { ManualClock } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { discharges } from '../pathway/schema.ts';
import { refreshOutcomeChanges } from './changes.ts';
import { outcomeChanges } from './schema.ts';

/*
 * The change report's pair table follows every write to the measures, in the same transaction: recorded through the
 * API (storeMeasure), amended (amendMeasure), partial, a second baseline, a discharge; and rebuilding it by hand
 * changes nothing.
 */
describeEachDatabase('the change report’s pair table', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  let referralId: string;
  let personId: string;
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db(), clock);
    as = sessionsFor(t, world);
    const referral = (
      await send('referrerA1a', 'POST', '/api/referrals', {
        person: {
          givenName: 'Pair',
          familyName: 'Person',
          dateOfBirth: '1960-02-02',
          sex: 'male',
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

  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);
  const record = async (timepoint: string, completedOn: string, answers: Record<string, number>) => {
    const res = await send('lwA1', 'POST', `/api/referrals/${referralId}/measures`, {
      instrumentCode: 'ucla3',
      timepoint,
      completedOn,
      completedBy: 'with_link_worker',
      mode: 'in_person',
      answers,
      submissionId: crypto.randomUUID(),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const system = <T>(work: Parameters<typeof inTransaction<T>>[2]) =>
    inTransaction(db().db, { system: true, now: clock.now() }, work);
  const pairs = () =>
    system((tx) =>
      tx
        .select()
        .from(outcomeChanges)
        .where(eq(outcomeChanges.referralId, referralId))
        .orderBy(asc(outcomeChanges.baselineOn), asc(outcomeChanges.measure)),
    );
  const total = async () =>
    (await pairs())
      .filter((p) => p.measure === 'score:ucla3_total')
      .map((p) => ({
        baselineOn: p.baselineOn,
        nextBaselineOn: p.nextBaselineOn,
        before: p.baselineValue,
        dischargeOn: p.dischargeOn,
        after: p.dischargeValue,
      }));

  it('gets an episode row and a row per score and item for a recorded baseline', async () => {
    const baseline = await record('baseline', '2026-03-02', {
      lack_companionship: 3,
      left_out: 2,
      isolated: 3,
    });
    const rows = await pairs();
    expect(rows.map((r) => [r.measure, r.baselineValue])).toEqual([
      ['', null],
      ['item:isolated', 3],
      ['item:lack_companionship', 3],
      ['item:left_out', 2],
      ['score:ucla3_total', 8],
    ]);
    expect(rows[0]).toMatchObject({
      baselineId: baseline.id,
      organisationId: world.orgs.pcnA1,
      personId,
      instrumentCode: 'ucla3',
      baselineOn: '2026-03-02',
      nextBaselineOn: null,
      dischargeOn: null,
      dischargedOn: null,
    });
  });

  it('pairs the discharge measure, follows its amendment and ignores a later partial response', async () => {
    // Months on: a fresh sign-in.
    clock.set('2026-06-10T10:00:00Z');
    as = sessionsFor(t, world);
    const discharge = await record('discharge', '2026-06-01', {
      lack_companionship: 2,
      left_out: 2,
      isolated: 2,
    });
    expect(await total()).toEqual([
      { baselineOn: '2026-03-02', nextBaselineOn: null, before: 8, dischargeOn: '2026-06-01', after: 6 },
    ]);
    const amended = await send('lwA1', 'POST', `/api/measures/${discharge.id}/amend`, {
      answers: { lack_companionship: 1, left_out: 2, isolated: 2 },
      reason: 'Typed the first answer wrongly',
    });
    expect(amended.statusCode, amended.body).toBe(201);
    expect((await total())[0]).toMatchObject({ after: 5 });
    await record('discharge', '2026-06-02', { isolated: 1 });
    const rows = await pairs();
    expect(rows.find((r) => r.measure === 'score:ucla3_total')).toMatchObject({ dischargeValue: 5 });
    expect(rows.find((r) => r.measure === 'item:isolated')).toMatchObject({
      dischargeOn: '2026-06-01',
      dischargeValue: 2,
    });
  });

  it('keeps a second baseline beside the first, each saying when the next one came', async () => {
    await record('baseline', '2026-06-03', { lack_companionship: 3, left_out: 3, isolated: 3 });
    expect(await total()).toEqual([
      {
        baselineOn: '2026-03-02',
        nextBaselineOn: '2026-06-03',
        before: 8,
        dischargeOn: '2026-06-01',
        after: 5,
      },
      { baselineOn: '2026-06-03', nextBaselineOn: null, before: 9, dischargeOn: '2026-06-01', after: 5 },
    ]);
  });

  it('takes the discharge onto the episode rows when it is recorded', async () => {
    await system((tx) =>
      tx.insert(discharges).values({
        referralId,
        organisationId: world.orgs.pcnA1,
        personId,
        reason: 'goals_met',
        dischargedOn: '2026-06-03',
        closingSummary: 'x',
        supportOffered: 'x',
        outcome: 'x',
        consentToFollowUp: true,
        dischargedBy: world.users.leadA1.id,
        dischargedAt: clock.now(),
      }),
    );
    const episodeRows = (await pairs()).filter((r) => r.measure === '');
    expect(episodeRows.map((r) => [r.dischargedOn, r.consentToFollowUp])).toEqual([
      ['2026-06-03', true],
      ['2026-06-03', true],
    ]);
    expect((await pairs()).filter((r) => r.measure !== '').every((r) => r.dischargedOn === null)).toBe(true);
  });

  it('rebuilds the same rows when refreshed, again and again, and restores rows lost', async () => {
    const before = await pairs();
    expect(before.length).toBe(10);
    await system((tx) => refreshOutcomeChanges(tx, [referralId, referralId]));
    await system((tx) => refreshOutcomeChanges(tx, [referralId]));
    expect(await pairs()).toEqual(before);
    await system((tx) => tx.delete(outcomeChanges).where(eq(outcomeChanges.referralId, referralId)));
    expect(await pairs()).toEqual([]);
    await system((tx) => refreshOutcomeChanges(tx, [referralId]));
    expect(await pairs()).toEqual(before);
  });
});
