import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { makeOrganisation } from '../../../test/factories.ts';
import { ManualClock, minutes } from '../../platform/clock.ts';

import { inTransaction } from '../../platform/transaction.ts';
import { type FakeNotify, startFakeNotify } from './fake-notify.ts';
import { enqueueMessage, type NewMessage } from './outbox.ts';
import { devMessages, messageOutbox } from './schema.ts';
import { devTransport, notifyTransport, type OutgoingMessage, type Transport } from './transports.ts';
import {
  LEASE_MS,
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  startMessageWorker,
  type WorkerLogger,
  withoutPersonalData,
} from './worker.ts';

const seconds = (n: number) => n * 1000;

const templates = {
  self_completion_link: { sms: randomUUID(), email: randomUUID() },
  appointment_reminder: { sms: randomUUID(), email: randomUUID() },
};

/** Collects log lines, so a test can show no personal data reaches the log. */
function memoryLogger(): WorkerLogger & { lines: string[] } {
  const lines: string[] = [];
  const write = (obj: object, msg: string) => lines.push(JSON.stringify({ ...obj, msg }));
  return { lines, info: write, warn: write, error: write };
}

describe('errors kept on a message', () => {
  it('lose the recipient, in either form, and the personalisation a provider might echo back', () => {
    const message = {
      recipient: '+447700900123',
      personalisation: { name: 'Ada Lovelace', link: 'https://x/m/tok' },
    };
    expect(
      withoutPersonalData(
        'Bad number 07700900123 (+447700900123) for Ada Lovelace at https://x/m/tok',
        message,
      ),
    ).toBe('Bad number [removed] ([removed]) for [removed] at [removed]');
  });
});

describeEachDatabase('the message outbox worker', (db) => {
  let notify: FakeNotify;
  let pcn: string;
  const clock = new ManualClock('2026-11-26T09:00:00Z');
  const logger = memoryLogger();
  beforeAll(async () => {
    notify = await startFakeNotify({
      templateIds: Object.values(templates).flatMap((t) => [t.sms, t.email]),
    });
    pcn = await makeOrganisation(db().db, { type: 'pcn', name: 'PCN Worker' });
  });
  afterAll(() => notify.close());

  const system = () => ({ system: true as const, now: clock.now() });
  const link = () => `https://linkwork.example/r/${randomUUID()}`;
  const message = (over: Partial<NewMessage> = {}): NewMessage => ({
    organisationId: pcn,
    channel: 'sms',
    template: 'self_completion_link',
    recipient: '07700 900123',
    personalisation: { name: 'Ada', link: link(), expires: 'Friday 4 December 2026', service: 'PCN Worker' },
    ...over,
  });
  const enqueue = (m: NewMessage = message()) =>
    inTransaction(db().db, system(), (tx) => enqueueMessage(tx, clock.now(), m)).then((r) => r.id);
  const rowsOf = (ids: string[]) =>
    inTransaction(db().db, system(), (tx) =>
      tx.select().from(messageOutbox).where(inArray(messageOutbox.id, ids)),
    );
  const rowOf = async (id: string) => (await rowsOf([id]))[0]!;
  const worker = (transport: Transport) =>
    startMessageWorker({ db: db().db, clock, transport, logger }, { intervalMs: 0, reminders: false });
  const viaNotify = () =>
    worker(notifyTransport({ baseUrl: notify.baseUrl, apiKey: notify.apiKey, templates }));

  it('sends a queued message through the development transport, which keeps its text for administrators', async () => {
    const m = message();
    const id = await enqueue(m);
    expect(await worker(devTransport(db().db, clock)).runOnce()).toBe(1);
    const row = await rowOf(id);
    expect(row).toMatchObject({
      status: 'sent',
      attempts: 1,
      transport: 'dev',
      sentAt: clock.now(),
      lockedUntil: null,
    });
    const [kept] = await inTransaction(db().db, system(), (tx) =>
      tx.select().from(devMessages).where(eq(devMessages.outboxId, id)),
    );
    expect(kept).toMatchObject({
      id: row.providerId,
      recipient: '+447700900123',
      subject: null,
      organisationId: pcn,
    });
    // The link is a key: the inbox shows that one was sent, never the token, and the outbox forgets it once sent.
    expect(kept!.body).not.toContain(m.personalisation.link);
    expect(kept!.body).toContain('/r/…');
    expect(row.personalisation.link).toBeUndefined();
    expect(kept!.body).toContain('Hello Ada, PCN Worker would like to know how you are getting on.');
  });

  it('tries again after a 500 with backoff, then sends', async () => {
    const id = await enqueue();
    notify.failNext(500);
    const w = viaNotify();
    await w.runOnce();
    const waiting = await rowOf(id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, lockedUntil: null });
    expect(waiting.nextAttemptAt).toEqual(new Date(clock.now().getTime() + RETRY_DELAYS_MS[0]));
    expect(waiting.lastError).toBe('GOV.UK Notify answered 500: Exception: Internal server error');

    expect(await w.runOnce()).toBe(0);
    clock.advance(RETRY_DELAYS_MS[0] - seconds(1));
    expect(await w.runOnce()).toBe(0);
    clock.advance(seconds(1));
    expect(await w.runOnce()).toBe(1);
    const sent = await rowOf(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, transport: 'notify', lastError: null });
    expect(notify.sent.find((n) => n.id === sent.providerId)?.body.reference).toBe(id);
  });

  it('gives up after the last attempt, each wait longer than the one before', async () => {
    const id = await enqueue();
    notify.failNext(...Array.from({ length: MAX_ATTEMPTS }, () => 503));
    const w = viaNotify();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await w.runOnce()).toBe(1);
      const row = await rowOf(id);
      if (row.status === 'queued') {
        waits.push(row.nextAttemptAt.getTime() - clock.now().getTime());
        clock.set(row.nextAttemptAt);
      }
    }
    expect(waits).toEqual([...RETRY_DELAYS_MS]);
    expect(await rowOf(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    clock.advance(minutes(60 * 24));
    expect(await w.runOnce()).toBe(0);
  });

  it('fails a message Notify refuses (400) at once, visibly, with no personal data in the error or the log', async () => {
    const m = message({ recipient: '07700 900999' });
    const id = await enqueue(m);
    notify.failNext(400);
    logger.lines.length = 0;
    await viaNotify().runOnce();
    const row = await rowOf(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.lastError).toBe(
      'GOV.UK Notify answered 400: BadRequestError: Cannot send to this recipient when service is in trial mode',
    );
    const log = logger.lines.join('\n');
    expect(log).toContain(id);
    for (const secret of ['+447700900999', '900999', ...Object.values(m.personalisation)]) {
      expect(log).not.toContain(secret);
      expect(row.lastError).not.toContain(secret);
    }
  });

  it('sends again a message left in sending by a worker that stopped, once its lease runs out', async () => {
    const id = await enqueue();
    let release: (() => void) | undefined;
    const stuck: Transport = {
      name: 'stuck',
      send: () =>
        new Promise((resolve) => {
          release = () => resolve({ providerId: 'too-late' });
        }),
    };
    // The first worker claims the message, then never finishes sending (the server stopped).
    const first = worker(stuck).runOnce();
    await expect.poll(async () => (await rowOf(id)).status).toBe('sending');
    expect((await rowOf(id)).lockedUntil).toEqual(new Date(clock.now().getTime() + LEASE_MS));

    const second = viaNotify();
    expect(await second.runOnce()).toBe(0);
    clock.advance(LEASE_MS);
    expect(await second.runOnce()).toBe(1);
    const sent = await rowOf(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, transport: 'notify' });

    // Should the first worker wake up after all, it must not overwrite what the second recorded.
    release!();
    await first;
    expect(await rowOf(id)).toEqual(sent);
  });

  it('never lets two workers send the same message', async () => {
    const ids = await Promise.all(Array.from({ length: 25 }, () => enqueue()));
    const sends: string[] = [];
    const counting = (name: string): Transport => ({
      name,
      async send(m: OutgoingMessage) {
        sends.push(m.id);
        await new Promise((r) => setImmediate(r));
        return { providerId: `${name}-${m.id}` };
      },
    });
    const a = startMessageWorker(
      { db: db().db, clock, transport: counting('a'), logger },
      { intervalMs: 0, reminders: false, batchSize: 4 },
    );
    const b = startMessageWorker(
      { db: db().db, clock, transport: counting('b'), logger },
      { intervalMs: 0, reminders: false, batchSize: 4 },
    );
    const [fromA, fromB] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(fromA + fromB).toBe(25);
    expect([...sends].sort()).toEqual([...ids].sort());
    const rows = await rowsOf(ids);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('runs on a timer until stopped', async () => {
    const id = await enqueue();
    const w = startMessageWorker(
      { db: db().db, clock, transport: devTransport(db().db, clock), logger },
      { intervalMs: 10, reminders: false },
    );
    await expect.poll(async () => (await rowOf(id)).status, { timeout: 10_000 }).toBe('sent');
    await w.stop();
  });
});
