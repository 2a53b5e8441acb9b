CREATE TABLE "report_people_months" (
	"organisation_id" uuid NOT NULL,
	"month" date NOT NULL,
	"practice_id" uuid,
	"band" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "report_people_months_key" UNIQUE NULLS NOT DISTINCT("organisation_id","month","practice_id","band")
);
--> statement-breakpoint
ALTER TABLE "report_people_months" ADD CONSTRAINT "report_people_months_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE report_people_months ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_people_months_tenant ON report_people_months
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- A referral's person in the report's four bands, named as the report names them (src/modules/outcomes/report.ts:
-- ageBands, ethnicGroups; a test holds the two to the same answers): the age on the day it arrived, the sex, the
-- ethnic category's 2001 census group and the IMD quintile, 'not_known' where none fits.
CREATE FUNCTION report_person_bands(f_age int, f_sex text, f_ethnic_category text, f_imd_decile int)
RETURNS TABLE (band text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'age_band:' || CASE
    WHEN f_age BETWEEN 0 AND 17 THEN 'under_18'
    WHEN f_age BETWEEN 18 AND 24 THEN '18_24'
    WHEN f_age BETWEEN 25 AND 34 THEN '25_34'
    WHEN f_age BETWEEN 35 AND 44 THEN '35_44'
    WHEN f_age BETWEEN 45 AND 54 THEN '45_54'
    WHEN f_age BETWEEN 55 AND 64 THEN '55_64'
    WHEN f_age BETWEEN 65 AND 74 THEN '65_74'
    WHEN f_age BETWEEN 75 AND 84 THEN '75_84'
    WHEN f_age BETWEEN 85 AND 200 THEN '85_plus'
    ELSE 'not_known' END
  UNION ALL SELECT 'sex:' || f_sex
  UNION ALL SELECT 'ethnicity:' || CASE
    WHEN f_ethnic_category IN ('A', 'B', 'C') THEN 'white'
    WHEN f_ethnic_category IN ('D', 'E', 'F', 'G') THEN 'mixed'
    WHEN f_ethnic_category IN ('H', 'J', 'K', 'L') THEN 'asian'
    WHEN f_ethnic_category IN ('M', 'N', 'P') THEN 'black'
    WHEN f_ethnic_category IN ('R', 'S') THEN 'other'
    WHEN f_ethnic_category IN ('Z') THEN 'not_stated'
    ELSE 'not_known' END
  UNION ALL SELECT 'imd_quintile:' || coalesce(((f_imd_decile + 1) / 2)::text, 'not_known')
$$;
--> statement-breakpoint
-- The referral facts' rows in and out, by PCN, month, practice and band: each statement's new rows added and old
-- rows taken away, in key order (so two writers lock the rows they share in the same order). The facts are rebuilt
-- by deleting and inserting; an update (a migration's backfill) is followed too.
CREATE FUNCTION report_people_months_follow_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_people_months AS m (organisation_id, month, practice_id, band, n)
    SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date, f.practice_id, b.band,
      count(*)::int
    FROM new_rows f
    CROSS JOIN LATERAL report_person_bands(f.age, f.sex, f.ethnic_category, f.imd_decile) b
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT report_people_months_key DO UPDATE SET n = m.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO report_people_months AS m (organisation_id, month, practice_id, band, n)
    SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date, f.practice_id, b.band,
      -count(*)::int
    FROM old_rows f
    CROSS JOIN LATERAL report_person_bands(f.age, f.sex, f.ethnic_category, f.imd_decile) b
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT report_people_months_key DO UPDATE SET n = m.n + excluded.n;
  ELSE
    INSERT INTO report_people_months AS m (organisation_id, month, practice_id, band, n)
    SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date, f.practice_id, b.band,
      sum(f.change)::int
    FROM (
      SELECT organisation_id, received_on, practice_id, age, sex, ethnic_category, imd_decile, 1 AS change
      FROM new_rows
      UNION ALL
      SELECT organisation_id, received_on, practice_id, age, sex, ethnic_category, imd_decile, -1
      FROM old_rows
    ) f
    CROSS JOIN LATERAL report_person_bands(f.age, f.sex, f.ethnic_category, f.imd_decile) b
    GROUP BY 1, 2, 3, 4 HAVING sum(f.change) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT report_people_months_key DO UPDATE SET n = m.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_people_months_after_facts_insert AFTER INSERT ON report_referral_facts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_people_months_follow_facts();
--> statement-breakpoint
CREATE TRIGGER report_people_months_after_facts_update AFTER UPDATE ON report_referral_facts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_people_months_follow_facts();
--> statement-breakpoint
CREATE TRIGGER report_people_months_after_facts_delete AFTER DELETE ON report_referral_facts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_people_months_follow_facts();
--> statement-breakpoint
-- The facts already kept, counted once.
INSERT INTO report_people_months (organisation_id, month, practice_id, band, n)
SELECT f.organisation_id, date_trunc('month', f.received_on::timestamp)::date, f.practice_id, b.band, count(*)::int
FROM report_referral_facts f
CROSS JOIN LATERAL report_person_bands(f.age, f.sex, f.ethnic_category, f.imd_decile) b
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- The repeats: referrals whose person's earlier referral to the PCN arrived in a period, read by when that was.
CREATE INDEX report_referral_facts_earlier_idx ON report_referral_facts (organisation_id, earlier_received_at)
  INCLUDE (received_at, practice_id, age, sex, ethnic_category, imd_decile)
  WHERE earlier_received_at IS NOT NULL;
--> statement-breakpoint
ANALYZE report_people_months;
