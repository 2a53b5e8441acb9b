import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';
import { declineReasons, referralSources, referralStatuses, urgencies } from './contract.ts';

/** Reasons for referral: a configurable list of needs domains, kept as data. */
export const needsDomains = pgTable('needs_domains', {
  code: text('code').primaryKey(),
  label: text('label').notNull(),
  position: integer('position').notNull(),
  active: boolean('active').notNull().default(true),
});

/** A referral is one episode of a person with the link worker service. */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    source: text('source', { enum: referralSources }).notNull(),
    referrerUserId: uuid('referrer_user_id').references(() => users.id),
    referringOrganisationId: uuid('referring_organisation_id').references(() => organisations.id),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    context: text('context'),
    urgency: text('urgency', { enum: urgencies }).notNull(),
    consentToReferral: boolean('consent_to_referral').notNull(),
    status: text('status', { enum: referralStatuses }).notNull(),
    declineReason: text('decline_reason', { enum: declineReasons }),
    triageNote: text('triage_note'),
    allocatedLinkWorkerId: uuid('allocated_link_worker_id').references(() => users.id),
    triagedBy: uuid('triaged_by').references(() => users.id),
    triagedAt: timestamp('triaged_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** People in the PCN who may be this person (name, date of birth, postcode): the triager confirms or rejects. */
    possibleDuplicatePersonIds: jsonb('possible_duplicate_person_ids')
      .$type<string[]>()
      .notNull()
      .default([]),
    /** A short reference a person can read out on the phone, like LW-7K3M-9QX2. */
    reference: text('reference').unique(),
    idempotencyKey: text('idempotency_key'),
    idempotencyFingerprint: text('idempotency_fingerprint'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('referrals_idempotency_key')
      .on(t.organisationId, t.idempotencyKey)
      .where(sql`idempotency_key is not null`),
    index('referrals_triage_idx').on(t.organisationId, t.status, t.receivedAt),
    index('referrals_referrer_idx').on(t.referrerUserId, t.receivedAt),
    index('referrals_person_idx').on(t.personId),
    // Operational reports read an organisation's referrals by when they arrived, whatever their status.
    index('referrals_received_idx').on(t.organisationId, t.receivedAt),
    // A link worker's caseload: their open episodes.
    index('referrals_caseload_idx').on(t.allocatedLinkWorkerId, t.receivedAt).where(sql`status = 'accepted'`),
    // Every referral ever allocated to a link worker: the caseload steps the explorer reads are rebuilt from them
    // on each change of status, allocation or discharge (migration 0038).
    index('referrals_link_worker_idx').on(t.allocatedLinkWorkerId),
  ],
);
