-- Within outcome_changes a measure names its instrument ('score:ucla3_total' is UCLA-3's), but the planner, without
-- statistics on the two together, multiplies their selectivities and expects a year of an ICB's pairs of one measure
-- to be ~1 % of what they are. Under that estimate the explorer's adjusted model joined its 67,000 pairs to the
-- episode facts by a nested loop, one index probe each (~700 ms on the benchmark's data), where the tables' hash
-- join takes ~250 ms. Statistics on the pair (their dependency and most common combinations) give the estimate back.
CREATE STATISTICS IF NOT EXISTS outcome_changes_measure_stats (dependencies, mcv) ON instrument_code, measure
  FROM outcome_changes;
--> statement-breakpoint
ANALYZE outcome_changes;
