CREATE TABLE "research_cmoc_evidence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"cmoc_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"start_offset" integer NOT NULL,
	"end_offset" integer NOT NULL,
	"coding_id" uuid,
	"stance" text NOT NULL,
	"note" text,
	"added_by" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_cmocs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"lineage_id" uuid NOT NULL,
	"lineage_version" integer NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"contexts" jsonb NOT NULL,
	"mechanism_resource" text NOT NULL,
	"mechanism_response" text NOT NULL,
	"outcome" text NOT NULL,
	"intervention" text,
	"actor" text,
	"statement" text NOT NULL,
	"status" text NOT NULL,
	"confidence" text,
	"memo" text,
	"initial" boolean NOT NULL,
	"refined_from" uuid,
	"refine_reason" text,
	"superseded_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_rameses_items" (
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"item" integer NOT NULL,
	"reported" text NOT NULL,
	"location" text,
	"note" text,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "research_cmoc_evidence" ADD CONSTRAINT "research_cmoc_evidence_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cmoc_evidence" ADD CONSTRAINT "research_cmoc_evidence_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cmoc_evidence" ADD CONSTRAINT "research_cmoc_evidence_cmoc_id_research_cmocs_id_fk" FOREIGN KEY ("cmoc_id") REFERENCES "public"."research_cmocs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cmoc_evidence" ADD CONSTRAINT "research_cmoc_evidence_source_id_research_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."research_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cmoc_evidence" ADD CONSTRAINT "research_cmoc_evidence_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cmocs" ADD CONSTRAINT "research_cmocs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cmocs" ADD CONSTRAINT "research_cmocs_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cmocs" ADD CONSTRAINT "research_cmocs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_rameses_items" ADD CONSTRAINT "research_rameses_items_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_rameses_items" ADD CONSTRAINT "research_rameses_items_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_rameses_items" ADD CONSTRAINT "research_rameses_items_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "research_cmoc_evidence_cmoc_idx" ON "research_cmoc_evidence" USING btree ("cmoc_id");--> statement-breakpoint
CREATE INDEX "research_cmoc_evidence_source_idx" ON "research_cmoc_evidence" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "research_cmocs_study_idx" ON "research_cmocs" USING btree ("study_id","number","lineage_version");--> statement-breakpoint
CREATE UNIQUE INDEX "research_cmocs_lineage_key" ON "research_cmocs" USING btree ("lineage_id","lineage_version");--> statement-breakpoint
CREATE UNIQUE INDEX "research_rameses_items_key" ON "research_rameses_items" USING btree ("study_id","item");
--> statement-breakpoint
ALTER TABLE research_cmoc_evidence ADD CONSTRAINT research_cmoc_evidence_span_check CHECK (start_offset >= 0 AND end_offset > start_offset);
--> statement-breakpoint
ALTER TABLE research_cmocs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_cmocs_tenant ON research_cmocs
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_cmoc_evidence ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_cmoc_evidence_tenant ON research_cmoc_evidence
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_rameses_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_rameses_items_tenant ON research_rameses_items
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
