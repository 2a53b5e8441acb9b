import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { normaliseEmail, normaliseUkMobile } from './recipients.ts';
import { messageOutbox } from './schema.ts';
import {
  type MessageChannel,
  type MessageTemplate,
  messageTemplates,
  templatePersonalisation,
} from './templates.ts';

export type { MessageChannel, MessageTemplate } from './templates.ts';
export { templatePersonalisation } from './templates.ts';

export interface NewMessage {
  organisationId: string;
  personId?: string | null;
  channel: MessageChannel;
  template: MessageTemplate;
  /** A UK mobile number for `sms` (stored as +447…), an email address for `email`. */
  recipient: string;
  personalisation: Record<string, string>;
  /** The same key twice in one organisation queues one message. */
  dedupeKey?: string;
  createdBy?: string | null;
}

type OutboxInsert = typeof messageOutbox.$inferInsert;

/**
 * Checks a message and builds its outbox row, or throws a ValidationError naming the field. The recipient and the
 * personalisation never appear in the error: the caller's form shows its own value back.
 */
export function outboxRowFor(now: Date, m: NewMessage): OutboxInsert {
  if (!(messageTemplates as readonly string[]).includes(m.template)) {
    throw new ValidationError(`There is no message template called ${m.template}`, { field: 'template' });
  }
  let recipient: string | null;
  if (m.channel === 'sms') {
    recipient = normaliseUkMobile(m.recipient);
    if (!recipient) {
      throw new ValidationError('Enter a UK mobile number, like 07700 900982, to send a text message', {
        field: 'recipient',
      });
    }
  } else if (m.channel === 'email') {
    recipient = normaliseEmail(m.recipient);
    if (!recipient) {
      throw new ValidationError('Enter an email address in the correct format, like name@example.com', {
        field: 'recipient',
      });
    }
  } else {
    throw new ValidationError('Choose text message or email', { field: 'channel' });
  }
  const wanted: readonly string[] = templatePersonalisation[m.template];
  const problems: FieldError[] = [];
  for (const key of wanted) {
    const value = m.personalisation[key];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push({ field: `personalisation.${key}`, message: `The message needs its ${key} filled in` });
    }
  }
  for (const key of Object.keys(m.personalisation)) {
    if (!wanted.includes(key)) {
      problems.push({ field: `personalisation.${key}`, message: `The ${m.template} message has no ${key}` });
    }
  }
  if (problems.length) throw new ValidationError(problems[0]!.message, problems);
  if (m.dedupeKey !== undefined && (m.dedupeKey.length === 0 || m.dedupeKey.length > 200)) {
    throw new ValidationError('A message’s dedupe key is 1 to 200 characters', { field: 'dedupeKey' });
  }
  return {
    id: newId(),
    organisationId: m.organisationId,
    personId: m.personId ?? null,
    channel: m.channel,
    template: m.template,
    recipient,
    personalisation: Object.fromEntries(wanted.map((k) => [k, m.personalisation[k]!])),
    dedupeKey: m.dedupeKey ?? null,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdBy: m.createdBy ?? null,
    createdAt: now,
  };
}

/** The partial unique index `message_outbox_dedupe_idx`, as ON CONFLICT names it. */
export const dedupeConflict = {
  target: [messageOutbox.organisationId, messageOutbox.dedupeKey],
  where: sql`dedupe_key is not null`,
};

/**
 * Queues a message in the caller's transaction, so it exists exactly when the thing that called for it commits.
 * A repeated dedupe key gives back the message already queued, with `queued: false`.
 */
export async function enqueueMessage(
  tx: Db,
  now: Date,
  m: NewMessage,
): Promise<{ id: string; queued: boolean }> {
  const row = outboxRowFor(now, m);
  const [inserted] = await tx
    .insert(messageOutbox)
    .values(row)
    .onConflictDoNothing(dedupeConflict)
    .returning({ id: messageOutbox.id });
  if (inserted) return { id: inserted.id, queued: true };
  const [existing] = await tx
    .select({ id: messageOutbox.id })
    .from(messageOutbox)
    .where(
      and(eq(messageOutbox.organisationId, m.organisationId), eq(messageOutbox.dedupeKey, m.dedupeKey!)),
    );
  if (!existing) throw new Error('message outbox: conflict without a row to show for it');
  return { id: existing.id, queued: false };
}
