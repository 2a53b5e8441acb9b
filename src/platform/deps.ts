import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import type { Actor, SystemContext } from './actor.ts';
import type { Clock } from './clock.ts';
import { inTransaction } from './transaction.ts';

/** What route plugins need from the app: the database, the clock and a few settings. */
export interface AppDeps {
  db: Db;
  clock: Clock;
  publicUrl: string;
  session: { idleMinutes: number; maxHours: number };
  secureCookies: boolean;
  cookieName: string;
  ping(): Promise<void>;
  databaseKind: 'pglite' | 'postgres';
  /** The running server (not tests): route plugins may start background work, stopped when the app closes. */
  backgroundWork?: boolean;
  /** How long one statement of a report (the operational report, the explorer) may run before it is stopped and the
   * request answered 503: an abandoned or oversized question does not hold a connection and a core indefinitely.
   * Default 30 s. */
  reportStatementTimeoutMs?: number;
}

/** Runs a signed-in request's work in one tenancy-aware transaction. */
export function asActor<T>(
  deps: AppDeps,
  req: FastifyRequest,
  work: (tx: Db, actor: Actor) => Promise<T>,
): Promise<T> {
  const actor = req.actor;
  return inTransaction(deps.db, actor, (tx) => work(tx, actor));
}

const REPORT_STATEMENT_TIMEOUT_MS = 30_000;

/**
 * A signed-in request's report: asActor, with each statement bounded by deps.reportStatementTimeoutMs (PostgreSQL
 * cancels it; problem.ts answers 503 "try again, or a shorter period") and not JIT-compiled. Local to the
 * transaction.
 */
export function asReportReader<T>(
  deps: AppDeps,
  req: FastifyRequest,
  work: (tx: Db, actor: Actor) => Promise<T>,
): Promise<T> {
  return asActor(deps, req, async (tx, actor) => {
    // And without JIT compilation: a report's statements run in well under a second, and a cost overestimated past
    // jit_above_cost (a join whose row count the planner cannot know) spent ~0.6 s compiling one on the benchmark.
    await tx.execute(
      sql`select set_config('statement_timeout', ${String(deps.reportStatementTimeoutMs ?? REPORT_STATEMENT_TIMEOUT_MS)}, true),
        set_config('jit', 'off', true)`,
    );
    return work(tx, actor);
  });
}

/** Runs work on no user's behalf (sign-in, set-password links) in one transaction. */
export function asSystem<T>(
  deps: AppDeps,
  req: FastifyRequest,
  work: (tx: Db, ctx: SystemContext) => Promise<T>,
): Promise<T> {
  const ctx = req.system;
  return inTransaction(deps.db, ctx, (tx) => work(tx, ctx));
}
