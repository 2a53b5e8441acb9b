import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import {
  AppError,
  type FieldError,
  GoneError,
  httpStatusFor,
  TooManyRequestsError,
  VersionConflictError,
} from './errors.ts';

/** RFC 9457 problem details, the one error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  /** On a stale edit (409): the version now stored. */
  currentVersion?: number;
  /** On 410: why it can no longer be used (e.g. `used`, `expired`, `revoked`). */
  reason?: string;
  requestId: string;
}

const PROBLEM_BASE = 'https://linkwork.nhs.uk/problems/';

function send(reply: FastifyReply, problem: Problem) {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

function fieldName(path: string): string {
  return path.replace(/^\//, '').replaceAll('/', '.') || '(body)';
}

function validationErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((v) => {
    const field = fieldName(v.instancePath ?? '');
    const params = v.params as { keys?: string[]; input?: unknown; expected?: string };
    if (v.keyword === 'unrecognized_keys' && params.keys) {
      return {
        field: field === '(body)' ? params.keys.join(', ') : `${field}.${params.keys.join(', ')}`,
        message: `Remove ${params.keys.map((k) => `"${k}"`).join(', ')}: ${params.keys.length > 1 ? 'they are not fields' : 'it is not a field'} Linkwork accepts here`,
      };
    }
    if (v.keyword === 'invalid_type' && /received undefined/.test(v.message ?? '')) {
      return { field, message: `${field} is required` };
    }
    if (v.keyword === 'invalid_type' && field === '(body)') {
      return { field, message: 'Send a JSON object' };
    }
    return { field, message: v.message ?? 'This value is not valid' };
  });
}

const fastifyMessages: Record<number, string> = {
  400: 'The request could not be read. Send a valid JSON body with the content type application/json.',
  404: 'There is nothing at this address.',
  405: 'This address does not accept this method.',
  413: 'The request is too large. Send less data (at most 1 MB), or split it into several requests.',
  415: 'Send the request as JSON with the header Content-Type: application/json.',
};

/** The one mapping from errors to problem+json for the whole app. Nothing a client sends can produce a 500. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const base = { instance: request.url.split('?')[0], requestId: request.id };
  if (error instanceof AppError) {
    const { status, title } = httpStatusFor(error.code);
    if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
    return send(reply, {
      type: `${PROBLEM_BASE}${error.code}`,
      title,
      status,
      detail: error.message,
      ...(error.errors.length ? { errors: error.errors } : {}),
      ...(error instanceof VersionConflictError && error.currentVersion !== undefined
        ? { currentVersion: error.currentVersion }
        : {}),
      ...(error instanceof GoneError ? { reason: error.reason } : {}),
      ...base,
    });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = validationErrors(error);
    const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
    return send(reply, {
      type: `${PROBLEM_BASE}validation`,
      title: 'There is a problem with what was sent',
      status: 400,
      detail:
        errors.length === 1
          ? `${errors[0]!.message} (${where}: ${errors[0]!.field}).`
          : `There are ${errors.length} problems in the ${where}: see errors.`,
      errors,
      ...base,
    });
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500 && !isResponseSerializationError(error)) {
    const detail =
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'The body is empty. Send a JSON object (use {} when there is nothing to send).'
        : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
          ? 'The body is not valid JSON. Check for a missing quote, comma or bracket.'
          : (fastifyMessages[status] ?? error.message);
    if (status === 429) reply.header('retry-after', '60');
    return send(reply, {
      type: `${PROBLEM_BASE}http-${status}`,
      title: httpTitle(status),
      status,
      detail,
      ...base,
    });
  }
  const database = databaseErrorCode(error);
  const mapped = database ? databaseProblems[database] : undefined;
  if (mapped) {
    request.log.warn({ err: safeForLog(error) }, 'database refused a request');
    if (mapped.problem.status === 503) reply.header('retry-after', '60');
    return send(reply, { type: `${PROBLEM_BASE}${mapped.type}`, ...mapped.problem, ...base });
  }
  request.log.error({ err: safeForLog(error) }, 'unhandled error');
  return send(reply, {
    type: `${PROBLEM_BASE}internal`,
    title: 'Something went wrong on our side',
    status: 500,
    detail: `Linkwork could not finish this request. It has been logged; quote reference ${request.id} if you report it.`,
    ...base,
  });
}

function httpTitle(status: number): string {
  switch (status) {
    case 400:
      return 'The request could not be read';
    case 404:
      return 'Not found';
    case 405:
      return 'Method not allowed';
    case 413:
      return 'Request too large';
    case 415:
      return 'Unsupported content type';
    case 429:
      return 'Too many requests';
    default:
      return 'The request could not be completed';
  }
}

export function apiNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(reply, {
    type: `${PROBLEM_BASE}not_found`,
    title: 'Not found',
    status: 404,
    detail: `There is no API at ${request.method} ${request.url.split('?')[0]}. The API is described at /api/docs.`,
    instance: request.url.split('?')[0],
    requestId: request.id,
  });
}

/** The PostgreSQL SQLSTATE of an error, also when Drizzle wrapped it as `cause`. */
function databaseErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  const code =
    typeof e.cause?.code === 'string' ? e.cause.code : typeof e.code === 'string' ? e.code : undefined;
  return code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

// A race the services' own checks cannot see (two people saving at once) is a conflict, not a failure.
const conflict = {
  type: 'conflict',
  problem: {
    title: 'This conflicts with what is already recorded',
    status: 409,
    detail: 'Someone may have just made the same change. Reload the page to see the latest and try again.',
  },
};
const badValue = {
  type: 'validation',
  problem: {
    title: 'There is a problem with what was sent',
    status: 400,
    detail: 'A value was not in a form Linkwork can store. Check dates, numbers and ids, and try again.',
  },
};
// A statement that ran past the request's time limit (statement_timeout: the reports' bound, see deps.ts).
const tookTooLong = {
  type: 'service_unavailable',
  problem: {
    title: 'This took too long',
    status: 503,
    detail:
      'Linkwork stopped working this out because it took longer than one request may take: the server may be busy. Try again in a minute, or choose a shorter period.',
  },
};
const databaseProblems: Record<
  string,
  { type: string; problem: { title: string; status: number; detail: string } }
> = {
  '23505': conflict, // unique_violation
  '23503': conflict, // foreign_key_violation
  '40001': conflict, // serialization_failure
  '40P01': conflict, // deadlock_detected
  '22P02': badValue, // invalid_text_representation
  '22007': badValue, // invalid_datetime_format
  '22008': badValue, // datetime_field_overflow
  '22003': badValue, // numeric_value_out_of_range
  '22001': badValue, // string_data_right_truncation
  '22021': badValue, // character_not_in_repertoire (a NUL character in text)
  '22P05': badValue, // untranslatable_character
  '57014': tookTooLong, // query_canceled (statement_timeout)
};

/**
 * What of an error may go to the log: its kind, codes, the failing SQL text and the stack, never the message of a
 * database error or its parameters and detail, which can hold the very values a person typed.
 */
function safeForLog(error: unknown): Record<string, unknown> {
  const e = error as Error & { code?: unknown; query?: unknown; cause?: Record<string, unknown> };
  const cause = e.cause ?? {};
  const fromDatabase = databaseErrorCode(error) !== undefined || typeof e.query === 'string';
  return {
    type: e.name,
    code: cause.code ?? e.code,
    constraint: cause.constraint,
    table: cause.table,
    routine: cause.routine,
    query: typeof e.query === 'string' ? e.query : undefined,
    message: fromDatabase ? undefined : e.message,
    stack: e.stack?.split('\n').slice(1).join('\n'),
  };
}
