-- Events about no tenant (a failed sign-in for an unknown address) are for the database's owners, not for any
-- organisation's administrators: the app records events about a known user against that user's organisations.
DROP POLICY audit_events_read ON audit_events;
--> statement-breakpoint
CREATE POLICY audit_events_read ON audit_events FOR SELECT USING (linkwork_tenant_visible(organisation_id));
