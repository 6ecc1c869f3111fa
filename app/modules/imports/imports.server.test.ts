import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ledgerSelfCheck, totals } from '~/modules/attribution/ledger.server';
import { prisma } from '~/modules/db/db.server';
import { DEMO, scopeOf } from '../../../tests/helpers/session';
import { importChecks } from './checks.server';
import { COLUMNS } from './format';
import { bufferSource } from './parse.server';
import { batchEffect, commitBatch, getBatch, ImportError, importActor, listBatchRows, revertBatch, stageImport } from './imports.server';

const HEADER = COLUMNS.map((c) => c.zh).join(',');
let n = 0;
const uid = () => `${process.pid}${Date.now().toString(36)}${n++}`.toUpperCase();

type Row = Partial<Record<'date' | 'buyer' | 'type' | 'place' | 'seller' | 'origin' | 'desc' | 'kind' | 'flow' | 'qty' | 'amount' | 'channel' | 'evidence', string>>;
const row = (r: Row = {}) => [
  r.date ?? '2024-03-15', r.buyer ?? '中山市第一中学食堂', r.type ?? '预算单位', r.place ?? '442000', r.seller ?? '盘州市贾西刺梨种植农民专业合作社',
  r.origin ?? '520281', r.desc ?? '刺梨原液 500ml×6', r.kind ?? '农畜牧产品', r.flow ?? '采购', r.qty ?? '10', r.amount ?? '1280.50',
  r.channel ?? '食堂采购', r.evidence ?? `FP${uid()}`,
].map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
const csv = (rows: string[], { bom = false } = {}) => Buffer.from(`${bom ? '\uFEFF' : ''}${HEADER}\r\n${rows.join('\r\n')}\r\n`, 'utf8');

async function stage(email: string, file: Buffer, fileName = 'records.csv') {
  const scope = await scopeOf(email);
  const { batchId } = await stageImport({ actor: importActor(scope), fileName, source: bufferSource(file) });
  return { scope, batch: (await getBatch(batchId))!, rows: await listBatchRows({ id: batchId, status: 'STAGED' }, { take: 100, skip: 0 }) };
}
const pairing = async (slug: string) => (await prisma.pairing.findUniqueOrThrow({ where: { slug } })).id;
const errorsOf = (rows: { items: Array<{ rowNo: number; errors: string[] }> }) => Object.fromEntries(rows.items.filter((r) => r.errors.length).map((r) => [r.rowNo, r.errors]));

describe('offline import', () => {
  it('stages a valid UTF-8 file, commits it into the ledger at both pairing levels, and reverts it', async () => {
    const city = await pairing('zhongshan-liupanshui');
    const group = await pairing('zhongshan-xiaolan-panzhou');
    const window = { from: '2024-01-01', to: '2024-01-31' };
    const before = [await totals({ pairingId: city, ...window }), await totals({ pairingId: group, ...window })];
    const file = csv([
      row({ date: '2024-01-10', amount: '1000.00', origin: '520281' }),
      row({ date: '2024/1/11', amount: '2,500.5', origin: '520204', kind: '特色手工艺产品', flow: '帮助销售', type: '个人', buyer: '个人消费者（专柜零售）' }),
      row({ date: '2024年1月12日', amount: '￥300', origin: '520201', seller: '贵州初好农业发展有限公司' }),
    ], { bom: true });
    const { scope, batch } = await stage(DEMO.zs, file);
    expect(batch).toMatchObject({ status: 'STAGED', rowCount: 3, errorCount: 0, totalFen: 380_050, encoding: 'UTF-8-BOM', fileError: null });
    expect(batch.pairingIds.sort()).toEqual([city, group, await pairing('zhongshan-torch-shuicheng')].sort());
    // nothing reaches the ledger before the official confirms
    expect((await totals({ pairingId: city, ...window })).totalFen).toBe(before[0]!.totalFen);
    const effect = await batchEffect(batch);
    expect(effect.filter((e) => e.pairingId === city).reduce((s, e) => s + e.amountFen, 0)).toBe(380_050);

    const result = await commitBatch(scope, batch.id);
    expect(result).toEqual({ rows: 3, entries: 5 }); // 盘州 and 水城 count twice (group + city), 钟山 once
    expect((await totals({ pairingId: city, ...window })).totalFen - before[0]!.totalFen).toBe(380_050);
    expect((await totals({ pairingId: group, ...window })).totalFen - before[1]!.totalFen).toBe(100_000);
    expect((await getBatch(batch.id))!.status).toBe('COMMITTED');
    expect(await prisma.importStagingRow.count({ where: { batchId: batch.id } })).toBe(0);
    await expect(commitBatch(scope, batch.id)).rejects.toMatchObject({ code: 'batch.notStaged' });
    expect(await ledgerSelfCheck()).toEqual([]);
    expect(await importChecks()).toEqual([]);

    // revert: negative entries, never deletes; totals go back; the records may be imported again
    const entriesBefore = await prisma.ledgerEntry.count();
    await expect(revertBatch(scope, batch.id, '  ')).rejects.toMatchObject({ code: 'batch.reasonMissing' });
    expect(await revertBatch(scope, batch.id, '文件重复上报')).toEqual({ rows: 3, reversals: 5 });
    expect(await prisma.ledgerEntry.count()).toBe(entriesBefore + 5);
    expect((await totals({ pairingId: city, ...window })).totalFen).toBe(before[0]!.totalFen);
    expect((await totals({ pairingId: group, ...window })).totalFen).toBe(before[1]!.totalFen);
    await expect(revertBatch(scope, batch.id, 'again')).rejects.toMatchObject({ code: 'batch.notCommitted' });
    expect(await ledgerSelfCheck()).toEqual([]);
    expect(await importChecks()).toEqual([]);
    const audit = await prisma.auditLog.findMany({ where: { entityType: 'import_batch', entityId: String(batch.id) }, orderBy: { id: 'asc' } });
    expect([...new Set(audit.map((a) => a.action))]).toEqual(['import.stage', 'import.commit', 'import.revert']);

    const again = await stage(DEMO.zs, file, 'records-corrected.csv');
    expect(again.batch.errorCount).toBe(0);
  });

  it('lists every bad row with its row number and reason, and refuses to commit', async () => {
    const file = csv([
      row(),
      row({ date: '2024-02-30' }),
      row({ date: '15/03/2024' }),
      row({ date: '2099-01-01' }),
      row({ amount: '12.345' }),
      row({ amount: '-5' }),
      row({ amount: '' }),
      row({ kind: '工业品' }),
      row({ flow: '捐赠' }),
      row({ type: '学校' }),
      row({ origin: '5202' }),
      row({ origin: '999999' }),
      row({ origin: '522726' }), // 独山: not in 中山 ↔ 六盘水
      row({ place: '000000' }),
      row({ qty: '1.5' }),
      row({ seller: '' }),
      row({ evidence: '' }),
      row({ evidence: 'SH2026112300012' }),
      row({ desc: '平台订单 sh20261123000999 补录' }),
      `2024-03-15,只有两列`,
      row({ origin: '520281', date: '2020-06-01' }), // before the pairing existed
    ]);
    const { scope, batch, rows } = await stage(DEMO.zs, file);
    expect(batch.rowCount).toBe(21);
    expect(batch.errorCount).toBe(20);
    const e = errorsOf(rows);
    expect(e[2]).toBeUndefined();
    expect(e[3]).toEqual(['date.invalid']);
    expect(e[4]).toEqual(['date.format']);
    expect(e[5]).toEqual(['date.future']);
    expect(e[6]).toEqual(['amount.format']);
    expect(e[7]).toEqual(['amount.notPositive']);
    expect(e[8]).toEqual(['amount.missing']);
    expect(e[9]).toEqual(['kind.unknown']);
    expect(e[10]).toEqual(['flow.unknown']);
    expect(e[11]).toEqual(['buyerType.unknown']);
    expect(e[12]).toEqual(['origin.format']);
    expect(e[13]).toEqual(['origin.unknown']);
    expect(e[14]).toEqual(['origin.outOfScope']);
    expect(e[15]).toEqual(['buyerPlace.unknown']);
    expect(e[16]).toEqual(['quantity.format']);
    expect(e[17]).toEqual(['seller.missing']);
    expect(e[18]).toEqual(['evidence.missing']);
    expect(e[19]).toEqual(['duplicate.platformOrder:SH2026112300012']);
    expect(e[20]).toEqual(['duplicate.platformOrder:SH20261123000999']);
    expect(e[21]).toContain('row.columns');
    expect(e[22]).toEqual(['origin.noPairing']);
    await expect(commitBatch(scope, batch.id)).rejects.toBeInstanceOf(ImportError);
    expect(await prisma.importRow.count({ where: { batchId: batch.id } })).toBe(0);
  });

  it('reads GBK files and XLSX files', async () => {
    const text = `${HEADER}\r\n${row({ seller: '独山百顺蛋鸡养殖场', origin: '522726', desc: '鲜鸡蛋 30枚装', buyer: '黄埔区机关食堂', place: '440112', amount: '880', date: '2024-05-02' })}\r\n`;
    const gbk = await stage(DEMO.hp, iconv.encode(text, 'gbk'));
    expect(gbk.batch).toMatchObject({ encoding: 'GBK', rowCount: 1, errorCount: 0, totalFen: 88_000 });
    expect(gbk.rows.items[0]).toMatchObject({ sellerName: '独山百顺蛋鸡养殖场', description: '鲜鸡蛋 30枚装' });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('导入');
    ws.addRow(COLUMNS.map((c) => c.zh));
    ws.addRow([new Date(Date.UTC(2024, 4, 3)), '黄埔区总工会', '工会', '440112', '独山县林盘桑蚕农民专业合作社', '522726', '蚕丝被', '特色手工艺产品', '采购', 20, 12800.5, '工会福利', `HT-${uid()}`]);
    ws.addRow([]);
    const xlsx = await stage(DEMO.hp, Buffer.from(await wb.xlsx.writeBuffer()), 'records.xlsx');
    expect(xlsx.batch).toMatchObject({ format: 'xlsx', encoding: 'XLSX', rowCount: 1, errorCount: 0, totalFen: 1_280_050 });
    expect(xlsx.rows.items[0]).toMatchObject({ occurredOn: '2024-05-03', statisticsKind: 'HANDICRAFT', quantity: 20 });
  });

  it('rejects repeated records: within one file, of an earlier file, and the very same file again', async () => {
    const evidence = `HT-${uid()}`;
    const same = row({ evidence, amount: '5000', date: '2024-06-01' });
    const inFile = await stage(DEMO.zs, csv([same, row({ evidence: evidence.toLowerCase() + ' ', amount: '5000.00', date: '2024-06-01' })]));
    expect(errorsOf(inFile.rows)).toEqual({ 3: ['duplicate.inFile:2'] });

    const file = csv([same, row({ date: '2024-06-02' })]);
    const first = await stage(DEMO.zs, file);
    await commitBatch(first.scope, first.batch.id);
    const second = await stage(DEMO.zs, file);
    expect(second.batch.errorCount).toBe(2);
    expect(Object.values(errorsOf(second.rows))).toEqual([[`duplicate.existing:${first.batch.id}`], [`duplicate.existing:${first.batch.id}`]]);
  });

  it('lets the UNIQUE index decide between two batches committed one after the other', async () => {
    const file = csv([row({ date: '2024-06-05', amount: '777' })]);
    const a = await stage(DEMO.zs, file);
    const b = await stage(DEMO.zs, file, 'copy.csv'); // staged before a was committed: its check passed
    expect(b.batch.errorCount).toBe(0);
    await commitBatch(a.scope, a.batch.id);
    await expect(commitBatch(b.scope, b.batch.id)).rejects.toMatchObject({ code: 'batch.duplicate' });
    const after = await getBatch(b.batch.id);
    expect(after).toMatchObject({ status: 'STAGED', errorCount: 1 });
  });

  it('keeps officials to their pairings; an admin may import anywhere', async () => {
    const dushan = csv([row({ origin: '522726', seller: '独山县鄢家山社区香菇种植农民专业合作社', date: '2024-07-01' })]);
    expect((await stage(DEMO.zs, dushan)).batch.errorCount).toBe(1);
    const admin = await stage(DEMO.admin, dushan);
    expect(admin.batch.errorCount).toBe(0);
    // another official may neither commit nor revert a batch outside their scope
    const hp = await scopeOf(DEMO.hp);
    const zs = await stage(DEMO.zs, csv([row({ date: '2024-07-02' })]));
    await expect(commitBatch(hp, zs.batch.id)).rejects.toMatchObject({ code: 'batch.forbidden' });
    await commitBatch(zs.scope, zs.batch.id);
    await expect(revertBatch(hp, zs.batch.id, 'not mine')).rejects.toMatchObject({ code: 'batch.forbidden' });
  });

  it('reports file-level problems without staging rows', async () => {
    const missing = await stage(DEMO.zs, Buffer.from('日期,金额\n2024-01-01,5\n'));
    expect(missing.batch.fileError).toMatch(/^file.columns:/);
    expect(missing.batch.rowCount).toBe(0);
    const empty = await stage(DEMO.zs, Buffer.from(`${HEADER}\n\n`));
    expect(empty.batch.fileError).toBe('file.noRows');
    await expect(stage(DEMO.zs, Buffer.from('hello'), 'x.pdf')).rejects.toMatchObject({ code: 'file.type' });
  });
});
