import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { contactModes } from './contract.ts';

/** Coded concepts as versioned data, never literals in code: the SNOMED CT codes the PCN DES asks for. */
export const codedConcepts = pgTable(
  'coded_concepts',
  {
    /** What the code is used for in Linkwork, e.g. "social_prescribing_accepted". */
    purpose: text('purpose').notNull(),
    system: text('system').notNull(),
    code: text('code').notNull(),
    display: text('display').notNull(),
    /** The code list version this came from; the newest row for a purpose is the one used. */
    version: text('version').notNull(),
  },
  (t) => [uniqueIndex('coded_concepts_purpose_version').on(t.purpose, t.version)],
);

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    linkWorkerId: uuid('link_worker_id')
      .notNull()
      .references(() => users.id),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    mode: text('mode', { enum: contactModes }).notNull(),
    durationMinutes: integer('duration_minutes'),
    kind: text('kind', { enum: ['first_contact', 'contact', 'attempt'] }).notNull(),
    note: text('note'),
    /** Who else was there: a carer, an interpreter, a family member. */
    present: text('present'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('contacts_referral_idx').on(t.referralId, t.occurredAt),
    index('contacts_person_idx').on(t.personId, t.occurredAt),
    // Operational reports: a PCN's contacts in a period (with their kind and mode, so the read is index-only:
    // contacts_organisation_time_cover_idx, in migrations/0049, as drizzle cannot declare INCLUDE); first contacts
    // and attempts of each referral.
    index('contacts_first_and_attempts_idx')
      .on(t.referralId, t.kind, t.occurredAt)
      .where(sql`kind in ('first_contact', 'attempt')`),
  ],
);

/** A coded event for the GP record and the PCN's coded extract. */
export const codedEvents = pgTable(
  'coded_events',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    purpose: text('purpose').notNull(),
    system: text('system').notNull(),
    code: text('code').notNull(),
    display: text('display').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    // PCN DES: the referral code once per episode, at the first interaction — never for later contacts.
    uniqueIndex('coded_events_once_per_episode').on(t.referralId, t.purpose),
    index('coded_events_extract_idx').on(t.organisationId, t.recordedAt),
    index('coded_events_person_idx').on(t.personId, t.recordedAt),
  ],
);
