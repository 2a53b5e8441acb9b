CREATE INDEX "connections_organisation_day_idx" ON "connections" USING btree ("organisation_id","connected_on");--> statement-breakpoint
CREATE INDEX "contacts_organisation_time_idx" ON "contacts" USING btree ("organisation_id","occurred_at");--> statement-breakpoint
CREATE INDEX "contacts_first_and_attempts_idx" ON "contacts" USING btree ("referral_id","kind","occurred_at") WHERE kind in ('first_contact', 'attempt');--> statement-breakpoint
CREATE INDEX "appointments_organisation_time_idx" ON "appointments" USING btree ("organisation_id","starts_at");--> statement-breakpoint
CREATE INDEX "discharges_organisation_day_idx" ON "discharges" USING btree ("organisation_id","discharged_on");--> statement-breakpoint
CREATE INDEX "goals_referral_idx" ON "goals" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "referrals_received_idx" ON "referrals" USING btree ("organisation_id","received_at");