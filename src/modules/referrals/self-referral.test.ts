import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import {
  call,
  makeOrganisation,
  makeTestApp,
  makeUser,
  signIn,
  type TestApp,
} from '../../../test/factories.ts';

const form = (overrides: Record<string, unknown> = {}) => ({
  givenName: 'Pat',
  familyName: 'Self',
  dateOfBirth: '1961-09-30',
  phone: '07700 900123',
  preferredContactMethod: 'phone',
  reasons: ['loneliness', 'physical_activity'],
  whatMatters: 'I would like to get out more and meet people.',
  consentToReferral: true,
  ...overrides,
});

describeEachDatabase('self-referral without signing in', (db) => {
  let t: TestApp;
  let pcn: string;
  beforeAll(async () => {
    t = await makeTestApp(db());
    pcn = await makeOrganisation(db().db, { type: 'pcn', name: 'Harbour PCN', odsCode: 'U77001' });
  });
  afterAll(() => t.close());

  const send = (body: unknown, ip: string, ref = 'u77001') =>
    t.app.inject({
      method: 'POST',
      url: `/api/public/pcns/${ref}/self-referrals`,
      payload: body as object,
      remoteAddress: ip,
    });

  it('gives the person a reference they can read out, and puts the referral in the PCN’s triage queue', async () => {
    expect((await t.app.inject(`/api/public/pcns/U77001`)).json()).toEqual({
      name: 'Harbour PCN',
      reference: 'U77001',
    });
    const res = await send(form(), '203.0.113.1');
    expect(res.statusCode).toBe(201);
    expect(res.json().reference).toMatch(/^LW-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const lead = await signIn(t, await makeUser(db().db, { roles: [[pcn, 'lead_link_worker']] }));
    const queue = (await call(t, lead, 'GET', '/api/triage')).json().items as {
      reference: string;
      source: string;
      context: string;
    }[];
    expect(queue).toEqual([
      expect.objectContaining({
        reference: res.json().reference,
        source: 'self',
        context: 'I would like to get out more and meet people.',
      }),
    ]);
  });

  it('answers a bot that fills the hidden field as if all was well, and stores nothing', async () => {
    const res = await send(form({ givenName: 'Bot', website: 'http://spam.example' }), '203.0.113.2');
    expect(res.statusCode).toBe(201);
    const lead = await signIn(t, await makeUser(db().db, { roles: [[pcn, 'lead_link_worker']] }));
    const names = ((await call(t, lead, 'GET', '/api/triage')).json().items as { personName: string }[]).map(
      (r) => r.personName,
    );
    expect(names).not.toContain('Bot Self');
  });

  it('limits each address to five referrals an hour', async () => {
    for (let i = 0; i < 5; i++)
      expect((await send(form({ givenName: `P${i}` }), '203.0.113.3')).statusCode).toBe(201);
    const sixth = await send(form(), '203.0.113.3');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().detail).toMatch(/wait an hour/);
    expect((await send(form(), '203.0.113.4')).statusCode).toBe(201);
    t.clock.advance(61 * 60_000);
    expect((await send(form(), '203.0.113.3')).statusCode).toBe(201);
  });

  it('explains every problem in plain words, and refuses oversized or unknown-service requests', async () => {
    const bad = await send(
      form({ consentToReferral: false, dateOfBirth: '30/09/1961', givenName: '' }),
      '203.0.113.5',
    );
    expect(bad.statusCode).toBe(400);
    expect((bad.json().errors as { field: string; message: string }[]).map((e) => e.field).sort()).toEqual([
      'consentToReferral',
      'dateOfBirth',
      'givenName',
    ]);
    const future = await send(form({ dateOfBirth: '2090-01-01' }), '203.0.113.5');
    expect(future.json().errors[0]).toEqual({
      field: 'dateOfBirth',
      message: 'Your date of birth must be in the past',
    });
    const big = await send(form({ whatMatters: 'x'.repeat(20_000) }), '203.0.113.5');
    expect(big.statusCode).toBe(413);
    const nowhere = await send(form(), '203.0.113.5', 'U00000');
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json().detail).toMatch(/could not find this social prescribing service/);
  });
});
