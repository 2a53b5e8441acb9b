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
import { organisations } from '../organisations/schema.ts';
import { contactMethods, ethnicCategories, sexes } from './contract.ts';

/** A person supported by a PCN's link worker service. The PCN owns the record (tenant key). */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    nhsNumber: text('nhs_number'),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    sex: text('sex', { enum: sexes }).notNull(),
    genderIdentity: text('gender_identity'),
    ethnicCategory: text('ethnic_category', { enum: ethnicCategories }).notNull(),
    addressLines: jsonb('address_lines').$type<string[]>().notNull(),
    postcode: text('postcode'),
    /** Derived from the postcode through the geography tables when it is in them; blank otherwise, never guessed. */
    lsoaCode: text('lsoa_code'),
    imdDecile: smallint('imd_decile'),
    phone: text('phone'),
    email: text('email'),
    preferredContactMethod: text('preferred_contact_method', { enum: contactMethods }),
    preferredContactTimes: text('preferred_contact_times'),
    interpreterLanguage: text('interpreter_language'),
    accessibilityNeeds: text('accessibility_needs'),
    registeredPracticeId: uuid('registered_practice_id').references(() => organisations.id),
    consentToShareWithServices: boolean('consent_to_share_with_services').notNull(),
    /** Set when a triager confirmed this record is the same person as another: that one is kept. */
    mergedIntoPersonId: uuid('merged_into_person_id'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // Within a PCN an NHS number identifies one person.
    uniqueIndex('people_pcn_nhs_number_key')
      .on(t.organisationId, t.nhsNumber)
      .where(sql`nhs_number is not null`),
    index('people_pcn_name_idx').on(t.organisationId, t.familyName, t.dateOfBirth),
    index('people_pcn_dob_idx').on(t.organisationId, t.dateOfBirth),
  ],
);
