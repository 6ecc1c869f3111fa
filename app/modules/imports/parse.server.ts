// Reading an import file as a stream of rows, in bounded memory: encoding detection (BOM → UTF-8;
// otherwise strict UTF-8, else GBK/GB18030), a fast RFC 4180 CSV reader, the streaming XLSX reader of
// exceljs, the Chinese header row, and the per-row checks that need no database (formats, labels,
// required fields). The set-based checks against the database are in imports.server.ts.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parseYuanToFen } from '~/modules/money/money';
import { platformOrderIn } from './platform-order';
import {
  BUYER_TYPE_ALIASES, COLUMNS, FLOW_ALIASES, KIND_ALIASES, headerKey,
  type BuyerTypeKey, type ColumnKey, type FileErrorCode, type FlowKind, type Kind, type RowErrorCode,
} from './format';

export class ImportFileError extends Error {
  constructor(readonly code: FileErrorCode, readonly detail = '') {
    super(detail ? `${code}: ${detail}` : code);
  }
}

export type Encoding = 'UTF-8-BOM' | 'UTF-8' | 'GBK';
/** A file that can be read more than once (a Buffer, or a path on disk). */
export type Source = () => AsyncIterable<Buffer>;

/** A file on disk, read in 1 MiB chunks each time (never held in memory whole). */
export function fileSource(path: string): Source {
  return async function* () {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  };
}

export function bufferSource(buf: Buffer): Source {
  return async function* () {
    const step = 1 << 20;
    for (let i = 0; i < buf.length; i += step) yield buf.subarray(i, Math.min(buf.length, i + step));
  };
}

const BOM = [0xef, 0xbb, 0xbf];

/** Streams the bytes through a fatal UTF-8 decoder: a BOM means UTF-8; valid UTF-8 is UTF-8; anything else is GBK. */
export class EncodingSniffer {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  private first = true;
  private valid = true;
  bom = false;
  push(chunk: Buffer) {
    if (this.first && chunk.length) {
      this.first = false;
      this.bom = chunk.length >= 3 && chunk[0] === BOM[0] && chunk[1] === BOM[1] && chunk[2] === BOM[2];
    }
    if (!this.valid || this.bom) return;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
  }
  result(): Encoding {
    if (this.bom) return 'UTF-8-BOM';
    if (this.valid) {
      try {
        this.decoder.decode(new Uint8Array(0)); // an incomplete sequence at the very end is invalid too
      } catch {
        return 'GBK';
      }
      return 'UTF-8';
    }
    return 'GBK';
  }
}

export function detectEncoding(bytes: Uint8Array): Encoding {
  const s = new EncodingSniffer();
  s.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return s.result();
}

/** Decodes a byte stream to text in the given encoding (GBK is read as GB18030, its superset). */
export async function* decode(source: AsyncIterable<Buffer>, encoding: Encoding): AsyncIterable<string> {
  if (encoding === 'GBK') {
    const d = iconv.getDecoder('gb18030');
    for await (const chunk of source) {
      const s = d.write(chunk);
      if (s) yield s;
    }
    const rest = d.end();
    if (rest) yield rest;
    return;
  }
  // fatal: a file that is not UTF-8 after all fails loudly instead of importing U+FFFD characters
  const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    for await (const chunk of source) {
      const s = d.decode(chunk, { stream: true });
      if (s) yield s;
    }
    const rest = d.decode();
    if (rest) yield rest;
  } catch (error) {
    if (error instanceof TypeError) throw new ImportFileError('file.encoding');
    throw error;
  }
}

export type RawRow = { rowNo: number; cells: string[] };

/**
 * RFC 4180 CSV (comma, double quotes, CRLF or LF) from a text stream, a batch of rows per chunk.
 * Rows without quotes take a fast path (split on commas); quoted fields may contain commas, quotes ("")
 * and line breaks. Row numbers count records from 1 (the header), blank lines included.
 */
export async function* csvRows(text: AsyncIterable<string>): AsyncIterable<RawRow[]> {
  let buf = '';
  let rowNo = 0;
  for await (const chunk of text) {
    buf = buf ? buf + chunk : chunk;
    const out: RawRow[] = [];
    const consumed = parseCsv(buf, false, out, rowNo);
    rowNo += out.length;
    buf = consumed < buf.length ? buf.slice(consumed) : '';
    if (out.length) yield out;
  }
  if (buf.length) {
    const out: RawRow[] = [];
    parseCsv(buf, true, out, rowNo);
    if (out.length) yield out;
  }
}

/** Parses complete records of `s` into `out`; returns how many characters it consumed. */
function parseCsv(s: string, final: boolean, out: RawRow[], rowNo: number): number {
  let pos = 0;
  const n = s.length;
  // The next double quote at or after `pos` (n when there is none), searched again only once passed:
  // searching from every line would scan the rest of the chunk each time (quadratic in the chunk size).
  let q = -1;
  while (pos < n) {
    const nl = s.indexOf('\n', pos);
    if (nl < 0 && !final) break; // an incomplete last line: wait for more text
    const end = nl < 0 ? n : nl;
    const lineEnd = end > pos && s.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (q < pos) {
      q = s.indexOf('"', pos);
      if (q < 0) q = n;
    }
    if (q >= end) {
      out.push({ rowNo: rowNo + out.length + 1, cells: s.slice(pos, lineEnd).split(',') });
      pos = end + 1;
      continue;
    }
    // Slow path: a record with quotes, perhaps over several lines.
    const cells: string[] = [];
    let field = '';
    let i = pos;
    let complete = false;
    for (;;) {
      if (i < n && s.charCodeAt(i) === 34) {
        // quoted field
        i++;
        for (;;) {
          const close = s.indexOf('"', i);
          if (close < 0) {
            if (!final) return pos; // the closing quote is in the next chunk
            field += s.slice(i); // unterminated quote at the end of the file: take the rest
            i = n;
            break;
          }
          field += s.slice(i, close);
          if (s.charCodeAt(close + 1) === 34) {
            field += '"';
            i = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        // anything up to the next comma or line end after a closing quote is kept as written
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c === 44 || c === 10 || (c === 13 && s.charCodeAt(i + 1) === 10) || (c === 13 && i + 1 === n)) break;
          field += s[i];
          i++;
        }
      } else {
        let j = i;
        while (j < n) {
          const c = s.charCodeAt(j);
          if (c === 44 || c === 10) break;
          j++;
        }
        let f = s.slice(i, j);
        if (f.endsWith('\r') && (j === n || s.charCodeAt(j) === 10)) f = f.slice(0, -1);
        field += f;
        i = j;
      }
      if (i >= n) {
        if (!final) return pos;
        cells.push(field);
        complete = true;
        pos = n;
        break;
      }
      const c = s.charCodeAt(i);
      if (c === 13 && i + 1 === n && !final) return pos; // \r at the end of the chunk: is \n next? wait for it
      if (c === 44) {
        cells.push(field);
        field = '';
        i++;
        continue;
      }
      // end of record: \n or \r\n
      cells.push(field);
      if (c === 13) i++;
      pos = i + 1;
      complete = true;
      break;
    }
    if (complete) out.push({ rowNo: rowNo + out.length + 1, cells });
  }
  return pos;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) {
    // exceljs gives date cells as UTC midnight of the calendar date shown
    return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  }
  if (typeof v === 'object') {
    const o = v as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string; formula?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o || o.formula) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if (o.error) return '';
  }
  return String(v);
}

/** The first worksheet of an XLSX file, streamed (exceljs WorkbookReader). Row numbers are the sheet's. */
export async function* xlsxRows(source: AsyncIterable<Buffer>): AsyncIterable<RawRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(source), {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      let batch: RawRow[] = [];
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        batch.push({ rowNo: row.number, cells });
        if (batch.length >= 2000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
      break; // the first worksheet only
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('file.unreadable', (error as Error).message.slice(0, 200));
  }
}

export type HeaderMap = Record<ColumnKey, number>;

const headerIndex = new Map<string, ColumnKey>();
for (const c of COLUMNS) for (const name of [c.zh, c.en, ...c.aliases]) headerIndex.set(headerKey(name), c.key);

/** Maps the header row to column positions; throws ImportFileError when required columns are missing. */
export function mapHeader(cells: string[]): HeaderMap {
  const map: Partial<HeaderMap> = {};
  const dup: string[] = [];
  cells.forEach((cell, i) => {
    const key = headerIndex.get(headerKey(cell.replace(/^\uFEFF/, '')));
    if (!key) return; // other columns (序号, 备注 …) are ignored
    if (map[key] !== undefined) dup.push(cell.trim());
    else map[key] = i;
  });
  if (dup.length) throw new ImportFileError('file.duplicateColumn', dup.join('、'));
  const missing = COLUMNS.filter((c) => map[c.key] === undefined).map((c) => c.zh);
  if (missing.length) throw new ImportFileError('file.columns', missing.join('、'));
  return map as HeaderMap;
}

export type StagedRow = {
  rowNo: number;
  occurredOn: string | null;
  buyerName: string;
  buyerType: BuyerTypeKey | null;
  buyerPlaceCode: string;
  sellerName: string;
  originCode: string;
  description: string;
  statisticsKind: Kind | null;
  flow: FlowKind | null;
  quantity: number | null;
  amountFen: number | null;
  channel: string;
  evidenceRef: string;
  /** the platform order number named in the evidence reference or description (checked against the database later) */
  platformOrder: string | null;
  errors: RowErrorCode[];
};

const WIDE = /[\u3000\uFF01-\uFF5E]/;
const SPACES = /\s{2,}|[\t\n\r\u00a0]/;
/** Anything clean() would change: full-width characters, white space at either end, odd or repeated white space. */
const UNCLEAN = /[\u3000\uFF01-\uFF5E\t\n\r\u00a0]|^\s|\s$|\s\s/;
/** NFKC (full-width letters, digits and spaces to ASCII), trimmed, runs of white space as one space. */
export function clean(s: string | undefined): string {
  if (!s) return '';
  if (!UNCLEAN.test(s)) return s; // the common case: one test instead of three passes
  let t = WIDE.test(s) ? s.normalize('NFKC') : s;
  t = t.trim();
  if (SPACES.test(t)) t = t.replace(/\s+/g, ' ');
  return t;
}

const DATE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const GROUPED = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
const MAX_FEN = 100_000_000_000; // 10亿元 in one row is a typo, not a record

/** Today's date in China (the ledger's day boundary), YYYY-MM-DD. */
export function chinaToday(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isDigit = (c: number) => c >= 48 && c <= 57;

export function parseDate(text: string, today: string): { value: string | null; error?: RowErrorCode } {
  if (!text) return { value: null, error: 'date.missing' };
  // Fast path for what Excel and most systems write, YYYY-MM-DD: same answers as the general path below.
  if (text.length === 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    let digits = true;
    for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(text.charCodeAt(i))) digits = false;
    if (digits) {
      const y = Number(text.slice(0, 4));
      const mo = Number(text.slice(5, 7));
      const d = Number(text.slice(8, 10));
      const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
      if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1]!)) return { value: null, error: 'date.invalid' };
      if (y < 2000) return { value: null, error: 'date.tooOld' };
      if (text > today) return { value: null, error: 'date.future' };
      return { value: text };
    }
  }
  const m = DATE.exec(text) ?? COMPACT_DATE.exec(text);
  if (!m) return { value: null, error: 'date.format' };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return { value: null, error: 'date.invalid' };
  const iso = `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (y < 2000) return { value: null, error: 'date.tooOld' };
  if (iso > today) return { value: null, error: 'date.future' };
  return { value: iso };
}

const PLAIN_AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

export function parseAmount(text: string): { value: number | null; error?: RowErrorCode } {
  if (!text) return { value: null, error: 'amount.missing' };
  const plain = PLAIN_AMOUNT.exec(text); // the common case (1280.50): same result as the general path below
  if (plain) {
    const fen = Number(plain[1]) * 100 + (plain[2] === undefined ? 0 : plain[2].length === 1 ? Number(plain[2]) * 10 : Number(plain[2]));
    if (fen <= 0) return { value: null, error: 'amount.notPositive' };
    if (fen > MAX_FEN) return { value: null, error: 'amount.tooLarge' };
    return { value: fen };
  }
  let t = text.replace(/^[¥￥]\s*/, '').replace(/元$/, '').trim();
  if (GROUPED.test(t)) t = t.replace(/,/g, '');
  const fen = parseYuanToFen(t);
  if (fen === null) return { value: null, error: 'amount.format' };
  if (fen <= 0) return { value: null, error: 'amount.notPositive' };
  if (fen > MAX_FEN) return { value: null, error: 'amount.tooLarge' };
  return { value: fen };
}

export function parseQuantity(text: string): { value: number | null; error?: RowErrorCode } {
  if (!text) return { value: null, error: 'quantity.missing' };
  const t = GROUPED.test(text) ? text.replace(/,/g, '') : text;
  if (!/^\d{1,10}$/.test(t)) return { value: null, error: 'quantity.format' };
  const n = Number(t);
  if (n < 1 || n > 2_147_483_647) return { value: null, error: 'quantity.format' };
  return { value: n };
}

function required(text: string, max: number, missing: RowErrorCode, tooLong: RowErrorCode, errors: RowErrorCode[]) {
  if (!text) errors.push(missing);
  else if (text.length > max) errors.push(tooLong);
  return text;
}

/** Reads one data row; every problem that needs no database is listed in `errors`. */
export function readRow(raw: RawRow, h: HeaderMap, width: number, today: string, csv: boolean): StagedRow {
  const c = raw.cells;
  const errors: RowErrorCode[] = [];
  if (csv && (c.length < width || (c.length > width && c.slice(width).some((x) => x.trim() !== '')))) errors.push('row.columns');
  const date = parseDate(clean(c[h.date]), today);
  if (date.error) errors.push(date.error);
  const buyerName = required(clean(c[h.buyerName]), 200, 'buyerName.missing', 'buyerName.tooLong', errors);
  const buyerTypeText = clean(c[h.buyerType]);
  const buyerType = BUYER_TYPE_ALIASES[buyerTypeText.toLowerCase()] ?? null;
  if (!buyerTypeText) errors.push('buyerType.missing');
  else if (!buyerType) errors.push('buyerType.unknown');
  const buyerPlaceCode = clean(c[h.buyerPlace]);
  if (!buyerPlaceCode) errors.push('buyerPlace.missing');
  else if (!/^\d{6}(\d{3})?$/.test(buyerPlaceCode)) errors.push('buyerPlace.format');
  const sellerName = required(clean(c[h.seller]), 200, 'seller.missing', 'seller.tooLong', errors);
  const originCode = clean(c[h.origin]);
  if (!originCode) errors.push('origin.missing');
  else if (!/^\d{6}$/.test(originCode)) errors.push('origin.format');
  const description = required(clean(c[h.description]), 500, 'description.missing', 'description.tooLong', errors);
  const kindText = clean(c[h.kind]);
  const statisticsKind = KIND_ALIASES[kindText.toLowerCase()] ?? null;
  if (!kindText) errors.push('kind.missing');
  else if (!statisticsKind) errors.push('kind.unknown');
  const flowText = clean(c[h.flow]);
  const flow = FLOW_ALIASES[flowText.toLowerCase()] ?? null;
  if (!flowText) errors.push('flow.missing');
  else if (!flow) errors.push('flow.unknown');
  const quantity = parseQuantity(clean(c[h.quantity]));
  if (quantity.error) errors.push(quantity.error);
  const amount = parseAmount(clean(c[h.amount]));
  if (amount.error) errors.push(amount.error);
  const channel = required(clean(c[h.channel]), 100, 'channel.missing', 'channel.tooLong', errors);
  const evidenceRef = required(clean(c[h.evidence]).toUpperCase(), 100, 'evidence.missing', 'evidence.tooLong', errors);
  return {
    rowNo: raw.rowNo, occurredOn: date.value, buyerName, buyerType, buyerPlaceCode: buyerPlaceCode.slice(0, 20), sellerName,
    originCode: originCode.slice(0, 20), description, statisticsKind, flow, quantity: quantity.value, amountFen: amount.value,
    channel, evidenceRef, platformOrder: platformOrderIn(`${evidenceRef} ${description}`), errors,
  };
}

export function isBlank(cells: string[]) {
  for (const c of cells) if (c && c.trim() !== '') return false;
  return true;
}
