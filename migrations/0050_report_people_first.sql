ALTER TABLE "report_referral_facts" ADD COLUMN "earlier_received_at" timestamp with time zone;--> statement-breakpoint
-- The people referred in a period are counted once each, at their first referral in it: the referrals with no earlier
-- referral of the same person to the same PCN in the period. Each fact keeps when that earlier referral arrived (by
-- arrival, then id), so the report counts its range without sorting it by person. As 0045's refresh, plus that.
CREATE OR REPLACE FUNCTION report_referral_facts_refresh(referral_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM report_referral_facts WHERE referral_id IN (SELECT unnest(referral_ids));
  INSERT INTO report_referral_facts (organisation_id, referral_id, received_at, received_on, source, reasons, status,
    decline_reason, person_id, practice_id, age, sex, ethnic_category, imd_decile, first_contact_on, attempts,
    contacts, discharged_on, discharge_reason, allocated_on, allocated_to, earlier_received_at)
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
    d.discharged_on, d.reason, coalesce(als.allocated_on, '{}'), coalesce(als.allocated_to, '{}'),
    (SELECT max(e.received_at) FROM referrals e
      WHERE e.person_id = r.person_id AND e.organisation_id = r.organisation_id
        AND (e.received_at, e.id) < (r.received_at, r.id))
  FROM referrals r
  JOIN people p ON p.id = r.person_id
  LEFT JOIN cs ON cs.referral_id = r.id
  LEFT JOIN als ON als.referral_id = r.id
  LEFT JOIN discharges d ON d.referral_id = r.id
  WHERE r.id IN (SELECT id FROM ids);
$$;
--> statement-breakpoint
-- A referral arriving, moving in time, to another person or PCN, or removed changes the earlier referral of the same
-- person's later referrals to that PCN: their facts are rebuilt too (none, for a referral arriving after the
-- person's others, as nearly all do).
CREATE FUNCTION report_referral_facts_follow_order() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  later uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    later := ARRAY(
      SELECT DISTINCT l.id FROM new_rows n
      JOIN referrals l ON l.person_id = n.person_id AND l.organisation_id = n.organisation_id
        AND (l.received_at, l.id) > (n.received_at, n.id)
      WHERE l.id NOT IN (SELECT id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    later := ARRAY(
      SELECT DISTINCT l.id FROM old_rows o
      JOIN referrals l ON l.person_id = o.person_id AND l.organisation_id = o.organisation_id
        AND (l.received_at, l.id) > (o.received_at, o.id));
  ELSE
    later := ARRAY(
      SELECT DISTINCT l.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      CROSS JOIN LATERAL (VALUES (n.person_id, n.organisation_id), (o.person_id, o.organisation_id)) v(person_id, pcn)
      JOIN referrals l ON l.person_id = v.person_id AND l.organisation_id = v.pcn
      WHERE (n.organisation_id, n.received_at, n.person_id) IS DISTINCT FROM (o.organisation_id, o.received_at, o.person_id));
  END IF;
  -- Nothing to rebuild (nearly always): no empty rebuild, whose statements would still fire the facts' triggers.
  IF cardinality(later) > 0 THEN
    PERFORM report_referral_facts_refresh(later);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_facts_order_after_referrals_insert AFTER INSERT ON referrals
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_order();
--> statement-breakpoint
CREATE TRIGGER report_facts_order_after_referrals_update AFTER UPDATE ON referrals
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_order();
--> statement-breakpoint
CREATE TRIGGER report_facts_order_after_referrals_delete AFTER DELETE ON referrals
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_order();
--> statement-breakpoint
-- Backfill in place (an update: the facts' insert and delete triggers keep counts this column does not change).
UPDATE report_referral_facts f SET earlier_received_at = w.earlier
FROM (
  SELECT id, lag(received_at) OVER (PARTITION BY person_id, organisation_id ORDER BY received_at, id) AS earlier
  FROM referrals
) w
WHERE w.id = f.referral_id AND w.earlier IS NOT NULL;
--> statement-breakpoint
-- The period's covering index, now with the earlier referral's arrival, so the people referred are read index-only.
DROP INDEX report_referral_facts_period_idx;
--> statement-breakpoint
CREATE INDEX report_referral_facts_period_idx ON report_referral_facts (organisation_id, received_at)
  INCLUDE (received_on, source, reasons, status, decline_reason, person_id, practice_id, age, sex, ethnic_category,
    imd_decile, first_contact_on, attempts, discharge_reason, earlier_received_at);
--> statement-breakpoint
ANALYZE report_referral_facts;
