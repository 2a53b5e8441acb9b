import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { demoPassword, demoSignIns, hasDemo, isDatabaseEmpty, seedDemo } from './db/seed/demo.ts';
import { ensureAllDirectories } from './modules/directory/service.ts';
import { makeTransport } from './modules/messaging/config.ts';
import { startMessageWorker } from './modules/messaging/worker.ts';
import { ensureShippedInstruments } from './modules/outcomes/service.ts';
import { startRecordingRetention } from './modules/research/recordings.ts';
import { systemClock } from './platform/clock.ts';
import { inTransaction } from './platform/transaction.ts';

/** The embedded database gets the demo when it is empty; a server only when asked (LINKWORK_DEMO=1). */
export function shouldSeedDemo(kind: 'pglite' | 'postgres', empty: boolean, asked: boolean): boolean {
  return empty && (kind === 'pglite' || asked);
}

/** Opens the database (migrating it), seeds the demo where it should, and serves API and web app on one port. */
export async function startServer(config: Config) {
  const started = performance.now();
  const database = await openDatabase(config.database, { appRole: config.appRole });
  const empty = await isDatabaseEmpty(database.db);
  const seeded = shouldSeedDemo(config.database.kind, empty, config.seedDemo);
  if (seeded) await seedDemo(database.db, systemClock.now());
  // Every ICB's directory has the shipped taxonomy and its settings (an ICB made since the last start gets them now).
  await inTransaction(database.db, { system: true, now: systemClock.now() }, async (tx) => {
    await ensureAllDirectories(tx, systemClock.now());
    // The shipped outcome instruments, and any new version of them.
    await ensureShippedInstruments(tx, systemClock.now());
  });
  const app = await buildApp({
    database,
    clock: systemClock,
    publicUrl: config.publicUrl,
    session: config.session,
    logLevel: config.logLevel,
    trustProxy: config.trustProxy,
    orukIcbOdsCode: config.orukIcbOdsCode,
    messageTransport: config.messaging.transport,
    backgroundWork: true,
  });
  // Sends what the outbox holds (self-completion links, appointment reminders), and queues tomorrow's reminders.
  const messageWorker = startMessageWorker(
    {
      db: database.db,
      clock: systemClock,
      transport: makeTransport(config.messaging, database.db, systemClock),
      logger: app.log,
    },
    { intervalMs: 5_000 },
  );
  // Research recordings whose retention date has come are deleted (hourly; the first run at start).
  const retention = startRecordingRetention(database.db, systemClock, app.log);
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    retention.stop();
    await messageWorker.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: config.host, port: config.port });
  const where =
    config.database.kind === 'pglite'
      ? `embedded PostgreSQL (PGlite) in ${config.database.dataDir}`
      : 'PostgreSQL server (DATABASE_URL)';
  const lines = [
    '',
    `Linkwork is running at ${config.publicUrl}  (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    `Database: ${where}${seeded ? ', demo data seeded just now' : ''}`,
    `API documentation: ${config.publicUrl}/api/docs`,
    `Messages: ${config.messaging.transport === 'notify' ? 'sent through GOV.UK Notify' : 'kept in the development inbox (Messages page), not sent'}`,
  ];
  if (seeded || (await hasDemo(database.db))) {
    lines.push('', `Demo sign-ins (password for all: ${demoPassword}):`);
    for (const s of demoSignIns) lines.push(`  ${s.email.padEnd(40)} ${s.what}`);
    lines.push('  The administrator sets up two-factor authentication at first sign-in.');
  }
  // The one place the app talks to a person at a terminal, so plain stdout rather than the JSON log.
  process.stdout.write(`${lines.join('\n')}\n\n`);
  return { app, database };
}
