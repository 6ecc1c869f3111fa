// A small in-process cache of public catalogue data, keyed by URL slug and dropped by product id when the
// catalogue change feed (the outbox this instance's search follower applies) reports a change.
//
// Correctness rules (docs/decisions/0010-product-page-cache.md):
// - Used only while the feed is live (`enabled()`): the follower has built its index and polled within a
//   few seconds. Otherwise every call reads the database, so a stuck feed can never serve old data long.
// - A load that overlaps a reported change is returned to its caller but not kept: the change may have
//   committed after the load read the database, and its eviction may already have happened.
// - Entries also expire after `ttlMs`, for data the feed does not carry (a reviewer renaming themselves).
// - Misses for one key share one load (no stampede on a cold popular page).

export type PageCacheOptions = { max?: number; ttlMs?: number; enabled: () => boolean; now?: () => number };
type Entry<T> = { value: T; productId: number; expires: number };
export type Loaded<T> = { value: T; productId: number } | null;

export class PageCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inflight = new Map<string, Promise<Loaded<T>>>();
  private generation = 0;
  hits = 0;
  misses = 0;
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: PageCacheOptions) {
    this.max = options.max ?? 5_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  get size() {
    return this.entries.size;
  }

  async get(key: string, load: () => Promise<Loaded<T>>): Promise<T | null> {
    if (!this.options.enabled()) {
      if (this.entries.size) this.entries.clear();
      return (await load())?.value ?? null;
    }
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) {
      this.hits++;
      // least recently used goes first: re-insert at the end
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value;
    }
    this.misses++;
    let pending = this.inflight.get(key);
    if (!pending) {
      const generation = this.generation;
      const started: Promise<Loaded<T>> = load().finally(() => {
        if (this.inflight.get(key) === started) this.inflight.delete(key);
      });
      started.then(
        (loaded) => {
          // not found is not kept (a product being listed must appear at once); neither is a load a change overlapped
          if (loaded && generation === this.generation && this.options.enabled()) this.store(key, loaded);
        },
        () => undefined, // the caller gets the error
      );
      this.inflight.set(key, started);
      pending = started;
    }
    return (await pending)?.value ?? null;
  }

  /** The feed reported these products changed ('all': anything may have). */
  changed(ids: number[] | 'all') {
    this.generation++;
    // loads already running started before the change was reported: they are answered but not kept
    this.inflight.clear();
    if (ids === 'all') {
      this.entries.clear();
      return;
    }
    const set = new Set(ids);
    for (const [key, entry] of this.entries) if (set.has(entry.productId)) this.entries.delete(key);
  }

  clear() {
    this.changed('all');
  }

  private store(key: string, loaded: NonNullable<Loaded<T>>) {
    this.entries.delete(key);
    this.entries.set(key, { value: loaded.value, productId: loaded.productId, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}
