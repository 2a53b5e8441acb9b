DROP INDEX "contacts_organisation_time_idx";--> statement-breakpoint
DROP INDEX "appointments_organisation_time_idx";--> statement-breakpoint
-- The operational report counts the contacts and appointments of a period's part months (the days before its first
-- whole month and after its last) from the records: ~75,000 contacts for an ICB's year ending mid-month, each read
-- from the heap for its kind and mode. The same keys with those columns included make the read index-only, and
-- serve every other reader of the two indexes dropped above by the same keys.
CREATE INDEX contacts_organisation_time_cover_idx ON contacts (organisation_id, occurred_at) INCLUDE (kind, mode);
--> statement-breakpoint
CREATE INDEX appointments_organisation_time_cover_idx ON appointments (organisation_id, starts_at) INCLUDE (status);
