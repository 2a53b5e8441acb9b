CREATE TABLE "research_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"label" text NOT NULL,
	"link_worker_id" uuid,
	"link_worker_organisation_id" uuid,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"description" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_collections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"participant_id" uuid,
	"case_id" uuid,
	"kind" text NOT NULL,
	"work_package" text NOT NULL,
	"mode" text NOT NULL,
	"scheduled_on" date NOT NULL,
	"held_on" date,
	"status" text NOT NULL,
	"researcher_id" uuid,
	"topic_guide_version" text,
	"follow_up_of" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"form_version" text NOT NULL,
	"consented_on" date NOT NULL,
	"interview" boolean NOT NULL,
	"audio_recording" boolean NOT NULL,
	"anonymised_quotes" boolean NOT NULL,
	"future_contact" boolean NOT NULL,
	"pathway_record" boolean NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_participant_contacts" (
	"participant_id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text,
	"email" text,
	"phone" text,
	"notes" text,
	"pathway_person_id" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_participants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"case_id" uuid,
	"study_code" text NOT NULL,
	"role" text NOT NULL,
	"withdrawn_on" date,
	"withdrawal_choice" text,
	"withdrawal_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_sites" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"linked_organisation_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_studies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"question" text NOT NULL,
	"ethics_reference" text,
	"funder" text,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"initial_programme_theory" text,
	"audio_retention_months" integer NOT NULL,
	"keep_unredacted_text" boolean NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_study_members" (
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"added_by" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "research_work_packages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text
);
--> statement-breakpoint
ALTER TABLE "research_cases" ADD CONSTRAINT "research_cases_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cases" ADD CONSTRAINT "research_cases_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cases" ADD CONSTRAINT "research_cases_site_id_research_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."research_sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cases" ADD CONSTRAINT "research_cases_link_worker_id_users_id_fk" FOREIGN KEY ("link_worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_cases" ADD CONSTRAINT "research_cases_link_worker_organisation_id_organisations_id_fk" FOREIGN KEY ("link_worker_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_collections" ADD CONSTRAINT "research_collections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_collections" ADD CONSTRAINT "research_collections_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_collections" ADD CONSTRAINT "research_collections_participant_id_research_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."research_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_collections" ADD CONSTRAINT "research_collections_case_id_research_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."research_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_collections" ADD CONSTRAINT "research_collections_researcher_id_users_id_fk" FOREIGN KEY ("researcher_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_consents" ADD CONSTRAINT "research_consents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_consents" ADD CONSTRAINT "research_consents_participant_id_research_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."research_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_consents" ADD CONSTRAINT "research_consents_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_participant_contacts" ADD CONSTRAINT "research_participant_contacts_participant_id_research_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."research_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_participant_contacts" ADD CONSTRAINT "research_participant_contacts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_participant_contacts" ADD CONSTRAINT "research_participant_contacts_pathway_person_id_people_id_fk" FOREIGN KEY ("pathway_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_participants" ADD CONSTRAINT "research_participants_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_participants" ADD CONSTRAINT "research_participants_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_participants" ADD CONSTRAINT "research_participants_case_id_research_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."research_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sites" ADD CONSTRAINT "research_sites_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sites" ADD CONSTRAINT "research_sites_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_sites" ADD CONSTRAINT "research_sites_linked_organisation_id_organisations_id_fk" FOREIGN KEY ("linked_organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_studies" ADD CONSTRAINT "research_studies_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_studies" ADD CONSTRAINT "research_studies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_study_members" ADD CONSTRAINT "research_study_members_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_study_members" ADD CONSTRAINT "research_study_members_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_study_members" ADD CONSTRAINT "research_study_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_study_members" ADD CONSTRAINT "research_study_members_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_work_packages" ADD CONSTRAINT "research_work_packages_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_work_packages" ADD CONSTRAINT "research_work_packages_study_id_research_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."research_studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "research_cases_label_key" ON "research_cases" USING btree ("study_id","label");--> statement-breakpoint
CREATE INDEX "research_cases_site_idx" ON "research_cases" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "research_collections_study_idx" ON "research_collections" USING btree ("study_id","scheduled_on");--> statement-breakpoint
CREATE INDEX "research_collections_participant_idx" ON "research_collections" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "research_consents_participant_idx" ON "research_consents" USING btree ("participant_id","consented_on");--> statement-breakpoint
CREATE UNIQUE INDEX "research_participants_code_key" ON "research_participants" USING btree ("study_id","study_code");--> statement-breakpoint
CREATE INDEX "research_participants_case_idx" ON "research_participants" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "research_sites_name_key" ON "research_sites" USING btree ("study_id","name");--> statement-breakpoint
CREATE INDEX "research_studies_org_idx" ON "research_studies" USING btree ("organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "research_study_members_key" ON "research_study_members" USING btree ("study_id","user_id");--> statement-breakpoint
CREATE INDEX "research_study_members_user_idx" ON "research_study_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "research_work_packages_code_key" ON "research_work_packages" USING btree ("study_id","code");
--> statement-breakpoint
-- Research data are the owning organisation's; the study's team is checked by the service on every call.
--> statement-breakpoint
ALTER TABLE research_studies ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_studies_tenant ON research_studies
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_work_packages ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_work_packages_tenant ON research_work_packages
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_study_members ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_study_members_tenant ON research_study_members
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_sites ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_sites_tenant ON research_sites
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_cases ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_cases_tenant ON research_cases
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_participants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_participants_tenant ON research_participants
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_participant_contacts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_participant_contacts_tenant ON research_participant_contacts
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_consents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_consents_tenant ON research_consents
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE research_collections ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY research_collections_tenant ON research_collections
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
