CREATE TABLE "outcome_instruments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid,
	"code" text NOT NULL,
	"version" text NOT NULL,
	"title" text NOT NULL,
	"requires_licence" boolean NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "outcome_licences" (
	"organisation_id" uuid NOT NULL,
	"instrument_code" text NOT NULL,
	"licence_reference" text NOT NULL,
	"conversions" jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "outcome_licences_organisation_id_instrument_code_pk" PRIMARY KEY("organisation_id","instrument_code")
);
--> statement-breakpoint
ALTER TABLE "outcome_instruments" ADD CONSTRAINT "outcome_instruments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_instruments" ADD CONSTRAINT "outcome_instruments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_licences" ADD CONSTRAINT "outcome_licences_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_licences" ADD CONSTRAINT "outcome_licences_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outcome_instruments_shipped_idx" ON "outcome_instruments" USING btree ("code","version") WHERE organisation_id is null;--> statement-breakpoint
CREATE UNIQUE INDEX "outcome_instruments_own_idx" ON "outcome_instruments" USING btree ("organisation_id","code","version") WHERE organisation_id is not null;