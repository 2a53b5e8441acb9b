import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config.ts';
import { type Database, DatabaseInUseError, openDatabase } from '../db/client.ts';
import { demoPassword, demoSignIns, hasDemo, seedDemo } from '../db/seed/demo.ts';
import { recordAudit } from '../modules/audit/service.ts';
import { FeedError } from '../modules/directory/import.ts';
import { importDeprivation, importPostcodes } from '../modules/geography/import.ts';
import { createUserBody } from '../modules/identity/contract.ts';
import { assertGoodPassword, hashPassword } from '../modules/identity/passwords.ts';
import { roleAssignments, users } from '../modules/identity/schema.ts';
import { revokeAllSessions } from '../modules/identity/sessions.ts';
import { issuePasswordToken, userOrganisationIds } from '../modules/identity/sign-in.ts';
import { organisations } from '../modules/organisations/schema.ts';
import { createRootOrganisation } from '../modules/organisations/service.ts';
import { systemClock } from '../platform/clock.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { inTransaction } from '../platform/transaction.ts';
import { DirectoryImportError, directoryImportUsage, runDirectoryImport } from './directory-import.ts';

const usage = `Usage: linkwork <command> [options]

Commands:
  migrate                     apply pending database migrations
  seed-demo                   add the fictional demo ICB, its organisations and users (refuses to do it twice)
  create-admin                create an administrator, at an existing organisation or a new ICB
      --email <email> --name <full name>
      --organisation-id <id>  | --icb-name <name> [--ods <code>]
      [--password-stdin]      read the password from standard input instead of printing a set-password link
  reset-password              end a user's sessions and give them a new password
      --email <email> [--password-stdin]
  import-geography            load postcodes (ONS Postcode Directory CSV) and/or IMD deciles (English Indices of
      --postcodes <file.csv>  Deprivation CSV); re-running updates what is there
      --imd <file.csv>
${directoryImportUsage}

The database is the embedded one in LINKWORK_DATA_DIR (default .data/pglite), or DATABASE_URL when set.
Stop a running Linkwork before using the embedded database from here: it has one user at a time.`;

class CliError extends Error {}

const out = (text: string) => process.stdout.write(`${text}\n`);

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError(`Missing option: ${question} (pass it as a flag)`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(`${question}: `)).trim();
  } finally {
    rl.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    out(usage);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'organisation-id': { type: 'string' },
      'icb-name': { type: 'string' },
      ods: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      postcodes: { type: 'string' },
      imd: { type: 'string' },
      icb: { type: 'string' },
      file: { type: 'string' },
      url: { type: 'string' },
      format: { type: 'string' },
      mapping: { type: 'string' },
      source: { type: 'string' },
    },
    strict: true,
  });
  const config = loadConfig();
  if (
    ![
      'migrate',
      'seed-demo',
      'create-admin',
      'reset-password',
      'import-geography',
      'directory-import',
    ].includes(command)
  ) {
    throw new CliError(`Unknown command "${command}".\n\n${usage}`);
  }
  const database = await openDatabase(config.database, {
    appRole: config.appRole,
    onMigrated: (applied) =>
      command === 'migrate' &&
      out(
        applied.length
          ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
          : 'The database is up to date.',
      ),
  });
  try {
    const now = systemClock.now();
    const system = { system: true as const, now, requestId: `cli-${command}` };
    switch (command) {
      case 'migrate':
        return;
      case 'seed-demo': {
        if (await hasDemo(database.db))
          throw new CliError('The demo organisation is already in this database.');
        await seedDemo(database.db, now);
        out(`Demo seeded. Sign in with any of these (password: ${demoPassword}):`);
        for (const s of demoSignIns) out(`  ${s.email.padEnd(40)} ${s.what}`);
        return;
      }
      case 'create-admin':
        return await createAdmin(database, config.publicUrl, system, {
          email: values.email ?? (await ask('Email address')),
          name: values.name ?? (await ask('Full name')),
          organisationId: values['organisation-id'],
          icbName: values['icb-name'],
          ods: values.ods,
          password: values['password-stdin'] ? await readStdin() : undefined,
        });
      case 'import-geography':
        return await importGeography(database, values.postcodes, values.imd);
      case 'directory-import':
        await runDirectoryImport(database, values, out);
        return;
      case 'reset-password':
        return await resetPassword(database, config.publicUrl, system, {
          email: (values.email ?? (await ask('Email address'))).trim().toLowerCase(),
          password: values['password-stdin'] ? await readStdin() : undefined,
        });
    }
  } finally {
    await database.close();
  }
}

async function importGeography(database: Database, postcodeFile?: string, imdFile?: string) {
  if (!postcodeFile && !imdFile)
    throw new CliError('Give --postcodes <file.csv>, --imd <file.csv>, or both.');
  for (const f of [postcodeFile, imdFile]) {
    if (f && !existsSync(f)) throw new CliError(`There is no file ${f}.`);
  }
  // Reference data shared by every tenant: no row-level security applies.
  const db = database.db;
  if (imdFile) {
    const report = await importDeprivation(db, imdFile);
    out(`IMD deciles: ${report.imported} LSOAs imported, ${report.skipped.length} rows skipped.`);
    for (const s of report.skipped.slice(0, 10)) out(`  row ${s.row}: ${s.reason}`);
  }
  if (postcodeFile) {
    const tty = process.stdout.isTTY;
    const report = await importPostcodes(db, postcodeFile, (n) => {
      if (tty) process.stdout.write(`\r  ${n.toLocaleString('en-GB')} postcodes…`);
    });
    if (tty) process.stdout.write('\n');
    out(
      `Postcodes: ${report.imported} imported, ${report.skipped.length} rows skipped (terminated or without coordinates).`,
    );
    for (const s of report.skipped.slice(0, 10)) out(`  row ${s.row}: ${s.reason}`);
  }
}

type System = { system: true; now: Date; requestId: string };

async function createAdmin(
  database: Database,
  publicUrl: string,
  system: System,
  input: {
    email: string;
    name: string;
    organisationId?: string;
    icbName?: string;
    ods?: string;
    password?: string;
  },
) {
  const parsed = createUserBody.shape.email.safeParse(input.email);
  if (!parsed.success) throw new CliError(parsed.error.issues[0]!.message);
  const email = parsed.data;
  if (!input.name.trim()) throw new CliError('Give the administrator’s full name with --name');
  if (input.password !== undefined) assertGoodPassword(input.password, { email });
  const icbName = input.organisationId
    ? undefined
    : (input.icbName ?? (await ask('Name of the new ICB (or pass --organisation-id)')));
  const result = await inTransaction(database.db, system, async (tx) => {
    let orgId = input.organisationId;
    if (orgId) {
      const [org] = await tx
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.id, orgId));
      if (!org) throw new CliError(`There is no organisation with id ${orgId}.`);
    } else {
      orgId = await createRootOrganisation(tx, system.now, {
        name: icbName!,
        odsCode: input.ods?.toUpperCase() ?? null,
      });
    }
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) throw new CliError(`There is already an account for ${email}. Use reset-password instead.`);
    const userId = newId();
    await tx.insert(users).values({
      id: userId,
      email,
      name: input.name.trim(),
      passwordHash: input.password !== undefined ? await hashPassword(input.password) : null,
      createdAt: system.now,
      updatedAt: system.now,
    });
    await tx
      .insert(roleAssignments)
      .values({ id: newId(), userId, organisationId: orgId, role: 'admin', createdAt: system.now });
    await recordAudit(tx, system, {
      action: 'user.created',
      recordType: 'user',
      recordIds: [userId],
      organisationId: orgId,
    });
    const link =
      input.password === undefined ? await issuePasswordToken(tx, userId, 'invitation', system.now) : null;
    return { orgId, link };
  });
  out(`Administrator ${email} created at organisation ${result.orgId}.`);
  if (result.link)
    out(
      `Send them this link to choose a password (valid 7 days):\n  ${publicUrl}/set-password?token=${result.link.token}`,
    );
  out('They set up two-factor authentication at first sign-in.');
}

async function resetPassword(
  database: Database,
  publicUrl: string,
  system: System,
  input: { email: string; password?: string },
) {
  const link = await inTransaction(database.db, system, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, input.email));
    if (!user) throw new CliError(`There is no account for ${input.email}.`);
    await revokeAllSessions(tx, user.id, system.now);
    await recordAudit(tx, system, {
      action: 'auth.password_reset',
      recordType: 'user',
      recordIds: [user.id],
      organisationId: await userOrganisationIds(tx, user.id),
    });
    if (input.password !== undefined) {
      assertGoodPassword(input.password, { email: user.email });
      await tx
        .update(users)
        .set({ passwordHash: await hashPassword(input.password), updatedAt: system.now })
        .where(eq(users.id, user.id));
      return null;
    }
    return issuePasswordToken(tx, user.id, 'reset', system.now);
  });
  out(`Every session of ${input.email} has ended.`);
  out(
    link
      ? `Send them this link to choose a new password (valid 24 hours):\n  ${publicUrl}/set-password?token=${link.token}`
      : 'The new password is set.',
  );
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  // One readable line for what a person can fix; a stack trace only for the unexpected.
  if (
    err instanceof CliError ||
    err instanceof ConfigError ||
    err instanceof DatabaseInUseError ||
    err instanceof DirectoryImportError ||
    err instanceof FeedError
  )
    console.error(err.message);
  else if (err instanceof AppError) console.error(err.message);
  else if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    console.error(`${err.message}\n\n${usage}`);
  else console.error(err);
  process.exitCode = 1;
}
