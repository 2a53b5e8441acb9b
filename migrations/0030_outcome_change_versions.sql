CREATE TABLE "outcome_change_versions" (
	"organisation_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outcome_change_versions" ADD CONSTRAINT "outcome_change_versions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A PCN's counter is the PCN's, like the pairs it counts.
ALTER TABLE outcome_change_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY outcome_change_versions_tenant ON outcome_change_versions
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- Moves the counters of the organisations a statement touched, once per statement, in its transaction: a reader
-- who sees the new counter sees the new rows (both commit together).
CREATE FUNCTION outcome_change_versions_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_change_versions AS v (organisation_id, version)
  SELECT DISTINCT organisation_id, 1 FROM changed_rows
  ORDER BY organisation_id
  ON CONFLICT (organisation_id) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER outcome_change_versions_after_insert AFTER INSERT ON outcome_changes
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_change_versions_bump();
--> statement-breakpoint
CREATE TRIGGER outcome_change_versions_after_update AFTER UPDATE ON outcome_changes
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_change_versions_bump();
--> statement-breakpoint
CREATE TRIGGER outcome_change_versions_after_delete AFTER DELETE ON outcome_changes
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_change_versions_bump();
--> statement-breakpoint
-- The follow-up windows the table counts as closed come from the PCN's outcome settings.
CREATE TRIGGER outcome_change_versions_after_settings_insert AFTER INSERT ON outcome_settings
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_change_versions_bump();
--> statement-breakpoint
CREATE TRIGGER outcome_change_versions_after_settings_update AFTER UPDATE ON outcome_settings
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_change_versions_bump();
--> statement-breakpoint
CREATE TRIGGER outcome_change_versions_after_settings_delete AFTER DELETE ON outcome_settings
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_change_versions_bump();
--> statement-breakpoint
INSERT INTO outcome_change_versions (organisation_id, version)
SELECT DISTINCT organisation_id, 1 FROM outcome_changes;
