// Buyer reviews and ratings (issue 6 → trust features). Only the buyer of a delivered or completed
// order line may review it, once: the insert carries the eligibility conditions itself and the
// UNIQUE(order_line_id) index stops a second review, so two submits cannot both land. Sellers reply to
// reviews of their own goods; admins hide abusive ones with a reason (hidden reviews leave the product page).
import type { CurrentUser } from '~/modules/accounts/session.server';
import { userCan } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';

export class ReviewError extends Error {
  constructor(message: string, readonly status: 400 | 403 | 404 | 409) {
    super(message);
  }
}

/** Order states in which the buyer has the goods. */
export const REVIEWABLE_ORDER_STATES = ['DELIVERED', 'COMPLETED'] as const;

export type ReviewInput = { orderLineId: number; rating: number; body: string; /** when given, the line must belong to this order */ orderId?: number };

/** Writes the review, or throws ReviewError (404 not the buyer's line, 409 not delivered / reviewed already). */
export async function createReview(buyer: Pick<CurrentUser, 'id'>, input: ReviewInput) {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw new ReviewError('评分应为 1–5 / Rating must be 1–5', 400);
  const body = input.body.trim();
  if (body.length > 1000) throw new ReviewError('评价最多 1000 个字 / At most 1000 characters', 400);
  const rows = await prisma.$queryRaw<Array<{ id: number }>>`
    insert into buyer_review (order_line_id, product_id, seller_id, buyer_id, rating, body)
    select l.id, l.product_id, l.seller_id, o.buyer_id, ${input.rating}, ${body}
    from order_line l join "order" o on o.id = l.order_id
    where l.id = ${input.orderLineId} and (${input.orderId ?? null}::int is null or l.order_id = ${input.orderId ?? null}::int) and o.buyer_id = ${buyer.id} and o.state::text in ('DELIVERED', 'COMPLETED')
    on conflict (order_line_id) do nothing
    returning id`;
  if (rows[0]) return { id: rows[0].id };
  // Nothing written: say why.
  const line = await prisma.orderLine.findUnique({ where: { id: input.orderLineId }, select: { orderId: true, order: { select: { buyerId: true, state: true } }, review: { select: { id: true } } } });
  if (!line || line.order.buyerId !== buyer.id || (input.orderId !== undefined && line.orderId !== input.orderId)) throw new ReviewError('没有这件已购商品 / No such purchased item', 404);
  if (line.review) throw new ReviewError('这件商品您已评价过 / You have already reviewed this item', 409);
  throw new ReviewError('确认收货后才能评价 / You can review once the order is delivered', 409);
}

/** The buyer's line to review on the review page (null when it is not theirs or not in this order). */
export async function reviewTarget(buyerId: number, orderId: number, orderLineId: number) {
  const line = await prisma.orderLine.findFirst({
    where: { id: orderLineId, orderId, order: { buyerId } },
    select: { id: true, productNameZh: true, productNameEn: true, variantNameZh: true, quantity: true, order: { select: { reference: true, state: true } }, review: { select: { id: true, rating: true, body: true } } },
  });
  if (!line) return null;
  return { ...line, canReview: !line.review && (REVIEWABLE_ORDER_STATES as readonly string[]).includes(line.order.state) };
}

/** Per order line of the buyer's order (only `lineIds` when given: the lines shown): may they review it now, and their review if written. */
export async function reviewsForOrder(buyerId: number, orderId: number, lineIds?: number[]) {
  const lines = await prisma.orderLine.findMany({
    where: { orderId, order: { buyerId }, ...(lineIds ? { id: { in: lineIds } } : {}) },
    select: { id: true, order: { select: { state: true } }, review: { select: { id: true, rating: true, body: true, sellerReply: true, hidden: true, createdAt: true } } },
  });
  return Object.fromEntries(lines.map((l) => [l.id, {
    canReview: !l.review && (REVIEWABLE_ORDER_STATES as readonly string[]).includes(l.order.state),
    review: l.review,
  }]));
}

/** Visible reviews of a product with their count and average rating (hidden ones are left out of both). */
export async function productReviews(productId: number, take = 20) {
  // One statement (the product page stays at a fixed number of queries): the newest visible reviews, each
  // row carrying the count and average over all visible reviews (window functions run before the LIMIT).
  const rows = await prisma.$queryRaw<Array<{ id: number; rating: number; body: string; sellerReply: string | null; repliedAt: Date | null; createdAt: Date; buyerName: string; total: number; average: number }>>`
    select r.id, r.rating, r.body, r.seller_reply as "sellerReply", r.replied_at as "repliedAt", r.created_at as "createdAt",
           u.name as "buyerName", (count(*) over ())::int as total, (avg(r.rating) over ())::float8 as average
    from buyer_review r join app_user u on u.id = r.buyer_id
    where r.product_id = ${productId} and not r.hidden
    order by r.created_at desc, r.id desc
    limit ${take}`;
  const first = rows[0];
  return {
    count: first?.total ?? 0,
    average: first ? Math.round(first.average * 10) / 10 : null,
    reviews: rows.map(({ buyerName, total: _t, average: _a, ...r }) => ({ ...r, author: maskName(buyerName) })),
  };
}

/** 张三 → 张*, Alice → A***: reviews never show a buyer's full name. */
export function maskName(name: string) {
  const chars = [...name.trim()];
  if (chars.length === 0) return '匿名';
  return chars[0] + '*'.repeat(Math.max(1, Math.min(3, chars.length - 1)));
}

/** Reviews of the given sellers' goods, newest first (hidden ones included, marked). */
export async function sellerReviews(sellerIds: number[], take = 100) {
  if (sellerIds.length === 0) return [];
  return prisma.buyerReview.findMany({
    where: { sellerId: { in: sellerIds } },
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, rating: true, body: true, sellerReply: true, repliedAt: true, hidden: true, hideReason: true, createdAt: true, product: { select: { nameZh: true, nameEn: true, slug: true } } },
  });
}

/** Seller staff reply to (or edit their reply to) a review of their own seller's goods. */
export async function replyToReview(actor: Pick<CurrentUser, 'id' | 'permissions' | 'sellerStaff'>, reviewId: number, reply: string) {
  const text = reply.trim();
  if (text.length < 1 || text.length > 1000) throw new ReviewError('回复应为 1–1000 个字 / A reply has 1–1000 characters', 400);
  if (!userCan(actor, 'reply:review:own')) throw new ReviewError('没有权限 / Forbidden', 403);
  const sellerIds = actor.sellerStaff.map((s) => s.seller.id);
  const r = await prisma.buyerReview.updateMany({ where: { id: reviewId, sellerId: { in: sellerIds } }, data: { sellerReply: text, repliedById: actor.id, repliedAt: new Date() } });
  if (r.count !== 1) throw new ReviewError('没有这条评价 / No such review', 404);
}

/** Admin: hide an abusive review with a reason, or show it again. */
export async function moderateReview(actor: Pick<CurrentUser, 'id' | 'permissions'>, reviewId: number, action: { hide: true; reason: string } | { hide: false }) {
  if (!userCan(actor, 'hide:review:any')) throw new ReviewError('没有权限 / Forbidden', 403);
  const data = action.hide
    ? { hidden: true, hideReason: action.reason.trim(), hiddenById: actor.id, hiddenAt: new Date() }
    : { hidden: false, hideReason: null, hiddenById: null, hiddenAt: null };
  if (action.hide && data.hideReason!.length < 2) throw new ReviewError('请填写隐藏原因 / Give the reason for hiding', 400);
  const r = await prisma.buyerReview.updateMany({ where: { id: reviewId }, data });
  if (r.count !== 1) throw new ReviewError('没有这条评价 / No such review', 404);
}

/** Admin list: all reviews (or only hidden / low-rated), newest first. */
export async function adminReviews(filter: 'all' | 'hidden' | 'low', take = 100) {
  return prisma.buyerReview.findMany({
    where: filter === 'hidden' ? { hidden: true } : filter === 'low' ? { rating: { lte: 2 } } : {},
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true, rating: true, body: true, sellerReply: true, hidden: true, hideReason: true, hiddenAt: true, createdAt: true,
      product: { select: { nameZh: true, slug: true, seller: { select: { name: true } } } },
      buyer: { select: { email: true } }, hiddenBy: { select: { email: true } },
    },
  });
}
