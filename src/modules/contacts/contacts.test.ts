import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';

describeEachDatabase('first contact and SNOMED-coded events', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
  });
  afterAll(() => t.close());

  /** A referral from practice A1a, accepted and allocated to link worker A1. */
  async function allocatedReferral(givenName: string, familyName = 'Coded') {
    const referral = (
      await call(t, await as('referrerA1a'), 'POST', '/api/referrals', {
        person: { givenName, familyName, dateOfBirth: '1966-06-06', sex: 'male', nhsNumber: null },
        reasons: ['loneliness'],
        consentToReferral: true,
      })
    ).json();
    const accepted = await call(t, await as('leadA1'), 'POST', `/api/referrals/${referral.id}/triage`, {
      decision: 'accept',
      version: referral.version,
      linkWorkerId: world.users.lwA1.id,
    });
    expect(accepted.statusCode).toBe(200);
    return accepted.json();
  }
  const firstContact = async (who: keyof World['users'], id: string, body: Record<string, unknown> = {}) =>
    call(t, await as(who), 'POST', `/api/referrals/${id}/first-contact`, {
      occurredAt: t.clock.now().toISOString(),
      mode: 'in_practice',
      durationMinutes: 45,
      personDecision: 'accepts',
      ...body,
    });

  it('records 871731000000106 once for the episode when the person accepts at their first contact', async () => {
    const referral = await allocatedReferral('Alan');
    const res = await firstContact('lwA1', referral.id);
    expect(res.statusCode).toBe(201);
    expect(res.json().codedEvent).toMatchObject({
      system: 'http://snomed.info/sct',
      code: '871731000000106',
      display: 'Referral to social prescribing service (procedure)',
    });
    expect(res.json().referralStatus).toBe('accepted');
    const again = await firstContact('lwA1', referral.id);
    expect(again.statusCode).toBe(409);
  });

  it('records 871711000000103 and closes the episode when the person declines', async () => {
    const referral = await allocatedReferral('Brian');
    const res = await firstContact('lwA1', referral.id, { personDecision: 'declines' });
    expect(res.json()).toMatchObject({
      referralStatus: 'declined_by_person',
      codedEvent: { code: '871711000000103' },
    });
    const seen = (await call(t, await as('referrerA1a'), 'GET', '/api/referrals/mine')).json().items as {
      id: string;
      status: string;
    }[];
    expect(seen.find((r) => r.id === referral.id)?.status).toBe('declined_by_person');
  });

  it('refuses a first contact before the referral, in the future, by someone else’s link worker, or before triage', async () => {
    const referral = await allocatedReferral('Colin');
    const before = await firstContact('lwA1', referral.id, { occurredAt: '2020-01-01T09:00:00Z' });
    expect(before.statusCode).toBe(422);
    expect(before.json().errors[0].field).toBe('occurredAt');
    const future = await firstContact('lwA1', referral.id, {
      occurredAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
    });
    expect(future.json().errors[0].field).toBe('occurredAt');
    expect((await firstContact('lwA1b', referral.id)).statusCode).toBe(404);
    expect((await firstContact('lwB1', referral.id)).statusCode).toBe(404);
    const untriaged = (
      await call(t, await as('referrerA1a'), 'POST', '/api/referrals', {
        person: { givenName: 'Dora', familyName: 'Waiting', dateOfBirth: '1950-01-01', sex: 'female' },
        reasons: ['food'],
        consentToReferral: true,
      })
    ).json();
    expect((await firstContact('leadA1', untriaged.id)).statusCode).toBe(409);
  });

  it('exports the coded events per practice as CSV a spreadsheet cannot be tricked by', async () => {
    const referral = await allocatedReferral('=HYPERLINK("http://evil")', 'Sheet');
    expect((await firstContact('lwA1', referral.id)).statusCode).toBe(201);
    const today = t.clock.now().toISOString().slice(0, 10);
    const res = await call(
      t,
      await as('leadA1'),
      'GET',
      `/api/coded-extract.csv?from=${today}&to=${today}&practiceId=${world.orgs.practiceA1a}`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'practice_ods_code,practice_name,nhs_number,family_name,given_name,date_of_birth,snomed_ct_code,snomed_ct_display,event_date,referral_reference',
    );
    expect(lines.some((l) => l.includes('"871711000000103"'))).toBe(true);
    const evil = lines.find((l) => l.includes('Sheet'))!;
    expect(evil).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines.every((l) => l.startsWith('"","Practice A1a"') || l === lines[0])).toBe(true);
    const bad = await call(
      t,
      await as('leadA1'),
      'GET',
      `/api/coded-extract.csv?from=${today}&to=2000-01-01`,
    );
    expect(bad.statusCode).toBe(422);
    expect(
      (await call(t, await as('lwA1'), 'GET', `/api/coded-extract.csv?from=${today}&to=${today}`)).statusCode,
    ).toBe(403);
    expect(
      (await call(t, await as('leadB1'), 'GET', `/api/coded-extract.csv?from=${today}&to=${today}`)).body,
    ).not.toContain('Sheet');
  });
});
