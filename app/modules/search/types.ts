// Catalogue search: the request/response shapes shared by the engines, the API and the page.
// Plain module (no server code): the page's URL helpers use it in the browser too.
import { z } from 'zod';

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'best_selling'] as const;
export type SearchSort = (typeof SORTS)[number];

export const STATISTICS_KINDS = ['AGRI_LIVESTOCK', 'HANDICRAFT'] as const;
export type StatisticsKind = (typeof STATISTICS_KINDS)[number];

/** Price bands for the facet, on the cheapest variant's price, [minFen, maxFen) in 分. */
export const PRICE_BANDS = [
  { key: '0-50', minFen: 0, maxFen: 5_000 },
  { key: '50-100', minFen: 5_000, maxFen: 10_000 },
  { key: '100-200', minFen: 10_000, maxFen: 20_000 },
  { key: '200-500', minFen: 20_000, maxFen: 50_000 },
  { key: '500+', minFen: 50_000, maxFen: Number.MAX_SAFE_INTEGER },
] as const;
export type PriceBandKey = (typeof PRICE_BANDS)[number]['key'];

export function priceBandOf(minPriceFen: number): PriceBandKey {
  for (const b of PRICE_BANDS) if (minPriceFen >= b.minFen && minPriceFen < b.maxFen) return b.key;
  return '500+';
}

export const MAX_PER_PAGE = 100;
/** Results beyond this rank are not paged to (Meilisearch's pagination.maxTotalHits). */
export const MAX_TOTAL_HITS = 1_000;

export const FACETS = ['province', 'prefecture', 'county', 'pairing', 'category', 'kind', 'certified', 'inStock', 'priceBand'] as const;
export type FacetName = (typeof FACETS)[number];

export type SearchFilters = {
  province?: string;
  prefecture?: string;
  county?: string;
  pairing?: string;
  category?: string;
  kind?: StatisticsKind;
  certified?: boolean;
  inStock?: boolean;
  /** inclusive bounds on the cheapest variant's price, in 分 */
  minPriceFen?: number;
  maxPriceFen?: number;
};

export type SearchRequest = {
  q: string;
  filters: SearchFilters;
  sort: SearchSort;
  page: number;
  perPage: number;
  /** compute facet counts (default true) */
  facets?: boolean;
  /** the day certification is checked against, as days since 1970-01-01 UTC (default today) */
  today?: number;
};

export type FacetValueCount = { value: string; count: number };
export type FacetCounts = Record<FacetName, FacetValueCount[]>;

/** What an engine stores to show a hit (a subset of the indexed document). */
export type HitSource = {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  statisticsKind: StatisticsKind;
  salesCount: number;
  originCode: string;
  originName: string;
  originShortName: string;
  sellerName: string;
  sellerNameEn: string;
  minPriceFen: number;
  maxPriceFen: number;
  inStock: boolean;
  /** last day the certificate is valid, days since 1970-01-01 UTC; 0 = none */
  certifiedUntil: number;
  imageKey: string | null;
  createdAt: number;
};

export type EngineHit = HitSource & {
  /** HTML-escaped names with matches wrapped in <mark>…</mark> */
  highlight: { nameZh: string; nameEn: string };
};

export type EngineResult = {
  hits: EngineHit[];
  total: number;
  facets: FacetCounts;
  processingTimeMs: number;
};

export const emptyFacets = (): FacetCounts => ({ province: [], prefecture: [], county: [], pairing: [], category: [], kind: [], certified: [], inStock: [], priceBand: [] });

export const dayNumber = (d: Date) => Math.floor(d.getTime() / 86_400_000);

// ---------- URL parameters (API and page share one schema) ----------

const code6 = (name: string) => z.string().regex(/^[0-9]{6}$/, `${name} must be a 6-digit GB/T 2260 code`);
const slug = (name: string) => z.string().regex(/^[a-z0-9-]{1,80}$/, `${name} must be a slug (a-z, 0-9, -)`);
const bool = (name: string) => z.enum(['true', 'false'], { message: `${name} must be true or false` }).transform((v) => v === 'true');
const yuan = (name: string) =>
  z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, `${name} must be an amount in 元 with at most two decimals, e.g. 49.90`).transform((v) => {
    const [whole, frac = ''] = v.split('.');
    return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  });

export const searchParamsShape = {
  q: z.string().trim().max(100, 'at most 100 characters').optional(),
  province: code6('province').optional(),
  prefecture: code6('prefecture').optional(),
  county: code6('county').optional(),
  pairing: slug('pairing').optional(),
  category: slug('category').optional(),
  kind: z.enum(STATISTICS_KINDS, { message: `kind must be one of ${STATISTICS_KINDS.join(', ')}` }).optional(),
  certified: bool('certified').optional(),
  inStock: bool('inStock').optional(),
  minPrice: yuan('minPrice').optional(),
  maxPrice: yuan('maxPrice').optional(),
  sort: z.enum(SORTS, { message: `sort must be one of ${SORTS.join(', ')}` }).optional(),
  page: z.coerce.number({ message: 'page must be a number' }).int('page must be a whole number').min(1, 'page must be at least 1').max(MAX_TOTAL_HITS).optional(),
  perPage: z.coerce.number({ message: 'perPage must be a number' }).int('perPage must be a whole number').min(1, 'perPage must be at least 1').max(MAX_PER_PAGE, `perPage is at most ${MAX_PER_PAGE}`).optional(),
};

export type ParsedSearchParams = { [K in keyof typeof searchParamsShape]?: z.output<(typeof searchParamsShape)[K]> };

/** Turn validated URL parameters into an engine request; a message when they do not make sense together. */
export function toSearchRequest(p: ParsedSearchParams, defaults: { perPage: number }): { ok: true; request: SearchRequest } | { ok: false; message: string } {
  const perPage = p.perPage ?? defaults.perPage;
  const page = p.page ?? 1;
  if ((page - 1) * perPage >= MAX_TOTAL_HITS) return { ok: false, message: `page: only the first ${MAX_TOTAL_HITS} results can be paged through` };
  if (p.minPrice !== undefined && p.maxPrice !== undefined && p.minPrice > p.maxPrice) return { ok: false, message: 'minPrice must not be above maxPrice' };
  return {
    ok: true,
    request: {
      q: p.q ?? '',
      filters: {
        province: p.province, prefecture: p.prefecture, county: p.county, pairing: p.pairing, category: p.category, kind: p.kind,
        certified: p.certified, inStock: p.inStock, minPriceFen: p.minPrice, maxPriceFen: p.maxPrice,
      },
      sort: p.sort ?? 'relevance',
      page,
      perPage,
    },
  };
}
