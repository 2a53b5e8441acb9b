import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, makeTestApp, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { rowsOf } from '../../db/client.ts';
import { inTransaction } from '../../platform/transaction.ts';

const ONS4 = { life_satisfaction: 6, worthwhile: 7, happiness: 5, anxiety: 4 };
const UCLA3 = { lack_companionship: 3, left_out: 2, isolated: 3 };

describeEachDatabase('self-completion links', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  let referralId: string;
  let personId: string;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
    const referral = (
      await send('referrerA1a', 'POST', '/api/referrals', {
        person: {
          givenName: 'Rosa',
          familyName: 'Linkperson',
          dateOfBirth: '1950-05-05',
          sex: 'female',
          nhsNumber: null,
          phone: null,
        },
        reasons: ['loneliness'],
        consentToReferral: true,
      })
    ).json();
    referralId = referral.id;
    personId = referral.personId;
    const triaged = await send('leadA1', 'POST', `/api/referrals/${referralId}/triage`, {
      decision: 'accept',
      version: referral.version,
      linkWorkerId: world.users.lwA1.id,
    });
    expect(triaged.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);
  const anon = (method: 'POST' | 'PUT', url: string, payload: unknown, ip = '10.9.9.9') =>
    t.app.inject({ method, url, payload: payload as Record<string, unknown>, remoteAddress: ip });
  const newLink = async (extra: Record<string, unknown> = {}) => {
    const res = await send('lwA1', 'POST', `/api/referrals/${referralId}/completion-links`, {
      timepoint: 'baseline',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; token: string; url: string; qrSvg: string; instrumentCodes: string[] };
  };
  const system = <T>(work: (tx: Parameters<Parameters<typeof inTransaction>[2]>[0]) => Promise<T>) =>
    inTransaction(db().db, { system: true, now: new Date() }, work);

  it('makes a single-use link shown once, with a QR code, storing only the token’s hash', async () => {
    const link = await newLink();
    expect(link.url).toBe(`http://localhost:3000/r/${link.token}`);
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.qrSvg).toContain('<svg');
    expect(link.instrumentCodes).toEqual(['ons4', 'ucla3']);
    const stored = await system(async (tx) =>
      rowsOf<{ token_hash: string }>(
        await tx.execute(sql`select token_hash from completion_links where id = ${link.id}`),
      ),
    );
    expect(stored[0]!.token_hash).toBe(createHash('sha256').update(link.token).digest('hex'));
    const listed = await send('lwA1', 'GET', `/api/referrals/${referralId}/completion-links`);
    expect(listed.body).not.toContain(link.token);
    expect(listed.json().items[0]).toMatchObject({ id: link.id, status: 'active' });
  });

  it('opens without signing in, shows the PCN (never the person), saves progress and is audited', async () => {
    const link = await newLink();
    const opened = await anon('POST', '/api/completion/open', { token: link.token });
    expect(opened.statusCode, opened.body).toBe(200);
    const body = opened.json();
    expect(body.service).toBe('PCN A1');
    expect(opened.body).not.toContain('Rosa');
    expect(body.questionnaires.map((q: { code: string }) => q.code)).toEqual(['ons4', 'ucla3']);

    const bad = await anon('PUT', '/api/completion/progress', {
      token: link.token,
      answers: { ons4: { life_satisfaction: 11 } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('answers.ons4.life_satisfaction');

    const saved = await anon('PUT', '/api/completion/progress', {
      token: link.token,
      answers: { ons4: { life_satisfaction: 6 } },
    });
    expect(saved.statusCode).toBe(200);
    const again = (await anon('POST', '/api/completion/open', { token: link.token })).json();
    expect(again.progress).toEqual({ ons4: { life_satisfaction: 6 } });

    const audit = await system(async (tx) =>
      rowsOf<{ action: string }>(
        await tx.execute(
          sql`select action from audit_events where record_ids @> ${JSON.stringify([link.id])}::jsonb order by occurred_at`,
        ),
      ),
    );
    expect(audit.map((a) => a.action)).toEqual([
      'outcomes.completion_link.created',
      'outcomes.completion_link.opened',
      'outcomes.completion_link.opened',
    ]);
  });

  it('records the person’s answers once, as self-completed online, and then accepts nothing', async () => {
    const link = await newLink();
    const submissionId = crypto.randomUUID();
    const answers = { ons4: ONS4, ucla3: { lack_companionship: 3, left_out: 2 } };
    const sent = await anon('POST', '/api/completion/submit', { token: link.token, answers, submissionId });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toEqual({ recorded: 2, alreadySent: false });

    // The same form sent again (a double tap, a retry): thanked, nothing new.
    const twice = await anon('POST', '/api/completion/submit', { token: link.token, answers, submissionId });
    expect(twice.statusCode).toBe(200);
    expect(twice.json().alreadySent).toBe(true);

    const measures = (await send('lwA1', 'GET', `/api/referrals/${referralId}/measures`)).json().items;
    const mine = measures.filter((m: { completedBy: string }) => m.completedBy === 'self');
    expect(mine).toHaveLength(2);
    expect(mine.every((m: { mode: string }) => m.mode === 'online')).toBe(true);
    const ucla = mine.find((m: { instrumentCode: string }) => m.instrumentCode === 'ucla3');
    expect(ucla.status).toBe('partial');
    expect(ucla.scores).toEqual([]);

    for (const [method, url, body] of [
      ['POST', '/api/completion/open', { token: link.token }],
      ['PUT', '/api/completion/progress', { token: link.token, answers: {} }],
      ['POST', '/api/completion/submit', { token: link.token, answers, submissionId: crypto.randomUUID() }],
    ] as const) {
      const res = await anon(method, url, body);
      expect(res.statusCode).toBe(410);
      expect(res.json().reason).toBe('used');
    }
    const listed = (await send('lwA1', 'GET', `/api/referrals/${referralId}/completion-links`)).json();
    expect(listed.items.find((l: { id: string }) => l.id === link.id).status).toBe('used');
  });

  it('refuses revoked, replaced, unknown and malformed links with a clear reason', async () => {
    const first = await newLink({ timepoint: 'other' });
    const second = await newLink({ timepoint: 'other' });
    const replaced = await anon('POST', '/api/completion/open', { token: first.token });
    expect(replaced.statusCode).toBe(410);
    expect(replaced.json().reason).toBe('revoked');

    const revoked = await send('lwA1', 'POST', `/api/completion-links/${second.id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect((await anon('POST', '/api/completion/open', { token: second.token })).json().reason).toBe(
      'revoked',
    );
    expect((await send('lwA1', 'POST', `/api/completion-links/${second.id}/revoke`)).statusCode).toBe(409);

    const unknown = await anon('POST', '/api/completion/open', { token: 'A'.repeat(43) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/whole link/);
    const malformed = await anon('POST', '/api/completion/open', { token: 'short' });
    expect(malformed.statusCode).toBe(400);
  });

  it('refuses an expired link and says when it stopped working', async () => {
    const link = await newLink({ expiresInDays: 1, timepoint: 'discharge' });
    await system((tx) =>
      tx.execute(
        sql`update completion_links set expires_at = ${new Date(Date.now() - 60_000)} where id = ${link.id}`,
      ),
    );
    const res = await anon('POST', '/api/completion/open', { token: link.token });
    expect(res.statusCode).toBe(410);
    expect(res.json().reason).toBe('expired');
    expect(res.json().detail).toMatch(/stopped working on/);
    const listed = (await send('lwA1', 'GET', `/api/referrals/${referralId}/completion-links`)).json();
    expect(listed.items.find((l: { id: string }) => l.id === link.id).status).toBe('expired');
  });

  it('queues a text message through the outbox when asked, and says when there is no number', async () => {
    const noNumber = await send('lwA1', 'POST', `/api/referrals/${referralId}/completion-links`, {
      timepoint: 'baseline',
      send: 'sms',
    });
    expect(noNumber.statusCode).toBe(422);
    expect(noNumber.json().errors[0]).toMatchObject({ field: 'send' });
    await system((tx) => tx.execute(sql`update people set phone = '07700 900123' where id = ${personId}`));
    const sent = await newLink({ send: 'sms' });
    const queued = await system(async (tx) =>
      rowsOf<{ template: string; status: string; personalisation: { link: string } }>(
        await tx.execute(
          sql`select template, status, personalisation from message_outbox where dedupe_key = ${`completion-link:${sent.id}`}`,
        ),
      ),
    );
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ template: 'self_completion_link', status: 'queued' });
    expect(queued[0]!.personalisation.link).toBe(sent.url);

    // Cancelling the link cancels its unsent message, and the outbox forgets the link (a key).
    expect((await send('lwA1', 'POST', `/api/completion-links/${sent.id}/revoke`)).statusCode).toBe(200);
    const cancelled = await system(async (tx) =>
      rowsOf<{ status: string; personalisation: Record<string, string> }>(
        await tx.execute(
          sql`select status, personalisation from message_outbox where dedupe_key = ${`completion-link:${sent.id}`}`,
        ),
      ),
    );
    expect(cancelled[0]!.status).toBe('cancelled');
    expect(cancelled[0]!.personalisation.link).toBeUndefined();

    // A landline cannot take a text: said before anything is queued.
    await system((tx) => tx.execute(sql`update people set phone = '0113 496 0000' where id = ${personId}`));
    const landline = await send('lwA1', 'POST', `/api/referrals/${referralId}/completion-links`, {
      timepoint: 'baseline',
      send: 'sms',
    });
    expect(landline.statusCode).toBe(422);
    expect(landline.json().errors[0]).toMatchObject({ field: 'send' });
    expect(landline.json().detail).toMatch(/cannot receive text messages/);
  });

  it('makes no follow-up link for someone who did not agree to be contacted after discharge', async () => {
    const res = await send('lwA1', 'POST', `/api/referrals/${referralId}/completion-links`, {
      timepoint: 'follow_up_long',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/did not agree/);
  });

  it('works to the end of its last day in England', async () => {
    const link = await newLink({ timepoint: 'discharge', expiresInDays: 1 });
    const listed = (await send('lwA1', 'GET', `/api/referrals/${referralId}/completion-links`)).json();
    const expires = new Date(listed.items.find((l: { id: string }) => l.id === link.id).expiresAt);
    const london = (d: Date) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(d);
    expect(london(expires)).toBe('00:00');
    expect(expires.getTime() - t.clock.now().getTime()).toBeGreaterThan(86_400_000);
    expect(expires.getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(2 * 86_400_000);
  });

  it('keeps links to the link worker’s own episodes and PCN', async () => {
    const other = await send('lwB1', 'POST', `/api/referrals/${referralId}/completion-links`, {
      timepoint: 'baseline',
    });
    expect(other.statusCode).toBe(404);
    const notMine = await send('lwA1b', 'POST', `/api/referrals/${referralId}/completion-links`, {
      timepoint: 'baseline',
    });
    expect(notMine.statusCode).toBe(404);
    const referrer = await send('referrerA1a', 'POST', `/api/referrals/${referralId}/completion-links`, {
      timepoint: 'baseline',
    });
    expect(referrer.statusCode).toBe(403);
    const badInstrument = await send('lwA1', 'POST', `/api/referrals/${referralId}/completion-links`, {
      timepoint: 'baseline',
      instrumentCodes: ['swemwbs'],
    });
    expect(badInstrument.statusCode).toBe(422);
    expect(badInstrument.json().errors[0].field).toBe('instrumentCodes.0');
  });

  describe('rate limit', () => {
    it('refuses an address after 120 calls in 15 minutes, failed guesses included', async () => {
      let last = 0;
      for (let i = 0; i < 121; i++) {
        last = (await anon('POST', '/api/completion/open', { token: 'B'.repeat(43) }, '10.7.7.7')).statusCode;
        if (i < 120) expect(last).toBe(404);
      }
      expect(last).toBe(429);
      // Another address is unaffected.
      expect(
        (await anon('POST', '/api/completion/open', { token: 'B'.repeat(43) }, '10.7.7.8')).statusCode,
      ).toBe(404);
    });
  });
});

describeEachDatabase('measures due on a caseload, and a person’s measures', (db) => {
  let t: TestApp;
  let world: World;
  let as: (k: keyof World['users']) => Promise<Session>;
  beforeAll(async () => {
    world = await makeWorld(db().db);
    t = await makeTestApp(db());
    as = sessionsFor(t, world);
  });
  afterAll(() => t.close());
  const send = async (who: keyof World['users'], method: string, url: string, body?: unknown) =>
    call(t, await as(who), method as 'POST', url, body as Record<string, unknown>);

  it('lists baselines due on open episodes, drops them once recorded, and keeps to the link worker', async () => {
    const ids: string[] = [];
    for (const name of ['Ann', 'Bob']) {
      const referral = (
        await send('referrerA1a', 'POST', '/api/referrals', {
          person: {
            givenName: name,
            familyName: 'Due',
            dateOfBirth: '1960-01-01',
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
      ids.push(referral.id);
    }
    const due = await send('lwA1', 'GET', '/api/outcomes/due');
    expect(due.statusCode).toBe(200);
    const items = due.json().items as {
      referralId: string;
      timepoint: string;
      instrumentsOutstanding: string[];
    }[];
    expect(items.filter((i) => ids.includes(i.referralId))).toHaveLength(2);
    expect(items[0]).toMatchObject({ timepoint: 'baseline', instrumentsOutstanding: ['ons4', 'ucla3'] });

    const today = t.clock.now().toISOString().slice(0, 10);
    for (const [instrumentCode, answers] of [
      ['ons4', ONS4],
      ['ucla3', UCLA3],
    ] as const) {
      const r = await send('lwA1', 'POST', `/api/referrals/${ids[0]}/measures`, {
        instrumentCode,
        timepoint: 'baseline',
        completedOn: today,
        completedBy: 'with_link_worker',
        mode: 'in_person',
        answers,
        submissionId: crypto.randomUUID(),
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const after = (await send('lwA1', 'GET', '/api/outcomes/due')).json().items as { referralId: string }[];
    expect(after.map((i) => i.referralId)).toEqual([ids[1]]);

    expect((await send('lwA1b', 'GET', '/api/outcomes/due')).json().items).toEqual([]);
    expect(
      (await send('lwA1b', 'GET', `/api/outcomes/due?linkWorkerId=${world.users.lwA1.id}`)).statusCode,
    ).toBe(404);
    const lead = await send('leadA1', 'GET', `/api/outcomes/due?linkWorkerId=${world.users.lwA1.id}`);
    expect(lead.json().items).toHaveLength(1);
    expect((await send('referrerA1a', 'GET', '/api/outcomes/due')).statusCode).toBe(403);

    const episode = (await send('lwA1', 'GET', `/api/referrals/${ids[0]}/episode`)).json();
    const person = await send('lwA1', 'GET', `/api/people/${episode.personId}/measures`);
    expect(person.statusCode).toBe(200);
    expect(
      person
        .json()
        .items.map((m: { instrumentCode: string }) => m.instrumentCode)
        .sort(),
    ).toEqual(['ons4', 'ucla3']);
    expect(person.json().items[0].referralId).toBe(ids[0]);
    expect((await send('lwB1', 'GET', `/api/people/${episode.personId}/measures`)).statusCode).toBe(404);
  });
});
