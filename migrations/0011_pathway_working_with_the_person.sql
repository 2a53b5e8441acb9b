CREATE TABLE "allocations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"from_link_worker_id" uuid,
	"to_link_worker_id" uuid NOT NULL,
	"reason" text,
	"allocated_by" uuid NOT NULL,
	"allocated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"link_worker_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" smallint NOT NULL,
	"mode" text NOT NULL,
	"location" text,
	"status" text NOT NULL,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discharges" (
	"referral_id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"discharged_on" date NOT NULL,
	"closing_summary" text NOT NULL,
	"support_offered" text NOT NULL,
	"outcome" text NOT NULL,
	"follow_up_for_gp" text,
	"discharged_by" uuid NOT NULL,
	"discharged_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goal_progress" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"contact_id" uuid,
	"rating" smallint NOT NULL,
	"note" text,
	"recorded_on" date NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"description" text NOT NULL,
	"needs_domain" text,
	"services" text,
	"review_on" date,
	"status" text NOT NULL,
	"actions" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pathway_settings" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"first_contact_target_working_days" smallint DEFAULT 10 NOT NULL,
	"unable_to_contact_attempts" smallint DEFAULT 3 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "person_flags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"note" text NOT NULL,
	"raised_by" uuid NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolution_note" text
);
--> statement-breakpoint
CREATE TABLE "support_plan_versions" (
	"organisation_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"saved_by" uuid NOT NULL,
	"saved_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "support_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"agreed_on" date NOT NULL,
	"summary" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "support_plans_referral_id_unique" UNIQUE("referral_id")
);
--> statement-breakpoint
CREATE TABLE "what_matters_conversations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"held_on" date NOT NULL,
	"needs" jsonb NOT NULL,
	"own_words" text NOT NULL,
	"strengths" text,
	"barriers" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "present" text;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_from_link_worker_id_users_id_fk" FOREIGN KEY ("from_link_worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_to_link_worker_id_users_id_fk" FOREIGN KEY ("to_link_worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_allocated_by_users_id_fk" FOREIGN KEY ("allocated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_link_worker_id_users_id_fk" FOREIGN KEY ("link_worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharges" ADD CONSTRAINT "discharges_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharges" ADD CONSTRAINT "discharges_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharges" ADD CONSTRAINT "discharges_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharges" ADD CONSTRAINT "discharges_discharged_by_users_id_fk" FOREIGN KEY ("discharged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_progress" ADD CONSTRAINT "goal_progress_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_progress" ADD CONSTRAINT "goal_progress_goal_id_goals_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."goals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_progress" ADD CONSTRAINT "goal_progress_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_progress" ADD CONSTRAINT "goal_progress_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_progress" ADD CONSTRAINT "goal_progress_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_progress" ADD CONSTRAINT "goal_progress_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_plan_id_support_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."support_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_settings" ADD CONSTRAINT "pathway_settings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_settings" ADD CONSTRAINT "pathway_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_flags" ADD CONSTRAINT "person_flags_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_flags" ADD CONSTRAINT "person_flags_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_flags" ADD CONSTRAINT "person_flags_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_flags" ADD CONSTRAINT "person_flags_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plan_versions" ADD CONSTRAINT "support_plan_versions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plan_versions" ADD CONSTRAINT "support_plan_versions_plan_id_support_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."support_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plan_versions" ADD CONSTRAINT "support_plan_versions_saved_by_users_id_fk" FOREIGN KEY ("saved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_plans" ADD CONSTRAINT "support_plans_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "what_matters_conversations" ADD CONSTRAINT "what_matters_conversations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "what_matters_conversations" ADD CONSTRAINT "what_matters_conversations_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "what_matters_conversations" ADD CONSTRAINT "what_matters_conversations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "what_matters_conversations" ADD CONSTRAINT "what_matters_conversations_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allocations_referral_idx" ON "allocations" USING btree ("referral_id","allocated_at");--> statement-breakpoint
CREATE INDEX "appointments_referral_idx" ON "appointments" USING btree ("referral_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_person_idx" ON "appointments" USING btree ("person_id","starts_at");--> statement-breakpoint
CREATE INDEX "goal_progress_goal_idx" ON "goal_progress" USING btree ("goal_id","recorded_on");--> statement-breakpoint
CREATE INDEX "goal_progress_person_idx" ON "goal_progress" USING btree ("person_id","recorded_at");--> statement-breakpoint
CREATE INDEX "goals_plan_idx" ON "goals" USING btree ("plan_id","position");--> statement-breakpoint
CREATE INDEX "goals_review_idx" ON "goals" USING btree ("referral_id","review_on") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "person_flags_open_idx" ON "person_flags" USING btree ("person_id") WHERE resolved_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "support_plan_versions_key" ON "support_plan_versions" USING btree ("plan_id","version");--> statement-breakpoint
CREATE INDEX "support_plans_person_idx" ON "support_plans" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "what_matters_referral_version" ON "what_matters_conversations" USING btree ("referral_id","version");--> statement-breakpoint
CREATE INDEX "what_matters_person_idx" ON "what_matters_conversations" USING btree ("person_id","recorded_at");--> statement-breakpoint
CREATE INDEX "coded_events_person_idx" ON "coded_events" USING btree ("person_id","recorded_at");--> statement-breakpoint
CREATE INDEX "contacts_person_idx" ON "contacts" USING btree ("person_id","occurred_at");--> statement-breakpoint
CREATE INDEX "referrals_caseload_idx" ON "referrals" USING btree ("allocated_link_worker_id","received_at") WHERE status = 'accepted';--> statement-breakpoint
-- Person-level pathway data belongs to the PCN (tenant key), as for people and referrals.
ALTER TABLE pathway_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY pathway_settings_tenant ON pathway_settings
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE allocations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY allocations_tenant ON allocations
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY appointments_tenant ON appointments
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE what_matters_conversations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY what_matters_conversations_tenant ON what_matters_conversations
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE support_plans ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_plans_tenant ON support_plans
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE support_plan_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY support_plan_versions_tenant ON support_plan_versions
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE goals ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY goals_tenant ON goals
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE goal_progress ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY goal_progress_tenant ON goal_progress
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE person_flags ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY person_flags_tenant ON person_flags
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE discharges ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY discharges_tenant ON discharges
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
-- Allocations made at triage before this history existed become its first rows.
INSERT INTO allocations (id, organisation_id, referral_id, from_link_worker_id, to_link_worker_id, reason, allocated_by, allocated_at)
SELECT gen_random_uuid(), organisation_id, id, NULL, allocated_link_worker_id, 'Allocated at triage', triaged_by, triaged_at
FROM referrals
WHERE allocated_link_worker_id IS NOT NULL AND triaged_by IS NOT NULL AND triaged_at IS NOT NULL;
