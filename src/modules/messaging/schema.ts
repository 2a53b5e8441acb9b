import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';

export const messageChannels = ['sms', 'email'] as const;
export const messageStatuses = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;

/**
 * Every message Linkwork sends (self-completion links, appointment reminders) is first a row here, written in the
 * same transaction as the thing that calls for it; a worker sends it through the configured transport. A row being
 * sent holds a lease (`locked_until`): if the server stops mid-send the lease runs out and the row is sent again,
 * so nothing is lost. Failed attempts wait with backoff (`next_attempt_at`) and stay visible with their error.
 */
export const messageOutbox = pgTable(
  'message_outbox',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id').references(() => people.id),
    channel: text('channel', { enum: messageChannels }).notNull(),
    /** What kind of message: `self_completion_link`, `appointment_reminder`, … (maps to a transport template). */
    template: text('template').notNull(),
    /** Phone number or email address. Personal data: never logged. */
    recipient: text('recipient').notNull(),
    personalisation: jsonb('personalisation').$type<Record<string, string>>().notNull(),
    /** Set by the caller so the same message is queued once (e.g. one reminder per appointment and day). */
    dedupeKey: text('dedupe_key'),
    status: text('status', { enum: messageStatuses }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    /** The transport's id for the sent message (GOV.UK Notify's notification id). */
    providerId: text('provider_id'),
    transport: text('transport'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('message_outbox_due_idx').on(t.nextAttemptAt).where(sql`status in ('queued', 'sending')`),
    index('message_outbox_organisation_idx').on(t.organisationId, t.createdAt),
    uniqueIndex('message_outbox_dedupe_idx')
      .on(t.organisationId, t.dedupeKey)
      .where(sql`dedupe_key is not null`),
  ],
);

/** What the development transport "sent": readable by the organisation's administrators on a page. */
export const devMessages = pgTable(
  'dev_messages',
  {
    id: uuid('id').primaryKey(),
    outboxId: uuid('outbox_id')
      .notNull()
      .references(() => messageOutbox.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    channel: text('channel', { enum: messageChannels }).notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('dev_messages_organisation_idx').on(t.organisationId, t.createdAt)],
);
