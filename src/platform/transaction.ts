import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { isSystem, type RequestContext } from './actor.ts';

/**
 * The tenancy-aware path: every query runs in a transaction that tells PostgreSQL whose data it may see,
 * so row-level security backs up the checks the services make.
 */
export function inTransaction<T>(db: Db, ctx: RequestContext, work: (tx: Db) => Promise<T>): Promise<T> {
  const system = isSystem(ctx);
  const tenantIds = system ? '' : ctx.scopeOrganisationIds.join(',');
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('linkwork.tenant_ids', ${tenantIds}, true),
                 set_config('linkwork.system', ${system ? 'on' : 'off'}, true)`,
    );
    return work(tx as unknown as Db);
  });
}

/**
 * Lets this transaction also see and write one more tenant's rows, for the few rules that cross a tenant line on
 * purpose (a GP practice's referrer writes a referral into its PCN). The service still decides which rows.
 */
export async function alsoAllowTenant(tx: Db, ctx: RequestContext, organisationId: string): Promise<void> {
  if (isSystem(ctx)) return;
  const ids = [...new Set([...ctx.scopeOrganisationIds, organisationId])].join(',');
  await tx.execute(sql`select set_config('linkwork.tenant_ids', ${ids}, true)`);
}
