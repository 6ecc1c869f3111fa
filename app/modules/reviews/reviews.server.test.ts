import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { buyerStep, markShipped, placeOrder } from '~/modules/orders/orders.server';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import { freshUser } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { createReview, maskName, moderateReview, productReviews, replyToReview, reviewsForOrder } from './reviews.server';

/** A fresh buyer's paid order of one fresh product; `deliver` takes it through shipping to DELIVERED. */
async function orderOf(opts: { deliver: boolean }) {
  const product = await listedProduct();
  const u = await freshUser();
  const buyer = await userByEmail(u.email);
  const admin = await userByEmail('admin@demo.shanhai.cn');
  const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: product.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' });
  const line = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o.id } });
  await recordBankReceipt(admin.id, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `R-${o.reference}` });
  const staff = { id: admin.id, permissions: admin.permissions, sellerStaff: [{ isAdmin: true, seller: { id: product.sellerId, slug: '', name: '' } }] };
  if (opts.deliver) {
    await markShipped(staff, line.fulfilmentId, '顺丰', 'SF123456');
    await buyerStep(buyer, o.id, 'deliver');
  }
  return { buyer, order: o, line, product, admin };
}

describe('review eligibility', () => {
  it('refuses a line whose order is not delivered yet, and writes nothing', async () => {
    const { buyer, line, order } = await orderOf({ deliver: false });
    await expect(createReview(buyer, { orderLineId: line.id, rating: 5, body: '好' })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/确认收货后/) });
    expect(await prisma.buyerReview.count({ where: { orderLineId: line.id } })).toBe(0);
    expect((await reviewsForOrder(buyer.id, order.id))[line.id]).toMatchObject({ canReview: false, review: null });
  });

  it('refuses someone else’s line (404), and a missing line', async () => {
    const { line } = await orderOf({ deliver: true });
    const other = await userByEmail((await freshUser()).email);
    await expect(createReview(other, { orderLineId: line.id, rating: 4, body: '' })).rejects.toMatchObject({ status: 404 });
    await expect(createReview(other, { orderLineId: 2_000_000_000, rating: 4, body: '' })).rejects.toMatchObject({ status: 404 });
    expect(await prisma.buyerReview.count({ where: { orderLineId: line.id } })).toBe(0);
  });

  it('the buyer of a delivered line reviews it once; a second (even concurrent) review is refused', async () => {
    const { buyer, line, order, product } = await orderOf({ deliver: true });
    expect((await reviewsForOrder(buyer.id, order.id))[line.id]).toMatchObject({ canReview: true });
    const results = await Promise.allSettled([1, 2, 3].map((n) => createReview(buyer, { orderLineId: line.id, rating: n + 2, body: `第${n}次` })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.status)).toEqual([409, 409]);
    await expect(createReview(buyer, { orderLineId: line.id, rating: 1, body: 'again' })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/已评价/) });
    const rows = await prisma.buyerReview.findMany({ where: { orderLineId: line.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ productId: product.productId, sellerId: product.sellerId, buyerId: buyer.id });
    expect((await reviewsForOrder(buyer.id, order.id))[line.id]).toMatchObject({ canReview: false });
  });

  it('a completed order can be reviewed too; ratings outside 1–5 and over-long texts are refused (also by the database)', async () => {
    const { buyer, line, order } = await orderOf({ deliver: true });
    await buyerStep(buyer, order.id, 'complete');
    await expect(createReview(buyer, { orderLineId: line.id, rating: 6, body: '' })).rejects.toMatchObject({ status: 400 });
    await expect(createReview(buyer, { orderLineId: line.id, rating: 0, body: '' })).rejects.toMatchObject({ status: 400 });
    await expect(createReview(buyer, { orderLineId: line.id, rating: 5, body: 'x'.repeat(1001) })).rejects.toMatchObject({ status: 400 });
    await expect(prisma.$executeRaw`insert into buyer_review (order_line_id, product_id, seller_id, buyer_id, rating) select id, product_id, seller_id, ${buyer.id}, 9 from order_line where id = ${line.id}`).rejects.toThrow(/buyer_review_rating_range/);
    await createReview(buyer, { orderLineId: line.id, rating: 5, body: '  很好喝  ' });
    expect(await prisma.buyerReview.findUniqueOrThrow({ where: { orderLineId: line.id } })).toMatchObject({ rating: 5, body: '很好喝' });
  });
});

describe('product page, replies and hiding', () => {
  it('average and count cover visible reviews only; sellers reply to their own reviews only; admins hide with a reason', async () => {
    const a = await orderOf({ deliver: true });
    const b1 = await userByEmail((await freshUser()).email);
    // a second buyer of the same product
    const o2 = await placeOrder(b1, { ...ADDRESS, lines: [{ variantId: a.product.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' });
    const l2 = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o2.id } });
    await recordBankReceipt(a.admin.id, { reference: o2.reference, amountFen: o2.totalFen, receivedOn: new Date(), bankReference: `R-${o2.reference}` });
    await markShipped({ id: a.admin.id, permissions: [], sellerStaff: [{ isAdmin: true, seller: { id: a.product.sellerId, slug: '', name: '' } }] }, l2.fulfilmentId, '邮政', 'EMS12345');
    await buyerStep(b1, o2.id, 'deliver');
    const r1 = await createReview(a.buyer, { orderLineId: a.line.id, rating: 5, body: '好' });
    const r2 = await createReview(b1, { orderLineId: l2.id, rating: 2, body: '骂人的话' });
    expect(await productReviews(a.product.productId)).toMatchObject({ count: 2, average: 3.5 });

    const seller = await userByEmail('coop-panzhou@demo.shanhai.cn');
    await expect(replyToReview(seller, r1.id, '谢谢')).rejects.toMatchObject({ status: 404 });
    const own = { ...seller, sellerStaff: [{ isAdmin: true, seller: { id: a.product.sellerId, slug: '', name: '' } }] };
    await replyToReview(own, r1.id, '谢谢惠顾');
    await expect(replyToReview({ ...own, permissions: [] }, r1.id, '谢谢')).rejects.toMatchObject({ status: 403 });

    await expect(moderateReview(seller, r2.id, { hide: true, reason: '辱骂' })).rejects.toMatchObject({ status: 403 });
    await expect(moderateReview(a.admin, r2.id, { hide: true, reason: ' ' })).rejects.toMatchObject({ status: 400 });
    await moderateReview(a.admin, r2.id, { hide: true, reason: '含辱骂内容' });
    const page = await productReviews(a.product.productId);
    expect(page).toMatchObject({ count: 1, average: 5 });
    expect(page.reviews.map((r) => [r.id, r.sellerReply])).toEqual([[r1.id, '谢谢惠顾']]);
    expect(await prisma.buyerReview.findUniqueOrThrow({ where: { id: r2.id } })).toMatchObject({ hidden: true, hideReason: '含辱骂内容', hiddenById: a.admin.id });
    await moderateReview(a.admin, r2.id, { hide: false });
    expect(await productReviews(a.product.productId)).toMatchObject({ count: 2 });
  });

  it('masks author names', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('Alice')).toBe('A***');
    expect(maskName('')).toBe('匿名');
  });
});
