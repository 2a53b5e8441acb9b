import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  point,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { needsDomains } from '../referrals/schema.ts';
import { directoryReportKinds } from './vocabulary.ts';

/*
 * The community services directory, in the Open Referral UK 3.0 model. The directory belongs to an ICB
 * (organisation_id) and is shared by its PCNs. Each ORUK object keeps its standard id (a UUID); keys lead with the
 * ICB's id, so two ICBs can hold the same national feed, the shipped taxonomy has the same ids everywhere, and
 * the tables can be distributed by tenant later.
 *
 * One-to-one fields are columns. The small collections that only ever belong to one parent and are only ever
 * read whole with it (a service's schedules, contacts with their phones, cost options, funding, service areas,
 * languages and attributes; a location's addresses and accessibility) are kept as ORUK-shaped JSON on the
 * parent: a service is written and read as one row, so an import never leaves half of one. Objects shared
 * between services (organisations, locations, taxonomies and their terms) are rows of their own.
 *
 * What search needs from those collections is derived on every write into indexed columns of the service
 * (term ids, weekly opening hours, attending types, languages, cost), in the same statement.
 */

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** Minutes of the week (Monday 00:00 = 0 … 10,079) a service runs, as a multirange: "open Tuesday morning" is one &&. */
const int4multirange = customType<{ data: string }>({ dataType: () => 'int4multirange' });

export const directorySettings = pgTable('directory_settings', {
  organisationId: uuid('organisation_id')
    .primaryKey()
    .references(() => organisations.id),
  /** A service assured longer ago than this is stale and becomes a verification task. */
  staleAfterMonths: smallint('stale_after_months').notNull().default(3),
  /** A connection waiting longer than this for the service's reply is highlighted on the caseload. */
  replyExpectedWithinDays: smallint('reply_expected_within_days').notNull().default(10),
  /** Services in the directory, kept by every write (services are never deleted): the ORUK API's total_items. */
  serviceCount: integer('service_count').notNull().default(0),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: uuid('updated_by').references(() => users.id),
});

export const directoryTaxonomies = pgTable(
  'directory_taxonomies',
  {
    id: uuid('id').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    description: text('description').notNull(),
    uri: text('uri'),
    version: text('version'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.id] })],
);

export const directoryTaxonomyTerms = pgTable(
  'directory_taxonomy_terms',
  {
    id: uuid('id').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    taxonomyId: uuid('taxonomy_id'),
    parentId: uuid('parent_id'),
    name: text('name').notNull(),
    description: text('description').notNull(),
    code: text('code'),
    /** ORUK's free-text "taxonomy" (which established taxonomy a term comes from), for terms without a taxonomy_id. */
    taxonomy: text('taxonomy'),
    termUri: text('term_uri'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.taxonomyId],
      foreignColumns: [directoryTaxonomies.organisationId, directoryTaxonomies.id],
    }),
    index('directory_taxonomy_terms_taxonomy_idx').on(t.organisationId, t.taxonomyId),
    index('directory_taxonomy_terms_parent_idx').on(t.organisationId, t.parentId),
  ],
);

/** Which taxonomy terms answer each need domain of the pathway, per ICB directory (editable by administrators). */
export const directoryNeedTerms = pgTable(
  'directory_need_terms',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    need: text('need')
      .notNull()
      .references(() => needsDomains.code),
    termId: uuid('term_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.need, t.termId] }),
    foreignKey({
      columns: [t.organisationId, t.termId],
      foreignColumns: [directoryTaxonomyTerms.organisationId, directoryTaxonomyTerms.id],
    }),
  ],
);

const provenance = {
  /** Where the record came from: "linkwork" for records made here, else the import source's name. */
  source: text('source').notNull(),
  /** The record's id at its source (an ORUK 1.0 or CSV id need not be a UUID). */
  sourceId: text('source_id').notNull(),
  /** sha256 of the record as last written: a re-import of an unchanged record writes nothing. */
  contentHash: text('content_hash').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
};

export const directoryOrganisations = pgTable(
  'directory_organisations',
  {
    id: uuid('id').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    name: text('name').notNull(),
    description: text('description').notNull(),
    /** ORUK fields without a column of their own (email, website, identifiers, attributes …). */
    record: jsonb('record').notNull(),
    ...provenance,
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    uniqueIndex('directory_organisations_source_idx').on(t.organisationId, t.source, t.sourceId),
  ],
);

export const directoryLocations = pgTable(
  'directory_locations',
  {
    id: uuid('id').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    locationType: text('location_type', { enum: ['physical', 'postal', 'virtual'] }).notNull(),
    name: text('name'),
    /** (longitude, latitude), for a box search on the GiST index before the exact distance. */
    coords: point('coords', { mode: 'xy' }),
    /** The first physical address's postcode, normalised (upper case, no spaces). */
    postcode: text('postcode'),
    /** Accessibility features recognised in the location's accessibility entries (see derive.ts). */
    accessibility: text('accessibility').array().notNull(),
    /** The whole ORUK location: addresses, accessibility, attributes … */
    record: jsonb('record').notNull(),
    ...provenance,
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    index('directory_locations_coords_idx').using('gist', t.coords),
    uniqueIndex('directory_locations_source_idx').on(t.organisationId, t.source, t.sourceId),
  ],
);

export const directoryServices = pgTable(
  'directory_services',
  {
    id: uuid('id').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    directoryOrganisationId: uuid('directory_organisation_id'),
    name: text('name').notNull(),
    description: text('description'),
    status: text('status', { enum: ['active', 'inactive', 'defunct', 'temporarily closed'] }).notNull(),
    minimumAge: smallint('minimum_age'),
    maximumAge: smallint('maximum_age'),
    assuredDate: date('assured_date', { mode: 'string' }),
    /** The ORUK service without its service_at_locations and organization (those are rows of their own). */
    record: jsonb('record').notNull(),
    // Derived for search on every write.
    /** Names of the service's taxonomy terms and its organisation's name: what a link worker may type. */
    searchText: text('search_text').notNull(),
    termIds: uuid('term_ids').array().notNull(),
    weeklyHours: int4multirange('weekly_hours'),
    /** in_person, online, phone: from the schedules' attending types and the kinds of location. */
    attendingTypes: text('attending_types').array().notNull(),
    languages: text('languages').array().notNull(),
    isFree: boolean('is_free').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by').references(() => users.id),
    /** How the current version came about; earlier versions are in directory_service_history. */
    lastChange: text('last_change', { enum: ['created', 'edited', 'imported', 'verified', 'reported'] })
      .notNull()
      .default('imported'),
    lastChangeNote: text('last_change_note'),
    lastImportId: uuid('last_import_id'),
    ...provenance,
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.directoryOrganisationId],
      foreignColumns: [directoryOrganisations.organisationId, directoryOrganisations.id],
    }),
    index('directory_services_org_idx').on(t.organisationId, t.directoryOrganisationId),
    index('directory_services_assured_idx').on(t.organisationId, t.assuredDate),
    uniqueIndex('directory_services_source_idx').on(t.organisationId, t.source, t.sourceId),
  ],
);

export const directoryServiceAtLocations = pgTable(
  'directory_service_at_locations',
  {
    id: uuid('id').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    serviceId: uuid('service_id').notNull(),
    locationId: uuid('location_id').notNull(),
    /** ORUK service_at_location fields besides the ids (description, schedules, attributes). */
    record: jsonb('record').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.serviceId],
      foreignColumns: [directoryServices.organisationId, directoryServices.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.organisationId, t.locationId],
      foreignColumns: [directoryLocations.organisationId, directoryLocations.id],
    }),
    index('directory_sal_service_idx').on(t.serviceId),
    index('directory_sal_location_idx').on(t.organisationId, t.locationId),
  ],
);

/**
 * What search reads: one row per service and location (one row with no location for a service nobody travels to),
 * carrying every filter, so a search is one table, one index (the box, the words or the terms) and no joins until
 * the page is chosen. Rebuilt for a service whenever it is written, and moved when a location moves.
 */
export const directorySearch = pgTable(
  'directory_search',
  {
    organisationId: uuid('organisation_id').notNull(),
    serviceId: uuid('service_id').notNull(),
    locationId: uuid('location_id'),
    coords: point('coords', { mode: 'xy' }),
    accessibility: text('accessibility').array().notNull(),
    status: text('status').notNull(),
    /** Name (A), tags and organisation (B), description (C), English stemming. */
    search: tsvector('search').notNull(),
    /** Name, tags and organisation, for typo-tolerant trigram matching. */
    words: text('words').notNull(),
    termIds: uuid('term_ids').array().notNull(),
    weeklyHours: int4multirange('weekly_hours'),
    attendingTypes: text('attending_types').array().notNull(),
    languages: text('languages').array().notNull(),
    isFree: boolean('is_free').notNull(),
    minimumAge: smallint('minimum_age'),
    maximumAge: smallint('maximum_age'),
  },
  (t) => [
    foreignKey({
      columns: [t.organisationId, t.serviceId],
      foreignColumns: [directoryServices.organisationId, directoryServices.id],
    }).onDelete('cascade'),
    // Led by the ids: every row of a directory has the same organisation, so it narrows nothing.
    index('directory_search_service_idx').on(t.serviceId),
    index('directory_search_location_idx').on(t.locationId),
    index('directory_search_coords_idx').using('gist', t.coords),
    index('directory_search_text_idx').using('gin', t.search),
    index('directory_search_words_idx').using('gin', sql`${t.words} gin_trgm_ops`),
    index('directory_search_terms_idx').using('gin', t.termIds),
    // Services nobody travels to (online, phone) are searched beside the nearby ones: their own small indexes.
    index('directory_search_remote_text_idx').using('gin', t.search).where(sql`coords is null`),
    index('directory_search_remote_terms_idx').using('gin', t.termIds).where(sql`coords is null`),
  ],
);

/** The earlier versions of every service, as full ORUK records: what changed, when, by whom or by which import. */
export const directoryServiceHistory = pgTable(
  'directory_service_history',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    serviceId: uuid('service_id').notNull(),
    version: integer('version').notNull(),
    change: text('change', { enum: ['created', 'edited', 'imported', 'verified', 'reported'] }).notNull(),
    note: text('note'),
    record: jsonb('record').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
    changedBy: uuid('changed_by').references(() => users.id),
    importId: uuid('import_id'),
  },
  (t) => [index('directory_service_history_service_idx').on(t.organisationId, t.serviceId, t.version)],
);

export { directoryReportKinds };

/** A link worker's report that a service has closed or its details are wrong, until a directory manager acts. */
export const directoryReports = pgTable(
  'directory_reports',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    serviceId: uuid('service_id').notNull(),
    kind: text('kind', { enum: directoryReportKinds }).notNull(),
    note: text('note').notNull(),
    reportedBy: uuid('reported_by')
      .notNull()
      .references(() => users.id),
    /** The PCN the reporter acted for. */
    reportedFor: uuid('reported_for')
      .notNull()
      .references(() => organisations.id),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolution: text('resolution'),
  },
  (t) => [
    foreignKey({
      columns: [t.organisationId, t.serviceId],
      foreignColumns: [directoryServices.organisationId, directoryServices.id],
    }).onDelete('cascade'),
    index('directory_reports_open_idx').on(t.organisationId, t.reportedAt).where(sql`resolved_at is null`),
  ],
);

/** One run of an import: where from, how far it got, and what happened to each record it rejected. */
export const directoryImports = pgTable('directory_imports', {
  id: uuid('id').primaryKey(),
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id),
  source: text('source').notNull(),
  format: text('format', { enum: ['oruk3', 'oruk1', 'csv'] }).notNull(),
  location: text('location').notNull(),
  status: text('status', { enum: ['running', 'finished', 'failed'] }).notNull(),
  added: integer('added').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  /** [{ sourceId, name, reasons[] }] for rejected records (capped), so a person can fix the feed. */
  rejections: jsonb('rejections').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  startedBy: uuid('started_by').references(() => users.id),
  failure: text('failure'),
});
