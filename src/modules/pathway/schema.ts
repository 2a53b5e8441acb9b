import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { contacts } from '../contacts/schema.ts';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import {
  appointmentStatuses,
  dischargeReasons,
  flagKinds,
  goalStatuses,
  type WhatMattersNeed,
} from './contract.ts';

/** Per PCN: the first-contact target and when repeated failed attempts become "unable to contact". */
export const pathwaySettings = pgTable('pathway_settings', {
  organisationId: uuid('organisation_id')
    .primaryKey()
    .references(() => organisations.id),
  firstContactTargetWorkingDays: smallint('first_contact_target_working_days').notNull().default(10),
  unableToContactAttempts: smallint('unable_to_contact_attempts').notNull().default(3),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
});

/** Every allocation of an episode to a link worker: the first at triage, then each reallocation with its reason. */
export const allocations = pgTable(
  'allocations',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    fromLinkWorkerId: uuid('from_link_worker_id').references(() => users.id),
    toLinkWorkerId: uuid('to_link_worker_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason'),
    allocatedBy: uuid('allocated_by')
      .notNull()
      .references(() => users.id),
    allocatedAt: timestamp('allocated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('allocations_referral_idx').on(t.referralId, t.allocatedAt)],
);

export const appointments = pgTable(
  'appointments',
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
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    durationMinutes: smallint('duration_minutes').notNull(),
    mode: text('mode').notNull(),
    location: text('location'),
    status: text('status', { enum: appointmentStatuses }).notNull(),
    note: text('note'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('appointments_referral_idx').on(t.referralId, t.startsAt),
    index('appointments_person_idx').on(t.personId, t.startsAt),
    // A PCN's appointments in a period, with their status (index-only): appointments_organisation_time_cover_idx,
    // in migrations/0049, as drizzle cannot declare INCLUDE.
    // Tomorrow's booked appointments, for the reminders the message worker queues on every pass.
    index('appointments_starts_at_idx').on(t.startsAt).where(sql`status = 'booked'`),
  ],
);

/** The "what matters to me" conversation. Revisiting it adds a version; earlier versions are kept as they were. */
export const whatMattersConversations = pgTable(
  'what_matters_conversations',
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
    version: integer('version').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    needs: jsonb('needs').$type<WhatMattersNeed[]>().notNull(),
    ownWords: text('own_words').notNull(),
    strengths: text('strengths'),
    barriers: text('barriers'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('what_matters_referral_version').on(t.referralId, t.version),
    index('what_matters_person_idx').on(t.personId, t.recordedAt),
  ],
);

/** The personalised care and support plan: one per episode, edited with a version; each version is kept. */
export const supportPlans = pgTable(
  'support_plans',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id)
      .unique(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    agreedOn: date('agreed_on', { mode: 'string' }).notNull(),
    summary: text('summary'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('support_plans_person_idx').on(t.personId)],
);

/** Each saved version of a plan as it was (goals and actions included), for the record. */
export const supportPlanVersions = pgTable(
  'support_plan_versions',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => supportPlans.id),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    savedBy: uuid('saved_by')
      .notNull()
      .references(() => users.id),
    savedAt: timestamp('saved_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('support_plan_versions_key').on(t.planId, t.version)],
);

export const goals = pgTable(
  'goals',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => supportPlans.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    position: smallint('position').notNull(),
    /** The goal in the person's own words. */
    description: text('description').notNull(),
    needsDomain: text('needs_domain'),
    /** Services to connect with, free text until the directory links real services. */
    services: text('services'),
    reviewOn: date('review_on', { mode: 'string' }),
    status: text('status', { enum: goalStatuses }).notNull(),
    actions: jsonb('actions')
      .$type<{ who: string; what: string; byWhen: string | null; done: boolean }[]>()
      .notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('goals_plan_idx').on(t.planId, t.position),
    index('goals_review_idx').on(t.referralId, t.reviewOn).where(sql`status = 'active'`),
    // The what-works explorer counts each episode's goals, whatever their status.
    index('goals_referral_idx').on(t.referralId),
  ],
);

/** How far the person feels they are towards a goal (0 not started – 10 achieved), recorded over time. */
export const goalProgress = pgTable(
  'goal_progress',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    goalId: uuid('goal_id')
      .notNull()
      .references(() => goals.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    contactId: uuid('contact_id').references(() => contacts.id),
    rating: smallint('rating').notNull(),
    note: text('note'),
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('goal_progress_goal_idx').on(t.goalId, t.recordedOn),
    index('goal_progress_person_idx').on(t.personId, t.recordedAt),
  ],
);

/** A safeguarding concern or risk on a person, visible to the PCN's leads and the person's link worker. */
export const personFlags = pgTable(
  'person_flags',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    kind: text('kind', { enum: flagKinds }).notNull(),
    note: text('note').notNull(),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolutionNote: text('resolution_note'),
  },
  (t) => [
    index('person_flags_open_idx').on(t.personId).where(sql`resolved_at is null`),
    index('person_flags_person_idx').on(t.personId, t.raisedAt),
  ],
);

/** The end of an episode and the PRSB-style message back to the referrer and GP. */
export const discharges = pgTable(
  'discharges',
  {
    referralId: uuid('referral_id')
      .primaryKey()
      .references(() => referrals.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    reason: text('reason', { enum: dischargeReasons }).notNull(),
    dischargedOn: date('discharged_on', { mode: 'string' }).notNull(),
    closingSummary: text('closing_summary').notNull(),
    /** Message back: the support offered, and the outcome for the person, in words a GP reads in a minute. */
    supportOffered: text('support_offered').notNull(),
    outcome: text('outcome').notNull(),
    followUpForGp: text('follow_up_for_gp'),
    /** The person agreed to be contacted again for the long-term follow-up measures (null: not asked). */
    consentToFollowUp: boolean('consent_to_follow_up'),
    dischargedBy: uuid('discharged_by')
      .notNull()
      .references(() => users.id),
    dischargedAt: timestamp('discharged_at', { withTimezone: true }).notNull(),
  },
  // The person's timeline reads every discharge of theirs; a link worker's measures due read the last year of theirs.
  (t) => [
    index('discharges_person_idx').on(t.personId),
    index('discharges_by_idx').on(t.dischargedBy, t.dischargedOn),
    index('discharges_organisation_day_idx').on(t.organisationId, t.dischargedOn),
  ],
);
