import { doublePrecision, pgTable, smallint, text } from 'drizzle-orm/pg-core';

/** Postcode → coordinates and LSOA, from the ONS Postcode Directory (live postcodes only). Shared reference data. */
export const postcodes = pgTable('postcodes', {
  /** Upper case, no spaces: "LS14AP". */
  postcode: text('postcode').primaryKey(),
  latitude: doublePrecision('latitude').notNull(),
  longitude: doublePrecision('longitude').notNull(),
  lsoaCode: text('lsoa_code'),
});

/** LSOA → Index of Multiple Deprivation decile (1 = most deprived 10 %), from the English Indices of Deprivation. */
export const lsoaDeprivation = pgTable('lsoa_deprivation', {
  lsoaCode: text('lsoa_code').primaryKey(),
  imdDecile: smallint('imd_decile').notNull(),
});
