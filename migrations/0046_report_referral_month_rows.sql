-- What one referral's facts add to its PCN's month, in one place: the monthly counts' trigger (0042) and the report's
-- part months (src/modules/reporting/operational-queries.ts) both call it. A row each by source and practice (none:
-- ''), one per reason, its days and working days (Monday to Friday, in closed form: 5·⌊m/7⌋ + min(m mod 7, 5)
-- weekdays in the m days from Monday 29 December 1969) to the first contact once taken on (a, b), and whether it
-- could be reached (untriaged, triaged, unable, or no_contact with a = its attempts, for the PCN's rule).
CREATE FUNCTION report_referral_month_rows(f_source text, f_practice_id uuid, f_reasons text[], f_received_on date,
  f_first_contact_on date, f_status text, f_decline_reason text, f_discharge_reason text, f_attempts int)
RETURNS TABLE (measure text, key text, a int, b int)
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'source', f_source, 0, 0
  UNION ALL SELECT 'practice', coalesce(f_practice_id::text, ''), 0, 0
  UNION ALL SELECT 'reason', reason, 0, 0 FROM unnest(f_reasons) reason
  UNION ALL SELECT 'wait', '', f_first_contact_on - f_received_on,
    greatest((5 * ((f_first_contact_on - date '1969-12-29' + 1) / 7)
                + least((f_first_contact_on - date '1969-12-29' + 1) % 7, 5))
             - (5 * ((f_received_on - date '1969-12-29' + 1) / 7) + least((f_received_on - date '1969-12-29' + 1) % 7, 5)),
             0)
  WHERE f_first_contact_on IS NOT NULL AND f_status NOT IN ('awaiting_triage', 'declined', 'signposted')
  UNION ALL SELECT 'reach',
    CASE
      WHEN f_status = 'awaiting_triage' THEN 'untriaged'
      WHEN f_status = 'declined' AND f_decline_reason = 'unable_to_contact' THEN 'unable'
      WHEN f_status = 'discharged' AND f_first_contact_on IS NULL
        AND f_discharge_reason = 'disengaged_or_unable_to_contact' THEN 'unable'
      WHEN f_status IN ('accepted', 'discharged') AND f_first_contact_on IS NULL THEN 'no_contact'
      ELSE 'triaged'
    END,
    CASE WHEN f_status IN ('accepted', 'discharged') AND f_first_contact_on IS NULL THEN f_attempts ELSE 0 END, 0
$$;
--> statement-breakpoint
-- 0042's trigger, the same counts through the function: the new facts added, the old taken away, in key order.
CREATE OR REPLACE FUNCTION report_referral_months_follow_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_referral_months AS m (organisation_id, month, measure, key, a, b, n)
    SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date, x.measure, x.key, x.a, x.b,
      count(*)::int
    FROM new_rows f
    CROSS JOIN LATERAL report_referral_month_rows(f.source, f.practice_id, f.reasons, f.received_on,
      f.first_contact_on, f.status, f.decline_reason, f.discharge_reason, f.attempts) x
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (organisation_id, month, measure, key, a, b) DO UPDATE SET n = m.n + excluded.n;
  ELSE
    INSERT INTO report_referral_months AS m (organisation_id, month, measure, key, a, b, n)
    SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date, x.measure, x.key, x.a, x.b,
      -count(*)::int
    FROM old_rows f
    CROSS JOIN LATERAL report_referral_month_rows(f.source, f.practice_id, f.reasons, f.received_on,
      f.first_contact_on, f.status, f.decline_reason, f.discharge_reason, f.attempts) x
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (organisation_id, month, measure, key, a, b) DO UPDATE SET n = m.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
