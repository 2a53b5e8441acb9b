CREATE TABLE "report_activity_months" (
	"organisation_id" uuid NOT NULL,
	"month" date NOT NULL,
	"measure" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_activity_months_organisation_id_month_measure_key_pk" PRIMARY KEY("organisation_id","month","measure","key")
);
--> statement-breakpoint
ALTER TABLE "report_activity_months" ADD CONSTRAINT "report_activity_months_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE report_activity_months ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_activity_months_tenant ON report_activity_months
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- Contacts that reached the person, by PCN, London month and mode: each statement's new rows added and old rows
-- taken away, in key order (so two writers lock the rows they share in the same order).
CREATE FUNCTION report_activity_months_follow_contacts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_activity_months AS m (organisation_id, month, measure, key, n)
    SELECT organisation_id, date_trunc('month', occurred_at AT TIME ZONE 'Europe/London')::date, 'contact', mode,
      count(*)::int
    FROM new_rows WHERE kind <> 'attempt'
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, month, measure, key) DO UPDATE SET n = m.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_activity_months AS m (organisation_id, month, measure, key, n)
    SELECT organisation_id, date_trunc('month', occurred_at AT TIME ZONE 'Europe/London')::date, 'contact', mode,
      -count(*)::int
    FROM old_rows WHERE kind <> 'attempt'
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, month, measure, key) DO UPDATE SET n = m.n + excluded.n;
  ELSE
    INSERT INTO report_activity_months AS m (organisation_id, month, measure, key, n)
    SELECT organisation_id, month, 'contact', mode, sum(change)::int
    FROM (
      SELECT organisation_id, date_trunc('month', occurred_at AT TIME ZONE 'Europe/London')::date AS month, mode,
        1 AS change
      FROM new_rows WHERE kind <> 'attempt'
      UNION ALL
      SELECT organisation_id, date_trunc('month', occurred_at AT TIME ZONE 'Europe/London')::date, mode, -1
      FROM old_rows WHERE kind <> 'attempt'
    ) c
    GROUP BY 1, 2, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, month, measure, key) DO UPDATE SET n = m.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_activity_after_contacts_insert AFTER INSERT ON contacts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_activity_months_follow_contacts();
--> statement-breakpoint
CREATE TRIGGER report_activity_after_contacts_update AFTER UPDATE ON contacts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_activity_months_follow_contacts();
--> statement-breakpoint
CREATE TRIGGER report_activity_after_contacts_delete AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_activity_months_follow_contacts();
--> statement-breakpoint
-- Appointments attended or missed, by PCN and London month of the appointment, the same way.
CREATE FUNCTION report_activity_months_follow_appointments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_activity_months AS m (organisation_id, month, measure, key, n)
    SELECT organisation_id, date_trunc('month', starts_at AT TIME ZONE 'Europe/London')::date, 'appointment', status,
      count(*)::int
    FROM new_rows WHERE status IN ('attended', 'did_not_attend')
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, month, measure, key) DO UPDATE SET n = m.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_activity_months AS m (organisation_id, month, measure, key, n)
    SELECT organisation_id, date_trunc('month', starts_at AT TIME ZONE 'Europe/London')::date, 'appointment', status,
      -count(*)::int
    FROM old_rows WHERE status IN ('attended', 'did_not_attend')
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, month, measure, key) DO UPDATE SET n = m.n + excluded.n;
  ELSE
    INSERT INTO report_activity_months AS m (organisation_id, month, measure, key, n)
    SELECT organisation_id, month, 'appointment', status, sum(change)::int
    FROM (
      SELECT organisation_id, date_trunc('month', starts_at AT TIME ZONE 'Europe/London')::date AS month, status,
        1 AS change
      FROM new_rows WHERE status IN ('attended', 'did_not_attend')
      UNION ALL
      SELECT organisation_id, date_trunc('month', starts_at AT TIME ZONE 'Europe/London')::date, status, -1
      FROM old_rows WHERE status IN ('attended', 'did_not_attend')
    ) c
    GROUP BY 1, 2, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, month, measure, key) DO UPDATE SET n = m.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_activity_after_appointments_insert AFTER INSERT ON appointments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_activity_months_follow_appointments();
--> statement-breakpoint
CREATE TRIGGER report_activity_after_appointments_update AFTER UPDATE ON appointments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_activity_months_follow_appointments();
--> statement-breakpoint
CREATE TRIGGER report_activity_after_appointments_delete AFTER DELETE ON appointments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_activity_months_follow_appointments();
--> statement-breakpoint
-- Rebuilds the counts from the records (the backfill here; the benchmark's loads, which skip triggers).
CREATE FUNCTION report_activity_months_rebuild() RETURNS void
LANGUAGE sql AS $$
  DELETE FROM report_activity_months;
  INSERT INTO report_activity_months (organisation_id, month, measure, key, n)
  SELECT organisation_id, date_trunc('month', occurred_at AT TIME ZONE 'Europe/London')::date, 'contact', mode,
    count(*)::int
  FROM contacts WHERE kind <> 'attempt' GROUP BY 1, 2, 4;
  INSERT INTO report_activity_months (organisation_id, month, measure, key, n)
  SELECT organisation_id, date_trunc('month', starts_at AT TIME ZONE 'Europe/London')::date, 'appointment', status,
    count(*)::int
  FROM appointments WHERE status IN ('attended', 'did_not_attend') GROUP BY 1, 2, 4;
$$;
--> statement-breakpoint
SELECT report_activity_months_rebuild();
--> statement-breakpoint
ANALYZE report_activity_months;
