import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { Amount } from '~/components/console/amount';
import { FLOW, KIND, label } from '~/components/console/labels';
import { badRequest, notFound } from '~/modules/http/http.server';
import { impactPage } from '~/modules/console/publication.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatOfficialTotal } from '~/modules/money/money';
import { absoluteUrl, pageMeta } from '~/modules/seo/seo';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.pairing ?? '';
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) badRequest('Malformed pairing slug');
  const data = await impactPage(slug);
  if (!data) notFound(`No published impact page for ${slug}`);
  return json({ ...data, canonical: absoluteUrl(request, `/impact/${slug}`) }, { headers: { 'Cache-Control': 'public, max-age=300' } });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageMeta({ title: `${data.pairing.nameZh} 消费帮扶成效`, description: `${data.pairing.nameZh}：自${data.pairing.since.slice(0, 4)}年起采购、帮助销售农畜牧产品和特色手工艺产品${formatOfficialTotal(data.totalFen)}。`, canonical: data.canonical }) : [{ title: '山海集' }];

export default function Impact() {
  const d = useLoaderData<typeof loader>();
  const tr = useTr();
  const locale = useLocale();
  const max = Math.max(1, ...d.years.map((y) => y.amountFen));
  return (
    <article className="space-y-5">
      <header className="rounded-xl bg-white p-6 shadow-sm">
        <p className="text-xs text-brand-600">{tr('东西部协作 · 消费帮扶成效', 'East–West cooperation · consumption assistance')}</p>
        <h1 className="mt-1 text-2xl font-bold">{pick(locale, d.pairing.nameZh, d.pairing.nameEn)}</h1>
        <p className="mt-3 text-lg">
          {tr(`自${d.pairing.since.slice(0, 4)}年结对以来，${d.pairing.east}采购、帮助销售${d.pairing.west}农畜牧产品和特色手工艺产品`, `Since ${d.pairing.since.slice(0, 4)}, ${d.pairing.east} has bought and helped sell farm products and handicrafts from ${d.pairing.west} worth`)}
          {' '}<strong className="text-3xl text-brand-700"><Amount fen={d.totalFen} testId="impact-total" /></strong>
        </p>
        <p className="mt-1 text-xs text-gray-500">{tr(`统计截至 ${d.asOf}，含平台订单和经核对的线下采购记录。`, `As of ${d.asOf}; platform orders and checked offline records.`)}</p>
      </header>
      <section className="rounded-xl bg-white p-6 shadow-sm">
        <h2 className="font-semibold">{tr('逐年', 'By year')}</h2>
        <ul className="mt-3 space-y-2">
          {d.years.map((y) => (
            <li key={y.year} className="grid grid-cols-[3.5rem_1fr_auto] items-center gap-2 text-sm">
              <span>{y.year}</span>
              <span className="h-3 rounded bg-brand-100"><span className="block h-3 rounded bg-brand-600" style={{ width: `${(100 * Math.max(0, y.amountFen)) / max}%` }} /></span>
              <Amount fen={y.amountFen} />
            </li>
          ))}
        </ul>
      </section>
      <div className="grid gap-5 md:grid-cols-2">
        <section className="rounded-xl bg-white p-6 shadow-sm">
          <h2 className="font-semibold">{tr('按方式和类别', 'By flow and kind')}</h2>
          <ul className="mt-2 space-y-1 text-sm">
            {d.kindFlow.map((k) => <li key={`${k.flow}-${k.kind}`} className="flex justify-between"><span>{label(locale, FLOW[k.flow as keyof typeof FLOW])} · {label(locale, KIND[k.kind as keyof typeof KIND])}</span><Amount fen={k.amountFen} /></li>)}
          </ul>
        </section>
        <section className="rounded-xl bg-white p-6 shadow-sm">
          <h2 className="font-semibold">{tr('按产地', 'By place of origin')}</h2>
          <ul className="mt-2 space-y-1 text-sm">
            {d.counties.map((c) => <li key={c.code} className="flex justify-between"><Link className="hover:underline" to={`/places/${c.code}`}>{c.name}</Link><Amount fen={c.amountFen} /></li>)}
          </ul>
        </section>
      </div>
      <section className="rounded-xl bg-white p-6 shadow-sm">
        <h2 className="font-semibold">{tr('背后的好物', 'The goods behind it')}</h2>
        <ul className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
          {d.goods.map((g) => <li key={g.name} className="flex justify-between gap-2 border-b border-gray-100 py-1"><span>{g.name}</span><Amount fen={g.amountFen} /></li>)}
        </ul>
        <p className="mt-3 text-sm"><Link to={`/pairings/${d.pairing.slug}`} className="text-brand-700 underline">{tr('选购该结对的帮扶好物 →', 'Shop this pairing’s goods →')}</Link></p>
      </section>
    </article>
  );
}
