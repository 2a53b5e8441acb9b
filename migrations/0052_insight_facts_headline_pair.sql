ALTER TABLE "insight_episode_facts" ADD COLUMN "headline_measure" text;--> statement-breakpoint
ALTER TABLE "insight_episode_facts" ADD COLUMN "baseline_value" double precision;--> statement-breakpoint
ALTER TABLE "insight_episode_facts" ADD COLUMN "discharge_value" double precision;--> statement-breakpoint
ALTER TABLE "insight_episode_facts" ADD COLUMN "follow_up_short_value" double precision;--> statement-breakpoint
ALTER TABLE "insight_episode_facts" ADD COLUMN "follow_up_long_value" double precision;--> statement-breakpoint
-- As 0038's, with the pair of the episode's headline score beside its factors: the first score of the baseline
-- response (scored in the instrument's order: the score the explorer opens on), as outcome_changes holds it. No
-- measure is named (none kept) when a later measure is dated before the baseline: whether such a pair counts depends
-- on the period's start, so the explorer joins those episodes' pairs from outcome_changes; every other kept pair
-- counts whenever its baseline does.
CREATE OR REPLACE FUNCTION insight_episode_facts_refresh(referral_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM insight_episode_facts WHERE referral_id IN (SELECT unnest(referral_ids));
  INSERT INTO insight_episode_facts (organisation_id, referral_id, instrument_code, baseline_id, baseline_on,
    next_baseline_on, discharged_on, consent_to_follow_up, practice_id, link_worker_id, age, sex, ethnic_category,
    imd_decile, main_need, referral_source, employment_model, supervision, clinical_system_access,
    practice_meetings, delivery_mode, days_to_first_contact, contacts, in_person, goals, warm, signposted, attended,
    headline_measure, baseline_value, discharge_value, follow_up_short_value, follow_up_long_value)
  WITH ids AS (SELECT DISTINCT unnest(referral_ids) AS id),
  act AS (
    SELECT ct.referral_id,
      min(ct.occurred_at) FILTER (WHERE ct.kind = 'first_contact') AS first_contact_at,
      count(*) FILTER (WHERE ct.kind <> 'attempt')::int AS contacts,
      count(*) FILTER (WHERE ct.kind <> 'attempt'
        AND ct.mode IN ('in_practice', 'home_visit', 'community_venue'))::int AS in_person
    FROM contacts ct WHERE ct.referral_id IN (SELECT id FROM ids) GROUP BY ct.referral_id
  ),
  con AS (
    SELECT cn.referral_id,
      count(*) FILTER (WHERE cn.kind IN ('warm_handover', 'referred'))::int AS warm,
      count(*) FILTER (WHERE cn.kind = 'signposted')::int AS signposted,
      count(*) FILTER (WHERE cn.status IN ('attended', 'completed', 'dropped_out'))::int AS attended
    FROM connections cn WHERE cn.referral_id IN (SELECT id FROM ids) GROUP BY cn.referral_id
  ),
  gl AS (
    SELECT g.referral_id, count(*)::int AS goals
    FROM goals g WHERE g.referral_id IN (SELECT id FROM ids) GROUP BY g.referral_id
  )
  SELECT e.organisation_id, e.referral_id, e.instrument_code, e.baseline_id, e.baseline_on, e.next_baseline_on,
    e.discharged_on, e.consent_to_follow_up,
    coalesce(p.registered_practice_id, ref.referring_organisation_id), ref.allocated_link_worker_id,
    extract(year FROM age(e.baseline_on, p.date_of_birth))::smallint, p.sex, p.ethnic_category, p.imd_decile,
    ref.reasons ->> 0, ref.source,
    lwc.employment_model, lwc.supervision, lwc.clinical_system_access, lwc.practice_meetings, lwc.delivery_mode,
    extract(epoch FROM (act.first_contact_at - ref.received_at)) / 86400,
    coalesce(act.contacts, 0), coalesce(act.in_person, 0), coalesce(gl.goals, 0),
    coalesce(con.warm, 0), coalesce(con.signposted, 0), coalesce(con.attended, 0),
    CASE WHEN least(h.discharge_on, h.follow_up_short_on, h.follow_up_long_on) < e.baseline_on THEN NULL
      ELSE hl.measure END,
    h.baseline_value, h.discharge_value, h.follow_up_short_value, h.follow_up_long_value
  FROM outcome_changes e
  JOIN people p ON p.id = e.person_id
  JOIN referrals ref ON ref.id = e.referral_id
  LEFT JOIN LATERAL (
    SELECT lc.employment_model, lc.supervision, lc.clinical_system_access, lc.practice_meetings, lc.delivery_mode
    FROM link_worker_contexts lc
    WHERE lc.organisation_id = ref.organisation_id AND lc.link_worker_id = ref.allocated_link_worker_id
      AND lc.effective_from <= e.baseline_on
    ORDER BY lc.effective_from DESC LIMIT 1) lwc ON true
  LEFT JOIN LATERAL (
    SELECT 'score:' || (b.scores -> 0 ->> 'code') AS measure FROM outcome_responses b WHERE b.id = e.baseline_id
  ) hl ON true
  LEFT JOIN outcome_changes h ON h.organisation_id = e.organisation_id AND h.referral_id = e.referral_id
    AND h.instrument_code = e.instrument_code AND h.baseline_id = e.baseline_id AND h.measure = hl.measure
  LEFT JOIN act ON act.referral_id = e.referral_id
  LEFT JOIN con ON con.referral_id = e.referral_id
  LEFT JOIN gl ON gl.referral_id = e.referral_id
  WHERE e.referral_id IN (SELECT id FROM ids) AND e.measure = '';
$$;
--> statement-breakpoint
-- The facts already kept: their headline pairs, once.
UPDATE insight_episode_facts f
SET headline_measure = CASE WHEN least(h.discharge_on, h.follow_up_short_on, h.follow_up_long_on) < f.baseline_on
    THEN NULL ELSE hl.measure END,
  baseline_value = h.baseline_value, discharge_value = h.discharge_value,
  follow_up_short_value = h.follow_up_short_value, follow_up_long_value = h.follow_up_long_value
FROM outcome_responses b
CROSS JOIN LATERAL (SELECT 'score:' || (b.scores -> 0 ->> 'code') AS measure) hl
LEFT JOIN outcome_changes h ON h.organisation_id = b.organisation_id AND h.referral_id = b.referral_id
  AND h.instrument_code = b.instrument_code AND h.baseline_id = b.id AND h.measure = hl.measure
WHERE b.id = f.baseline_id;
--> statement-breakpoint
-- The explorer's covering index, with the headline pair: the usual question is one index-only range read. All 32
-- columns an index can hold; those every question reads first (a row's columns are walked in order to reach one).
DROP INDEX insight_episode_facts_period_idx;
--> statement-breakpoint
CREATE INDEX insight_episode_facts_period_idx ON insight_episode_facts
  USING btree (instrument_code, organisation_id, baseline_on)
  INCLUDE (next_baseline_on, discharged_on, consent_to_follow_up, headline_measure, baseline_value, discharge_value,
    follow_up_short_value, follow_up_long_value, age, sex, imd_decile, referral_id, practice_id, link_worker_id,
    ethnic_category, main_need, referral_source, employment_model, supervision, clinical_system_access,
    practice_meetings, delivery_mode, days_to_first_contact, contacts, in_person, goals, warm, signposted, attended);
