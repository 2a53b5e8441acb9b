import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';

const person = (overrides: Record<string, unknown> = {}) => ({
  givenName: 'Margaret',
  familyName: 'Okoro',
  dateOfBirth: '1948-05-02',
  sex: 'female',
  postcode: 'ls1 4ap',
  phone: '07700 900982',
  ...overrides,
});
const referralBody = (overrides: Record<string, unknown> = {}) => ({
  person: person(),
  reasons: ['loneliness', 'bereavement'],
  context: 'Widowed last year, rarely leaves the house.',
  consentToReferral: true,
  ...overrides,
});

describeEachDatabase('referrals in and triage', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
  });
  afterAll(() => t.close());

  const refer = async (body: unknown, key?: string, who: keyof World['users'] = 'referrerA1a') => {
    const s = await as(who);
    return t.app.inject({
      method: 'POST',
      url: '/api/referrals',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, ...(key ? { 'idempotency-key': key } : {}) },
      payload: body as Record<string, unknown>,
    });
  };

  it('takes a GP practice’s referral into its PCN’s triage queue', async () => {
    const res = await refer(referralBody());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      organisationId: world.orgs.pcnA1,
      referringOrganisationId: world.orgs.practiceA1a,
      status: 'awaiting_triage',
      personName: 'Margaret Okoro',
      reasons: ['loneliness', 'bereavement'],
      urgency: 'routine',
    });
    const queue = (await call(t, await as('leadA1'), 'GET', '/api/triage')).json().items as { id: string }[];
    expect(queue.map((r) => r.id)).toContain(res.json().id);
    expect((await call(t, await as('leadB1'), 'GET', '/api/triage')).json().items).toHaveLength(0);
    // Viewing the queue is one audit event naming every referral shown.
    const viewed = (
      await call(t, await as('icbAdminA'), 'GET', '/api/audit?action=referral.triage_queue_viewed')
    ).json().items as { recordIds: string[] }[];
    expect(viewed[0]!.recordIds).toEqual(queue.map((r) => r.id));
  });

  it('answers a new referral with exactly what reading it back gives', async () => {
    const res = await refer(
      referralBody({
        person: person({
          givenName: 'Nerys',
          familyName: 'Unique-Readback',
          dateOfBirth: '1939-09-09',
          preferredContactMethod: 'phone',
          preferredContactTimes: 'Mornings',
          interpreterLanguage: 'Welsh',
          accessibilityNeeds: 'Large print',
        }),
        urgency: 'urgent',
      }),
    );
    expect(res.statusCode).toBe(201);
    const read = await call(t, await as('leadA1'), 'GET', `/api/referrals/${res.json().id}`);
    expect(res.json()).toEqual(read.json());
  });

  it('returns the same referral for a retried request with the same Idempotency-Key, and 409 for a different body', async () => {
    const body = referralBody({ person: person({ givenName: 'Idris', nhsNumber: '943 476 5919' }) });
    const first = await refer(body, 'retry-key-0001');
    const again = await refer(body, 'retry-key-0001');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const different = await refer({ ...body, urgency: 'urgent' }, 'retry-key-0001');
    expect(different.statusCode).toBe(409);
    expect(different.json().detail).toMatch(/Idempotency-Key was already used/);
    const parallel = await Promise.all([1, 2, 3].map(() => refer(body, 'parallel-key-01')));
    expect(new Set(parallel.map((r) => r.json().id)).size).toBe(1);
    expect(parallel.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
  });

  it('links a referral with a known NHS number to the same person, and shows the earlier episode', async () => {
    const a = await refer(referralBody({ person: person({ nhsNumber: '4010232137', givenName: 'Sam' }) }));
    const b = await refer(
      referralBody({
        person: person({ nhsNumber: '401 023 2137', givenName: 'Samuel' }),
        reasons: ['housing'],
      }),
    );
    expect(b.json().personId).toBe(a.json().personId);
    expect(b.json().personName).toBe('Sam Okoro');
    // The triage list counts the earlier referral; opening the referral shows it.
    const queue = (await call(t, await as('leadA1'), 'GET', '/api/triage')).json().items as {
      id: string;
      earlierEpisodes: number;
      otherEpisodes?: unknown;
    }[];
    expect(queue.find((r) => r.id === b.json().id)).toMatchObject({ earlierEpisodes: 1 });
    expect(queue[0]!.otherEpisodes).toBeUndefined();
    const opened = (await call(t, await as('leadA1'), 'GET', `/api/referrals/${b.json().id}`)).json();
    expect(opened.otherEpisodes.map((e: { id: string }) => e.id)).toEqual([a.json().id]);
  });

  it('refuses a referral without consent, a bad NHS number, a future birth date and unknown reasons, naming each field', async () => {
    const noConsent = await refer(referralBody({ consentToReferral: false }));
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().errors[0]).toMatchObject({
      field: 'consentToReferral',
      message: expect.stringMatching(/must agree/),
    });
    const badNhs = await refer(referralBody({ person: person({ nhsNumber: '9434765918' }) }));
    expect(badNhs.json().errors[0].field).toBe('person.nhsNumber');
    const future = await refer(referralBody({ person: person({ dateOfBirth: '2099-01-01' }) }));
    expect(future.statusCode).toBe(422);
    expect(future.json().errors[0].field).toBe('person.dateOfBirth');
    const unknown = await refer(referralBody({ reasons: ['astrology'] }));
    expect(unknown.json().errors[0].field).toBe('reasons');
    const badKey = await refer(referralBody(), 'short');
    expect(badKey.statusCode).toBe(400);
  });

  it('shows a referrer the status of their own referrals only', async () => {
    const mine = (await call(t, await as('referrerA1a'), 'GET', '/api/referrals/mine')).json()
      .items as Record<string, unknown>[];
    expect(mine.length).toBeGreaterThan(0);
    expect(Object.keys(mine[0]!).sort()).toEqual([
      'id',
      'personDateOfBirth',
      'personName',
      'reasons',
      'receivedAt',
      'reference',
      'status',
      'urgency',
    ]);
    const lw = (await call(t, await as('lwA1'), 'GET', '/api/referrals/mine')).json().items;
    expect(lw).toHaveLength(0);
  });

  it('lets the lead accept and allocate, decline with a reason, or signpost — once, with a current version', async () => {
    const lead = await as('leadA1');
    const r1 = (
      await refer(referralBody({ person: person({ givenName: 'Ann', dateOfBirth: '1990-01-01' }) }))
    ).json();
    const r2 = (
      await refer(referralBody({ person: person({ givenName: 'Bob', dateOfBirth: '1991-01-01' }) }))
    ).json();
    const notHere = await call(t, lead, 'POST', `/api/referrals/${r1.id}/triage`, {
      decision: 'accept',
      version: 1,
      linkWorkerId: world.users.lwB1.id,
    });
    expect(notHere.statusCode).toBe(422);
    expect(notHere.json().errors[0].field).toBe('linkWorkerId');
    const accepted = await call(t, lead, 'POST', `/api/referrals/${r1.id}/triage`, {
      decision: 'accept',
      version: 1,
      linkWorkerId: world.users.lwA1.id,
    });
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      allocatedLinkWorkerId: world.users.lwA1.id,
      allocatedLinkWorkerName: 'Link worker A1',
      triagedAt: t.clock.now().toISOString(),
      contact: { phone: '07700 900982', postcode: 'LS1 4AP' },
      version: 2,
    });
    const twice = await call(t, lead, 'POST', `/api/referrals/${r1.id}/triage`, {
      decision: 'signpost',
      version: 2,
      note: 'Age UK',
    });
    expect(twice.statusCode).toBe(409);
    const stale = await call(t, lead, 'POST', `/api/referrals/${r2.id}/triage`, {
      decision: 'decline',
      version: 7,
      reason: 'other',
    });
    expect(stale.statusCode).toBe(409);
    const declined = await call(t, lead, 'POST', `/api/referrals/${r2.id}/triage`, {
      decision: 'decline',
      version: 1,
      reason: 'needs_clinical_service',
    });
    expect(declined.json()).toMatchObject({ status: 'declined', declineReason: 'needs_clinical_service' });
    const otherPcn = await call(t, await as('leadB1'), 'POST', `/api/referrals/${r2.id}/triage`, {
      decision: 'signpost',
      version: 2,
      note: 'x',
    });
    expect(otherPcn.statusCode).toBe(404);
    expect((await call(t, await as('lwA1'), 'GET', `/api/referrals/${r1.id}`)).json().status).toBe(
      'accepted',
    );
    expect((await call(t, await as('lwA1b'), 'GET', `/api/referrals/${r1.id}`)).statusCode).toBe(404);
    expect((await call(t, await as('leadB1'), 'GET', `/api/referrals/${r1.id}`)).statusCode).toBe(404);
    const audit = (await call(t, await as('icbAdminA'), 'GET', `/api/audit?recordId=${r1.id}`)).json()
      .items as { action: string }[];
    expect(audit.map((e) => e.action).sort()).toEqual([
      'referral.accepted',
      'referral.created',
      'referral.viewed',
    ]);
  });
});

describeEachDatabase('possible duplicates', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
  });
  afterAll(() => t.close());

  it('offers a probable match to the triager, never merges silently, and moves the referral once confirmed', async () => {
    const referrer = await as('referrerA1a');
    const lead = await as('leadA1');
    const first = (
      await call(
        t,
        referrer,
        'POST',
        '/api/referrals',
        referralBody({ person: person({ givenName: 'Margaret' }) }),
      )
    ).json();
    const second = (
      await call(
        t,
        referrer,
        'POST',
        '/api/referrals',
        referralBody({ person: person({ givenName: 'Margret', familyName: 'Okorro' }) }),
      )
    ).json();
    expect(second.personId).not.toBe(first.personId);
    expect(second.possibleDuplicates).toEqual([
      expect.objectContaining({ personId: first.personId, name: 'Margaret Okoro', episodes: 1 }),
    ]);
    const blocked = await call(t, lead, 'POST', `/api/referrals/${second.id}/triage`, {
      decision: 'accept',
      version: 1,
      linkWorkerId: world.users.lwA1.id,
    });
    expect(blocked.statusCode).toBe(409);
    const confirmed = await call(t, lead, 'POST', `/api/referrals/${second.id}/duplicate-decision`, {
      version: 1,
      samePersonId: first.personId,
    });
    expect(confirmed.json()).toMatchObject({ personId: first.personId, possibleDuplicates: [], version: 2 });
    expect(confirmed.json().otherEpisodes.map((e: { id: string }) => e.id)).toEqual([first.id]);
    const third = (
      await call(
        t,
        referrer,
        'POST',
        '/api/referrals',
        referralBody({ person: person({ givenName: 'Peggy', postcode: 'LS1 4AP' }) }),
      )
    ).json();
    expect(third.possibleDuplicates.map((d: { personId: string }) => d.personId)).toEqual([first.personId]);
    const rejected = await call(t, lead, 'POST', `/api/referrals/${third.id}/duplicate-decision`, {
      version: 1,
      samePersonId: null,
    });
    expect(rejected.json()).toMatchObject({ personId: third.personId, possibleDuplicates: [] });
    const unrelated = (
      await call(
        t,
        referrer,
        'POST',
        '/api/referrals',
        referralBody({ person: person({ givenName: 'Kwame', familyName: 'Mensah' }) }),
      )
    ).json();
    expect(unrelated.possibleDuplicates).toEqual([]);
  });
});
