import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import { makeWorld } from '../../../test/world.ts';
import type { Actor } from '../../platform/actor.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { operationalReportCache, operationalReportFor, startReportWarming } from './operational.ts';

/*
 * The server keeps each ICB's and PCN's default report computed: a commissioner opening the ICB's last 12 complete
 * months, and a lead their PCN's, read what the warming job made (the cache counts a hit, and the report is the one
 * it made), while another period is computed when asked.
 */

const NOW = new Date('2026-07-15T09:00:00Z');

describeEachDatabase('keeping the default operational reports computed', (db) => {
  it('computes each ICB’s and PCN’s last 12 complete months before anyone asks', async () => {
    const world = await makeWorld(db().db);
    const cache = operationalReportCache();
    const errors: unknown[] = [];
    const warming = startReportWarming(
      db().db,
      { now: () => NOW },
      cache,
      { error: (o) => errors.push(o) },
      3_600_000,
      3_600_000,
    );
    try {
      await warming.run();
    } finally {
      warming.stop();
    }
    expect(errors).toEqual([]);
    const made = cache.stats.entries;
    // ICB A, ICB B and their three PCNs.
    expect(made).toBe(5);
    const commissioner: Actor = {
      userId: world.users.commissionerA.id,
      sessionId: 'test',
      actingOrganisationId: world.orgs.icbA,
      actingOrganisationType: 'icb',
      roles: ['commissioner'],
      scopeOrganisationIds: Object.values(world.orgs),
      requestId: 'test',
      ip: null,
      now: NOW,
    };
    const read = (q: { from?: string; to?: string }) =>
      inTransaction(db().db, commissioner, (tx) => operationalReportFor(tx, commissioner, q, 'json', cache));
    const before = cache.stats.hits;
    const report = await read({});
    expect(report.period).toMatchObject({ from: '2025-07-01', to: '2026-06-30' });
    expect(cache.stats.hits).toBe(before + 1);
    // Another period is not kept in advance: worked out when asked.
    await read({ from: '2026-01-01', to: '2026-06-30' });
    expect(cache.stats.entries).toBe(made + 1);
    // But an ICB's months of the last three years are: a financial year two years back adds up months kept, and
    // reads only its caseloads at its end (the months before it summed and its days, one piece); one further back
    // reads its months too.
    const misses = () => cache.pieces.stats.misses;
    let missed = misses();
    // And its months of the last 27 by day, with its caseloads at the ends of this month and the 14 before: a year
    // ending on any day of them reads nothing, and has the figures counted for it alone.
    for (const q of [
      { from: '2025-06-11', to: '2026-06-10' },
      { from: '2025-07-16', to: '2026-07-15' },
      { from: '2024-05-20', to: '2025-05-19' },
    ]) {
      const kept = await read(q);
      expect(misses()).toBe(missed);
      const alone = await inTransaction(db().db, commissioner, (tx) =>
        operationalReportFor(tx, commissioner, q, 'json'),
      );
      expect(kept.tables).toEqual(alone.tables);
    }
    await read({ from: '2024-04-01', to: '2025-03-31' });
    expect(misses()).toBe(missed + 1);
    missed = misses();
    await read({ from: '2022-04-01', to: '2023-03-31' });
    expect(misses()).toBeGreaterThan(missed + 1);
  });
});
