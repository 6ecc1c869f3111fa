import type { MetaDescriptor } from '@remix-run/node';

export function absoluteUrl(request: Request, path: string) {
  const base = process.env.PUBLIC_URL ?? new URL(request.url).origin;
  return new URL(path, base).toString();
}

/** Title, description, canonical link and Open Graph tags for a page. */
export function pageMeta({ title, description, canonical }: { title: string; description?: string; canonical?: string }): MetaDescriptor[] {
  const tags: MetaDescriptor[] = [{ title: `${title} · 山海集` }, { property: 'og:title', content: title }];
  if (description) tags.push({ name: 'description', content: description }, { property: 'og:description', content: description });
  if (canonical) tags.push({ tagName: 'link', rel: 'canonical', href: canonical }, { property: 'og:url', content: canonical });
  return tags;
}

type JsonLdProduct = {
  nameZh: string;
  nameEn: string | null;
  descriptionZh: string;
  images: Array<{ src: string }>;
  seller: { name: string };
  category: { nameZh: string };
  variants: Array<{ sku: string; nameZh: string; priceFen: number; stock: number }>;
};

/**
 * schema.org Product of a product page (its offers, and its rating when it has reviews). Built in the
 * route's meta from the loader data, so the data is not sent twice (once as JSON-LD in the loader data).
 * URLs are absolute on the canonical URL's origin.
 */
export function productJsonLd({ product, canonical, selectedSku, reviews }: {
  product: JsonLdProduct; canonical: string; selectedSku: string; reviews: { average: number | null; count: number };
}) {
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: product.nameZh,
    alternateName: product.nameEn || undefined,
    description: product.descriptionZh,
    sku: selectedSku,
    image: product.images.map((i) => new URL(i.src, canonical).toString()),
    brand: { '@type': 'Brand', name: product.seller.name },
    category: product.category.nameZh,
    countryOfOrigin: 'CN',
    offers: product.variants.map((v) => ({
      '@type': 'Offer',
      sku: v.sku,
      name: v.nameZh,
      price: (v.priceFen / 100).toFixed(2),
      priceCurrency: 'CNY',
      availability: v.stock > 0 ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      url: `${canonical}?variant=${encodeURIComponent(v.sku)}`,
    })),
    ...(reviews.average !== null ? { aggregateRating: { '@type': 'AggregateRating', ratingValue: reviews.average, reviewCount: reviews.count } } : {}),
  };
}
