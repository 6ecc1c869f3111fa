// Catalogue search end to end inside the process: the API and page loaders, the embedded index of two
// app instances following the outbox, the Meilisearch delivery worker, and Meilisearch being unreachable.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool, prisma } from '~/modules/db/db.server';
import { PostgresSearch } from '~/modules/search/database.server';
import { EmbeddedSearch } from '~/modules/search/embedded.server';
import { OutboxDelivery, pendingDeliveries } from '~/modules/search/outbox.server';
import { SearchService, setSearchService } from '~/modules/search/search.server';
import { MAX_PER_PAGE } from '~/modules/search/types';
import { loader as searchApi } from '~/routes/api.v1.search';
import { loader as suggestApi } from '~/routes/api.v1.search.suggest';
import { loader as healthz } from '~/routes/healthz';
import { loader as searchPage } from '~/routes/search';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body$ = async (r: Response): Promise<any> => r.json();
const args = (url: string) => ({ request: new Request(`http://x${url}`), params: {}, context: {} });
const status = async (p: Promise<unknown> | unknown) => {
  try {
    return ((await p) as Response).status;
  } catch (e) {
    return (e as Response).status;
  }
};
const until = async (check: () => Promise<boolean>, ms: number) => {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  return -1;
};
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('search API and page', () => {
  let service: SearchService;
  beforeAll(async () => {
    service = new SearchService({ meilisearch: null, log: () => {} });
    await setSearchService(service);
    await service.follower.pollOnce(); // rebuild from the database
  });
  afterAll(async () => {
    await setSearchService(undefined);
  });

  it('GET /api/v1/search answers {hits, facets, total, page, perPage, processingTimeMs}', async () => {
    const res = await searchApi(args('/api/v1/search?q=%E5%88%BA%E6%A2%A8&perPage=5'));
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Search-Engine')).toBe('embedded');
    const body = await body$(res);
    expect(Object.keys(body).sort()).toEqual(['facets', 'hits', 'page', 'perPage', 'processingTimeMs', 'total']);
    expect(body.hits).toHaveLength(5);
    expect(body.hits[0].nameZh).toContain('刺梨');
    expect(body.hits[0].highlight.nameZh).toContain('<mark>刺梨</mark>');
    expect(body.total).toBeGreaterThanOrEqual(5);
    expect(body.facets.county.find((f: { value: string }) => f.value === '520281')).toMatchObject({ labelZh: '盘州市' });
    expect(body.page).toBe(1);
    expect(body.perPage).toBe(5);
  });

  it('filters from the URL narrow the result', async () => {
    const all = await body$(await searchApi(args('/api/v1/search')));
    const dushan = all.facets.county.find((f: { value: string }) => f.value === '522726');
    const r = await body$(await searchApi(args('/api/v1/search?county=522726&perPage=100')));
    expect(r.total).toBe(dushan.count);
    expect(r.hits.every((h: { origin: { code: string } }) => h.origin.code.startsWith('522726'))).toBe(true);
    const cheap = await body$(await searchApi(args('/api/v1/search?maxPrice=50&sort=price_asc&perPage=100')));
    expect(cheap.hits.every((h: { minPriceFen: number }) => h.minPriceFen <= 5000)).toBe(true);
  });

  it('unknown or malformed parameters → 400 with a message; perPage capped', async () => {
    for (const q of ['colour=red', 'perPage=1000', 'perPage=0', 'page=abc', 'county=52', 'kind=FOOD', 'certified=maybe', 'minPrice=1e3', 'sort=random', 'minPrice=100&maxPrice=10', `q=${'x'.repeat(101)}`, 'page=999']) {
      const res = await searchApi(args(`/api/v1/search?${q}`));
      expect(res.status, q).toBe(400);
      expect((await body$(res)).error.message, q).toMatch(/\w/);
    }
    expect((await body$(await searchApi(args(`/api/v1/search?perPage=${MAX_PER_PAGE}`)))).perPage).toBe(MAX_PER_PAGE);
  });

  it('suggest returns products, places and categories', async () => {
    const r = await body$(await suggestApi(args('/api/v1/search/suggest?q=cili')));
    expect(r.suggestions[0]).toMatchObject({ kind: 'product' });
    expect(r.suggestions[0].labelZh).toContain('刺梨');
    expect(r.suggestions.some((s: { kind: string }) => s.kind === 'place')).toBe(true);
    expect((await body$(await suggestApi(args('/api/v1/search/suggest?q=')))).suggestions).toEqual([]);
    expect(await status(suggestApi(args('/api/v1/search/suggest?x=1')))).toBe(400);
  });

  it('the page answers 400 on garbage and shows the empty state with places and categories', async () => {
    expect(await status(searchPage(args('/search?sort=nope')))).toBe(400);
    const none = await body$(await searchPage(args('/search?q=qqxxzzy')));
    expect(none.result.total).toBe(0);
    expect(none.browse.places.length).toBeGreaterThan(0);
    expect(none.browse.categories.length).toBeGreaterThan(0);
  });

  it('healthz reports search', async () => {
    const body = await body$(await healthz());
    expect(body.checks.search).toMatchObject({ status: 'ok', engine: 'embedded', embedded: { status: 'ok' } });
  });
});

describe('two app instances keep their own embedded index true', () => {
  it('an edit through instance A is found through instance B within 2 s', async () => {
    const a = new SearchService({ meilisearch: null, log: () => {} });
    const b = new SearchService({ meilisearch: null, log: () => {} });
    a.start();
    b.start();
    try {
      expect(await until(async () => a.embedded.isReady && b.embedded.isReady, 60_000)).toBeGreaterThanOrEqual(0);
      const product = await prisma.product.findFirstOrThrow({ where: { status: 'LISTED', slug: 'dushan-aubergine' } });
      const word = `quixotical${Date.now() % 100000}`;
      await prisma.product.update({ where: { id: product.id }, data: { nameEn: `${product.nameEn} ${word}` } }); // "through A": any writer
      const found = (s: SearchService) => async () => (await s.search({ q: word, filters: {}, sort: 'relevance', page: 1, perPage: 5 })).hits.some((h) => h.id === product.id);
      const tookB = await until(found(b), 2_000);
      expect(tookB, 'B finds the edit').toBeGreaterThanOrEqual(0);
      expect(tookB).toBeLessThan(2_000);
      expect(await until(found(a), 2_000)).toBeGreaterThanOrEqual(0);
      // the 2 s above is the requirement; the follow-up changes below check what reaches B (with room for a
      // loaded CI machine: a base backup of the test cluster may be copied by another file at the same time)
      const FOLLOW_UP_MS = 5_000;
      // unlisting removes it from both
      await prisma.product.update({ where: { id: product.id }, data: { status: 'DRAFT' } });
      expect(await until(async () => !(await found(b)()), FOLLOW_UP_MS)).toBeGreaterThanOrEqual(0);
      await prisma.product.update({ where: { id: product.id }, data: { status: 'LISTED', nameEn: product.nameEn } });
      // a variant price change moves the document's price (variant trigger)
      const variant = await prisma.variant.findFirstOrThrow({ where: { productId: product.id }, orderBy: { priceFen: 'asc' } });
      await prisma.variant.update({ where: { id: variant.id }, data: { priceFen: 1 } });
      const cheapest = async () => (await b.search({ q: '', filters: { maxPriceFen: 1 }, sort: 'price_asc', page: 1, perPage: 5 })).hits.some((h) => h.id === product.id);
      expect(await until(cheapest, FOLLOW_UP_MS)).toBeGreaterThanOrEqual(0);
      await prisma.variant.update({ where: { id: variant.id }, data: { priceFen: variant.priceFen } });
      expect(await until(async () => !(await cheapest()), FOLLOW_UP_MS)).toBeGreaterThanOrEqual(0);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 120_000);
});

describe('outbox delivery', () => {
  it('concurrent workers (FOR UPDATE SKIP LOCKED) deliver every row once the sink accepts, latest state last', async () => {
    await pool().query('update search_outbox set delivered_at = now() where delivered_at is null');
    const sink = new EmbeddedSearch();
    const products = await prisma.product.findMany({ where: { status: 'LISTED' }, take: 20, orderBy: { id: 'asc' } });
    // many changes per product, in order: the last name must win in the index
    for (let round = 0; round < 5; round++) {
      for (const p of products) await prisma.product.update({ where: { id: p.id }, data: { nameEn: `${p.nameEn} round${round}` } });
    }
    expect((await pendingDeliveries()).pending).toBeGreaterThanOrEqual(100);
    const workers = [new OutboxDelivery(sink, { batchSize: 7 }), new OutboxDelivery(sink, { batchSize: 7 }), new OutboxDelivery(sink, { batchSize: 7 })];
    await Promise.all(workers.map((w) => w.drain()));
    // a worker may stop while another still holds rows it skipped: drain again until nothing is left
    while ((await pendingDeliveries()).pending > 0) await workers[0]!.drain();
    expect(workers.reduce((n, w) => n + w.delivered, 0)).toBeGreaterThanOrEqual(100);
    const r = await sink.search({ q: 'round4', filters: {}, sort: 'relevance', page: 1, perPage: 50 });
    expect(new Set(r.hits.map((h) => h.id))).toEqual(new Set(products.map((p) => p.id)));
    for (const h of r.hits) expect(h.nameEn.endsWith('round4')).toBe(true);
    for (const p of products) await prisma.product.update({ where: { id: p.id }, data: { nameEn: p.nameEn } });
    await pool().query('update search_outbox set delivered_at = now() where delivered_at is null');
  }, 60_000);
});

describe('Meilisearch unreachable', () => {
  it('searches are still answered, /healthz says degraded, the outbox keeps the changes', async () => {
    const port = await closedPort();
    const service = new SearchService({ meilisearch: { url: `http://127.0.0.1:${port}`, apiKey: 'key', timeoutMs: 500 }, deliveryPollMs: 100, meiliCheckMs: 200, log: () => {} });
    await setSearchService(service);
    try {
      // before the embedded index is built: Postgres answers
      const early = await service.search({ q: '刺梨', filters: {}, sort: 'relevance', page: 1, perPage: 5 });
      expect(early.engine).toBe('database');
      expect(early.hits[0]!.nameZh).toContain('刺梨');
      service.start();
      expect(await until(async () => service.embedded.isReady, 60_000)).toBeGreaterThanOrEqual(0);
      const r = await service.search({ q: 'cili', filters: {}, sort: 'relevance', page: 1, perPage: 5 });
      expect(r.engine).toBe('embedded');
      expect(r.hits[0]!.nameZh).toContain('刺梨');
      const api = await searchApi(args('/api/v1/search?q=cili'));
      expect(api.status).toBe(200);

      const health = await body$(await healthz());
      expect(health.status).toBe('degraded');
      expect(health.checks.search.meilisearch.status).toBe('down');
      expect(health.checks.search.engine).toBe('embedded');

      await pool().query('update search_outbox set delivered_at = now() where delivered_at is null');
      const product = await prisma.product.findFirstOrThrow({ where: { status: 'LISTED' } });
      await prisma.product.update({ where: { id: product.id }, data: { salesCount: { increment: 1 } } });
      // the delivery worker keeps trying and failing; the row stays, its attempts and error are recorded
      expect(await until(async () => (await pool().query<{ attempts: number }>('select attempts from search_outbox where product_id = $1 and delivered_at is null order by id desc limit 1', [product.id])).rows[0]?.attempts! >= 1, 10_000)).toBeGreaterThanOrEqual(0);
      const row = await pool().query<{ last_error: string | null }>('select last_error from search_outbox where product_id = $1 and delivered_at is null order by id desc limit 1', [product.id]);
      expect(row.rows[0]!.last_error).toBeTruthy();
      expect((await pendingDeliveries()).pending).toBeGreaterThanOrEqual(1);
      await prisma.product.update({ where: { id: product.id }, data: { salesCount: product.salesCount } });
    } finally {
      await setSearchService(undefined);
      await pool().query('update search_outbox set delivered_at = now() where delivered_at is null');
    }
  }, 120_000);
});

describe('the Postgres fallback agrees with the embedded engine on filters and counts', () => {
  it('same totals and facet counts for filter-only searches', async () => {
    const embedded = new EmbeddedSearch();
    const { allDocuments } = await import('~/modules/search/documents.server');
    await embedded.replaceAll(allDocuments());
    const db = new PostgresSearch();
    for (const filters of [{}, { county: '520281' }, { category: 'handicrafts' }, { inStock: true, certified: true }, { pairing: 'zhongshan-liupanshui' }, { minPriceFen: 3000, maxPriceFen: 10000 }]) {
      const req = { q: '', filters, sort: 'price_asc' as const, page: 1, perPage: 10 };
      const [e, d] = await Promise.all([embedded.search(req), db.search(req)]);
      expect(d.total, JSON.stringify(filters)).toBe(e.total);
      expect(d.facets.county, JSON.stringify(filters)).toEqual(e.facets.county);
      expect(d.facets.kind).toEqual(e.facets.kind);
      expect(d.hits.map((h) => h.minPriceFen)).toEqual(e.hits.map((h) => h.minPriceFen));
    }
  });
});
