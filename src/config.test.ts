import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('defaults to the embedded database, port 3000 and 30-minute idle sessions', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '.data/pglite' });
    expect(c.port).toBe(3000);
    expect(c.session.idleMinutes).toBe(30);
    expect(c.secureCookies).toBe(false);
  });

  it('switches to a PostgreSQL server with DATABASE_URL and marks cookies Secure behind https', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db/linkwork',
      PUBLIC_URL: 'https://linkwork.example.nhs.uk',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/linkwork' });
    expect(c.secureCookies).toBe(true);
  });

  it('refuses to start with a readable list of everything that is wrong', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SESSION_IDLE_MINUTES: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect((error as Error).message).toMatch(/^Linkwork cannot start/);
  });
});

describe('messaging in production', () => {
  it('refuses the development inbox when NODE_ENV is production, and accepts Notify', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MESSAGE_TRANSPORT: set it to notify/);
    expect(loadConfig({ NODE_ENV: 'production', MESSAGE_TRANSPORT: 'dev' }).messaging.transport).toBe('dev');
    const key = `live-${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}-${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}`;
    const template = '2f6c2a4e-9a5b-4c57-9d59-7a2f7e0c8b11';
    const config = loadConfig({
      NODE_ENV: 'production',
      MESSAGE_TRANSPORT: 'notify',
      NOTIFY_API_KEY: key,
      NOTIFY_TEMPLATE_SELF_COMPLETION_SMS: template,
      NOTIFY_TEMPLATE_SELF_COMPLETION_EMAIL: template,
      NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS: template,
      NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL: template,
    });
    expect(config.messaging.transport).toBe('notify');
  });
});
