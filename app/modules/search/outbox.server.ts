// Keeping search indexes true to the database through the outbox (rows written by triggers, see the
// 20261123100000_search migration and docs/decisions/0006-search.md).
//
// Two consumers with different guarantees:
// - OutboxFollower (embedded engine, one per app instance): every instance must apply every change, so
//   each tails the outbox from its own in-memory cursor. The cursor is a transaction-id horizon, not a
//   row id: rows are read once every transaction below the snapshot's xmin has finished, so a row whose
//   transaction commits late is never skipped (ids are assigned before commit, out of commit order).
// - OutboxDelivery (Meilisearch, one shared index): a claimed-once job. Each batch is claimed with
//   FOR UPDATE SKIP LOCKED, its products are locked with transaction-level advisory locks (so two
//   instances never push the same product concurrently: per-product order), documents are read from
//   the database after the lock and pushed, Meilisearch's task is awaited, then rows are marked
//   delivered in the same transaction. Failure rolls back: at least once.
import type pg from 'pg';
import { pool } from '~/modules/db/db.server';
import { allDocuments, countListedProducts, loadDocuments } from './documents.server';
import type { SearchIndexSink } from './port.server';

type Log = (message: string) => void;

const PRODUCT_LOCK_NAMESPACE = 0x5348_5331; // "SHS1": pg_try_advisory_xact_lock(namespace, product id)
export const REINDEX_LOCK_KEY = 727_274_2027; // one full Meilisearch reindex at a time across instances

/** Transactions below this id have all finished (committed or rolled back). */
export async function xminHorizon(client: Pick<pg.Pool, 'query'> = pool()): Promise<number> {
  const { rows } = await client.query<{ x: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as x');
  return Number(rows[0]!.x);
}

/** Ask every consumer for a full rebuild from the database (npm run search:reindex does this). */
export async function enqueueFullReindex(client: Pick<pg.Pool, 'query'> = pool()) {
  await client.query(`insert into search_outbox (product_id, source) values (null, 'reindex')`);
}

/** Apply a set of changed products to a sink: listed ones are re-read and upserted, the rest removed. */
async function applyProducts(sink: SearchIndexSink, productIds: number[]) {
  for (let i = 0; i < productIds.length; i += 1_000) {
    const ids = productIds.slice(i, i + 1_000);
    const docs = await loadDocuments(ids);
    const found = new Set(docs.map((d) => d.id));
    const gone = ids.filter((id) => !found.has(id));
    if (docs.length) await sink.upsert(docs);
    if (gone.length) await sink.remove(gone);
  }
}

/** A loop that runs `step` every `intervalMs` until stopped; errors are logged and retried with backoff. */
class Loop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  failures = 0;
  lastError: string | undefined;
  constructor(private readonly name: string, private readonly intervalMs: number, private readonly step: () => Promise<unknown>, private readonly log: Log) {}
  start() {
    this.schedule(0);
  }
  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.step()
        .then(() => {
          this.failures = 0;
          this.lastError = undefined;
        })
        .catch((error: Error) => {
          this.failures++;
          this.lastError = error.message.slice(0, 300);
          if (this.failures === 1 || this.failures % 20 === 0) this.log(`[search] ${this.name} failed (${this.failures}×): ${this.lastError}`);
        })
        .finally(() => {
          this.running = undefined;
          this.schedule(this.failures ? Math.min(30_000, this.intervalMs * 2 ** Math.min(this.failures, 8)) : this.intervalMs);
        });
    }, ms);
    this.timer.unref?.();
  }
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}

// ---------------------------------------------------------------------------------------------------

export type FollowerSink = SearchIndexSink & { readonly documentCount: number; readonly wasted: number };

/** Rebuilds an instance's embedded index from the database, then follows the outbox from its own cursor. */
export class OutboxFollower {
  /** every outbox row with tx_id below this has been applied */
  cursor: number | null = null;
  lastAppliedAt: Date | null = null;
  applied = 0;
  private loop: Loop | undefined;
  private readonly listeners = new Set<(changed: number[] | 'all') => void>();

  constructor(private readonly sink: FollowerSink, private readonly options: { pollMs?: number; log?: Log } = {}) {}

  /** Full rebuild. The horizon is taken before reading, so changes made during the read are replayed after. */
  async rebuild(onProgress?: (done: number, total: number) => void) {
    const horizon = await xminHorizon();
    const total = await countListedProducts();
    await this.sink.replaceAll(allDocuments(), { total, onProgress });
    this.cursor = horizon;
    this.lastAppliedAt = new Date();
    this.notify('all');
  }

  /** Apply the outbox rows of every transaction that finished since the last call. Returns products applied. */
  async pollOnce(): Promise<number> {
    if (this.cursor === null) {
      await this.rebuild();
      return 0;
    }
    const { rows } = await pool().query<{ horizon: string; ids: Array<number | null> }>(
      `select pg_snapshot_xmin(pg_current_snapshot())::text as horizon,
              array(select distinct product_id from search_outbox
                    where tx_id >= $1 and tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint) as ids`,
      [this.cursor],
    );
    const horizon = Number(rows[0]!.horizon);
    const ids = rows[0]!.ids;
    if (ids.includes(null) || ids.length > Math.max(5_000, this.sink.documentCount / 2) || this.sink.wasted > Math.max(50_000, this.sink.documentCount)) {
      this.options.log?.(`[search] rebuilding the embedded index (${ids.includes(null) ? 'reindex requested' : `${ids.length} changed products`})`);
      await this.rebuild();
      return ids.length;
    }
    if (ids.length) await applyProducts(this.sink, ids as number[]);
    this.cursor = horizon;
    this.lastAppliedAt = new Date();
    this.applied += ids.length;
    if (ids.length) this.notify(ids as number[]);
    return ids.length;
  }

  /**
   * Called with the ids of the products whose changes were just applied ('all' after a rebuild): other
   * in-process copies of catalogue data (the product page cache) drop theirs. Returns the unsubscribe.
   */
  onApplied(listener: (changed: number[] | 'all') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(changed: number[] | 'all') {
    for (const listener of this.listeners) {
      try {
        listener(changed);
      } catch (error) {
        this.options.log?.(`[search] outbox listener failed: ${(error as Error).message}`);
      }
    }
  }

  /**
   * True while this follower is running, has built its index and has polled successfully within
   * `withinMs`: what it has not yet reported changed is at most that old.
   */
  isLive(withinMs = Math.max(5_000, 20 * (this.options.pollMs ?? 250))): boolean {
    return this.loop !== undefined && this.cursor !== null && !this.loop.lastError && this.lastAppliedAt !== null && Date.now() - this.lastAppliedAt.getTime() <= withinMs;
  }

  start() {
    this.loop = new Loop('outbox follower', this.options.pollMs ?? 250, () => this.pollOnce(), this.options.log ?? console.error);
    this.loop.start();
  }
  get lastError() {
    return this.loop?.lastError;
  }
  async stop() {
    const loop = this.loop;
    this.loop = undefined;
    await loop?.stop();
  }
}

// ---------------------------------------------------------------------------------------------------

/**
 * Full reindex of a shared external index (Meilisearch) into a fresh index followed by a swap. Rows of
 * transactions that had not finished when reading started are handed back for delivery afterwards
 * (they may have gone to the old index). One reindex at a time across instances (advisory lock).
 */
export async function fullReindex(sink: SearchIndexSink, options: { onProgress?: (done: number, total: number) => void; log?: Log; afterSwap?: () => Promise<void> } = {}) {
  const client = await pool().connect();
  try {
    await client.query('select pg_advisory_lock($1)', [REINDEX_LOCK_KEY]);
    const horizon = await xminHorizon(client);
    const total = await countListedProducts();
    const started = Date.now();
    const { documents } = await sink.replaceAll(allDocuments(5_000), { total, onProgress: options.onProgress });
    await client.query('update search_outbox set delivered_at = null where tx_id >= $1 and delivered_at is not null', [horizon]);
    await options.afterSwap?.();
    options.log?.(`[search] ${sink.name}: reindexed ${documents} documents in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { documents };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [REINDEX_LOCK_KEY]).catch(() => {});
    client.release();
  }
}

/** Delivers outbox rows to a shared external index exactly as described at the top of this file. */
export class OutboxDelivery {
  delivered = 0;
  lastDeliveredAt: Date | null = null;
  private loop: Loop | undefined;

  constructor(
    private readonly sink: SearchIndexSink,
    private readonly options: { batchSize?: number; pollMs?: number; log?: Log; reindex?: () => Promise<unknown> } = {},
  ) {}

  /** Claim and deliver one batch. Returns the number of outbox rows marked delivered. */
  async deliverOnce(): Promise<number> {
    const client = await pool().connect();
    let claimed: Array<{ id: string; product_id: number | null }> = [];
    try {
      await client.query('begin');
      claimed = (
        await client.query<{ id: string; product_id: number | null }>(
          'select id, product_id from search_outbox where delivered_at is null order by id limit $1 for update skip locked',
          [this.options.batchSize ?? 500],
        )
      ).rows;
      if (claimed.length === 0) {
        await client.query('commit');
        return 0;
      }
      let done: string[];
      if (claimed.some((r) => r.product_id === null)) {
        // a full reindex covers every row claimed here (their transactions committed before it reads)
        await (this.options.reindex ?? (() => fullReindex(this.sink, { log: this.options.log })))();
        done = claimed.map((r) => r.id);
      } else {
        const productIds = [...new Set(claimed.map((r) => r.product_id!))];
        const { rows } = await client.query<{ id: number }>('select id from unnest($1::int[]) as id where pg_try_advisory_xact_lock($2, id)', [productIds, PRODUCT_LOCK_NAMESPACE]);
        const locked = new Set(rows.map((r) => r.id));
        // documents are read after the product lock: a later delivery of the same product reads later state
        await applyProducts(this.sink, [...locked]);
        done = claimed.filter((r) => locked.has(r.product_id!)).map((r) => r.id);
      }
      await client.query('update search_outbox set delivered_at = now() where id = any($1::bigint[])', [done]);
      await client.query('commit');
      this.delivered += done.length;
      this.lastDeliveredAt = new Date();
      return done.length;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      if (claimed.length) {
        await pool()
          .query('update search_outbox set attempts = attempts + 1, last_error = $2 where id = any($1::bigint[])', [claimed.map((r) => r.id), (error as Error).message.slice(0, 500)])
          .catch(() => {});
      }
      throw error;
    } finally {
      client.release();
    }
  }

  /** Deliver until nothing is pending. */
  async drain() {
    let n = 0;
    for (let k; (k = await this.deliverOnce()) > 0; ) n += k;
    return n;
  }

  start() {
    this.loop = new Loop(`delivery to ${this.sink.name}`, this.options.pollMs ?? 500, () => this.drain(), this.options.log ?? console.error);
    this.loop.start();
  }
  get lastError() {
    return this.loop?.lastError;
  }
  async stop() {
    await this.loop?.stop();
  }
}

/** Rows not yet delivered to the external index, and the age of the oldest. */
export async function pendingDeliveries(): Promise<{ pending: number; oldestSeconds: number | null }> {
  const { rows } = await pool().query<{ pending: number; oldest: number | null }>(
    `select count(*)::int as pending, extract(epoch from now() - min(created_at))::float8 as oldest from search_outbox where delivered_at is null`,
  );
  return { pending: rows[0]!.pending, oldestSeconds: rows[0]!.oldest === null ? null : Math.round(rows[0]!.oldest) };
}

/**
 * Delete rows older than the retention. With an external index only delivered rows go (undelivered ones
 * wait for Meilisearch to come back); embedded followers are live and only need seconds of history, and
 * an instance that starts rebuilds from the database anyway.
 */
export async function pruneOutbox({ retentionHours = 24, external }: { retentionHours?: number; external: boolean }) {
  const { rowCount } = await pool().query(
    `delete from search_outbox where created_at < now() - make_interval(hours => $1) and (delivered_at is not null or not $2)`,
    [retentionHours, external],
  );
  return rowCount ?? 0;
}

export { Loop };
