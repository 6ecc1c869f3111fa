// What the /search page and the /api/v1/search endpoints share: URL parameters → request → result with
// labels for every facet value, and suggestions as you type.
import { pool } from '~/modules/db/db.server';
import { parseQuery } from '~/modules/http/http.server';
import { imageSrc, imageSrcSet } from '~/modules/storage/storage.server';
import { searchService } from './search.server';
import { dayNumber, searchParamsShape, toSearchRequest, type EngineHit, type FacetCounts, type SearchRequest } from './types';

export type SearchHitView = {
  id: number; slug: string; nameZh: string; nameEn: string; highlight: { nameZh: string; nameEn: string };
  statisticsKind: EngineHit['statisticsKind']; salesCount: number; origin: { code: string; name: string; shortName: string };
  sellerName: string; sellerNameEn: string; minPriceFen: number; maxPriceFen: number; inStock: boolean; certified: boolean;
  image: { src: string; srcSet: string } | null; createdAt: string;
};

export type FacetValueView = { value: string; count: number; labelZh: string; labelEn: string };

export type SearchResponse = {
  hits: SearchHitView[];
  facets: Record<keyof FacetCounts, FacetValueView[]>;
  total: number;
  page: number;
  perPage: number;
  processingTimeMs: number;
  engine: string;
};

export function parseSearchUrl(url: URL, defaults: { perPage: number }) {
  const parsed = parseQuery(url, searchParamsShape);
  if (!parsed.ok) return parsed;
  return toSearchRequest(parsed.data, defaults);
}

const KIND_LABELS: Record<string, [string, string]> = { AGRI_LIVESTOCK: ['农畜产品', 'Farm produce'], HANDICRAFT: ['手工艺品', 'Handicrafts'] };
const BOOL_LABELS: Record<string, Record<string, [string, string]>> = {
  certified: { true: ['已认证', 'Certified'], false: ['未认证', 'Not certified'] },
  inStock: { true: ['有货', 'In stock'], false: ['缺货', 'Out of stock'] },
};
const BAND_LABELS: Record<string, [string, string]> = {
  '0-50': ['¥50 以下', 'Under ¥50'], '50-100': ['¥50–100', '¥50–100'], '100-200': ['¥100–200', '¥100–200'], '200-500': ['¥200–500', '¥200–500'], '500+': ['¥500 以上', '¥500 and up'],
};

async function facetLabels(facets: FacetCounts): Promise<SearchResponse['facets']> {
  const codes = [...facets.province, ...facets.prefecture, ...facets.county].map((f) => f.value);
  const [places, pairings, categories] = await Promise.all([
    codes.length ? pool().query<{ k: string; zh: string; en: string }>('select code as k, name as zh, coalesce(nullif(pinyin, \'\'), name) as en from place where code = any($1::text[])', [codes]) : { rows: [] },
    facets.pairing.length ? pool().query<{ k: string; zh: string; en: string }>('select slug as k, name_zh as zh, name_en as en from pairing where slug = any($1::text[])', [facets.pairing.map((f) => f.value)]) : { rows: [] },
    facets.category.length ? pool().query<{ k: string; zh: string; en: string }>('select slug as k, name_zh as zh, name_en as en from category where slug = any($1::text[])', [facets.category.map((f) => f.value)]) : { rows: [] },
  ]);
  const byKey = (rows: Array<{ k: string; zh: string; en: string }>) => new Map(rows.map((r) => [r.k, [r.zh, r.en] as [string, string]]));
  const placeMap = byKey(places.rows);
  const label = (list: FacetCounts[keyof FacetCounts], names: (v: string) => [string, string] | undefined) =>
    list.map((f) => {
      const [zh, en] = names(f.value) ?? [f.value, f.value];
      return { ...f, labelZh: zh, labelEn: en };
    });
  const pairingMap = byKey(pairings.rows);
  const categoryMap = byKey(categories.rows);
  return {
    province: label(facets.province, (v) => placeMap.get(v)),
    prefecture: label(facets.prefecture, (v) => placeMap.get(v)),
    county: label(facets.county, (v) => placeMap.get(v)),
    pairing: label(facets.pairing, (v) => pairingMap.get(v)),
    category: label(facets.category, (v) => categoryMap.get(v)),
    kind: label(facets.kind, (v) => KIND_LABELS[v]),
    certified: label(facets.certified, (v) => BOOL_LABELS.certified![v]),
    inStock: label(facets.inStock, (v) => BOOL_LABELS.inStock![v]),
    priceBand: label(facets.priceBand, (v) => BAND_LABELS[v]),
  };
}

export async function runSearch(request: SearchRequest): Promise<SearchResponse> {
  const today = request.today ?? dayNumber(new Date());
  const r = await searchService().search({ ...request, today });
  return {
    hits: r.hits.map((h) => ({
      id: h.id, slug: h.slug, nameZh: h.nameZh, nameEn: h.nameEn, highlight: h.highlight, statisticsKind: h.statisticsKind, salesCount: h.salesCount,
      origin: { code: h.originCode, name: h.originName, shortName: h.originShortName }, sellerName: h.sellerName, sellerNameEn: h.sellerNameEn,
      minPriceFen: h.minPriceFen, maxPriceFen: h.maxPriceFen, inStock: h.inStock, certified: h.certifiedUntil >= today && h.certifiedUntil > 0,
      image: h.imageKey ? { src: imageSrc(h.imageKey, 640), srcSet: imageSrcSet(h.imageKey) } : null, createdAt: new Date(h.createdAt).toISOString(),
    })),
    facets: await facetLabels(r.facets),
    total: r.total,
    page: request.page,
    perPage: request.perPage,
    processingTimeMs: r.processingTimeMs,
    engine: r.engine,
  };
}

export type Suggestion = { kind: 'product' | 'place' | 'category'; labelZh: string; labelEn: string; href: string };

/** Suggestions as you type: matching products, and the places and categories they come from. */
export async function suggest(q: string): Promise<Suggestion[]> {
  const query = q.trim();
  if (!query) return [];
  const r = await runSearch({ q: query, filters: {}, sort: 'relevance', page: 1, perPage: 6 });
  const out: Suggestion[] = r.hits.map((h) => ({ kind: 'product' as const, labelZh: h.nameZh, labelEn: h.nameEn || h.nameZh, href: `/products/${h.slug}` }));
  for (const c of r.facets.county.slice(0, 2)) out.push({ kind: 'place', labelZh: c.labelZh, labelEn: c.labelEn, href: `/search?q=${encodeURIComponent(query)}&county=${c.value}` });
  for (const c of r.facets.category.slice(0, 2)) out.push({ kind: 'category', labelZh: c.labelZh, labelEn: c.labelEn, href: `/search?q=${encodeURIComponent(query)}&category=${c.value}` });
  return out;
}

/** For the empty state: the counties and categories with most listed goods (from the engine's facets). */
export async function browseSuggestions() {
  const all = await runSearch({ q: '', filters: {}, sort: 'relevance', page: 1, perPage: 1 });
  const places = (all.facets.county.length ? all.facets.county.map((c) => ({ ...c, level: 'county' as const })) : all.facets.prefecture.map((c) => ({ ...c, level: 'prefecture' as const }))).slice(0, 8);
  const roots = await pool().query<{ slug: string }>('select slug from category where parent_id is null');
  const rootSet = new Set(roots.rows.map((r) => r.slug));
  return {
    places: places.map((p) => ({ code: p.value, level: p.level, labelZh: p.labelZh, labelEn: p.labelEn, count: p.count })),
    categories: all.facets.category.filter((c) => rootSet.has(c.value)).slice(0, 8).map((c) => ({ slug: c.value, labelZh: c.labelZh, labelEn: c.labelEn })),
  };
}
