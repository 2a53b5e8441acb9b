import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config.ts';
import { makeTransport, readMessagingConfig } from './config.ts';

const serviceId = '26785a09-ab16-4eb0-8407-a37497a57506';
const secret = '3d844edf-8d35-48ac-975b-e847b4f122b0';
const notifyEnv = {
  MESSAGE_TRANSPORT: 'notify',
  NOTIFY_API_KEY: `linkwork_live-${serviceId}-${secret}`,
  NOTIFY_TEMPLATE_SELF_COMPLETION_SMS: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
  NOTIFY_TEMPLATE_SELF_COMPLETION_EMAIL: 'f33517ff-2a88-4f6e-b855-c550268ce08b',
  NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS: 'f33517ff-2a88-4f6e-b855-c550268ce08c',
  NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL: 'f33517ff-2a88-4f6e-b855-c550268ce08d',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    readMessagingConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('messaging configuration', () => {
  it('keeps messages in the development inbox unless told otherwise', () => {
    expect(readMessagingConfig({})).toEqual({ transport: 'dev' });
    expect(readMessagingConfig({ MESSAGE_TRANSPORT: '' })).toEqual({ transport: 'dev' });
  });

  it('sends through GOV.UK Notify with a key and a template for each message and channel', () => {
    const config = readMessagingConfig(notifyEnv);
    expect(config).toEqual({
      transport: 'notify',
      baseUrl: 'https://api.notifications.service.gov.uk',
      apiKey: notifyEnv.NOTIFY_API_KEY,
      templates: {
        self_completion_link: {
          sms: notifyEnv.NOTIFY_TEMPLATE_SELF_COMPLETION_SMS,
          email: notifyEnv.NOTIFY_TEMPLATE_SELF_COMPLETION_EMAIL,
        },
        appointment_reminder: {
          sms: notifyEnv.NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS,
          email: notifyEnv.NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL,
        },
      },
    });
    expect(makeTransport(config, null as never).name).toBe('notify');
    expect(makeTransport({ transport: 'dev' }, null as never).name).toBe('dev');
  });

  it('says everything that is missing for Notify, without repeating the key', () => {
    const problems = problemsOf({ MESSAGE_TRANSPORT: 'notify' });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'NOTIFY_API_KEY',
      'NOTIFY_TEMPLATE_SELF_COMPLETION_SMS',
      'NOTIFY_TEMPLATE_SELF_COMPLETION_EMAIL',
      'NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS',
      'NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL',
    ]);
    const badKey = problemsOf({ ...notifyEnv, NOTIFY_API_KEY: 'secret-looking-thing' });
    expect(badKey).toEqual([expect.stringMatching(/^NOTIFY_API_KEY: is not a GOV\.UK Notify API key/)]);
    expect(badKey.join()).not.toContain('secret-looking-thing');
  });

  it('refuses an unknown transport, a template id that is not one and a base URL that is not a URL', () => {
    expect(problemsOf({ MESSAGE_TRANSPORT: 'pigeon' })[0]).toMatch(/^MESSAGE_TRANSPORT: must be dev/);
    expect(problemsOf({ ...notifyEnv, NOTIFY_TEMPLATE_SELF_COMPLETION_SMS: 'welcome' })[0]).toMatch(
      /^NOTIFY_TEMPLATE_SELF_COMPLETION_SMS: must be the template’s id/,
    );
    expect(problemsOf({ ...notifyEnv, NOTIFY_BASE_URL: 'notify.local' })[0]).toMatch(
      /^NOTIFY_BASE_URL: must be a full URL/,
    );
  });
});
