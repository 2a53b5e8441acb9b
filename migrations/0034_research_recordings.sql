CREATE TABLE "research_recordings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"collection_id" uuid,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"content" "bytea",
	"delete_on" date NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text,
	"deleted_by" uuid
);
--> statement-breakpoint
ALTER TABLE "research_recordings" ADD CONSTRAINT "research_recordings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_recordings" ADD CONSTRAINT "research_recordings_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_recordings" ADD CONSTRAINT "research_recordings_participant_id_research_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."research_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_recordings" ADD CONSTRAINT "research_recordings_collection_id_research_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."research_collections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_recordings" ADD CONSTRAINT "research_recordings_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_recordings" ADD CONSTRAINT "research_recordings_deleted_by_users_id_fk" FOREIGN KEY ("deleted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "research_recordings_study_idx" ON "research_recordings" USING btree ("study_id","uploaded_at");--> statement-breakpoint
CREATE INDEX "research_recordings_due_idx" ON "research_recordings" USING btree ("delete_on") WHERE content is not null;
--> statement-breakpoint
ALTER TABLE research_recordings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_recordings_tenant ON research_recordings
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
