// Orders placed per second by concurrent clients (placeOrder, the module the checkout route calls,
// in this process with the app's own connection pool), as a ratio to a TPC-B rate measured in the
// same run on the same Postgres. pgbench is not shipped with the embedded PostgreSQL binaries, so the
// baseline is pgbench's TPC-B transaction (scale 1, same client count) run from node with `pg`.
// Also checks zero oversells: the stock left plus the units sold equals the stock at the start, and
// no variant went negative. Target: ratio ≥ 25 %, 0 oversells.
import pg from 'pg';
import { benchDatabase, report } from './lib';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const clients = Number(process.env.BENCH_CLIENTS ?? 16);
const db = await benchDatabase('checkout');
try {
  // ---- baseline: TPC-B (pgbench's default script) ----
  const pool = new pg.Pool({ connectionString: db.url, max: clients });
  await pool.query(`
    drop table if exists pgbench_history, pgbench_tellers, pgbench_accounts, pgbench_branches;
    create table pgbench_branches (bid int primary key, bbalance int, filler char(88));
    create table pgbench_tellers (tid int primary key, bid int, tbalance int, filler char(84));
    create table pgbench_accounts (aid int primary key, bid int, abalance int, filler char(84));
    create table pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
    insert into pgbench_branches select 1, 0;
    insert into pgbench_tellers select t, 1, 0 from generate_series(1, 10) t;
    insert into pgbench_accounts select a, 1, 0 from generate_series(1, 100000) a;`);
  await pool.query('vacuum analyze pgbench_branches, pgbench_tellers, pgbench_accounts');
  const rnd = (n: number) => 1 + Math.floor(Math.random() * n);
  async function tpcb(until: number) {
    let n = 0;
    const c = await pool.connect();
    try {
      while (Date.now() < until) {
        const aid = rnd(100000), tid = rnd(10), bid = 1, delta = Math.floor(Math.random() * 10001) - 5000;
        await c.query('begin');
        await c.query('update pgbench_accounts set abalance = abalance + $1 where aid = $2', [delta, aid]);
        await c.query('select abalance from pgbench_accounts where aid = $1', [aid]);
        await c.query('update pgbench_tellers set tbalance = tbalance + $1 where tid = $2', [delta, tid]);
        await c.query('update pgbench_branches set bbalance = bbalance + $1 where bid = $2', [delta, bid]);
        await c.query('insert into pgbench_history (tid, bid, aid, delta, mtime) values ($1, $2, $3, $4, current_timestamp)', [tid, bid, aid, delta]);
        await c.query('end');
        n++;
      }
    } finally {
      c.release();
    }
    return n;
  }
  await Promise.all(Array.from({ length: clients }, () => tpcb(Date.now() + 1000))); // warm-up
  let started = Date.now();
  const tpcbCount = (await Promise.all(Array.from({ length: clients }, () => tpcb(started + seconds * 1000)))).reduce((a, b) => a + b, 0);
  const tps = tpcbCount / ((Date.now() - started) / 1000);
  await pool.end();

  // ---- checkout: concurrent clients placing orders for 5 variants, 2 sellers, limited stock ----
  const { listedProduct, userByEmail, ADDRESS } = await import('../tests/helpers/orders');
  const { placeOrder, OrderError } = await import('../app/modules/orders/orders.server');
  const { prisma, disconnect } = await import('../app/modules/db/db.server');
  const buyer = await userByEmail('consumer@demo.shanhai.cn');
  const STOCK = 2000;
  const products = [];
  for (let i = 0; i < 5; i++) products.push(await listedProduct({ stock: STOCK, priceFen: 1000 + i * 100, countyCode: i % 2 ? '522726' : '520281' }));
  const ids = products.map((p) => p.variantId);
  let placed = 0;
  let refused = 0;
  async function shopper(until: number) {
    while (Date.now() < until) {
      const a = ids[rnd(ids.length) - 1]!, b = ids[rnd(ids.length) - 1]!;
      try {
        await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: a, quantity: rnd(3) }, { variantId: b, quantity: 1 }], provider: 'BANK_TRANSFER' });
        placed++;
      } catch (error) {
        if (!(error instanceof OrderError)) throw error;
        refused++;
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, () => shopper(Date.now() + 1000))); // warm-up (counts towards stock)
  const warm = placed;
  placed = 0;
  refused = 0;
  started = Date.now();
  await Promise.all(Array.from({ length: clients }, () => shopper(started + seconds * 1000)));
  const ordersPerSecond = placed / ((Date.now() - started) / 1000);

  const stock = await prisma.variant.findMany({ where: { id: { in: ids } }, select: { id: true, stock: true } });
  const sold = await prisma.orderLine.groupBy({ by: ['variantId'], where: { variantId: { in: ids } }, _sum: { quantity: true } });
  let oversells = 0;
  for (const v of stock) {
    const s = sold.find((x) => x.variantId === v.id)?._sum.quantity ?? 0;
    if (v.stock < 0 || v.stock + s !== STOCK) oversells++;
  }
  await disconnect();
  const ratio = ordersPerSecond / tps;
  report('checkout', [
    { metric: `TPC-B tps (node, ${clients} clients, scale 1)`, value: tps.toFixed(0) },
    { metric: `orders placed/s (${clients} clients)`, value: ordersPerSecond.toFixed(0), baseline: `${tps.toFixed(0)} tps`, ratio: `${(ratio * 100).toFixed(1)}%`, target: '≥ 25%', ok: ratio >= 0.25 },
    { metric: 'orders refused (out of stock)', value: String(refused) },
    { metric: 'orders placed incl. warm-up', value: String(placed + warm) },
    { metric: 'oversold variants', value: String(oversells), target: '0', ok: oversells === 0 },
  ]);
} finally {
  await db.stop();
}
