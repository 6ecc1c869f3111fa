import { prisma } from '~/modules/db/db.server';
import type { PlaceRow } from './divisions.server';

export type PlaceSummary = { code: string; name: string; shortName: string; level: PlaceRow['level'] };

export const GBT2260 = /^[0-9]{6}([0-9]{3})?$/;

/** The place and its ancestors, root first (贵州省 › 六盘水市 › 盘州市). */
export async function getPlaceWithAncestors(code: string) {
  if (!GBT2260.test(code)) return null;
  const rows = await prisma.$queryRaw<Array<PlaceSummary & { parentCode: string | null; depth: number }>>`
    with recursive up as (
      select code, name, short_name, level, parent_code, 0 as depth from place where code = ${code}
      union all
      select p.code, p.name, p.short_name, p.level, p.parent_code, up.depth + 1
      from place p join up on p.code = up.parent_code
    )
    select code, name, short_name as "shortName", level::text as level, parent_code as "parentCode", depth from up order by depth desc`;
  if (rows.length === 0) return null;
  const place = rows[rows.length - 1]!;
  return { place, ancestors: rows.slice(0, -1) };
}

/**
 * The postal region of addresses (province, city, district codes → 广东省广州市黄埔区), for many addresses in
 * one query. Unknown codes are shown as the code itself, never dropped.
 */
export async function regionNames(addresses: Array<{ provinceCode: string; cityCode: string; districtCode: string }>): Promise<string[]> {
  const codes = [...new Set(addresses.flatMap((a) => [a.provinceCode, a.cityCode, a.districtCode]))];
  const rows = codes.length ? await prisma.place.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } }) : [];
  const name = new Map(rows.map((r) => [r.code, r.name]));
  return addresses.map((a) => [a.provinceCode, a.cityCode, a.districtCode].map((c) => name.get(c) ?? c).filter((n, i, all) => n && n !== all[i - 1]).join(''));
}

/**
 * Level and parent of the given codes, for address checks on every checkout. Places are reference data
 * (GB/T 2260): a code's level and parent never change once loaded, so known codes are kept in memory
 * (at most a few thousand); unknown codes are asked of the database every time (a place loaded later
 * is found at once).
 */
const placeLinkCache = new Map<string, { level: PlaceRow['level']; parentCode: string | null }>();
export async function placeLinks(codes: string[]) {
  const missing = [...new Set(codes)].filter((c) => !placeLinkCache.has(c) && GBT2260.test(c));
  if (missing.length) {
    const rows = await prisma.place.findMany({ where: { code: { in: missing } }, select: { code: true, level: true, parentCode: true } });
    for (const r of rows) placeLinkCache.set(r.code, { level: r.level, parentCode: r.parentCode });
  }
  return new Map(codes.flatMap((c) => (placeLinkCache.has(c) ? [[c, placeLinkCache.get(c)!] as const] : [])));
}

/** Every code at or below `code` (a county and its townships, a prefecture and its counties …). */
export async function descendantCodes(code: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ code: string }>>`
    with recursive down as (
      select code from place where code = ${code}
      union all select p.code from place p join down on p.parent_code = down.code
    ) select code from down`;
  return rows.map((r) => r.code);
}

export async function listChildren(code: string) {
  return prisma.place.findMany({ where: { parentCode: code }, orderBy: { code: 'asc' }, select: { code: true, name: true, shortName: true, level: true } });
}

/** Places that have listed goods, with counts: for "browse by place". */
export async function placesWithGoods() {
  return prisma.$queryRaw<Array<{ code: string; name: string; shortName: string; prefecture: string; products: number }>>`
    select pl.code, pl.name, pl.short_name as "shortName", parent.name as prefecture, count(p.id)::int as products
    from product p join place pl on pl.code = p.origin_code left join place parent on parent.code = pl.parent_code
    where p.status = 'LISTED'
    group by pl.code, pl.name, pl.short_name, parent.name
    order by pl.code`;
}

export async function listPlaces(options: { level?: PlaceRow['level']; parent?: string; limit: number; offset: number }) {
  const where = { level: options.level, parentCode: options.parent };
  const [total, items] = await Promise.all([
    prisma.place.count({ where }),
    prisma.place.findMany({ where, orderBy: { code: 'asc' }, take: options.limit, skip: options.offset, select: { code: true, name: true, shortName: true, pinyin: true, level: true, parentCode: true } }),
  ]);
  return { total, items };
}
