-- The caseloads at the end of a period are now sums of kept changes (0045, 0047): 0043's partial indexes of the
-- episodes still accepted and of those declined by the person are read by nothing, and each would cost every
-- rebuild of a referral's facts a write. (0043's discharged index stays: the discharges of part months read it.)
DROP INDEX report_referral_facts_accepted_idx;
--> statement-breakpoint
DROP INDEX report_referral_facts_declined_idx;
