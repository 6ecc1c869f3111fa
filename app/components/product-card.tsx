import { Link } from '~/components/link';
import { pick, useLocale, useT } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';

export type Card = {
  slug: string; nameZh: string; nameEn: string; statisticsKind: 'AGRI_LIVESTOCK' | 'HANDICRAFT'; salesCount: number;
  origin: { code: string; shortName: string; name: string }; sellerName: string; sellerNameEn: string;
  minPriceFen: number; maxPriceFen: number; inStock: boolean; certified: boolean;
  image: { src: string; srcSet: string; altZh: string; altEn: string } | null;
};

export function ProductCard({ product }: { product: Card }) {
  const locale = useLocale();
  const t = useT();
  const name = pick(locale, product.nameZh, product.nameEn);
  return (
    <li className="overflow-hidden rounded-lg border border-gray-200 bg-white shadow-sm">
      <Link to={`/products/${product.slug}`} className="block" prefetch="intent">
        {product.image ? (
          <img src={product.image.src} srcSet={product.image.srcSet} sizes="(min-width: 1024px) 25vw, 50vw" alt={pick(locale, product.image.altZh, product.image.altEn)} width={640} height={480} loading="lazy" className="aspect-[4/3] w-full object-cover" />
        ) : (
          <div className="aspect-[4/3] w-full bg-brand-50" aria-hidden />
        )}
        <div className="p-3">
          <h3 className="line-clamp-2 text-sm font-medium">{name}</h3>
          <p className="mt-1 text-xs text-gray-500">
            {product.origin.name} · {pick(locale, product.sellerName, product.sellerNameEn)}
          </p>
          <p className="mt-2 flex items-baseline justify-between">
            <span className="font-semibold text-earth-500">
              {formatFen(product.minPriceFen)}
              {product.maxPriceFen > product.minPriceFen ? <span className="text-xs text-gray-500"> {t('product.from')}</span> : null}
            </span>
            <span className="text-xs text-gray-500">{t('product.sold')} {product.salesCount}</span>
          </p>
          <p className="mt-1 flex flex-wrap gap-1 text-xs">
            {product.certified ? <span className="rounded bg-brand-100 px-1.5 py-0.5 text-brand-700">{t('product.certified')}</span> : null}
            {!product.inStock ? <span className="rounded bg-gray-100 px-1.5 py-0.5 text-gray-600">{t('product.outOfStock')}</span> : null}
          </p>
        </div>
      </Link>
    </li>
  );
}

export function ProductGrid({ products }: { products: Card[] }) {
  const t = useT();
  if (products.length === 0) return <p className="py-8 text-center text-gray-500">{t('list.empty')}</p>;
  return (
    <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" data-testid="product-grid">
      {products.map((p) => (
        <ProductCard key={p.slug} product={p} />
      ))}
    </ul>
  );
}

export function Pagination({ page, perPage, total, basePath }: { page: number; perPage: number; total: number; basePath: string }) {
  const t = useT();
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  return (
    <nav aria-label="pagination" className="mt-6 flex items-center justify-center gap-4 text-sm">
      {page > 1 ? <Link to={`${basePath}?page=${page - 1}`} rel="prev">{t('list.prev')}</Link> : null}
      <span>
        {page} / {pages}
      </span>
      {page < pages ? <Link to={`${basePath}?page=${page + 1}`} rel="next">{t('list.next')}</Link> : null}
    </nav>
  );
}
