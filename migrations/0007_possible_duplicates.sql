ALTER TABLE "people" ADD COLUMN "merged_into_person_id" uuid;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "possible_duplicate_person_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "people_pcn_dob_idx" ON "people" USING btree ("organisation_id","date_of_birth");