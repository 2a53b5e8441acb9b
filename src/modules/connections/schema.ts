import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { directoryServices } from '../directory/schema.ts';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { goals } from '../pathway/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { connectionKinds, connectionStatuses } from './contract.ts';

/** A person connected to a community service from their support plan: signposted, introduced or referred. */
export const connections = pgTable(
  'connections',
  {
    id: uuid('id').primaryKey(),
    /** The PCN whose link worker made the connection. */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    goalId: uuid('goal_id').references(() => goals.id),
    /** The ICB whose directory holds the service, and the service. */
    directoryId: uuid('directory_id')
      .notNull()
      .references(() => organisations.id),
    serviceId: uuid('service_id').notNull(),
    /** The service's name when connected: the timeline still reads right if the directory changes later. */
    serviceName: text('service_name').notNull(),
    kind: text('kind', { enum: connectionKinds }).notNull(),
    status: text('status', { enum: connectionStatuses }).notNull(),
    /** The person agreed that their details may be shared with the service (needed for a warm handover or referral). */
    consentToShare: boolean('consent_to_share').notNull(),
    note: text('note'),
    /** When it moved to its current status (a date the link worker gives), and when it was first made. */
    statusOn: date('status_on', { mode: 'string' }).notNull(),
    connectedOn: date('connected_on', { mode: 'string' }).notNull(),
    linkWorkerId: uuid('link_worker_id')
      .notNull()
      .references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({
      columns: [t.directoryId, t.serviceId],
      foreignColumns: [directoryServices.organisationId, directoryServices.id],
    }),
    index('connections_referral_idx').on(t.referralId, t.connectedOn),
    index('connections_person_idx').on(t.personId, t.connectedOn),
    index('connections_organisation_day_idx').on(t.organisationId, t.connectedOn),
    index('connections_service_idx').on(t.directoryId, t.serviceId),
    index('connections_awaiting_idx')
      .on(t.organisationId, t.linkWorkerId, t.statusOn)
      .where(sql`status = 'referred'`),
  ],
);

/** Every status a connection passed through, with its date, reason and note. */
export const connectionEvents = pgTable(
  'connection_events',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    status: text('status', { enum: connectionStatuses }).notNull(),
    on: date('on', { mode: 'string' }).notNull(),
    reason: text('reason'),
    note: text('note'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('connection_events_connection_idx').on(t.connectionId, t.recordedAt),
    // The person's timeline reads every event of theirs.
    index('connection_events_person_idx').on(t.personId, t.recordedAt),
  ],
);
