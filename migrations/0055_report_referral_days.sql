CREATE TABLE "report_referral_days" (
	"organisation_id" uuid NOT NULL,
	"day" date NOT NULL,
	"measure" text NOT NULL,
	"key" text NOT NULL,
	"a" integer NOT NULL,
	"b" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_referral_days_organisation_id_day_measure_key_a_b_pk" PRIMARY KEY("organisation_id","day","measure","key","a","b")
);
--> statement-breakpoint
ALTER TABLE "report_referral_days" ADD CONSTRAINT "report_referral_days_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE report_referral_days ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_referral_days_tenant ON report_referral_days
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- What each referral's facts add to its PCN's day of arrival, through the function the monthly counts use (0046): a
-- rebuild of a referral's facts deletes its row and inserts the new one, the old taken away, the new added, in key
-- order (so two writers lock the rows they share in the same order).
CREATE FUNCTION report_referral_days_follow_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_referral_days AS d (organisation_id, day, measure, key, a, b, n)
  SELECT f.organisation_id, f.received_on, x.measure, x.key, x.a, x.b,
    CASE WHEN TG_OP = 'INSERT' THEN count(*)::int ELSE -count(*)::int END
  FROM changed_rows f
  CROSS JOIN LATERAL report_referral_month_rows(f.source, f.practice_id, f.reasons, f.received_on,
    f.first_contact_on, f.status, f.decline_reason, f.discharge_reason, f.attempts) x
  GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (organisation_id, day, measure, key, a, b) DO UPDATE SET n = d.n + excluded.n;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_referral_days_after_facts_insert AFTER INSERT ON report_referral_facts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_days_follow_facts();
--> statement-breakpoint
CREATE TRIGGER report_referral_days_after_facts_delete AFTER DELETE ON report_referral_facts
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_days_follow_facts();
--> statement-breakpoint
-- Rebuilds the counts from the facts (the backfill here; the benchmark's loads), in day order.
CREATE FUNCTION report_referral_days_rebuild() RETURNS void
LANGUAGE sql AS $$
  DELETE FROM report_referral_days;
  INSERT INTO report_referral_days (organisation_id, day, measure, key, a, b, n)
  SELECT f.organisation_id, f.received_on, x.measure, x.key, x.a, x.b, count(*)::int
  FROM report_referral_facts f
  CROSS JOIN LATERAL report_referral_month_rows(f.source, f.practice_id, f.reasons, f.received_on,
    f.first_contact_on, f.status, f.decline_reason, f.discharge_reason, f.attempts) x
  GROUP BY 1, 2, 3, 4, 5, 6
  ORDER BY 2, 1;
$$;
--> statement-breakpoint
SELECT report_referral_days_rebuild();
--> statement-breakpoint
ANALYZE report_referral_days;
