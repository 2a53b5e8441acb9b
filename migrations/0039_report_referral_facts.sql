CREATE TABLE "report_referral_facts" (
	"organisation_id" uuid NOT NULL,
	"referral_id" uuid PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"received_on" date NOT NULL,
	"source" text NOT NULL,
	"reasons" text[] NOT NULL,
	"status" text NOT NULL,
	"decline_reason" text,
	"person_id" uuid NOT NULL,
	"practice_id" uuid,
	"age" smallint,
	"sex" text,
	"ethnic_category" text,
	"imd_decile" smallint,
	"first_contact_on" date,
	"attempts" integer NOT NULL,
	"contacts" integer NOT NULL,
	"discharged_on" date,
	"discharge_reason" text
);
--> statement-breakpoint
ALTER TABLE "report_referral_facts" ADD CONSTRAINT "report_referral_facts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_referral_facts" ADD CONSTRAINT "report_referral_facts_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_referral_facts_person_idx" ON "report_referral_facts" USING btree ("person_id");
--> statement-breakpoint
-- The operational report's reads: a period of some PCNs' referrals, every column it counts, without the heap; and
-- the episodes they discharged in a period, by reason and by the number of contacts.
CREATE INDEX report_referral_facts_period_idx ON report_referral_facts (organisation_id, received_at)
  INCLUDE (received_on, source, reasons, status, decline_reason, person_id, practice_id, age, sex, ethnic_category,
    imd_decile, first_contact_on, attempts, discharge_reason);
--> statement-breakpoint
CREATE INDEX report_referral_facts_discharged_idx ON report_referral_facts (organisation_id, discharged_on)
  INCLUDE (discharge_reason, contacts, practice_id) WHERE discharged_on IS NOT NULL;
--> statement-breakpoint
ALTER TABLE report_referral_facts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_referral_facts_tenant ON report_referral_facts
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- Rebuilds some referrals' facts, as src/modules/reporting/operational-queries.ts reads them: the referral, the
-- person on the day it arrived (and their practice now), its first contact that reached the person, its attempts
-- that did not and its contacts that did (of any kind), and its discharge. Set-based, whatever the number.
CREATE FUNCTION report_referral_facts_refresh(referral_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM report_referral_facts WHERE referral_id IN (SELECT unnest(referral_ids));
  INSERT INTO report_referral_facts (organisation_id, referral_id, received_at, received_on, source, reasons, status,
    decline_reason, person_id, practice_id, age, sex, ethnic_category, imd_decile, first_contact_on, attempts,
    contacts, discharged_on, discharge_reason)
  WITH ids AS (SELECT DISTINCT unnest(referral_ids) AS id),
  cs AS (
    SELECT c.referral_id,
      min(c.occurred_at) FILTER (WHERE c.kind = 'first_contact') AS first_at,
      count(*) FILTER (WHERE c.kind = 'attempt')::int AS attempts,
      count(*) FILTER (WHERE c.kind <> 'attempt')::int AS contacts
    FROM contacts c
    WHERE c.referral_id IN (SELECT id FROM ids)
    GROUP BY c.referral_id
  )
  SELECT r.organisation_id, r.id, r.received_at, (r.received_at AT TIME ZONE 'Europe/London')::date, r.source,
    ARRAY(SELECT DISTINCT x FROM jsonb_array_elements_text(r.reasons) x ORDER BY x), r.status, r.decline_reason,
    r.person_id, coalesce(p.registered_practice_id, r.referring_organisation_id),
    extract(year FROM age((r.received_at AT TIME ZONE 'Europe/London')::date, p.date_of_birth))::smallint,
    p.sex, p.ethnic_category, p.imd_decile,
    (cs.first_at AT TIME ZONE 'Europe/London')::date, coalesce(cs.attempts, 0), coalesce(cs.contacts, 0),
    d.discharged_on, d.reason
  FROM referrals r
  JOIN people p ON p.id = r.person_id
  LEFT JOIN cs ON cs.referral_id = r.id
  LEFT JOIN discharges d ON d.referral_id = r.id
  WHERE r.id IN (SELECT id FROM ids);
$$;
--> statement-breakpoint
-- Writes to the tables whose rows belong to one referral (contacts, discharges): its facts.
CREATE FUNCTION report_referral_facts_follow_referral_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_referral_facts_refresh(ARRAY(SELECT DISTINCT referral_id FROM changed_rows));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- A contact's kind, time or referral (its mode and notes are not read here): the referrals it left and joined.
CREATE FUNCTION report_referral_facts_follow_contact_updates() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_referral_facts_refresh(ARRAY(
    SELECT v.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL (VALUES (n.referral_id), (o.referral_id)) v(id)
    WHERE (n.kind, n.occurred_at, n.referral_id) IS DISTINCT FROM (o.kind, o.occurred_at, o.referral_id)
    GROUP BY v.id));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_facts_after_contacts_insert AFTER INSERT ON contacts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER report_facts_after_contacts_update AFTER UPDATE ON contacts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_contact_updates();
--> statement-breakpoint
CREATE TRIGGER report_facts_after_contacts_delete AFTER DELETE ON contacts
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER report_facts_after_discharges_insert AFTER INSERT ON discharges
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER report_facts_after_discharges_update AFTER UPDATE ON discharges
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_referral_rows();
--> statement-breakpoint
CREATE TRIGGER report_facts_after_discharges_delete AFTER DELETE ON discharges
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_referral_rows();
--> statement-breakpoint
-- A person's date of birth, sex, ethnic category, deprivation or registered practice: their referrals' facts.
CREATE FUNCTION report_referral_facts_follow_people() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_referral_facts_refresh(ARRAY(
    SELECT DISTINCT r.id FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    JOIN referrals r ON r.person_id = n.id
    WHERE (n.date_of_birth, n.sex, n.ethnic_category, n.imd_decile, n.registered_practice_id)
      IS DISTINCT FROM (o.date_of_birth, o.sex, o.ethnic_category, o.imd_decile, o.registered_practice_id)));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_facts_after_people_update AFTER UPDATE ON people
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_people();
--> statement-breakpoint
-- A referral arriving, or changing what the report counts about it (a deleted one's facts go with it).
CREATE FUNCTION report_referral_facts_follow_referrals() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM report_referral_facts_refresh(ARRAY(SELECT id FROM new_rows));
  ELSE
    PERFORM report_referral_facts_refresh(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.organisation_id, n.received_at, n.source, n.reasons, n.status, n.decline_reason, n.person_id,
             n.referring_organisation_id)
        IS DISTINCT FROM (o.organisation_id, o.received_at, o.source, o.reasons, o.status, o.decline_reason,
             o.person_id, o.referring_organisation_id)));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_facts_after_referrals_insert AFTER INSERT ON referrals
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_referrals();
--> statement-breakpoint
CREATE TRIGGER report_facts_after_referrals_update AFTER UPDATE ON referrals
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_referral_facts_follow_referrals();
--> statement-breakpoint
-- Backfill: every referral's facts.
SELECT report_referral_facts_refresh(ARRAY(SELECT id FROM referrals));
--> statement-breakpoint
-- Every contact, status change or discharge rewrites a referral's facts: vacuum after 2 % of the rows changed
-- (not the default 20 %), so the pages the report reads stay all-visible and its scans index-only.
ALTER TABLE report_referral_facts SET (autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
--> statement-breakpoint
ANALYZE report_referral_facts;
