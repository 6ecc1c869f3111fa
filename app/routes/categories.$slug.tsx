import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { Pagination, ProductGrid } from '~/components/product-card';
import { getCategory, listProducts } from '~/modules/catalog/catalog.server';
import { badRequest, notFound, parsePage } from '~/modules/http/http.server';
import { pick, useLocale, useT } from '~/modules/i18n/i18n';
import { absoluteUrl, pageMeta } from '~/modules/seo/seo';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? '';
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) badRequest('Malformed category slug');
  const category = await getCategory(slug);
  if (!category) notFound(`No category ${slug}`);
  const page = parsePage(new URL(request.url));
  const products = await listProducts({ categoryIds: [category.id, ...category.children.map((c) => c.id)] }, page);
  return json({ category, products, page: page.page, perPage: page.perPage, canonical: absoluteUrl(request, `/categories/${slug}`) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? pageMeta({ title: data.category.nameZh, canonical: data.canonical }) : [{ title: '山海集' }];

export default function CategoryPage() {
  const { category, products, page, perPage } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-6">
      <nav aria-label="breadcrumb" className="text-sm text-gray-500">
        {category.parent ? <Link to={`/categories/${category.parent.slug}`} className="hover:underline">{pick(locale, category.parent.nameZh, category.parent.nameEn)} ›</Link> : null}
      </nav>
      <h1 className="text-2xl font-bold">{pick(locale, category.nameZh, category.nameEn)}</h1>
      {category.children.length ? (
        <ul className="flex flex-wrap gap-2 text-sm">
          {category.children.map((c) => (
            <li key={c.slug}><Link to={`/categories/${c.slug}`} className="rounded-full border px-3 py-1 hover:bg-brand-50">{pick(locale, c.nameZh, c.nameEn)}</Link></li>
          ))}
        </ul>
      ) : null}
      <p className="text-sm text-gray-500">{products.total} {t('list.count')}</p>
      <ProductGrid products={products.items} />
      <Pagination page={page} perPage={perPage} total={products.total} basePath={`/categories/${category.slug}`} />
    </div>
  );
}
