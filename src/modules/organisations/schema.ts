import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey(),
    type: text('type', { enum: ['icb', 'pcn', 'gp_practice', 'vcse', 'local_authority'] }).notNull(),
    name: text('name').notNull(),
    odsCode: text('ods_code').unique(),
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id),
    requireMfaForAll: boolean('require_mfa_for_all').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('organisations_parent_idx').on(t.parentId)],
);
