CREATE TABLE "report_activity_days" (
	"organisation_id" uuid NOT NULL,
	"day" date NOT NULL,
	"measure" text NOT NULL,
	"key" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_activity_days_organisation_id_day_measure_key_pk" PRIMARY KEY("organisation_id","day","measure","key")
);
--> statement-breakpoint
CREATE TABLE "report_coded_days" (
	"organisation_id" uuid NOT NULL,
	"practice_id" uuid,
	"day" date NOT NULL,
	"code" text NOT NULL,
	"display" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_coded_days_key" UNIQUE NULLS NOT DISTINCT("organisation_id","day","practice_id","code")
);
--> statement-breakpoint
ALTER TABLE "report_activity_days" ADD CONSTRAINT "report_activity_days_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_coded_days" ADD CONSTRAINT "report_coded_days_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE report_activity_days ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_activity_days_tenant ON report_activity_days
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE report_coded_days ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_coded_days_tenant ON report_coded_days
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- Contacts that reached the person, by PCN, London day and mode, as report_activity_months_follow_contacts (0040)
-- counts them by month: each statement's new rows added and old rows taken away, one statement in key order (so
-- two writers lock the rows they share in the same order). An update that moves nothing changes no row.
CREATE FUNCTION report_activity_days_follow_contacts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_activity_days AS d (organisation_id, day, measure, key, n)
    SELECT organisation_id, (occurred_at AT TIME ZONE 'Europe/London')::date, 'contact', mode, count(*)::int
    FROM new_rows WHERE kind <> 'attempt'
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, day, measure, key) DO UPDATE SET n = d.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_activity_days AS d (organisation_id, day, measure, key, n)
    SELECT organisation_id, (occurred_at AT TIME ZONE 'Europe/London')::date, 'contact', mode, -count(*)::int
    FROM old_rows WHERE kind <> 'attempt'
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, day, measure, key) DO UPDATE SET n = d.n + excluded.n;
  ELSE
    INSERT INTO report_activity_days AS d (organisation_id, day, measure, key, n)
    SELECT organisation_id, day, 'contact', mode, sum(change)::int
    FROM (
      SELECT organisation_id, (occurred_at AT TIME ZONE 'Europe/London')::date AS day, mode, 1 AS change
      FROM new_rows WHERE kind <> 'attempt'
      UNION ALL
      SELECT organisation_id, (occurred_at AT TIME ZONE 'Europe/London')::date, mode, -1
      FROM old_rows WHERE kind <> 'attempt'
    ) c
    GROUP BY 1, 2, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, day, measure, key) DO UPDATE SET n = d.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_activity_days_after_contacts_insert AFTER INSERT ON contacts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_activity_days_follow_contacts();
--> statement-breakpoint
CREATE TRIGGER report_activity_days_after_contacts_update AFTER UPDATE ON contacts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_activity_days_follow_contacts();
--> statement-breakpoint
CREATE TRIGGER report_activity_days_after_contacts_delete AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_activity_days_follow_contacts();
--> statement-breakpoint
-- Appointments attended or missed, by PCN and London day of the appointment, the same way.
CREATE FUNCTION report_activity_days_follow_appointments() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_activity_days AS d (organisation_id, day, measure, key, n)
    SELECT organisation_id, (starts_at AT TIME ZONE 'Europe/London')::date, 'appointment', status, count(*)::int
    FROM new_rows WHERE status IN ('attended', 'did_not_attend')
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, day, measure, key) DO UPDATE SET n = d.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_activity_days AS d (organisation_id, day, measure, key, n)
    SELECT organisation_id, (starts_at AT TIME ZONE 'Europe/London')::date, 'appointment', status, -count(*)::int
    FROM old_rows WHERE status IN ('attended', 'did_not_attend')
    GROUP BY 1, 2, 4 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, day, measure, key) DO UPDATE SET n = d.n + excluded.n;
  ELSE
    INSERT INTO report_activity_days AS d (organisation_id, day, measure, key, n)
    SELECT organisation_id, day, 'appointment', status, sum(change)::int
    FROM (
      SELECT organisation_id, (starts_at AT TIME ZONE 'Europe/London')::date AS day, status, 1 AS change
      FROM new_rows WHERE status IN ('attended', 'did_not_attend')
      UNION ALL
      SELECT organisation_id, (starts_at AT TIME ZONE 'Europe/London')::date, status, -1
      FROM old_rows WHERE status IN ('attended', 'did_not_attend')
    ) c
    GROUP BY 1, 2, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 4
    ON CONFLICT (organisation_id, day, measure, key) DO UPDATE SET n = d.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_activity_days_after_appointments_insert AFTER INSERT ON appointments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_activity_days_follow_appointments();
--> statement-breakpoint
CREATE TRIGGER report_activity_days_after_appointments_update AFTER UPDATE ON appointments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_activity_days_follow_appointments();
--> statement-breakpoint
CREATE TRIGGER report_activity_days_after_appointments_delete AFTER DELETE ON appointments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_activity_days_follow_appointments();
--> statement-breakpoint
-- Coded events by PCN, London day, practice and code, as report_coded_months_follow_events (0041) counts them by
-- month: the practice is the event's person's registered practice, else the referral's referrer, as they are now.
CREATE FUNCTION report_coded_days_follow_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_coded_days AS d (organisation_id, day, practice_id, code, display, n)
    SELECT organisation_id, day, practice_id, code, max(display), sum(change)::int
    FROM (
      SELECT ce.organisation_id, (ce.recorded_at AT TIME ZONE 'Europe/London')::date AS day,
        coalesce(p.registered_practice_id, r.referring_organisation_id) AS practice_id, ce.code, ce.display,
        1 AS change
      FROM new_rows ce JOIN referrals r ON r.id = ce.referral_id JOIN people p ON p.id = ce.person_id
    ) c
    GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT report_coded_days_key
    DO UPDATE SET n = d.n + excluded.n, display = greatest(d.display, excluded.display);
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_coded_days AS d (organisation_id, day, practice_id, code, display, n)
    SELECT organisation_id, day, practice_id, code, max(display), sum(change)::int
    FROM (
      SELECT ce.organisation_id, (ce.recorded_at AT TIME ZONE 'Europe/London')::date AS day,
        coalesce(p.registered_practice_id, r.referring_organisation_id) AS practice_id, ce.code, ce.display,
        -1 AS change
      FROM old_rows ce JOIN referrals r ON r.id = ce.referral_id JOIN people p ON p.id = ce.person_id
    ) c
    GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT report_coded_days_key
    DO UPDATE SET n = d.n + excluded.n, display = greatest(d.display, excluded.display);
  ELSE
    INSERT INTO report_coded_days AS d (organisation_id, day, practice_id, code, display, n)
    SELECT organisation_id, day, practice_id, code, max(display), sum(change)::int
    FROM (
      SELECT ce.organisation_id, (ce.recorded_at AT TIME ZONE 'Europe/London')::date AS day,
        coalesce(p.registered_practice_id, r.referring_organisation_id) AS practice_id, ce.code, ce.display,
        1 AS change
      FROM new_rows ce JOIN referrals r ON r.id = ce.referral_id JOIN people p ON p.id = ce.person_id
      UNION ALL
      SELECT ce.organisation_id, (ce.recorded_at AT TIME ZONE 'Europe/London')::date,
        coalesce(p.registered_practice_id, r.referring_organisation_id), ce.code, ce.display, -1
      FROM old_rows ce JOIN referrals r ON r.id = ce.referral_id JOIN people p ON p.id = ce.person_id
    ) c
    GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT report_coded_days_key
    DO UPDATE SET n = d.n + excluded.n, display = greatest(d.display, excluded.display);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_coded_days_after_events_insert AFTER INSERT ON coded_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_coded_days_follow_events();
--> statement-breakpoint
CREATE TRIGGER report_coded_days_after_events_update AFTER UPDATE ON coded_events
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_coded_days_follow_events();
--> statement-breakpoint
CREATE TRIGGER report_coded_days_after_events_delete AFTER DELETE ON coded_events
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_coded_days_follow_events();
--> statement-breakpoint
-- A person's registered practice: their coded events move from the practice they counted under to the new one.
CREATE FUNCTION report_coded_days_follow_people() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_coded_days AS d (organisation_id, day, practice_id, code, display, n)
    SELECT organisation_id, day, practice_id, code, max(display), sum(change)::int
    FROM (
      SELECT ce.organisation_id, (ce.recorded_at AT TIME ZONE 'Europe/London')::date AS day,
        coalesce(side.practice_id, r.referring_organisation_id) AS practice_id, ce.code, ce.display, side.change
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      CROSS JOIN LATERAL (VALUES (o.registered_practice_id, -1), (n.registered_practice_id, 1)) side(practice_id, change)
      JOIN coded_events ce ON ce.person_id = o.id
      JOIN referrals r ON r.id = ce.referral_id
      WHERE n.registered_practice_id IS DISTINCT FROM o.registered_practice_id
    ) c
    GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT report_coded_days_key
    DO UPDATE SET n = d.n + excluded.n, display = greatest(d.display, excluded.display);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_coded_days_after_people_update AFTER UPDATE ON people
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_coded_days_follow_people();
--> statement-breakpoint
-- A referral's referrer (the practice of a person registered nowhere): its coded events move with it.
CREATE FUNCTION report_coded_days_follow_referrals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_coded_days AS d (organisation_id, day, practice_id, code, display, n)
    SELECT organisation_id, day, practice_id, code, max(display), sum(change)::int
    FROM (
      SELECT ce.organisation_id, (ce.recorded_at AT TIME ZONE 'Europe/London')::date AS day,
        coalesce(p.registered_practice_id, side.referrer) AS practice_id, ce.code, ce.display, side.change
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      CROSS JOIN LATERAL (VALUES (o.referring_organisation_id, -1), (n.referring_organisation_id, 1))
        side(referrer, change)
      JOIN coded_events ce ON ce.referral_id = o.id
      JOIN people p ON p.id = ce.person_id
      WHERE n.referring_organisation_id IS DISTINCT FROM o.referring_organisation_id
    ) c
    GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT report_coded_days_key
    DO UPDATE SET n = d.n + excluded.n, display = greatest(d.display, excluded.display);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_coded_days_after_referrals_update AFTER UPDATE ON referrals
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_coded_days_follow_referrals();
--> statement-breakpoint
-- Rebuild the counts from the records (the backfill here; the benchmark's loads, which skip triggers). Written in
-- day order, as the triggers write them day by day, so that a month's days are a few thousand neighbouring rows.
CREATE FUNCTION report_activity_and_coded_days_rebuild() RETURNS void
LANGUAGE sql AS $$
  DELETE FROM report_activity_days;
  INSERT INTO report_activity_days (organisation_id, day, measure, key, n)
  SELECT organisation_id, day, measure, key, n FROM (
    SELECT organisation_id, (occurred_at AT TIME ZONE 'Europe/London')::date AS day, 'contact' AS measure,
      mode AS key, count(*)::int AS n
    FROM contacts WHERE kind <> 'attempt' GROUP BY 1, 2, 4
    UNION ALL
    SELECT organisation_id, (starts_at AT TIME ZONE 'Europe/London')::date, 'appointment', status, count(*)::int
    FROM appointments WHERE status IN ('attended', 'did_not_attend') GROUP BY 1, 2, 4
  ) c
  ORDER BY day, organisation_id;
  DELETE FROM report_coded_days;
  INSERT INTO report_coded_days (organisation_id, day, practice_id, code, display, n)
  SELECT ce.organisation_id, (ce.recorded_at AT TIME ZONE 'Europe/London')::date,
    coalesce(p.registered_practice_id, r.referring_organisation_id), ce.code, max(ce.display), count(*)::int
  FROM coded_events ce JOIN referrals r ON r.id = ce.referral_id JOIN people p ON p.id = ce.person_id
  GROUP BY 1, 2, 3, 4
  ORDER BY 2, 1;
$$;
--> statement-breakpoint
SELECT report_activity_and_coded_days_rebuild();
--> statement-breakpoint
ANALYZE report_activity_days;
--> statement-breakpoint
ANALYZE report_coded_days;
