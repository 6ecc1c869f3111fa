// Catalogue search on 300,000 generated products (seed:bulk): p50/p95/p99 of a mixed query set with
// facets, index build time and resident memory of the embedded engine, each beside a naive Postgres
// ILIKE search (PostgresSearch: ILIKE over the text columns + GROUP BY facets) over the same rows,
// measured in the same run. BENCH_PRODUCTS overrides the count (default 300000).
import { benchDatabase, percentile, report } from './lib';

const COUNT = Number(process.env.BENCH_PRODUCTS ?? 300_000);
const { stop } = await benchDatabase('search');
try {
  const { seedBulkProducts } = await import('../app/modules/demo/bulk.server');
  const { allDocuments, countListedProducts } = await import('../app/modules/search/documents.server');
  const { EmbeddedSearch } = await import('../app/modules/search/embedded.server');
  const { PostgresSearch } = await import('../app/modules/search/database.server');
  const { disconnect } = await import('../app/modules/db/db.server');
  type Req = import('../app/modules/search/types').SearchRequest;

  const seeded = await seedBulkProducts(COUNT, console.log);
  const listed = await countListedProducts();
  console.log(`seeded ${seeded.products} products (${listed} listed) in ${(seeded.ms / 1000).toFixed(1)} s`);

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  const engine = new EmbeddedSearch();
  const buildStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  await engine.replaceAll(allDocuments(5_000), { total: listed });
  const buildMs = performance.now() - buildStarted;
  const cpu = process.cpuUsage(cpuStarted);
  const buildCpuMs = (cpu.user + cpu.system) / 1000;
  const load = (await import('node:os')).loadavg()[0]!;
  gc?.();
  const rss = process.memoryUsage().rss;
  console.log(`embedded build: ${(buildMs / 1000).toFixed(1)} s, RSS ${(rss / 1048576).toFixed(0)} MB (index ≈ ${(engine.stats().approximateBytes / 1048576).toFixed(0)} MB, +${((rss - rssBefore) / 1048576).toFixed(0)} MB)`);

  // The mixed query set: words, pinyin, initials, English, typos, places; with and without filters; sorts.
  const base = (q: string, extra: Partial<Req> = {}): Req => ({ q, filters: {}, sort: 'relevance', page: 1, perPage: 24, ...extra });
  const queries: Req[] = [
    base('刺梨'), base('cili'), base('cl'), base('刺梨原液'), base('鸡蛋'), base('土鸡蛋'), base('马尾绣'), base('独山'), base('盘州'), base('rosa roxburgi'),
    base('honey'), base('tea'), base('猕猴桃'), base('kiwi'), base('蜂蜜'), base('茶叶'), base('jidan'), base('dushan'), base('有机 刺梨'), base('高山 茶'),
    base('', { filters: { county: '520281' } }), base('', { filters: { category: 'handicrafts' } }), base('', { sort: 'best_selling' }), base('', { sort: 'price_asc', filters: { inStock: true } }),
    base('刺梨', { filters: { inStock: true, certified: true } }), base('鸡蛋', { sort: 'price_asc' }), base('刺梨', { filters: { minPriceFen: 3000, maxPriceFen: 20000 } }),
    base('蜂蜜', { filters: { province: '520000' }, sort: 'newest' }), base('马尾绣', { filters: { kind: 'HANDICRAFT' }, page: 3 }), base('茶', { filters: { prefecture: '520200' } }),
  ];

  // budgetMs: the naive baseline can take minutes per pass on 300,000 rows; stop after the budget (at
  // least one sample per query kind is taken in order, so the sample is the first N of the same set)
  const time = async (run: (r: Req) => Promise<unknown>, reps: number, budgetMs = Infinity) => {
    const samples: number[] = [];
    const started = performance.now();
    for (let k = 0; k < reps; k++) {
      for (const q of queries) {
        if (performance.now() - started > budgetMs) return samples.sort((a, b) => a - b);
        const t = performance.now();
        await run(q);
        samples.push(performance.now() - t);
      }
    }
    return samples.sort((a, b) => a - b);
  };

  await time((r) => engine.search(r), 1); // warm-up
  const emb = await time((r) => engine.search(r), 10);
  const db = new PostgresSearch();
  await db.search(queries[0]!); // warm-up (caches)
  const ilike = await time((r) => db.search(r), 1, Number(process.env.BENCH_ILIKE_BUDGET_MS ?? 600_000));
  console.log(`ILIKE baseline: ${ilike.length} of ${queries.length} queries measured`);
  await disconnect();

  const p = (s: number[], q: number) => percentile(s, q);
  const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  const ratio = (a: number, b: number) => `${(b / a).toFixed(0)}×`;
  report('search', [
    { metric: `products indexed`, value: String(listed) },
    { metric: 'queries measured (embedded / ILIKE)', value: `${emb.length} / ${ilike.length}` },
    { metric: 'embedded p50 (mixed queries with facets)', value: fmt(p(emb, 50)), baseline: `ILIKE ${fmt(p(ilike, 50))}`, ratio: ratio(p(emb, 50), p(ilike, 50)) },
    { metric: 'embedded p95', value: fmt(p(emb, 95)), baseline: `ILIKE ${fmt(p(ilike, 95))}`, ratio: ratio(p(emb, 95), p(ilike, 95)), target: '≤ 15 ms and ≥ 50×', ok: p(emb, 95) <= 15 && p(ilike, 95) / p(emb, 95) >= 50 },
    { metric: 'embedded p99', value: fmt(p(emb, 99)), baseline: `ILIKE ${fmt(p(ilike, 99))}`, ratio: ratio(p(emb, 99), p(ilike, 99)) },
    { metric: 'embedded index build from the database (wall)', value: `${(buildMs / 1000).toFixed(1)} s`, baseline: `ILIKE needs none`, target: '≤ 60 s', ok: buildMs <= 60_000 },
    { metric: 'embedded index build, CPU time of this process', value: `${(buildCpuMs / 1000).toFixed(1)} s` },
    { metric: 'machine load average at build (2 cores)', value: load.toFixed(1) },
    { metric: 'resident memory after build (whole process)', value: `${(rss / 1048576).toFixed(0)} MB`, baseline: `before build ${(rssBefore / 1048576).toFixed(0)} MB`, ratio: `${(rss / rssBefore).toFixed(1)}×`, target: '≤ 1.5 GB', ok: rss <= 1.5 * 1024 ** 3 },
  ]);
} finally {
  await stop();
}
