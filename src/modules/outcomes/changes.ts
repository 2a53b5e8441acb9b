import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/*
 * outcome_changes, the change report's pairs (schema.ts), is rebuilt per referral by the database function
 * outcome_changes_refresh (migrations/0029_outcome_changes.sql). Triggers on outcome_responses and discharges call
 * it in the same transaction as every write, whoever makes it (recording, amending, self-completion, the FHIR
 * import, seeds, erasure), so the application never has to remember to: the function lives in SQL because the
 * triggers need it there. This is the same rebuild on demand, for a bulk load made with triggers off (the
 * benchmark generator) or a repair.
 */

/** Rebuilds the change report's pairs of these referrals from their current measures (idempotent, set-based). */
export async function refreshOutcomeChanges(tx: Db, referralIds: string[]): Promise<void> {
  if (referralIds.length === 0) return;
  await tx.execute(sql`select outcome_changes_refresh(${sql.param([...new Set(referralIds)])}::uuid[])`);
}
