import { describe, expect, it } from 'vitest';
import { catalogSearchContract } from './contract.suite';
import { allDocuments, type SearchDocument } from './documents.server';
import { EmbeddedSearch } from './embedded.server';
import type { SearchRequest } from './types';

/** A document with only the words given (no demo names, places or sellers to match by accident). */
function doc(id: number, words: Partial<Pick<SearchDocument, 'nameEn' | 'descriptionEn' | 'countyCode' | 'categorySlugs' | 'inStock'>>): SearchDocument {
  return {
    id, slug: `p-${id}`, nameZh: '', nameEn: words.nameEn ?? '', statisticsKind: 'AGRI_LIVESTOCK', salesCount: id % 7,
    originCode: words.countyCode ?? '', originName: '', originShortName: '', sellerName: '', sellerNameEn: '',
    minPriceFen: 1000 + id, maxPriceFen: 1000 + id, inStock: words.inStock ?? true, certifiedUntil: 0, imageKey: null, createdAt: id,
    descriptionZh: '', descriptionEn: words.descriptionEn ?? '', categorySlugs: words.categorySlugs ?? [], categoryNamesZh: [], categoryNamesEn: [],
    sellerSlug: '', provinceCode: null, prefectureCode: null, countyCode: words.countyCode ?? null, placeCodes: [], placeNames: [],
    pairingSlugs: [], pairingNamesZh: [], pairingNamesEn: [], priceBand: 'under-50', skus: [], namePinyin: '', otherPinyin: '',
  };
}
const request = (q: string, extra: Partial<SearchRequest> = {}): SearchRequest => ({ q, filters: {}, sort: 'relevance', page: 1, perPage: 1000, ...extra });
async function* batches(docs: SearchDocument[]) {
  yield docs;
}

catalogSearchContract('embedded engine', async () => ({ engine: new EmbeddedSearch() }));

describe('embedded engine specifics', () => {
  it('highlights the Chinese words a pinyin query matched', async () => {
    const engine = new EmbeddedSearch();
    await engine.replaceAll(allDocuments());
    const r = await engine.search({ q: 'cili', filters: {}, sort: 'relevance', page: 1, perPage: 5 });
    expect(r.hits[0]!.highlight.nameZh).toContain('<mark>刺梨</mark>');
    const cl = await engine.search({ q: 'cl', filters: {}, sort: 'relevance', page: 1, perPage: 5 });
    expect(cl.hits[0]!.highlight.nameZh).toContain('<mark>刺梨</mark>');
  });

  it('escapes HTML in names', async () => {
    const engine = new EmbeddedSearch();
    const [doc] = await (async () => {
      for await (const b of allDocuments(1)) return b;
      return [];
    })();
    await engine.replaceAll((async function* () {
      yield [{ ...doc!, nameEn: '<script>alert(1)</script> tasty' }];
    })());
    const r = await engine.search({ q: 'tasty', filters: {}, sort: 'relevance', page: 1, perPage: 5 });
    expect(r.hits[0]!.highlight.nameEn).toBe('&lt;script&gt;alert(1)&lt;/script&gt; <mark>tasty</mark>');
  });

  it('folds updates into its base segment without losing documents', async () => {
    const engine = new EmbeddedSearch();
    await engine.replaceAll(allDocuments());
    const before = engine.documentCount;
    const docs: Parameters<typeof engine.upsert>[0] = [];
    for await (const b of allDocuments()) docs.push(...b);
    for (let i = 0; i < 30; i++) await engine.upsert(docs); // 30 × every document: forces compaction
    expect(engine.documentCount).toBe(before);
    const r = await engine.search({ q: '刺梨', filters: {}, sort: 'relevance', page: 1, perPage: 50 });
    expect(new Set(r.hits.map((h) => h.id)).size).toBe(r.hits.length);
    expect(r.hits[0]!.nameZh).toContain('刺梨');
  });

  it('a phrase matches documents that have every word, in any field, also documents added after the build', async () => {
    const engine = new EmbeddedSearch();
    await engine.replaceAll(batches([
      doc(1, { nameEn: 'horsetail embroidery bag' }),
      doc(2, { nameEn: 'horsetail brush', descriptionEn: 'embroidery by hand' }), // the words in two fields
      doc(3, { nameEn: 'horsetail brush' }),
      doc(4, { nameEn: 'embroidery frame' }),
    ]));
    await engine.upsert([doc(5, { nameEn: 'embroidery and horsetail' }), doc(6, { nameEn: 'horsetail only' })]); // the delta segment
    const r = await engine.search(request('horsetail embroidery'));
    expect(r.hits.map((h) => h.id).sort()).toEqual([1, 2, 5]);
    expect(r.total).toBe(3);
    // a second phrase query reuses the engine's scratch state: nothing is left over from the first
    const again = await engine.search(request('horsetail embroidery'));
    expect(again.hits.map((h) => h.id)).toEqual(r.hits.map((h) => h.id));
    expect((await engine.search(request('mawei embroidery'))).total).toBe(3); // a synonym phrase of the same group
  });

  it('counts facets and pages the same whatever order the alternatives reach the documents in', async () => {
    // 'egg', 'eggs' and '鸡蛋' are one synonym group: each alternative reaches its documents in turn, so the
    // candidates arrive out of document order; facets and ranking must not depend on that order.
    const docs: SearchDocument[] = [];
    for (let id = 1; id <= 400; id++) {
      const word = id % 3 === 0 ? 'eggs' : id % 3 === 1 ? 'egg' : 'duck';
      docs.push(doc(id, { nameEn: `${word} box ${id % 5 === 0 ? 'fresh' : ''}`, countyCode: id % 2 ? '520281' : '522726', categorySlugs: [id % 4 ? 'eggs' : 'gifts'], inStock: id % 6 !== 0 }));
    }
    const engine = new EmbeddedSearch();
    await engine.replaceAll(batches(docs));
    for (const q of ['egg', 'fresh eggs', 'box']) {
      const expected = docs.filter((d) => (q === 'box' ? true : /\beggs?\b/.test(d.nameEn)) && (q !== 'fresh eggs' || d.nameEn.includes('fresh')));
      const r = await engine.search(request(q));
      const ids = r.hits.map((h) => h.id);
      expect(r.total, q).toBe(q === 'fresh eggs' ? docs.filter((d) => d.nameEn.includes('fresh')).length : expected.length);
      const counted = (key: (d: SearchDocument) => string) => {
        const m = new Map<string, number>();
        for (const d of docs.filter((x) => ids.includes(x.id))) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
        return [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      };
      expect(r.facets.county, q).toEqual(counted((d) => d.countyCode!));
      expect(r.facets.category, q).toEqual(counted((d) => d.categorySlugs[0]!));
      expect(r.facets.inStock, q).toEqual(counted((d) => String(d.inStock)));
      // pages of 7 put together are the whole ranking, each document once
      const paged: number[] = [];
      for (let page = 1; page <= Math.ceil(r.total / 7); page++) paged.push(...(await engine.search(request(q, { page, perPage: 7 }))).hits.map((h) => h.id));
      expect(paged, q).toEqual(ids);
    }
  });

  it('counts the facets of a browse without words exactly, before and after the index changes', async () => {
    // Most of the index: counted as the whole index (kept between queries) less what the filters left out.
    const docs: SearchDocument[] = [];
    for (let id = 1; id <= 300; id++) docs.push(doc(id, { nameEn: 'tea', countyCode: id % 3 ? '520281' : '522726', categorySlugs: [id % 4 ? 'tea' : 'gifts'], inStock: id % 10 !== 0 }));
    const engine = new EmbeddedSearch();
    await engine.replaceAll(batches(docs));
    const expectFacets = async (filters: SearchRequest['filters'], live: SearchDocument[]) => {
      const keep = live.filter((d) => (filters.inStock === undefined || d.inStock === filters.inStock) && (!filters.county || d.countyCode === filters.county));
      const r = await engine.search(request('', { filters, perPage: 5 }));
      expect(r.total, JSON.stringify(filters)).toBe(keep.length);
      const counted = (key: (d: SearchDocument) => string) => {
        const m = new Map<string, number>();
        for (const d of keep) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
        return [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      };
      expect(r.facets.county, JSON.stringify(filters)).toEqual(counted((d) => d.countyCode!));
      expect(r.facets.category, JSON.stringify(filters)).toEqual(counted((d) => d.categorySlugs[0]!));
      expect(r.facets.inStock, JSON.stringify(filters)).toEqual(counted((d) => String(d.inStock)));
    };
    let live = docs;
    for (let round = 0; round < 2; round++) {
      await expectFacets({}, live);
      await expectFacets({ inStock: true }, live); // most documents
      await expectFacets({ inStock: false }, live); // few documents
      await expectFacets({ county: '522726' }, live);
      // the index changes: a document goes, another moves county and runs out
      await engine.remove([1]);
      await engine.upsert([{ ...doc(2, { nameEn: 'tea', countyCode: '522726', categorySlugs: ['gifts'], inStock: false }) }]);
      live = live.filter((d) => d.id !== 1).map((d) => (d.id === 2 ? doc(2, { nameEn: 'tea', countyCode: '522726', categorySlugs: ['gifts'], inStock: false }) : d));
    }
  });

  it('completes a mistyped last word to its 50 most frequent completions, like a correct one', async () => {
    // 'honex' is one edit from the prefix 'honey': every 'honey…' word completes it. 60 rare completions
    // and a frequent one: the frequent one and 49 rare ones (the first indexed) are searched.
    const letters = 'abcdefghijklmnopqrtuvwxyz'; // no s: a plural's singular would be indexed as another word
    const rare = Array.from({ length: 60 }, (_, i) => `honey${letters[Math.floor(i / 25)]}${letters[i % 25]}`);
    const docs = rare.map((w, i) => doc(i + 1, { nameEn: w }));
    for (let i = 0; i < 3; i++) docs.push(doc(100 + i, { nameEn: 'honeyzz' }));
    const engine = new EmbeddedSearch();
    await engine.replaceAll(batches(docs));
    const r = await engine.search(request('honex'));
    expect(r.total).toBe(3 + 49);
    expect(r.hits.filter((h) => h.id >= 100)).toHaveLength(3);
    expect(r.hits.map((h) => h.id).filter((id) => id < 100).sort((a, b) => a - b)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
  });
});
