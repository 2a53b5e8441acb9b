CREATE TABLE "report_caseload_days" (
	"organisation_id" uuid NOT NULL,
	"link_worker_id" uuid NOT NULL,
	"day" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_caseload_days_organisation_id_link_worker_id_day_pk" PRIMARY KEY("organisation_id","link_worker_id","day")
);
--> statement-breakpoint
ALTER TABLE "report_referral_facts" ADD COLUMN "allocated_on" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "report_referral_facts" ADD COLUMN "allocated_to" uuid[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "report_caseload_days" ADD CONSTRAINT "report_caseload_days_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE report_caseload_days ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_caseload_days_tenant ON report_caseload_days
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- The referral facts keep the allocation history (as 0039's refresh, plus each allocation's London day and link
-- worker, in order).
CREATE OR REPLACE FUNCTION report_referral_facts_refresh(referral_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM report_referral_facts WHERE referral_id IN (SELECT unnest(referral_ids));
  INSERT INTO report_referral_facts (organisation_id, referral_id, received_at, received_on, source, reasons, status,
    decline_reason, person_id, practice_id, age, sex, ethnic_category, imd_decile, first_contact_on, attempts,
    contacts, discharged_on, discharge_reason, allocated_on, allocated_to)
  WITH ids AS (SELECT DISTINCT unnest(referral_ids) AS id),
  cs AS (
    SELECT c.referral_id,
      min(c.occurred_at) FILTER (WHERE c.kind = 'first_contact') AS first_at,
      count(*) FILTER (WHERE c.kind = 'attempt')::int AS attempts,
      count(*) FILTER (WHERE c.kind <> 'attempt')::int AS contacts
    FROM contacts c
    WHERE c.referral_id IN (SELECT id FROM ids)
    GROUP BY c.referral_id
  ),
  als AS (
    SELECT al.referral_id,
      array_agg((al.allocated_at AT TIME ZONE 'Europe/London')::date ORDER BY al.allocated_at, al.id) AS allocated_on,
      array_agg(al.to_link_worker_id ORDER BY al.allocated_at, al.id) AS allocated_to
    FROM allocations al
    WHERE al.referral_id IN (SELECT id FROM ids)
    GROUP BY al.referral_id
  )
  SELECT r.organisation_id, r.id, r.received_at, (r.received_at AT TIME ZONE 'Europe/London')::date, r.source,
    ARRAY(SELECT DISTINCT x FROM jsonb_array_elements_text(r.reasons) x ORDER BY x), r.status, r.decline_reason,
    r.person_id, coalesce(p.registered_practice_id, r.referring_organisation_id),
    extract(year FROM age((r.received_at AT TIME ZONE 'Europe/London')::date, p.date_of_birth))::smallint,
    p.sex, p.ethnic_category, p.imd_decile,
    (cs.first_at AT TIME ZONE 'Europe/London')::date, coalesce(cs.attempts, 0), coalesce(cs.contacts, 0),
    d.discharged_on, d.reason, coalesce(als.allocated_on, '{}'), coalesce(als.allocated_to, '{}')
  FROM referrals r
  JOIN people p ON p.id = r.person_id
  LEFT JOIN cs ON cs.referral_id = r.id
  LEFT JOIN als ON als.referral_id = r.id
  LEFT JOIN discharges d ON d.referral_id = r.id
  WHERE r.id IN (SELECT id FROM ids);
$$;
--> statement-breakpoint
-- An allocation made, corrected or removed: its referral's facts (both referrals, should one move).
CREATE FUNCTION report_referral_facts_follow_allocations() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM report_referral_facts_refresh(ARRAY(SELECT DISTINCT referral_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM report_referral_facts_refresh(ARRAY(SELECT DISTINCT referral_id FROM old_rows));
  ELSE
    PERFORM report_referral_facts_refresh(ARRAY(
      SELECT referral_id FROM new_rows UNION SELECT referral_id FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_facts_after_allocations_insert AFTER INSERT ON allocations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_allocations();
--> statement-breakpoint
CREATE TRIGGER report_facts_after_allocations_update AFTER UPDATE ON allocations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_allocations();
--> statement-breakpoint
CREATE TRIGGER report_facts_after_allocations_delete AFTER DELETE ON allocations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_allocations();
--> statement-breakpoint
-- What one referral's facts change in its link workers' caseloads, as src/modules/reporting/operational-queries.ts
-- counted the episodes open at the end of a period (its last London day D): arrived by D, allocated by D (to the
-- link worker of the last allocation by D), and either still accepted, or discharged after D, or declined by the
-- person at a first contact after D (each of the three counts, as the report's union did). Each allocation k holds
-- it for the days D from max(arrival, allocation k) up to the day before the earlier of allocation k + 1 and the end:
-- one added on the first of them, one taken away on the day after the last.
CREATE FUNCTION report_caseload_changes(f_received_on date, f_status text, f_discharged_on date,
  f_first_contact_on date, f_allocated_on date[], f_allocated_to uuid[])
RETURNS TABLE (link_worker_id uuid, day date, change int)
LANGUAGE sql IMMUTABLE AS $$
  SELECT x.link_worker_id, x.day, x.change
  FROM (
    SELECT NULL::date WHERE f_status = 'accepted'
    UNION ALL SELECT f_discharged_on WHERE f_discharged_on IS NOT NULL
    UNION ALL SELECT f_first_contact_on WHERE f_status = 'declined_by_person' AND f_first_contact_on IS NOT NULL
  ) e(end_on)
  CROSS JOIN generate_subscripts(f_allocated_on, 1) k
  CROSS JOIN LATERAL (
    SELECT greatest(f_received_on, f_allocated_on[k]) AS from_on, least(f_allocated_on[k + 1], e.end_on) AS until_on
  ) s
  CROSS JOIN LATERAL (VALUES (f_allocated_to[k], s.from_on, 1), (f_allocated_to[k], s.until_on, -1))
    x(link_worker_id, day, change)
  WHERE (s.until_on IS NULL OR s.from_on < s.until_on) AND x.day IS NOT NULL
$$;
--> statement-breakpoint
-- A rebuild of a referral's facts deletes its row and inserts the new one: the old changes taken away, the new
-- added, in key order (n = n + change: concurrent writers queue on the row, none is lost).
CREATE FUNCTION report_caseload_days_follow_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_caseload_days AS cd (organisation_id, link_worker_id, day, n)
    SELECT f.organisation_id, c.link_worker_id, c.day, sum(c.change)::int
    FROM new_rows f
    CROSS JOIN LATERAL report_caseload_changes(f.received_on, f.status, f.discharged_on, f.first_contact_on,
      f.allocated_on, f.allocated_to) c
    GROUP BY 1, 2, 3 HAVING sum(c.change) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (organisation_id, link_worker_id, day) DO UPDATE SET n = cd.n + excluded.n;
  ELSE
    INSERT INTO report_caseload_days AS cd (organisation_id, link_worker_id, day, n)
    SELECT f.organisation_id, c.link_worker_id, c.day, -sum(c.change)::int
    FROM old_rows f
    CROSS JOIN LATERAL report_caseload_changes(f.received_on, f.status, f.discharged_on, f.first_contact_on,
      f.allocated_on, f.allocated_to) c
    GROUP BY 1, 2, 3 HAVING sum(c.change) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (organisation_id, link_worker_id, day) DO UPDATE SET n = cd.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_caseload_days_after_facts_insert AFTER INSERT ON report_referral_facts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_caseload_days_follow_facts();
--> statement-breakpoint
CREATE TRIGGER report_caseload_days_after_facts_delete AFTER DELETE ON report_referral_facts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_caseload_days_follow_facts();
--> statement-breakpoint
-- Backfill: the allocation history into the facts in place (an update: the facts' insert and delete triggers do not
-- fire), then the caseload changes from them (a truncate of the facts must take this table with it).
UPDATE report_referral_facts f SET allocated_on = a.allocated_on, allocated_to = a.allocated_to
FROM (
  SELECT al.referral_id,
    array_agg((al.allocated_at AT TIME ZONE 'Europe/London')::date ORDER BY al.allocated_at, al.id) AS allocated_on,
    array_agg(al.to_link_worker_id ORDER BY al.allocated_at, al.id) AS allocated_to
  FROM allocations al GROUP BY al.referral_id
) a
WHERE a.referral_id = f.referral_id;
--> statement-breakpoint
INSERT INTO report_caseload_days (organisation_id, link_worker_id, day, n)
SELECT f.organisation_id, c.link_worker_id, c.day, sum(c.change)::int
FROM report_referral_facts f
CROSS JOIN LATERAL report_caseload_changes(f.received_on, f.status, f.discharged_on, f.first_contact_on,
  f.allocated_on, f.allocated_to) c
GROUP BY 1, 2, 3 HAVING sum(c.change) <> 0;
--> statement-breakpoint
ANALYZE report_caseload_days;
