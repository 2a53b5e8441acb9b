import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeNotify, startFakeNotify } from './fake-notify.ts';
import { renderTemplate } from './templates.ts';
import {
  notifyToken,
  notifyTransport,
  type OutgoingMessage,
  parseNotifyApiKey,
  type Transport,
  TransportError,
} from './transports.ts';

const templates = {
  self_completion_link: { sms: randomUUID(), email: randomUUID() },
  appointment_reminder: { sms: randomUUID(), email: randomUUID() },
};

const sms = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: randomUUID(),
  organisationId: randomUUID(),
  channel: 'sms',
  template: 'self_completion_link',
  recipient: '+447700900123',
  personalisation: {
    name: 'Ada',
    link: 'https://linkwork.example/m/abc',
    expires: 'Friday 4 December 2026',
    service: 'PCN A1',
  },
  ...over,
});

async function failureOf(transport: Transport, message: OutgoingMessage): Promise<TransportError> {
  const error = await transport.send(message).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TransportError)) throw new Error(`expected a TransportError, got ${String(error)}`);
  return error;
}

describe('the GOV.UK Notify transport against a local server speaking the Notify API', () => {
  let notify: FakeNotify;
  let transport: Transport;
  beforeAll(async () => {
    notify = await startFakeNotify({
      templateIds: Object.values(templates).flatMap((t) => [t.sms, t.email]),
    });
    transport = notifyTransport({ baseUrl: notify.baseUrl, apiKey: notify.apiKey, templates });
  });
  afterAll(() => notify.close());

  it('sends a text message with a signed token, and gives back Notify’s id', async () => {
    const message = sms();
    const { providerId } = await transport.send(message);
    const received = notify.sent.find((n) => n.id === providerId);
    expect(received).toEqual({
      id: providerId,
      type: 'sms',
      body: {
        phone_number: '+447700900123',
        template_id: templates.self_completion_link.sms,
        personalisation: message.personalisation,
        reference: message.id,
      },
    });
  });

  it('sends an email to the email endpoint with the email template', async () => {
    const message = sms({
      channel: 'email',
      template: 'appointment_reminder',
      recipient: 'ada@example.com',
      personalisation: {
        name: 'Ada',
        when: 'Friday 27 November 2026 at 10:30am',
        where: 'Library',
        service: 'PCN',
      },
    });
    const { providerId } = await transport.send(message);
    expect(notify.sent.find((n) => n.id === providerId)?.body).toMatchObject({
      email_address: 'ada@example.com',
      template_id: templates.appointment_reminder.email,
    });
  });

  it('says a 400 (a number Notify will not send to) will fail again, and keeps Notify’s error', async () => {
    const error = await failureOf(transport, sms({ recipient: '+441632960001' }));
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(error.message).toBe(
      'GOV.UK Notify answered 400: ValidationError: phone_number Not a UK mobile number',
    );
  });

  it('says a rate limit (429) and Notify’s own faults (500, 503) may work later', async () => {
    notify.failNext(429, 500, 503);
    for (const status of [429, 500, 503]) {
      expect(await failureOf(transport, sms())).toMatchObject({ retryable: true, status });
    }
    await expect(transport.send(sms())).resolves.toHaveProperty('providerId');
  });

  it('is refused (403, not retryable) with a key whose secret is wrong: the server checks the signature', async () => {
    const key = parseNotifyApiKey(notify.apiKey)!;
    const wrong = notifyTransport({
      baseUrl: notify.baseUrl,
      apiKey: `linkwork_test-${key.serviceId}-${randomUUID()}`,
      templates,
    });
    const error = await failureOf(wrong, sms());
    expect(error).toMatchObject({ retryable: false, status: 403 });
    expect(error.message).toContain('AuthError');
  });

  it('is refused when the token’s clock is more than 30 seconds out', async () => {
    const late = notifyTransport({
      baseUrl: notify.baseUrl,
      apiKey: notify.apiKey,
      templates,
      clock: { now: () => new Date(Date.now() - 60_000) },
    });
    expect((await failureOf(late, sms())).message).toContain('system clock must be accurate');
  });

  it('fails at once, without calling Notify, for a template with no Notify id for the channel', async () => {
    const partial = notifyTransport({
      baseUrl: notify.baseUrl,
      apiKey: notify.apiKey,
      templates: { ...templates, appointment_reminder: { sms: templates.appointment_reminder.sms } },
    });
    const before = notify.sent.length;
    const error = await failureOf(
      partial,
      sms({ channel: 'email', template: 'appointment_reminder', recipient: 'a@b.co' }),
    );
    expect(error).toMatchObject({ retryable: false, status: null });
    expect(notify.sent.length).toBe(before);
  });

  it('treats a server that cannot be reached, or does not answer in time, as worth trying again', async () => {
    const closed = notifyTransport({ baseUrl: 'http://127.0.0.1:9', apiKey: notify.apiKey, templates });
    expect(await failureOf(closed, sms())).toMatchObject({ retryable: true, status: null });

    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = notifyTransport({
        baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        apiKey: notify.apiKey,
        templates,
        timeoutMs: 200,
      });
      const error = await failureOf(slow, sms());
      expect(error).toMatchObject({ retryable: true });
      expect(error.message).toContain('did not answer');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('never puts the recipient or the personalisation in an error message', async () => {
    notify.failNext(400);
    const message = sms();
    const error = await failureOf(transport, message);
    for (const secret of [message.recipient, ...Object.values(message.personalisation)]) {
      expect(error.message).not.toContain(secret);
    }
  });
});

describe('Notify API keys and tokens', () => {
  it('reads the service id and secret from the end of a key whose name has hyphens', () => {
    const serviceId = '26785a09-ab16-4eb0-8407-a37497a57506';
    const secret = '3d844edf-8d35-48ac-975b-e847b4f122b0';
    expect(parseNotifyApiKey(`my-test-key-${serviceId}-${secret}`)).toEqual({ serviceId, secret });
    expect(parseNotifyApiKey(`${serviceId}-${secret}`)).toBeNull();
    expect(parseNotifyApiKey('not a key')).toBeNull();
  });

  it('makes an HS256 JWT with iss and iat that verifies with the secret', () => {
    const token = notifyToken('service-id', 'secret', new Date('2026-11-26T09:00:00Z'));
    const [header, claims, signature] = token.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toEqual({
      iss: 'service-id',
      iat: Date.parse('2026-11-26T09:00:00Z') / 1000,
    });
    expect(signature).toBe(createHmac('sha256', 'secret').update(`${header}.${claims}`).digest('base64url'));
  });
});

describe('message texts', () => {
  it('fills every placeholder of every template and channel', () => {
    const values = {
      name: 'Ada',
      link: 'https://x/y',
      expires: 'Friday',
      service: 'PCN A1',
      when: 'W',
      where: 'X',
    };
    for (const template of ['self_completion_link', 'appointment_reminder'] as const) {
      for (const channel of ['sms', 'email'] as const) {
        const { subject, body } = renderTemplate(template, channel, values);
        expect(`${subject ?? ''}${body}`).not.toMatch(/\(\(/);
        expect(body).toContain('Ada');
        expect(subject === null).toBe(channel === 'sms');
      }
    }
  });
});
