import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.ts';
import { type Clock, hours, minutes } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { cancelStaleReminders, queueAppointmentReminders } from './reminders.ts';
import type { MessageChannel, MessageTemplate } from './templates.ts';
import { type OutgoingMessage, type Transport, TransportError } from './transports.ts';

/** How long a worker may take to send a claimed message before another worker may claim it again. */
export const LEASE_MS = minutes(2);
/** The wait after each failed attempt that may work later; after the last of them the message has failed. */
export const RETRY_DELAYS_MS = [minutes(1), minutes(5), minutes(30), hours(2), hours(6)] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** The part of a pino logger the worker uses. It logs ids and counts only. */
export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MessageWorkerDeps {
  db: Db;
  clock: Clock;
  transport: Transport;
  logger: WorkerLogger;
}

export interface MessageWorkerOptions {
  /** Time between runs; 0 starts no timer (call runOnce yourself, as tests do). */
  intervalMs: number;
  /** Messages claimed, then sent side by side, at a time (default 10: each send times out well inside the lease). */
  batchSize?: number;
  /** Stop a run after this many messages; the next run carries on (default 200). */
  maxPerRun?: number;
  /** Queue tomorrow's appointment reminders at the start of each run (default true). */
  reminders?: boolean;
}

export interface MessageWorker {
  /** Sends what is due now; resolves to the number of messages it tried to send. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

interface ClaimedRow {
  id: string;
  organisation_id: string;
  channel: MessageChannel;
  template: MessageTemplate;
  recipient: string;
  personalisation: Record<string, string> | string;
  attempts: number;
}

type Outcome = 'sent' | 'retrying' | 'failed' | 'lost';

const system = (now: Date) => ({ system: true as const, now });

/** What may be logged of an unexpected error: its kind and SQLSTATE, never its text (which can quote values). */
const errorFields = (err: unknown) => ({
  error: err instanceof Error ? err.name : typeof err,
  code: (err as { code?: unknown } | null)?.code ?? null,
});

/**
 * Claims up to `limit` due messages as the system (every organisation's): queued ones whose time has come and
 * ones left in `sending` by a worker that stopped (their lease, kept in next_attempt_at, has run out). SKIP LOCKED
 * lets workers claim side by side without waiting for or taking each other's rows; the claim commits before
 * anything is sent, so the lease is visible to every other worker.
 */
async function claimDue(
  db: Db,
  now: Date,
  limit: number,
): Promise<(OutgoingMessage & { attempts: number })[]> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const rows = await inTransaction(db, system(now), async (tx) => {
    // A message whose sending stopped the worker every time it was tried is given up on, visibly.
    await tx.execute(sql`
      update message_outbox set status = 'failed', locked_until = null,
        last_error = 'Sending stopped part-way on every attempt: check the transport, then try again.'
      where status = 'sending' and attempts >= ${MAX_ATTEMPTS}
        and next_attempt_at <= ${now.toISOString()}::timestamptz`);
    return rowsOf<ClaimedRow>(
      await tx.execute(sql`
        with due as materialized (
          select id from message_outbox
          where status in ('queued', 'sending') and next_attempt_at <= ${now.toISOString()}::timestamptz
            and attempts < ${MAX_ATTEMPTS}
          order by next_attempt_at
          limit ${limit}
          for update skip locked
        )
        update message_outbox m
        set status = 'sending', attempts = m.attempts + 1,
            locked_until = ${lease.toISOString()}::timestamptz, next_attempt_at = ${lease.toISOString()}::timestamptz
        from due where m.id = due.id
        returning m.id, m.organisation_id, m.channel, m.template, m.recipient, m.personalisation, m.attempts`),
    );
  });
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    channel: r.channel,
    template: r.template,
    recipient: r.recipient,
    personalisation:
      typeof r.personalisation === 'string' ? JSON.parse(r.personalisation) : r.personalisation,
    attempts: Number(r.attempts),
  }));
}

/** Takes the recipient and personalisation out of an error's text, in case a provider echoed them back. */
export function withoutPersonalData(
  text: string,
  message: Pick<OutgoingMessage, 'recipient' | 'personalisation'>,
) {
  // A number may come back as +447… or 07…
  const national = message.recipient.startsWith('+44') ? `0${message.recipient.slice(3)}` : message.recipient;
  const secrets = [message.recipient, national, ...Object.values(message.personalisation)]
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length);
  let clean = text;
  for (const s of secrets) clean = clean.replaceAll(s, '[removed]');
  return clean.slice(0, 500);
}

/** Starts the loop that sends the outbox; `intervalMs: 0` for none. */
export function startMessageWorker(deps: MessageWorkerDeps, options: MessageWorkerOptions): MessageWorker {
  const { db, clock, transport, logger } = deps;
  const batchSize = options.batchSize ?? 10;
  const maxPerRun = options.maxPerRun ?? 200;
  const reminders = options.reminders ?? true;

  async function record(
    message: OutgoingMessage & { attempts: number },
    result: { providerId: string } | { error: string; retryable: boolean },
  ): Promise<Outcome> {
    const now = clock.now();
    // Only while this worker still holds the claim: a row whose lease ran out may have been claimed again.
    const mine = sql`id = ${message.id} and status = 'sending' and attempts = ${message.attempts}`;
    let outcome: Outcome;
    let update: ReturnType<typeof sql>;
    if ('providerId' in result) {
      outcome = 'sent';
      // A self-completion link is a key: once sent, the outbox keeps no copy of it.
      update = sql`update message_outbox set status = 'sent', provider_id = ${result.providerId},
        transport = ${transport.name}, sent_at = ${now.toISOString()}::timestamptz, locked_until = null,
        last_error = null, personalisation = personalisation - 'link' where ${mine}`;
    } else if (result.retryable && message.attempts < MAX_ATTEMPTS) {
      outcome = 'retrying';
      const next = new Date(now.getTime() + RETRY_DELAYS_MS[message.attempts - 1]!);
      update = sql`update message_outbox set status = 'queued', next_attempt_at = ${next.toISOString()}::timestamptz,
        locked_until = null, last_error = ${result.error}, transport = ${transport.name} where ${mine}`;
    } else {
      outcome = 'failed';
      update = sql`update message_outbox set status = 'failed', locked_until = null, last_error = ${result.error},
        transport = ${transport.name} where ${mine}`;
    }
    const changed = await inTransaction(db, system(now), async (tx) =>
      rowsOf<{ id: string }>(await tx.execute(sql`${update} returning id`)),
    );
    if (changed.length === 0) {
      logger.warn(
        { messageId: message.id, attempts: message.attempts },
        'message outbox: lease lost before recording',
      );
      return 'lost';
    }
    return outcome;
  }

  async function deliver(message: OutgoingMessage & { attempts: number }): Promise<Outcome> {
    try {
      const { providerId } = await transport.send(message);
      return await record(message, { providerId });
    } catch (err) {
      const known = err instanceof TransportError;
      // An unexpected error's text could hold anything: keep only its kind.
      const text = known
        ? err.message
        : `The ${transport.name} transport failed unexpectedly (${(err as Error)?.name ?? 'error'})`;
      const retryable = known ? err.retryable : true;
      logger.warn(
        {
          messageId: message.id,
          attempts: message.attempts,
          retryable,
          status: known ? err.status : null,
          transport: transport.name,
        },
        'message outbox: send failed',
      );
      return record(message, { error: withoutPersonalData(text, message), retryable });
    }
  }

  async function runOnce(): Promise<number> {
    const startedAt = clock.now();
    if (reminders) {
      try {
        const { cancelled, queued } = await inTransaction(db, system(startedAt), async (tx) => ({
          cancelled: await cancelStaleReminders(tx),
          queued: await queueAppointmentReminders(tx, startedAt),
        }));
        if (queued + cancelled > 0) {
          logger.info({ queued, cancelled }, 'message outbox: appointment reminders queued');
        }
      } catch (err) {
        logger.error(errorFields(err), 'message outbox: appointment reminders could not be queued');
      }
    }
    const counts: Record<Outcome, number> = { sent: 0, retrying: 0, failed: 0, lost: 0 };
    let tried = 0;
    while (tried < maxPerRun) {
      const claimed = await claimDue(db, clock.now(), Math.min(batchSize, maxPerRun - tried));
      if (claimed.length === 0) break;
      tried += claimed.length;
      for (const outcome of await Promise.all(claimed.map(deliver))) counts[outcome]++;
      if (claimed.length < batchSize) break;
    }
    if (tried > 0) logger.info({ tried, ...counts }, 'message outbox: run finished');
    return tried;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> | null = null;
  const schedule = () => {
    if (stopped || options.intervalMs <= 0) return;
    timer = setTimeout(() => {
      current = runOnce()
        .catch((err) => logger.error(errorFields(err), 'message outbox: run failed'))
        .finally(() => {
          current = null;
          schedule();
        });
    }, options.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
