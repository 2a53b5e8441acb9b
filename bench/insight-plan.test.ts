import { expect, it } from 'vitest';
import { hotSpots } from './insight-plan.ts';

// A plan as PostgreSQL 15 prints it (PGlite's 18 prints rows with decimals), with times chosen so that each node's
// own time is known: the join 10 − 2 − 4 = 4 ms, the scan 2 ms, the hash 4 − 0.5 × 5 = 1.5 ms, the index scan
// 0.5 ms × 5 loops = 2.5 ms.
const PLAN = [
  'Hash Join  (cost=1.00..2.00 rows=10 width=4) (actual time=0.500..10.000 rows=10 loops=1)',
  '  Hash Cond: (a.id = b.id)',
  '  Buffers: shared hit=12',
  '  ->  Seq Scan on a  (cost=0.00..1.00 rows=10 width=4) (actual time=0.100..2.000 rows=10 loops=1)',
  '  ->  Hash  (cost=1.00..1.00 rows=5 width=4) (actual time=4.000..4.000 rows=5 loops=1)',
  '        ->  Index Scan using b_idx on b  (cost=0.00..1.00 rows=1 width=4) (actual time=0.100..0.500 rows=1.00 loops=5)',
  '              Index Cond: (id = 1)',
  '  ->  Seq Scan on c  (cost=0.00..1.00 rows=1 width=4) (never executed)',
  'Planning Time: 0.100 ms',
  'Execution Time: 10.100 ms',
];

it("ranks a plan's nodes by their own time, children's time taken off and loops counted", () => {
  const spots = hotSpots(PLAN);
  expect(spots.map((s) => [s.name, Number(s.selfMs.toFixed(3))])).toEqual([
    ['Hash Join', 4],
    ['Index Scan using b_idx on b', 2.5],
    ['Seq Scan on a', 2],
    ['Hash', 1.5],
  ]);
  const index = spots.find((s) => s.name.startsWith('Index Scan'))!;
  expect([index.rows, index.loops]).toEqual([5, 5]);
});

it('counts the making of a CTE once, in its own nodes, not again in the CTE Scan that read it', () => {
  // The CTE's scan of big takes 12 ms while the CTE Scan reads it (16 ms in all): the CTE Scan's own is 4 ms, and
  // the join's own is 20 − 16 − 2 = 2 ms (the CTE's subtree, printed under the join, is not one of its children).
  const plan = [
    'Hash Join  (cost=1.00..2.00 rows=5 width=4) (actual time=1.000..20.000 rows=5 loops=1)',
    '  CTE x',
    '    ->  Seq Scan on big  (cost=0.00..1.00 rows=100 width=4) (actual time=0.100..12.000 rows=100 loops=1)',
    '  ->  CTE Scan on x  (cost=0.00..1.00 rows=100 width=4) (actual time=0.200..16.000 rows=100 loops=1)',
    '  ->  Hash  (cost=1.00..1.00 rows=5 width=4) (actual time=2.000..2.000 rows=5 loops=1)',
    '        ->  Seq Scan on small  (cost=0.00..1.00 rows=5 width=4) (actual time=0.100..1.500 rows=5 loops=1)',
  ];
  expect(hotSpots(plan).map((s) => [s.name, Number(s.selfMs.toFixed(3))])).toEqual([
    ['Seq Scan on big', 12],
    ['CTE Scan on x', 4],
    ['Hash Join', 2],
    ['Seq Scan on small', 1.5],
    ['Hash', 0.5],
  ]);
});

it('finds nothing in a plan without ANALYZE figures', () => {
  expect(hotSpots(['Seq Scan on a  (cost=0.00..1.00 rows=10 width=4)'])).toEqual([]);
});
