import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { type Database, openDatabase } from '../src/db/client.ts';
import { APP_ROLE, withDatabase } from './global-setup.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** The databases every database suite runs on: PGlite always, the PostgreSQL server when TEST_DATABASE_URL is set. */
export function testDatabaseKinds(): DatabaseKind[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

let counter = 0;

/** A fresh, migrated database of its own, cloned from the run's template. */
export async function openTestDatabase(kind: DatabaseKind): Promise<Database & { url?: string }> {
  if (kind === 'pglite') {
    const dump = readFileSync(inject('pgliteTemplate'));
    return openDatabase(
      { kind: 'pglite', dataDir: 'memory://' },
      { appRole: APP_ROLE, loadDataDir: new Blob([dump]) },
    );
  }
  const tpl = inject('postgresTemplate');
  if (!tpl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${tpl.prefix}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: tpl.adminUrl });
  await admin.connect();
  try {
    // CREATE DATABASE … TEMPLATE needs the template to have no other connections: retry briefly if one is copying.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl.template}`);
        break;
      } catch (err) {
        if (attempt > 20 || (err as { code?: string }).code !== '55006') throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(tpl.adminUrl, name);
  const database = await openDatabase({ kind: 'postgres', url }, { appRole: APP_ROLE });
  return Object.assign(database, { url });
}

/**
 * Runs a suite once per test database. `get()` gives that suite's database, opened before its tests and
 * closed after them.
 */
export function describeEachDatabase(
  name: string,
  suite: (get: () => Database & { url?: string }, kind: DatabaseKind) => void,
) {
  for (const kind of testDatabaseKinds()) {
    describe(`${name} [${kind}]`, () => {
      let database: (Database & { url?: string }) | undefined;
      beforeAll(async () => {
        database = await openTestDatabase(kind);
      });
      afterAll(async () => {
        await database?.close();
      });
      suite(() => {
        if (!database) throw new Error('database not open yet');
        return database;
      }, kind);
    });
  }
}
