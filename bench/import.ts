// Offline import of a generated CSV (default 1,000,000 rows) through the real import path — stageImport
// (store, stream-parse, COPY into staging, set-based checks) then commitBatch (import_row + ledger
// entries at both pairing levels + rollups, one transaction) — against a raw Postgres COPY of the same
// file into a bare table, in the same run. Target: the import runs at ≥ 50% of the COPY's speed.
// Peak RSS of this process is sampled throughout (the file is never held in memory).
// Two floors are measured in the same run, to show what any import that checks and keeps the rows must
// spend at least: reading and checking the rows with nothing written (the parser alone), and writing
// the batch's rows, already typed, into a second table shaped like import_row (no parse, no network,
// no checks, no ledger). Each is printed as a share of the 50 % budget (twice the raw COPY's time).
//
//   tsx bench/import.ts [rows]     (default 1,000,000; or BENCH_IMPORT_ROWS)
import fs from 'node:fs';
import path from 'node:path';
import { benchDatabase, report, root } from './lib';

const arg = process.argv[2] ?? process.env.BENCH_IMPORT_ROWS ?? '1000000';
const N = Number(arg.replace(/_/g, ''));
if (!Number.isInteger(N) || N < 1000) throw new Error(`rows must be an integer ≥ 1000, got ${arg}`);

const db = await benchDatabase('import');
const dir = path.join(root, '.data', 'bench-import-files');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `offline-${N}.csv`);
try {
  const { prisma, pool } = await import('../app/modules/db/db.server');
  const { copyFrom } = await import('../app/modules/db/copy.server');
  const { COLUMNS } = await import('../app/modules/imports/format');
  const { chinaToday, csvRows, decode, fileSource, isBlank, mapHeader, readRow } = await import('../app/modules/imports/parse.server');
  const { commitBatch, getBatch, importActor, stageImport } = await import('../app/modules/imports/imports.server');
  const { getUserByEmail } = await import('../app/modules/accounts/session.server');
  const { consoleScopeOf } = await import('../app/modules/console/scope.server');

  // The file: valid, distinct records of 中山 ↔ 六盘水 (all four counties: 钟山 counts once, the others
  // for their group pairing too), 2023–2025, both kinds and flows, UTF-8 with BOM as Excel writes it.
  const counties = ['520201', '520203', '520204', '520281'];
  const sellers = ['盘州市贾西刺梨种植农民专业合作社', '贵州初好农业发展有限公司', '水城区猕猴桃产业合作社', '六枝特区岩脚面加工厂', '钟山区大河镇蔬菜合作社'];
  const goods = ['刺梨原液 500ml×6', '红心猕猴桃 5斤装', '六枝岩脚面 2.5kg', '苗绣香包', '蜡染桌旗', '盘州火腿 礼盒'];
  const buyers = [['中山市第一中学食堂', '预算单位'], ['中山市总工会', '工会'], ['中山市小榄镇人民政府食堂', '预算单位'], ['个人消费者（专柜零售）', '个人'], ['中山市某某电器有限公司', '企业']];
  const channels = ['食堂采购', '工会福利', '展销会', '小榄专柜', '黔品入湾'];
  const t0 = performance.now();
  {
    const out = fs.createWriteStream(file);
    const write = (s: string) => (out.write(s) ? null : new Promise<void>((r) => out.once('drain', () => r())));
    await write(`\uFEFF${COLUMNS.map((c) => c.zh).join(',')}\r\n`);
    let buf = '';
    for (let i = 1; i <= N; i++) {
      const day = new Date(Date.UTC(2023, 0, 1) + ((i * 7919) % 1095) * 86_400_000).toISOString().slice(0, 10);
      const b = buyers[i % buyers.length]!;
      const handicraft = i % 5 === 0;
      const fen = 1000 + ((i * 7727) % 2_000_000);
      buf += `${day},${b[0]},${b[1]},442000,${sellers[i % sellers.length]},${counties[i % 4]},${goods[i % goods.length]},${handicraft ? '特色手工艺产品' : '农畜牧产品'},${i % 3 === 0 ? '帮助销售' : '采购'},${1 + (i % 50)},${(fen / 100).toFixed(2)},${channels[i % channels.length]},BI${String(i).padStart(9, '0')}\r\n`;
      if (buf.length > 1 << 20) {
        await write(buf);
        buf = '';
      }
    }
    await write(buf);
    await new Promise<void>((r) => out.end(r));
  }
  const genSeconds = (performance.now() - t0) / 1000;
  const bytes = fs.statSync(file).size;
  console.log(`generated ${N.toLocaleString('en')} rows, ${(bytes / 1048576).toFixed(0)} MB in ${genSeconds.toFixed(0)} s`);

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const rssBefore = process.memoryUsage().rss;

  // Baseline: raw COPY of the same bytes into a bare table (13 text columns), streamed the same way.
  const client = await pool().connect();
  let copySeconds: number;
  try {
    await client.query(`drop table if exists bench_bare; create table bench_bare (${COLUMNS.map((_, i) => `c${i} text`).join(', ')})`);
    const s = performance.now();
    const copied = await copyFrom(client, `COPY bench_bare FROM STDIN WITH (FORMAT csv, HEADER true)`, fileSource(file)());
    copySeconds = (performance.now() - s) / 1000;
    if (copied !== N) throw new Error(`COPY loaded ${copied} rows, expected ${N}`);
  } finally {
    client.release();
  }
  console.log(`raw COPY: ${copySeconds.toFixed(1)} s`);

  // The real path, as the official of 中山 ↔ 六盘水.
  const user = await getUserByEmail('official-zs-lps@demo.shanhai.cn');
  const scope = await consoleScopeOf(user!);
  let last = 0;
  // when each phase began (store → parse, which streams the COPY into staging → check → done → commit)
  const phaseStart = new Map<string, number>();
  const progress = (p: { phase: string; rows: number }) => {
    if (!phaseStart.has(p.phase)) phaseStart.set(p.phase, performance.now());
    if (Date.now() - last > 2000) {
      last = Date.now();
      process.stdout.write(`\r${p.phase} ${p.rows.toLocaleString('en')} rows   `);
    }
  };
  const s1 = performance.now();
  const { batchId } = await stageImport({ actor: importActor(scope), fileName: path.basename(file), source: fileSource(file), onProgress: progress });
  const stageSeconds = (performance.now() - s1) / 1000;
  const batch = (await getBatch(batchId))!;
  if (batch.fileError || batch.errorCount || batch.rowCount !== N) throw new Error(`staged batch is not clean: ${JSON.stringify({ fileError: batch.fileError, errors: batch.errorCount, rows: batch.rowCount })}`);
  const s2 = performance.now();
  const committed = await commitBatch(scope, batchId, undefined, progress);
  const commitSeconds = (performance.now() - s2) / 1000;
  clearInterval(sampler);
  console.log();
  const importSeconds = stageSeconds + commitSeconds;
  const [{ n }] = await prisma.$queryRawUnsafe<Array<{ n: bigint }>>(`select count(*) as n from import_row where batch_id = $1`, batchId);
  if (Number(n) !== N) throw new Error(`import_row holds ${n} rows, expected ${N}`);
  const ratio = copySeconds / importSeconds;

  // Floor 1: the parser alone — read, decode, split and check every row as stageImport does, write nothing.
  const p0 = performance.now();
  {
    let header: ReturnType<typeof mapHeader> | null = null;
    let width = 0;
    let parsed = 0;
    const today = chinaToday();
    for await (const rows of csvRows(decode(fileSource(file)(), 'UTF-8-BOM'))) {
      for (const r of rows) {
        if (isBlank(r.cells)) continue;
        if (!header) {
          header = mapHeader(r.cells);
          width = r.cells.length;
          continue;
        }
        if (readRow(r, header, width, today, true).errors.length) throw new Error(`row ${r.rowNo} is not clean`);
        parsed++;
      }
    }
    if (parsed !== N) throw new Error(`parsed ${parsed} rows, expected ${N}`);
  }
  const parseSeconds = (performance.now() - p0) / 1000;
  // Floor 2: the batch's rows written once more, already typed, into a table with import_row's columns,
  // defaults and indexes (its keys: id, file row, the duplicate rule) — server-side INSERT … SELECT.
  await prisma.$executeRawUnsafe('drop table if exists bench_rows');
  await prisma.$executeRawUnsafe('create table bench_rows (like import_row including defaults including indexes)');
  const w0 = performance.now();
  await prisma.$executeRawUnsafe(
    `insert into bench_rows (batch_id, row_no, occurred_on, buyer_name, buyer_type, buyer_place_code, seller_name, origin_code, description, statistics_kind, flow, quantity, amount_fen, channel, evidence_ref)
     select batch_id, row_no, occurred_on, buyer_name, buyer_type, buyer_place_code, seller_name, origin_code, description, statistics_kind, flow, quantity, amount_fen, channel, evidence_ref
     from import_row where batch_id = $1`, batchId);
  const writeSeconds = (performance.now() - w0) / 1000;
  await prisma.$executeRawUnsafe('drop table bench_rows');
  const budget = 2 * copySeconds;
  const share = (s: number) => `${s.toFixed(1)} s = ${Math.round((s / budget) * 100)}% of the 50% budget (${budget.toFixed(1)} s)`;
  const span = (from: string, to: string) => `${(((phaseStart.get(to) ?? s2) - (phaseStart.get(from) ?? s1)) / 1000).toFixed(1)} s`;
  const mb = (x: number) => `${(x / 1048576).toFixed(0)} MB`;
  report('import', [
    { metric: 'rows / file size', value: `${N.toLocaleString('en')} / ${mb(bytes)}` },
    { metric: 'ledger entries written', value: committed.entries.toLocaleString('en') },
    { metric: 'raw COPY into a bare table', value: `${copySeconds.toFixed(1)} s` },
    { metric: 'import: stage (store, parse, COPY, checks)', value: `${stageSeconds.toFixed(1)} s` },
    { metric: '  store (hash, encoding) / parse + COPY', value: `${span('store', 'parse')} / ${span('parse', 'check')}` },
    { metric: '  set-based checks', value: span('check', 'done') },
    { metric: 'import: commit (rows + ledger + rollups)', value: `${commitSeconds.toFixed(1)} s` },
    { metric: 'import total', value: `${importSeconds.toFixed(1)} s (${Math.round(N / importSeconds).toLocaleString('en')} rows/s)` },
    { metric: 'import speed / raw COPY speed', value: `${(ratio * 100).toFixed(0)}%`, baseline: `${copySeconds.toFixed(1)} s`, ratio: `${(ratio * 100).toFixed(0)}%`, target: '≥ 50%', ok: ratio >= 0.5 },
    { metric: 'floor: parse + row checks only, no writes', value: share(parseSeconds) },
    { metric: 'floor: typed rows into import_row shape', value: share(writeSeconds) },
    { metric: 'peak RSS during COPY + import (before)', value: `${mb(peakRss)} (${mb(rssBefore)})` },
  ]);
  await prisma.$disconnect();
} finally {
  fs.rmSync(file, { force: true });
  await db.stop();
}
