CREATE TABLE "report_referral_months" (
	"organisation_id" uuid NOT NULL,
	"month" date NOT NULL,
	"measure" text NOT NULL,
	"key" text NOT NULL,
	"a" integer NOT NULL,
	"b" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_referral_months_organisation_id_month_measure_key_a_b_pk" PRIMARY KEY("organisation_id","month","measure","key","a","b")
);
--> statement-breakpoint
ALTER TABLE "report_referral_months" ADD CONSTRAINT "report_referral_months_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE report_referral_months ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_referral_months_tenant ON report_referral_months
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- What each referral's facts add to its PCN's month (src/modules/reporting/operational-queries.ts reads them the
-- same way): one row each by source and practice, one per reason, its days and working days to the first contact
-- once taken on, and whether it could be reached (the attempts kept for the PCN's rule). A rebuild of a referral's
-- facts deletes its row and inserts the new one: the old taken away, the new added, in key order.
CREATE FUNCTION report_referral_months_follow_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_referral_months AS m (organisation_id, month, measure, key, a, b, n)
    SELECT organisation_id, month, measure, key, a, b, sum(change)::int
    FROM (
      SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date AS month, x.measure, x.key, x.a, x.b,
        1 AS change
      FROM new_rows f
      CROSS JOIN LATERAL (
        SELECT 'source', f.source, 0, 0
        UNION ALL SELECT 'practice', coalesce(f.practice_id::text, ''), 0, 0
        UNION ALL SELECT 'reason', reason, 0, 0 FROM unnest(f.reasons) reason
        UNION ALL SELECT 'wait', '', f.first_contact_on - f.received_on,
          greatest((5 * ((f.first_contact_on - date '1969-12-29' + 1) / 7) + least((f.first_contact_on - date '1969-12-29' + 1) % 7, 5)) - (5 * ((f.received_on - date '1969-12-29' + 1) / 7) + least((f.received_on - date '1969-12-29' + 1) % 7, 5)), 0)
        WHERE f.first_contact_on IS NOT NULL AND f.status NOT IN ('awaiting_triage', 'declined', 'signposted')
        UNION ALL SELECT 'reach',
          CASE
            WHEN f.status = 'awaiting_triage' THEN 'untriaged'
            WHEN f.status = 'declined' AND f.decline_reason = 'unable_to_contact' THEN 'unable'
            WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL
              AND f.status = 'discharged' AND f.discharge_reason = 'disengaged_or_unable_to_contact' THEN 'unable'
            WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL THEN 'no_contact'
            ELSE 'triaged'
          END,
          CASE WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL THEN f.attempts ELSE 0 END, 0
      ) x(measure, key, a, b)
    ) c
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (organisation_id, month, measure, key, a, b) DO UPDATE SET n = m.n + excluded.n;
  ELSE
    INSERT INTO report_referral_months AS m (organisation_id, month, measure, key, a, b, n)
    SELECT organisation_id, month, measure, key, a, b, sum(change)::int
    FROM (
      SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date AS month, x.measure, x.key, x.a, x.b,
        -1 AS change
      FROM old_rows f
      CROSS JOIN LATERAL (
        SELECT 'source', f.source, 0, 0
        UNION ALL SELECT 'practice', coalesce(f.practice_id::text, ''), 0, 0
        UNION ALL SELECT 'reason', reason, 0, 0 FROM unnest(f.reasons) reason
        UNION ALL SELECT 'wait', '', f.first_contact_on - f.received_on,
          greatest((5 * ((f.first_contact_on - date '1969-12-29' + 1) / 7) + least((f.first_contact_on - date '1969-12-29' + 1) % 7, 5)) - (5 * ((f.received_on - date '1969-12-29' + 1) / 7) + least((f.received_on - date '1969-12-29' + 1) % 7, 5)), 0)
        WHERE f.first_contact_on IS NOT NULL AND f.status NOT IN ('awaiting_triage', 'declined', 'signposted')
        UNION ALL SELECT 'reach',
          CASE
            WHEN f.status = 'awaiting_triage' THEN 'untriaged'
            WHEN f.status = 'declined' AND f.decline_reason = 'unable_to_contact' THEN 'unable'
            WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL
              AND f.status = 'discharged' AND f.discharge_reason = 'disengaged_or_unable_to_contact' THEN 'unable'
            WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL THEN 'no_contact'
            ELSE 'triaged'
          END,
          CASE WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL THEN f.attempts ELSE 0 END, 0
      ) x(measure, key, a, b)
    ) c
    GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (organisation_id, month, measure, key, a, b) DO UPDATE SET n = m.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_referral_months_after_facts_insert AFTER INSERT ON report_referral_facts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_months_follow_facts();
--> statement-breakpoint
CREATE TRIGGER report_referral_months_after_facts_delete AFTER DELETE ON report_referral_facts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_months_follow_facts();
--> statement-breakpoint
-- Backfill from the facts (the facts are rebuilt by deletes and inserts only: a truncate of them must take this
-- table with it).
INSERT INTO report_referral_months (organisation_id, month, measure, key, a, b, n)
SELECT organisation_id, month, measure, key, a, b, sum(change)::int
FROM (
  SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date AS month, x.measure, x.key, x.a, x.b,
        1 AS change
      FROM report_referral_facts f
      CROSS JOIN LATERAL (
        SELECT 'source', f.source, 0, 0
        UNION ALL SELECT 'practice', coalesce(f.practice_id::text, ''), 0, 0
        UNION ALL SELECT 'reason', reason, 0, 0 FROM unnest(f.reasons) reason
        UNION ALL SELECT 'wait', '', f.first_contact_on - f.received_on,
          greatest((5 * ((f.first_contact_on - date '1969-12-29' + 1) / 7) + least((f.first_contact_on - date '1969-12-29' + 1) % 7, 5)) - (5 * ((f.received_on - date '1969-12-29' + 1) / 7) + least((f.received_on - date '1969-12-29' + 1) % 7, 5)), 0)
        WHERE f.first_contact_on IS NOT NULL AND f.status NOT IN ('awaiting_triage', 'declined', 'signposted')
        UNION ALL SELECT 'reach',
          CASE
            WHEN f.status = 'awaiting_triage' THEN 'untriaged'
            WHEN f.status = 'declined' AND f.decline_reason = 'unable_to_contact' THEN 'unable'
            WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL
              AND f.status = 'discharged' AND f.discharge_reason = 'disengaged_or_unable_to_contact' THEN 'unable'
            WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL THEN 'no_contact'
            ELSE 'triaged'
          END,
          CASE WHEN f.status IN ('accepted', 'discharged') AND f.first_contact_on IS NULL THEN f.attempts ELSE 0 END, 0
      ) x(measure, key, a, b)
) c
GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
ANALYZE report_referral_months;
