/** One problem in a field of a request, with a dotted path such as `roles.0.organisationId`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An RFC 9457 problem+json response from the Linkwork API. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[];
  readonly requestId: string | undefined;
  /** The problem's type URI, e.g. https://linkwork.nhs.uk/problems/version_conflict. */
  readonly type: string | undefined;
  /** On a stale edit: the version now stored. */
  readonly currentVersion: number | undefined;

  constructor(init: {
    status: number;
    type?: string | undefined;
    currentVersion?: number | undefined;
    title: string;
    detail?: string | undefined;
    errors?: FieldProblem[] | undefined;
    requestId?: string | undefined;
  }) {
    super(init.detail ?? init.title);
    this.name = 'ApiProblem';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
    this.type = init.type;
    this.currentVersion = init.currentVersion;
  }
}

export function isProblem(error: unknown, status?: number): error is ApiProblem {
  return error instanceof ApiProblem && (status === undefined || error.status === status);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  /** A 401 here means wrong credentials, not an expired session. */
  credentialsCheck?: boolean;
  /** A public endpoint, used without signing in: no CSRF token is sent and a 401 never ends the session. */
  anonymous?: boolean;
}

const session: { csrfToken: string | null } = { csrfToken: null };
let onSessionExpired: () => void = () => {};

/** Called with the signed-in user's token; null when signed out. */
export function setCsrfToken(token: string | null): void {
  session.csrfToken = token;
}

export function setSessionExpiredHandler(handler: () => void): void {
  onSessionExpired = handler;
}

async function toProblem(response: Response): Promise<ApiProblem> {
  const fallback = { status: response.status, title: response.statusText || 'Something went wrong' };
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return new ApiProblem(fallback);
  try {
    const body = (await response.json()) as Partial<{
      type: string;
      title: string;
      detail: string;
      errors: FieldProblem[];
      requestId: string;
      currentVersion: number;
    }>;
    return new ApiProblem({
      status: response.status,
      type: body.type,
      title: body.title ?? fallback.title,
      detail: body.detail,
      errors: Array.isArray(body.errors) ? body.errors : [],
      requestId: body.requestId,
      currentVersion: typeof body.currentVersion === 'number' ? body.currentVersion : undefined,
    });
  } catch {
    return new ApiProblem(fallback);
  }
}

async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let payload: string | undefined;
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body ?? {});
    if (session.csrfToken && !options.anonymous) headers['x-csrf-token'] = session.csrfToken;
  }

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiProblem({
      status: 0,
      title: 'Linkwork could not be reached',
      detail: 'Check your connection and try again.',
    });
  }

  if (!response.ok) {
    const problem = await toProblem(response);
    const endsSession = !options.credentialsCheck && !options.anonymous && session.csrfToken !== null;
    if (response.status === 401 && endsSession) {
      session.csrfToken = null;
      onSessionExpired();
    }
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body, options),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, body),
};

/** Builds `path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
