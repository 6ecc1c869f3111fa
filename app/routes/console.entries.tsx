import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { Amount } from '~/components/console/amount';
import { FLOW, KIND, SOURCE, label, sourceHref } from '~/components/console/labels';
import { defaultYear } from '~/modules/console/dashboard.server';
import { listEntries, parseEntryFilter } from '~/modules/console/entries.server';
import { periodQuery } from '~/modules/console/period';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { badRequest } from '~/modules/http/http.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { prisma } from '~/modules/db/db.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const scope = await requireConsoleScope(request, url.searchParams.get('pairing'), { permission: 'read:totals' });
  const pairing = scope.pairing ?? scope.pairings[0];
  if (!pairing) badRequest('No pairing in your scope');
  const parsed = parseEntryFilter(url, pairing, await defaultYear(pairing.id));
  if (!parsed.ok) badRequest(parsed.message);
  const f = parsed.filter;
  const [page, children, counties] = await Promise.all([
    listEntries(f, parsed.page),
    prisma.pairing.findMany({ where: { parentId: pairing.id }, select: { slug: true, nameZh: true, nameEn: true } }),
    prisma.$queryRaw<Array<{ code: string; name: string }>>`
      with recursive down as (select code from place where code = ${pairing.westPlaceCode} union all select p.code from place p join down on p.parent_code = down.code)
      select p.code, p.name from place p join down using (code) where p.level = 'COUNTY' order by p.code`,
  ]);
  return json({
    pairings: scope.pairings.map((p) => ({ slug: p.slug, nameZh: p.nameZh, nameEn: p.nameEn, parentId: p.parentId })),
    pairing: { slug: pairing.slug, nameZh: pairing.nameZh, nameEn: pairing.nameEn },
    filter: { period: f.period, kind: f.kind ?? '', flow: f.flow ?? '', county: f.county ?? '', source: f.source ?? '', sub: f.sub ?? '' },
    page, children, counties,
    query: url.searchParams.toString(),
  });
}

export default function Entries() {
  const { pairings, pairing, filter, page, children, counties, query } = useLoaderData<typeof loader>();
  const tr = useTr();
  const locale = useLocale();
  const pages = Math.max(1, Math.ceil(page.total / page.perPage));
  const params = new URLSearchParams(query);
  params.delete('page');
  const at = (n: number) => `/console/entries?${params.toString()}&page=${n}`;
  const exportQuery = new URLSearchParams(params);
  const select = 'mt-1 w-full rounded border border-gray-300 px-2 py-1.5';
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{tr('台账明细', 'Ledger entries')} · {pick(locale, pairing.nameZh, pairing.nameEn)}</h1>
      <Form method="get" className="grid grid-cols-2 gap-3 rounded-xl bg-white p-4 text-sm shadow-sm md:grid-cols-4">
        <label className="col-span-2">{tr('结对', 'Pairing')}
          <select name="pairing" defaultValue={pairing.slug} className={select}>
            {pairings.map((p) => <option key={p.slug} value={p.slug}>{p.parentId ? '　' : ''}{pick(locale, p.nameZh, p.nameEn)}</option>)}
          </select>
        </label>
        <label>{tr('从', 'From')}<input type="date" name="from" defaultValue={filter.period.from} className={select} /></label>
        <label>{tr('至', 'To')}<input type="date" name="to" defaultValue={filter.period.to} className={select} /></label>
        <label>{tr('统计类别', 'Kind')}
          <select name="kind" defaultValue={filter.kind} className={select}>
            <option value="">{tr('全部', 'All')}</option>
            {(Object.keys(KIND) as Array<keyof typeof KIND>).map((k) => <option key={k} value={k}>{label(locale, KIND[k])}</option>)}
          </select>
        </label>
        <label>{tr('帮扶方式', 'Flow')}
          <select name="flow" defaultValue={filter.flow} className={select}>
            <option value="">{tr('全部', 'All')}</option>
            {(Object.keys(FLOW) as Array<keyof typeof FLOW>).map((k) => <option key={k} value={k}>{label(locale, FLOW[k])}</option>)}
          </select>
        </label>
        <label>{tr('产地', 'County')}
          <select name="county" defaultValue={filter.county} className={select}>
            <option value="">{tr('全部', 'All')}</option>
            {counties.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
          </select>
        </label>
        <label>{tr('来源', 'Source')}
          <select name="source" defaultValue={filter.source} className={select}>
            <option value="">{tr('全部', 'All')}</option>
            {(Object.keys(SOURCE) as Array<keyof typeof SOURCE>).map((k) => <option key={k} value={k}>{label(locale, SOURCE[k])}</option>)}
          </select>
        </label>
        {children.length ? (
          <label className="col-span-2">{tr('组团结对', 'Group pairing')}
            <select name="sub" defaultValue={filter.sub} className={select}>
              <option value="">{tr('全部', 'All')}</option>
              {children.map((c) => <option key={c.slug} value={c.slug}>{pick(locale, c.nameZh, c.nameEn)}</option>)}
              <option value="none">{tr('未纳入组团的产地', 'Origins outside the groups')}</option>
            </select>
          </label>
        ) : null}
        <div className="col-span-2 flex items-end gap-2 md:col-span-2">
          <button type="submit" className="rounded bg-brand-600 px-4 py-1.5 text-white">{tr('筛选', 'Filter')}</button>
          <Link to={`/console?pairing=${pairing.slug}&${periodQuery(filter.period)}`} className="px-2 py-1.5 text-brand-700">{tr('返回总览', 'Back to overview')}</Link>
        </div>
      </Form>

      <section className="rounded-xl bg-white p-4 shadow-sm">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <p className="text-sm" data-testid="entries-sum">
            {page.total} {tr('条记录，合计', 'entries, total')} <strong><Amount fen={page.amountFen} /></strong>
            <span className="text-gray-500"> ({formatFen(page.amountFen)})</span>
          </p>
          <p className="flex gap-2 text-sm">
            <a className="rounded border px-2 py-1" href={`/console/export?${exportQuery.toString()}&what=entries&format=xlsx`} download>Excel</a>
            <a className="rounded border px-2 py-1" href={`/console/export?${exportQuery.toString()}&what=entries&format=csv`} download>CSV</a>
          </p>
        </div>
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">{tr('台账明细', 'Ledger entries')}</caption>
            <thead>
              <tr className="border-b text-left text-gray-500">
                <th scope="col" className="py-2 pr-3">{tr('日期', 'Date')}</th>
                <th scope="col" className="py-2 pr-3">{tr('商品 / 销售方', 'Goods / seller')}</th>
                <th scope="col" className="py-2 pr-3">{tr('产地', 'Origin')}</th>
                <th scope="col" className="py-2 pr-3">{tr('类别 · 方式', 'Kind · flow')}</th>
                <th scope="col" className="py-2 pr-3 text-right">{tr('数量', 'Qty')}</th>
                <th scope="col" className="py-2 pr-3 text-right">{tr('金额', 'Amount')}</th>
                <th scope="col" className="py-2 pr-3">{tr('来源与凭证', 'Source & evidence')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr key={e.id} className="border-b border-gray-100 align-top" data-testid="entry-row">
                  <td className="py-2 pr-3 whitespace-nowrap">{e.day}</td>
                  <td className="py-2 pr-3">{e.description}<div className="text-xs text-gray-500">{e.sellerName ?? '—'}{e.buyerName ? ` → ${e.buyerName}` : ''}</div></td>
                  <td className="py-2 pr-3 whitespace-nowrap">{e.originName}</td>
                  <td className="py-2 pr-3 whitespace-nowrap">{label(locale, KIND[e.kind as keyof typeof KIND])} · {label(locale, FLOW[e.flow as keyof typeof FLOW])}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{e.quantity}</td>
                  <td className={`py-2 pr-3 text-right tabular-nums whitespace-nowrap ${e.amountFen < 0 ? 'text-red-700' : ''}`}>{formatFen(e.amountFen)}</td>
                  <td className="py-2 pr-3">
                    <Link to={sourceHref(e)} className="text-brand-700 hover:underline">
                      {label(locale, SOURCE[e.sourceType as keyof typeof SOURCE], e.sourceType)} {e.batchId ? `#${e.batchId} ${tr('第', 'row ')}${e.rowNo}${tr('行', '')}` : e.sourceId}
                    </Link>
                    {e.evidenceRef ? <div className="text-xs text-gray-500">{tr('凭证', 'Evidence')} {e.evidenceRef}{e.channel ? ` · ${e.channel}` : ''}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.items.length === 0 ? <p className="py-6 text-center text-gray-500">{tr('没有符合条件的记录', 'No entries match')}</p> : null}
        </div>
        {pages > 1 ? (
          <nav aria-label={tr('分页', 'Pages')} className="mt-3 flex items-center justify-between text-sm">
            {page.page > 1 ? <Link to={at(page.page - 1)} className="text-brand-700">{tr('上一页', 'Previous')}</Link> : <span />}
            <span>{page.page} / {pages}</span>
            {page.page < pages ? <Link to={at(page.page + 1)} className="text-brand-700">{tr('下一页', 'Next')}</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
