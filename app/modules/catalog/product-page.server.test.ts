// The product page cache on a live catalogue change feed (this process's search follower, polling every
// 50 ms): repeat views come from memory, and a checkout, a price edit, a review or an unlisting shows on
// the page within a poll — never later, however many views there were in between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool, prisma } from '~/modules/db/db.server';
import { buyerStep, markShipped, placeOrder } from '~/modules/orders/orders.server';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import { createReview } from '~/modules/reviews/reviews.server';
import { SearchService, setSearchService } from '~/modules/search/search.server';
import { loader } from '~/routes/products.$slug';
import { freshUser } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { getProductBySlug } from './catalog.server';
import { getProductPage, productPageCache } from './product-page.server';

let service: SearchService;
const until = async <T>(what: string, check: () => Promise<T | false>, ms = 2_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== false) return v;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
/** Waits until the follower has applied every transaction committed before this call. */
async function caughtUp() {
  const { rows } = await pool().query<{ x: string }>('select pg_current_xact_id()::text as x');
  await until('the feed to catch up', async () => (service.follower.cursor ?? 0) > Number(rows[0]!.x) || false, 5_000);
}
const stockOf = async (slug: string) => (await getProductPage(slug))!.product.variants[0]!.stock;

beforeAll(async () => {
  service = new SearchService({ followerPollMs: 50, log: () => {} });
  await setSearchService(service);
  service.follower.start();
  await until('the follower is live', async () => service.follower.isLive() || false, 60_000);
}, 90_000);

afterAll(async () => {
  await setSearchService(undefined);
});

describe('product page cache', () => {
  it('serves repeat views from memory, equal to a fresh database read', async () => {
    const p = await listedProduct();
    await caughtUp();
    const cache = productPageCache();
    const first = await getProductPage(p.slug);
    const hits = cache.hits;
    const again = await getProductPage(p.slug);
    expect(again).toBe(first); // the same object: no query
    expect(cache.hits).toBe(hits + 1);
    expect(again!.product).toEqual(await getProductBySlug(p.slug));
    const res = await loader({ request: new Request(`http://x/products/${p.slug}`), params: { slug: p.slug }, context: {} });
    expect((await res.json()).product.variants[0].stock).toBe(100);
  });

  it('a checkout elsewhere (stock reserved), a price edit and a quantity break show within a poll', async () => {
    const p = await listedProduct({ stock: 10 });
    expect(await stockOf(p.slug)).toBe(10);
    const buyer = await userByEmail((await freshUser()).email);
    await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 3 }], provider: 'BANK_TRANSFER' });
    await until('stock 7 on the page', async () => (await stockOf(p.slug)) === 7 || false);
    await prisma.variant.update({ where: { id: p.variantId }, data: { priceFen: 2990 } });
    await until('the new price on the page', async () => (await getProductPage(p.slug))!.product.variants[0]!.priceFen === 2990 || false);
    await prisma.variantPriceBreak.create({ data: { variantId: p.variantId, minQuantity: 10, priceFen: 2590 } });
    await until('the quantity break on the page', async () => (await getProductPage(p.slug))!.product.variants[0]!.priceBreaks.length === 1 || false);
  });

  it('a new review shows within a poll; a delisted product is gone at once for new readers', async () => {
    const p = await listedProduct();
    const buyer = await userByEmail((await freshUser()).email);
    const admin = await userByEmail('admin@demo.shanhai.cn');
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' });
    const line = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o.id } });
    await recordBankReceipt(admin.id, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `R-${o.reference}` });
    await markShipped({ id: admin.id, permissions: admin.permissions, sellerStaff: [{ isAdmin: true, seller: { id: p.sellerId, slug: '', name: '' } }] }, line.fulfilmentId, '顺丰', 'SF123456');
    await buyerStep(buyer, o.id, 'deliver');
    expect((await getProductPage(p.slug))!.reviews.count).toBe(0);
    await createReview(buyer, { orderLineId: line.id, rating: 4, body: '酸甜可口' });
    const page = await until('the review on the page', async () => {
      const r = (await getProductPage(p.slug))!.reviews;
      return r.count === 1 ? r : false;
    });
    expect(page.reviews[0]).toMatchObject({ rating: 4, body: '酸甜可口' });
    await prisma.product.update({ where: { id: p.productId }, data: { status: 'DELISTED' } });
    await until('the page gone', async () => (await getProductPage(p.slug)) === null || false);
  });

  it('reads the database on every view once the feed stops', async () => {
    const p = await listedProduct();
    await getProductPage(p.slug);
    await service.follower.stop();
    try {
      await prisma.variant.update({ where: { id: p.variantId }, data: { stock: 42 } });
      expect(await stockOf(p.slug)).toBe(42); // immediately, no poll in between
      expect(productPageCache().size).toBe(0);
    } finally {
      service.follower.start();
      await until('the follower is live again', async () => service.follower.isLive() || false, 30_000);
    }
  });
});
