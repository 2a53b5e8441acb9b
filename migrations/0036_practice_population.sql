CREATE TABLE "practice_populations" (
	"organisation_id" uuid NOT NULL,
	"practice_id" uuid NOT NULL,
	"band_type" text NOT NULL,
	"band" text NOT NULL,
	"as_of" date NOT NULL,
	"count" integer NOT NULL,
	"loaded_by" uuid NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "practice_populations_organisation_id_practice_id_band_type_as_of_band_pk" PRIMARY KEY("organisation_id","practice_id","band_type","as_of","band")
);
--> statement-breakpoint
ALTER TABLE "practice_populations" ADD CONSTRAINT "practice_populations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_populations" ADD CONSTRAINT "practice_populations_practice_id_organisations_id_fk" FOREIGN KEY ("practice_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_populations" ADD CONSTRAINT "practice_populations_loaded_by_users_id_fk" FOREIGN KEY ("loaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "practice_populations_practice_idx" ON "practice_populations" USING btree ("practice_id","band_type","as_of");--> statement-breakpoint
-- Practice populations are the practice's PCN's, like the people referred from the practice.
ALTER TABLE practice_populations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY practice_populations_tenant ON practice_populations
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
