import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Actor, assertRole } from '../../platform/actor.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { organisations } from '../organisations/schema.ts';
import type {
  DevMessagePage,
  DevMessageQuery,
  MessageListQuery,
  MessagePage,
  MessageTransportName,
  OutboxMessage,
} from './contract.ts';
import { maskRecipient } from './recipients.ts';
import { devMessages, messageOutbox } from './schema.ts';

const inScope = (
  actor: Actor,
  column: typeof messageOutbox.organisationId | typeof devMessages.organisationId,
) => sql`${column} = ANY (${sql.param(actor.scopeOrganisationIds)}::uuid[])`;

const outboxColumns = { message: messageOutbox, organisationName: organisations.name };

function toOutboxMessage({
  message: m,
  organisationName,
}: {
  message: typeof messageOutbox.$inferSelect;
  organisationName: string;
}): OutboxMessage {
  return {
    id: m.id,
    organisationId: m.organisationId,
    organisationName,
    template: m.template,
    channel: m.channel,
    recipient: maskRecipient(m.channel, m.recipient),
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    nextAttemptAt: m.status === 'queued' ? m.nextAttemptAt.toISOString() : null,
    transport: m.transport,
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
  };
}

/** The outbox of the acting organisation and those below it, newest first: for administrators and lead link workers. */
export async function listMessages(
  tx: Db,
  actor: Actor,
  query: MessageListQuery,
  transport: MessageTransportName,
): Promise<MessagePage> {
  assertRole(actor, 'admin', 'lead_link_worker');
  const rows = await tx
    .select(outboxColumns)
    .from(messageOutbox)
    .innerJoin(organisations, eq(organisations.id, messageOutbox.organisationId))
    .where(
      and(
        inScope(actor, messageOutbox.organisationId),
        query.status ? eq(messageOutbox.status, query.status) : undefined,
        query.cursor
          ? sql`(${messageOutbox.createdAt}, ${messageOutbox.id}) <
              (select created_at, id from message_outbox where id = ${query.cursor})`
          : undefined,
      ),
    )
    .orderBy(desc(messageOutbox.createdAt), desc(messageOutbox.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map(toOutboxMessage),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.message.id ?? null) : null,
    transport,
  };
}

/** Puts a failed message back in the queue to be sent now, with a fresh set of attempts. */
export async function retryMessage(tx: Db, actor: Actor, id: string): Promise<OutboxMessage> {
  assertRole(actor, 'admin', 'lead_link_worker');
  const [current] = await tx
    .select(outboxColumns)
    .from(messageOutbox)
    .innerJoin(organisations, eq(organisations.id, messageOutbox.organisationId))
    .where(and(eq(messageOutbox.id, id), inScope(actor, messageOutbox.organisationId)))
    .for('update', { of: messageOutbox });
  if (!current) throw new NotFoundError('There is no message with this id in your organisation.');
  if (current.message.status !== 'failed') {
    throw new ConflictError(
      `Only a message that failed can be tried again: this one is ${current.message.status}.`,
    );
  }
  if (current.message.template === 'self_completion_link' && !current.message.personalisation.link) {
    throw new ConflictError('This link can no longer be used: make a new one from the person’s episode.');
  }
  const [updated] = await tx
    .update(messageOutbox)
    .set({ status: 'queued', attempts: 0, nextAttemptAt: actor.now, lockedUntil: null })
    .where(eq(messageOutbox.id, id))
    .returning();
  await recordAudit(tx, actor, {
    action: 'message.retried',
    recordType: 'message',
    recordIds: [id, ...(current.message.personId ? [current.message.personId] : [])],
    organisationId: current.message.organisationId,
    detail: { template: current.message.template, channel: current.message.channel },
  });
  return toOutboxMessage({ message: updated!, organisationName: current.organisationName });
}

/**
 * What the development transport "sent", in full, newest first: administrators only. The texts hold names and
 * self-completion links, so each page shown is audited against the people it is about.
 */
export async function listDevMessages(tx: Db, actor: Actor, query: DevMessageQuery): Promise<DevMessagePage> {
  assertRole(actor, 'admin');
  const rows = await tx
    .select({ message: devMessages, personId: messageOutbox.personId })
    .from(devMessages)
    .innerJoin(messageOutbox, eq(messageOutbox.id, devMessages.outboxId))
    .where(
      and(
        inScope(actor, devMessages.organisationId),
        query.cursor
          ? sql`(${devMessages.createdAt}, ${devMessages.id}) <
              (select created_at, id from dev_messages where id = ${query.cursor})`
          : undefined,
      ),
    )
    .orderBy(desc(devMessages.createdAt), desc(devMessages.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  if (page.length) {
    await recordAudit(tx, actor, {
      action: 'message.dev_inbox_viewed',
      recordType: 'person',
      recordIds: [...new Set(page.flatMap((r) => (r.personId ? [r.personId] : [])))],
      detail: { messages: page.length },
    });
  }
  return {
    items: page.map(({ message: m }) => ({
      id: m.id,
      outboxId: m.outboxId,
      organisationId: m.organisationId,
      channel: m.channel,
      recipient: m.recipient,
      subject: m.subject,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
    })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.message.id ?? null) : null,
  };
}
