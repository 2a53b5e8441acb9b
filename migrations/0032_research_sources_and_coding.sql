CREATE TABLE "research_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"definition" text,
	"when_to_use" text,
	"when_not_to_use" text,
	"colour" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_codings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"code_id" uuid NOT NULL,
	"coder_id" uuid NOT NULL,
	"start_offset" integer NOT NULL,
	"end_offset" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_memos" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"target_type" text NOT NULL,
	"target_id" uuid NOT NULL,
	"text" text NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_sources" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"participant_id" uuid,
	"case_id" uuid,
	"collection_id" uuid,
	"work_package" text,
	"text" text NOT NULL,
	"turns" jsonb NOT NULL,
	"length" integer NOT NULL,
	"status" text NOT NULL,
	"unredacted_text" text,
	"redactions" jsonb NOT NULL,
	"warnings" jsonb NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"deidentified_by" uuid,
	"deidentified_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "research_studies" ADD COLUMN "blind_coding" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "research_codes" ADD CONSTRAINT "research_codes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_codes" ADD CONSTRAINT "research_codes_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_codes" ADD CONSTRAINT "research_codes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_codings" ADD CONSTRAINT "research_codings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_codings" ADD CONSTRAINT "research_codings_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_codings" ADD CONSTRAINT "research_codings_source_id_research_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."research_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_codings" ADD CONSTRAINT "research_codings_code_id_research_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."research_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_codings" ADD CONSTRAINT "research_codings_coder_id_users_id_fk" FOREIGN KEY ("coder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_memos" ADD CONSTRAINT "research_memos_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_memos" ADD CONSTRAINT "research_memos_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_memos" ADD CONSTRAINT "research_memos_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sources" ADD CONSTRAINT "research_sources_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sources" ADD CONSTRAINT "research_sources_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sources" ADD CONSTRAINT "research_sources_participant_id_research_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."research_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sources" ADD CONSTRAINT "research_sources_case_id_research_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."research_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sources" ADD CONSTRAINT "research_sources_collection_id_research_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."research_collections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sources" ADD CONSTRAINT "research_sources_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sources" ADD CONSTRAINT "research_sources_deidentified_by_users_id_fk" FOREIGN KEY ("deidentified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "research_codes_study_idx" ON "research_codes" USING btree ("study_id","parent_id");--> statement-breakpoint
CREATE INDEX "research_codings_source_idx" ON "research_codings" USING btree ("source_id","coder_id","start_offset");--> statement-breakpoint
CREATE INDEX "research_codings_code_idx" ON "research_codings" USING btree ("code_id","source_id");--> statement-breakpoint
CREATE INDEX "research_memos_target_idx" ON "research_memos" USING btree ("study_id","target_type","target_id");--> statement-breakpoint
CREATE INDEX "research_sources_study_idx" ON "research_sources" USING btree ("study_id","name");--> statement-breakpoint
CREATE INDEX "research_sources_participant_idx" ON "research_sources" USING btree ("participant_id");
--> statement-breakpoint
ALTER TABLE research_codes ADD CONSTRAINT research_codes_parent_fk FOREIGN KEY (parent_id) REFERENCES research_codes(id);
--> statement-breakpoint
-- A coding covers at least one character; its end is checked against the source's length by the service.
ALTER TABLE research_codings ADD CONSTRAINT research_codings_span_check CHECK (start_offset >= 0 AND end_offset > start_offset);
--> statement-breakpoint
ALTER TABLE research_sources ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_sources_tenant ON research_sources
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_codes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_codes_tenant ON research_codes
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_codings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_codings_tenant ON research_codings
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_memos ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_memos_tenant ON research_memos
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
