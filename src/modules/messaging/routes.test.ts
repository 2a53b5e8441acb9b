import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { call, type Session, type TestApp } from '../../../test/factories.ts';
import { makeWorld, sessionsFor, type World } from '../../../test/world.ts';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { auditEvents } from '../audit/schema.ts';
import type { OutboxMessage } from './contract.ts';
import { type FakeNotify, startFakeNotify } from './fake-notify.ts';
import { enqueueMessage } from './outbox.ts';
import { messagingRoutes } from './routes.ts';
import { devTransport, notifyTransport } from './transports.ts';
import { startMessageWorker } from './worker.ts';

const templates = {
  self_completion_link: { sms: randomUUID(), email: randomUUID() },
  appointment_reminder: { sms: randomUUID(), email: randomUUID() },
};
const silent = { info: () => {}, warn: () => {}, error: () => {} };

describeEachDatabase('the Messages API', (db) => {
  let t: TestApp;
  let world: World;
  let notify: FakeNotify;
  let as: (k: keyof World['users']) => Promise<Session>;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    world = await makeWorld(db().db);
    notify = await startFakeNotify({
      templateIds: Object.values(templates).flatMap((x) => [x.sms, x.email]),
    });
    const clock = new ManualClock('2026-11-26T10:00:00Z');
    const app = (
      await buildApp({
        database: db(),
        clock,
        logLevel: 'silent',
        serveWeb: false,
        publicUrl: 'http://localhost:3000',
      })
    ).withTypeProvider<ZodTypeProvider>();
    // Until the lead registers the routes in app.ts, this suite registers them itself.
    if (!app.hasRoute({ method: 'GET', url: '/api/messages' })) {
      const deps: AppDeps = {
        db: db().db,
        clock,
        publicUrl: 'http://localhost:3000',
        session: { idleMinutes: 30, maxHours: 12 },
        secureCookies: false,
        cookieName: 'lw_session',
        ping: () => db().ping(),
        databaseKind: db().kind,
      };
      await app.register(messagingRoutes, { ...deps, messageTransport: 'dev', prefix: '/api' });
    }
    await app.ready();
    t = { app, clock, close: () => app.close() };
    as = sessionsFor(t, world);

    const queue = (organisationId: string, recipient: string, channel: 'sms' | 'email' = 'sms') =>
      inTransaction(db().db, { system: true, now: clock.now() }, (tx) =>
        enqueueMessage(tx, clock.now(), {
          organisationId,
          channel,
          template: 'self_completion_link',
          recipient,
          personalisation: {
            name: 'Ada',
            link: `https://linkwork.example/m/${randomUUID()}`,
            expires: 'Friday 4 December 2026',
            service: 'PCN',
          },
        }),
      ).then((r) => r.id);
    ids.a1Sent = await queue(world.orgs.pcnA1, '07700 900123');
    ids.a1Email = await queue(world.orgs.pcnA1, 'ada.lovelace@example.com', 'email');
    ids.b1Sent = await queue(world.orgs.pcnB1, '07700 900456');
    const dev = startMessageWorker(
      { db: db().db, clock, transport: devTransport(db().db, clock), logger: silent },
      { intervalMs: 0, reminders: false },
    );
    await dev.runOnce();
    ids.a1Failed = await queue(world.orgs.pcnA1, '07700 900789');
    ids.b1Failed = await queue(world.orgs.pcnB1, '07700 900321');
    notify.failNext(400, 400);
    await startMessageWorker(
      {
        db: db().db,
        clock,
        transport: notifyTransport({ baseUrl: notify.baseUrl, apiKey: notify.apiKey, templates }),
        logger: silent,
      },
      { intervalMs: 0, reminders: false },
    ).runOnce();
  });
  afterAll(async () => {
    await t.close();
    await notify.close();
  });

  const send = async (who: keyof World['users'], method: 'GET' | 'POST', url: string) =>
    call(t, await as(who), method, url);
  const itemsOf = async (who: keyof World['users'], url = '/api/messages') => {
    const res = await send(who, 'GET', url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as OutboxMessage[];
  };

  it('shows a PCN administrator their outbox, newest first, with recipients masked and failures explained', async () => {
    const res = await send('pcnAdminA1', 'GET', '/api/messages');
    expect(res.json().transport).toBe('dev');
    const items = res.json().items as OutboxMessage[];
    expect(items.map((i) => i.id)).toEqual([ids.a1Failed, ids.a1Email, ids.a1Sent]);
    expect(items[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      recipient: '07••••••789',
      organisationName: 'PCN A1',
      lastError:
        'GOV.UK Notify answered 400: BadRequestError: Cannot send to this recipient when service is in trial mode',
      channel: 'sms',
      template: 'self_completion_link',
      sentAt: null,
    });
    expect(items[1]).toMatchObject({ status: 'sent', recipient: 'a•••@example.com', transport: 'dev' });
    expect(res.body).not.toContain('900789');
    expect(res.body).not.toContain('linkwork.example/m/');
  });

  it('lets lead link workers see it too, an ICB administrator the PCNs below, and nobody another ICB’s', async () => {
    expect((await itemsOf('leadA1')).map((i) => i.id)).toEqual([ids.a1Failed, ids.a1Email, ids.a1Sent]);
    const icb = (await itemsOf('icbAdminA')).map((i) => i.id);
    expect(icb).toEqual(expect.arrayContaining([ids.a1Failed, ids.a1Sent]));
    expect(icb).not.toContain(ids.b1Sent);
    expect((await itemsOf('pcnAdminB1')).map((i) => i.id)).toEqual([ids.b1Failed, ids.b1Sent]);
    for (const who of ['lwA1', 'commissionerA', 'referrerA1a'] as const) {
      const res = await send(who, 'GET', '/api/messages');
      expect(res.statusCode, who).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('filters by status and pages with a cursor', async () => {
    expect((await itemsOf('pcnAdminA1', '/api/messages?status=failed')).map((i) => i.id)).toEqual([
      ids.a1Failed,
    ]);
    const first = (await send('pcnAdminA1', 'GET', '/api/messages?limit=2')).json();
    expect(first.items.map((i: OutboxMessage) => i.id)).toEqual([ids.a1Failed, ids.a1Email]);
    const second = (
      await send('pcnAdminA1', 'GET', `/api/messages?limit=2&cursor=${first.nextCursor}`)
    ).json();
    expect(second).toMatchObject({ items: [{ id: ids.a1Sent }], nextCursor: null });
    const bad = await send('pcnAdminA1', 'GET', '/api/messages?status=lost');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('status');
  });

  it('puts a failed message back in the queue, once, for its own organisation only', async () => {
    expect((await send('pcnAdminA1', 'POST', `/api/messages/${ids.b1Failed}/retry`)).statusCode).toBe(404);
    expect((await send('lwA1', 'POST', `/api/messages/${ids.a1Failed}/retry`)).statusCode).toBe(403);
    expect((await send('pcnAdminA1', 'POST', `/api/messages/${ids.a1Sent}/retry`)).statusCode).toBe(409);
    expect((await send('pcnAdminA1', 'POST', '/api/messages/not-an-id/retry')).statusCode).toBe(400);
    const retried = await send('leadA1', 'POST', `/api/messages/${ids.a1Failed}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({
      id: ids.a1Failed,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: t.clock.now().toISOString(),
    });
    expect((await send('leadA1', 'POST', `/api/messages/${ids.a1Failed}/retry`)).statusCode).toBe(409);
    const audited = await inTransaction(db().db, { system: true, now: t.clock.now() }, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(
          and(eq(auditEvents.action, 'message.retried'), eq(auditEvents.organisationId, world.orgs.pcnA1)),
        ),
    );
    expect(audited.map((a) => a.recordIds)).toEqual([[ids.a1Failed]]);
  });

  it('shows administrators the development inbox in full, their own organisation’s only, and audits it', async () => {
    const res = await send('pcnAdminA1', 'GET', '/api/messages/dev');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as {
      outboxId: string;
      recipient: string;
      body: string;
      subject: string | null;
    }[];
    expect(items.map((i) => i.outboxId).sort()).toEqual([ids.a1Sent, ids.a1Email].sort());
    const email = items.find((i) => i.outboxId === ids.a1Email)!;
    expect(email).toMatchObject({
      recipient: 'ada.lovelace@example.com',
      subject: 'A few questions from PCN',
    });
    expect(email.body).toMatch(/https:\/\/linkwork\.example\/m\/[0-9a-f-]{36}/);
    expect((await send('leadA1', 'GET', '/api/messages/dev')).statusCode).toBe(403);
    expect(
      (await send('pcnAdminB1', 'GET', '/api/messages/dev'))
        .json()
        .items.map((i: { outboxId: string }) => i.outboxId),
    ).toEqual([ids.b1Sent]);
    const audited = await inTransaction(db().db, { system: true, now: t.clock.now() }, (tx) =>
      tx.select().from(auditEvents).where(eq(auditEvents.action, 'message.dev_inbox_viewed')),
    );
    expect(audited.length).toBe(2);
  });
});
