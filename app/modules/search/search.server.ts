// The catalogue search service of one app instance: which engine answers, keeping the indexes in sync,
// and what /healthz says. See docs/decisions/0006-search.md.
//
// - The embedded engine lives in this process. It is rebuilt from the database at start and then follows
//   the outbox (OutboxFollower): every instance keeps its own copy true within a poll interval.
// - With MEILISEARCH_URL + MEILISEARCH_API_KEY the shared Meilisearch index answers; the outbox delivery
//   worker (claimed batches, at least once, in order per product) keeps it true. While Meilisearch is
//   unreachable, searches are answered by the embedded engine (or by Postgres while that is still
//   building), /healthz says "degraded", and undelivered outbox rows wait.
import { env } from '~/modules/env/env.server';
import { pool } from '~/modules/db/db.server';
import { PostgresSearch } from './database.server';
import { EmbeddedSearch } from './embedded.server';
import { MeilisearchCatalog, meilisearchSettingsHash } from './meilisearch.server';
import { enqueueFullReindex, Loop, OutboxDelivery, OutboxFollower, pendingDeliveries, pruneOutbox } from './outbox.server';
import type { CatalogSearch, EngineHealth, EngineName } from './port.server';
import type { EngineResult, SearchRequest } from './types';

type Log = (message: string) => void;

export type SearchServiceOptions = {
  meilisearch?: { url: string; apiKey?: string; indexUid?: string; timeoutMs?: number } | null;
  followerPollMs?: number;
  deliveryPollMs?: number;
  meiliCheckMs?: number;
  log?: Log;
};

export class SearchService {
  readonly embedded = new EmbeddedSearch();
  readonly follower: OutboxFollower;
  readonly database = new PostgresSearch();
  readonly meili: MeilisearchCatalog | null;
  readonly delivery: OutboxDelivery | null;
  /** last known Meilisearch reachability (checked in the background and on every failed call) */
  meiliUp = false;
  meiliError: string | undefined;
  private meiliLoop: Loop | undefined;
  private pruneLoop: Loop | undefined;
  private started = false;
  private readonly log: Log;

  constructor(private readonly options: SearchServiceOptions = {}) {
    this.log = options.log ?? ((m) => console.error(m));
    this.follower = new OutboxFollower(this.embedded, { pollMs: options.followerPollMs ?? 250, log: this.log });
    const m = options.meilisearch;
    this.meili = m ? new MeilisearchCatalog({ url: m.url, apiKey: m.apiKey, indexUid: m.indexUid, timeoutMs: m.timeoutMs ?? 2_000 }) : null;
    this.delivery = this.meili ? new OutboxDelivery(this.meili, { pollMs: options.deliveryPollMs ?? 500, log: this.log }) : null;
  }

  /** Start the background work: embedded rebuild + outbox follower, Meilisearch delivery, pruning. */
  start() {
    if (this.started) return;
    this.started = true;
    this.follower.start(); // its first step is the rebuild from the database
    if (this.meili) {
      this.meiliLoop = new Loop('meilisearch check', this.options.meiliCheckMs ?? 5_000, () => this.checkMeilisearch(), this.log);
      this.meiliLoop.start();
      this.delivery!.start();
    }
    this.pruneLoop = new Loop('outbox pruning', 10 * 60_000, () => pruneOutbox({ external: Boolean(this.meili) }), this.log);
    this.pruneLoop.start();
  }

  async stop() {
    await Promise.all([this.follower.stop(), this.delivery?.stop(), this.meiliLoop?.stop(), this.pruneLoop?.stop()]);
    this.started = false;
  }

  /**
   * Is Meilisearch reachable, and is its index built with the settings declared in code? A missing index
   * or changed settings ask for a full reindex (through the outbox, so one instance does it).
   */
  async checkMeilisearch() {
    if (!this.meili) return;
    const h = await this.meili.health();
    this.meiliUp = h.status === 'ok';
    this.meiliError = h.error;
    if (!this.meiliUp) return;
    const hash = meilisearchSettingsHash();
    const { rows } = await pool().query<{ value: string }>(`select value from search_state where key = 'meilisearch.settings'`);
    if (rows[0]?.value === hash && (await this.meili.indexExists())) return;
    // claim the change of state atomically: only the instance whose update wins enqueues the reindex
    const claimed = await pool().query(
      `insert into search_state (key, value) values ('meilisearch.settings', $1)
       on conflict (key) do update set value = excluded.value, updated_at = now() where search_state.value is distinct from excluded.value or search_state.updated_at < now() - interval '1 minute'
       returning key`,
      [hash],
    );
    if (claimed.rowCount) {
      this.log(`[search] meilisearch: index missing or settings changed, full reindex requested`);
      await enqueueFullReindex();
    }
  }

  /** The engine that answers now. */
  current(): CatalogSearch {
    if (this.meili && this.meiliUp) return this.meili;
    if (this.embedded.isReady) return this.embedded;
    return this.database;
  }

  async search(request: SearchRequest): Promise<EngineResult & { engine: EngineName }> {
    const engine = this.current();
    try {
      return { ...(await engine.search(request)), engine: engine.name };
    } catch (error) {
      if (engine !== this.meili) throw error;
      this.meiliUp = false;
      this.meiliError = (error as Error).message.slice(0, 200);
      this.log(`[search] meilisearch search failed, answering from the embedded engine: ${this.meiliError}`);
      const fallback = this.embedded.isReady ? this.embedded : this.database;
      return { ...(await fallback.search(request)), engine: fallback.name };
    }
  }

  /** What /healthz shows: "degraded" when a configured engine cannot answer or is behind. */
  async health(): Promise<{ status: 'ok' | 'degraded'; engine: EngineName; embedded: EngineHealth & { lagMs?: number }; meilisearch?: EngineHealth & { pending?: number; oldestPendingSeconds?: number | null } }> {
    const embedded: EngineHealth & { lagMs?: number } = await this.embedded.health();
    if (this.follower.lastAppliedAt) embedded.lagMs = Date.now() - this.follower.lastAppliedAt.getTime();
    if (this.follower.lastError) embedded.error = this.follower.lastError;
    let degraded = embedded.status !== 'ok' || Boolean(this.follower.lastError);
    let meilisearch;
    if (this.meili) {
      const h = await this.meili.health();
      this.meiliUp = h.status === 'ok';
      const pending = await pendingDeliveries().catch(() => null);
      meilisearch = { ...h, pending: pending?.pending, oldestPendingSeconds: pending?.oldestSeconds, ...(this.delivery?.lastError ? { error: this.delivery.lastError } : {}) };
      if (h.status !== 'ok' || this.delivery?.lastError) degraded = true;
    }
    return { status: degraded ? 'degraded' : 'ok', engine: this.current().name, embedded, ...(meilisearch ? { meilisearch } : {}) };
  }
}

// One service per process (kept on globalThis so a dev-server rebuild does not start a second one).
const g = globalThis as typeof globalThis & { __shanhaiSearch?: SearchService };

export function meilisearchOptionsFromEnv() {
  const e = env();
  return e.MEILISEARCH_URL && e.MEILISEARCH_API_KEY ? { url: e.MEILISEARCH_URL, apiKey: e.MEILISEARCH_API_KEY } : null;
}

export function searchService(): SearchService {
  g.__shanhaiSearch ??= new SearchService({ meilisearch: meilisearchOptionsFromEnv() });
  return g.__shanhaiSearch;
}

/** Called once from entry.server.tsx (not under NODE_ENV=test: tests start their own). */
export function startSearch() {
  const s = searchService();
  s.start();
  return s;
}

/** Replace the process's service (tests). */
export async function setSearchService(s: SearchService | undefined) {
  if (g.__shanhaiSearch && g.__shanhaiSearch !== s) await g.__shanhaiSearch.stop();
  g.__shanhaiSearch = s;
}
