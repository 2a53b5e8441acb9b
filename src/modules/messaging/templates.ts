import type { messageChannels } from './schema.ts';

export type MessageChannel = (typeof messageChannels)[number];

export const messageTemplates = ['self_completion_link', 'appointment_reminder'] as const;
export type MessageTemplate = (typeof messageTemplates)[number];

/** The personalisation each template needs: every key, and no others. */
export const templatePersonalisation = {
  /** `expires` is a readable date (see `readableDate`); `service` is the PCN's name. */
  self_completion_link: ['name', 'link', 'expires', 'service'],
  /** `when` is a readable date and time (see `readableDateTime`); `where` a place or how you will meet. */
  appointment_reminder: ['name', 'when', 'where', 'service'],
} as const satisfies Record<MessageTemplate, readonly string[]>;

export type PersonalisationFor<T extends MessageTemplate> = Record<
  (typeof templatePersonalisation)[T][number],
  string
>;

interface TemplateText {
  subject: string;
  body: string;
}

/**
 * The words of each message, in Notify's `((placeholder))` style so they can be pasted into GOV.UK Notify templates
 * as they are. The development transport renders these; with Notify, Notify renders its own copy of them.
 */
export const templateTexts: Record<MessageTemplate, Record<MessageChannel, TemplateText>> = {
  self_completion_link: {
    sms: {
      subject: '',
      body:
        'Hello ((name)), ((service)) would like to know how you are getting on. ' +
        'Please answer a few short questions: ((link))\n' +
        'The link works until ((expires)). Do not share it with anyone.',
    },
    email: {
      subject: 'A few questions from ((service))',
      body:
        'Hello ((name)),\n\n' +
        '((service)) would like to know how you are getting on. It takes about 5 minutes to answer a few short ' +
        'questions. Open this link to start:\n\n' +
        '((link))\n\n' +
        'The link works until ((expires)). It is just for you, so please do not share it.\n\n' +
        'If you were not expecting this email, you can ignore it.',
    },
  },
  appointment_reminder: {
    sms: {
      subject: '',
      body:
        'Hello ((name)), a reminder of your appointment with ((service)) on ((when)). ' +
        'Where: ((where)). If you cannot make it, please let your link worker know.',
    },
    email: {
      subject: 'Your appointment with ((service)) on ((when))',
      body:
        'Hello ((name)),\n\n' +
        'This is a reminder of your appointment with ((service)).\n\n' +
        'When: ((when))\n' +
        'Where: ((where))\n\n' +
        'If you cannot make it, please let your link worker know.',
    },
  },
};

const fill = (text: string, personalisation: Record<string, string>) =>
  text.replace(/\(\(([a-z_]+)\)\)/g, (whole, key: string) => personalisation[key] ?? whole);

/** The message as the person would read it. */
export function renderTemplate(
  template: MessageTemplate,
  channel: MessageChannel,
  personalisation: Record<string, string>,
): { subject: string | null; body: string } {
  const text = templateTexts[template][channel];
  return {
    subject: channel === 'email' ? fill(text.subject, personalisation) : null,
    body: fill(text.body, personalisation),
  };
}

const londonDay = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** `Friday 27 November 2026`, in England. */
export function readableDate(instant: Date): string {
  const parts = londonDay.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** `Friday 27 November 2026 at 10:30am` (GOV.UK style: no space before am/pm, no leading zero), in England. */
export function readableDateTime(instant: Date): string {
  const parts = londonTime.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = Number(part('hour')) || 12;
  return `${readableDate(instant)} at ${hour}:${part('minute')}${part('dayPeriod').toLowerCase().replaceAll('.', '')}`;
}
