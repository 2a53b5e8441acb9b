/**
 * Results kept in memory under a key that names the data they were computed from (a version the database moves
 * whenever that data changes), so an expensive aggregate is computed once per change of its data rather than once
 * per request. Requests for the same key while it is being computed wait for that one computation; if it fails,
 * each computes its own. Bounded by entries (least recently used goes first) and by age, and, where the caller
 * says what a value weighs (roughly its bytes, say), by the weight of the values kept: the least recently used go
 * until the rest weigh no more than allowed (the newest always stays).
 *
 * Holds aggregates only: callers must not put a person's data in it.
 */
interface Entry<T> {
  at: number;
  value: Promise<T>;
  /** Counted once the value is there. */
  weight: number;
}

export class VersionedCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  #hits = 0;
  #misses = 0;
  #weight = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => Date.now(),
    private readonly weights?: { of(value: T): number; max: number },
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
    const entry: Entry<T> = { at: this.now(), value, weight: 0 };
    this.#keep(key, entry);
    // A failed computation is not kept (and does not become an unhandled rejection here).
    value.then(
      (v) => this.#weigh(key, entry, v),
      () => {
        if (this.#entries.get(key) === entry) this.#remove(key);
      },
    );
    return value;
  }

  /**
   * Computes a key's value afresh and keeps it once it is there, while readers go on getting the one kept (for a
   * background job that refreshes what people ask for most before it grows old). A failure keeps the old one.
   */
  async refresh(key: string, compute: () => Promise<T>): Promise<void> {
    const value = await compute();
    const entry: Entry<T> = { at: this.now(), value: Promise.resolve(value), weight: 0 };
    this.#keep(key, entry);
    this.#weigh(key, entry, value);
  }

  /** Whether a key's value is kept and young enough to be read (not counted as a hit or a miss). */
  has(key: string): boolean {
    const found = this.#entries.get(key);
    return found !== undefined && this.now() - found.at <= this.maxAgeMs;
  }

  get stats(): { entries: number; hits: number; misses: number; weight: number } {
    return { entries: this.#entries.size, hits: this.#hits, misses: this.#misses, weight: this.#weight };
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  #keep(key: string, entry: Entry<T>): void {
    this.#remove(key);
    this.#entries.set(key, entry);
    this.#trim();
  }

  #weigh(key: string, entry: Entry<T>, value: T): void {
    if (!this.weights || this.#entries.get(key) !== entry) return;
    entry.weight = this.weights.of(value);
    this.#weight += entry.weight;
    this.#trim();
  }

  #remove(key: string): void {
    const found = this.#entries.get(key);
    if (!found) return;
    this.#weight -= found.weight;
    this.#entries.delete(key);
  }

  #trim(): void {
    const max = this.weights?.max ?? Number.POSITIVE_INFINITY;
    while (this.#entries.size > this.maxEntries || (this.#weight > max && this.#entries.size > 1)) {
      this.#remove(this.#entries.keys().next().value as string);
    }
  }
}
