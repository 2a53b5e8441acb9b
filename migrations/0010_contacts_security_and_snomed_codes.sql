ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY contacts_tenant ON contacts
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
ALTER TABLE coded_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY coded_events_tenant ON coded_events
  USING (linkwork_tenant_visible(organisation_id)) WITH CHECK (linkwork_tenant_visible(organisation_id));
--> statement-breakpoint
-- SNOMED CT UK edition codes the PCN DES requires in the GP record (NHS England social prescribing guidance).
INSERT INTO coded_concepts (purpose, system, code, display, version) VALUES
  ('social_prescribing_accepted', 'http://snomed.info/sct', '871731000000106', 'Referral to social prescribing service (procedure)', '2026-11'),
  ('social_prescribing_declined', 'http://snomed.info/sct', '871711000000103', 'Social prescribing declined (situation)', '2026-11');
