// The contract suite against a real Meilisearch server, when one is given (MEILISEARCH_URL, and
// MEILISEARCH_API_KEY if the server has a master key). Each run uses its own index, deleted afterwards.
import { describe, expect, it } from 'vitest';
import { catalogSearchContract } from './contract.suite';
import { MEILISEARCH_SETTINGS, MeilisearchCatalog } from './meilisearch.server';
import { meilisearchSynonyms } from './synonyms';

const url = process.env.MEILISEARCH_URL;

if (url) {
  catalogSearchContract('Meilisearch', async () => {
    const engine = new MeilisearchCatalog({ url, apiKey: process.env.MEILISEARCH_API_KEY, indexUid: `products_test_${process.pid}_${Date.now()}` });
    return { engine, teardown: () => engine.deleteIndex() };
  });

  describe('Meilisearch specifics', () => {
    it('a failed task is surfaced as an error with Meilisearch’s message', async () => {
      const engine = new MeilisearchCatalog({ url, apiKey: process.env.MEILISEARCH_API_KEY, indexUid: `products_bad_${process.pid}_${Date.now()}` });
      try {
        // a document without its primary key fails at indexing time, not at enqueue time
        await expect(engine.upsert([{ nameZh: 'no id' } as never])).rejects.toThrow(/Meilisearch task \d+ .*failed/);
      } finally {
        await engine.deleteIndex().catch(() => {});
      }
    });
  });
} else {
  describe('CatalogSearch contract: Meilisearch', () => {
    it.skip('SKIPPED: set MEILISEARCH_URL (and MEILISEARCH_API_KEY) to run the contract suite against a Meilisearch server', () => {});
  });
  console.warn('[meilisearch.server.test] SKIPPED the Meilisearch contract suite: MEILISEARCH_URL is not set');
}

// Settings are code: checked without a server.
describe('Meilisearch settings declared in code', () => {
  it('searchable attributes in weight order, codes without typos, Chinese fields localised, synonyms from the one file', () => {
    expect(MEILISEARCH_SETTINGS.searchableAttributes!.slice(0, 3)).toEqual(['nameZh', 'namePinyin', 'nameEn']);
    expect(MEILISEARCH_SETTINGS.typoTolerance!.disableOnAttributes).toEqual(expect.arrayContaining(['skus', 'placeCodes']));
    const zh = MEILISEARCH_SETTINGS.localizedAttributes!.find((l) => l.locales.includes('cmn'))!;
    expect(zh.attributePatterns).toEqual(expect.arrayContaining(['nameZh', 'descriptionZh', 'placeNames']));
    expect(MEILISEARCH_SETTINGS.synonyms).toEqual(meilisearchSynonyms());
    expect(meilisearchSynonyms().cili).toContain('刺梨');
    for (const a of ['countyCode', 'pairingSlugs', 'categorySlugs', 'statisticsKind', 'inStock', 'certifiedUntil', 'minPriceFen']) expect(MEILISEARCH_SETTINGS.filterableAttributes).toContain(a);
    expect(MEILISEARCH_SETTINGS.sortableAttributes).toEqual(expect.arrayContaining(['minPriceFen', 'createdAt', 'salesCount']));
  });
});
