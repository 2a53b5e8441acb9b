import { z } from 'zod';
import { ConfigError } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../platform/clock.ts';
import {
  devTransport,
  type NotifyTemplates,
  notifyTransport,
  parseNotifyApiKey,
  type Transport,
} from './transports.ts';

export type MessagingConfig =
  | { transport: 'dev' }
  | { transport: 'notify'; baseUrl: string; apiKey: string; templates: NotifyTemplates };

const templateId = z.uuid('must be the template’s id from GOV.UK Notify, like 4a2b…-…');

const messagingEnv = z.object({
  MESSAGE_TRANSPORT: z
    .enum(['dev', 'notify'], {
      error: 'must be dev (messages shown on the Messages page) or notify (GOV.UK Notify)',
    })
    .default('dev'),
  NOTIFY_BASE_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be a full URL such as https://api.notifications.service.gov.uk',
    })
    .default('https://api.notifications.service.gov.uk'),
  NOTIFY_API_KEY: z.string().optional(),
  NOTIFY_TEMPLATE_SELF_COMPLETION_SMS: templateId.optional(),
  NOTIFY_TEMPLATE_SELF_COMPLETION_EMAIL: templateId.optional(),
  NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS: templateId.optional(),
  NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL: templateId.optional(),
});

const templateVariables = [
  'NOTIFY_TEMPLATE_SELF_COMPLETION_SMS',
  'NOTIFY_TEMPLATE_SELF_COMPLETION_EMAIL',
  'NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS',
  'NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL',
] as const;

/**
 * Which transport sends messages, from the environment. `notify` needs the API key and a Notify template for each
 * message and channel; anything missing or malformed is listed in one ConfigError, without echoing the key.
 */
export function readMessagingConfig(env: Record<string, string | undefined>): MessagingConfig {
  const given = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && v !== '' && k in messagingEnv.shape),
  );
  const parsed = messagingEnv.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  if (c.MESSAGE_TRANSPORT === 'dev') return { transport: 'dev' };
  const problems: string[] = [];
  if (!c.NOTIFY_API_KEY) {
    problems.push(
      'NOTIFY_API_KEY: is needed when MESSAGE_TRANSPORT=notify (make one on Notify’s API integration page)',
    );
  } else if (!parseNotifyApiKey(c.NOTIFY_API_KEY)) {
    problems.push('NOTIFY_API_KEY: is not a GOV.UK Notify API key (name, then two ids, joined by hyphens)');
  }
  for (const name of templateVariables) {
    if (!c[name])
      problems.push(`${name}: is needed when MESSAGE_TRANSPORT=notify (the template’s id in Notify)`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    transport: 'notify',
    baseUrl: c.NOTIFY_BASE_URL,
    apiKey: c.NOTIFY_API_KEY!,
    templates: {
      self_completion_link: {
        sms: c.NOTIFY_TEMPLATE_SELF_COMPLETION_SMS!,
        email: c.NOTIFY_TEMPLATE_SELF_COMPLETION_EMAIL!,
      },
      appointment_reminder: {
        sms: c.NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_SMS!,
        email: c.NOTIFY_TEMPLATE_APPOINTMENT_REMINDER_EMAIL!,
      },
    },
  };
}

/** The transport the configuration asks for. The development one writes to the database it is given. */
export function makeTransport(config: MessagingConfig, db: Db, clock?: Clock): Transport {
  return config.transport === 'notify'
    ? notifyTransport({ baseUrl: config.baseUrl, apiKey: config.apiKey, templates: config.templates })
    : devTransport(db, clock);
}
