CREATE TABLE "outcome_changes" (
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"instrument_code" text NOT NULL,
	"baseline_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"person_id" uuid NOT NULL,
	"baseline_on" date NOT NULL,
	"next_baseline_on" date,
	"baseline_value" double precision,
	"discharge_on" date,
	"discharge_value" double precision,
	"follow_up_short_on" date,
	"follow_up_short_value" double precision,
	"follow_up_long_on" date,
	"follow_up_long_value" double precision,
	"discharged_on" date,
	"consent_to_follow_up" boolean,
	CONSTRAINT "outcome_changes_organisation_id_referral_id_instrument_code_baseline_id_measure_pk" PRIMARY KEY("organisation_id","referral_id","instrument_code","baseline_id","measure")
);
--> statement-breakpoint
ALTER TABLE "outcome_changes" ADD CONSTRAINT "outcome_changes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_changes" ADD CONSTRAINT "outcome_changes_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcome_changes" ADD CONSTRAINT "outcome_changes_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outcome_changes_referral_idx" ON "outcome_changes" USING btree ("referral_id");--> statement-breakpoint
-- The change report's pairs are person-level data: the PCN's, like the measures they come from.
ALTER TABLE outcome_changes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY outcome_changes_tenant ON outcome_changes
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- What GET /api/outcomes/change reads: one instrument's measure (or its episode rows, measure ''), the PCNs in
-- reach, baselines in the period; every value it sums is in the index, so an ICB's year is an index-only scan.
CREATE INDEX outcome_changes_report_idx ON outcome_changes
  USING btree (instrument_code, measure, organisation_id, baseline_on)
  INCLUDE (next_baseline_on, referral_id, baseline_value, discharge_on, discharge_value, follow_up_short_on,
    follow_up_short_value, follow_up_long_on, follow_up_long_value, discharged_on, consent_to_follow_up);
--> statement-breakpoint
-- Rebuilds the pairs of some referrals from outcome_responses, set-based: for each current complete baseline, the
-- episode row and one row per score and item it has, beside the latest current complete response at discharge and
-- at each follow-up ("latest": by completed_on, then recorded_at, then id, as the report has always ordered them).
-- Window functions only, no self-joins: one pass over the referrals' responses whatever their number.
CREATE FUNCTION outcome_changes_refresh(referral_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM outcome_changes WHERE referral_id IN (SELECT unnest(referral_ids));
  INSERT INTO outcome_changes (organisation_id, referral_id, instrument_code, baseline_id, measure, person_id,
    baseline_on, next_baseline_on, baseline_value, discharge_on, discharge_value, follow_up_short_on,
    follow_up_short_value, follow_up_long_on, follow_up_long_value, discharged_on, consent_to_follow_up)
  WITH cur AS (
    SELECT r.id, r.organisation_id, r.person_id, r.referral_id, r.instrument_code, r.timepoint, r.completed_on,
      row_number() OVER w = 1 AS latest,
      lag(r.completed_on) OVER w AS next_on,
      (SELECT coalesce(jsonb_object_agg(kv.k, kv.v), '{}'::jsonb) FROM (
         SELECT 'score:' || (x ->> 'code') AS k, x -> 'value' AS v FROM jsonb_array_elements(r.scores) x
         UNION ALL
         SELECT 'item:' || a.key, a.value FROM jsonb_each(r.answers) a) kv) AS vals
    FROM outcome_responses r
    WHERE r.referral_id IN (SELECT unnest(referral_ids)) AND r.status = 'complete' AND NOT r.superseded
      AND r.timepoint IN ('baseline', 'discharge', 'follow_up_short', 'follow_up_long')
    WINDOW w AS (PARTITION BY r.referral_id, r.instrument_code, r.timepoint
                 ORDER BY r.completed_on DESC, r.recorded_at DESC, r.id DESC)
  ),
  episode AS (
    SELECT c.*,
      max(c.completed_on) FILTER (WHERE c.latest AND c.timepoint = 'discharge') OVER e AS d_on,
      (array_agg(c.vals) FILTER (WHERE c.latest AND c.timepoint = 'discharge') OVER e)[1] AS d_vals,
      max(c.completed_on) FILTER (WHERE c.latest AND c.timepoint = 'follow_up_short') OVER e AS s_on,
      (array_agg(c.vals) FILTER (WHERE c.latest AND c.timepoint = 'follow_up_short') OVER e)[1] AS s_vals,
      max(c.completed_on) FILTER (WHERE c.latest AND c.timepoint = 'follow_up_long') OVER e AS l_on,
      (array_agg(c.vals) FILTER (WHERE c.latest AND c.timepoint = 'follow_up_long') OVER e)[1] AS l_vals
    FROM cur c
    WINDOW e AS (PARTITION BY c.referral_id, c.instrument_code)
  )
  SELECT b.organisation_id, b.referral_id, b.instrument_code, b.id, m.measure, b.person_id,
    b.completed_on, b.next_on, m.value,
    b.d_on, (b.d_vals ->> m.measure)::float8,
    b.s_on, (b.s_vals ->> m.measure)::float8,
    b.l_on, (b.l_vals ->> m.measure)::float8,
    x.discharged_on, x.consent_to_follow_up
  FROM episode b
  CROSS JOIN LATERAL (
    SELECT '' AS measure, NULL::float8 AS value
    UNION ALL
    SELECT e.key, (e.value #>> '{}')::float8 FROM jsonb_each(b.vals) e WHERE jsonb_typeof(e.value) = 'number'
  ) m
  LEFT JOIN discharges x ON x.referral_id = b.referral_id AND m.measure = ''
  WHERE b.timepoint = 'baseline';
$$;
--> statement-breakpoint
-- Every write to outcome_responses (recorded, amended, imported, seeded, erased) rebuilds its referrals' pairs in
-- the same statement's transaction, so no writer can leave the report behind.
CREATE FUNCTION outcome_changes_follow_responses() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM outcome_changes_refresh(ARRAY(SELECT DISTINCT referral_id FROM changed_responses));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER outcome_changes_after_insert AFTER INSERT ON outcome_responses
  REFERENCING NEW TABLE AS changed_responses
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_changes_follow_responses();
--> statement-breakpoint
CREATE TRIGGER outcome_changes_after_update AFTER UPDATE ON outcome_responses
  REFERENCING NEW TABLE AS changed_responses
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_changes_follow_responses();
--> statement-breakpoint
CREATE TRIGGER outcome_changes_after_delete AFTER DELETE ON outcome_responses
  REFERENCING OLD TABLE AS changed_responses
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_changes_follow_responses();
--> statement-breakpoint
-- A discharge (usually recorded after the baseline) moves onto the episode rows.
CREATE FUNCTION outcome_changes_follow_discharges() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE outcome_changes c SET discharged_on = x.discharged_on, consent_to_follow_up = x.consent_to_follow_up
  FROM (SELECT DISTINCT referral_id FROM changed_discharges) k
  LEFT JOIN discharges x ON x.referral_id = k.referral_id
  WHERE c.referral_id = k.referral_id AND c.measure = '';
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER outcome_changes_after_discharge_insert AFTER INSERT ON discharges
  REFERENCING NEW TABLE AS changed_discharges
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_changes_follow_discharges();
--> statement-breakpoint
CREATE TRIGGER outcome_changes_after_discharge_update AFTER UPDATE ON discharges
  REFERENCING NEW TABLE AS changed_discharges
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_changes_follow_discharges();
--> statement-breakpoint
CREATE TRIGGER outcome_changes_after_discharge_delete AFTER DELETE ON discharges
  REFERENCING OLD TABLE AS changed_discharges
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_changes_follow_discharges();
--> statement-breakpoint
-- Backfill: the pairs of every referral with measures already recorded.
SELECT outcome_changes_refresh(ARRAY(SELECT DISTINCT referral_id FROM outcome_responses));
