// Meilisearch adapter (official `meilisearch` client). Used when MEILISEARCH_URL and MEILISEARCH_API_KEY
// are set. Index settings are declared here and applied to a fresh index before any document is added;
// every task is awaited and a failed task is an error; a full reindex builds a new index and swaps it in.
import crypto from 'node:crypto';
import { Meilisearch, type EnqueuedTaskPromise, type Settings, type Task } from 'meilisearch';
import type { SearchDocument } from './documents.server';
import type { CatalogSearch, EngineHealth, ReindexProgress, SearchIndexSink } from './port.server';
import { meilisearchSynonyms } from './synonyms';
import { escapeHtml } from './tokenize.server';
import { dayNumber, emptyFacets, MAX_TOTAL_HITS, PRICE_BANDS, STATISTICS_KINDS, type EngineHit, type EngineResult, type FacetCounts, type HitSource, type SearchRequest } from './types';

export type MeilisearchOptions = { url: string; apiKey?: string; indexUid?: string; timeoutMs?: number };

/** Searchable attributes in weight order (Meilisearch's attribute rule ranks earlier ones higher). */
const SEARCHABLE = [
  'nameZh', 'namePinyin', 'nameEn', 'categoryNamesZh', 'categoryNamesEn', 'placeNames', 'skus', 'placeCodes', 'otherPinyin',
  'sellerName', 'sellerNameEn', 'pairingNamesZh', 'pairingNamesEn', 'descriptionZh', 'descriptionEn',
];

export const MEILISEARCH_SETTINGS: Settings = {
  searchableAttributes: SEARCHABLE,
  filterableAttributes: ['provinceCode', 'prefectureCode', 'countyCode', 'placeCodes', 'pairingSlugs', 'categorySlugs', 'statisticsKind', 'inStock', 'certifiedUntil', 'minPriceFen', 'priceBand'],
  sortableAttributes: ['minPriceFen', 'createdAt', 'salesCount'],
  // "sort" right after "words": a shopper sorting by price expects price order, not relevance buckets
  rankingRules: ['words', 'sort', 'typo', 'proximity', 'attribute', 'exactness', 'salesCount:desc'],
  synonyms: meilisearchSynonyms(),
  localizedAttributes: [
    { attributePatterns: ['nameZh', 'descriptionZh', 'categoryNamesZh', 'placeNames', 'sellerName', 'pairingNamesZh'], locales: ['cmn'] },
    { attributePatterns: ['nameEn', 'descriptionEn', 'categoryNamesEn', 'sellerNameEn', 'pairingNamesEn', 'namePinyin', 'otherPinyin'], locales: ['eng'] },
  ],
  typoTolerance: { enabled: true, disableOnAttributes: ['skus', 'placeCodes'], disableOnNumbers: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
  faceting: { maxValuesPerFacet: 100 },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
};

export const meilisearchSettingsHash = () => crypto.createHash('sha256').update(JSON.stringify(MEILISEARCH_SETTINGS)).digest('hex').slice(0, 16);

const RETRIEVE: Array<keyof HitSource> = [
  'id', 'slug', 'nameZh', 'nameEn', 'statisticsKind', 'salesCount', 'originCode', 'originName', 'originShortName', 'sellerName', 'sellerNameEn',
  'minPriceFen', 'maxPriceFen', 'inStock', 'certifiedUntil', 'imageKey', 'createdAt',
];
const FACET_ATTRS = { province: 'provinceCode', prefecture: 'prefectureCode', county: 'countyCode', pairing: 'pairingSlugs', category: 'categorySlugs', kind: 'statisticsKind', inStock: 'inStock', priceBand: 'priceBand' } as const;
const PRE = '\uE000';
const POST = '\uE001';

export class MeilisearchError extends Error {}

export class MeilisearchCatalog implements CatalogSearch, SearchIndexSink {
  readonly name = 'meilisearch' as const;
  readonly client: Meilisearch;
  readonly indexUid: string;

  constructor(options: MeilisearchOptions) {
    this.client = new Meilisearch({ host: options.url, apiKey: options.apiKey, timeout: options.timeoutMs ?? 5_000 });
    this.indexUid = options.indexUid ?? 'products';
  }

  /** Await a task; a failed or cancelled task is an error with Meilisearch's message. */
  private async run(task: EnqueuedTaskPromise, timeout = 120_000): Promise<Task> {
    const done = await task.waitTask({ timeout, interval: 50 });
    if (done.status !== 'succeeded') {
      throw new MeilisearchError(`Meilisearch task ${done.uid} (${done.type}) ${done.status}: ${done.error?.message ?? 'no error message'}${done.error?.code ? ` [${done.error.code}]` : ''}`);
    }
    return done;
  }

  async health(): Promise<EngineHealth> {
    const started = Date.now();
    try {
      await this.client.health();
      const stats = await this.client.index(this.indexUid).getStats().catch(() => null);
      return { status: 'ok', documents: stats?.numberOfDocuments, latencyMs: Date.now() - started };
    } catch (error) {
      return { status: 'down', error: (error as Error).message.slice(0, 200) };
    }
  }

  async indexExists(uid = this.indexUid) {
    try {
      await this.client.getRawIndex(uid);
      return true;
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === 'index_not_found') return false;
      throw error;
    }
  }

  async upsert(documents: SearchDocument[]) {
    if (documents.length) await this.run(this.client.index(this.indexUid).addDocuments(documents, { primaryKey: 'id' }));
  }

  async remove(productIds: number[]) {
    if (productIds.length) await this.run(this.client.index(this.indexUid).deleteDocuments(productIds));
  }

  async replaceAll(batches: AsyncIterable<SearchDocument[]>, options: { total?: number; onProgress?: ReindexProgress } = {}) {
    const next = `${this.indexUid}_next_${Date.now()}`;
    await this.run(this.client.createIndex(next, { primaryKey: 'id' }));
    try {
      // settings first: adding documents to an index and then changing settings would index everything twice
      await this.run(this.client.index(next).updateSettings(MEILISEARCH_SETTINGS));
      let done = 0;
      for await (const batch of batches) {
        await this.run(this.client.index(next).addDocuments(batch, { primaryKey: 'id' }), 600_000);
        done += batch.length;
        options.onProgress?.(done, options.total ?? done);
      }
      if (!(await this.indexExists())) await this.run(this.client.createIndex(this.indexUid, { primaryKey: 'id' }));
      await this.run(this.client.swapIndexes([{ indexes: [this.indexUid, next], rename: false }]));
      return { documents: done };
    } finally {
      // after the swap `next` holds the old documents; on failure it holds the partial new ones
      await this.run(this.client.deleteIndex(next)).catch(() => {});
    }
  }

  async deleteIndex() {
    if (await this.indexExists()) await this.run(this.client.deleteIndex(this.indexUid));
  }

  async search(request: SearchRequest): Promise<EngineResult> {
    const started = performance.now();
    const today = request.today ?? dayNumber(new Date());
    const f = request.filters;
    const filter: string[] = [];
    const eq = (attr: string, v: string) => filter.push(`${attr} = ${JSON.stringify(v)}`);
    if (f.province) eq('provinceCode', f.province);
    if (f.prefecture) eq('prefectureCode', f.prefecture);
    if (f.county) eq('countyCode', f.county);
    if (f.pairing) eq('pairingSlugs', f.pairing);
    if (f.category) eq('categorySlugs', f.category);
    if (f.kind) eq('statisticsKind', f.kind);
    if (f.inStock !== undefined) filter.push(`inStock = ${f.inStock}`);
    if (f.certified === true) filter.push(`certifiedUntil >= ${Math.max(1, today)}`);
    if (f.certified === false) filter.push(`certifiedUntil < ${Math.max(1, today)}`);
    if (f.minPriceFen !== undefined) filter.push(`minPriceFen >= ${f.minPriceFen}`);
    if (f.maxPriceFen !== undefined) filter.push(`minPriceFen <= ${f.maxPriceFen}`);
    const sort = { relevance: undefined, price_asc: ['minPriceFen:asc'], price_desc: ['minPriceFen:desc'], newest: ['createdAt:desc'], best_selling: ['salesCount:desc'] }[request.sort];
    const wantFacets = request.facets !== false;
    const main = {
      indexUid: this.indexUid,
      q: request.q,
      filter,
      sort,
      page: request.page,
      hitsPerPage: request.perPage,
      matchingStrategy: 'last' as const,
      // statisticsKind is always asked for: every document has exactly one, so its counts add up to the exact total
      facets: wantFacets ? Object.values(FACET_ATTRS) : ['statisticsKind'],
      attributesToRetrieve: RETRIEVE,
      attributesToHighlight: ['nameZh', 'nameEn'],
      highlightPreTag: PRE,
      highlightPostTag: POST,
    };
    const queries = [main];
    if (wantFacets) queries.push({ ...main, filter: [...filter, `certifiedUntil >= ${Math.max(1, today)}`], page: 1, hitsPerPage: 0, facets: ['statisticsKind'], attributesToHighlight: [] });
    const { results } = await this.client.multiSearch({ queries });
    const r = results[0]!;
    const sum = (d: Record<string, number> | undefined) => Object.values(d ?? {}).reduce((a, b) => a + b, 0);
    const total = sum(r.facetDistribution?.statisticsKind);
    const facets: FacetCounts = emptyFacets();
    if (wantFacets) {
      for (const [name, attr] of Object.entries(FACET_ATTRS) as Array<[keyof typeof FACET_ATTRS, string]>) {
        facets[name] = Object.entries(r.facetDistribution?.[attr] ?? {})
          .map(([value, count]) => ({ value, count }))
          .filter((x) => x.count > 0)
          .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      }
      facets.kind = facets.kind.filter((x) => (STATISTICS_KINDS as readonly string[]).includes(x.value));
      facets.priceBand.sort((a, b) => PRICE_BANDS.findIndex((p) => p.key === a.value) - PRICE_BANDS.findIndex((p) => p.key === b.value));
      const certified = sum(results[1]!.facetDistribution?.statisticsKind);
      facets.certified = [{ value: 'true', count: certified }, { value: 'false', count: total - certified }].filter((x) => x.count > 0);
    }
    const marked = (s: string | undefined) => escapeHtml(s ?? '').replaceAll(PRE, '<mark>').replaceAll(POST, '</mark>');
    const hits: EngineHit[] = r.hits.map((h) => {
      const { _formatted, ...source } = h as HitSource & { _formatted?: { nameZh?: string; nameEn?: string } };
      return { ...(source as HitSource), highlight: { nameZh: marked(_formatted?.nameZh ?? source.nameZh), nameEn: marked(_formatted?.nameEn ?? source.nameEn) } };
    });
    return { hits, total, facets, processingTimeMs: Math.round((performance.now() - started) * 100) / 100 };
  }
}
