// The downloadable import template: the Chinese header row (CSV, UTF-8 with BOM) or an XLSX workbook
// with the header on the first sheet and, on a second sheet, what each column takes.
import ExcelJS from 'exceljs';
import { BUYER_TYPE_LABELS, COLUMNS, FLOW_LABELS, KIND_LABELS } from './format';

export function templateCsv() {
  return Buffer.from(`\uFEFF${COLUMNS.map((c) => c.zh).join(',')}\r\n`, 'utf8');
}

export async function templateXlsx() {
  const wb = new ExcelJS.Workbook();
  wb.creator = '山海集';
  const data = wb.addWorksheet('导入数据');
  data.columns = COLUMNS.map((c) => ({ header: c.zh, key: c.key, width: Math.max(12, c.example.length * 2) }));
  data.getRow(1).font = { bold: true };
  data.views = [{ state: 'frozen', ySplit: 1 }];
  // text columns stay text (codes keep their leading digits, evidence numbers are not rounded)
  for (const key of ['buyerPlace', 'origin', 'evidence', 'date'] as const) data.getColumn(key).numFmt = '@';
  // drop-down lists for the coded columns
  const lists: Partial<Record<string, string[]>> = {
    buyerType: Object.values(BUYER_TYPE_LABELS), kind: Object.values(KIND_LABELS), flow: Object.values(FLOW_LABELS),
  };
  COLUMNS.forEach((c, i) => {
    const values = lists[c.key];
    if (!values) return;
    const col = String.fromCharCode(65 + i);
    for (let r = 2; r <= 1000; r++) {
      data.getCell(`${col}${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${values.join(',')}"`] };
    }
  });
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '列名', width: 22 }, { header: '填写要求', width: 60 }, { header: '示例', width: 36 }];
  help.getRow(1).font = { bold: true };
  for (const c of COLUMNS) help.addRow([c.zh, c.hintZh, c.example]);
  help.addRow([]);
  help.addRow(['重复规则', '凭证号、销售方、日期和金额都相同的记录只计一次；凭证号或商品描述含平台订单号（SH+数字）的记录不能导入，平台订单已自动计入。', '']);
  help.addRow(['编码', 'CSV 文件可用 UTF-8（可带 BOM）或 GBK 编码。', '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
