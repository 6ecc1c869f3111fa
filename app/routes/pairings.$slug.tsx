import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { Pagination, ProductGrid } from '~/components/product-card';
import { productsFromPlace } from '~/modules/catalog/catalog.server';
import { badRequest, notFound, parsePage } from '~/modules/http/http.server';
import { pick, useLocale, useT } from '~/modules/i18n/i18n';
import { getPairingBySlug } from '~/modules/places/pairings.server';
import { absoluteUrl, pageMeta } from '~/modules/seo/seo';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? '';
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) badRequest('Malformed pairing slug');
  const pairing = await getPairingBySlug(slug);
  if (!pairing) notFound(`No pairing ${slug}`);
  const page = parsePage(new URL(request.url));
  const products = await productsFromPlace(pairing.westPlace.code, page);
  return json({ pairing, products, page: page.page, perPage: page.perPage, canonical: absoluteUrl(request, `/pairings/${slug}`) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageMeta({ title: data.pairing.nameZh, description: data.pairing.summaryZh, canonical: data.canonical }) : [{ title: '山海集' }];

export default function PairingPage() {
  const { pairing, products, page, perPage } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <header className="rounded-xl bg-white p-5 shadow-sm">
        <p className="text-xs text-brand-600">{t(`programme.${pairing.programme}`)}</p>
        <h1 className="mt-1 text-2xl font-bold">{pick(locale, pairing.nameZh, pairing.nameEn)}</h1>
        <p className="mt-2 text-gray-700">{pick(locale, pairing.summaryZh, pairing.summaryEn)}</p>
        <dl className="mt-3 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
          <div><dt className="text-gray-500">{t('pairing.east')}</dt><dd><Link to={`/places/${pairing.eastPlace.code}`} className="hover:underline">{pairing.eastPlace.name}</Link></dd></div>
          <div><dt className="text-gray-500">{t('pairing.west')}</dt><dd><Link to={`/places/${pairing.westPlace.code}`} className="hover:underline">{pairing.westPlace.name}</Link></dd></div>
          <div><dt className="text-gray-500">{t('pairing.since')}</dt><dd>{pairing.validFrom.slice(0, 10)}</dd></div>
          {pairing.parent ? (
            <div><dt className="text-gray-500">{t('pairing.parent')}</dt><dd><Link to={`/pairings/${pairing.parent.slug}`} className="hover:underline">{pick(locale, pairing.parent.nameZh, pairing.parent.nameEn)}</Link></dd></div>
          ) : null}
        </dl>
        {pairing.children.length ? (
          <div className="mt-4">
            <h2 className="text-sm font-semibold">{t('pairing.groups')}</h2>
            <ul className="mt-1 flex flex-wrap gap-2 text-sm">
              {pairing.children.map((c) => (
                <li key={c.slug}><Link to={`/pairings/${c.slug}`} className="rounded-full bg-brand-50 px-3 py-1 text-brand-700 hover:underline">{pick(locale, c.nameZh, c.nameEn)}</Link></li>
              ))}
            </ul>
          </div>
        ) : null}
      </header>
      <section aria-labelledby="goods">
        <h2 id="goods" className="mb-3 font-semibold">{t('place.goods')} <span className="text-sm font-normal text-gray-500">{products.total} {t('list.count')}</span></h2>
        <ProductGrid products={products.items} />
        <Pagination page={page} perPage={perPage} total={products.total} basePath={`/pairings/${pairing.slug}`} />
      </section>
    </div>
  );
}
