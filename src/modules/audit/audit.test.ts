import { sql } from 'drizzle-orm';
import pg from 'pg';
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
import type { Db } from '../../db/client.ts';
import { inTransaction } from '../../platform/transaction.ts';

const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;

/** Drizzle wraps the database's error as `cause`: check the database's own words. */
async function expectDatabaseError(work: Promise<unknown>, pattern: RegExp) {
  const error = await work.then(
    () => null,
    (e: unknown) => e as Error & { cause?: Error },
  );
  expect(error, 'expected the database to refuse').not.toBeNull();
  expect(error!.cause?.message ?? error!.message).toMatch(pattern);
}

describeEachDatabase('audit log', (db, kind) => {
  let t: TestApp;
  let icb: string;
  let pcn: string;
  let otherPcn: string;
  beforeAll(async () => {
    t = await makeTestApp(db());
    icb = await makeOrganisation(db().db, { type: 'icb' });
    pcn = await makeOrganisation(db().db, { type: 'pcn', parentId: icb });
    otherPcn = await makeOrganisation(db().db, { type: 'pcn' });
  });
  afterAll(() => t.close());

  it('records who did what, for which organisation, with the request id and IP, and never a password', async () => {
    const admin = await makeUser(db().db, { roles: [[pcn, 'admin']] });
    const s = await signIn(t, admin);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
      payload: {
        email: 'audited@test.linkwork.example',
        name: 'Audited Person',
        roles: [{ organisationId: pcn, role: 'link_worker' }],
      },
      remoteAddress: '192.0.2.7',
    });
    expect(res.statusCode).toBe(201);
    const log = await call(t, s, 'GET', `/api/audit?action=user.created&recordId=${res.json().user.id}`);
    expect(log.statusCode).toBe(200);
    const [event] = log.json().items;
    expect(event).toMatchObject({
      actorUserId: admin.id,
      actingOrganisationId: pcn,
      organisationId: pcn,
      action: 'user.created',
      recordType: 'user',
      recordIds: [res.json().user.id],
      requestId: res.headers['x-request-id'],
      ip: '192.0.2.7',
    });
    const all = JSON.stringify((await call(t, s, 'GET', '/api/audit?limit=200')).json());
    expect(all).not.toContain(admin.password);
    expect(all).not.toContain('Audited Person');
  });

  it('shows an administrator only their own organisation’s events, filtered and paged', async () => {
    const mine = await makeUser(db().db, { roles: [[pcn, 'admin']] });
    const theirs = await makeUser(db().db, { roles: [[otherPcn, 'admin']] });
    const s = await signIn(t, mine);
    await signIn(t, theirs);
    const page1 = (await call(t, s, 'GET', '/api/audit?limit=2')).json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = (await call(t, s, 'GET', `/api/audit?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.items[0].id < page1.items[1].id).toBe(true);
    const everything = (await call(t, s, 'GET', '/api/audit?limit=200')).json().items as {
      organisationId: string;
      actorUserId: string;
    }[];
    expect(everything.every((e) => e.organisationId === pcn)).toBe(true);
    expect(everything.some((e) => e.actorUserId === theirs.id)).toBe(false);
    const bad = await call(t, s, 'GET', '/api/audit?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('from');
  });

  it('cannot be changed or deleted by the app’s database role', async () => {
    for (const statement of [
      sql`update audit_events set action = 'tampered'`,
      sql`delete from audit_events`,
      sql`truncate audit_events`,
    ]) {
      await expectDatabaseError(
        inTransaction(db().db, { system: true, now: new Date() }, (tx) => tx.execute(statement)),
        /permission denied|cannot be changed/,
      );
    }
  });

  it('cannot be changed or deleted even by the owner of the tables', async () => {
    const asOwner = async (statement: string) => {
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: db().url });
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
        return;
      }
      await db().db.transaction(async (tx) => {
        await tx.execute(sql`reset role`); // undone with the transaction
        await tx.execute(sql.raw(statement));
      });
    };
    await expectDatabaseError(
      asOwner(`update audit_events set action = 'tampered'`),
      /cannot be changed or deleted/,
    );
    await expectDatabaseError(asOwner('delete from audit_events'), /cannot be changed or deleted/);
    await expectDatabaseError(asOwner('truncate audit_events'), /cannot be changed or deleted/);
  });
});

describeEachDatabase('row-level security, the second wall', (db) => {
  let pcnA: string;
  let pcnB: string;
  let lwA: string;
  let lwB: string;
  const ctxFor = (ids: string[]) => ({
    userId: 'x',
    sessionId: 'x',
    actingOrganisationId: ids[0] ?? null,
    actingOrganisationType: 'pcn',
    roles: [],
    scopeOrganisationIds: ids,
    requestId: 'test',
    ip: null,
    now: new Date(),
  });
  const countContexts = (d: Db, ids: string[]) =>
    inTransaction(
      d,
      ctxFor(ids),
      async (tx) =>
        rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from link_worker_contexts`))[0]!.n,
    );

  beforeAll(async () => {
    pcnA = await makeOrganisation(db().db, { type: 'pcn' });
    pcnB = await makeOrganisation(db().db, { type: 'pcn' });
    lwA = (await makeUser(db().db, { roles: [[pcnA, 'link_worker']] })).id;
    lwB = (await makeUser(db().db, { roles: [[pcnB, 'link_worker']] })).id;
    await inTransaction(db().db, { system: true, now: new Date() }, async (tx) => {
      for (const [org, lw] of [
        [pcnA, lwA],
        [pcnB, lwB],
      ] as const) {
        await tx.execute(sql`insert into link_worker_contexts
          (id, organisation_id, link_worker_id, effective_from, employment_model, base_settings, contracted_hours_per_week,
           supervision, clinical_system_access, practice_meetings, delivery_mode, recorded_by, recorded_at)
          values (gen_random_uuid(), ${org}, ${lw}, '2026-01-01', 'pcn_employed', '["gp_practice"]', 37.5,
           'none', 'yes', 'regular', 'in_person', ${lw}, now())`);
      }
    });
  });

  it('hides another tenant’s rows from a query that forgot its where clause', async () => {
    expect(await countContexts(db().db, [pcnA])).toBe(1);
    expect(await countContexts(db().db, [pcnA, pcnB])).toBe(2);
    expect(await countContexts(db().db, [])).toBe(0);
  });

  it('refuses to write a row into another tenant', async () => {
    await expect(
      inTransaction(db().db, ctxFor([pcnA]), (tx) =>
        tx.execute(sql`update link_worker_contexts set notes = 'moved' where organisation_id = ${pcnB}`),
      ),
    ).resolves.toBeDefined();
    expect(
      await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
        rows<{ notes: string | null }>(
          await tx.execute(sql`select notes from link_worker_contexts where organisation_id = ${pcnB}`),
        ),
      ),
    ).toEqual([{ notes: null }]);
    await expectDatabaseError(
      inTransaction(db().db, ctxFor([pcnA]), (tx) =>
        tx.execute(sql`insert into link_worker_contexts
          (id, organisation_id, link_worker_id, effective_from, employment_model, base_settings, contracted_hours_per_week,
           supervision, clinical_system_access, practice_meetings, delivery_mode, recorded_by, recorded_at)
          values (gen_random_uuid(), ${pcnB}, ${lwB}, '2026-02-01', 'pcn_employed', '["gp_practice"]', 37.5,
           'none', 'yes', 'regular', 'in_person', ${lwB}, now())`),
      ),
      /row-level security/,
    );
  });

  it('works as a role that is neither the owner nor a superuser', async () => {
    const [me] = rows<{ user: string; superuser: boolean; bypass: boolean }>(
      await db().db.execute(
        sql`select current_user as user, r.rolsuper as superuser, r.rolbypassrls as bypass from pg_roles r where r.rolname = current_user`,
      ),
    );
    expect(me).toEqual({ user: 'linkwork_app', superuser: false, bypass: false });
    const [owner] = rows<{ owner: string }>(
      await db().db.execute(
        sql`select tableowner as owner from pg_tables where tablename = 'link_worker_contexts'`,
      ),
    );
    expect(owner!.owner).not.toBe('linkwork_app');
  });
});
