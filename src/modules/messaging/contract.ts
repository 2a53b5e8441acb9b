import { z } from 'zod';
import { messageChannels, messageStatuses } from './schema.ts';

export const messageTransports = ['dev', 'notify'] as const;
export type MessageTransportName = (typeof messageTransports)[number];

export const messageListQuery = z.strictObject({
  status: z.enum(messageStatuses, { error: 'Choose queued, sending, sent, failed or cancelled' }).optional(),
  cursor: z.uuid('This page link is not valid: go back to the first page').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type MessageListQuery = z.infer<typeof messageListQuery>;

/** One outbox row as administrators see it: the recipient masked, no personalisation. */
export const outboxMessage = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  template: z.string(),
  channel: z.enum(messageChannels),
  /** e.g. `07•••••••123` or `j•••@example.com`. */
  recipient: z.string(),
  status: z.enum(messageStatuses),
  attempts: z.number(),
  lastError: z.string().nullable(),
  /** When the next attempt is due (queued messages only). */
  nextAttemptAt: z.string().nullable(),
  transport: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessage>;

export const messagePage = z.object({
  items: z.array(outboxMessage),
  nextCursor: z.string().nullable(),
  /** How this server sends messages: `dev` keeps them in the development inbox instead. */
  transport: z.enum(messageTransports),
});
export type MessagePage = z.infer<typeof messagePage>;

export const devMessageQuery = z.strictObject({
  cursor: z.uuid('This page link is not valid: go back to the first page').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type DevMessageQuery = z.infer<typeof devMessageQuery>;

/** A message the development transport "sent", in full. */
export const devMessage = z.object({
  id: z.string(),
  outboxId: z.string(),
  organisationId: z.string(),
  channel: z.enum(messageChannels),
  recipient: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
});
export type DevMessage = z.infer<typeof devMessage>;

export const devMessagePage = z.object({ items: z.array(devMessage), nextCursor: z.string().nullable() });
export type DevMessagePage = z.infer<typeof devMessagePage>;
