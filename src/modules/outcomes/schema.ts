import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';
import { referrals } from '../referrals/schema.ts';
import type { ConversionTable, InstrumentDefinition } from './definition.ts';

/**
 * Outcome instruments as versioned definitions: the shipped ones belong to no organisation and every organisation
 * sees them; an organisation's own are its and the organisations below it.
 */
export const outcomeInstruments = pgTable(
  'outcome_instruments',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    code: text('code').notNull(),
    version: text('version').notNull(),
    title: text('title').notNull(),
    requiresLicence: boolean('requires_licence').notNull(),
    definition: jsonb('definition').$type<InstrumentDefinition>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('outcome_instruments_shipped_idx').on(t.code, t.version).where(sql`organisation_id is null`),
    uniqueIndex('outcome_instruments_own_idx')
      .on(t.organisationId, t.code, t.version)
      .where(sql`organisation_id is not null`),
  ],
);

/** An organisation's licence for an instrument that needs one, with the conversion tables it came with. */
export const outcomeLicences = pgTable(
  'outcome_licences',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    instrumentCode: text('instrument_code').notNull(),
    licenceReference: text('licence_reference').notNull(),
    conversions: jsonb('conversions').$type<Record<string, ConversionTable>>().notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.instrumentCode] })],
);

export const timepoints = ['baseline', 'discharge', 'follow_up_short', 'follow_up_long', 'other'] as const;
export const completedByKinds = ['self', 'with_link_worker', 'proxy'] as const;
export const measureModes = ['in_person', 'phone', 'online'] as const;

/**
 * One completed (or partly completed) measure: the answers as given, the scores made from them when the answers
 * allow, and who completed it, how and when. An amendment is a new row pointing at the one it replaces; the
 * original stays.
 */
export const outcomeResponses = pgTable(
  'outcome_responses',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => outcomeInstruments.id),
    instrumentCode: text('instrument_code').notNull(),
    timepoint: text('timepoint', { enum: timepoints }).notNull(),
    completedOn: date('completed_on', { mode: 'string' }).notNull(),
    completedBy: text('completed_by', { enum: completedByKinds }).notNull(),
    mode: text('mode', { enum: measureModes }).notNull(),
    answers: jsonb('answers').$type<Record<string, number>>().notNull(),
    status: text('status', { enum: ['complete', 'partial'] }).notNull(),
    scores: jsonb('scores').$type<{ code: string; value: number; band: string | null }[]>().notNull(),
    /** The client's id for this submission: the same form sent twice is one response. */
    submissionId: uuid('submission_id').notNull(),
    /** The response this one amends (the original stays), and whether a later one has replaced this one. */
    amends: uuid('amends'),
    superseded: boolean('superseded').notNull().default(false),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('outcome_responses_submission_idx').on(t.organisationId, t.submissionId),
    index('outcome_responses_referral_idx').on(t.referralId, t.completedOn),
    index('outcome_responses_person_idx').on(t.personId, t.completedOn),
  ],
);

/**
 * When a PCN takes measures: the instruments, and the follow-up windows in months after discharge (a window, not a
 * date). Baseline is due from acceptance until the first "what matters" conversation, discharge at discharge.
 */
export const outcomeSettings = pgTable('outcome_settings', {
  organisationId: uuid('organisation_id')
    .primaryKey()
    .references(() => organisations.id),
  instrumentCodes: text('instrument_codes').array().notNull(),
  shortFollowUpFromMonths: smallint('short_follow_up_from_months').notNull(),
  shortFollowUpToMonths: smallint('short_follow_up_to_months').notNull(),
  longFollowUpFromMonths: smallint('long_follow_up_from_months').notNull(),
  longFollowUpToMonths: smallint('long_follow_up_to_months').notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
});

export const completionLinkStatuses = ['active', 'used', 'revoked'] as const;

/**
 * A single-use link a person follows to complete their measures without signing in: tied to one person, episode,
 * instrument set and timepoint. Only the token's SHA-256 is stored; the token itself is shown once (and sent).
 * Answers saved on the way are kept in `progress` until the person submits.
 */
export const completionLinks = pgTable(
  'completion_links',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    tokenHash: text('token_hash').notNull(),
    instrumentCodes: text('instrument_codes').array().notNull(),
    timepoint: text('timepoint', { enum: timepoints }).notNull(),
    status: text('status', { enum: completionLinkStatuses }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    progress: jsonb('progress').$type<Record<string, Record<string, number>>>().notNull().default({}),
    firstOpenedAt: timestamp('first_opened_at', { withTimezone: true }),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** The submission that used the link: the same form sent again is thanked, not refused. */
    submissionId: uuid('submission_id'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('completion_links_token_idx').on(t.tokenHash),
    index('completion_links_referral_idx').on(t.referralId, t.createdAt),
  ],
);

/**
 * The change report's pairs, kept beside outcome_responses so that an ICB's year is one narrow index read: per
 * episode, instrument and current complete baseline, one row per measure the baseline has (`score:<code>` or
 * `item:<linkId>`) with its value and the episode's latest current complete value at discharge and at each
 * follow-up; and one episode row (`measure` '') with no values but the discharge and consent, for the counts.
 * Rebuilt for a referral by outcome_changes_refresh (migrations/0029), which triggers on outcome_responses and
 * discharges call in the same transaction as the write; src/modules/outcomes/changes.ts calls it on demand.
 * The report's covering index (INCLUDE) is in that migration: drizzle cannot declare it.
 */
export const outcomeChanges = pgTable(
  'outcome_changes',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    instrumentCode: text('instrument_code').notNull(),
    /** The baseline response: every current complete baseline has its rows; the report takes the latest in its period. */
    baselineId: uuid('baseline_id').notNull(),
    measure: text('measure').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    baselineOn: date('baseline_on', { mode: 'string' }).notNull(),
    /** The episode's next current complete baseline after this one, if any. */
    nextBaselineOn: date('next_baseline_on', { mode: 'string' }),
    baselineValue: doublePrecision('baseline_value'),
    dischargeOn: date('discharge_on', { mode: 'string' }),
    dischargeValue: doublePrecision('discharge_value'),
    followUpShortOn: date('follow_up_short_on', { mode: 'string' }),
    followUpShortValue: doublePrecision('follow_up_short_value'),
    followUpLongOn: date('follow_up_long_on', { mode: 'string' }),
    followUpLongValue: doublePrecision('follow_up_long_value'),
    /** Episode rows only: the discharge, and whether the person agreed to be contacted again. */
    dischargedOn: date('discharged_on', { mode: 'string' }),
    consentToFollowUp: boolean('consent_to_follow_up'),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.referralId, t.instrumentCode, t.baselineId, t.measure] }),
    index('outcome_changes_referral_idx').on(t.referralId),
  ],
);

/**
 * A counter per PCN that moves whenever its rows in outcome_changes (or its outcome settings) change, in the same
 * transaction (triggers, migration 0030). The change table keeps its unfiltered sums in memory keyed by these
 * counters, so a commissioner's year is computed once per change of the data, not once per request.
 */
export const outcomeChangeVersions = pgTable('outcome_change_versions', {
  organisationId: uuid('organisation_id')
    .primaryKey()
    .references(() => organisations.id),
  version: bigint('version', { mode: 'number' }).notNull(),
});
