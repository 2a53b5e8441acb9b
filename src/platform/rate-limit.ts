import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { TooManyRequestsError } from './errors.ts';
import { rateLimits } from './rate-limit-schema.ts';

/**
 * Counts one use of `key` in a fixed window and refuses past `limit`. A refused use rolls back with its
 * transaction, which is fine: the committed count already stands at the limit until the window ends.
 */
export async function takeRateLimit(
  tx: Db,
  key: string,
  limit: number,
  windowMs: number,
  now: Date,
  message: string,
): Promise<void> {
  const windowFloor = new Date(now.getTime() - windowMs);
  const [row] = await tx
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStart} <= ${windowFloor} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${rateLimits.windowStart} <= ${windowFloor} then ${now} else ${rateLimits.windowStart} end`,
      },
    })
    .returning();
  if (row && row.count > limit) {
    const wait = Math.max(1, Math.ceil((row.windowStart.getTime() + windowMs - now.getTime()) / 1000));
    throw new TooManyRequestsError(message, wait);
  }
}
