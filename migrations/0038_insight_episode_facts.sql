CREATE TABLE "insight_episode_facts" (
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"instrument_code" text NOT NULL,
	"baseline_id" uuid NOT NULL,
	"baseline_on" date NOT NULL,
	"next_baseline_on" date,
	"discharged_on" date,
	"consent_to_follow_up" boolean,
	"practice_id" uuid,
	"link_worker_id" uuid,
	"age" smallint,
	"sex" text,
	"ethnic_category" text,
	"imd_decile" smallint,
	"main_need" text,
	"referral_source" text,
	"employment_model" text,
	"supervision" text,
	"clinical_system_access" text,
	"practice_meetings" text,
	"delivery_mode" text,
	"days_to_first_contact" double precision,
	"contacts" integer NOT NULL,
	"in_person" integer NOT NULL,
	"goals" integer NOT NULL,
	"warm" integer NOT NULL,
	"signposted" integer NOT NULL,
	"attended" integer NOT NULL,
	CONSTRAINT "insight_episode_facts_organisation_id_referral_id_instrument_code_baseline_id_pk" PRIMARY KEY("organisation_id","referral_id","instrument_code","baseline_id")
);
--> statement-breakpoint
CREATE TABLE "link_worker_caseload_steps" (
	"organisation_id" uuid NOT NULL,
	"link_worker_id" uuid NOT NULL,
	"month" date NOT NULL,
	"change" integer NOT NULL,
	CONSTRAINT "link_worker_caseload_steps_link_worker_id_organisation_id_month_pk" PRIMARY KEY("link_worker_id","organisation_id","month")
);
--> statement-breakpoint
ALTER TABLE "insight_episode_facts" ADD CONSTRAINT "insight_episode_facts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insight_episode_facts" ADD CONSTRAINT "insight_episode_facts_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_worker_caseload_steps" ADD CONSTRAINT "link_worker_caseload_steps_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "link_worker_caseload_steps" ADD CONSTRAINT "link_worker_caseload_steps_link_worker_id_users_id_fk" FOREIGN KEY ("link_worker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "insight_episode_facts_referral_idx" ON "insight_episode_facts" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "insight_episode_facts_link_worker_idx" ON "insight_episode_facts" USING btree ("link_worker_id");--> statement-breakpoint
CREATE INDEX "referrals_link_worker_idx" ON "referrals" USING btree ("allocated_link_worker_id");--> statement-breakpoint
-- What the explorer reads: one instrument, the PCNs in reach, baselines in the period, and every column a factor
-- or the reached/missing counts use, so an ICB's year is an index-only range scan (the rows of a period are
-- scattered over the table; their index entries are side by side).
CREATE INDEX insight_episode_facts_period_idx ON insight_episode_facts
  USING btree (instrument_code, organisation_id, baseline_on)
  INCLUDE (referral_id, next_baseline_on, discharged_on, consent_to_follow_up, practice_id, link_worker_id, age, sex,
    ethnic_category, imd_decile, main_need, referral_source, employment_model, supervision, clinical_system_access,
    practice_meetings, delivery_mode, days_to_first_contact, contacts, in_person, goals, warm, signposted, attended);
--> statement-breakpoint
-- The explorer's facts are person-level data, the PCN's, like the measures they sit beside; caseload steps are staff
-- data, the PCN's too.
ALTER TABLE insight_episode_facts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY insight_episode_facts_tenant ON insight_episode_facts
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE link_worker_caseload_steps ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY link_worker_caseload_steps_tenant ON link_worker_caseload_steps
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- Rebuilds the facts of some referrals: one row per episode row of outcome_changes (a current complete baseline of
-- an instrument) with what the explorer's factors read, as src/modules/insight/factors.ts describes them: the
-- person on the day of the baseline, the referral, the allocated link worker's context in force that day, and the
-- episode's contacts (attempts that did not reach the person left out; in person = at the practice, at home or at a
-- community venue), goals and connections (attended = attended, completed, or dropped out after starting).
-- Set-based: grouped reads of the referrals' contacts, goals and connections, whatever their number.
CREATE FUNCTION insight_episode_facts_refresh(referral_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM insight_episode_facts WHERE referral_id IN (SELECT unnest(referral_ids));
  INSERT INTO insight_episode_facts (organisation_id, referral_id, instrument_code, baseline_id, baseline_on,
    next_baseline_on, discharged_on, consent_to_follow_up, practice_id, link_worker_id, age, sex, ethnic_category,
    imd_decile, main_need, referral_source, employment_model, supervision, clinical_system_access,
    practice_meetings, delivery_mode, days_to_first_contact, contacts, in_person, goals, warm, signposted, attended)
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
    coalesce(con.warm, 0), coalesce(con.signposted, 0), coalesce(con.attended, 0)
  FROM outcome_changes e
  JOIN people p ON p.id = e.person_id
  JOIN referrals ref ON ref.id = e.referral_id
  LEFT JOIN LATERAL (
    SELECT lc.employment_model, lc.supervision, lc.clinical_system_access, lc.practice_meetings, lc.delivery_mode
    FROM link_worker_contexts lc
    WHERE lc.organisation_id = ref.organisation_id AND lc.link_worker_id = ref.allocated_link_worker_id
      AND lc.effective_from <= e.baseline_on
    ORDER BY lc.effective_from DESC LIMIT 1) lwc ON true
  LEFT JOIN act ON act.referral_id = e.referral_id
  LEFT JOIN con ON con.referral_id = e.referral_id
  LEFT JOIN gl ON gl.referral_id = e.referral_id
  WHERE e.referral_id IN (SELECT id FROM ids) AND e.measure = '';
$$;
--> statement-breakpoint
-- Rebuilds some link workers' caseload steps. A referral counts on the first day of month m when it is allocated to
-- them, accepted or discharged, received before m and not discharged before m: from the month after it arrived
-- (+1) to the month of its discharge, leaving the month after (−1); one whose discharge came in the month it
-- arrived never counts.
CREATE FUNCTION link_worker_caseload_refresh(link_worker_ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  lw uuid;
BEGIN
  -- One link worker at a time: the plan for one is an index read of their referrals, which a plan for an array of
  -- unknown length would not choose.
  FOR lw IN SELECT DISTINCT unnest(link_worker_ids) LOOP
    DELETE FROM link_worker_caseload_steps WHERE link_worker_id = lw;
    INSERT INTO link_worker_caseload_steps (organisation_id, link_worker_id, month, change)
    SELECT r.organisation_id, r.allocated_link_worker_id, s.month, sum(s.change)::int
    FROM referrals r
    LEFT JOIN discharges d ON d.referral_id = r.id
    CROSS JOIN LATERAL (VALUES
      ((date_trunc('month', r.received_at) + interval '1 month')::date, 1),
      ((date_trunc('month', d.discharged_on::timestamptz) + interval '1 month')::date, -1)) s(month, change)
    WHERE r.allocated_link_worker_id = lw
      AND r.status IN ('accepted', 'discharged')
      AND s.month IS NOT NULL
      AND (d.discharged_on IS NULL
        OR date_trunc('month', r.received_at) + interval '1 month' <= date_trunc('month', d.discharged_on::timestamptz))
    GROUP BY r.organisation_id, r.allocated_link_worker_id, s.month
    HAVING sum(s.change) <> 0;
  END LOOP;
END
$$;
--> statement-breakpoint
-- Writes to the tables whose rows belong to one referral: that referral's facts, in the same transaction.
CREATE FUNCTION insight_episode_facts_follow_referral_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_episode_facts_refresh(ARRAY(SELECT DISTINCT referral_id FROM changed_rows));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_changes_insert AFTER INSERT ON outcome_changes
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_changes_update AFTER UPDATE ON outcome_changes
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_changes_delete AFTER DELETE ON outcome_changes
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_contacts_insert AFTER INSERT ON contacts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_contacts_update AFTER UPDATE ON contacts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_contacts_delete AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_connections_insert AFTER INSERT ON connections
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_connections_update AFTER UPDATE ON connections
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_connections_delete AFTER DELETE ON connections
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_goals_insert AFTER INSERT ON goals
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_goals_update AFTER UPDATE ON goals
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_goals_delete AFTER DELETE ON goals
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_referral_rows();
--> statement-breakpoint
-- A person's date of birth, sex, ethnic category, deprivation or registered practice: their referrals' facts.
CREATE FUNCTION insight_episode_facts_follow_people() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_episode_facts_refresh(ARRAY(
    SELECT DISTINCT r.id FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    JOIN referrals r ON r.person_id = n.id
    WHERE (n.date_of_birth, n.sex, n.ethnic_category, n.imd_decile, n.registered_practice_id)
      IS DISTINCT FROM (o.date_of_birth, o.sex, o.ethnic_category, o.imd_decile, o.registered_practice_id)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_people_update AFTER UPDATE ON people
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_people();
--> statement-breakpoint
-- A referral's source, needs, referrer, arrival or link worker: its facts. Its status, arrival or link worker: the
-- caseloads of the link workers it left and joined.
CREATE FUNCTION insight_follow_referrals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM insight_episode_facts_refresh(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.source, n.reasons, n.referring_organisation_id, n.received_at, n.allocated_link_worker_id,
             n.organisation_id, n.person_id)
        IS DISTINCT FROM (o.source, o.reasons, o.referring_organisation_id, o.received_at,
             o.allocated_link_worker_id, o.organisation_id, o.person_id)));
    PERFORM link_worker_caseload_refresh(ARRAY(
      SELECT v.lw FROM (
        SELECT n.allocated_link_worker_id AS new_lw, o.allocated_link_worker_id AS old_lw FROM new_rows n
        JOIN old_rows o ON o.id = n.id
        WHERE (n.status, n.received_at, n.allocated_link_worker_id, n.organisation_id)
          IS DISTINCT FROM (o.status, o.received_at, o.allocated_link_worker_id, o.organisation_id)) c
      CROSS JOIN LATERAL (VALUES (c.new_lw), (c.old_lw)) v(lw)
      WHERE v.lw IS NOT NULL GROUP BY v.lw));
  ELSIF TG_OP = 'INSERT' THEN
    PERFORM link_worker_caseload_refresh(ARRAY(
      SELECT DISTINCT allocated_link_worker_id FROM new_rows
      WHERE allocated_link_worker_id IS NOT NULL AND status IN ('accepted', 'discharged')));
  ELSE
    PERFORM link_worker_caseload_refresh(ARRAY(
      SELECT DISTINCT allocated_link_worker_id FROM old_rows WHERE allocated_link_worker_id IS NOT NULL));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER insight_after_referrals_insert AFTER INSERT ON referrals
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_follow_referrals();
--> statement-breakpoint
CREATE TRIGGER insight_after_referrals_update AFTER UPDATE ON referrals
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_follow_referrals();
--> statement-breakpoint
CREATE TRIGGER insight_after_referrals_delete AFTER DELETE ON referrals
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_follow_referrals();
--> statement-breakpoint
-- A discharge ends a caseload's count of the referral (its facts follow through outcome_changes).
CREATE FUNCTION insight_caseload_follow_discharges() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM link_worker_caseload_refresh(ARRAY(
    SELECT DISTINCT r.allocated_link_worker_id FROM changed_rows d JOIN referrals r ON r.id = d.referral_id
    WHERE r.allocated_link_worker_id IS NOT NULL));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER insight_caseload_after_discharges_insert AFTER INSERT ON discharges
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_caseload_follow_discharges();
--> statement-breakpoint
CREATE TRIGGER insight_caseload_after_discharges_update AFTER UPDATE ON discharges
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_caseload_follow_discharges();
--> statement-breakpoint
CREATE TRIGGER insight_caseload_after_discharges_delete AFTER DELETE ON discharges
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_caseload_follow_discharges();
--> statement-breakpoint
-- A link worker's context history: the facts of the episodes allocated to them.
CREATE FUNCTION insight_episode_facts_follow_contexts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM insight_episode_facts_refresh(ARRAY(
    SELECT DISTINCT f.referral_id FROM (SELECT DISTINCT link_worker_id FROM changed_rows) c
    JOIN insight_episode_facts f ON f.link_worker_id = c.link_worker_id));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_contexts_insert AFTER INSERT ON link_worker_contexts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_contexts();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_contexts_update AFTER UPDATE ON link_worker_contexts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_contexts();
--> statement-breakpoint
CREATE TRIGGER insight_facts_after_contexts_delete AFTER DELETE ON link_worker_contexts
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION insight_episode_facts_follow_contexts();
--> statement-breakpoint
-- Backfill: every episode's facts and every link worker's caseload steps.
SELECT insight_episode_facts_refresh(ARRAY(SELECT DISTINCT referral_id FROM outcome_changes WHERE measure = ''));
--> statement-breakpoint
SELECT link_worker_caseload_refresh(ARRAY(
  SELECT DISTINCT allocated_link_worker_id FROM referrals WHERE allocated_link_worker_id IS NOT NULL));
--> statement-breakpoint
-- Every contact, goal or connection written rewrites its episode's facts: vacuum after 2 % of the rows changed (not
-- the default 20 %), so the pages the explorer reads stay all-visible and its scans index-only.
ALTER TABLE insight_episode_facts SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02,
  autovacuum_analyze_scale_factor = 0.05);
--> statement-breakpoint
-- The explorer's first questions plan on the backfilled rows' statistics, not an empty table's.
ANALYZE insight_episode_facts;
--> statement-breakpoint
ANALYZE link_worker_caseload_steps;
