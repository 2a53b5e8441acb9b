// Reading EXPLAIN (ANALYZE) text for bench/insight.ts: which nodes of a plan the time goes to.

interface PlanNode {
  name: string;
  indent: number;
  totalMs: number;
  childMs: number;
  rows: number;
  loops: number;
}

const NODE =
  /^(\s*)(?:->\s+)?(.+?)\s+\(cost=[^)]*\)\s+\(actual time=[\d.]+\.\.([\d.]+) rows=([\d.]+) loops=(\d+)\)/;
const CTE = /^\s*CTE (\S+)\s*$/;
const CTE_SCAN = /^CTE Scan on (\S+)/;

/**
 * The plan's nodes by their own time: a node's actual total time (its last row's time × loops) less its direct
 * children's, found by the plan's indentation. A CTE is made while it is read, so its making is taken off the
 * CTE Scans that read it (the slowest first) and its own nodes keep it; its subtree does not count against the node
 * it is printed under.
 */
export function hotSpots(plan: string[]): (PlanNode & { selfMs: number })[] {
  const nodes: PlanNode[] = [];
  const stack: PlanNode[] = [];
  const cteMs = new Map<string, number>();
  let cteNext: string | undefined;
  for (const line of plan) {
    const cte = CTE.exec(line);
    if (cte) {
      cteNext = cte[1];
      continue;
    }
    const m = NODE.exec(line);
    if (!m) continue;
    const node: PlanNode = {
      name: m[2]!,
      indent: m[1]!.length,
      totalMs: Number(m[3]) * Number(m[5]),
      childMs: 0,
      rows: Number(m[4]) * Number(m[5]),
      loops: Number(m[5]),
    };
    while (stack.length && stack.at(-1)!.indent >= node.indent) stack.pop();
    if (cteNext !== undefined) {
      cteMs.set(cteNext, node.totalMs);
      cteNext = undefined;
    } else if (stack.length) {
      stack.at(-1)!.childMs += node.totalMs;
    }
    stack.push(node);
    nodes.push(node);
  }
  const spots = nodes.map((n) => ({ ...n, selfMs: Math.max(0, n.totalMs - n.childMs) }));
  for (const [name, ms] of cteMs) {
    let left = ms;
    const scans = spots
      .filter((s) => CTE_SCAN.exec(s.name)?.[1] === name)
      .sort((a, b) => b.selfMs - a.selfMs);
    for (const scan of scans) {
      const taken = Math.min(left, scan.selfMs);
      scan.selfMs -= taken;
      left -= taken;
    }
  }
  return spots.sort((a, b) => b.selfMs - a.selfMs);
}
