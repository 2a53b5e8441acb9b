import { expect, it } from 'vitest';
import { call, type TestApp } from './factories.ts';
import type { UserKey, World } from './world.ts';

/** One row of the access matrix: who calls what, and the status they must get. */
export interface AccessCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string | ((w: World) => string);
  as: UserKey | 'anonymous';
  body?: unknown | ((w: World) => unknown);
  expect: number;
  why?: string;
}

/**
 * Runs each row as its own test. Later modules add their routes as more rows; the point is that every route
 * appears with the roles that may use it, the roles that may not, and someone from another tenant.
 */
export function accessMatrix(
  cases: AccessCase[],
  ctx: () => { t: TestApp; world: World; session: (k: UserKey) => Promise<import('./factories.ts').Session> },
) {
  for (const c of cases) {
    const label = `${c.method} ${typeof c.url === 'string' ? c.url : c.url.toString().replace(/^\(?\w*\)? => /, '')} as ${c.as} → ${c.expect}${c.why ? ` (${c.why})` : ''}`;
    it(label, async () => {
      const { t, world, session } = ctx();
      const url = typeof c.url === 'function' ? c.url(world) : c.url;
      const body = typeof c.body === 'function' ? (c.body as (w: World) => unknown)(world) : c.body;
      const s = c.as === 'anonymous' ? null : await session(c.as);
      const res = await call(t, s, c.method, url, body);
      expect(res.statusCode, res.body).toBe(c.expect);
      if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
    });
  }
}
