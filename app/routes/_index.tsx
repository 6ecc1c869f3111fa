import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { ProductGrid } from '~/components/product-card';
import { categoryTree, featuredProducts } from '~/modules/catalog/catalog.server';
import { pick, useLocale, useT } from '~/modules/i18n/i18n';
import { listPairings } from '~/modules/places/pairings.server';
import { placesWithGoods } from '~/modules/places/places.server';
import { absoluteUrl, pageMeta } from '~/modules/seo/seo';

export async function loader({ request }: LoaderFunctionArgs) {
  const [featured, pairings, places, categories] = await Promise.all([featuredProducts(8), listPairings(), placesWithGoods(), categoryTree()]);
  return json({ featured, pairings, places, categories, canonical: absoluteUrl(request, '/') });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: '东西部协作消费帮扶', description: '购买贵州、广西结对地区的农畜牧产品和特色手工艺品，每笔订单计入结对帮扶总额。', canonical: data?.canonical });

export default function Home() {
  const { featured, pairings, places, categories } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-10">
      <section className="rounded-xl bg-brand-700 px-6 py-8 text-white">
        <h1 className="text-2xl font-bold sm:text-3xl">{t('home.hero')}</h1>
        <p className="mt-2 text-brand-100">{t('home.heroSub')}</p>
      </section>

      <section aria-labelledby="featured">
        <h2 id="featured" className="mb-3 text-lg font-semibold">{t('home.featured')}</h2>
        <ProductGrid products={featured} />
      </section>

      <section id="pairings" aria-labelledby="by-pairing">
        <h2 id="by-pairing" className="mb-3 text-lg font-semibold">{t('home.byPairing')}</h2>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {pairings.filter((p) => !p.parentId).map((p) => (
            <li key={p.slug} className="rounded-lg border border-gray-200 bg-white p-4">
              <Link to={`/pairings/${p.slug}`} className="font-medium text-brand-700 hover:underline">{pick(locale, p.nameZh, p.nameEn)}</Link>
              <p className="mt-1 text-xs text-gray-500">{t(`programme.${p.programme}`)}</p>
              {pairings.some((c) => c.parentId === p.id) ? (
                <ul className="mt-2 space-y-1 text-sm">
                  {pairings.filter((c) => c.parentId === p.id).map((c) => (
                    <li key={c.slug}><Link to={`/pairings/${c.slug}`} className="hover:underline">{pick(locale, c.nameZh, c.nameEn)}</Link></li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section id="places" aria-labelledby="by-place">
        <h2 id="by-place" className="mb-3 text-lg font-semibold">{t('home.byPlace')}</h2>
        <ul className="flex flex-wrap gap-2">
          {places.map((p) => (
            <li key={p.code}>
              <Link to={`/places/${p.code}`} className="inline-block rounded-full border border-brand-500 px-3 py-1 text-sm text-brand-700 hover:bg-brand-50">
                {p.prefecture ? `${p.prefecture} · ` : ''}{p.name} <span className="text-gray-500">({p.products})</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section id="categories" aria-labelledby="by-category">
        <h2 id="by-category" className="mb-3 text-lg font-semibold">{t('home.byCategory')}</h2>
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {categories.map((c) => (
            <li key={c.slug} className="rounded-lg border border-gray-200 bg-white p-4">
              <Link to={`/categories/${c.slug}`} className="font-medium hover:underline">{pick(locale, c.nameZh, c.nameEn)}</Link>
              <ul className="mt-2 flex flex-wrap gap-2 text-sm text-gray-600">
                {c.children.map((k) => (
                  <li key={k.slug}><Link to={`/categories/${k.slug}`} className="hover:underline">{pick(locale, k.nameZh, k.nameEn)}</Link></li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
