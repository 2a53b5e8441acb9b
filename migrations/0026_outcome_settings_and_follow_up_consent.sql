CREATE TABLE "outcome_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"instrument_codes" text[] NOT NULL,
	"short_follow_up_from_months" smallint NOT NULL,
	"short_follow_up_to_months" smallint NOT NULL,
	"long_follow_up_from_months" smallint NOT NULL,
	"long_follow_up_to_months" smallint NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "discharges" ADD COLUMN "consent_to_follow_up" boolean;--> statement-breakpoint
ALTER TABLE "outcome_settings" ADD CONSTRAINT "outcome_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_settings" ADD CONSTRAINT "outcome_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE outcome_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY outcome_settings_tenant ON outcome_settings
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
