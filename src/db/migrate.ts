import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { migrationsDir } from '../platform/paths.ts';
import type { OwnerSql } from './client.ts';

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(path.join(dir, f), 'utf8');
      return {
        name: f.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

/**
 * Applies the committed SQL migrations in order, each in its own transaction, as the owner.
 * An advisory lock keeps two starting processes from racing on a PostgreSQL server.
 * A landed migration whose file changed is refused: migrations are history.
 */
export async function runMigrations(owner: OwnerSql, dir = migrationsDir): Promise<string[]> {
  const applied: string[] = [];
  await owner.exec(`SELECT pg_advisory_lock(727274)`);
  try {
    await owner.exec(`
      CREATE TABLE IF NOT EXISTS linkwork_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Map(
      (
        await owner.query<{ name: string; checksum: string }>(
          'SELECT name, checksum FROM linkwork_migrations',
        )
      ).map((r) => [r.name, r.checksum]),
    );
    for (const m of readMigrations(dir)) {
      const seen = done.get(m.name);
      if (seen !== undefined) {
        if (seen !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was edited after it was applied. Add a new migration instead.`,
          );
        }
        continue;
      }
      const statements = m.sql
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter(Boolean);
      await owner.exec('BEGIN');
      try {
        for (const s of statements) await owner.exec(s);
        await owner.query('INSERT INTO linkwork_migrations (name, checksum) VALUES ($1, $2)', [
          m.name,
          m.checksum,
        ]);
        await owner.exec('COMMIT');
      } catch (err) {
        await owner.exec('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
  } finally {
    await owner.exec(`SELECT pg_advisory_unlock(727274)`);
  }
  return applied;
}
