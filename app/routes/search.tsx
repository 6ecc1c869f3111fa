import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { badRequest } from '~/modules/http/http.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { browseSuggestions, parseSearchUrl, runSearch, type FacetValueView } from '~/modules/search/query.server';
import { MAX_TOTAL_HITS, SORTS, type SearchSort } from '~/modules/search/types';
import { pageMeta } from '~/modules/seo/seo';

const PER_PAGE = 24;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const parsed = parseSearchUrl(url, { perPage: PER_PAGE });
  if (!parsed.ok) badRequest(parsed.message);
  const result = await runSearch(parsed.request);
  const browse = result.total === 0 || (!parsed.request.q && result.page === 1) ? await browseSuggestions() : null;
  return json({ q: parsed.request.q, sort: parsed.request.sort, result, browse });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageMeta({ title: data?.q ? `${data.q} · 搜索` : '搜索' });

const FACET_TITLES: Array<[keyof ReturnType<typeof useLoaderData<typeof loader>>['result']['facets'], string, string, string]> = [
  // facet, URL parameter, zh, en
  ['category', 'category', '品类', 'Category'],
  ['province', 'province', '省份', 'Province'],
  ['prefecture', 'prefecture', '市州', 'Prefecture'],
  ['county', 'county', '县区', 'County'],
  ['pairing', 'pairing', '协作结对', 'Pairing'],
  ['kind', 'kind', '统计类别', 'Statistics kind'],
  ['certified', 'certified', '认证', 'Certification'],
  ['inStock', 'inStock', '库存', 'Stock'],
  ['priceBand', 'priceBand', '价格', 'Price'],
];

const SORT_LABELS: Record<SearchSort, [string, string]> = {
  relevance: ['综合', 'Relevance'], price_asc: ['价格从低到高', 'Price: low to high'], price_desc: ['价格从高到低', 'Price: high to low'],
  newest: ['最新上架', 'Newest'], best_selling: ['销量最高', 'Best selling'],
};

const BANDS: Record<string, [string | null, string | null]> = { '0-50': [null, '49.99'], '50-100': ['50', '99.99'], '100-200': ['100', '199.99'], '200-500': ['200', '499.99'], '500+': ['500', null] };

/** The current URL with some parameters set (null removes) and the page reset. */
function withParams(params: URLSearchParams, changes: Record<string, string | null>) {
  const next = new URLSearchParams(params);
  next.delete('page');
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  const s = next.toString();
  return s ? `/search?${s}` : '/search';
}

function facetLink(params: URLSearchParams, facet: string, value: string): { href: string; active: boolean } {
  if (facet === 'priceBand') {
    const [min, max] = BANDS[value] ?? [null, null];
    const active = (params.get('minPrice') ?? null) === min && (params.get('maxPrice') ?? null) === max;
    return { href: withParams(params, active ? { minPrice: null, maxPrice: null } : { minPrice: min, maxPrice: max }), active };
  }
  const active = params.get(facet) === value;
  return { href: withParams(params, { [facet]: active ? null : value }), active };
}

export default function SearchPage() {
  const { q, sort, result, browse } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const tr = useTr();
  const locale = useLocale();
  const pages = Math.max(1, Math.ceil(Math.min(result.total, MAX_TOTAL_HITS) / result.perPage));
  const filtered = [...params.keys()].some((k) => !['q', 'sort', 'page', 'perPage'].includes(k));
  return (
    <div className="space-y-4">
      <Form method="get" action="/search" className="flex flex-wrap items-center gap-2" role="search">
        <label htmlFor="search-page-q" className="sr-only">{tr('搜索关键词', 'Search words')}</label>
        <input id="search-page-q" name="q" type="search" defaultValue={q} maxLength={100} placeholder={tr('搜索刺梨、鸡蛋、马尾绣、产地…', 'Search 刺梨, eggs, embroidery, places…')} className="min-w-0 flex-1 rounded border border-gray-300 px-3 py-2" />
        {[...params.entries()].filter(([k]) => !['q', 'page', 'sort'].includes(k)).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <label htmlFor="search-sort" className="text-sm text-gray-600">{tr('排序', 'Sort')}</label>
        <select id="search-sort" name="sort" defaultValue={sort} className="rounded border border-gray-300 px-2 py-2 text-sm">
          {SORTS.map((s) => <option key={s} value={s}>{tr(...SORT_LABELS[s])}</option>)}
        </select>
        <button type="submit" className="rounded bg-brand-600 px-4 py-2 text-white hover:bg-brand-700">{tr('搜索', 'Search')}</button>
      </Form>

      <p className="text-sm text-gray-500" data-testid="search-summary">
        {q ? tr(`“${q}”共 ${result.total} 件商品`, `${result.total} goods for “${q}”`) : tr(`共 ${result.total} 件商品`, `${result.total} goods`)}
        {filtered ? <> · <Link to={withParams(new URLSearchParams(q ? { q } : {}), {})} className="text-brand-700 underline">{tr('清除筛选', 'Clear filters')}</Link></> : null}
      </p>

      <div className="grid gap-6 md:grid-cols-[14rem_1fr]">
        <aside aria-label={tr('筛选', 'Filters')} className="space-y-4 text-sm">
          {FACET_TITLES.map(([facet, param, zh, en]) => {
            const values = result.facets[facet] as FacetValueView[];
            if (!values.length) return null;
            return (
              <section key={facet} data-facet={facet}>
                <h2 className="mb-1 font-semibold">{tr(zh, en)}</h2>
                <ul className="space-y-0.5">
                  {values.slice(0, 12).map((v) => {
                    const { href, active } = facetLink(params, param, v.value);
                    return (
                      <li key={v.value}>
                        <Link to={href} className={`flex justify-between gap-2 rounded px-1 hover:bg-brand-50 ${active ? 'bg-brand-100 font-medium text-brand-700' : ''}`} aria-current={active ? 'true' : undefined} rel="nofollow">
                          <span>{active ? '✓ ' : ''}{pick(locale, v.labelZh, v.labelEn)}</span>
                          <span className="text-gray-500">{v.count}</span>
                        </Link>
                      </li>
                    );
                  })}
                </ul>
              </section>
            );
          })}
        </aside>

        <section aria-label={tr('搜索结果', 'Results')}>
          {result.total === 0 ? (
            <div className="rounded border border-dashed border-gray-300 bg-white p-6" data-testid="search-empty">
              <p className="font-medium">{q ? tr(`没有找到与“${q}”相关的商品。`, `Nothing found for “${q}”.`) : tr('没有符合筛选条件的商品。', 'No goods match these filters.')}</p>
              <p className="mt-1 text-sm text-gray-500">{tr('试试拼音（如 cili）、更短的词，或从产地和品类开始逛：', 'Try pinyin (e.g. cili), a shorter word, or browse by place and category:')}</p>
            </div>
          ) : (
            <ul className="grid grid-cols-2 gap-4 lg:grid-cols-4" data-testid="search-results">
              {result.hits.map((h) => (
                <li key={h.id} className="overflow-hidden rounded-lg border border-gray-200 bg-white shadow-sm">
                  <Link to={`/products/${h.slug}`} className="block">
                    {h.image ? <img src={h.image.src} srcSet={h.image.srcSet} sizes="(min-width: 1024px) 20vw, 50vw" alt="" width={640} height={480} loading="lazy" className="aspect-[4/3] w-full object-cover" /> : <div className="aspect-[4/3] w-full bg-brand-50" aria-hidden />}
                    <div className="p-3">
                      {/* highlight: HTML-escaped by the engine, only <mark> added */}
                      <h3 className="line-clamp-2 text-sm font-medium [&_mark]:bg-yellow-100" dangerouslySetInnerHTML={{ __html: locale === 'en' && h.nameEn ? h.highlight.nameEn : h.highlight.nameZh }} />
                      <p className="mt-1 text-xs text-gray-500">{h.origin.name} · {pick(locale, h.sellerName, h.sellerNameEn)}</p>
                      <p className="mt-2 flex items-baseline justify-between">
                        <span className="font-semibold text-earth-500">{formatFen(h.minPriceFen)}</span>
                        <span className="text-xs text-gray-500">{tr('已售', 'Sold')} {h.salesCount}</span>
                      </p>
                      <p className="mt-1 flex flex-wrap gap-1 text-xs">
                        {h.certified ? <span className="rounded bg-brand-100 px-1.5 py-0.5 text-brand-700">{tr('已认证', 'Certified')}</span> : null}
                        {!h.inStock ? <span className="rounded bg-gray-100 px-1.5 py-0.5 text-gray-600">{tr('缺货', 'Out of stock')}</span> : null}
                      </p>
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
          )}

          {pages > 1 ? (
            <nav aria-label={tr('分页', 'Pages')} className="mt-6 flex items-center justify-center gap-3 text-sm">
              {result.page > 1 ? <Link to={pageHref(params, result.page - 1)} rel="prev" className="rounded border px-3 py-1">{tr('上一页', 'Previous')}</Link> : null}
              <span>{result.page} / {pages}</span>
              {result.page < pages ? <Link to={pageHref(params, result.page + 1)} rel="next" className="rounded border px-3 py-1">{tr('下一页', 'Next')}</Link> : null}
            </nav>
          ) : null}

          {browse ? (
            <div className="mt-6 space-y-3" data-testid="search-browse">
              <h2 className="font-semibold">{tr('按产地逛', 'Browse by place')}</h2>
              <ul className="flex flex-wrap gap-2 text-sm">
                {browse.places.map((p) => <li key={p.code}><Link to={`/search?${p.level}=${p.code}`} className="rounded-full border px-3 py-1 hover:bg-brand-50">{pick(locale, p.labelZh, p.labelEn)} <span className="text-gray-500">{p.count}</span></Link></li>)}
              </ul>
              <h2 className="font-semibold">{tr('按品类逛', 'Browse by category')}</h2>
              <ul className="flex flex-wrap gap-2 text-sm">
                {browse.categories.map((c) => <li key={c.slug}><Link to={`/search?category=${c.slug}`} className="rounded-full border px-3 py-1 hover:bg-brand-50">{pick(locale, c.labelZh, c.labelEn)}</Link></li>)}
              </ul>
            </div>
          ) : null}
        </section>
      </div>
    </div>
  );
}

function pageHref(params: URLSearchParams, page: number) {
  const next = new URLSearchParams(params);
  if (page === 1) next.delete('page');
  else next.set('page', String(page));
  const s = next.toString();
  return s ? `/search?${s}` : '/search';
}
