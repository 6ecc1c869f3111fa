// Gift distribution lists: UTF-8 (with and without BOM), GBK and XLSX files; every bad row reported with
// its row number and reason; the list is accepted only when every row is good.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { describeGiftError } from './gift-list';
import { normaliseMobile, parseGiftList } from './gift-list.server';

const good = [
  '姓名,手机号,地址,数量',
  '张三,13800138000,广东省中山市东区街道中山四路1号,2',
  '李四,139 1234 5678,广东省中山市石岐街道孙文中路88号301室,1',
  '"王五, 工会",+86 137-0000-1111,"广州市黄埔区大沙地东路8号 ""工会""收",10',
];
const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';

describe('gift list', () => {
  it('reads a good UTF-8 list with BOM, quotes and normalised mobiles', async () => {
    const r = await parseGiftList({ filename: 'list.csv', bytes: Buffer.from('\uFEFF' + csv(good), 'utf8') });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.encoding).toBe('UTF-8-BOM');
    expect(r.totalQuantity).toBe(13);
    expect(r.recipients).toEqual([
      { rowNo: 2, name: '张三', mobile: '13800138000', address: '广东省中山市东区街道中山四路1号', quantity: 2 },
      { rowNo: 3, name: '李四', mobile: '13912345678', address: '广东省中山市石岐街道孙文中路88号301室', quantity: 1 },
      { rowNo: 4, name: '王五, 工会', mobile: '13700001111', address: '广州市黄埔区大沙地东路8号 "工会"收', quantity: 10 },
    ]);
  });

  it('reads a GBK file (as Excel saves CSV in China) with header aliases', async () => {
    const bytes = iconv.encode(csv(['收货人,联系电话,收货地址,份数', '赵六,18612345678,贵州省六盘水市盘州市红果街道1号,3']), 'gbk');
    const r = await parseGiftList({ filename: '名单.csv', bytes });
    expect(r).toMatchObject({ ok: true, encoding: 'GBK', totalQuantity: 3, recipients: [{ rowNo: 2, name: '赵六', address: '贵州省六盘水市盘州市红果街道1号' }] });
  });

  it('rejects the whole list when any row is bad, with every row number and reason', async () => {
    const lines = [
      ...good,
      ',13800138000,广东省中山市东区街道中山四路1号,1', // row 5: no name
      '钱七,1380013800,广东省中山市,0', // row 6: mobile, address, quantity
      '孙八,13800138001,广东省中山市东区街道中山四路2号,两箱', // row 7: quantity text
      '',
      '张三,13800138000,广东省中山市东区街道中山四路1号,5', // row 9: repeats row 2
      '周九,13800138002,广东省中山市东区街道中山四路3号,1000', // row 10: too many
    ];
    const r = await parseGiftList({ filename: 'list.csv', bytes: Buffer.from(csv(lines), 'utf8') });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fileError).toBeNull();
    expect(r.rows).toBe(8);
    expect(Object.fromEntries(r.rowErrors.map((e) => [e.rowNo, e.errors]))).toEqual({
      5: ['name.missing'],
      6: ['mobile.format', 'address.tooShort', 'quantity.format'],
      7: ['quantity.format'],
      9: ['row.duplicate:2'],
      10: ['quantity.tooLarge'],
    });
    expect(describeGiftError('row.duplicate:2')).toBe('与第2行重复（姓名、手机号、地址相同），请合并数量');
    expect(describeGiftError('row.duplicate:2', 'en')).toContain('repeats row 2');
  });

  it('reads XLSX (numbers as cells) and reports file-level problems', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['序号', '姓名', '手机号码', '详细地址', '数量']);
    ws.addRow([1, '吴十', 13512345678, '广东省佛山市顺德区龙江镇文华路1号', 4]);
    ws.addRow([2, '郑一', '', '广东省佛山市顺德区龙江镇文华路2号', 1]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await parseGiftList({ filename: 'list.xlsx', bytes });
    expect(r).toMatchObject({ ok: false, format: 'xlsx', rowErrors: [{ rowNo: 3, errors: ['mobile.missing'] }] });
    ws.spliceRows(3, 1);
    const ok = await parseGiftList({ filename: 'list.xlsx', bytes: Buffer.from(await wb.xlsx.writeBuffer()) });
    expect(ok).toMatchObject({ ok: true, totalQuantity: 4, recipients: [{ rowNo: 2, mobile: '13512345678' }] });

    expect(await parseGiftList({ filename: 'a.csv', bytes: Buffer.from('姓名,手机号\r\n张三,13800138000\r\n') })).toMatchObject({ ok: false, fileError: 'file.columns:地址、数量' });
    expect(await parseGiftList({ filename: 'a.csv', bytes: Buffer.from(csv([good[0]!])) })).toMatchObject({ ok: false, fileError: 'file.noRows' });
    expect(await parseGiftList({ filename: 'a.csv', bytes: Buffer.alloc(0) })).toMatchObject({ ok: false, fileError: 'file.empty' });
    expect(await parseGiftList({ filename: 'old.xls', bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]) })).toMatchObject({ ok: false, fileError: 'file.type' });
    expect(await parseGiftList({ filename: 'broken.xlsx', bytes: Buffer.from('PK\u0003\u0004garbage') })).toMatchObject({ ok: false, fileError: expect.stringMatching(/^file\.unreadable/) });
  });

  it('normalises mainland mobile numbers', () => {
    expect(normaliseMobile('+86 138-0013-8000')).toBe('13800138000');
    expect(normaliseMobile('008613800138000')).toBe('13800138000');
    expect(normaliseMobile('12800138000')).toBeNull();
    expect(normaliseMobile('020-12345678')).toBeNull();
  });
});
