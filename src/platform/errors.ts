export interface FieldError {
  /** Dotted path to the field, e.g. `contexts.0.effectiveFrom`. */
  field: string;
  message: string;
}

export type AppErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'too_many_requests'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'service_unavailable'
  | 'gone';

/** The one family of domain errors; services throw these, one handler maps them to problem+json. */
export abstract class AppError extends Error {
  abstract readonly code: AppErrorCode;
  readonly errors: FieldError[];
  constructor(message: string, errors: FieldError[] = []) {
    super(message);
    this.name = new.target.name;
    this.errors = errors;
  }
}

export class ValidationError extends AppError {
  readonly code = 'validation' as const;
  constructor(message: string, fieldOrErrors?: { field: string } | FieldError[]) {
    super(
      message,
      Array.isArray(fieldOrErrors)
        ? fieldOrErrors
        : fieldOrErrors
          ? [{ field: fieldOrErrors.field, message }]
          : [],
    );
  }
}
export class UnauthenticatedError extends AppError {
  readonly code = 'unauthenticated' as const;
}
export class ForbiddenError extends AppError {
  readonly code = 'forbidden' as const;
}
export class NotFoundError extends AppError {
  readonly code = 'not_found' as const;
}
export class ConflictError extends AppError {
  readonly code = 'conflict' as const;
}
export class VersionConflictError extends AppError {
  readonly code = 'version_conflict' as const;
  constructor(
    what: string,
    /** The version now stored, so a client can reload or show what changed. */
    readonly currentVersion?: number,
  ) {
    super(
      `This ${what} was changed by someone else since you opened it. Reload it and make your change again.`,
    );
  }
}
export class TooManyRequestsError extends AppError {
  readonly code = 'too_many_requests' as const;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'unsupported_media_type' as const;
}
export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large' as const;
}
export class ServiceUnavailableError extends AppError {
  readonly code = 'service_unavailable' as const;
}

/** Something that existed and can no longer be used (a used, expired or revoked link), and why. */
export class GoneError extends AppError {
  readonly code = 'gone' as const;
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

export function assertUnreachable(x: never): never {
  throw new Error(`Unhandled case: ${String(x)}`);
}

export function httpStatusFor(code: AppErrorCode): { status: number; title: string } {
  switch (code) {
    // Well-formed but against a rule (a date of birth in the future, a practice under an ICB): 422. Requests the
    // schema cannot read at all are 400, answered in problem.ts.
    case 'validation':
      return { status: 422, title: 'There is a problem with what was sent' };
    case 'unauthenticated':
      return { status: 401, title: 'You need to sign in' };
    case 'forbidden':
      return { status: 403, title: 'You do not have permission to do this' };
    case 'not_found':
      return { status: 404, title: 'Not found' };
    case 'conflict':
      return { status: 409, title: 'This conflicts with what is already recorded' };
    case 'version_conflict':
      return { status: 409, title: 'Changed by someone else' };
    case 'too_many_requests':
      return { status: 429, title: 'Too many attempts' };
    case 'unsupported_media_type':
      return { status: 415, title: 'Unsupported content type' };
    case 'payload_too_large':
      return { status: 413, title: 'Request too large' };
    case 'service_unavailable':
      return { status: 503, title: 'Service unavailable' };
    case 'gone':
      return { status: 410, title: 'This can no longer be used' };
    default:
      return assertUnreachable(code);
  }
}
