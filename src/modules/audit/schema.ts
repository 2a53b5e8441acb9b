import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Append-only: the app role may insert and select, and a trigger refuses updates and deletes. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actingOrganisationId: uuid('acting_organisation_id'),
    /** The tenant whose data was touched; null for events about no tenant (a failed sign-in). */
    organisationId: uuid('organisation_id'),
    action: text('action').notNull(),
    recordType: text('record_type'),
    recordIds: jsonb('record_ids').$type<string[]>().notNull(),
    requestId: text('request_id'),
    ip: text('ip'),
    /** Never personal data: ids, field names, outcomes. */
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_events_org_time_idx').on(t.organisationId, t.occurredAt),
    index('audit_events_actor_idx').on(t.actorUserId, t.occurredAt),
  ],
);
