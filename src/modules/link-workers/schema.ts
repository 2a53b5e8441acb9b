import {
  date,
  index,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import {
  type baseSettings,
  clinicalSystemAccess,
  deliveryModes,
  employmentModels,
  practiceMeetingAttendance,
  supervisionArrangements,
} from './contract.ts';

/**
 * A link worker's implementation context from a date on. Rows are never updated: a change is a new row
 * with a later effective date, so evaluation can read the context as it was on any day.
 */
export const linkWorkerContexts = pgTable(
  'link_worker_contexts',
  {
    id: uuid('id').primaryKey(),
    /** The PCN the link worker serves: the tenant that owns this row. */
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    linkWorkerId: uuid('link_worker_id')
      .notNull()
      .references(() => users.id),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    employerOrganisationId: uuid('employer_organisation_id').references(() => organisations.id),
    employmentModel: text('employment_model', { enum: employmentModels }).notNull(),
    baseSettings: jsonb('base_settings').$type<(typeof baseSettings)[number][]>().notNull(),
    contractedHoursPerWeek: numeric('contracted_hours_per_week', { precision: 4, scale: 1 }).notNull(),
    supervision: text('supervision', { enum: supervisionArrangements }).notNull(),
    clinicalSystemAccess: text('clinical_system_access', { enum: clinicalSystemAccess }).notNull(),
    practiceMeetings: text('practice_meetings', { enum: practiceMeetingAttendance }).notNull(),
    deliveryMode: text('delivery_mode', { enum: deliveryModes }).notNull(),
    notes: text('notes'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // History is per PCN: a link worker serving two PCNs has a context in each, and neither tenant sees the other's.
    uniqueIndex('link_worker_contexts_pcn_from_key').on(t.organisationId, t.linkWorkerId, t.effectiveFrom),
    index('link_worker_contexts_org_idx').on(t.organisationId),
  ],
);
