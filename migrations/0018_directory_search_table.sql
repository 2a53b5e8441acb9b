CREATE TABLE "directory_search" (
	"organisation_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"location_id" uuid,
	"coords" "point",
	"accessibility" text[] NOT NULL,
	"status" text NOT NULL,
	"search" "tsvector" NOT NULL,
	"words" text NOT NULL,
	"term_ids" uuid[] NOT NULL,
	"weekly_hours" "int4multirange",
	"attending_types" text[] NOT NULL,
	"languages" text[] NOT NULL,
	"is_free" boolean NOT NULL,
	"minimum_age" smallint,
	"maximum_age" smallint
);
--> statement-breakpoint
DROP INDEX "directory_services_search_idx";--> statement-breakpoint
DROP INDEX "directory_services_trgm_idx";--> statement-breakpoint
DROP INDEX "directory_services_terms_idx";--> statement-breakpoint
ALTER TABLE "directory_services" ADD COLUMN "last_change" text DEFAULT 'imported' NOT NULL;--> statement-breakpoint
ALTER TABLE "directory_services" ADD COLUMN "last_change_note" text;--> statement-breakpoint
ALTER TABLE "directory_services" ADD COLUMN "last_import_id" uuid;--> statement-breakpoint
ALTER TABLE "directory_settings" ADD COLUMN "service_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "directory_search" ADD CONSTRAINT "directory_search_organisation_id_service_id_directory_services_organisation_id_id_fk" FOREIGN KEY ("organisation_id","service_id") REFERENCES "public"."directory_services"("organisation_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "directory_search_service_idx" ON "directory_search" USING btree ("organisation_id","service_id");--> statement-breakpoint
CREATE INDEX "directory_search_location_idx" ON "directory_search" USING btree ("organisation_id","location_id");--> statement-breakpoint
CREATE INDEX "directory_search_coords_idx" ON "directory_search" USING gist ("coords");--> statement-breakpoint
CREATE INDEX "directory_search_text_idx" ON "directory_search" USING gin ("search");--> statement-breakpoint
CREATE INDEX "directory_search_words_idx" ON "directory_search" USING gin ("words" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "directory_search_terms_idx" ON "directory_search" USING gin ("term_ids");
--> statement-breakpoint
-- Open data like the services it indexes: anyone reads, only the owning ICB writes.
ALTER TABLE directory_search ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_search_read ON directory_search FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_search_insert ON directory_search FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_search_update ON directory_search FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_search_delete ON directory_search FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- Services already in a directory: their search rows and count.
INSERT INTO directory_search (organisation_id, service_id, location_id, coords, accessibility, status, search, words,
  term_ids, weekly_hours, attending_types, languages, is_free, minimum_age, maximum_age)
SELECT s.organisation_id, s.id, l.id, l.coords, coalesce(l.accessibility, '{}'), s.status, s.search,
  s.name || ' ' || s.search_text, s.term_ids, s.weekly_hours, s.attending_types, s.languages, s.is_free,
  s.minimum_age, s.maximum_age
FROM directory_services s
LEFT JOIN directory_service_at_locations sal ON sal.organisation_id = s.organisation_id AND sal.service_id = s.id
LEFT JOIN directory_locations l ON l.organisation_id = sal.organisation_id AND l.id = sal.location_id;
--> statement-breakpoint
UPDATE directory_settings ds SET service_count =
  (SELECT count(*) FROM directory_services s WHERE s.organisation_id = ds.organisation_id);
