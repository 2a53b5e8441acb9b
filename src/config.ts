import { z } from 'zod';
import { type MessagingConfig, readMessagingConfig } from './modules/messaging/config.ts';

const booleanFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  LINKWORK_DATA_DIR: z.string().min(1).default('.data/pglite'),
  LINKWORK_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case PostgreSQL role name')
    .default('linkwork_app'),
  LINKWORK_DEMO: booleanFlag,
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(12),
  PUBLIC_URL: z.string().url('must be a full URL such as https://linkwork.example.nhs.uk').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanFlag,
  ORUK_ICB_ODS: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{2,10}$/i, 'must be an ICB ODS code, like QWO')
    .optional(),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  env: RawConfig['NODE_ENV'];
  host: string;
  port: number;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  appRole: string;
  seedDemo: boolean;
  session: { idleMinutes: number; maxHours: number };
  /** How messages (self-completion links, appointment reminders) are sent. */
  messaging: MessagingConfig;
  /** Cookies carry Secure when the public URL is https. */
  secureCookies: boolean;
  publicUrl: string;
  logLevel: RawConfig['LOG_LEVEL'];
  trustProxy: boolean;
  /** The ICB whose directory /oruk/v3 publishes; unset: the first ICB. */
  orukIcbOdsCode: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Linkwork cannot start because its configuration is wrong:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; nothing else in the app reads process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set" (e.g. DATABASE_URL= in a shell).
  const parsed = configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const messaging = readMessagingConfig(env);
  if (c.NODE_ENV === 'production' && env.MESSAGE_TRANSPORT === undefined) {
    // In production a text or email must reach the person, not wait in an inbox administrators read: the
    // development inbox is never a production default (a trial or a benchmark may still choose it by name).
    throw new ConfigError([
      'MESSAGE_TRANSPORT: set it to notify (with the NOTIFY_ settings) when NODE_ENV is production, or to dev to keep messages in the development inbox on purpose',
    ]);
  }
  const publicUrl = c.PUBLIC_URL ?? `http://${c.HOST === '0.0.0.0' ? 'localhost' : c.HOST}:${c.PORT}`;
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    database: c.DATABASE_URL
      ? { kind: 'postgres', url: c.DATABASE_URL }
      : { kind: 'pglite', dataDir: c.LINKWORK_DATA_DIR },
    appRole: c.LINKWORK_APP_ROLE,
    // The embedded database gets the demo when it is empty; a server only when asked.
    seedDemo: c.LINKWORK_DEMO,
    session: { idleMinutes: c.SESSION_IDLE_MINUTES, maxHours: c.SESSION_MAX_HOURS },
    secureCookies: publicUrl.startsWith('https://'),
    publicUrl,
    logLevel: c.LOG_LEVEL,
    trustProxy: c.TRUST_PROXY,
    orukIcbOdsCode: c.ORUK_ICB_ODS?.toUpperCase() ?? null,
    messaging,
  };
}
