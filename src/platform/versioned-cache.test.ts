import { describe, expect, it } from 'vitest';
import { VersionedCache } from './versioned-cache.ts';

describe('VersionedCache', () => {
  it('computes once per key, and once for requests that arrive while it computes', async () => {
    const cache = new VersionedCache<number>(10, 60_000);
    let computed = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = async () => {
      computed += 1;
      await gate;
      return 42;
    };
    const waiting = [cache.get('a', slow), cache.get('a', slow), cache.get('a', slow)];
    release();
    expect(await Promise.all(waiting)).toEqual([42, 42, 42]);
    expect(await cache.get('a', slow)).toBe(42);
    expect(computed).toBe(1);
    expect(await cache.get('b', async () => 7)).toBe(7);
    expect(cache.stats).toEqual({ entries: 2, hits: 3, misses: 2, weight: 0 });
  });

  it('forgets a failed computation; those waiting for it compute their own', async () => {
    const cache = new VersionedCache<string>(10, 60_000);
    let fail!: (e: Error) => void;
    const failing = () =>
      new Promise<string>((_, reject) => {
        fail = reject;
      });
    const first = cache.get('k', failing);
    const second = cache.get('k', async () => 'own');
    fail(new Error('the database went away'));
    await expect(first).rejects.toThrow('the database went away');
    expect(await second).toBe('own');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
  });

  it('drops the least recently used beyond its size, and entries older than its age', async () => {
    let now = 0;
    const cache = new VersionedCache<string>(2, 1_000, () => now);
    await cache.get('a', async () => 'a1');
    await cache.get('b', async () => 'b1');
    await cache.get('a', async () => 'a2'); // a is now the most recent
    await cache.get('c', async () => 'c1'); // b goes
    expect(await cache.get('b', async () => 'b2')).toBe('b2');
    expect(await cache.get('a', async () => 'a3')).toBe('a3'); // a went when b came back (c, b were newer)
    now = 5_000;
    expect(await cache.get('b', async () => 'b3')).toBe('b3');
  });

  it('drops the least recently used until the rest weigh no more than allowed, keeping the newest', async () => {
    const cache = new VersionedCache<string>(100, 60_000, () => 0, { of: (v) => v.length, max: 10 });
    await cache.get('a', async () => 'aaaa');
    await cache.get('b', async () => 'bbbb');
    expect(cache.stats).toMatchObject({ entries: 2, weight: 8 });
    await cache.get('a', async () => 'unused'); // a is now the most recent
    await cache.get('c', async () => 'cccc'); // 12 > 10: b goes
    expect(cache.stats).toMatchObject({ entries: 2, weight: 8 });
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a') && cache.has('c')).toBe(true);
    await cache.refresh('c', async () => 'c'); // replaced: its old weight goes with it
    expect(cache.stats).toMatchObject({ entries: 2, weight: 5 });
    await cache.get('big', async () => 'x'.repeat(50)); // heavier than allowed alone: kept, the rest go
    expect(cache.stats).toMatchObject({ entries: 1, weight: 50 });
    cache.clear();
    expect(cache.stats).toMatchObject({ entries: 0, weight: 0 });
  });
});
