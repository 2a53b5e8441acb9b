import { createHmac } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { type Clock, systemClock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { devMessages } from './schema.ts';
import { type MessageChannel, type MessageTemplate, renderTemplate } from './templates.ts';

/** One message on its way out: what a transport needs, nothing more. */
export interface OutgoingMessage {
  /** The outbox row's id: the transport's reference for it. */
  id: string;
  organisationId: string;
  channel: MessageChannel;
  template: MessageTemplate;
  recipient: string;
  personalisation: Record<string, string>;
}

export interface Transport {
  /** Recorded on each sent message: `notify`, `dev`. */
  name: string;
  /** Sends one message; throws a TransportError saying whether trying again later may work. */
  send(message: OutgoingMessage): Promise<{ providerId: string }>;
}

/**
 * A failed send. `retryable`: the network, a rate limit or the provider's own fault (try again later);
 * otherwise the message itself or the set-up is wrong and trying again will not help. The message text never holds
 * the recipient or the personalisation.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export type NotifyTemplates = Record<MessageTemplate, { sms?: string; email?: string }>;

export interface NotifyOptions {
  /** https://api.notifications.service.gov.uk, or a service that speaks the same API. */
  baseUrl: string;
  /** `{key_name}-{service id}-{secret}`, as Notify shows it once when the key is made. */
  apiKey: string;
  /** Notify's template id for each of our templates, per channel. */
  templates: NotifyTemplates;
  /** Give up on one request after this long; it counts as a network error (default 20 s, well inside the lease). */
  timeoutMs?: number;
  /**
   * Wall-clock time for the token's `iat`. Notify refuses tokens more than 30 seconds from its own clock, so this is
   * real time, not the app's (injectable, possibly simulated) clock.
   */
  clock?: Clock;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const apiKeyPattern = new RegExp(`^.+-(${UUID})-(${UUID})$`, 'i');

/**
 * The service id and secret inside a Notify API key: the last 36 characters are the secret, the 36 before the
 * separating hyphen the service id (notifications-node-client, client/api_client.js: `apiKeyId =
 * key.substring(key.length - 36)`, `serviceId = key.substring(key.length - 73, key.length - 37)`).
 */
export function parseNotifyApiKey(apiKey: string): { serviceId: string; secret: string } | null {
  const m = apiKeyPattern.exec(apiKey.trim());
  return m ? { serviceId: m[1]!, secret: m[2]! } : null;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * The bearer token Notify expects: a JWT signed HS256 with the key's secret, header {typ: JWT, alg: HS256}, claims
 * {iss: service id, iat: seconds now} (Notify REST API docs, "Authorisation header"; notifications-node-client,
 * client/authentication.js). Made with node:crypto: three base64url parts and an HMAC, no JWT library needed.
 */
export function notifyToken(serviceId: string, secret: string, now: Date): string {
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const claims = base64url(JSON.stringify({ iss: serviceId, iat: Math.floor(now.getTime() / 1000) }));
  const signature = createHmac('sha256', secret).update(`${header}.${claims}`).digest();
  return `${header}.${claims}.${base64url(signature)}`;
}

/** Notify's error body: `{status_code, errors: [{error, message}]}` (Notify REST API docs, "Error messages"). */
function describeNotifyErrors(body: unknown): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return 'no error details given';
  return errors
    .slice(0, 3)
    .map((e) => {
      const { error, message } = (e ?? {}) as { error?: unknown; message?: unknown };
      return [error, message].filter((s) => typeof s === 'string').join(': ');
    })
    .join('; ')
    .slice(0, 400);
}

/**
 * GOV.UK Notify, REST API v2: POST /v2/notifications/sms {phone_number, template_id, personalisation, reference}
 * and POST /v2/notifications/email {email_address, …}; 201 with the notification's `id`. 400 (bad number, bad
 * template, trial mode) and 403 (bad key, clock) will fail again however often they are tried; 429 (rate or daily
 * limit) and 5xx will not (Notify tech docs: "Send a text message", "Send an email", "Error messages").
 */
export function notifyTransport(options: NotifyOptions): Transport {
  const key = parseNotifyApiKey(options.apiKey);
  if (!key)
    throw new Error('The GOV.UK Notify API key is not in the form Notify gives: name-serviceid-secret');
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 20_000;

  return {
    name: 'notify',
    async send(message) {
      const templateId = options.templates[message.template]?.[message.channel];
      if (!templateId) {
        throw new TransportError(
          `No GOV.UK Notify template is set for ${message.template} by ${message.channel === 'sms' ? 'text message' : 'email'}`,
          false,
        );
      }
      const body =
        message.channel === 'sms'
          ? { phone_number: message.recipient }
          : { email_address: message.recipient };
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/v2/notifications/${message.channel}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${notifyToken(key.serviceId, key.secret, clock.now())}`,
            'user-agent': 'linkwork',
          },
          body: JSON.stringify({
            ...body,
            template_id: templateId,
            personalisation: message.personalisation,
            // Our id, so a message can be found in Notify without any personal data.
            reference: message.id,
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError';
        throw new TransportError(
          timedOut
            ? `GOV.UK Notify did not answer within ${timeoutMs / 1000} seconds`
            : 'GOV.UK Notify could not be reached',
          true,
        );
      }
      const answer: unknown = await response.json().catch(() => null);
      if (response.status === 201 || response.status === 200) {
        const id = (answer as { id?: unknown } | null)?.id;
        if (typeof id === 'string' && id) return { providerId: id };
        throw new TransportError(
          'GOV.UK Notify accepted the message but did not say its id: check Notify before sending it again',
          false,
          response.status,
        );
      }
      const retryable = response.status === 429 || response.status >= 500;
      throw new TransportError(
        `GOV.UK Notify answered ${response.status}: ${describeNotifyErrors(answer)}`,
        retryable,
        response.status,
      );
    },
  };
}

/** `…/r/<token>` → `…/r/…`: the development inbox shows that a link was sent, never the link itself. */
export const maskCompletionTokens = (text: string) => text.replace(/\/r\/[A-Za-z0-9_-]+/g, '/r/…');

/**
 * Sends nothing: renders the message and keeps it for the organisation's administrators to read on the Messages
 * page (how self-completion links reach people in development and demos).
 */
export function devTransport(db: Db, clock: Clock = systemClock): Transport {
  return {
    name: 'dev',
    async send(message) {
      const now = clock.now();
      const rendered = renderTemplate(message.template, message.channel, message.personalisation);
      // A self-completion link's token is a key, shown once to the link worker: the inbox keeps it masked.
      const subject = rendered.subject;
      const body = maskCompletionTokens(rendered.body);
      const id = newId();
      await inTransaction(db, { system: true, now }, (tx) =>
        tx.insert(devMessages).values({
          id,
          outboxId: message.id,
          organisationId: message.organisationId,
          channel: message.channel,
          recipient: message.recipient,
          subject,
          body,
          createdAt: now,
        }),
      );
      return { providerId: id };
    },
  };
}
