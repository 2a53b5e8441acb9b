CREATE TABLE "report_connection_facts" (
	"organisation_id" uuid NOT NULL,
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"connected_on" date NOT NULL,
	"directory_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"state" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_connection_facts" ADD CONSTRAINT "report_connection_facts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_connection_facts" ADD CONSTRAINT "report_connection_facts_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The report's read: a period of some PCNs' connections, by service and state, without the heap.
CREATE INDEX report_connection_facts_period_idx ON report_connection_facts (organisation_id, connected_on)
  INCLUDE (directory_id, service_id, state);
--> statement-breakpoint
ALTER TABLE report_connection_facts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY report_connection_facts_tenant ON report_connection_facts
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
-- Rebuilds some connections' facts: how far each got, from its status history (attended or completed ever, else
-- did not attend, else declined, else accepted, else other), as src/modules/reporting/operational-queries.ts
-- counted it from the records. Set-based, whatever the number.
CREATE FUNCTION report_connection_facts_refresh(connection_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM report_connection_facts WHERE connection_id IN (SELECT unnest(connection_ids));
  INSERT INTO report_connection_facts (organisation_id, connection_id, connected_on, directory_id, service_id, state)
  SELECT cn.organisation_id, cn.id, cn.connected_on, cn.directory_id, cn.service_id,
    CASE
      WHEN bool_or(e.status IN ('attended', 'completed')) THEN 'attended'
      WHEN bool_or(e.status = 'did_not_attend') THEN 'did_not_attend'
      WHEN bool_or(e.status = 'declined') THEN 'declined'
      WHEN bool_or(e.status = 'accepted') THEN 'accepted'
      ELSE 'other'
    END
  FROM connections cn
  LEFT JOIN connection_events e ON e.connection_id = cn.id
  WHERE cn.id IN (SELECT DISTINCT unnest(connection_ids))
  GROUP BY cn.id;
$$;
--> statement-breakpoint
CREATE FUNCTION report_connection_facts_follow_connections() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM report_connection_facts_refresh(ARRAY(SELECT id FROM new_rows));
  ELSE
    PERFORM report_connection_facts_refresh(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.organisation_id, n.connected_on, n.directory_id, n.service_id)
        IS DISTINCT FROM (o.organisation_id, o.connected_on, o.directory_id, o.service_id)));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_connection_facts_after_insert AFTER INSERT ON connections
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_connection_facts_follow_connections();
--> statement-breakpoint
CREATE TRIGGER report_connection_facts_after_update AFTER UPDATE ON connections
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_connection_facts_follow_connections();
--> statement-breakpoint
-- A status event recorded, corrected or removed: its connection's state.
CREATE FUNCTION report_connection_facts_follow_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_connection_facts_refresh(ARRAY(SELECT DISTINCT connection_id FROM changed_rows));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER report_connection_facts_after_events_insert AFTER INSERT ON connection_events
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_connection_facts_follow_events();
--> statement-breakpoint
CREATE TRIGGER report_connection_facts_after_events_update AFTER UPDATE ON connection_events
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_connection_facts_follow_events();
--> statement-breakpoint
CREATE TRIGGER report_connection_facts_after_events_delete AFTER DELETE ON connection_events
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION report_connection_facts_follow_events();
--> statement-breakpoint
SELECT report_connection_facts_refresh(ARRAY(SELECT id FROM connections));
--> statement-breakpoint
ALTER TABLE report_connection_facts SET (autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
--> statement-breakpoint
ANALYZE report_connection_facts;
