import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { ProductReviews } from '~/components/reviews';
import { getProductPage } from '~/modules/catalog/product-page.server';
import { badRequest, notFound } from '~/modules/http/http.server';
import { pick, useLocale, useT, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { absoluteUrl, pageMeta, productJsonLd } from '~/modules/seo/seo';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? '';
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) badRequest('Malformed product slug');
  const page = await getProductPage(slug);
  if (!page) notFound(`No product ${slug}`);
  const { product, reviews } = page;
  const url = new URL(request.url);
  const sku = url.searchParams.get('variant');
  // The selected variant lives in the URL (?variant=SKU) so it can be shared and works without JS.
  const selected = sku ? product.variants.find((v) => v.sku === sku) : product.variants[0];
  if (!selected) badRequest(`Unknown variant ${sku}`);
  const canonical = absoluteUrl(request, `/products/${slug}`);
  return json({ product, selectedSku: selected.sku, canonical, reviews });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        ...pageMeta({ title: data.product.nameZh, description: data.product.descriptionZh.slice(0, 150), canonical: data.canonical }),
        { property: 'og:type', content: 'product' },
        ...(data.product.images[0] ? [{ property: 'og:image', content: data.product.images[0].src }] : []),
        { 'script:ld+json': productJsonLd(data) },
      ]
    : [{ title: '山海集' }];

export default function ProductPage() {
  const { product, selectedSku, reviews } = useLoaderData<typeof loader>();
  const t = useT();
  const tr = useTr();
  const locale = useLocale();
  const selected = product.variants.find((v) => v.sku === selectedSku)!;
  const image = product.images[0];
  const certExpired = Boolean(product.certificateNo && !product.certified);
  return (
    <article className="grid gap-6 md:grid-cols-2" itemScope itemType="https://schema.org/Product">
      <div>
        {image ? (
          <img src={image.src} srcSet={image.srcSet} sizes="(min-width: 768px) 50vw, 100vw" alt={pick(locale, image.altZh, image.altEn)} width={960} height={720} className="w-full rounded-lg" />
        ) : null}
      </div>
      <div className="space-y-4">
        <nav aria-label="breadcrumb" className="text-sm text-gray-500">
          {product.category.parent ? <><Link to={`/categories/${product.category.parent.slug}`} className="hover:underline">{pick(locale, product.category.parent.nameZh, product.category.parent.nameEn)}</Link> › </> : null}
          <Link to={`/categories/${product.category.slug}`} className="hover:underline">{pick(locale, product.category.nameZh, product.category.nameEn)}</Link>
        </nav>
        <h1 className="text-2xl font-bold" itemProp="name">{pick(locale, product.nameZh, product.nameEn)}</h1>
        {locale !== 'en' && product.nameEn ? <p className="text-sm text-gray-500" lang="en">{product.nameEn}</p> : null}
        <p className="text-3xl font-semibold text-earth-500" data-testid="price">{formatFen(selected.priceFen)}</p>
        {selected.priceBreaks.length ? (
          <section aria-labelledby="price-breaks" className="text-sm" data-testid="price-breaks">
            <h2 id="price-breaks" className="font-medium">{tr('阶梯价（单笔订单购买本规格）', 'Quantity prices (this specification, one order)')}</h2>
            <ul className="mt-1 flex flex-wrap gap-2">
              {selected.priceBreaks.map((b) => (
                <li key={b.minQuantity} className="rounded border border-amber-200 bg-amber-50 px-2 py-1">
                  {tr(`≥${b.minQuantity} ${selected.unit}`, `${b.minQuantity}+ ${selected.unit}`)}：{formatFen(b.priceFen)}/{selected.unit}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {selected.referencePriceFen ? (
          // Fair price: the seller's reference market price and where it comes from.
          <p className="text-sm text-gray-600" data-testid="reference-price">
            {tr('市场参考价', 'Market reference price')} <span className="font-medium">{formatFen(selected.referencePriceFen)}</span>
            {product.referencePriceSource ? <>{tr('（来源：', ' (source: ')}{product.referencePriceSource}{tr('）', ')')}</> : null}
          </p>
        ) : null}

        <fieldset>
          <legend className="text-sm font-medium">{t('product.variants')}</legend>
          <ul className="mt-2 flex flex-wrap gap-2">
            {product.variants.map((v) => (
              <li key={v.sku}>
                <Link
                  to={`/products/${product.slug}?variant=${encodeURIComponent(v.sku)}`}
                  replace
                  preventScrollReset
                  aria-current={v.sku === selected.sku ? 'true' : undefined}
                  className={`inline-block rounded border px-3 py-1 text-sm ${v.sku === selected.sku ? 'border-brand-600 bg-brand-50 text-brand-700' : 'border-gray-300'}`}
                >
                  {pick(locale, v.nameZh, v.nameEn)} · {formatFen(v.priceFen)}
                </Link>
              </li>
            ))}
          </ul>
        </fieldset>
        <p className="text-sm" data-testid="stock">
          {selected.stock > 0 ? `${t('product.stock')}: ${selected.stock} ${selected.unit}` : t('product.outOfStock')}
        </p>
        {selected.stock > 0 && product.status === 'LISTED' ? (
          // Works without JavaScript: posts to /cart, which adds the line and shows the cart.
          <Form method="post" action="/cart" className="flex items-end gap-2" data-testid="add-to-cart">
            <input type="hidden" name="intent" value="add" />
            <input type="hidden" name="variantId" value={selected.id} />
            <label className="text-sm">
              <span className="block font-medium">{tr('数量', 'Quantity')}</span>
              <input name="quantity" type="number" inputMode="numeric" min={1} max={Math.min(999, selected.stock)} defaultValue={1} className="w-24 rounded border border-gray-300 px-3 py-2" />
            </label>
            <button type="submit" className="inline-flex min-h-11 items-center rounded bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">{tr('加入购物车', 'Add to cart')}</button>
          </Form>
        ) : null}

        <dl className="grid grid-cols-[7rem_1fr] gap-y-2 rounded-lg bg-white p-4 text-sm shadow-sm">
          <dt className="text-gray-500">{t('product.origin')}</dt>
          <dd data-testid="origin">
            {product.originPath.map((p, i) => (
              <span key={p.code}>
                {i > 0 ? ' › ' : ''}
                <Link to={`/places/${p.code}`} className="hover:underline">{p.name}</Link>
              </span>
            ))}
          </dd>
          <dt className="text-gray-500">{t('product.pairing')}</dt>
          <dd>
            {product.pairings.length
              ? product.pairings.map((p, i) => (
                  <span key={p.slug}>{i > 0 ? '；' : ''}<Link to={`/pairings/${p.slug}`} className="hover:underline">{p.nameZh}</Link></span>
                ))
              : '—'}
          </dd>
          <dt className="text-gray-500">{t('product.seller')}</dt>
          <dd>{pick(locale, product.seller.name, product.seller.nameEn)}</dd>
          <dt className="text-gray-500">{t('product.kindLabel')}</dt>
          <dd>{t(`product.kind.${product.statisticsKind}`)}</dd>
          {product.certificateNo ? (
            <>
              <dt className="text-gray-500">{t('product.certified')}</dt>
              <dd data-testid="certificate">
                <span className={certExpired ? 'text-red-700' : 'text-brand-700'}>{certExpired ? t('product.certificateExpired') : '✓'}</span>{' '}
                {product.certificateNo} · {t('product.issuer')} {product.certificateIssuer} · {t('product.validUntil')} {product.certifiedUntil?.slice(0, 10)}
              </dd>
            </>
          ) : null}
        </dl>
        <div className="prose max-w-none whitespace-pre-line text-sm text-gray-700" itemProp="description">{pick(locale, product.descriptionZh, product.descriptionEn)}</div>
      </div>
      <ProductReviews summary={reviews} />
    </article>
  );
}
