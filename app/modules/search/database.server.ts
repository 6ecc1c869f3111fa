// Plain Postgres search: every query word (and its synonyms) as ILIKE '%word%' over the names,
// descriptions, category, seller and place names; facets with GROUP BY over the same rows. No pinyin,
// no typo tolerance. It answers while the real engine is starting or down (the storefront keeps
// working), and it is the naive baseline bench/search.ts measures the engines against.
import { pool } from '~/modules/db/db.server';
import { loadDocuments } from './documents.server';
import type { CatalogSearch, EngineHealth } from './port.server';
import { SYNONYM_GROUPS } from './synonyms';
import { escapeHtml, highlight, queryWords } from './tokenize.server';
import { dayNumber, emptyFacets, PRICE_BANDS, type EngineResult, type FacetCounts, type SearchRequest } from './types';

const BASE = `
  select p.id, p.sales_count, p.created_at, v.min_price, c.slug as cat_slug, cp.slug as parent_slug, p.statistics_kind::text as kind,
         (p.certificate_no is not null and p.certified_until >= $1::date) as certified, coalesce(v.in_stock, false) as in_stock,
         case when o.level = 'PROVINCE' then o.code when o1.level = 'PROVINCE' then o1.code when o2.level = 'PROVINCE' then o2.code else o3.code end as province,
         case when o.level = 'PREFECTURE' then o.code when o1.level = 'PREFECTURE' then o1.code when o2.level = 'PREFECTURE' then o2.code end as prefecture,
         case when o.level = 'COUNTY' then o.code when o1.level = 'COUNTY' then o1.code end as county,
         array(select pr.slug from pairing pr where pr.west_place_code in (o.code, o1.code, o2.code)
                 and pr.valid_from <= $1::date and (pr.valid_to is null or pr.valid_to >= $1::date)) as pairings,
         %RANK% as rank
  from product p
  join seller s on s.id = p.seller_id
  join category c on c.id = p.category_id left join category cp on cp.id = c.parent_id
  join place o on o.code = p.origin_code left join place o1 on o1.code = o.parent_code
  left join place o2 on o2.code = o1.parent_code left join place o3 on o3.code = o2.parent_code
  left join lateral (select min(price_fen) as min_price, bool_or(stock > 0) as in_stock from variant where product_id = p.id) v on true
  where p.status = 'LISTED'`;

const TEXT_COLUMNS = ['p.name_zh', 'p.name_en', 'p.description_zh', 'p.description_en', 'c.name_zh', 'c.name_en', 'cp.name_zh', 'cp.name_en', 's.name', 's.name_en', 'o.name', 'o1.name', 'o2.name'];

const synonyms = new Map<string, readonly string[]>();
for (const g of SYNONYM_GROUPS) for (const m of g) synonyms.set(m, g);

const BAND_SQL = `(case ${PRICE_BANDS.slice(0, -1).map((b, i) => `when coalesce(min_price, 0) < ${b.maxFen} then ${i}`).join(' ')} else ${PRICE_BANDS.length - 1} end)::text`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class PostgresSearch implements CatalogSearch {
  readonly name = 'database' as const;

  async health(): Promise<EngineHealth> {
    const started = Date.now();
    try {
      await pool().query('select 1');
      return { status: 'ok', latencyMs: Date.now() - started };
    } catch (error) {
      return { status: 'down', error: (error as Error).message.slice(0, 200) };
    }
  }

  async search(request: SearchRequest): Promise<EngineResult> {
    const started = performance.now();
    const today = new Date((request.today ?? dayNumber(new Date())) * 86_400_000).toISOString().slice(0, 10);
    const params: unknown[] = [today];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [];
    const words = queryWords(request.q);
    for (const w of words) {
      const alternatives = synonyms.get(w) ?? [w];
      const ors = alternatives.map((a) => {
        const ph = p(`%${likeEscape(a)}%`);
        return TEXT_COLUMNS.map((col) => `${col} ilike ${ph}`).join(' or ');
      });
      where.push(`(${ors.join(' or ')})`);
    }
    const f = request.filters;
    if (f.province) where.push(`${p(f.province)} in (o.code, o1.code, o2.code, o3.code)`);
    if (f.prefecture) where.push(`${p(f.prefecture)} in (o.code, o1.code, o2.code)`);
    if (f.county) where.push(`${p(f.county)} in (o.code, o1.code)`);
    if (f.category) where.push(`${p(f.category)} in (c.slug, cp.slug)`);
    if (f.kind) where.push(`p.statistics_kind = ${p(f.kind)}::"StatisticsKind"`);
    if (f.certified !== undefined) where.push(`(p.certificate_no is not null and p.certified_until >= $1::date) = ${p(f.certified)}`);
    if (f.inStock !== undefined) where.push(`coalesce(v.in_stock, false) = ${p(f.inStock)}`);
    if (f.minPriceFen !== undefined) where.push(`v.min_price >= ${p(f.minPriceFen)}`);
    if (f.maxPriceFen !== undefined) where.push(`v.min_price <= ${p(f.maxPriceFen)}`);
    const rank = words.length ? `(${words.map((w) => `(p.name_zh ilike ${p(`%${likeEscape(w)}%`)} or p.name_en ilike $${params.length})::int`).join(' + ')})` : '0';
    let sql = BASE.replace('%RANK%', rank) + where.map((w) => ` and ${w}`).join('');
    if (f.pairing) sql = `select * from (${sql}) m0 where ${p(f.pairing)} = any(m0.pairings)`;
    const order = {
      relevance: 'rank desc, sales_count desc, id',
      price_asc: 'min_price asc, rank desc, sales_count desc, id',
      price_desc: 'min_price desc, rank desc, sales_count desc, id',
      newest: 'created_at desc, id',
      best_selling: 'sales_count desc, id',
    }[request.sort];
    const limit = p(request.perPage);
    const offset = p((request.page - 1) * request.perPage);
    const facetSql =
      request.facets === false
        ? `select 'total' as f, null as v, count(*)::int as n from m`
        : `select 'total' as f, null as v, count(*)::int as n from m
           union all select 'province', province, count(*)::int from m where province is not null group by province
           union all select 'prefecture', prefecture, count(*)::int from m where prefecture is not null group by prefecture
           union all select 'county', county, count(*)::int from m where county is not null group by county
           union all select 'pairing', x, count(*)::int from m, unnest(m.pairings) x group by x
           union all select 'category', x, count(*)::int from m, unnest(array_remove(array[m.parent_slug, m.cat_slug], null)) x group by x
           union all select 'kind', kind, count(*)::int from m group by kind
           union all select 'certified', certified::text, count(*)::int from m group by certified
           union all select 'inStock', in_stock::text, count(*)::int from m group by in_stock
           union all select 'priceBand', ${BAND_SQL}, count(*)::int from m group by 2`;
    const { rows } = await pool().query<{ f: string; v: string | null; n: number; ids: number[] | null }>(
      `with m as materialized (${sql})
       select f, v, n, null::int[] as ids from (${facetSql}) facets
       union all select 'page', null, 0, array(select id from m order by ${order} limit ${limit} offset ${offset})`,
      params,
    );
    const facets: FacetCounts = emptyFacets();
    let total = 0;
    let ids: number[] = [];
    for (const r of rows) {
      if (r.f === 'total') total = r.n;
      else if (r.f === 'page') ids = r.ids ?? [];
      else if (r.f === 'priceBand') facets.priceBand.push({ value: PRICE_BANDS[Number(r.v)]!.key, count: r.n });
      else facets[r.f as keyof FacetCounts].push({ value: r.v!, count: r.n });
    }
    for (const list of Object.values(facets)) list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).splice(100);
    const docs = new Map((await loadDocuments(ids)).map((d) => [d.id, d]));
    const terms = { exact: new Set(words.flatMap((w) => synonyms.get(w) ?? [w])), prefixes: new Set<string>() };
    const hits = ids
      .map((id) => docs.get(id))
      .filter((d) => d !== undefined)
      .map((d) => ({
        id: d.id, slug: d.slug, nameZh: d.nameZh, nameEn: d.nameEn, statisticsKind: d.statisticsKind, salesCount: d.salesCount,
        originCode: d.originCode, originName: d.originName, originShortName: d.originShortName, sellerName: d.sellerName, sellerNameEn: d.sellerNameEn,
        minPriceFen: d.minPriceFen, maxPriceFen: d.maxPriceFen, inStock: d.inStock, certifiedUntil: d.certifiedUntil, imageKey: d.imageKey, createdAt: d.createdAt,
        highlight: words.length ? { nameZh: highlight(d.nameZh, terms), nameEn: highlight(d.nameEn, terms) } : { nameZh: escapeHtml(d.nameZh), nameEn: escapeHtml(d.nameEn) },
      }));
    return { hits, total, facets, processingTimeMs: Math.round((performance.now() - started) * 100) / 100 };
  }
}
