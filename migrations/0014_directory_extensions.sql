-- Trigram matching for typo-tolerant directory search ("wlking group" finds "Walking group").
-- PGlite loads the extension's code from @electric-sql/pglite/contrib/pg_trgm (see src/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
