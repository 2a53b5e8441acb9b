-- Completed measures are person-level data: the PCN's, like the episode they belong to.
ALTER TABLE outcome_responses ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY outcome_responses_tenant ON outcome_responses
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
