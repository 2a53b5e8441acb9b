CREATE TABLE "lsoa_deprivation" (
	"lsoa_code" text PRIMARY KEY NOT NULL,
	"imd_decile" smallint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postcodes" (
	"postcode" text PRIMARY KEY NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"lsoa_code" text
);
--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "lsoa_code" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "imd_decile" smallint;