// The public product page's data: the listed product (variants, images, seller, category, origin path,
// pairings) and its visible buyer reviews. Read through an in-process cache that this instance's catalogue
// change feed keeps true (see page-cache.server.ts and docs/decisions/0010-product-page-cache.md): a
// change to the product, its variants (price, stock), images, seller, category, places, pairings or reviews
// drops the entry within one follower poll on every instance.
import { productReviews } from '~/modules/reviews/reviews.server';
import { searchService } from '~/modules/search/search.server';
import { getProductBySlug } from './catalog.server';
import { PageCache } from './page-cache.server';

async function loadProductPage(slug: string) {
  const product = await getProductBySlug(slug);
  if (!product) return null;
  return { productId: product.id, value: { product, reviews: await productReviews(product.id) } };
}

export type ProductPageData = NonNullable<Awaited<ReturnType<typeof loadProductPage>>>['value'];

const g = globalThis as typeof globalThis & { __shanhaiProductPages?: { cache: PageCache<ProductPageData>; follower: unknown } };

/** The process's cache, subscribed to the feed of the search service that runs now. */
export function productPageCache(): PageCache<ProductPageData> {
  const follower = searchService().follower;
  if (g.__shanhaiProductPages?.follower !== follower) {
    const cache = new PageCache<ProductPageData>({ enabled: () => follower.isLive() });
    follower.onApplied((changed) => cache.changed(changed));
    g.__shanhaiProductPages = { cache, follower };
  }
  return g.__shanhaiProductPages.cache;
}

/** The page's data, or null when no listed product has this slug. Callers must not mutate the result. */
export function getProductPage(slug: string): Promise<ProductPageData | null> {
  return productPageCache().get(slug, () => loadProductPage(slug));
}
