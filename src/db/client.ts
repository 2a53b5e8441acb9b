import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Config } from '../config.ts';
import { projectRoot } from '../platform/paths.ts';
import { runMigrations } from './migrate.ts';

/** A transaction or the database: services take this as their first argument. */
export type Db = PgDatabase<PgQueryResultHKT>;

/** The rows of a raw `db.execute(sql…)`: both drivers answer with `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Raw SQL on the owner's connection, for migrations and role set-up only. */
export interface OwnerSql {
  exec(text: string): Promise<void>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** A hot-path query by name: a named prepared statement on a server, so it is planned once per connection. */
export type PreparedQuery = <T>(name: string, text: string, params: unknown[]) => Promise<T[]>;

export interface Database {
  kind: 'pglite' | 'postgres';
  /** Works as the app role: not the owner, not a superuser, so row-level security binds. */
  db: Db;
  prepared: PreparedQuery;
  /**
   * ANALYZE as the owner, after a bulk load: fresh statistics, so the planner knows the new rows before autovacuum
   * gets round to them. Not for request handling; the CLI runs it at the end of an import.
   */
  maintain(tables: readonly string[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another Linkwork process (pid ${pid}). ` +
        'Stop that process first, or set DATABASE_URL to use a PostgreSQL server, which many processes can share.',
    );
    this.name = 'DatabaseInUseError';
  }
}

export interface OpenOptions {
  appRole: string;
  /** Apply pending migrations as the owner before handing out the app connection (default true). */
  migrate?: boolean;
  /** Told the names of the migrations applied now (the CLI prints them). */
  onMigrated?: (applied: string[]) => void;
  /** Start PGlite from a dumped, already-migrated data folder (tests clone one this way). */
  loadDataDir?: Blob;
}

export async function openDatabase(database: Config['database'], options: OpenOptions): Promise<Database> {
  return database.kind === 'pglite'
    ? openPglite(database.dataDir, options)
    : openPostgres(database.url, options);
}

/** PGlite is one process's database: a lock file next to the data folder turns a second opener away. */
function takeLock(dataDir: string): () => void {
  mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const lockPath = `${path.resolve(dataDir)}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) throw new DatabaseInUseError(dataDir, pid);
      rmSync(lockPath, { force: true }); // left behind by a process that died
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creating a PGlite cluster (initdb) leaves WebAssembly memory at its high-water mark (~800 MB) for the life of
 * the process. Doing it in a short-lived child process and then opening the made folder here keeps the server's
 * memory at what an existing folder needs (about half).
 */
function initialiseInChildProcess(dataDir: string): void {
  const script =
    "import { PGlite } from '@electric-sql/pglite';" +
    'const db = await PGlite.create({ dataDir: process.argv[1] }); await db.close();';
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, path.resolve(dataDir)], {
    cwd: projectRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`Could not create the embedded database in ${dataDir}: ${result.stderr}`);
}

const tableList = (tables: readonly string[]) => {
  if (tables.length === 0 || tables.some((t) => !/^[a-z_][a-z0-9_]*$/.test(t))) {
    throw new Error(`Invalid table list ${tables.join(', ')}`);
  }
  return tables.join(', ');
};

/** Extensions the migrations create: PGlite must be handed their code when it opens. */
export const pgliteExtensions = { pg_trgm };

const isEmptyDir = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

async function openPglite(dataDir: string, options: OpenOptions): Promise<Database> {
  const inMemory = dataDir === 'memory://';
  const release = inMemory ? () => {} : takeLock(dataDir);
  let client: PGlite;
  try {
    if (!inMemory && !options.loadDataDir && isEmptyDir(dataDir)) initialiseInChildProcess(dataDir);
    client = await PGlite.create({
      extensions: pgliteExtensions,
      ...(inMemory ? {} : { dataDir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (err) {
    release();
    throw err;
  }
  const owner: OwnerSql = {
    exec: async (text) => {
      await client.exec(text);
    },
    query: async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
  };
  if (options.migrate !== false) {
    const applied = await runMigrations(owner);
    options.onMigrated?.(applied);
  }
  await ensureAppRole(owner, options.appRole);
  // PGlite has one connection: from here on it works as the app role.
  await client.exec(`SET ROLE ${options.appRole}`);
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    prepared: async <T>(_name: string, text: string, params: unknown[]) =>
      (await client.query<T>(text, params)).rows,
    maintain: async (tables) => {
      await client.exec('RESET ROLE');
      try {
        await client.exec(`ANALYZE ${tableList(tables)}`);
      } finally {
        await client.exec(`SET ROLE ${options.appRole}`);
      }
    },
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
      release();
    },
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const ownerClient = new pg.Client({ connectionString: url });
  await ownerClient.connect();
  try {
    const owner: OwnerSql = {
      exec: async (text) => {
        await ownerClient.query(text);
      },
      query: async <T>(text: string, params?: unknown[]) =>
        (await ownerClient.query(text, params as unknown[])).rows as T[],
    };
    if (options.migrate !== false) {
      const applied = await runMigrations(owner);
      options.onMigrated?.(applied);
    }
    await ensureAppRole(owner, options.appRole);
  } finally {
    await ownerClient.end();
  }
  // Every pooled connection works as the app role from its start (a startup parameter, so no query can run
  // before it; a connection that cannot take the role fails to open).
  const pool = new pg.Pool({ connectionString: url, max: 16, options: `-c role=${options.appRole}` });
  const db = drizzleNodePg(pool) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    prepared: async <T>(name: string, text: string, values: unknown[]) =>
      (await pool.query({ name, text, values: values as unknown[] })).rows as T[],
    maintain: async (tables) => {
      const owner = new pg.Client({ connectionString: url });
      await owner.connect();
      try {
        await owner.query(`ANALYZE ${tableList(tables)}`);
      } finally {
        await owner.end();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}

/**
 * The role the app works as: it neither owns the tables nor is a superuser, so row-level security and the
 * audit table's grants bind it. Idempotent; runs at every start because grants follow new tables.
 */
export async function ensureAppRole(owner: OwnerSql, role: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`Invalid role name ${role}`);
  const exists = await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role]);
  if (exists.length === 0) {
    try {
      await owner.exec(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
    } catch (err) {
      // Another process created it between our check and our create (tests start in parallel).
      if ((err as { code?: string }).code !== '42710' && (err as { code?: string }).code !== '23505')
        throw err;
    }
  }
  await owner.exec(`
    DO $$ BEGIN
      IF NOT pg_has_role(current_user, '${role}', 'MEMBER') THEN
        EXECUTE 'GRANT ${role} TO ' || quote_ident(current_user);
      END IF;
    END $$;
    GRANT USAGE ON SCHEMA public TO ${role};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role};
    REVOKE ALL ON linkwork_migrations FROM ${role};
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${role};
  `);
}
