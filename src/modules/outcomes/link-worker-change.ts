import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/client.ts';
import { instrumentDefinition } from './definition.ts';
import { SHIPPED_INSTRUMENTS } from './instruments.ts';
import { type Comparison, comparisonLabels, laterColumns, reportedMeasures } from './report.ts';
import { type ChangeCell, changeCell } from './stats.ts';

/*
 * Outcome change for one link worker's episodes whose baseline fell in a period — what the what-works explorer
 * shows for a group, for the people of one research case: each shipped instrument's main score, baseline to
 * discharge and to the 9–12 month follow-up, with n, mean change and its 95% CI, cells under 5 suppressed.
 * Pairing as the change table's: the latest current complete baseline of the episode in the period.
 */

const SHOWN: readonly Comparison[] = ['discharge', 'follow_up_long'];

const MAIN_SCORES = SHIPPED_INSTRUMENTS.map((input) => {
  const definition = instrumentDefinition.parse(input);
  const main = reportedMeasures(definition)[0]!;
  return { code: definition.code, title: definition.title, measure: main };
});

export interface LinkWorkerChange {
  instrument: string;
  measure: string;
  higherIsBetter: boolean;
  comparison: Comparison;
  comparisonLabel: string;
  change: ChangeCell;
}

export async function linkWorkerChangeFigures(
  tx: Db,
  pcnId: string,
  linkWorkerId: string,
  from: string,
  to: string,
): Promise<LinkWorkerChange[]> {
  const columns = SHOWN.map((comparison, k) => {
    const value = sql.raw(`c.${laterColumns[comparison].value}`);
    const on = sql.raw(`c.${laterColumns[comparison].on}`);
    const ok = sql`${value} is not null and ${on} >= ${from}::date`;
    const n = sql.raw(String(k));
    return sql`count(*) filter (where ${ok})::int as n${n},
      coalesce(sum(c.baseline_value) filter (where ${ok}), 0)::float8 as sb${n},
      coalesce(sum(c.baseline_value * c.baseline_value) filter (where ${ok}), 0)::float8 as sbb${n},
      coalesce(sum(${value}) filter (where ${ok}), 0)::float8 as sa${n},
      coalesce(sum(${value} * ${value}) filter (where ${ok}), 0)::float8 as saa${n},
      coalesce(sum(${value} - c.baseline_value) filter (where ${ok}), 0)::float8 as sc${n},
      coalesce(sum((${value} - c.baseline_value) * (${value} - c.baseline_value)) filter (where ${ok}), 0)::float8 as scc${n}`;
  });
  const rows = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      select c.instrument_code, c.measure, ${sql.join(columns, sql`, `)}
      from outcome_changes c
      join referrals ref on ref.id = c.referral_id
      where c.organisation_id = ${pcnId} and ref.allocated_link_worker_id = ${linkWorkerId}
        and (c.instrument_code, c.measure) in (${sql.join(
          MAIN_SCORES.map((m) => sql`(${m.code}, ${m.measure.key})`),
          sql`, `,
        )})
        and c.baseline_on between ${from}::date and ${to}::date
        and (c.next_baseline_on is null or c.next_baseline_on > ${to}::date)
      group by c.instrument_code, c.measure`),
  );
  return MAIN_SCORES.flatMap((m) => {
    const row = rows.find((r) => r.instrument_code === m.code && r.measure === m.measure.key);
    if (!row) return [];
    return SHOWN.map((comparison, k) => {
      const num = (name: string) => Number(row[`${name}${k}`] ?? 0);
      const n = num('n');
      return {
        instrument: m.title,
        measure: m.measure.label,
        higherIsBetter: m.measure.higherIsBetter,
        comparison,
        comparisonLabel: comparisonLabels[comparison],
        // Improved / same / worse are not shown here, so their counts are not needed.
        change: changeCell({
          n,
          sumBefore: num('sb'),
          sumBeforeSq: num('sbb'),
          sumAfter: num('sa'),
          sumAfterSq: num('saa'),
          sumChange: num('sc'),
          sumChangeSq: num('scc'),
          improved: 0,
          same: n,
          worse: 0,
        }),
      };
    });
  });
}
