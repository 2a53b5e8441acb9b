import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { referrals } from '../referrals/schema.ts';

/*
 * What the "what works" explorer breaks change down by, kept per episode so that an ICB's year is one range read of
 * a narrow table instead of joins of ~100,000 episodes to people, referrals, contacts, connections, goals and the
 * link workers' context histories (issue 8's cold targets). Rebuilt per referral by insight_episode_facts_refresh
 * (migrations/0038), which triggers on every table a factor reads call in the same transaction as the write, so
 * the facts can never lag the record. Person-level data: the PCN's, under the same row security as the measures.
 */

/**
 * One row per episode row of outcome_changes (measure ''): an episode's current complete baseline of an instrument.
 * The explorer's covering index (instrument, PCN, baseline day INCLUDE every factor's column: a year of an ICB is an
 * index-only range read) is in the migration: drizzle cannot declare INCLUDE.
 */
export const insightEpisodeFacts = pgTable(
  'insight_episode_facts',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    instrumentCode: text('instrument_code').notNull(),
    baselineId: uuid('baseline_id').notNull(),
    baselineOn: date('baseline_on', { mode: 'string' }).notNull(),
    nextBaselineOn: date('next_baseline_on', { mode: 'string' }),
    dischargedOn: date('discharged_on', { mode: 'string' }),
    consentToFollowUp: boolean('consent_to_follow_up'),
    /** The practice the person is registered at, else the referring organisation (a practice's report filter). */
    practiceId: uuid('practice_id'),
    linkWorkerId: uuid('link_worker_id'),
    /** Person context, on the day of the baseline. */
    age: smallint('age'),
    sex: text('sex'),
    ethnicCategory: text('ethnic_category'),
    imdDecile: smallint('imd_decile'),
    mainNeed: text('main_need'),
    referralSource: text('referral_source'),
    /** The allocated link worker's implementation context as it was on the day of the baseline. */
    employmentModel: text('employment_model'),
    supervision: text('supervision'),
    clinicalSystemAccess: text('clinical_system_access'),
    practiceMeetings: text('practice_meetings'),
    deliveryMode: text('delivery_mode'),
    /** Mechanism proxies over the whole episode. */
    daysToFirstContact: doublePrecision('days_to_first_contact'),
    contacts: integer('contacts').notNull(),
    inPerson: integer('in_person').notNull(),
    goals: integer('goals').notNull(),
    warm: integer('warm').notNull(),
    signposted: integer('signposted').notNull(),
    attended: integer('attended').notNull(),
    /**
     * The pair of the episode's headline score (the first score of its baseline response: the one the explorer
     * opens on) beside its factors, as outcome_changes has it, so that the explorer's usual question reads one
     * index and joins nothing. The measure's key is kept with it; none (null) when the baseline has no scores, or
     * when a later measure is dated before the baseline (whether that pair counts then depends on the period's
     * start). A question on another measure, or on a period where some episodes kept another or none, joins the
     * pairs from outcome_changes instead.
     */
    headlineMeasure: text('headline_measure'),
    baselineValue: doublePrecision('baseline_value'),
    dischargeValue: doublePrecision('discharge_value'),
    followUpShortValue: doublePrecision('follow_up_short_value'),
    followUpLongValue: doublePrecision('follow_up_long_value'),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.referralId, t.instrumentCode, t.baselineId] }),
    index('insight_episode_facts_referral_idx').on(t.referralId),
    index('insight_episode_facts_link_worker_idx').on(t.linkWorkerId),
  ],
);

/**
 * A link worker's caseload as steps: `change` people join (+) or leave (−) their caseload counted on the first day
 * of `month`; the caseload on the first of a month is the sum of the steps up to it. Counted as the explorer always
 * has: referrals allocated to them, accepted or discharged, received before that day and not discharged before
 * it. Rebuilt per link worker by link_worker_caseload_refresh (migrations/0038) on every write to referrals and
 * discharges. Staff data, per PCN.
 */
export const linkWorkerCaseloadSteps = pgTable(
  'link_worker_caseload_steps',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    linkWorkerId: uuid('link_worker_id')
      .notNull()
      .references(() => users.id),
    month: date('month', { mode: 'string' }).notNull(),
    change: integer('change').notNull(),
  },
  (t) => [primaryKey({ columns: [t.linkWorkerId, t.organisationId, t.month] })],
);
