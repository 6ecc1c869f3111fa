import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { totals } from '~/modules/attribution/ledger.server';
import { prisma } from '~/modules/db/db.server';
import { COLUMNS } from '~/modules/imports/format';
import { bufferSource } from '~/modules/imports/parse.server';
import { commitBatch, getBatch, importActor, revertBatch, sameFileCommitted, stageImport } from '~/modules/imports/imports.server';
import { DEMO, scopeOf } from '../../../tests/helpers/session';
import { dashboard } from './dashboard.server';
import { iterateEntries, listEntries, type EntryFilter } from './entries.server';
import { contentDisposition, entriesExport, exportFileNames, neutralise, summaryExport } from './exports.server';
import { monthRange, yearPeriod, type Period } from './period';
import type { ScopePairing } from './scope.server';

async function scopePairing(email: string, slug: string): Promise<ScopePairing> {
  const scope = await scopeOf(email);
  const p = scope.pairings.find((x) => x.slug === slug);
  if (!p) throw new Error(`${slug} not in scope of ${email}`);
  return p;
}

/** The rows behind a filter, read one by one (not the SQL sum): amount, quantity and count. */
async function rowsOf(f: EntryFilter) {
  let amountFen = 0;
  let quantity = 0;
  let entries = 0;
  for await (const batch of iterateEntries(f, 2000)) {
    for (const e of batch) {
      amountFen += e.amountFen;
      quantity += e.quantity;
      entries++;
    }
  }
  return { amountFen, quantity, entries };
}

async function expectDrillDownsAddUp(pairing: ScopePairing, period: Period) {
  const d = await dashboard(pairing, period);
  const base: EntryFilter = { pairing, period };
  expect(d.totalFen).toBeGreaterThan(0);
  // the total = its rows = the drill-down page's sum
  expect(await rowsOf(base)).toEqual({ amountFen: d.totalFen, quantity: d.quantity, entries: d.entries });
  const page = await listEntries(base);
  expect({ amountFen: page.amountFen, entries: page.total }).toEqual({ amountFen: d.totalFen, entries: d.entries });
  // every level: month, county, flow × kind, group pairing — each figure equals its rows, and the figures add up
  const checks: Array<[string, number, number, EntryFilter]> = [
    ...d.months.map((m): [string, number, number, EntryFilter] => {
      const r = monthRange(m.month);
      const clipped = { from: r.from < period.from ? period.from : r.from, to: r.to > period.to ? period.to : r.to, year: null };
      return [`month ${m.month}`, m.amountFen, m.entries, { ...base, period: clipped }];
    }),
    ...d.counties.map((c): [string, number, number, EntryFilter] => [`county ${c.code}`, c.amountFen, c.entries, { ...base, county: c.code }]),
    ...d.kindFlow.map((k): [string, number, number, EntryFilter] => [`${k.flow} ${k.kind}`, k.amountFen, k.entries, { ...base, flow: k.flow, kind: k.kind }]),
    ...d.subPairings.map((s): [string, number, number, EntryFilter] => [`sub ${s.slug ?? 'none'}`, s.amountFen, s.entries, { ...base, sub: s.slug ?? 'none' }]),
  ];
  for (const [name, amountFen, entries, f] of checks) {
    const rows = await rowsOf(f);
    expect({ name, amountFen: rows.amountFen, entries: rows.entries }).toEqual({ name, amountFen, entries });
  }
  const sum = (xs: Array<{ amountFen: number }>) => xs.reduce((s, x) => s + x.amountFen, 0);
  expect(sum(d.months)).toBe(d.totalFen);
  expect(sum(d.counties)).toBe(d.totalFen);
  expect(sum(d.kindFlow)).toBe(d.totalFen);
  if (d.hasChildren) expect(sum(d.subPairings)).toBe(d.totalFen);
  else expect(d.subPairings).toEqual([]);
  return d;
}

describe('totals equal the sum of their drill-down rows', () => {
  it('中山 ↔ 六盘水 2021 (city pairing with group pairings): total, months, counties, kinds × flows, group pairings', async () => {
    const d = await expectDrillDownsAddUp(await scopePairing(DEMO.zs, 'zhongshan-liupanshui'), yearPeriod(2021));
    expect(d.totalFen).toBe(18_300_000_000);
    expect(d.subPairings.map((s) => s.slug)).toContain(null); // 钟山区 is in no group pairing
  });

  it('a group pairing and 黄埔 ↔ 独山 2022', async () => {
    await expectDrillDownsAddUp(await scopePairing(DEMO.zs, 'zhongshan-xiaolan-panzhou'), yearPeriod(2021));
    const d = await expectDrillDownsAddUp(await scopePairing(DEMO.hp, 'huangpu-dushan'), yearPeriod(2022));
    expect(d.totalFen).toBe(40_600_000_000);
  });

  it('a date range with partial months (monthly rollup inside, daily rollup at the edges)', async () => {
    const pairing = await scopePairing(DEMO.zs, 'zhongshan-liupanshui');
    await expectDrillDownsAddUp(pairing, { from: '2021-03-17', to: '2021-09-04', year: null });
    for (const [from, to] of [['2021-02-01', '2021-02-28'], ['2021-02-02', '2021-02-27'], ['2021-01-31', '2021-03-01'], ['2021-06-30', '2022-01-01']] as const) {
      const t = await totals({ pairingId: pairing.id, from, to });
      const rows = await rowsOf({ pairing, period: { from, to, year: null } });
      expect({ from, to, amountFen: t.totalFen, entries: t.entries }).toEqual({ from, to, amountFen: rows.amountFen, entries: rows.entries });
    }
  });
});

const HEADER = COLUMNS.map((c) => c.zh).join(',');
const q = (v: string) => `"${v.replace(/"/g, '""')}"`;

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks) as Buffer;
}

describe('exports', () => {
  it('neutralises formula-like text in CSV and XLSX, with Chinese headers and the pairing and period in the file name', async () => {
    const stamp = `${process.pid}${Date.now().toString(36)}`.toUpperCase();
    const evil = {
      buyer: '=HYPERLINK("http://evil.example","点我")',
      seller: '+SUM(1,2)盘州测试合作社',
      desc: '-2+3 刺梨汁',
      channel: '@cmd|\'/c calc\'!A0',
    };
    const file = Buffer.from(`${HEADER}\r\n${['2023-02-14', q(evil.buyer), '工会', '442000', q(evil.seller), '520281', q(evil.desc), '农畜牧产品', '采购', '3', '99.90', q(evil.channel), `FX-${stamp}`].join(',')}\r\n`);
    const scope = await scopeOf(DEMO.zs);
    const { batchId } = await stageImport({ actor: importActor(scope), fileName: 'evil.csv', source: bufferSource(file) });
    expect((await getBatch(batchId))!.errorCount).toBe(0);
    await commitBatch(scope, batchId);
    const pairing = scope.pairings.find((p) => p.slug === 'zhongshan-xiaolan-panzhou')!;
    const filter: EntryFilter = { pairing, period: { from: '2023-02-14', to: '2023-02-14', year: null }, source: 'IMPORT_ROW' };

    const csv = await collect(entriesExport(filter, 'csv'));
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // BOM: Excel reads the Chinese headers
    const records: string[][] = parse(csv.toString('utf8').slice(1), { relax_column_count: true });
    expect(records[0]).toContain('金额(元)');
    const row = records.find((r) => r.includes(`FX-${stamp}`))!;
    expect(row).toBeDefined();
    for (const v of Object.values(evil)) expect(row).toContain(`'${v}`);
    expect(row).toContain('99.90');
    // no cell of the file starts like a formula
    for (const r of records) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await collect(entriesExport(filter, 'xlsx'))) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toContain('商品描述');
    const cells: ExcelJS.Cell[] = [];
    ws.eachRow((r) => r.eachCell((c) => cells.push(c)));
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
    const texts = cells.map((c) => c.value).filter((v): v is string => typeof v === 'string');
    for (const v of Object.values(evil)) expect(texts).toContain(`'${v}`);
    expect(texts.filter((t) => /^[=+\-@]/.test(t))).toEqual([]);
    expect(cells.some((c) => c.value === 99.9)).toBe(true); // amounts stay numbers

    // summary export: top goods and sellers carry user text too
    const d = await dashboard(pairing, filter.period);
    const summary = await collect(summaryExport(pairing, d, 'csv'));
    expect(summary.toString('utf8')).toContain(`'${evil.desc}`);
    expect(parse(summary.toString('utf8').slice(1), { relax_column_count: true }).flat().filter((c: string) => /^[=+\-@]/.test(c))).toEqual([]);

    expect(neutralise('=1+1')).toBe("'=1+1");
    expect(neutralise('\t=1')).toBe("'\t=1");
    expect(neutralise('中山 = 六盘水')).toBe('中山 = 六盘水');
    const names = exportFileNames(pairing, yearPeriod(2021), 'entries', 'xlsx');
    expect(names).toEqual({ ascii: 'zhongshan-xiaolan-panzhou_2021_entries.xlsx', unicode: '中山小榄组团-盘州市_2021年_消费帮扶明细.xlsx' });
    expect(exportFileNames(pairing, { from: '2021-03-01', to: '2021-05-31', year: null }, 'summary', 'csv').ascii).toBe('zhongshan-xiaolan-panzhou_2021-03-01_2021-05-31_summary.csv');
    expect(contentDisposition(names.ascii, names.unicode)).toBe(`attachment; filename="${names.ascii}"; filename*=UTF-8''${encodeURIComponent(names.unicode)}`);
    await revertBatch(scope, batchId, '测试数据');
  });
});

describe('import: the very same file twice', () => {
  it('flags every row of a re-uploaded committed file and names the earlier batch', async () => {
    const stamp = `${process.pid}${Date.now().toString(36)}`.toUpperCase();
    const file = Buffer.from(`${HEADER}\n2023-04-01,中山市总工会,工会,442000,盘州测试合作社,520281,刺梨干,农畜牧产品,采购,2,50.00,工会福利,DF-${stamp}\n2023-04-02,中山市总工会,工会,442000,盘州测试合作社,520281,刺梨干,农畜牧产品,采购,2,60.00,工会福利,DF-${stamp}\n`);
    const scope = await scopeOf(DEMO.zs);
    const first = await stageImport({ actor: importActor(scope), fileName: 'same.csv', source: bufferSource(file) });
    await commitBatch(scope, first.batchId);
    const second = await stageImport({ actor: importActor(scope), fileName: 'same (1).csv', source: bufferSource(file) });
    const b = (await getBatch(second.batchId))!;
    expect(b).toMatchObject({ rowCount: 2, errorCount: 2, totalFen: 0 });
    expect(b.fileSha256).toBe((await getBatch(first.batchId))!.fileSha256);
    expect(await sameFileCommitted(b)).toMatchObject({ id: first.batchId });
    await expect(commitBatch(scope, second.batchId)).rejects.toMatchObject({ code: 'batch.hasErrors' });
    expect(await prisma.importRow.count({ where: { batchId: second.batchId } })).toBe(0);
  });
});
