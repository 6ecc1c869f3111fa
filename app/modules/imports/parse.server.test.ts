// The reading of import files without a database: the fast paths (plain ISO dates, plain amounts, cells
// that need no cleaning, lines without quotes) must give exactly what the general paths give.
import { describe, expect, it } from 'vitest';
import { clean, csvRows, parseAmount, parseDate, readRow, mapHeader } from './parse.server';
import { COLUMNS } from './format';

async function rowsOf(chunks: string[]) {
  const out: Array<{ rowNo: number; cells: string[] }> = [];
  for await (const batch of csvRows((async function* () { yield* chunks; })())) out.push(...batch);
  return out;
}

describe('import file reading', () => {
  const today = '2026-11-23';
  it('reads dates: YYYY-MM-DD (fast path) and the other spellings alike', () => {
    const cases: Array<[string, string | null, string | undefined]> = [
      ['2024-02-29', '2024-02-29', undefined], ['2023-02-29', null, 'date.invalid'], ['2000-02-29', '2000-02-29', undefined],
      ['2100-02-29', null, 'date.invalid'], ['2024-13-01', null, 'date.invalid'], ['2024-00-10', null, 'date.invalid'],
      ['2024-04-31', null, 'date.invalid'], ['2024-04-00', null, 'date.invalid'], ['1999-12-31', null, 'date.tooOld'],
      ['2026-11-24', null, 'date.future'], ['2026-11-23', '2026-11-23', undefined], ['2024/1/11', '2024-01-11', undefined],
      ['2024年1月12日', '2024-01-12', undefined], ['20240315', '2024-03-15', undefined], ['2024-03-15 08:30', '2024-03-15', undefined],
      ['2024-3-15', '2024-03-15', undefined], ['2024-0a-15', null, 'date.format'], ['', null, 'date.missing'],
    ];
    for (const [text, value, error] of cases) expect(parseDate(text, today), text).toEqual(error ? { value, error } : { value });
  });

  it('reads amounts: plain 元 (fast path) and the other spellings alike', () => {
    const cases: Array<[string, number | null, string | undefined]> = [
      ['1280.50', 128_050, undefined], ['1280.5', 128_050, undefined], ['1280', 128_000, undefined], ['0.05', 5, undefined],
      ['0', null, 'amount.notPositive'], ['0.00', null, 'amount.notPositive'], ['1000000000', 100_000_000_000, undefined],
      ['1000000000.01', null, 'amount.tooLarge'], ['12345678901234', null, 'amount.format'], ['1.234', null, 'amount.format'],
      ['1,280.50', 128_050, undefined], ['￥300', 30_000, undefined], ['¥ 12.8', 1_280, undefined], ['300元', 30_000, undefined],
      ['-5', null, 'amount.notPositive'], ['abc', null, 'amount.format'], ['', null, 'amount.missing'],
    ];
    for (const [text, value, error] of cases) expect(parseAmount(text), text).toEqual(error ? { value, error } : { value });
  });

  it('cleans cells: untouched when clean already, NFKC, trimmed and single-spaced otherwise', () => {
    expect(clean('刺梨原液 500ml×6')).toBe('刺梨原液 500ml×6');
    expect(clean('  盘州市  ')).toBe('盘州市');
    expect(clean('ＦＰ２０２４')).toBe('FP2024');
    expect(clean('a  b\tc')).toBe('a b c');
    expect(clean('a\u3000b')).toBe('a b');
    expect(clean(undefined)).toBe('');
  });

  it('splits CSV records the same way whatever the chunks: quotes after many plain lines, quotes across chunks', async () => {
    const plain = Array.from({ length: 50 }, (_, i) => `a${i},b${i},c${i}`);
    const text = `${plain.join('\r\n')}\r\n"x,1","y ""q""","z\nline"\r\n${plain.join('\n')}\nlast,"q",end`;
    const whole = await rowsOf([text]);
    expect(whole).toHaveLength(102);
    expect(whole[50]).toEqual({ rowNo: 51, cells: ['x,1', 'y "q"', 'z\nline'] });
    expect(whole[101]).toEqual({ rowNo: 102, cells: ['last', 'q', 'end'] });
    for (const size of [1, 7, 64, 333]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(await rowsOf(chunks), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('notes the platform order number a row names, for the set-based check', () => {
    const header = mapHeader(COLUMNS.map((c) => c.zh));
    const cells = ['2024-03-15', '中山市总工会', '工会', '442000', '盘州市贾西刺梨种植农民专业合作社', '520281', '刺梨原液 订单sh2026112300012', '农畜牧产品', '采购', '10', '1280.50', '工会福利', 'FP1'];
    expect(readRow({ rowNo: 2, cells }, header, cells.length, today, true)).toMatchObject({ platformOrder: 'SH2026112300012', errors: [] });
    const plainRow = readRow({ rowNo: 3, cells: cells.map((c, i) => (i === 6 ? '刺梨原液' : c)) }, header, cells.length, today, true);
    expect(plainRow).toMatchObject({ platformOrder: null, amountFen: 128_050, occurredOn: '2024-03-15', errors: [] });
  });
});
