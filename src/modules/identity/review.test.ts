import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import {
  call,
  makeOrganisation,
  makeTestApp,
  makeUser,
  signIn,
  signInRaw,
  type TestApp,
} from '../../../test/factories.ts';
import { inTransaction } from '../../platform/transaction.ts';

describeEachDatabase('accounts across organisations', (db) => {
  let t: TestApp;
  let icbA: string;
  let pcnA1: string;
  let icbB: string;
  beforeAll(async () => {
    t = await makeTestApp(db());
    icbA = await makeOrganisation(db().db, { type: 'icb' });
    pcnA1 = await makeOrganisation(db().db, { type: 'pcn', parentId: icbA });
    icbB = await makeOrganisation(db().db, { type: 'icb' });
  });
  afterAll(() => t.close());

  it('does not let a PCN administrator take over the account of an ICB administrator who also has a role in the PCN', async () => {
    const icbAdmin = await makeUser(db().db, {
      roles: [
        [icbA, 'admin'],
        [pcnA1, 'commissioner'],
      ],
    });
    const pcnAdmin = await signIn(t, await makeUser(db().db, { roles: [[pcnA1, 'admin']] }));
    expect((await call(t, pcnAdmin, 'GET', `/api/users/${icbAdmin.id}`)).statusCode).toBe(200);
    for (const [method, path, body] of [
      ['POST', 'mfa-reset', undefined],
      ['POST', 'password-link', undefined],
      ['POST', 'deactivate', undefined],
      ['PATCH', '', { version: 1, email: 'taken-over@test.linkwork.example' }],
    ] as const) {
      const res = await call(t, pcnAdmin, method, `/api/users/${icbAdmin.id}${path ? `/${path}` : ''}`, body);
      expect(res.statusCode, `${method} ${path}`).toBe(403);
      expect(res.json().detail).toMatch(/roles at organisations you do not manage/);
    }
    // The PCN administrator may still manage the role held in their PCN.
    const roles = (await call(t, pcnAdmin, 'GET', `/api/users/${icbAdmin.id}`)).json().roles;
    expect(roles).toHaveLength(1);
  });

  it('will not remove a user’s only role, so no account is left that nobody manages', async () => {
    const admin = await signIn(t, await makeUser(db().db, { roles: [[pcnA1, 'admin']] }));
    const lw = await makeUser(db().db, { roles: [[pcnA1, 'link_worker']] });
    const user = (await call(t, admin, 'GET', `/api/users/${lw.id}`)).json();
    const res = await call(t, admin, 'DELETE', `/api/users/${lw.id}/roles/${user.roles[0].id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/Deactivate the user instead/);
  });

  it('shows an ICB administrator only the sign-in events of their own ICB’s people', async () => {
    const adminA = await signIn(t, await makeUser(db().db, { roles: [[icbA, 'admin']] }));
    const personB = await makeUser(db().db, { roles: [[icbB, 'commissioner']] });
    const personA = await makeUser(db().db, { roles: [[pcnA1, 'link_worker']] });
    await signInRaw(t, personB.email, 'a wrong password here', '10.7.0.1');
    await signInRaw(t, personA.email, 'a wrong password here', '10.7.0.2');
    await signInRaw(t, 'nobody-at-all@test.linkwork.example', 'a wrong password here', '10.7.0.3');
    const events = (await call(t, adminA, 'GET', '/api/audit?action=auth.sign_in_failed&limit=200')).json()
      .items as {
      recordIds: string[];
      ip: string;
    }[];
    expect(events.some((e) => e.recordIds.includes(personA.id))).toBe(true);
    expect(events.some((e) => e.recordIds.includes(personB.id))).toBe(false);
    expect(events.some((e) => e.ip === '10.7.0.3')).toBe(false);
  });

  it('asks for two-factor set-up at once when someone is made an administrator mid-session', async () => {
    const admin = await signIn(t, await makeUser(db().db, { roles: [[icbA, 'admin']] }));
    const lw = await makeUser(db().db, { roles: [[pcnA1, 'link_worker']] });
    const s = await signIn(t, lw);
    expect((await call(t, s, 'GET', '/api/organisations')).statusCode).toBe(200);
    expect(
      (await call(t, admin, 'POST', `/api/users/${lw.id}/roles`, { organisationId: icbA, role: 'admin' }))
        .statusCode,
    ).toBe(200);
    const me = (await call(t, s, 'GET', '/api/me')).json();
    expect(me).toMatchObject({ stage: 'mfa_enrolment_required', mfaRequired: true });
    expect((await call(t, s, 'GET', '/api/organisations')).statusCode).toBe(401);
    expect((await call(t, s, 'POST', '/api/auth/mfa/enrolment')).statusCode).toBe(200);
  });

  it('counts parallel wrong passwords one by one, so only five get an answer before the delay', async () => {
    const user = await makeUser(db().db, { roles: [[pcnA1, 'link_worker']] });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signInRaw(t, user.email, 'parallel wrong guess', `10.8.0.${i}`)),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    t.clock.advance(60 * 60_000);
  });

  it('throttles guesses at the current password from a signed-in session, and ends the other sessions on a change', async () => {
    const user = await makeUser(db().db, { roles: [[pcnA1, 'link_worker']] });
    const here = await signIn(t, user);
    const elsewhere = await signIn(t, user);
    for (let i = 0; i < 5; i++) {
      const res = await call(t, here, 'POST', '/api/me/password', {
        currentPassword: `guess ${i}`,
        newPassword: 'a new long passphrase',
      });
      expect(res.statusCode).toBe(422);
    }
    const blocked = await call(t, here, 'POST', '/api/me/password', {
      currentPassword: user.password,
      newPassword: 'a new long passphrase',
    });
    expect(blocked.statusCode).toBe(429);
    t.clock.advance(5_000);
    const ok = await call(t, here, 'POST', '/api/me/password', {
      currentPassword: user.password,
      newPassword: 'a new long passphrase',
    });
    expect(ok.statusCode).toBe(204);
    expect((await call(t, here, 'GET', '/api/me')).statusCode).toBe(200);
    expect((await call(t, elsewhere, 'GET', '/api/me')).statusCode).toBe(401);
  });

  it('touches a session’s last-seen time at most once a minute', async () => {
    const user = await makeUser(db().db, { roles: [[pcnA1, 'link_worker']] });
    const s = await signIn(t, user);
    const lastSeen = async () =>
      inTransaction(db().db, { system: true, now: new Date() }, async (tx) => {
        const r = await tx.execute(
          sql`select last_seen_at from sessions where user_id = ${user.id} and revoked_at is null`,
        );
        return new Date(
          (r as unknown as { rows: { last_seen_at: string }[] }).rows[0]!.last_seen_at,
        ).getTime();
      });
    const first = await lastSeen();
    t.clock.advance(30_000);
    await call(t, s, 'GET', '/api/me');
    expect(await lastSeen()).toBe(first);
    t.clock.advance(31_000);
    await call(t, s, 'GET', '/api/me');
    expect(await lastSeen()).toBe(t.clock.now().getTime());
  });
});

describeEachDatabase('implementation context across tenants', (db) => {
  let t: TestApp;
  it('keeps a link worker’s history per PCN, so two ICBs never collide or see each other’s dates', async () => {
    t = await makeTestApp(db());
    const icbA = await makeOrganisation(db().db, { type: 'icb' });
    const pcnA = await makeOrganisation(db().db, { type: 'pcn', parentId: icbA });
    const icbB = await makeOrganisation(db().db, { type: 'icb' });
    const pcnB = await makeOrganisation(db().db, { type: 'pcn', parentId: icbB });
    const vcseB = await makeOrganisation(db().db, { type: 'vcse', parentId: icbB });
    const lw = await makeUser(db().db, {
      roles: [
        [pcnA, 'link_worker'],
        [pcnB, 'link_worker'],
      ],
    });
    const leadA = await signIn(t, await makeUser(db().db, { roles: [[pcnA, 'lead_link_worker']] }));
    const leadB = await signIn(t, await makeUser(db().db, { roles: [[pcnB, 'lead_link_worker']] }));
    const body = {
      effectiveFrom: '2026-10-01',
      employmentModel: 'pcn_employed',
      baseSettings: ['gp_practice'],
      contractedHoursPerWeek: 15,
      supervision: 'lead_link_worker',
      clinicalSystemAccess: 'yes',
      practiceMeetings: 'regular',
      deliveryMode: 'in_person',
    };
    expect((await call(t, leadA, 'POST', `/api/link-workers/${lw.id}/contexts`, body)).statusCode).toBe(201);
    expect(
      (
        await call(t, leadB, 'POST', `/api/link-workers/${lw.id}/contexts`, {
          ...body,
          contractedHoursPerWeek: 22.5,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await call(t, leadA, 'GET', `/api/link-workers/${lw.id}/context?date=2026-11-01`)).json()
        .contractedHoursPerWeek,
    ).toBe(15);
    expect(
      (await call(t, leadB, 'GET', `/api/link-workers/${lw.id}/context?date=2026-11-01`)).json()
        .contractedHoursPerWeek,
    ).toBe(22.5);
    const foreignEmployer = await call(t, leadA, 'POST', `/api/link-workers/${lw.id}/contexts`, {
      ...body,
      effectiveFrom: '2026-11-01',
      employerOrganisationId: vcseB,
    });
    expect(foreignEmployer.statusCode).toBe(422);
    expect(foreignEmployer.json().errors[0].field).toBe('employerOrganisationId');
    await t.close();
  });

  it('shows a link worker who also refers only their own profile', async () => {
    t = await makeTestApp(db());
    const pcn = await makeOrganisation(db().db, { type: 'pcn' });
    const colleague = await makeUser(db().db, { roles: [[pcn, 'link_worker']] });
    const both = await signIn(
      t,
      await makeUser(db().db, {
        roles: [
          [pcn, 'link_worker'],
          [pcn, 'referrer'],
        ],
      }),
    );
    expect((await call(t, both, 'GET', `/api/link-workers/${colleague.id}`)).statusCode).toBe(404);
    expect((await call(t, both, 'GET', '/api/link-workers')).json().items).toHaveLength(1);
    await t.close();
  });
});

describeEachDatabase('odd input', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(db());
  });
  afterAll(() => t.close());

  it('answers a NUL character in any text with 400, never a database error', async () => {
    const pcn = await makeOrganisation(db().db, { type: 'pcn' });
    const admin = await signIn(t, await makeUser(db().db, { roles: [[pcn, 'admin']] }));
    expect((await signInRaw(t, 'a\u0000@b.example', 'whatever password', '10.9.0.1')).statusCode).toBe(400);
    expect((await call(t, admin, 'GET', '/api/users?q=%00')).statusCode).toBe(400);
    expect((await call(t, admin, 'GET', '/api/audit?action=a%00')).statusCode).toBe(400);
    const org = await call(t, admin, 'POST', '/api/organisations', {
      type: 'gp_practice',
      name: 'Nul\u0000 Surgery',
      parentId: pcn,
    });
    expect(org.statusCode).toBe(400);
  });

  it('applies sign-in to a percent-encoded API path too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/%61pi/me' });
    expect(res.statusCode).toBe(401);
  });
});
