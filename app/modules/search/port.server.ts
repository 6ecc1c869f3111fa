// The search port: one interface, several real adapters (embedded engine, Meilisearch, and the plain
// Postgres search used while an engine is unavailable). See docs/decisions/0006-search.md.
import type { SearchDocument } from './documents.server';
import type { EngineResult, SearchRequest } from './types';

export type EngineName = 'embedded' | 'meilisearch' | 'database';

export type EngineHealth = { status: 'ok' | 'starting' | 'down'; documents?: number; error?: string; latencyMs?: number };

/** Answers catalogue searches. */
export interface CatalogSearch {
  readonly name: EngineName;
  search(request: SearchRequest): Promise<EngineResult>;
  health(): Promise<EngineHealth>;
}

export type ReindexProgress = (done: number, total: number) => void;

/** An index the outbox delivers into: documents are replaced whole (the outbox says which, the DB says what). */
export interface SearchIndexSink {
  readonly name: EngineName;
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(productIds: number[]): Promise<void>;
  /** Build a complete new index from `batches` and switch to it (the old one answers until then). */
  replaceAll(batches: AsyncIterable<SearchDocument[]>, options?: { total?: number; onProgress?: ReindexProgress }): Promise<{ documents: number }>;
}
