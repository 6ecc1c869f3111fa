// Money is integer 分 (fen) everywhere; these are the only places it becomes text.

export function assertFen(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Amount must be a whole number of 分, got ${value}`);
  return value;
}

/**
 * ¥12.80, ¥1,280.00, -¥5.00 — what Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' })
 * writes (money.test.ts compares them), from the whole 分 directly: exact for every safe integer (the
 * division by 100 was a float) and without ICU on the hot path (a product page shows a dozen prices).
 */
export function formatFen(fen: number): string {
  assertFen(fen);
  const abs = Math.abs(fen);
  const cents = abs % 100;
  const yuan = String((abs - cents) / 100).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${fen < 0 ? '-' : ''}¥${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}

const compact = new Intl.NumberFormat('zh-CN', { notation: 'compact', maximumFractionDigits: 2 });

/**
 * Large totals the way officials write them: 1.83亿元, 4.06亿元, 6660万元.
 * Rounds to two decimals of the unit (亿 or 万); below 1万 shows the exact amount in 元.
 */
export function formatOfficialTotal(fen: number): string {
  assertFen(fen);
  const yuan = fen / 100;
  if (Math.abs(yuan) < 10_000) return `${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(yuan)}元`;
  return `${compact.format(yuan)}元`;
}

/** Parse a 元 amount written with at most two decimals ("128", "128.5", "128.50") into 分, exactly. */
export function parseYuanToFen(text: string): number | null {
  const m = /^\s*(-)?(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** 分 → the 元 text a form field shows ("128.00"), exactly (the inverse of parseYuanToFen). */
export function fenToYuanInput(fen: number): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 分 as plain 元 text with two decimals, no grouping ("-1234.50"): for CSV and spreadsheet cells. */
export const fenToYuanText = fenToYuanInput;

/**
 * Amounts as officials write them, exactly: "183000000", "1.83亿", "6660万", "2亿元", "1,280.50元".
 * 万 and 亿 may carry decimals as long as the result is whole 分. Returns null for anything else.
 */
export function parseOfficialAmountToFen(text: string): number | null {
  const m = /^\s*([0-9][0-9,]*)(?:\.([0-9]+))?\s*(万|亿)?\s*元?\s*$/.exec(text.normalize('NFKC'));
  if (!m) return null;
  const int = m[1]!.replace(/,/g, '');
  if (!/^\d+$/.test(int) || (m[1]!.includes(',') && !/^\d{1,3}(,\d{3})+$/.test(m[1]!))) return null;
  const shift = m[3] === '亿' ? 8 : m[3] === '万' ? 4 : 0;
  const dec = (m[2] ?? '').padEnd(shift + 2, '0');
  if (dec.length > shift + 2 && /[1-9]/.test(dec.slice(shift + 2))) return null; // finer than 1 分
  const digits = (int + dec.slice(0, shift + 2)).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return null;
  return Number(digits);
}
