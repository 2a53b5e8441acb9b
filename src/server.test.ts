import { describe, expect, it } from 'vitest';
import { shouldSeedDemo } from './server.ts';

describe('demo seed at start', () => {
  it('seeds an empty embedded database, and a server database only when asked', () => {
    expect(shouldSeedDemo('pglite', true, false)).toBe(true);
    expect(shouldSeedDemo('pglite', false, false)).toBe(false);
    expect(shouldSeedDemo('postgres', true, false)).toBe(false);
    expect(shouldSeedDemo('postgres', true, true)).toBe(true);
    expect(shouldSeedDemo('postgres', false, true)).toBe(false);
  });
});
