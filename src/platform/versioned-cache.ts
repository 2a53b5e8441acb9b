/**
 * Results kept in memory under a key that names the data they were computed from (a version the database moves
 * whenever that data changes), so an expensive aggregate is computed once per change of its data rather than once
 * per request. Requests for the same key while it is being computed wait for that one computation; if it fails,
 * each computes its own. Bounded by entries (least recently used goes first) and by age.
 *
 * Holds aggregates only: callers must not put a person's data in it.
 */
export class VersionedCache<T> {
  readonly #entries = new Map<string, { at: number; value: Promise<T> }>();
  #hits = 0;
  #misses = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const found = this.#entries.get(key);
    if (found && this.now() - found.at <= this.maxAgeMs) {
      // Most recently used goes to the end of the map's order.
      this.#entries.delete(key);
      this.#entries.set(key, found);
      this.#hits += 1;
      try {
        return await found.value;
      } catch {
        return compute();
      }
    }
    this.#misses += 1;
    const value = compute();
    const entry = { at: this.now(), value };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    // A failed computation is not kept (and does not become an unhandled rejection here).
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }

  /**
   * Computes a key's value afresh and keeps it once it is there, while readers go on getting the one kept (for a
   * background job that refreshes what people ask for most before it grows old). A failure keeps the old one.
   */
  async refresh(key: string, compute: () => Promise<T>): Promise<void> {
    const value = await compute();
    this.#entries.delete(key);
    this.#entries.set(key, { at: this.now(), value: Promise.resolve(value) });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** Whether a key's value is kept and young enough to be read (not counted as a hit or a miss). */
  has(key: string): boolean {
    const found = this.#entries.get(key);
    return found !== undefined && this.now() - found.at <= this.maxAgeMs;
  }

  get stats(): { entries: number; hits: number; misses: number } {
    return { entries: this.#entries.size, hits: this.#hits, misses: this.#misses };
  }

  clear(): void {
    this.#entries.clear();
  }
}
