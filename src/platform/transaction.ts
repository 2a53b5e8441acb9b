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
