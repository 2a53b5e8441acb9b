-- Shipped instruments (no organisation) are written only by the system; an organisation's own only by its tenant.
ALTER TABLE outcome_instruments ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Definitions are not personal data: readable by every tenant, so an ICB's instrument reaches its PCNs (the
-- service shows an organisation the shipped ones and its own organisation chain's).
CREATE POLICY outcome_instruments_read ON outcome_instruments FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY outcome_instruments_write ON outcome_instruments FOR INSERT
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY outcome_instruments_update ON outcome_instruments FOR UPDATE
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE outcome_licences ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Read by any tenant so that an ICB's licence covers its PCNs (the service decides what is shown: whether an
-- instrument is usable, never another organisation's licence details); written only by the holder.
CREATE POLICY outcome_licences_read ON outcome_licences FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY outcome_licences_write ON outcome_licences FOR INSERT
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY outcome_licences_update ON outcome_licences FOR UPDATE
  USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]))
  WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
