import { sql } from 'drizzle-orm';
import {
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { connections } from '../connections/schema.ts';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { referrals } from '../referrals/schema.ts';
import { populationBandTypes } from './contract.ts';

/**
 * Patients registered at a GP practice on a date, by one kind of band at a time (age band, sex, ethnic group or
 * IMD quintile), as the ICB's analysts have them from NHS England's published registrations: the denominators of
 * demographic reach. Aggregate figures, no person's data. The owning PCN is the tenant key, as for the people
 * the practice's patients are referred as.
 */
export const practicePopulations = pgTable(
  'practice_populations',
  {
    /** The practice's PCN. */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => organisations.id),
    bandType: text('band_type', { enum: populationBandTypes }).notNull(),
    band: text('band').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    count: integer('count').notNull(),
    loadedBy: uuid('loaded_by')
      .notNull()
      .references(() => users.id),
    loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.practiceId, t.bandType, t.asOf, t.band] }),
    index('practice_populations_practice_idx').on(t.practiceId, t.bandType, t.asOf),
  ],
);

/**
 * What the operational report counts about each referral, kept so that an ICB's year is one range read of a narrow
 * table instead of ~200,000 referrals joined to their people, first contacts, attempts and discharges (issue 8's
 * cold target). One row per referral, rebuilt by report_referral_facts_refresh (migrations/0039), which triggers on
 * every table it reads call in the writer's own transaction, so the facts never lag the record. Person-level data:
 * the PCN's, under the same row security as the referrals. The report's covering index (PCN, arrival INCLUDE every
 * column read) is in the migration: drizzle cannot declare INCLUDE.
 */
export const reportReferralFacts = pgTable(
  'report_referral_facts',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    referralId: uuid('referral_id')
      .primaryKey()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** The London day it arrived. */
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    source: text('source').notNull(),
    reasons: text('reasons').array().notNull(),
    status: text('status').notNull(),
    declineReason: text('decline_reason'),
    personId: uuid('person_id').notNull(),
    /** The person's registered practice now, else the referring organisation (the report's practice). */
    practiceId: uuid('practice_id'),
    /** The person on the day it arrived. */
    age: smallint('age'),
    sex: text('sex'),
    ethnicCategory: text('ethnic_category'),
    imdDecile: smallint('imd_decile'),
    /** The London day of the first contact that reached the person, and the attempts that did not (any status). */
    firstContactOn: date('first_contact_on', { mode: 'string' }),
    attempts: integer('attempts').notNull(),
    /** Contacts that reached the person (first contacts and later ones), whenever. */
    contacts: integer('contacts').notNull(),
    dischargedOn: date('discharged_on', { mode: 'string' }),
    dischargeReason: text('discharge_reason'),
    /** Its allocations in order (the London day of each and the link worker it went to; migrations/0045), so that
     * a rebuild's old row still says whose caseload it was in and from when. */
    allocatedOn: date('allocated_on', { mode: 'string' }).array().notNull().default(sql`'{}'`),
    allocatedTo: uuid('allocated_to').array().notNull().default(sql`'{}'`),
    /** When the same person's referral before it to the same PCN arrived (by arrival, then id), if any
     * (migrations/0050): a period's people referred are its referrals with none earlier in the period. */
    earlierReceivedAt: timestamp('earlier_received_at', { withTimezone: true }),
  },
  (t) => [index('report_referral_facts_person_idx').on(t.personId)],
);

/**
 * The referrals counted per PCN, practice, London calendar month of arrival and band of the person on the day it
 * arrived (age band, sex, ethnic group, IMD quintile: one row each per referral), so that an ICB's year of people
 * referred is a few thousand rows instead of ~170,000 referrals grouped four ways. A period's people referred (each
 * once, at their first referral in it) are its referrals less those whose person's earlier referral to the PCN is in
 * the period too: the whole months from here, the part months and the repeats from the facts. Kept from the referral
 * facts by a trigger on them (migrations/0053), adding and taking away in the writer's transaction. Aggregates only.
 */
export const reportPeopleMonths = pgTable(
  'report_people_months',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** The first day of the London calendar month. */
    month: date('month', { mode: 'string' }).notNull(),
    /** The referral's practice (none: null), as its facts have it. */
    practiceId: uuid('practice_id'),
    /** The band type and band, as report_person_bands (migrations/0053) names them: 'age_band:25_34', 'sex:female'. */
    band: text('band').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('report_people_months_key').on(t.organisationId, t.month, t.practiceId, t.band).nullsNotDistinct(),
  ],
);

/**
 * Each link worker's caseload as changes by London day: an episode adds one on the first day it is open in their
 * caseload at the end of that day and takes it away on the first day it no longer is (reallocated, discharged, or
 * declined by the person at the first contact). The caseload at the end of a period is the sum up to its last day:
 * a few thousand rows for an ICB instead of every open episode and its allocation history. Kept from the referral
 * facts by a trigger on them (migrations/0045), adding and taking away in the writer's transaction. Aggregates only.
 */
export const reportCaseloadDays = pgTable(
  'report_caseload_days',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    linkWorkerId: uuid('link_worker_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.linkWorkerId, t.day] })],
);

/**
 * Contacts by mode and appointments attended or missed, counted per PCN and London calendar month, so that an ICB's
 * year of ~900,000 contacts is a few hundred rows. Kept by triggers on contacts and appointments (migrations/0040)
 * that add and take away each statement's rows in the writer's own transaction (n = n + change: concurrent writers
 * queue on the row, none is lost). Aggregates only. The report reads them for whole months of an ICB or a PCN; part
 * months from report_activity_days; a practice's report counts the records.
 */
export const reportActivityMonths = pgTable(
  'report_activity_months',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** The first day of the London calendar month. */
    month: date('month', { mode: 'string' }).notNull(),
    /** 'contact' (key: the mode; attempts that did not reach the person are not counted) or 'appointment' (key:
     * attended or did_not_attend). */
    measure: text('measure', { enum: ['contact', 'appointment'] }).notNull(),
    key: text('key').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.month, t.measure, t.key] })],
);

/**
 * The same counts as report_activity_months by London day, so that a period ending (or starting) part way through a
 * month reads that month's days from a few thousand rows instead of counting its ~70,000 contacts of an ICB (issue 8:
 * a year ending any day). Kept by triggers on contacts and appointments (migrations/0054) beside the monthly ones,
 * the same way. Aggregates only. The report reads them for the part months of an ICB or a PCN.
 */
export const reportActivityDays = pgTable(
  'report_activity_days',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** The London calendar day. */
    day: date('day', { mode: 'string' }).notNull(),
    measure: text('measure', { enum: ['contact', 'appointment'] }).notNull(),
    key: text('key').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.day, t.measure, t.key] })],
);

/**
 * SNOMED CT coded events counted per PCN, practice (the person's registered practice, else the referrer), London
 * month and code, for the PCN's contract returns: an ICB's year is a few thousand rows instead of ~500,000 events
 * joined to their referrals and people. Kept by triggers (migrations/0041) on coded events, and on people and
 * referrals when what decides the practice changes, adding and taking away in the writer's own transaction.
 * Aggregates only. The report reads them for whole months of an ICB or a PCN; part months from report_coded_days; a
 * practice's report counts the records.
 */
export const reportCodedMonths = pgTable(
  'report_coded_months',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    practiceId: uuid('practice_id'),
    month: date('month', { mode: 'string' }).notNull(),
    code: text('code').notNull(),
    display: text('display').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('report_coded_months_key').on(t.organisationId, t.practiceId, t.month, t.code).nullsNotDistinct(),
  ],
);

/**
 * The same counts as report_coded_months by London day, for a period's part months (issue 8: a year ending any day
 * read a month of an ICB's coded events joined to their referrals' facts, one probe each). Kept by triggers
 * (migrations/0054) on coded events, people and referrals beside the monthly ones, the same way. Aggregates only.
 */
export const reportCodedDays = pgTable(
  'report_coded_days',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    practiceId: uuid('practice_id'),
    day: date('day', { mode: 'string' }).notNull(),
    code: text('code').notNull(),
    display: text('display').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    unique('report_coded_days_key').on(t.organisationId, t.day, t.practiceId, t.code).nullsNotDistinct(),
  ],
);

/**
 * The referral figures counted per PCN and London calendar month of arrival, so that an ICB's year is a few
 * thousand rows instead of ~200,000 referrals: by source, practice and reason; the days and working days from
 * arrival to first contact as a histogram (a = days, b = working days: medians and 90th percentiles stay exact, and
 * a PCN's target is applied when read); and who could be reached (key: untriaged, triaged, unable, or no_contact
 * with a = the attempts, the PCN's rule applied when read). Kept from the referral facts by a trigger on them
 * (migrations/0042): each rebuild of a referral's facts takes its old row away and adds its new one, in the writer's
 * transaction. Aggregates only. Whole months of an ICB or a PCN; part months and a practice's report read the facts.
 */
export const reportReferralMonths = pgTable(
  'report_referral_months',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    month: date('month', { mode: 'string' }).notNull(),
    measure: text('measure', { enum: ['source', 'practice', 'reason', 'wait', 'reach'] }).notNull(),
    key: text('key').notNull(),
    a: integer('a').notNull(),
    b: integer('b').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.month, t.measure, t.key, t.a, t.b] })],
);

/**
 * The same counts as report_referral_months by London day of arrival, for a period's part months of an ICB or a PCN:
 * a month's days are a few thousand kept rows instead of its ~17,000 referral facts each spread into five or more
 * rows (issue 8: a year ending any day). Kept from the referral facts by a trigger on them (migrations/0055) beside
 * the monthly one, through the same function. Aggregates only.
 */
export const reportReferralDays = pgTable(
  'report_referral_days',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    day: date('day', { mode: 'string' }).notNull(),
    measure: text('measure', { enum: ['source', 'practice', 'reason', 'wait', 'reach'] }).notNull(),
    key: text('key').notNull(),
    a: integer('a').notNull(),
    b: integer('b').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.day, t.measure, t.key, t.a, t.b] })],
);

/**
 * The caseload day changes (report_caseload_days) summed by London calendar month, so that the caseloads at the end
 * of a period are its month's days added to the months before it: a few tens of thousands of rows for an ICB instead
 * of every day since the first referral. Kept by the same trigger (migrations/0047). Aggregates only.
 */
export const reportCaseloadMonths = pgTable(
  'report_caseload_months',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    linkWorkerId: uuid('link_worker_id').notNull(),
    /** The first day of the London calendar month. */
    month: date('month', { mode: 'string' }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.linkWorkerId, t.month] })],
);

/**
 * Episodes discharged, counted per PCN and London calendar month of discharge: by reason (key: the reason) and by
 * the contacts each had (key: the number), so that an ICB's year is a few thousand rows instead of two reads of
 * ~200,000 discharged referrals. Kept from the referral facts by a trigger on them (migrations/0047). Aggregates
 * only. Whole months of an ICB or a PCN; part months and a practice's report read the facts.
 */
export const reportDischargeMonths = pgTable(
  'report_discharge_months',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    month: date('month', { mode: 'string' }).notNull(),
    measure: text('measure', { enum: ['reason', 'contacts'] }).notNull(),
    key: text('key').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.month, t.measure, t.key] })],
);

/**
 * How far each connection to a community service got, kept so that an ICB's year of ~140,000 connections is an
 * index-only range read instead of their ~1,500,000 status events grouped (attended ever, did not attend, declined,
 * accepted, or other: signposted or waiting for the service's reply). One row per connection, rebuilt by
 * report_connection_facts_refresh (migrations/0044) from triggers on connections and their status events, in the
 * writer's transaction. The report's covering index is in the migration.
 */
export const reportConnectionFacts = pgTable('report_connection_facts', {
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id),
  connectionId: uuid('connection_id')
    .primaryKey()
    .references(() => connections.id, { onDelete: 'cascade' }),
  connectedOn: date('connected_on', { mode: 'string' }).notNull(),
  directoryId: uuid('directory_id').notNull(),
  serviceId: uuid('service_id').notNull(),
  state: text('state').notNull(),
});
