// Gift distribution lists (礼品分发名单): a CSV or XLSX file of recipients — name, mobile, address,
// quantity — read with the offline import's readers (encoding sniffing: BOM → UTF-8, valid UTF-8, else
// GBK/GB18030; RFC 4180 CSV; streamed XLSX, first sheet). Every row is checked and every problem is
// reported with its row number (the header is row 1, as in a spreadsheet; the messages are in gift-list.ts,
// shared with the page). The list is accepted only when no row is bad; nothing is created from a list with a bad row.
import { headerKey } from '~/modules/imports/format';
import { GIFT_LIST_MAX_ROWS, GIFT_MAX_QUANTITY } from './gift-list';
import { bufferSource, csvRows, decode, detectEncoding, ImportFileError, xlsxRows, clean, type RawRow } from '~/modules/imports/parse.server';

export const GIFT_LIST_MAX_BYTES = 5 * 1024 * 1024;

type Column = 'name' | 'mobile' | 'address' | 'quantity';
export const GIFT_COLUMNS: Array<{ key: Column; zh: string; en: string; aliases: string[] }> = [
  { key: 'name', zh: '姓名', en: 'Name', aliases: ['收件人', '收货人', '收件人姓名', '收货人姓名', 'name', 'recipient'] },
  { key: 'mobile', zh: '手机号', en: 'Mobile', aliases: ['手机', '手机号码', '联系电话', '电话', '联系方式', 'mobile', 'phone'] },
  { key: 'address', zh: '地址', en: 'Address', aliases: ['收货地址', '收件地址', '详细地址', '配送地址', 'address'] },
  { key: 'quantity', zh: '数量', en: 'Quantity', aliases: ['份数', '件数', '礼品数量', 'quantity', 'qty'] },
];
const headerIndex = new Map<string, Column>();
for (const c of GIFT_COLUMNS) for (const n of [c.zh, c.en, ...c.aliases]) headerIndex.set(headerKey(n), c.key);

export type GiftRecipient = { rowNo: number; name: string; mobile: string; address: string; quantity: number };
export type GiftRowError = { rowNo: number; errors: string[] };
export type GiftListResult =
  | { ok: true; format: 'csv' | 'xlsx'; encoding: string; recipients: GiftRecipient[]; totalQuantity: number }
  | { ok: false; format: 'csv' | 'xlsx' | null; encoding: string | null; fileError: string | null; rowErrors: GiftRowError[]; rows: number };

const isXlsx = (b: Buffer) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Normalises a mainland mobile number (spaces, dashes, +86/0086 prefix removed) or null. */
export function normaliseMobile(text: string): string | null {
  const t = text.replace(/[\s\-()（）]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(t) ? t : null;
}

function checkRow(raw: RawRow, map: Record<Column, number>): { recipient: GiftRecipient | null; errors: string[] } {
  const cell = (k: Column) => clean(raw.cells[map[k]]);
  const errors: string[] = [];
  const name = cell('name');
  if (!name) errors.push('name.missing');
  else if ([...name].length > 50) errors.push('name.tooLong');
  const mobileText = cell('mobile');
  const mobile = mobileText ? normaliseMobile(mobileText) : null;
  if (!mobileText) errors.push('mobile.missing');
  else if (!mobile) errors.push('mobile.format');
  const address = cell('address');
  if (!address) errors.push('address.missing');
  else if ([...address].length < 8) errors.push('address.tooShort');
  else if ([...address].length > 200) errors.push('address.tooLong');
  const qText = cell('quantity');
  let quantity: number | null = null;
  if (!qText) errors.push('quantity.missing');
  else if (!/^[0-9]+$/.test(qText) || Number(qText) < 1) errors.push('quantity.format');
  else if (Number(qText) > GIFT_MAX_QUANTITY) errors.push('quantity.tooLarge');
  else quantity = Number(qText);
  if (errors.length) return { recipient: null, errors };
  return { recipient: { rowNo: raw.rowNo, name, mobile: mobile!, address, quantity: quantity! }, errors };
}

/** Reads and checks a whole gift list. Never throws for a bad file: the problems are in the result. */
export async function parseGiftList(file: { filename: string; bytes: Buffer }): Promise<GiftListResult> {
  const xlsx = isXlsx(file.bytes);
  // an XLSX file is a zip; a name ending .xlsx/.xls that is not one (an old .xls, a renamed file) is refused
  const format: 'csv' | 'xlsx' | null = xlsx ? 'xlsx' : /\.xlsx?$/i.test(file.filename) ? null : 'csv';
  const fail = (fileError: string, encoding: string | null = null): GiftListResult => ({ ok: false, format, encoding, fileError, rowErrors: [], rows: 0 });
  if (!format) return fail('file.type');
  if (file.bytes.length > GIFT_LIST_MAX_BYTES) return fail('file.tooLarge');
  if (file.bytes.length === 0) return fail('file.empty');
  const encoding = xlsx ? 'XLSX' : detectEncoding(file.bytes);
  const recipients: GiftRecipient[] = [];
  const rowErrors: GiftRowError[] = [];
  const seen = new Map<string, number>();
  let map: Record<Column, number> | null = null;
  let rows = 0;
  try {
    const batches = xlsx ? xlsxRows(bufferSource(file.bytes)()) : csvRows(decode(bufferSource(file.bytes)(), encoding as 'UTF-8' | 'UTF-8-BOM' | 'GBK'));
    for await (const batch of batches) {
      for (const raw of batch) {
        if (raw.cells.every((c) => !clean(c))) continue; // blank lines are skipped
        if (!map) {
          const found: Partial<Record<Column, number>> = {};
          const dup: string[] = [];
          raw.cells.forEach((c, i) => {
            const key = headerIndex.get(headerKey(c.replace(/^\uFEFF/, '')));
            if (!key) return;
            if (found[key] !== undefined) dup.push(c.trim());
            else found[key] = i;
          });
          if (dup.length) return fail(`file.duplicateColumn:${dup.join('、')}`, encoding);
          const missing = GIFT_COLUMNS.filter((c) => found[c.key] === undefined).map((c) => c.zh);
          if (missing.length) return fail(`file.columns:${missing.join('、')}`, encoding);
          map = found as Record<Column, number>;
          continue;
        }
        rows++;
        if (rows > GIFT_LIST_MAX_ROWS) return fail('file.tooManyRows', encoding);
        const { recipient, errors } = checkRow(raw, map);
        if (recipient) {
          const key = `${recipient.name}\u0000${recipient.mobile}\u0000${recipient.address}`;
          const first = seen.get(key);
          if (first !== undefined) errors.push(`row.duplicate:${first}`);
          else seen.set(key, raw.rowNo);
        }
        if (errors.length) rowErrors.push({ rowNo: raw.rowNo, errors });
        else recipients.push(recipient!);
      }
    }
  } catch (error) {
    if (error instanceof ImportFileError) return fail(error.detail ? `${error.code}:${error.detail}` : error.code, encoding);
    throw error;
  }
  if (!map) return fail('file.empty', encoding);
  if (rows === 0) return fail('file.noRows', encoding);
  if (rowErrors.length) return { ok: false, format, encoding, fileError: null, rowErrors, rows };
  return { ok: true, format, encoding, recipients, totalQuantity: recipients.reduce((s, r) => s + r.quantity, 0) };
}
