CREATE INDEX "discharges_person_idx" ON "discharges" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_flags_person_idx" ON "person_flags" USING btree ("person_id","raised_at");