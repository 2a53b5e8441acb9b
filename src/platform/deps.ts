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

/** Runs work on no user's behalf (sign-in, set-password links) in one transaction. */
export function asSystem<T>(
  deps: AppDeps,
  req: FastifyRequest,
  work: (tx: Db, ctx: SystemContext) => Promise<T>,
): Promise<T> {
  const ctx = req.system;
  return inTransaction(deps.db, ctx, (tx) => work(tx, ctx));
}
