import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
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
