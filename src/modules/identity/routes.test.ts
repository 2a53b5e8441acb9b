import { generate } from 'otplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import {
  call,
  makeOrganisation,
  makeTestApp,
  makeUser,
  sessionCookieFrom,
  setUserActive,
  signIn,
  signInRaw,
  type TestApp,
  totpFor,
} from '../../../test/factories.ts';
import { minutes } from '../../platform/clock.ts';

describeEachDatabase('signing in', (db) => {
  let t: TestApp;
  let pcn: string;
  beforeAll(async () => {
    t = await makeTestApp(db());
    const icb = await makeOrganisation(db().db, { type: 'icb' });
    pcn = await makeOrganisation(db().db, { type: 'pcn', parentId: icb });
  });
  afterAll(() => t.close());

  it('gives the same answer for a wrong password and an unknown account, so accounts cannot be enumerated', async () => {
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const wrong = await signInRaw(t, user.email, 'not-the-password-at-all', '10.0.1.1');
    const unknown = await signInRaw(
      t,
      'nobody-here@test.linkwork.example',
      'not-the-password-at-all',
      '10.0.1.2',
    );
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.cookies).toHaveLength(0);
  });

  it('slows an account down after five failures, with a growing delay, and lets it in again once the delay passes', async () => {
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    for (let i = 0; i < 5; i++) {
      expect((await signInRaw(t, user.email, 'wrong-password-again', `10.0.2.${i}`)).statusCode).toBe(401);
    }
    const blocked = await signInRaw(t, user.email, user.password, '10.0.2.99');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(blocked.json().detail).toMatch(/Wait \d+ seconds?/);
    t.clock.advance(3_000);
    expect((await signInRaw(t, user.email, 'wrong-password-again', '10.0.2.98')).statusCode).toBe(401);
    const longer = await signInRaw(t, user.email, user.password, '10.0.2.97');
    expect(longer.statusCode).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(2);
    t.clock.advance(10_000);
    expect((await signInRaw(t, user.email, user.password, '10.0.2.96')).statusCode).toBe(200);
  });

  it('slows down an IP address that tries many accounts', async () => {
    for (let i = 0; i < 20; i++) {
      await signInRaw(t, `spray-${i}@test.linkwork.example`, 'guessing-passwords', '10.9.9.9');
    }
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    expect((await signInRaw(t, user.email, user.password, '10.9.9.9')).statusCode).toBe(429);
    expect((await signInRaw(t, user.email, user.password, '10.9.9.10')).statusCode).toBe(200);
    t.clock.advance(minutes(20));
  });

  it('refuses a deactivated user, and ends their sessions when they are deactivated', async () => {
    const admin = await makeUser(db().db, { roles: [[pcn, 'admin']] });
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const userSession = await signIn(t, user);
    const adminSession = await signIn(t, admin);
    const res = await call(t, adminSession, 'POST', `/api/users/${user.id}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await call(t, userSession, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await signInRaw(t, user.email, user.password, '10.0.3.1')).statusCode).toBe(401);
    expect((await call(t, adminSession, 'POST', `/api/users/${user.id}/reactivate`)).statusCode).toBe(200);
    expect((await signInRaw(t, user.email, user.password, '10.0.3.2')).statusCode).toBe(200);
  });

  it('keeps a session across requests, ends it after 30 idle minutes, and touches it at most once a minute', async () => {
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const s = await signIn(t, user);
    t.clock.advance(minutes(29));
    expect((await call(t, s, 'GET', '/api/me')).statusCode).toBe(200);
    t.clock.advance(minutes(29)); // 58 minutes after sign-in, 29 after the last request
    expect((await call(t, s, 'GET', '/api/me')).statusCode).toBe(200);
    t.clock.advance(minutes(31));
    const expired = await call(t, s, 'GET', '/api/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toMatch(/session has ended/);
  });

  it('signs out one session, and signs out everywhere', async () => {
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const phone = await signIn(t, user);
    const laptop = await signIn(t, user);
    const desktop = await signIn(t, user);
    expect((await call(t, phone, 'POST', '/api/auth/sign-out')).statusCode).toBe(204);
    expect((await call(t, phone, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await call(t, laptop, 'GET', '/api/me')).statusCode).toBe(200);
    expect((await call(t, laptop, 'POST', '/api/auth/sign-out-everywhere')).statusCode).toBe(204);
    expect((await call(t, laptop, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await call(t, desktop, 'GET', '/api/me')).statusCode).toBe(401);
  });

  it('sees a change made by another process (a deactivation straight in the database) within two seconds', async () => {
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const s = await signIn(t, user);
    expect((await call(t, s, 'GET', '/api/me')).statusCode).toBe(200);
    await setUserActive(db().db, user.id, false);
    t.clock.advance(2_000);
    expect((await call(t, s, 'GET', '/api/me')).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const s = await signIn(t, user);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie: s.cookie },
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/security token/);
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: { cookie: s.cookie, 'x-csrf-token': 'guessed' },
      payload: {},
    });
    expect(forged.statusCode).toBe(403);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const res = await signInRaw(t, user.email, user.password, '10.0.4.1');
    const cookie = res.cookies.find((c) => c.name === 'lw_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });

  it('lets a user with roles at several organisations choose which one they act for', async () => {
    const other = await makeOrganisation(db().db, { type: 'pcn', parentId: null });
    const user = await makeUser(db().db, {
      roles: [
        [pcn, 'link_worker'],
        [other, 'lead_link_worker'],
      ],
    });
    const s = await signIn(t, user);
    const me = (await call(t, s, 'GET', '/api/me')).json();
    expect(me.acting).toBeNull();
    expect(me.memberships).toHaveLength(2);
    expect((await call(t, s, 'GET', '/api/link-workers')).statusCode).toBe(403);
    const chosen = await call(t, s, 'PUT', '/api/me/acting-organisation', { organisationId: other });
    expect(chosen.json().acting.roles).toEqual(['lead_link_worker']);
    expect((await call(t, s, 'GET', '/api/link-workers')).statusCode).toBe(200);
  });
});

describeEachDatabase('two-factor authentication', (db) => {
  let t: TestApp;
  let icb: string;
  let pcn: string;
  beforeAll(async () => {
    t = await makeTestApp(db());
    icb = await makeOrganisation(db().db, { type: 'icb' });
    pcn = await makeOrganisation(db().db, { type: 'pcn', parentId: icb });
  });
  afterAll(() => t.close());

  async function startAdmin() {
    const admin = await makeUser(db().db, { roles: [[icb, 'admin']], mfa: false });
    const res = await signInRaw(t, admin.email, admin.password, '10.1.0.1');
    expect(res.json().stage).toBe('mfa_enrolment_required');
    return { admin, cookie: sessionCookieFrom(res), csrf: res.json().csrfToken as string };
  }

  it('makes an administrator enrol before they can do anything, then gives ten single-use recovery codes', async () => {
    const { cookie, csrf } = await startAdmin();
    const headers = { cookie, 'x-csrf-token': csrf };
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers })).statusCode).toBe(401);
    const enrol = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/enrolment',
      headers,
      payload: {},
    });
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri, qrCodeSvg } = enrol.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Linkwork:/);
    expect(qrCodeSvg).toMatch(/^<svg/);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/enrolment/confirm',
      headers,
      payload: { code: '000000' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('code');
    const code = await totpFor(secret, t.clock.now());
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/enrolment/confirm',
      headers,
      payload: { code },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().recoveryCodes).toHaveLength(10);
    expect(new Set(ok.json().recoveryCodes).size).toBe(10);
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers })).statusCode).toBe(200);
  });

  it('asks an enrolled user for a code, refuses a replayed code, and accepts each recovery code once', async () => {
    const { admin, cookie, csrf } = await startAdmin();
    const headers = { cookie, 'x-csrf-token': csrf };
    const { secret } = (
      await t.app.inject({ method: 'POST', url: '/api/auth/mfa/enrolment', headers, payload: {} })
    ).json();
    const first = await totpFor(secret, t.clock.now());
    const { recoveryCodes } = (
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/mfa/enrolment/confirm',
        headers,
        payload: { code: first },
      })
    ).json();

    const again = await signInRaw(t, admin.email, admin.password, '10.1.0.2');
    expect(again.json().stage).toBe('mfa_required');
    const h2 = { cookie: sessionCookieFrom(again), 'x-csrf-token': again.json().csrfToken };
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      headers: h2,
      payload: { code: first },
    });
    expect(replay.statusCode).toBe(422);
    const recovery = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      headers: h2,
      payload: { code: recoveryCodes[0].toUpperCase() },
    });
    expect(recovery.json()).toEqual({ stage: 'complete' });
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: h2 })).statusCode).toBe(200);

    const third = await signInRaw(t, admin.email, admin.password, '10.1.0.3');
    const h3 = { cookie: sessionCookieFrom(third), 'x-csrf-token': third.json().csrfToken };
    const reused = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      headers: h3,
      payload: { code: recoveryCodes[0] },
    });
    expect(reused.statusCode).toBe(422);
    t.clock.advance(30_000);
    const fresh = await generate({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/mfa', headers: h3, payload: { code: fresh } }))
        .statusCode,
    ).toBe(200);
  });

  it('is optional for a link worker until their organisation requires it for everyone', async () => {
    const strictPcn = await makeOrganisation(db().db, { type: 'pcn', parentId: icb, requireMfaForAll: true });
    const relaxed = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const strict = await makeUser(db().db, { roles: [[strictPcn, 'link_worker']] });
    expect((await signInRaw(t, relaxed.email, relaxed.password, '10.1.1.1')).json().stage).toBe('complete');
    expect((await signInRaw(t, strict.email, strict.password, '10.1.1.2')).json().stage).toBe(
      'mfa_enrolment_required',
    );
  });

  it('applies "require two-factor for all" set on an ICB to everyone below it', async () => {
    const admin = await makeUser(db().db, { roles: [[icb, 'admin']] });
    const lw = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const s = await signIn(t, admin);
    const org = (await call(t, s, 'GET', `/api/organisations/${icb}`)).json();
    const res = await call(t, s, 'PATCH', `/api/organisations/${icb}`, {
      version: org.version,
      requireMfaForAll: true,
    });
    expect(res.statusCode).toBe(200);
    expect((await signInRaw(t, lw.email, lw.password, '10.1.2.1')).json().stage).toBe(
      'mfa_enrolment_required',
    );
    await call(t, s, 'PATCH', `/api/organisations/${icb}`, {
      version: org.version + 1,
      requireMfaForAll: false,
    });
  });
});

describeEachDatabase('passwords and set-password links', (db) => {
  let t: TestApp;
  let pcn: string;
  beforeAll(async () => {
    t = await makeTestApp(db());
    pcn = await makeOrganisation(db().db, { type: 'pcn' });
  });
  afterAll(() => t.close());

  it('invites a user with a single-use link where they choose a password that passes the policy', async () => {
    const admin = await makeUser(db().db, { roles: [[pcn, 'admin']] });
    const s = await signIn(t, admin);
    const created = await call(t, s, 'POST', '/api/users', {
      email: '  New.Worker@Test.Linkwork.Example ',
      name: 'New Worker',
      roles: [{ organisationId: pcn, role: 'link_worker' }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user.email).toBe('new.worker@test.linkwork.example');
    expect(created.json().user.hasPassword).toBe(false);
    const token = new URL(created.json().setPasswordUrl).searchParams.get('token')!;
    const info = await t.app.inject({ method: 'GET', url: `/api/auth/password-token?token=${token}` });
    expect(info.json()).toEqual({ purpose: 'invitation', name: 'New Worker' });

    for (const [password, message] of [
      ['short one', /at least 12 characters/],
      ['password1234', /too common/],
      ['qwertyuiop123!', /too common/],
      ['aaaaaaaaaaaaaaaa', /repeats/],
      ['new.worker-is-me!', /email address/],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { token, password },
      });
      expect(res.statusCode, password).toBe(422);
      expect(res.json().errors[0]).toMatchObject({
        field: 'password',
        message: expect.stringMatching(message),
      });
    }
    const long = 'a sentence long enough to pass and with no maximum below sixty four characters at all';
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: long } }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/password', payload: { token, password: long } }))
        .statusCode,
    ).toBe(404);
    expect((await signInRaw(t, 'new.worker@test.linkwork.example', long, '10.2.0.1')).statusCode).toBe(200);
    const accepted = await call(t, s, 'GET', '/api/audit?action=auth.invitation_accepted');
    expect(accepted.json().items.map((e: { recordIds: string[] }) => e.recordIds[0])).toEqual([
      created.json().user.id,
    ]);
  });

  it('expires a set-password link after seven days', async () => {
    const admin = await makeUser(db().db, { roles: [[pcn, 'admin']] });
    const s = await signIn(t, admin);
    const created = await call(t, s, 'POST', '/api/users', {
      email: 'late.starter@test.linkwork.example',
      name: 'Late Starter',
      roles: [{ organisationId: pcn, role: 'link_worker' }],
    });
    const token = new URL(created.json().setPasswordUrl).searchParams.get('token')!;
    t.clock.advance(minutes(7 * 24 * 60 + 1));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { token, password: 'three random words here' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toMatch(/expired/);
    const renewed = await call(
      t,
      await signIn(t, admin),
      'POST',
      `/api/users/${created.json().user.id}/password-link`,
    );
    const fresh = new URL(renewed.json().setPasswordUrl).searchParams.get('token')!;
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/password',
          payload: { token: fresh, password: 'three random words here' },
        })
      ).statusCode,
    ).toBe(204);
  });

  it('changes a password only with the current one', async () => {
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const s = await signIn(t, user);
    const wrong = await call(t, s, 'POST', '/api/me/password', {
      currentPassword: 'nope',
      newPassword: 'three random words here',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0].field).toBe('currentPassword');
    const ok = await call(t, s, 'POST', '/api/me/password', {
      currentPassword: user.password,
      newPassword: 'three random words here',
    });
    expect(ok.statusCode).toBe(204);
    expect((await signInRaw(t, user.email, 'three random words here', '10.2.1.1')).statusCode).toBe(200);
  });
});
