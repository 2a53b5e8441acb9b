-- Caseloads at the end of a period, from the referral facts (src/modules/reporting/operational-queries.ts): the
-- three kinds of episode that can be open at a past instant, each an index-only read of its own partial index:
-- still accepted, discharged after it, and declined by the person at a first contact after it.
CREATE INDEX report_referral_facts_accepted_idx ON report_referral_facts (organisation_id, received_at)
  INCLUDE (practice_id) WHERE status = 'accepted';
--> statement-breakpoint
CREATE INDEX report_referral_facts_declined_idx ON report_referral_facts (organisation_id, first_contact_on)
  INCLUDE (received_at, practice_id) WHERE status = 'declined_by_person';
--> statement-breakpoint
-- The discharges' index gains the arrival, so "discharged after the end, arrived before it" reads no heap either.
DROP INDEX report_referral_facts_discharged_idx;
--> statement-breakpoint
CREATE INDEX report_referral_facts_discharged_idx ON report_referral_facts (organisation_id, discharged_on)
  INCLUDE (discharge_reason, contacts, practice_id, received_at) WHERE discharged_on IS NOT NULL;
