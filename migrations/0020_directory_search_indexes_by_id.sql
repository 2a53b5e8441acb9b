DROP INDEX "directory_search_service_idx";--> statement-breakpoint
DROP INDEX "directory_search_location_idx";--> statement-breakpoint
CREATE INDEX "directory_search_service_idx" ON "directory_search" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "directory_search_location_idx" ON "directory_search" USING btree ("location_id");