CREATE TABLE "report_caseload_months" (
	"organisation_id" uuid NOT NULL,
	"link_worker_id" uuid NOT NULL,
	"month" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_caseload_months_organisation_id_link_worker_id_month_pk" PRIMARY KEY("organisation_id","link_worker_id","month")
);
--> statement-breakpoint
CREATE TABLE "report_discharge_months" (
	"organisation_id" uuid NOT NULL,
	"month" date NOT NULL,
	"measure" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_discharge_months_organisation_id_month_measure_key_pk" PRIMARY KEY("organisation_id","month","measure","key")
);
--> statement-breakpoint
ALTER TABLE "report_caseload_months" ADD CONSTRAINT "report_caseload_months_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_discharge_months" ADD CONSTRAINT "report_discharge_months_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE report_caseload_months ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_caseload_months_tenant ON report_caseload_months
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE report_discharge_months ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_discharge_months_tenant ON report_discharge_months
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- The caseloads at the end of a period read the days of its last month only (the months before from
-- report_caseload_months): a range of days for some PCNs, index-only.
CREATE INDEX report_caseload_days_by_day_idx ON report_caseload_days (organisation_id, day) INCLUDE (link_worker_id, n);
--> statement-breakpoint
-- 0045's trigger, now also keeping the changes summed by month. One function for both operations: the triggers name
-- their transition table alike, the direction says which.
CREATE OR REPLACE FUNCTION report_caseload_days_follow_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  direction int := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  WITH c AS (
    SELECT f.organisation_id, ch.link_worker_id, ch.day, direction * ch.change AS change
    FROM changed_rows f
    CROSS JOIN LATERAL report_caseload_changes(f.received_on, f.status, f.discharged_on, f.first_contact_on,
      f.allocated_on, f.allocated_to) ch
  ),
  days AS (
    INSERT INTO report_caseload_days AS cd (organisation_id, link_worker_id, day, n)
    SELECT organisation_id, link_worker_id, day, sum(change)::int FROM c
    GROUP BY 1, 2, 3 HAVING sum(change) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (organisation_id, link_worker_id, day) DO UPDATE SET n = cd.n + excluded.n
  )
  INSERT INTO report_caseload_months AS cm (organisation_id, link_worker_id, month, n)
  SELECT organisation_id, link_worker_id, date_trunc('month', day::timestamp)::date, sum(change)::int FROM c
  GROUP BY 1, 2, 3 HAVING sum(change) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (organisation_id, link_worker_id, month) DO UPDATE SET n = cm.n + excluded.n;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER report_caseload_days_after_facts_insert ON report_referral_facts;
--> statement-breakpoint
DROP TRIGGER report_caseload_days_after_facts_delete ON report_referral_facts;
--> statement-breakpoint
CREATE TRIGGER report_caseload_days_after_facts_insert AFTER INSERT ON report_referral_facts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_caseload_days_follow_facts();
--> statement-breakpoint
CREATE TRIGGER report_caseload_days_after_facts_delete AFTER DELETE ON report_referral_facts
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_caseload_days_follow_facts();
--> statement-breakpoint
-- Episodes discharged per PCN and month, by reason and by their number of contacts, as
-- src/modules/reporting/operational-queries.ts counts the facts for part months: each rebuild of a referral's
-- facts takes its old row away and adds its new one, in key order.
CREATE FUNCTION report_discharge_months_follow_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  direction int := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  INSERT INTO report_discharge_months AS m (organisation_id, month, measure, key, n)
  SELECT f.organisation_id, date_trunc('month', f.discharged_on::timestamp)::date, x.measure, x.key,
    direction * count(*)::int
  FROM changed_rows f
  CROSS JOIN LATERAL (VALUES ('reason', f.discharge_reason), ('contacts', f.contacts::text)) x(measure, key)
  WHERE f.discharged_on IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (organisation_id, month, measure, key) DO UPDATE SET n = m.n + excluded.n;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_discharge_months_after_facts_insert AFTER INSERT ON report_referral_facts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_discharge_months_follow_facts();
--> statement-breakpoint
CREATE TRIGGER report_discharge_months_after_facts_delete AFTER DELETE ON report_referral_facts
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_discharge_months_follow_facts();
--> statement-breakpoint
-- Backfill both (a truncate of the facts must take these tables with it).
INSERT INTO report_caseload_months (organisation_id, link_worker_id, month, n)
SELECT organisation_id, link_worker_id, date_trunc('month', day::timestamp)::date, sum(n)::int
FROM report_caseload_days GROUP BY 1, 2, 3 HAVING sum(n) <> 0;
--> statement-breakpoint
INSERT INTO report_discharge_months (organisation_id, month, measure, key, n)
SELECT f.organisation_id, date_trunc('month', f.discharged_on::timestamp)::date, x.measure, x.key, count(*)::int
FROM report_referral_facts f
CROSS JOIN LATERAL (VALUES ('reason', f.discharge_reason), ('contacts', f.contacts::text)) x(measure, key)
WHERE f.discharged_on IS NOT NULL
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
ANALYZE report_caseload_months;
--> statement-breakpoint
ANALYZE report_discharge_months;
