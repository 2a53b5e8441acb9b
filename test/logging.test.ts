import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { describeEachDatabase } from './db.ts';
import { makeOrganisation, makeUser, TEST_PASSWORD } from './factories.ts';

describeEachDatabase('logs', (db) => {
  const lines: string[] = [];
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({
      database: db(),
      logLevel: 'info',
      serveWeb: false,
      logStream: { write: (l) => void lines.push(l) },
    });
  });
  afterAll(() => app.close());

  it('are JSON with a request id, and carry no email, name, password, token or query string', async () => {
    const pcn = await makeOrganisation(db().db, { type: 'pcn', name: 'Secret Valley PCN' });
    const user = await makeUser(db().db, { roles: [[pcn, 'link_worker']], name: 'Ada Lovelace' });
    const signedIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    const cookie = signedIn.cookies.find((c) => c.name === 'lw_session')!.value;
    await app.inject({
      method: 'GET',
      url: `/api/auth/password-token?token=abcdefghijklmnop&email=${user.email}`,
    });
    await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email, password: 'wrong password here' },
    });
    await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `lw_session=${cookie}` } });
    // A self-completion link's token is a key: neither its page's address nor the API call logs it.
    const completionToken = 'SelfCompletionTokenXyz0123456789abcdefghijk';
    await app.inject({ method: 'GET', url: `/r/${completionToken}` });
    await app.inject({ method: 'POST', url: '/api/completion/open', payload: { token: completionToken } });
    expect(lines.length).toBeGreaterThan(4);
    const parsed = lines.map((l) => JSON.parse(l) as { reqId?: string });
    expect(parsed.some((l) => typeof l.reqId === 'string')).toBe(true);
    const all = lines.join('\n');
    expect(all).toContain('"path":"/r/…"');
    for (const secret of [
      user.email,
      'Ada Lovelace',
      TEST_PASSWORD,
      'wrong password here',
      cookie,
      'abcdefghijklmnop',
      'SelfCompletionTokenXyz0123456789abcdefghijk',
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
