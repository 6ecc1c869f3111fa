import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { Pagination, ProductGrid } from '~/components/product-card';
import { productsFromPlace } from '~/modules/catalog/catalog.server';
import { badRequest, notFound, parsePage } from '~/modules/http/http.server';
import { pick, useLocale, useT } from '~/modules/i18n/i18n';
import { pairingsForOrigin } from '~/modules/places/pairings.server';
import { GBT2260, getPlaceWithAncestors, listChildren } from '~/modules/places/places.server';
import { absoluteUrl, pageMeta } from '~/modules/seo/seo';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const code = params.code ?? '';
  if (!GBT2260.test(code)) badRequest('行政区划代码应为6位或9位数字 / A division code has 6 or 9 digits');
  const found = await getPlaceWithAncestors(code);
  if (!found) notFound(`No place ${code}`);
  const page = parsePage(new URL(request.url));
  const [products, children, pairings] = await Promise.all([productsFromPlace(code, page), listChildren(code), pairingsForOrigin(code)]);
  return json({ ...found, children, pairings, products, page: page.page, perPage: page.perPage, canonical: absoluteUrl(request, `/places/${code}`) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageMeta({ title: data.place.name, description: `${data.place.name}的消费帮扶好物`, canonical: data.canonical }) : [{ title: '山海集' }];

export default function PlacePage() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <nav aria-label="breadcrumb" className="text-sm text-gray-500">
        <ol className="flex flex-wrap gap-1">
          {d.ancestors.map((a) => (
            <li key={a.code}><Link to={`/places/${a.code}`} className="hover:underline">{a.name}</Link> ›</li>
          ))}
        </ol>
      </nav>
      <header>
        <h1 className="text-2xl font-bold">{d.place.name}</h1>
        <p className="text-sm text-gray-500">GB/T 2260: {d.place.code}</p>
      </header>
      {d.pairings.length ? (
        <section aria-labelledby="pairings">
          <h2 id="pairings" className="font-semibold">{t('place.pairings')}</h2>
          <ul className="mt-2 flex flex-wrap gap-2">
            {d.pairings.map((p) => (
              <li key={p.slug}><Link to={`/pairings/${p.slug}`} className="rounded-full bg-brand-50 px-3 py-1 text-sm text-brand-700 hover:underline">{p.nameZh}</Link></li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.children.length && d.place.level !== 'COUNTY' ? (
        <section aria-labelledby="children">
          <h2 id="children" className="font-semibold">{t('place.children')}</h2>
          <ul className="mt-2 flex flex-wrap gap-2 text-sm">
            {d.children.map((c) => (
              <li key={c.code}><Link to={`/places/${c.code}`} className="hover:underline">{c.name}</Link></li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="goods">
        <h2 id="goods" className="mb-3 font-semibold">{t('place.goods')} <span className="text-sm font-normal text-gray-500">{d.products.total} {t('list.count')}</span></h2>
        <ProductGrid products={d.products.items} />
        <Pagination page={d.page} perPage={d.perPage} total={d.products.total} basePath={`/places/${d.place.code}`} />
      </section>
      <p className="sr-only">{pick(locale, d.place.name, d.place.shortName)}</p>
    </div>
  );
}
