-- Tenancy, second wall: the app sets linkwork.tenant_ids (comma-separated organisation ids) per transaction.
-- linkwork.system = 'on' is for work done on no one's behalf (migrations' seeds, sign-in lookups).
CREATE FUNCTION linkwork_tenant_visible(org uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('linkwork.system', true), '') = 'on'
      OR org = ANY (string_to_array(nullif(current_setting('linkwork.tenant_ids', true), ''), ',')::uuid[])
$$;
--> statement-breakpoint
ALTER TABLE link_worker_contexts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY link_worker_contexts_tenant ON link_worker_contexts
  USING (linkwork_tenant_visible(organisation_id))
  WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_events_read ON audit_events FOR SELECT
  USING (
    linkwork_tenant_visible(organisation_id)
    OR (organisation_id IS NULL AND coalesce(current_setting('linkwork.see_unscoped', true), '') = 'on')
  );
--> statement-breakpoint
CREATE POLICY audit_events_append ON audit_events FOR INSERT WITH CHECK (true);
--> statement-breakpoint
-- Audit rows are history: no one changes or removes them, whatever their grants.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
