CREATE TABLE "coded_concepts" (
	"purpose" text NOT NULL,
	"system" text NOT NULL,
	"code" text NOT NULL,
	"display" text NOT NULL,
	"version" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coded_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"system" text NOT NULL,
	"code" text NOT NULL,
	"display" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"link_worker_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"mode" text NOT NULL,
	"duration_minutes" integer,
	"kind" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "coded_events" ADD CONSTRAINT "coded_events_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coded_events" ADD CONSTRAINT "coded_events_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coded_events" ADD CONSTRAINT "coded_events_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coded_events" ADD CONSTRAINT "coded_events_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_link_worker_id_users_id_fk" FOREIGN KEY ("link_worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "coded_concepts_purpose_version" ON "coded_concepts" USING btree ("purpose","version");--> statement-breakpoint
CREATE UNIQUE INDEX "coded_events_once_per_episode" ON "coded_events" USING btree ("referral_id","purpose");--> statement-breakpoint
CREATE INDEX "coded_events_extract_idx" ON "coded_events" USING btree ("organisation_id","recorded_at");--> statement-breakpoint
CREATE INDEX "contacts_referral_idx" ON "contacts" USING btree ("referral_id","occurred_at");