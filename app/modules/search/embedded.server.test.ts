import { describe, expect, it } from 'vitest';
import { catalogSearchContract } from './contract.suite';
import { allDocuments } from './documents.server';
import { EmbeddedSearch } from './embedded.server';

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
});
