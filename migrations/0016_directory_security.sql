-- The directory is open data (it is published as an ORUK API), so anyone the app serves may read its services,
-- locations, organisations, taxonomies and settings; only the owning ICB's tenant writes them. Reports, imports
-- and history stay with the ICB. Connections are person-level data and belong to the PCN, like referrals.
--> statement-breakpoint
ALTER TABLE directory_taxonomies ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_taxonomies_read ON directory_taxonomies FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_taxonomies_insert ON directory_taxonomies FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_taxonomies_update ON directory_taxonomies FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_taxonomies_delete ON directory_taxonomies FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_taxonomy_terms ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_taxonomy_terms_read ON directory_taxonomy_terms FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_taxonomy_terms_insert ON directory_taxonomy_terms FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_taxonomy_terms_update ON directory_taxonomy_terms FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_taxonomy_terms_delete ON directory_taxonomy_terms FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_need_terms ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_need_terms_read ON directory_need_terms FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_need_terms_insert ON directory_need_terms FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_need_terms_update ON directory_need_terms FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_need_terms_delete ON directory_need_terms FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_organisations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_organisations_read ON directory_organisations FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_organisations_insert ON directory_organisations FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_organisations_update ON directory_organisations FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_organisations_delete ON directory_organisations FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_locations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_locations_read ON directory_locations FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_locations_insert ON directory_locations FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_locations_update ON directory_locations FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_locations_delete ON directory_locations FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_services ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_services_read ON directory_services FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_services_insert ON directory_services FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_services_update ON directory_services FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_services_delete ON directory_services FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_service_at_locations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_service_at_locations_read ON directory_service_at_locations FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_service_at_locations_insert ON directory_service_at_locations FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_service_at_locations_update ON directory_service_at_locations FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_service_at_locations_delete ON directory_service_at_locations FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_settings ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_settings_read ON directory_settings FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY directory_settings_insert ON directory_settings FOR INSERT WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_settings_update ON directory_settings FOR UPDATE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
CREATE POLICY directory_settings_delete ON directory_settings FOR DELETE USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_service_history ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_service_history_tenant ON directory_service_history USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_reports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_reports_tenant ON directory_reports USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE directory_imports ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_imports_tenant ON directory_imports USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE connections ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY connections_tenant ON connections USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
--> statement-breakpoint
ALTER TABLE connection_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY connection_events_tenant ON connection_events USING ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[])) WITH CHECK ((SELECT linkwork_is_system()) OR organisation_id = ANY ((SELECT linkwork_tenant_ids())::uuid[]));
