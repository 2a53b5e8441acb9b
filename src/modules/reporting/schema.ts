import { date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
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
