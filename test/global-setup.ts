import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureAppRole, type OwnerSql, pgliteExtensions } from '../src/db/client.ts';
import { runMigrations } from '../src/db/migrate.ts';

export const TEMPLATE_DUMP = path.resolve('.tmp/pglite-template.tar.gz');
export const APP_ROLE = 'linkwork_app';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: { adminUrl: string; template: string; prefix: string } | null;
  }
}

/**
 * Migrates once and lets every test file clone the result: a dumped PGlite data folder, and on a
 * PostgreSQL server (TEST_DATABASE_URL) a template database each file copies into its own database.
 */
export default async function setup(project: TestProject) {
  mkdirSync(path.dirname(TEMPLATE_DUMP), { recursive: true });
  const lite = await PGlite.create({ extensions: pgliteExtensions });
  await runMigrations(pgliteOwner(lite));
  await ensureAppRole(pgliteOwner(lite), APP_ROLE);
  const dump = await lite.dumpDataDir('gzip');
  writeFileSync(TEMPLATE_DUMP, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  project.provide('pgliteTemplate', TEMPLATE_DUMP);

  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    console.warn(
      'TEST_DATABASE_URL is not set: database suites run on PGlite only, not on a PostgreSQL server.',
    );
    project.provide('postgresTemplate', null);
    return;
  }
  const prefix = `linkwork_test_${process.pid}_${Date.now().toString(36)}`;
  const template = `${prefix}_template`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const tplClient = new pg.Client({ connectionString: withDatabase(url, template) });
  await tplClient.connect();
  const owner: OwnerSql = {
    exec: async (t) => void (await tplClient.query(t)),
    query: async <T>(t: string, p?: unknown[]) => (await tplClient.query(t, p as unknown[])).rows as T[],
  };
  await runMigrations(owner);
  await ensureAppRole(owner, APP_ROLE);
  await tplClient.end();
  project.provide('postgresTemplate', { adminUrl: url, template, prefix });

  return async () => {
    // Every database this run made, template last.
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname = $2`,
      [`${prefix}%`, template],
    );
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.end();
  };
}

function pgliteOwner(lite: PGlite): OwnerSql {
  return {
    exec: async (t) => void (await lite.exec(t)),
    query: async <T>(t: string, p?: unknown[]) => (await lite.query<T>(t, p)).rows,
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
