// Money is integer 分 (fen) everywhere; these are the only places it becomes text.

export function assertFen(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`Amount must be a whole number of 分, got ${value}`);
  return value;
}

const yuanFormat = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 });

/** ¥12.80 */
export function formatFen(fen: number): string {
  assertFen(fen);
  return yuanFormat.format(fen / 100);
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
