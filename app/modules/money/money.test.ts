import { describe, expect, it } from 'vitest';
import { formatFen, formatOfficialTotal, parseYuanToFen } from './money';

describe('money', () => {
  it('formats fen as yuan with two decimals', () => {
    expect(formatFen(1280)).toBe('¥12.80');
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(1_234_567)).toBe('¥12,345.67');
    expect(formatFen(-500)).toBe('-¥5.00');
  });

  it('writes what Intl writes for CNY, for small, large, negative and odd amounts', () => {
    const intl = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 });
    const amounts = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 99_999, 100_000, 123_456_789, 18_300_000_000, -1, -99, -100_000, -123_456_789];
    let x = 7;
    for (let i = 0; i < 2000; i++) amounts.push((x = (x * 48271) % 2147483647) * (i % 2 ? 1 : -1) * (i % 7 ? 1 : 1000));
    for (const fen of amounts) expect(formatFen(fen)).toBe(intl.format(fen / 100));
    // exact where fen / 100 is not: the largest safe amount
    expect(formatFen(Number.MAX_SAFE_INTEGER)).toBe('¥90,071,992,547,409.91');
  });

  it('writes large totals the way officials do', () => {
    expect(formatOfficialTotal(183_000_000_00)).toBe('1.83亿元');
    expect(formatOfficialTotal(406_000_000_00)).toBe('4.06亿元');
    expect(formatOfficialTotal(66_600_000_00)).toBe('6660万元');
    expect(formatOfficialTotal(12_345)).toBe('123.45元');
  });

  it('rejects fractional fen', () => {
    expect(() => formatFen(12.5)).toThrow(RangeError);
  });

  it('parses yuan text exactly, without floating point', () => {
    expect(parseYuanToFen('0.29')).toBe(29);
    expect(parseYuanToFen('128.5')).toBe(12850);
    expect(parseYuanToFen('18300000.00')).toBe(1_830_000_000);
    expect(parseYuanToFen('1.234')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
    expect(parseYuanToFen('-3.10')).toBe(-310);
  });
});

describe('fenToYuanInput', () => {
  it('round-trips with parseYuanToFen', async () => {
    const { fenToYuanInput, parseYuanToFen } = await import('./money');
    for (const fen of [1, 99, 100, 12_800, 1_234_567, 100_000_000, -250]) expect(parseYuanToFen(fenToYuanInput(fen))).toBe(fen);
    expect(fenToYuanInput(12_805)).toBe('128.05');
  });
});

describe('official amounts and plain yuan text', () => {
  it('parses 亿 and 万 exactly', async () => {
    const { parseOfficialAmountToFen: p } = await import('./money');
    expect(p('1.83亿')).toBe(18_300_000_000);
    expect(p('4.06亿元')).toBe(40_600_000_000);
    expect(p('6660万')).toBe(6_660_000_000);
    expect(p('183000000')).toBe(18_300_000_000);
    expect(p('1,280.50元')).toBe(128_050);
    expect(p('0.000001万')).toBe(1);
    expect(p('0.0000001万')).toBeNull(); // finer than 1 分
    expect(p('1,28')).toBeNull();
    expect(p('-5')).toBeNull();
    expect(p('两亿')).toBeNull();
  });
  it('writes 分 as plain yuan text', async () => {
    const { fenToYuanText } = await import('./money');
    expect(fenToYuanText(128_050)).toBe('1280.50');
    expect(fenToYuanText(-5)).toBe('-0.05');
    expect(fenToYuanText(0)).toBe('0.00');
  });
});
