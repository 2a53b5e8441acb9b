CREATE TABLE "connection_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"status" text NOT NULL,
	"on" date NOT NULL,
	"reason" text,
	"note" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"goal_id" uuid,
	"directory_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"service_name" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"consent_to_share" boolean NOT NULL,
	"note" text,
	"status_on" date NOT NULL,
	"connected_on" date NOT NULL,
	"link_worker_id" uuid NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"source" text NOT NULL,
	"format" text NOT NULL,
	"location" text NOT NULL,
	"status" text NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"rejections" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"started_by" uuid,
	"failure" text
);
--> statement-breakpoint
CREATE TABLE "directory_locations" (
	"id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"location_type" text NOT NULL,
	"name" text,
	"coords" "point",
	"postcode" text,
	"accessibility" text[] NOT NULL,
	"record" jsonb NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "directory_locations_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "directory_need_terms" (
	"organisation_id" uuid NOT NULL,
	"need" text NOT NULL,
	"term_id" uuid NOT NULL,
	CONSTRAINT "directory_need_terms_organisation_id_need_term_id_pk" PRIMARY KEY("organisation_id","need","term_id")
);
--> statement-breakpoint
CREATE TABLE "directory_organisations" (
	"id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"record" jsonb NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "directory_organisations_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "directory_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"note" text NOT NULL,
	"reported_by" uuid NOT NULL,
	"reported_for" uuid NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolution" text
);
--> statement-breakpoint
CREATE TABLE "directory_service_at_locations" (
	"id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"record" jsonb NOT NULL,
	CONSTRAINT "directory_service_at_locations_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "directory_service_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"change" text NOT NULL,
	"note" text,
	"record" jsonb NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	"changed_by" uuid,
	"import_id" uuid
);
--> statement-breakpoint
CREATE TABLE "directory_services" (
	"id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"directory_organisation_id" uuid,
	"name" text NOT NULL,
	"description" text,
	"status" text NOT NULL,
	"minimum_age" smallint,
	"maximum_age" smallint,
	"assured_date" date,
	"record" jsonb NOT NULL,
	"search_text" text NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(search_text, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')) STORED NOT NULL,
	"term_ids" uuid[] NOT NULL,
	"weekly_hours" "int4multirange",
	"attending_types" text[] NOT NULL,
	"languages" text[] NOT NULL,
	"is_free" boolean NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_by" uuid,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "directory_services_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "directory_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"stale_after_months" smallint DEFAULT 3 NOT NULL,
	"reply_expected_within_days" smallint DEFAULT 10 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "directory_taxonomies" (
	"id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"uri" text,
	"version" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "directory_taxonomies_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
CREATE TABLE "directory_taxonomy_terms" (
	"id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"taxonomy_id" uuid,
	"parent_id" uuid,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"code" text,
	"taxonomy" text,
	"term_uri" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "directory_taxonomy_terms_organisation_id_id_pk" PRIMARY KEY("organisation_id","id")
);
--> statement-breakpoint
ALTER TABLE "connection_events" ADD CONSTRAINT "connection_events_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connection_events" ADD CONSTRAINT "connection_events_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connection_events" ADD CONSTRAINT "connection_events_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connection_events" ADD CONSTRAINT "connection_events_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_directory_id_organisations_id_fk" FOREIGN KEY ("directory_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_link_worker_id_users_id_fk" FOREIGN KEY ("link_worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_directory_id_service_id_directory_services_organisation_id_id_fk" FOREIGN KEY ("directory_id","service_id") REFERENCES "public"."directory_services"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_imports" ADD CONSTRAINT "directory_imports_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_imports" ADD CONSTRAINT "directory_imports_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_locations" ADD CONSTRAINT "directory_locations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_need_terms" ADD CONSTRAINT "directory_need_terms_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_need_terms" ADD CONSTRAINT "directory_need_terms_need_needs_domains_code_fk" FOREIGN KEY ("need") REFERENCES "public"."needs_domains"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_need_terms" ADD CONSTRAINT "directory_need_terms_organisation_id_term_id_directory_taxonomy_terms_organisation_id_id_fk" FOREIGN KEY ("organisation_id","term_id") REFERENCES "public"."directory_taxonomy_terms"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_organisations" ADD CONSTRAINT "directory_organisations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_reports" ADD CONSTRAINT "directory_reports_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_reports" ADD CONSTRAINT "directory_reports_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_reports" ADD CONSTRAINT "directory_reports_reported_for_organisations_id_fk" FOREIGN KEY ("reported_for") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_reports" ADD CONSTRAINT "directory_reports_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_reports" ADD CONSTRAINT "directory_reports_organisation_id_service_id_directory_services_organisation_id_id_fk" FOREIGN KEY ("organisation_id","service_id") REFERENCES "public"."directory_services"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_at_locations" ADD CONSTRAINT "directory_service_at_locations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_at_locations" ADD CONSTRAINT "directory_service_at_locations_organisation_id_service_id_directory_services_organisation_id_id_fk" FOREIGN KEY ("organisation_id","service_id") REFERENCES "public"."directory_services"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_at_locations" ADD CONSTRAINT "directory_service_at_locations_organisation_id_location_id_directory_locations_organisation_id_id_fk" FOREIGN KEY ("organisation_id","location_id") REFERENCES "public"."directory_locations"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_history" ADD CONSTRAINT "directory_service_history_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_history" ADD CONSTRAINT "directory_service_history_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_organisation_id_directory_organisation_id_directory_organisations_organisation_id_id_fk" FOREIGN KEY ("organisation_id","directory_organisation_id") REFERENCES "public"."directory_organisations"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_settings" ADD CONSTRAINT "directory_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_settings" ADD CONSTRAINT "directory_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_taxonomies" ADD CONSTRAINT "directory_taxonomies_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_taxonomy_terms" ADD CONSTRAINT "directory_taxonomy_terms_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_taxonomy_terms" ADD CONSTRAINT "directory_taxonomy_terms_organisation_id_taxonomy_id_directory_taxonomies_organisation_id_id_fk" FOREIGN KEY ("organisation_id","taxonomy_id") REFERENCES "public"."directory_taxonomies"("organisation_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connection_events_connection_idx" ON "connection_events" USING btree ("connection_id","recorded_at");--> statement-breakpoint
CREATE INDEX "connections_referral_idx" ON "connections" USING btree ("referral_id","connected_on");--> statement-breakpoint
CREATE INDEX "connections_person_idx" ON "connections" USING btree ("person_id","connected_on");--> statement-breakpoint
CREATE INDEX "connections_service_idx" ON "connections" USING btree ("directory_id","service_id");--> statement-breakpoint
CREATE INDEX "connections_awaiting_idx" ON "connections" USING btree ("organisation_id","link_worker_id","status_on") WHERE status = 'referred';--> statement-breakpoint
CREATE INDEX "directory_locations_coords_idx" ON "directory_locations" USING gist ("coords");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_locations_source_idx" ON "directory_locations" USING btree ("organisation_id","source","source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_organisations_source_idx" ON "directory_organisations" USING btree ("organisation_id","source","source_id");--> statement-breakpoint
CREATE INDEX "directory_reports_open_idx" ON "directory_reports" USING btree ("organisation_id","reported_at") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "directory_sal_service_idx" ON "directory_service_at_locations" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "directory_sal_location_idx" ON "directory_service_at_locations" USING btree ("organisation_id","location_id");--> statement-breakpoint
CREATE INDEX "directory_service_history_service_idx" ON "directory_service_history" USING btree ("organisation_id","service_id","version");--> statement-breakpoint
CREATE INDEX "directory_services_search_idx" ON "directory_services" USING gin ("search");--> statement-breakpoint
CREATE INDEX "directory_services_trgm_idx" ON "directory_services" USING gin ((name || ' ' || search_text) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "directory_services_terms_idx" ON "directory_services" USING gin ("term_ids");--> statement-breakpoint
CREATE INDEX "directory_services_org_idx" ON "directory_services" USING btree ("organisation_id","directory_organisation_id");--> statement-breakpoint
CREATE INDEX "directory_services_assured_idx" ON "directory_services" USING btree ("organisation_id","assured_date");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_services_source_idx" ON "directory_services" USING btree ("organisation_id","source","source_id");--> statement-breakpoint
CREATE INDEX "directory_taxonomy_terms_taxonomy_idx" ON "directory_taxonomy_terms" USING btree ("organisation_id","taxonomy_id");--> statement-breakpoint
CREATE INDEX "directory_taxonomy_terms_parent_idx" ON "directory_taxonomy_terms" USING btree ("organisation_id","parent_id");