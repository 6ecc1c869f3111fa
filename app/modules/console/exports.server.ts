// Exports of totals and drill-downs as XLSX (exceljs, streamed) and CSV (UTF-8 with BOM so Excel reads
// the Chinese headers). Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start)
// gets a leading single quote; amounts are numbers written by us, never user text. File names carry
// the pairing and period, in ASCII and (RFC 5987 filename*) in Chinese.
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { FLOW_LABELS, KIND_LABELS } from '~/modules/imports/format';
import { fenToYuanText } from '~/modules/money/money';
import type { Dashboard } from './dashboard.server';
import { iterateEntries, type Entry, type EntryFilter } from './entries.server';
import type { Period } from './period';
import type { ConsoleScope, ScopePairing } from './scope.server';

export type ExportFormat = 'csv' | 'xlsx';

/** Formula-injection guard for text cells (OWASP CSV injection). */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A money cell: written as a number, not as text. */
type Money = { fen: number };
type Cell = string | number | Money | null;
const money = (fen: number): Money => ({ fen });
const isMoney = (c: Cell): c is Money => typeof c === 'object' && c !== null;

const rfc5987 = (s: string) => encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function contentDisposition(ascii: string, unicode: string) {
  const safeAscii = ascii.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `attachment; filename="${safeAscii}"; filename*=UTF-8''${rfc5987(unicode)}`;
}

export function exportFileNames(pairing: Pick<ScopePairing, 'slug' | 'nameZh'>, period: Period, what: 'summary' | 'entries', format: ExportFormat) {
  const span = period.year ? String(period.year) : `${period.from}_${period.to}`;
  const spanZh = period.year ? `${period.year}年` : `${period.from}至${period.to}`;
  const zhName = pairing.nameZh.replace(/\s*↔\s*/g, '-').replace(/[\\/:*?"<>|\s]+/g, '');
  return {
    ascii: `${pairing.slug}_${span}_${what}.${format}`,
    unicode: `${zhName}_${spanZh}_${what === 'summary' ? '消费帮扶汇总' : '消费帮扶明细'}.${format}`,
  };
}

const SOURCE_LABELS: Record<string, string> = { ORDER_LINE: '平台订单', REFUND_LINE: '平台退款', IMPORT_ROW: '线下导入', IMPORT_REVERSAL: '导入撤销' };
const LEVEL_LABELS: Record<string, string> = { TOP: '结对', GROUP: '组团结对' };
const kindLabel = (k: string) => KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k;
const flowLabel = (f: string) => FLOW_LABELS[f as keyof typeof FLOW_LABELS] ?? f;

type Sheet = { name: string; header: string[]; rows: AsyncIterable<Cell[][]> | Iterable<Cell[][]>; widths?: number[] };

async function* asAsync<T>(it: AsyncIterable<T> | Iterable<T>): AsyncIterable<T> {
  for await (const x of it as AsyncIterable<T>) yield x;
}

/** Writes sheets (XLSX) or, for CSV, the sheets one after another with a blank line between. */
function write(sheets: Sheet[], format: ExportFormat): Readable {
  if (format === 'csv') {
    const csv = stringify({ bom: true, record_delimiter: 'windows' });
    void (async () => {
      try {
        let first = true;
        for (const s of sheets) {
          if (!first) csv.write([]);
          first = false;
          if (sheets.length > 1) csv.write([neutralise(s.name)]);
          csv.write(s.header);
          for await (const batch of asAsync(s.rows)) {
            for (const row of batch) {
              const ok = csv.write(row.map((c) => (c === null ? '' : isMoney(c) ? fenToYuanText(c.fen) : typeof c === 'number' ? String(c) : neutralise(c))));
              if (!ok) await new Promise((r) => csv.once('drain', r));
            }
          }
        }
        csv.end();
      } catch (error) {
        csv.destroy(error as Error);
      }
    })();
    return csv;
  }
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  void (async () => {
    try {
      for (const s of sheets) {
        const ws = wb.addWorksheet(s.name.slice(0, 31));
        ws.columns = s.header.map((h, i) => ({ header: h, width: s.widths?.[i] ?? Math.max(10, h.length * 2 + 2) }));
        ws.getRow(1).font = { bold: true };
        ws.getRow(1).commit();
        for await (const batch of asAsync(s.rows)) {
          for (const row of batch) {
            const r = ws.addRow(row.map((c) => (c === null ? null : isMoney(c) ? c.fen / 100 : typeof c === 'number' ? c : neutralise(c))));
            row.forEach((c, i) => {
              if (isMoney(c)) r.getCell(i + 1).numFmt = '#,##0.00';
            });
            r.commit();
          }
        }
        ws.commit();
      }
      await wb.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const ENTRY_HEADER = ['日期', '结对', '层级', '产地代码', '产地', '统计类别', '帮扶方式', '商品描述', '销售方', '采购单位', '渠道', '数量', '金额(元)', '来源', '来源编号', '导入批次', '文件行号', '凭证号', '冲销的分录'];

export function entryCells(e: Entry): Cell[] {
  return [
    e.day, e.pairingName, LEVEL_LABELS[e.pairingLevel] ?? e.pairingLevel, e.originCode, e.originName, kindLabel(e.kind), flowLabel(e.flow),
    e.description, e.sellerName, e.buyerName, e.channel, e.quantity, money(e.amountFen), SOURCE_LABELS[e.sourceType] ?? e.sourceType,
    e.sourceId, e.batchId, e.rowNo, e.evidenceRef, e.reversesId,
  ];
}

/** All entries of a drill-down filter, streamed. */
export function entriesExport(filter: EntryFilter, format: ExportFormat): Readable {
  const rows = (async function* () {
    for await (const batch of iterateEntries(filter)) yield batch.map(entryCells);
  })();
  return write([{ name: '明细', header: ENTRY_HEADER, rows, widths: [12, 22, 10, 10, 12, 16, 10, 30, 30, 30, 12, 10, 16, 10, 12, 10, 10, 24, 12] }], format);
}

/** The dashboard's figures (total, splits, months, counties, group pairings, goods, sellers). */
export function summaryExport(pairing: ScopePairing, d: Dashboard, format: ExportFormat): Readable {
  const header = ['项目', '金额(元)', '数量', '记录数'];
  const overview: Cell[][] = [
    [`${pairing.nameZh} ${d.period.from} 至 ${d.period.to} 合计`, money(d.totalFen), d.quantity, d.entries],
    [`上年同期 ${d.previous.from} 至 ${d.previous.to}`, money(d.lastYearFen), null, null],
    ...(d.target ? [[`${d.period.year}年目标`, money(d.target.targetFen), null, null] as Cell[]] : []),
    ...d.kindFlow.map((k): Cell[] => [`${flowLabel(k.flow)} · ${kindLabel(k.kind)}`, money(k.amountFen), k.quantity, k.entries]),
  ];
  const sheets: Sheet[] = [
    { name: '汇总', header, rows: [overview], widths: [48, 18, 12, 10] },
    { name: '按月', header: ['月份', '金额(元)', '数量', '记录数'], rows: [d.months.map((m) => [m.month, money(m.amountFen), m.quantity, m.entries])] },
    { name: '按产地', header: ['产地代码', '产地', '金额(元)', '数量', '记录数'], rows: [d.counties.map((c) => [c.code, c.name, money(c.amountFen), c.quantity, c.entries])] },
    ...(d.hasChildren ? [{ name: '按组团', header: ['组团结对', '金额(元)', '数量', '记录数'], rows: [d.subPairings.map((s): Cell[] => [s.nameZh ?? '未纳入组团', money(s.amountFen), s.quantity, s.entries])] }] : []),
    { name: '商品', header: ['商品描述', '金额(元)', '数量', '记录数'], rows: [d.top.goods.map((g) => [g.name, money(g.amountFen), g.quantity, g.entries])] },
    { name: '销售方', header: ['销售方', '金额(元)', '数量', '记录数'], rows: [d.top.sellers.map((g) => [g.name, money(g.amountFen), g.quantity, g.entries])] },
  ];
  return write(sheets, format);
}

/** Exports are actions officials answer for: audited like the rest. */
export async function auditExport(scope: Pick<ConsoleScope, 'user'>, pairing: ScopePairing, details: Record<string, string | number | null>, request?: Request) {
  await prisma.$transaction((tx) => writeAudit(tx, { actorId: scope.user.id, action: 'export.download', entityType: 'pairing', entityId: pairing.slug, pairingId: pairing.id, details, request }));
}
