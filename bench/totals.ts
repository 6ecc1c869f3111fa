// Totals of a pairing-year over a large ledger: the app's real path (totals(), which reads the daily
// rollup kept by the ledger's statement trigger) against a naive SUM over the ledger entries, both
// measured in the same run on the same data. Targets: p95 ≤ 20 ms and ≥ 100× faster than the naive SUM.
//
//   tsx bench/totals.ts [entries]     (default 10,000,000; or BENCH_TOTALS_ENTRIES)
//
// The entries are generated set-based (INSERT … SELECT over generate_series, one million per statement,
// so the rollup trigger runs as it does for a real bulk import) for 中山 ↔ 六盘水, its three group
// pairings and 黄埔 ↔ 独山 over 2021–2025: a city pairing-year holds about a tenth of all entries.
import { benchDatabase, percentile, report } from './lib';

const arg = process.argv[2] ?? process.env.BENCH_TOTALS_ENTRIES ?? '10000000';
const N = Number(arg.replace(/_/g, ''));
if (!Number.isInteger(N) || N < 10_000) throw new Error(`entries must be an integer ≥ 10000, got ${arg}`);
const CHUNK = 1_000_000;
const ROLLUP_RUNS = Number(process.env.BENCH_ROLLUP_RUNS ?? 400);
const NAIVE_RUNS = Number(process.env.BENCH_NAIVE_RUNS ?? 40);

const db = await benchDatabase('totals');
try {
  const { prisma } = await import('../app/modules/db/db.server');
  const { totals } = await import('../app/modules/attribution/ledger.server');
  const id = async (slug: string) => (await prisma.pairing.findUniqueOrThrow({ where: { slug } })).id;
  const city = await id('zhongshan-liupanshui');
  const torch = await id('zhongshan-torch-shuicheng');
  const dongqu = await id('zhongshan-dongqu-liuzhi');
  const xiaolan = await id('zhongshan-xiaolan-panzhou');
  const dushan = await id('huangpu-dushan');

  // Entry i: i % 8 in 0..3 → the city pairing (origin 钟山/六枝/水城/盘州), 4..6 → one group pairing with
  // its county, 7 → 黄埔 ↔ 独山. Dates spread over 2021-01-01 … 2025-12-31 by a multiplicative hash.
  const insert = `
    insert into ledger_entry (source_type, source_id, pairing_id, pairing_level, amount_fen, quantity, description,
                              statistics_kind, flow, origin_code, occurred_at)
    select 'IMPORT_ROW', 'bench-' || i,
      case i % 8 when 4 then ${torch} when 5 then ${dongqu} when 6 then ${xiaolan} when 7 then ${dushan} else ${city} end,
      (case when i % 8 between 4 and 6 then 'GROUP' else 'TOP' end)::"PairingLevel",
      100 + (i * 37) % 100000, 1 + (i % 20), 'bench goods ' || (i % 500),
      (case when i % 5 = 0 then 'HANDICRAFT' else 'AGRI_LIVESTOCK' end)::"StatisticsKind",
      (case when i % 3 = 0 then 'HELPED_SALES' else 'PROCUREMENT' end)::"Flow",
      case i % 8 when 0 then '520201' when 1 then '520203' when 2 then '520204' when 3 then '520281'
                 when 4 then '520204' when 5 then '520203' when 6 then '520281' else '522726' end,
      timestamptz '2021-01-01 00:00:00+08' + ((i * 2654435761) % 157766400) * interval '1 second'
    from generate_series($1::bigint, $2::bigint) i`;
  const t0 = performance.now();
  for (let from = 1; from <= N; from += CHUNK) {
    const to = Math.min(N, from + CHUNK - 1);
    await prisma.$executeRawUnsafe(insert, from, to);
    process.stdout.write(`\rgenerated ${to.toLocaleString('en')} / ${N.toLocaleString('en')} entries (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const genSeconds = (performance.now() - t0) / 1000;
  console.log();
  await prisma.$executeRawUnsafe('vacuum analyze ledger_entry');
  await prisma.$executeRawUnsafe('vacuum analyze ledger_daily');
  const [{ n }] = await prisma.$queryRawUnsafe<Array<{ n: bigint }>>('select count(*) as n from ledger_entry');
  const [{ d }] = await prisma.$queryRawUnsafe<Array<{ d: bigint }>>('select count(*) as d from ledger_daily');

  // The naive way: sum the pairing-year's entries themselves (same day boundaries as the rollup: China time).
  const naive = async (pairingId: number, year: number) => {
    const [r] = await prisma.$queryRawUnsafe<Array<{ amount: bigint; quantity: bigint; entries: bigint }>>(
      `select coalesce(sum(amount_fen), 0)::bigint as amount, coalesce(sum(quantity), 0)::bigint as quantity, count(*) as entries
       from ledger_entry
       where pairing_id = $1 and occurred_at >= ($2::date)::timestamp at time zone 'Asia/Shanghai'
         and occurred_at < ($3::date + 1)::timestamp at time zone 'Asia/Shanghai'`,
      pairingId, `${year}-01-01`, `${year}-12-31`);
    return { totalFen: Number(r!.amount), quantity: Number(r!.quantity), entries: Number(r!.entries) };
  };
  const rollup = (pairingId: number, year: number) => totals({ pairingId, from: `${year}-01-01`, to: `${year}-12-31` });
  const cases = [2021, 2022, 2023, 2024, 2025].flatMap((y) => [{ pairingId: city, year: y }, { pairingId: xiaolan, year: y }]);

  // Same answers first (an exact method, not an estimate).
  for (const c of cases) {
    const [a, b] = [await rollup(c.pairingId, c.year), await naive(c.pairingId, c.year)];
    if (a.totalFen !== b.totalFen || a.quantity !== b.quantity || a.entries !== b.entries) {
      throw new Error(`rollup ≠ entries for pairing ${c.pairingId} ${c.year}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
  const time = async (runs: number, f: (pairingId: number, year: number) => Promise<unknown>) => {
    for (let i = 0; i < Math.min(5, runs); i++) await f(city, 2023); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c = cases[i % cases.length]!;
      const s = performance.now();
      await f(c.pairingId, c.year);
      ms.push(performance.now() - s);
    }
    return ms.sort((x, y) => x - y);
  };
  const r = await time(ROLLUP_RUNS, rollup);
  const nv = await time(NAIVE_RUNS, naive);
  const [cityYear] = [await naive(city, 2023)];
  const p = (xs: number[], q: number) => percentile(xs, q);
  const ratio95 = p(nv, 95) / p(r, 95);
  const ratio50 = p(nv, 50) / p(r, 50);
  report('totals', [
    { metric: 'ledger entries', value: Number(n).toLocaleString('en') },
    { metric: 'rollup rows (ledger_daily)', value: Number(d).toLocaleString('en') },
    { metric: 'entries in one city pairing-year (2023)', value: cityYear.entries.toLocaleString('en') },
    { metric: 'generation (INSERT … generate_series + trigger)', value: `${genSeconds.toFixed(0)} s` },
    { metric: 'pairing-year total via rollup p50', value: `${p(r, 50).toFixed(2)} ms` },
    { metric: 'pairing-year total via rollup p95', value: `${p(r, 95).toFixed(2)} ms`, target: '≤ 20 ms', ok: p(r, 95) <= 20 },
    { metric: 'naive SUM over entries p50', value: `${p(nv, 50).toFixed(1)} ms` },
    { metric: 'naive SUM over entries p95', value: `${p(nv, 95).toFixed(1)} ms` },
    { metric: 'speed-up p50 (naive / rollup)', value: `${ratio50.toFixed(0)}×` },
    { metric: 'speed-up p95 (naive / rollup)', value: `${ratio95.toFixed(0)}×`, baseline: `${p(nv, 95).toFixed(1)} ms`, ratio: `${ratio95.toFixed(0)}×`, target: '≥ 100×', ok: ratio95 >= 100 },
  ]);
  await prisma.$disconnect();
} finally {
  await db.stop();
}
