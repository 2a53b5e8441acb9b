CREATE TABLE "people" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"nhs_number" text,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"date_of_birth" date NOT NULL,
	"sex" text NOT NULL,
	"gender_identity" text,
	"ethnic_category" text NOT NULL,
	"address_lines" jsonb NOT NULL,
	"postcode" text,
	"phone" text,
	"email" text,
	"preferred_contact_method" text,
	"preferred_contact_times" text,
	"interpreter_language" text,
	"accessibility_needs" text,
	"registered_practice_id" uuid,
	"consent_to_share_with_services" boolean NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "needs_domains" (
	"code" text PRIMARY KEY NOT NULL,
	"label" text NOT NULL,
	"position" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"source" text NOT NULL,
	"referrer_user_id" uuid,
	"referring_organisation_id" uuid,
	"reasons" jsonb NOT NULL,
	"context" text,
	"urgency" text NOT NULL,
	"consent_to_referral" boolean NOT NULL,
	"status" text NOT NULL,
	"decline_reason" text,
	"triage_note" text,
	"allocated_link_worker_id" uuid,
	"triaged_by" uuid,
	"triaged_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"idempotency_key" text,
	"idempotency_fingerprint" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_registered_practice_id_organisations_id_fk" FOREIGN KEY ("registered_practice_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referrer_user_id_users_id_fk" FOREIGN KEY ("referrer_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referring_organisation_id_organisations_id_fk" FOREIGN KEY ("referring_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_allocated_link_worker_id_users_id_fk" FOREIGN KEY ("allocated_link_worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_triaged_by_users_id_fk" FOREIGN KEY ("triaged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "people_pcn_nhs_number_key" ON "people" USING btree ("organisation_id","nhs_number") WHERE nhs_number is not null;--> statement-breakpoint
CREATE INDEX "people_pcn_name_idx" ON "people" USING btree ("organisation_id","family_name","date_of_birth");--> statement-breakpoint
CREATE UNIQUE INDEX "referrals_idempotency_key" ON "referrals" USING btree ("organisation_id","idempotency_key") WHERE idempotency_key is not null;--> statement-breakpoint
CREATE INDEX "referrals_triage_idx" ON "referrals" USING btree ("organisation_id","status","received_at");--> statement-breakpoint
CREATE INDEX "referrals_referrer_idx" ON "referrals" USING btree ("referrer_user_id","received_at");--> statement-breakpoint
CREATE INDEX "referrals_person_idx" ON "referrals" USING btree ("person_id");