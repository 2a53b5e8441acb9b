import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { importServices, loadPlaces, orukService } from '../../../test/directory.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { inTransaction } from '../../platform/transaction.ts';

describeEachDatabase('connecting people to community services', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  const walk = orukService({
    name: 'Park Health Walk',
    terms: ['walking'],
    byday: 'TU',
    assuredDate: '2026-11-01',
  });
  const closed = orukService({ name: 'Old Lunch Club', terms: ['lunch-clubs'], status: 'defunct' });
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
    await loadPlaces(db().db);
    await importServices(db().db, world.orgs.icbA, [walk, closed]);
  });
  afterAll(() => t.close());

  const today = () => t.clock.now().toISOString().slice(0, 10);
  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);

  let born = 0;
  async function episodeWithGoal(givenName: string) {
    born++;
    const referral = (
      await send('referrerA1a', 'POST', '/api/referrals', {
        person: {
          givenName,
          familyName: 'Connect',
          dateOfBirth: `19${40 + born}-05-0${1 + (born % 9)}`,
          sex: 'male',
          nhsNumber: null,
        },
        reasons: ['loneliness'],
        consentToReferral: true,
      })
    ).json();
    await send('leadA1', 'POST', `/api/referrals/${referral.id}/triage`, {
      decision: 'accept',
      version: referral.version,
      linkWorkerId: world.users.lwA1.id,
    });
    await send('lwA1', 'POST', `/api/referrals/${referral.id}/first-contact`, {
      occurredAt: t.clock.now().toISOString(),
      mode: 'phone',
      personDecision: 'accepts',
    });
    const plan = await send('lwA1', 'PUT', `/api/referrals/${referral.id}/plan`, {
      version: null,
      agreedOn: today(),
      summary: 'Get out of the house each week',
      goals: [{ description: 'Walk with others once a week', needsDomain: 'loneliness', actions: [] }],
    });
    expect(plan.statusCode, plan.body).toBeLessThan(300);
    return {
      id: referral.id as string,
      personId: referral.personId as string,
      goalId: plan.json().goals[0].id as string,
    };
  }

  it('connects a person from their plan and follows the connection to the end, on the timeline and caseload', async () => {
    const e = await episodeWithGoal('Arthur');
    const noConsent = await send('lwA1', 'POST', `/api/referrals/${e.id}/connections`, {
      serviceId: walk.id,
      kind: 'referred',
      consentToShare: false,
      on: today(),
    });
    expect(noConsent.statusCode).toBe(422);
    expect(noConsent.json().errors[0].field).toBe('consentToShare');

    const made = await send('lwA1', 'POST', `/api/referrals/${e.id}/connections`, {
      serviceId: walk.id,
      goalId: e.goalId,
      kind: 'warm_handover',
      consentToShare: true,
      on: today(),
      note: 'Introduced him to the walk leader by phone',
    });
    expect(made.statusCode, made.body).toBe(201);
    const connectionId = made.json().id;

    const list = (await send('lwA1', 'GET', `/api/referrals/${e.id}/connections`)).json();
    expect(list.items).toEqual([
      expect.objectContaining({
        serviceName: 'Park Health Walk',
        kind: 'warm_handover',
        status: 'referred',
        goalDescription: 'Walk with others once a week',
        awaitingReplyTooLong: false,
        next: ['accepted', 'declined', 'attended', 'did_not_attend', 'dropped_out'],
      }),
    ]);

    // Eleven days without a reply: past the ICB's ten, so the caseload highlights it.
    await inTransaction(db().db, { system: true, now: new Date() }, (tx) =>
      tx.execute(sql`update connections set status_on = status_on - 11, connected_on = connected_on - 11
        where id = ${connectionId}`),
    );
    const caseload = (await send('lwA1', 'GET', '/api/caseload')).json();
    const row = caseload.items.find((i: { referralId: string }) => i.referralId === e.id);
    expect(row.connectionsAwaitingReply).toBe(1);
    expect(
      (await send('lwA1', 'GET', `/api/referrals/${e.id}/connections`)).json().items[0].awaitingReplyTooLong,
    ).toBe(true);

    const badOrder = await send('lwA1', 'POST', `/api/connections/${connectionId}/status`, {
      status: 'completed',
      on: today(),
      version: 1,
    });
    expect(badOrder.statusCode).toBe(409);
    expect(badOrder.json().detail).toContain('can next be: accepted, declined');
    const beforeLast = await send('lwA1', 'POST', `/api/connections/${connectionId}/status`, {
      status: 'accepted',
      on: '2020-01-01',
      version: 1,
    });
    expect(beforeLast.statusCode).toBe(422);

    for (const [status, version] of [
      ['accepted', 1],
      ['attended', 2],
      ['completed', 3],
    ] as const) {
      const res = await send('lwA1', 'POST', `/api/connections/${connectionId}/status`, {
        status,
        on: today(),
        version,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const stale = await send('lwA1', 'POST', `/api/connections/${connectionId}/status`, {
      status: 'dropped_out',
      on: today(),
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    const ended = await send('lwA1', 'POST', `/api/connections/${connectionId}/status`, {
      status: 'dropped_out',
      on: today(),
      version: 4,
    });
    expect(ended.json().detail).toContain('This connection has ended (completed)');

    const after = (await send('lwA1', 'GET', '/api/caseload')).json();
    expect(
      after.items.find((i: { referralId: string }) => i.referralId === e.id).connectionsAwaitingReply,
    ).toBe(0);
    const person = (await send('lwA1', 'GET', `/api/people/${e.personId}`)).json();
    const titles = person.timeline
      .filter((i: { kind: string }) => i.kind === 'connection')
      .map((i: { title: string }) => i.title);
    // Recorded within one test-clock moment, so compared as a set.
    expect(titles.sort()).toEqual([
      'Attended Park Health Walk',
      'Completed Park Health Walk',
      'Connected to Park Health Walk (warm handover)',
      'Park Health Walk accepted the referral',
    ]);
  });

  it('asks why a connection was declined, and refuses closed services and other PCNs', async () => {
    const e = await episodeWithGoal('Bernard');
    const toClosed = await send('lwA1', 'POST', `/api/referrals/${e.id}/connections`, {
      serviceId: closed.id,
      kind: 'signposted',
      consentToShare: false,
      on: today(),
    });
    expect(toClosed.statusCode).toBe(422);
    expect(toClosed.json().errors[0]).toEqual({
      field: 'serviceId',
      message: expect.stringContaining('is defunct'),
    });
    const signposted = await send('lwA1', 'POST', `/api/referrals/${e.id}/connections`, {
      serviceId: walk.id,
      kind: 'signposted',
      consentToShare: false,
      on: today(),
    });
    expect(signposted.statusCode).toBe(201);
    const id = signposted.json().id;
    const noReason = await send('lwA1', 'POST', `/api/connections/${id}/status`, {
      status: 'declined',
      on: today(),
      version: 1,
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0].field).toBe('reason');
    expect(
      (
        await send('lwA1', 'POST', `/api/connections/${id}/status`, {
          status: 'declined',
          reason: 'Group is full until spring',
          on: today(),
          version: 1,
        })
      ).statusCode,
    ).toBe(200);

    // Another PCN's link worker, or a link worker of this PCN without the episode, sees nothing.
    expect((await send('lwB1', 'GET', `/api/referrals/${e.id}/connections`)).statusCode).toBe(404);
    expect((await send('lwA1b', 'GET', `/api/referrals/${e.id}/connections`)).statusCode).toBe(404);
    expect(
      (
        await send('lwB1', 'POST', `/api/connections/${id}/status`, {
          status: 'attended',
          on: today(),
          version: 2,
        })
      ).statusCode,
    ).toBe(404);
    // Someone in another ICB cannot connect to this ICB's service even with a real id.
    expect((await send('lwA1', 'GET', `/api/referrals/${e.id}/connections`)).json().items[0]).toMatchObject({
      status: 'declined',
      next: [],
      events: [
        expect.objectContaining({ status: 'suggested' }),
        expect.objectContaining({ reason: 'Group is full until spring' }),
      ],
    });
  });

  it('shows how link workers used a service only from five replies up', async () => {
    const first = await send('lwA1', 'GET', `/api/directory/services/${walk.id}`);
    expect(first.json().usage).toMatchObject({ connections: 2, acceptedPercent: null, suppressed: true });
    for (const name of ['C1', 'C2', 'C3', 'C4']) {
      const e = await episodeWithGoal(name);
      const made = await send('lwA1', 'POST', `/api/referrals/${e.id}/connections`, {
        serviceId: walk.id,
        kind: 'referred',
        consentToShare: true,
        on: today(),
      });
      await send('lwA1', 'POST', `/api/connections/${made.json().id}/status`, {
        status: name === 'C4' ? 'declined' : 'accepted',
        reason: 'Full',
        on: today(),
        version: 1,
      });
    }
    const usage = (await send('lwA1', 'GET', `/api/directory/services/${walk.id}`)).json().usage;
    // Replies: Arthur accepted, Bernard declined, C1–C3 accepted, C4 declined → 4 of 6 accepted.
    expect(usage).toMatchObject({ connections: 6, acceptedPercent: 67, typicalWaitDays: 0 });
    expect(usage.attendedPercent).toBeNull();
  });
});
