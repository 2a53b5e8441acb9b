CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_reference_unique" UNIQUE("reference");