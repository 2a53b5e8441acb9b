import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './db.ts';
import { call, makeTestApp, type Session, signIn, type TestApp } from './factories.ts';
import { makeWorld, type World } from './world.ts';

describeEachDatabase('HTTP edges: every bad request gets a problem a person can act on', (db) => {
  let t: TestApp;
  let world: World;
  let admin: Session;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    admin = await signIn(t, world.users.icbAdminA);
  });
  afterAll(() => t.close());

  const post = (
    url: string,
    payload: string,
    contentType = 'application/json',
    extra: Record<string, string> = {},
  ) =>
    t.app.inject({
      method: 'POST',
      url,
      payload,
      headers: {
        cookie: admin.cookie,
        'x-csrf-token': admin.csrfToken,
        'content-type': contentType,
        ...extra,
      },
    });

  it('answers malformed JSON with 400 and says what is wrong', async () => {
    const res = await post('/api/organisations', '{"type": "pcn", "name": ');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/not valid JSON/) });
    expect(res.json().requestId).toBe(res.headers['x-request-id']);
  });

  it('answers a form post or plain text with 415', async () => {
    expect(
      (await post('/api/organisations', 'type=pcn', 'application/x-www-form-urlencoded')).statusCode,
    ).toBe(415);
    const text = await post('/api/organisations', 'hello', 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json().detail).toMatch(/application\/json/);
  });

  it('answers an oversized body with 413', async () => {
    const big = JSON.stringify({ type: 'pcn', name: 'x'.repeat(1_100_000), parentId: world.orgs.icbA });
    const res = await post('/api/organisations', big);
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/too large/);
  });

  it('rejects unknown fields by name', async () => {
    const res = await post(
      '/api/organisations',
      JSON.stringify({ type: 'gp_practice', name: 'A Practice', parentId: world.orgs.pcnA1, colour: 'blue' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'colour', message: expect.stringMatching(/Remove "colour"/) },
    ]);
  });

  it('lists every field problem at once, with the field’s path', async () => {
    const res = await call(t, admin, 'POST', `/api/link-workers/${world.users.lwA1.id}/contexts`, {
      effectiveFrom: '31/12/2026',
      employmentModel: 'freelance',
      baseSettings: [],
      contractedHoursPerWeek: 99,
      supervision: 'none',
      clinicalSystemAccess: 'yes',
      practiceMeetings: 'regular',
      deliveryMode: 'hybrid',
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['baseSettings', 'contractedHoursPerWeek', 'effectiveFrom', 'employmentModel']);
  });

  it('gives an unknown API route a 404 problem, and an unknown method on a known path one too', async () => {
    const res = await call(t, admin, 'GET', '/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toMatch(/\/api\/docs/);
    expect((await call(t, admin, 'DELETE', '/api/organisations')).statusCode).toBe(404);
  });

  it('answers a malformed id in a path with 400, not a database error', async () => {
    const res = await call(t, admin, 'GET', '/api/users/not-a-uuid');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('id');
  });

  it('answers a stale version with 409 and tells the person to reload', async () => {
    const org = (await call(t, admin, 'GET', `/api/organisations/${world.orgs.pcnA2}`)).json();
    expect(
      (
        await call(t, admin, 'PATCH', `/api/organisations/${org.id}`, {
          version: org.version,
          name: 'First edit',
        })
      ).statusCode,
    ).toBe(200);
    const stale = await call(t, admin, 'PATCH', `/api/organisations/${org.id}`, {
      version: org.version,
      name: 'Second edit',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toMatch(/Reload/);
  });

  it('serves health and OpenAPI', async () => {
    expect((await t.app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/health/ready')).json()).toMatchObject({ status: 'ok' });
    const spec = (await t.app.inject('/api/docs/json')).json();
    expect(Object.keys(spec.paths)).toContain('/api/users/{id}');
  });

  it('turns a race between two people saving the same thing into one success and conflicts, never a 500', async () => {
    const body = {
      email: 'twice@test.linkwork.example',
      name: 'Saved Twice',
      roles: [{ organisationId: world.orgs.pcnA1, role: 'link_worker' }],
    };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => call(t, admin, 'POST', '/api/users', body)),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 422 || s === 409)).toBe(true);
  });

  it('never answers a random query string to any read route with a 5xx', async () => {
    const spec = (await t.app.inject('/api/docs/json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const reads = Object.keys(spec.paths).filter((p) => 'get' in (spec.paths[p] ?? {}));
    const keys = [
      'q',
      'role',
      'active',
      'organisationId',
      'action',
      'recordType',
      'recordId',
      'from',
      'to',
      'cursor',
      'limit',
      'date',
      'token',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        fc.dictionary(fc.constantFrom(...keys), fc.string({ unit: 'binary', maxLength: 30 })),
        fc.string({ unit: 'binary', maxLength: 40 }),
        async (path, query, segment) => {
          const url = `${path.replace(/\{[^}]+\}/g, encodeURIComponent(segment) || 'x')}?${new URLSearchParams(query)}`;
          const res = await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie } });
          expect(res.statusCode, `GET ${url} → ${res.body}`).toBeLessThan(500);
        },
      ),
      { numRuns: 200, seed: 20261127 },
    );
  });

  it('never answers a random body to any write route with a 5xx', async () => {
    const spec = (await t.app.inject('/api/docs/json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const writes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase() as 'POST', path })),
    );
    expect(writes.length).toBeGreaterThan(15);
    const ids = [world.users.lwA1.id, world.orgs.pcnA1, '00000000-0000-7000-8000-000000000000'];
    let session = admin;
    // Strings of any code point, NUL and lone surrogates included, as well as the default printable ones.
    const anyText = fc.string({ unit: 'binary', maxLength: 40 });
    const body = fc.oneof(
      fc.jsonValue(),
      fc.jsonValue({ stringUnit: 'binary' }),
      fc.dictionary(
        fc.constantFrom('email', 'name', 'type', 'parentId', 'code', 'token', 'password', 'notes', 'odsCode'),
        anyText,
      ),
      fc.dictionary(
        fc.constantFrom(
          'email',
          'name',
          'type',
          'parentId',
          'version',
          'roles',
          'organisationId',
          'role',
          'code',
          'token',
          'password',
          'effectiveFrom',
          'baseSettings',
          'contractedHoursPerWeek',
          'odsCode',
          'requireMfaForAll',
          'notes',
        ),
        fc.jsonValue(),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.constantFrom(...ids),
        body,
        async (route, id, payload) => {
          if (/sign-out/.test(route.path)) return;
          const url = route.path.replace(/\{[^}]+\}/g, id);
          const res = await t.app.inject({
            method: route.method,
            url,
            headers: {
              cookie: session.cookie,
              'x-csrf-token': session.csrfToken,
              'content-type': 'application/json',
            },
            payload: JSON.stringify(payload),
          });
          expect(
            res.statusCode,
            `${route.method} ${url} ${JSON.stringify(payload)} → ${res.body}`,
          ).toBeLessThan(500);
          if (res.statusCode >= 400)
            expect(res.headers['content-type']).toContain('application/problem+json');
          if (res.statusCode === 401) session = await signIn(t, world.users.icbAdminA);
        },
      ),
      { numRuns: 300, seed: 20261126 },
    );
  });
});
