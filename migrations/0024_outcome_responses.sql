CREATE TABLE "outcome_responses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organisation_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"instrument_id" uuid NOT NULL,
	"instrument_code" text NOT NULL,
	"timepoint" text NOT NULL,
	"completed_on" date NOT NULL,
	"completed_by" text NOT NULL,
	"mode" text NOT NULL,
	"answers" jsonb NOT NULL,
	"status" text NOT NULL,
	"scores" jsonb NOT NULL,
	"submission_id" uuid NOT NULL,
	"amends" uuid,
	"superseded" boolean DEFAULT false NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outcome_responses" ADD CONSTRAINT "outcome_responses_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_responses" ADD CONSTRAINT "outcome_responses_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_responses" ADD CONSTRAINT "outcome_responses_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_responses" ADD CONSTRAINT "outcome_responses_instrument_id_outcome_instruments_id_fk" FOREIGN KEY ("instrument_id") REFERENCES "public"."outcome_instruments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_responses" ADD CONSTRAINT "outcome_responses_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outcome_responses_submission_idx" ON "outcome_responses" USING btree ("organisation_id","submission_id");--> statement-breakpoint
CREATE INDEX "outcome_responses_referral_idx" ON "outcome_responses" USING btree ("referral_id","completed_on");--> statement-breakpoint
CREATE INDEX "outcome_responses_person_idx" ON "outcome_responses" USING btree ("person_id","completed_on");