// The search document of a listed product, read from the database in one query per batch. Both engines
// index exactly these documents; the outbox says which ones to read again.
import { pool } from '~/modules/db/db.server';
import { pinyinTokens } from './tokenize.server';
import { priceBandOf, type HitSource, type StatisticsKind } from './types';

export type SearchDocument = HitSource & {
  descriptionZh: string;
  descriptionEn: string;
  /** root first: ["fresh-produce", "fruit"] */
  categorySlugs: string[];
  categoryNamesZh: string[];
  categoryNamesEn: string[];
  sellerSlug: string;
  provinceCode: string | null;
  prefectureCode: string | null;
  countyCode: string | null;
  /** the origin and every place above it, root first */
  placeCodes: string[];
  /** full and short names of those places: 贵州省, 贵州, 六盘水市, 六盘水, 盘州市, 盘州 */
  placeNames: string[];
  pairingSlugs: string[];
  pairingNamesZh: string[];
  pairingNamesEn: string[];
  priceBand: string;
  skus: string[];
  /** index-time pinyin of the Chinese name: "panzhou pz cili cl yuanye yy panzhouciliyuanye pzclyy" */
  namePinyin: string;
  /** index-time pinyin of category and place names */
  otherPinyin: string;
};

type Row = {
  id: number; slug: string; name_zh: string; name_en: string; description_zh: string; description_en: string;
  statistics_kind: StatisticsKind; certified_day: number | null; certificate_no: string | null; sales_count: number; created_at: Date;
  cat_slug: string; cat_zh: string; cat_en: string; parent_slug: string | null; parent_zh: string | null; parent_en: string | null;
  seller_slug: string; seller_name: string; seller_name_en: string;
  origin_code: string;
  min_price: number | null; max_price: number | null; in_stock: boolean | null; skus: string[] | null; image_key: string | null;
};

const SELECT = `
  select p.id, p.slug, p.name_zh, p.name_en, p.description_zh, p.description_en, p.statistics_kind::text as statistics_kind,
         (p.certified_until - date '1970-01-01') as certified_day, p.certificate_no, p.sales_count, p.created_at,
         c.slug as cat_slug, c.name_zh as cat_zh, c.name_en as cat_en, cp.slug as parent_slug, cp.name_zh as parent_zh, cp.name_en as parent_en,
         s.slug as seller_slug, s.name as seller_name, s.name_en as seller_name_en,
         p.origin_code,
         v.min_price, v.max_price, v.in_stock, v.skus, img.key as image_key
  from product p
  join category c on c.id = p.category_id
  left join category cp on cp.id = c.parent_id
  join seller s on s.id = p.seller_id
  left join lateral (select min(price_fen)::int as min_price, max(price_fen)::int as max_price, bool_or(stock > 0) as in_stock, array_agg(sku order by position, id) as skus
                     from variant where product_id = p.id) v on true
  left join lateral (select key from product_image where product_id = p.id order by position, id limit 1) img on true
  where p.status = 'LISTED'`;

type PlaceRow = { code: string; name: string; short_name: string; level: string; pinyin: string; parent_code: string | null };
type Reference = { places: Map<string, PlaceRow>; pairingsByPlace: Map<string, PairingRow[]> };

/** The given places and all their ancestors (or every place when `codes` is omitted). */
async function loadPlaces(codes?: readonly string[]): Promise<Map<string, PlaceRow>> {
  const cols = 'code, name, short_name, level::text as level, pinyin, parent_code';
  const { rows } = codes
    ? await pool().query<PlaceRow>(
        `with recursive up as (
           select ${cols} from place where code = any($1::text[])
           union select q.code, q.name, q.short_name, q.level::text, q.pinyin, q.parent_code from place q join up on q.code = up.parent_code
         ) select * from up`,
        [codes],
      )
    : await pool().query<PlaceRow>(`select ${cols} from place`);
  return new Map(rows.map((r) => [r.code, r]));
}

type PairingRow = { slug: string; name_zh: string; name_en: string; west_place_code: string };

async function loadPairings(): Promise<Map<string, PairingRow[]>> {
  // pairings valid today (a sale today counts for them), city pairings before their group pairings
  const { rows } = await pool().query<PairingRow>(
    `select slug, name_zh, name_en, west_place_code from pairing
     where valid_from <= current_date and (valid_to is null or valid_to >= current_date) order by parent_id nulls first, id`,
  );
  const byPlace = new Map<string, PairingRow[]>();
  for (const r of rows) {
    const list = byPlace.get(r.west_place_code) ?? [];
    list.push(r);
    byPlace.set(r.west_place_code, list);
  }
  return byPlace;
}

// Category and place pinyin depend only on the category path and the origin, shared by many products:
// computed once per (category path, origin) instead of once per document.
const otherPinyinCache = new Map<string, string>();
function otherPinyin(categoryNamesZh: string[], places: PlaceRow[]): string {
  const key = `${categoryNamesZh.join('|')}#${places.map((p) => `${p.code}:${p.short_name}:${p.pinyin}`).join('|')}`;
  let v = otherPinyinCache.get(key);
  if (v === undefined) {
    v = [...new Set([...categoryNamesZh.flatMap((n) => pinyinTokens(n)), ...places.flatMap((p) => [p.pinyin, ...pinyinTokens(p.short_name)])])].filter(Boolean).join(' ');
    if (otherPinyinCache.size > 100_000) otherPinyinCache.clear();
    otherPinyinCache.set(key, v);
  }
  return v;
}

function toDocument(r: Row, { places: placeMap, pairingsByPlace }: Reference): SearchDocument {
  const places: PlaceRow[] = [];
  for (let code: string | null = r.origin_code; code; ) {
    const p = placeMap.get(code);
    if (!p) break;
    places.unshift(p);
    code = p.parent_code;
  }
  const origin = places[places.length - 1]!;
  const levelCode = (level: string) => places.find((p) => p.level === level)?.code ?? null;
  const pairings = places.flatMap((p) => pairingsByPlace.get(p.code) ?? []);
  const categoryNamesZh = r.parent_zh ? [r.parent_zh, r.cat_zh] : [r.cat_zh];
  const placeNames = [...new Set(places.flatMap((p) => [p.name, p.short_name]))];
  const minPriceFen = r.min_price ?? 0;
  return {
    id: r.id,
    slug: r.slug,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    descriptionZh: r.description_zh,
    descriptionEn: r.description_en,
    statisticsKind: r.statistics_kind,
    salesCount: r.sales_count,
    createdAt: r.created_at.getTime(),
    categorySlugs: r.parent_slug ? [r.parent_slug, r.cat_slug] : [r.cat_slug],
    categoryNamesZh,
    categoryNamesEn: r.parent_en ? [r.parent_en, r.cat_en] : [r.cat_en],
    sellerSlug: r.seller_slug,
    sellerName: r.seller_name,
    sellerNameEn: r.seller_name_en,
    originCode: origin.code,
    originName: origin.name,
    originShortName: origin.short_name,
    provinceCode: levelCode('PROVINCE'),
    prefectureCode: levelCode('PREFECTURE'),
    countyCode: levelCode('COUNTY'),
    placeCodes: places.map((p) => p.code),
    placeNames,
    pairingSlugs: pairings.map((p) => p.slug),
    pairingNamesZh: pairings.map((p) => p.name_zh),
    pairingNamesEn: pairings.map((p) => p.name_en),
    minPriceFen,
    maxPriceFen: r.max_price ?? 0,
    priceBand: priceBandOf(minPriceFen),
    inStock: Boolean(r.in_stock),
    certifiedUntil: r.certificate_no && r.certified_day !== null ? r.certified_day : 0,
    imageKey: r.image_key,
    skus: r.skus ?? [],
    namePinyin: pinyinTokens(r.name_zh, { whole: true }).join(' '),
    otherPinyin: otherPinyin(categoryNamesZh, places),
  };
}

/** Documents of the given products that are listed; ids missing from the result are to be removed from the index. */
export async function loadDocuments(productIds: readonly number[]): Promise<SearchDocument[]> {
  if (productIds.length === 0) return [];
  const [pairingsByPlace, { rows }] = await Promise.all([loadPairings(), pool().query<Row>(`${SELECT} and p.id = any($1::int[]) order by p.id`, [productIds])]);
  const places = await loadPlaces([...new Set(rows.map((r) => r.origin_code))]);
  return rows.map((r) => toDocument(r, { places, pairingsByPlace }));
}

/** Every listed product's document, in batches by id (keyset pagination: constant memory, no long transaction). */
export async function* allDocuments(batchSize = 2_000): AsyncGenerator<SearchDocument[]> {
  const [places, pairingsByPlace] = await Promise.all([loadPlaces(), loadPairings()]);
  const ref = { places, pairingsByPlace };
  let after = 0;
  for (;;) {
    const { rows } = await pool().query<Row>(`${SELECT} and p.id > $1 order by p.id limit $2`, [after, batchSize]);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield rows.map((r) => toDocument(r, ref));
  }
}

export async function countListedProducts(): Promise<number> {
  const { rows } = await pool().query<{ n: number }>(`select count(*)::int as n from product where status = 'LISTED'`);
  return rows[0]!.n;
}
