// The contract every catalogue search adapter passes (embedded engine, Meilisearch), including the
// relevance list over the demo catalogue. Expectations are computed from the database, not hard-coded
// result lists. Called from embedded.server.test.ts and meilisearch.server.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { allDocuments, countListedProducts, loadDocuments } from './documents.server';
import type { CatalogSearch, SearchIndexSink } from './port.server';
import { dayNumber, type EngineHit, type EngineResult, type SearchRequest } from './types';

export type ContractSubject = { engine: CatalogSearch & SearchIndexSink; teardown?: () => Promise<void> };

const PANZHOU = '520281';
const DUSHAN = '522726';
const SANDU = '522732';

export function catalogSearchContract(name: string, make: () => Promise<ContractSubject>) {
  describe(`CatalogSearch contract: ${name}`, () => {
    let subject: ContractSubject;
    let engine: CatalogSearch & SearchIndexSink;
    let listed: number;
    let ciliIds: Set<number>;
    let eggIds: Set<number>;
    const q = (query: string, extra: Partial<SearchRequest> = {}): Promise<EngineResult> =>
      engine.search({ q: query, sort: 'relevance', page: 1, perPage: 20, ...extra, filters: { ...extra.filters } });
    const slugs = (hits: EngineHit[]) => hits.map((h) => h.slug);

    beforeAll(async () => {
      subject = await make();
      engine = subject.engine;
      listed = await countListedProducts();
      await engine.replaceAll(allDocuments(500), { total: listed });
      const products = await prisma.product.findMany({ where: { status: 'LISTED' }, select: { id: true, nameZh: true, categoryId: true, category: { select: { slug: true } } } });
      ciliIds = new Set(products.filter((p) => p.nameZh.includes('刺梨')).map((p) => p.id));
      eggIds = new Set(products.filter((p) => p.category.slug === 'eggs').map((p) => p.id));
    }, 120_000);

    afterAll(async () => {
      await subject?.teardown?.();
    });

    describe('relevance over the demo catalogue', () => {
      it.each(['刺梨', 'cili', 'cl', '刺梨果', 'rosa roxburghii', 'rosa roxburgi', 'roxburgi'])('%s → 刺梨 goods first', async (query) => {
        const r = await q(query);
        const top = r.hits.slice(0, Math.min(5, ciliIds.size));
        expect(top.length, query).toBeGreaterThan(0);
        for (const h of top) expect(ciliIds.has(h.id), `${query}: ${h.nameZh}`).toBe(true);
      });

      it('刺梨 finds every 刺梨 good, and they lead', async () => {
        const r = await q('刺梨', { perPage: 50 });
        const leaders = r.hits.slice(0, ciliIds.size).map((h) => h.id);
        expect(new Set(leaders)).toEqual(ciliIds);
      });

      it('刺梨原液 → the 刺梨 juice first, other 刺梨 goods next', async () => {
        const r = await q('刺梨原液');
        expect(r.hits.length).toBeGreaterThanOrEqual(5);
        expect(r.hits[0]!.nameZh).toContain('刺梨原液');
        for (const h of r.hits.slice(0, 5)) expect(ciliIds.has(h.id), h.nameZh).toBe(true);
      });

      it.each(['鸡蛋', '土鸡蛋', '蛋'])('%s → eggs from 独山 first', async (query) => {
        const r = await q(query);
        expect(r.hits[0]!.originCode, r.hits[0]!.nameZh).toBe(DUSHAN);
        expect(eggIds.has(r.hits[0]!.id)).toBe(true);
        const dushanEggs = [...eggIds].length - 1; // the 盘州 eggs are the other one
        for (const h of r.hits.slice(0, dushanEggs)) expect(eggIds.has(h.id), h.nameZh).toBe(true);
      });

      it('jidan → eggs first', async () => {
        const r = await q('jidan');
        for (const h of r.hits.slice(0, eggIds.size)) expect(eggIds.has(h.id), h.nameZh).toBe(true);
      });

      it('马尾绣 → 三都 handicrafts first', async () => {
        const r = await q('马尾绣');
        expect(r.hits.length).toBeGreaterThanOrEqual(4);
        for (const h of r.hits.slice(0, 4)) {
          expect(h.originCode).toBe(SANDU);
          expect(h.statisticsKind).toBe('HANDICRAFT');
        }
      });

      it('horsetail embroidery (English) finds the same 马尾绣 goods', async () => {
        const r = await q('horsetail embroidery');
        for (const h of r.hits.slice(0, 4)) expect(h.nameZh, h.slug).toContain('马尾绣');
      });

      it.each([
        ['独山', DUSHAN],
        ['dushan', DUSHAN],
        ['盘州', PANZHOU],
        ['panzhou', PANZHOU],
      ])('%s → goods from that county first', async (query, code) => {
        const fromThere = await prisma.product.count({ where: { status: 'LISTED', originCode: code } });
        const r = await q(query, { perPage: fromThere });
        expect(r.hits.length).toBe(fromThere);
        for (const h of r.hits) expect(h.originCode, `${query}: ${h.nameZh}`).toBe(code);
      });

      it('kiwi and 猕猴桃 find the same kiwi fruit goods first', async () => {
        const [en, zh] = await Promise.all([q('kiwi'), q('猕猴桃')]);
        for (const h of [...en.hits.slice(0, 4), ...zh.hits.slice(0, 4)]) expect(h.nameZh, h.slug).toContain('猕猴桃');
      });

      it('a SKU finds its product', async () => {
        const r = await q('PZ-CILI-YY-500X6');
        expect(r.hits[0]?.slug).toBe('panzhou-cili-yuanye-500ml');
      });

      it('nonsense finds nothing', async () => {
        const r = await q('qqxxzzy');
        expect(r.total).toBe(0);
        expect(r.hits).toEqual([]);
      });
    });

    describe('filters and facets', () => {
      it('an empty query lists every listed product', async () => {
        const r = await q('');
        expect(r.total).toBe(listed);
      });

      it('county narrows to goods from there; its facet count is the total', async () => {
        const all = await q('');
        const panzhou = all.facets.county.find((f) => f.value === PANZHOU)!;
        const r = await q('', { filters: { county: PANZHOU }, perPage: 100 });
        expect(r.total).toBe(panzhou.count);
        expect(r.total).toBe(await prisma.product.count({ where: { status: 'LISTED', originCode: PANZHOU } }));
        for (const h of r.hits) expect(h.originCode).toBe(PANZHOU);
      });

      it('province and prefecture facets count every level of the origin', async () => {
        const r = await q('刺梨');
        const sum = (xs: { count: number }[]) => xs.reduce((a, x) => a + x.count, 0);
        expect(sum(r.facets.province)).toBe(r.total);
        expect(r.facets.province.find((f) => f.value === '520000')?.count).toBe(r.total);
        expect(r.facets.prefecture.find((f) => f.value === '520200')?.count).toBeGreaterThan(0);
        expect(sum(r.facets.kind)).toBe(r.total);
        expect(sum(r.facets.inStock)).toBe(r.total);
        expect(sum(r.facets.certified)).toBe(r.total);
        expect(sum(r.facets.priceBand)).toBe(r.total);
      });

      it('pairing narrows to goods under its western place, group pairings included', async () => {
        const r = await q('', { filters: { pairing: 'zhongshan-liupanshui' }, perPage: 100 });
        const lps = await prisma.product.count({ where: { status: 'LISTED', origin: { OR: [{ code: '520200' }, { parentCode: '520200' }] } } });
        expect(r.total).toBe(lps);
        const r2 = await q('', { filters: { pairing: 'zhongshan-xiaolan-panzhou' } });
        expect(r2.total).toBe(await prisma.product.count({ where: { status: 'LISTED', originCode: PANZHOU } }));
      });

      it('category matches the category and its children', async () => {
        const root = await q('', { filters: { category: 'handicrafts' }, perPage: 100 });
        const leaf = await q('', { filters: { category: 'embroidery' }, perPage: 100 });
        expect(leaf.total).toBeGreaterThan(0);
        expect(root.total).toBeGreaterThan(leaf.total);
        expect(root.facets.category.find((f) => f.value === 'embroidery')?.count).toBe(leaf.total);
        for (const h of root.hits) expect(h.statisticsKind).toBe('HANDICRAFT');
      });

      it('kind, certified, in stock and price combine', async () => {
        const today = dayNumber(new Date());
        const r = await q('', { filters: { kind: 'AGRI_LIVESTOCK', certified: true, inStock: true, minPriceFen: 3000, maxPriceFen: 20000 }, perPage: 100 });
        expect(r.total).toBeGreaterThan(0);
        for (const h of r.hits) {
          expect(h.statisticsKind).toBe('AGRI_LIVESTOCK');
          expect(h.certifiedUntil).toBeGreaterThanOrEqual(today);
          expect(h.inStock).toBe(true);
          expect(h.minPriceFen).toBeGreaterThanOrEqual(3000);
          expect(h.minPriceFen).toBeLessThanOrEqual(20000);
        }
        const notCertified = await q('', { filters: { certified: false }, perPage: 100 });
        const all = await q('');
        expect(notCertified.total + (all.facets.certified.find((f) => f.value === 'true')?.count ?? 0)).toBe(all.total);
      });

      it('a filter value that does not exist matches nothing', async () => {
        expect((await q('', { filters: { county: '110101' } })).total).toBe(0);
        expect((await q('刺梨', { filters: { pairing: 'no-such-pairing' } })).total).toBe(0);
      });
    });

    describe('sorts, pages and highlights', () => {
      const sorted = (xs: number[], dir: 1 | -1) => xs.every((x, i) => i === 0 || dir * (x - xs[i - 1]!) >= 0);
      it('price up and down, newest, best selling', async () => {
        expect(sorted((await q('', { sort: 'price_asc', perPage: 100 })).hits.map((h) => h.minPriceFen), 1)).toBe(true);
        expect(sorted((await q('', { sort: 'price_desc', perPage: 100 })).hits.map((h) => h.minPriceFen), -1)).toBe(true);
        expect(sorted((await q('', { sort: 'newest', perPage: 100 })).hits.map((h) => h.createdAt), -1)).toBe(true);
        expect(sorted((await q('', { sort: 'best_selling', perPage: 100 })).hits.map((h) => h.salesCount), -1)).toBe(true);
        expect(sorted((await q('刺梨', { sort: 'price_asc' })).hits.map((h) => h.minPriceFen), 1)).toBe(true);
      });

      it('pages do not overlap and add up', async () => {
        const p1 = await q('', { perPage: 10, page: 1 });
        const p2 = await q('', { perPage: 10, page: 2 });
        expect(p1.hits).toHaveLength(10);
        expect(p2.total).toBe(p1.total);
        expect(slugs(p1.hits).filter((s) => slugs(p2.hits).includes(s))).toEqual([]);
        const last = await q('', { perPage: 10, page: Math.ceil(listed / 10) });
        expect(last.hits).toHaveLength(listed - 10 * (Math.ceil(listed / 10) - 1));
        expect((await q('', { perPage: 10, page: 99 })).hits).toEqual([]);
      });

      it('highlights the matched words, escaped', async () => {
        const r = await q('刺梨');
        expect(r.hits[0]!.highlight.nameZh).toContain('<mark>刺梨</mark>');
        const k = await q('kiwi');
        expect(k.hits[0]!.highlight.nameEn.toLowerCase()).toContain('<mark>kiwi</mark>');
      });
    });

    describe('live updates through the sink', () => {
      it('an upserted document is found by its new word, a removed one is gone', async () => {
        const product = await prisma.product.findUniqueOrThrow({ where: { slug: 'dushan-aubergine' }, select: { id: true } });
        const [doc] = await loadDocuments([product.id]);
        await engine.upsert([{ ...doc!, nameZh: `${doc!.nameZh} 紫皮长茄`, nameEn: `${doc!.nameEn} zanzibarish` }]);
        const found = await q('zanzibarish');
        expect(slugs(found.hits)).toEqual(['dushan-aubergine']);
        expect((await q('')).total).toBe(listed);
        await engine.remove([product.id]);
        expect((await q('zanzibarish')).total).toBe(0);
        expect((await q('')).total).toBe(listed - 1);
        await engine.upsert([doc!]);
        expect((await q('')).total).toBe(listed);
      });
    });
  });
}
