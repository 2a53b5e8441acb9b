import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normaliseEmail, normaliseUkMobile } from './recipients.ts';

/** A notification the stand-in accepted. */
export interface FakeNotification {
  id: string;
  type: 'sms' | 'email';
  body: Record<string, unknown>;
}

export interface FakeNotify {
  baseUrl: string;
  /** `{name}-{service id}-{secret}`, a key this stand-in accepts. */
  apiKey: string;
  serviceId: string;
  sent: FakeNotification[];
  /** Answer the next requests with these statuses (Notify-shaped error bodies), in order, before accepting again. */
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

const notifyError = (status: number, error: string, message: string) => ({
  status_code: status,
  errors: [{ error, message }],
});

const cannedErrors: Record<number, [string, string]> = {
  400: ['BadRequestError', 'Cannot send to this recipient when service is in trial mode'],
  403: ['AuthError', 'Invalid token: API key not found'],
  429: ['RateLimitError', 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds'],
  500: ['Exception', 'Internal server error'],
  503: ['Exception', 'Service unavailable'],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fromBase64url(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * A local stand-in for GOV.UK Notify's REST API v2 send endpoints, for tests and local trials of the Notify
 * transport. Like Notify it checks the bearer JWT (HS256 signature with the key's secret, `iss` the service id,
 * `iat` within 30 seconds of now), validates the body (required fields, no unknown ones, a UK mobile number or an
 * email address, a known template id) and answers 201 with the notification's id, or Notify's error shape.
 */
export async function startFakeNotify(options: {
  templateIds: string[];
  keyName?: string;
}): Promise<FakeNotify> {
  const serviceId = randomUUID();
  const secret = randomUUID();
  const templates = new Set(options.templateIds);
  const sent: FakeNotification[] = [];
  const failures: number[] = [];

  function checkToken(req: IncomingMessage): string | null {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const parts = token.split('.');
    if (parts.length !== 3) return 'Unauthorized: authentication token must be provided';
    const [head, claimsPart, signature] = parts as [string, string, string];
    const h = fromBase64url(head) as { typ?: string; alg?: string } | null;
    if (h?.alg !== 'HS256' || h.typ !== 'JWT') return 'Invalid token: algorithm used is not HS256';
    const expected = createHmac('sha256', secret).update(`${head}.${claimsPart}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return 'Invalid token: signature, api token not found';
    }
    const claims = fromBase64url(claimsPart) as { iss?: unknown; iat?: unknown } | null;
    if (claims?.iss !== serviceId) return 'Invalid token: service not found';
    if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > 30) {
      return 'Error: Your system clock must be accurate to within 30 seconds';
    }
    return null;
  }

  function validate(type: 'sms' | 'email', body: unknown): string[] {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['Request body is not JSON'];
    const b = body as Record<string, unknown>;
    const recipientField = type === 'sms' ? 'phone_number' : 'email_address';
    const allowed = new Set([
      recipientField,
      'template_id',
      'personalisation',
      'reference',
      type === 'sms' ? 'sms_sender_id' : 'email_reply_to_id',
    ]);
    const problems: string[] = [];
    for (const key of Object.keys(b)) {
      if (!allowed.has(key)) problems.push(`Additional properties are not allowed (${key} was unexpected)`);
    }
    if (typeof b[recipientField] !== 'string') problems.push(`${recipientField} is a required property`);
    else if (type === 'sms' && !normaliseUkMobile(b[recipientField] as string)) {
      problems.push('phone_number Not a UK mobile number');
    } else if (type === 'email' && !normaliseEmail(b[recipientField] as string)) {
      problems.push('email_address Not a valid email address');
    }
    if (typeof b.template_id !== 'string') problems.push('template_id is a required property');
    else if (!UUID.test(b.template_id)) problems.push('template_id is not a valid UUID');
    if (b.personalisation !== undefined) {
      const p = b.personalisation;
      if (typeof p !== 'object' || p === null || Array.isArray(p)) {
        problems.push('personalisation is not of type object');
      }
    }
    if (b.reference !== undefined && typeof b.reference !== 'string')
      problems.push('reference is not of type string');
    return problems;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const match = /^\/v2\/notifications\/(sms|email)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return answer(404, notifyError(404, 'NotFound', 'Not found'));
    const type = match[1] as 'sms' | 'email';
    const tokenProblem = checkToken(req);
    if (tokenProblem) return answer(403, notifyError(403, 'AuthError', tokenProblem));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(400, notifyError(400, 'BadRequestError', 'Invalid JSON supplied in POST data'));
    }
    const failure = failures.shift();
    if (failure !== undefined) {
      const [error, message] = cannedErrors[failure] ?? ['Exception', 'Something went wrong'];
      return answer(failure, notifyError(failure, error, message));
    }
    const problems = validate(type, body);
    if (problems.length) {
      return answer(400, {
        status_code: 400,
        errors: problems.map((message) => ({ error: 'ValidationError', message })),
      });
    }
    const b = body as { template_id: string; reference?: string };
    if (!templates.has(b.template_id))
      return answer(400, notifyError(400, 'BadRequestError', 'Template not found'));
    const id = randomUUID();
    sent.push({ id, type, body: body as Record<string, unknown> });
    return answer(201, {
      id,
      reference: b.reference ?? null,
      content:
        type === 'sms'
          ? { body: '…', from_number: 'LINKWORK' }
          : { body: '…', subject: '…', from_email: 'x@y' },
      uri: `/v2/notifications/${id}`,
      template: { id: b.template_id, version: 1, uri: `/v2/template/${b.template_id}` },
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(notifyError(500, 'Exception', 'Internal server error')));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: `${options.keyName ?? 'linkwork_test'}-${serviceId}-${secret}`,
    serviceId,
    sent,
    failNext: (...statuses) => failures.push(...statuses),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
