// Placing orders (stock reserved by conditional decrements, one fulfilment per seller), cancelling and
// expiring them (stock released exactly once: the state change is a conditional UPDATE and the release
// happens only when it matched), and the buyer's and seller's steps after payment.
import type { Job } from '~/modules/jobs/scheduler.server';
import crypto from 'node:crypto';
import { Prisma } from '~/generated/prisma/client';
import type { CurrentUser } from '~/modules/accounts/session.server';
import { userCan } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';
import { needsApproval } from '~/modules/organisations/organisations.server';
import { placeLinks, regionNames } from '~/modules/places/places.server';
import { AllowanceError, refundAllowance, spendAllowance } from '~/modules/organisations/allowances.server';
import { fulfilOrderPayment } from '~/modules/payments/payments.server';
import { unitPriceFor } from '~/modules/catalog/price-breaks';
import { parcelWindow } from './parcels';
import { MOBILE_MESSAGE, MOBILE_RE, TAX_NUMBER_MESSAGE, TAX_NUMBER_RE } from './schemas';
import { fulfilmentTransition, orderTransition, type FulfilmentState, type OrderState } from './state';

type Tx = Prisma.TransactionClient;

/** How long an order waits for its payment before the worker expires it and releases the stock. */
export const PAYMENT_WINDOW_MS = { BANK_TRANSFER: 72 * 3600 * 1000, STRIPE: 40 * 60 * 1000 } as const;
export const MAX_ORDER_LINES = 50;

export class OrderError extends Error {
  constructor(message: string, readonly field: string | null = null, readonly status = 400) {
    super(message);
  }
}

export type Buyer = Pick<CurrentUser, 'id' | 'permissions' | 'memberships'>;

export type PlaceOrderInput = {
  lines: Array<{ variantId: number; quantity: number }>;
  organisationId?: number | null;
  invoiceTitle?: string;
  taxNumber?: string;
  provinceCode: string;
  cityCode: string;
  districtCode: string;
  street: string;
  recipient: string;
  mobile: string;
  note?: string;
  provider: 'BANK_TRANSFER' | 'STRIPE';
  /** 分 paid from the buyer's allowance in `allowanceOrganisationId` (a union); the rest is due by `provider` */
  allowanceFen?: number;
  allowanceOrganisationId?: number | null;
  /** one order per checkout form: a repeated submit with the same key returns the first order */
  checkoutKey?: string;
};

const REF_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A transfer reference such as SH7K2M9Q4X: short enough to type into a bank's remark field. */
export function newReference() {
  const bytes = crypto.randomBytes(8);
  let s = 'SH';
  for (const b of bytes) s += REF_ALPHABET[b % REF_ALPHABET.length];
  return s;
}

/** province → city → district must be a chain in the place data. */
export async function checkAddress(provinceCode: string, cityCode: string, districtCode: string) {
  const by = await placeLinks([provinceCode, cityCode, districtCode]);
  const p = by.get(provinceCode);
  const c = by.get(cityCode);
  const d = by.get(districtCode);
  if (!p || p.level !== 'PROVINCE') throw new OrderError('请选择省份 / Choose a province', 'provinceCode');
  if (!c || c.level !== 'PREFECTURE' || c.parentCode !== provinceCode) throw new OrderError('请选择该省下的城市 / Choose a city in that province', 'cityCode');
  if (!d || d.level !== 'COUNTY' || d.parentCode !== cityCode) throw new OrderError('请选择该市下的区县 / Choose a district in that city', 'districtCode');
}

export async function addEvent(tx: Tx, orderId: number, kind: string, zh: string, en: string, actorId: number | null = null) {
  await tx.orderEvent.create({ data: { orderId, kind, messageZh: zh, messageEn: en, actorId } });
}

/**
 * Places one order from a cart: checks the lines, the mobile number and the address, then hands the
 * lines (all to the order's own address) to `placeItems`.
 */
export async function placeOrder(buyer: Buyer, input: PlaceOrderInput) {
  assertCanOrder(buyer);
  if (input.lines.length === 0) throw new OrderError('购物车是空的 / The cart is empty');
  if (input.lines.length > MAX_ORDER_LINES) throw new OrderError(`一次最多 ${MAX_ORDER_LINES} 种商品 / At most ${MAX_ORDER_LINES} items per order`);
  if (!MOBILE_RE.test(input.mobile)) throw new OrderError(MOBILE_MESSAGE, 'mobile');
  await checkAddress(input.provinceCode, input.cityCode, input.districtCode);
  const { lines, ...header } = input;
  return placeItems(buyer, { ...header, items: lines.map((l) => ({ ...l, recipientNo: 0 })) });
}

function assertCanOrder(buyer: Buyer) {
  if (!userCan(buyer, 'create:order:own')) throw new OrderError('没有下单权限 / You may not place orders', null, 403);
}

/** A parcel's addressee in a gift-distribution order; `no` is the row number in the uploaded list (≥ 1). */
export type OrderRecipient = { no: number; name: string; mobile: string; address: string };

/** The placement core's input: the order header and its items, each for a recipient (0: the order's own address). */
export type PlaceItemsInput = Omit<PlaceOrderInput, 'lines'> & {
  items: Array<{ variantId: number; quantity: number; recipientNo: number }>;
  recipients?: OrderRecipient[];
  /** appended to the first timeline event, e.g. the number of gift recipients */
  placedNote?: readonly [string, string];
};

/**
 * Places one order (the one placement function behind checkout and gift distribution): checks the
 * buyer, organisation and allowance, prices every variant from its base price and quantity breaks at
 * the order's total quantity of it, applies the organisation's approval threshold, then in one statement
 * takes the stock of every variant (items sharing a variant summed first, variants in id order so two
 * orders never deadlock) with `stock = stock - q` under a CHECK (stock >= 0), and writes the order, one
 * fulfilment per seller and recipient, the lines (with a snapshot of product and price) and the first
 * timeline event.
 */
/** The most of one variant for one recipient in one order. */
export const MAX_LINE_QUANTITY = 9999;

export async function placeItems(buyer: Buyer, input: PlaceItemsInput) {
  assertCanOrder(buyer);
  let organisationId: number | null = null;
  let invoiceTitle = '';
  let taxNumber = '';
  if (input.organisationId) {
    const m = buyer.memberships.find((x) => x.organisation.id === input.organisationId);
    if (!m || (m.role !== 'BUYER' && m.role !== 'ADMIN') || !userCan(buyer, 'create:organisation-order:own')) {
      throw new OrderError('您不能代表该单位下单 / You may not buy for that organisation', 'organisationId', 403);
    }
    organisationId = input.organisationId;
    invoiceTitle = (input.invoiceTitle ?? '').trim();
    taxNumber = (input.taxNumber ?? '').trim().toUpperCase();
    if (invoiceTitle.length < 2) throw new OrderError('单位采购需填写发票抬头 / An organisation order needs the invoice title (抬头)', 'invoiceTitle');
    if (invoiceTitle.length > 100) throw new OrderError('发票抬头最多 100 个字 / Invoice title: at most 100 characters', 'invoiceTitle');
    if (!TAX_NUMBER_RE.test(taxNumber)) throw new OrderError(TAX_NUMBER_MESSAGE, 'taxNumber');
  }
  // checkout's form caps these too; gift orders and other callers come through here
  if ((input.note ?? '').trim().length > 200) throw new OrderError('备注最多 200 个字 / Note: at most 200 characters', 'note');
  const allowanceFen = input.allowanceFen ?? 0;
  let allowanceOrg: number | null = null;
  if (allowanceFen !== 0) {
    if (!Number.isSafeInteger(allowanceFen) || allowanceFen < 0) throw new OrderError('福利额度金额无效 / Invalid allowance amount', 'allowance');
    allowanceOrg = input.allowanceOrganisationId ?? null;
    // any member may spend their own allowance; the spending counts as the union's 采购
    if (!allowanceOrg || !buyer.memberships.some((x) => x.organisation.id === allowanceOrg)) {
      throw new OrderError('您不是该单位成员，不能使用其福利额度 / You are not a member of that organisation', 'allowance', 403);
    }
    if (organisationId && organisationId !== allowanceOrg) throw new OrderError('福利额度只能用于发放它的单位的订单 / An allowance pays only for orders of the organisation that granted it', 'allowance');
  }

  // the order's quantity of each variant, and its items merged per (variant, recipient)
  const qty = new Map<number, number>();
  const merged = new Map<string, { variantId: number; recipientNo: number; quantity: number }>();
  const recipients = new Map((input.recipients ?? []).map((r) => [r.no, r]));
  for (const l of input.items) {
    if (!Number.isSafeInteger(l.variantId) || !Number.isSafeInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_LINE_QUANTITY) throw new OrderError('数量无效 / Invalid quantity', 'quantity');
    if (l.recipientNo !== 0 && !recipients.has(l.recipientNo)) throw new Error(`item for unknown recipient ${l.recipientNo}`);
    qty.set(l.variantId, (qty.get(l.variantId) ?? 0) + l.quantity);
    const key = `${l.variantId}:${l.recipientNo}`;
    const m = merged.get(key) ?? { variantId: l.variantId, recipientNo: l.recipientNo, quantity: 0 };
    m.quantity += l.quantity;
    merged.set(key, m);
  }
  if (qty.size === 0) throw new OrderError('购物车是空的 / The cart is empty');
  if (qty.size > MAX_ORDER_LINES) throw new OrderError(`一次最多 ${MAX_ORDER_LINES} 种商品 / At most ${MAX_ORDER_LINES} items per order`);
  const ids = [...qty.keys()].sort((a, b) => a - b);
  const variants = await prisma.variant.findMany({
    where: { id: { in: ids } },
    select: {
      id: true, sku: true, nameZh: true, priceFen: true, priceBreaks: { select: { minQuantity: true, priceFen: true } },
      product: { select: { id: true, nameZh: true, nameEn: true, status: true, sellerId: true, statisticsKind: true, originCode: true } },
    },
  });
  const byId = new Map(variants.map((v) => [v.id, v]));
  for (const id of ids) {
    const v = byId.get(id);
    if (!v || v.product.status !== 'LISTED') throw new OrderError(`商品 ${v?.product.nameZh ?? id} 已下架 / An item is no longer on sale`, 'variantId', 409);
  }
  // the unit price of each variant at the order's whole quantity of it (quantity breaks), never the client's
  const unitPrice = new Map(ids.map((id) => [id, unitPriceFor(byId.get(id)!.priceFen, byId.get(id)!.priceBreaks, qty.get(id)!)]));
  const totalFen = ids.reduce((s, id) => s + unitPrice.get(id)! * qty.get(id)!, 0);
  if (!Number.isSafeInteger(totalFen) || totalFen > 2_000_000_000) throw new OrderError('订单金额过大 / The order is too large');
  if (allowanceFen > totalFen) throw new OrderError(`福利额度最多可用 ${totalFen} 分（订单金额） / At most the order total can be paid from the allowance`, 'allowance');

  const buyerOrganisationId = organisationId ?? allowanceOrg;
  const flow = buyerOrganisationId ? 'PROCUREMENT' : 'HELPED_SALES';
  const expiresAt = new Date(Date.now() + PAYMENT_WINDOW_MS[input.provider]);
  // above the organisation's threshold the order waits for an approver (stock reserved, no payment yet)
  const awaitingApproval = organisationId ? await needsApproval(organisationId, totalFen) : false;
  const [placedZh, placedEn] = (awaitingApproval
    ? ['订单已提交，超过单位审批金额，等待审批人审批（库存已保留）', 'Order placed; above the organisation\'s approval amount it waits for an approver (stock reserved)']
    : [`订单已提交，库存已为您保留至 ${fmt(expiresAt)}`, `Order placed; stock reserved until ${expiresAt.toISOString()}`])
    .map((m, i) => (input.placedNote ? `${m}${i === 0 ? '；' : '; '}${input.placedNote[i]}` : m));
  try {
    // one parcel per (seller, recipient); one line per (variant, recipient)
    const lines = [...merged.values()].sort((a, b) => a.recipientNo - b.recipientNo || a.variantId - b.variantId);
    const parcels = [...new Map(lines.map((l) => [`${byId.get(l.variantId)!.product.sellerId}:${l.recipientNo}`, { sellerId: byId.get(l.variantId)!.product.sellerId, recipientNo: l.recipientNo }])).values()];
    const to = parcels.map((p) => recipients.get(p.recipientNo));
    const vs = lines.map((l) => byId.get(l.variantId)!);
    for (let attempt = 1; ; attempt++) {
      try {
        // one statement: reserve stock, write order, parcels, lines and the first event — atomic by itself,
        // one round trip, so a checkout rush holds each connection for milliseconds
        const insert = async (db: Tx) => {
          const rows = await db.$queryRaw<Array<{ id: number; reference: string }>>`
            with x as (select * from unnest(${ids}::int[], ${ids.map((id) => qty.get(id)!)}::int[]) as x(id, q) order by id),
            -- the reservation: a shortfall violates variant_stock_nonnegative and the whole statement
            -- (so nothing of this order) takes effect
            dec as (update variant v set stock = v.stock - x.q from x where v.id = x.id returning v.id),
            o as (
              insert into "order" (buyer_id, buyer_organisation_id, flow, invoice_title, tax_number, province_code, city_code, district_code,
                street, recipient, mobile, note, provider, total_fen, reference, checkout_key, expires_at, state, allowance_fen)
              values (${buyer.id}, ${buyerOrganisationId}, ${flow}::"Flow", ${invoiceTitle}, ${taxNumber}, ${input.provinceCode}, ${input.cityCode}, ${input.districtCode},
                ${input.street.trim()}, ${input.recipient.trim()}, ${input.mobile}, ${(input.note ?? '').trim()}, ${input.provider}::"PaymentProviderKind",
                ${totalFen}, ${newReference()}, ${input.checkoutKey ?? null}, ${expiresAt}, ${awaitingApproval ? 'AWAITING_APPROVAL' : 'AWAITING_PAYMENT'}::"OrderState", ${allowanceFen})
              returning id, reference),
            -- every variant must have been reserved (one deleted meanwhile → division by zero → nothing happens)
            guard as (select 1 / ((select count(*) from dec) = ${ids.length})::int as ok),
            f as (
              insert into fulfilment (order_id, seller_id, recipient_no, recipient_name, recipient_mobile, recipient_address)
              select o.id, p.s, p.r, nullif(p.n, ''), nullif(p.m, ''), nullif(p.a, '')
              from o, unnest(${parcels.map((p) => p.sellerId)}::int[], ${parcels.map((p) => p.recipientNo)}::int[], ${to.map((r) => r?.name ?? '')}::text[],
                             ${to.map((r) => r?.mobile ?? '')}::text[], ${to.map((r) => r?.address ?? '')}::text[]) as p(s, r, n, m, a)
              returning id, seller_id, recipient_no),
            l as (
              insert into order_line (order_id, fulfilment_id, variant_id, product_id, seller_id, product_name_zh, product_name_en, variant_name_zh, sku,
                statistics_kind, origin_code, unit_price_fen, quantity, amount_fen)
              select o.id, f.id, x.variant_id, x.product_id, x.seller_id, x.pzh, x.pen, x.vzh, x.sku, x.kind::"StatisticsKind", x.origin, x.price, x.q, x.price * x.q
              from o, unnest(${vs.map((v) => v.id)}::int[], ${vs.map((v) => v.product.id)}::int[], ${vs.map((v) => v.product.sellerId)}::int[], ${vs.map((v) => v.product.nameZh)}::text[],
                              ${vs.map((v) => v.product.nameEn)}::text[], ${vs.map((v) => v.nameZh)}::text[], ${vs.map((v) => v.sku)}::text[],
                              ${vs.map((v) => v.product.statisticsKind)}::text[], ${vs.map((v) => v.product.originCode)}::text[], ${vs.map((v) => unitPrice.get(v.id)!)}::int[],
                              ${lines.map((l) => l.quantity)}::int[], ${lines.map((l) => l.recipientNo)}::int[])
                   as x(variant_id, product_id, seller_id, pzh, pen, vzh, sku, kind, origin, price, q, rno)
              join f on f.seller_id = x.seller_id and f.recipient_no = x.rno
              returning 1),
            e as (
              insert into order_event (order_id, kind, message_zh, message_en, actor_id)
              select o.id, 'placed', ${placedZh}, ${placedEn}, ${buyer.id} from o)
            select o.id, o.reference, (select count(*)::int from l) as n, (select ok from guard) as ok from o`;
          return rows[0]!;
        };
        const base = { totalFen, expiresAt, allowanceFen, dueFen: totalFen - allowanceFen, awaitingApproval };
        if (allowanceFen === 0) {
          const order = await withPlacementSlot(() => insert(prisma as unknown as Tx));
          return { id: order.id, reference: order.reference, ...base, paid: false };
        }
        // with an allowance: the same statement, the spend and (fully covered) the payment in one transaction
        return await withPlacementSlot(() => prisma.$transaction(async (tx) => {
          const order = await insert(tx);
          try {
            await spendAllowance(tx, { userId: buyer.id, organisationId: allowanceOrg!, amountFen: allowanceFen, orderId: order.id });
          } catch (error) {
            if (error instanceof AllowanceError) throw new OrderError(error.message, 'allowance', 409);
            throw error;
          }
          await addEvent(tx, order.id, 'allowance', `已使用福利额度 ${yuan(allowanceFen)}`, `${yuan(allowanceFen)} paid from the allowance`, buyer.id);
          let paid = false;
          if (allowanceFen === totalFen && !awaitingApproval) {
            // fully covered: paid at once, through the one payment-fulfilment function (ledger posted there)
            const r = await fulfilOrderPayment({ orderId: order.id, provider: 'ALLOWANCE', amountFen: allowanceFen }, tx);
            if (r.status !== 'paid') throw new Error(`allowance payment not applied: ${r.status}`);
            paid = true;
          }
          return { id: order.id, reference: order.reference, ...base, paid };
        }, { maxWait: 60_000, timeout: 60_000 }));
      } catch (error) {
        if (error instanceof OrderError) throw error;
        const text = `${(error as Error).message} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}`;
        if (/40P01|deadlock detected/.test(text) && attempt < 4) continue;
        if (/variant_stock_nonnegative|23514/.test(text)) throw new OrderError('库存不足，请减少数量 / Not enough stock for this order', 'quantity', 409);
        if (/22012|division by zero/.test(text)) throw new OrderError('商品已变化，请刷新后重试 / An item changed; reload and try again', 'variantId', 409);
        throw error;
      }
    }
  } catch (error) {
    const duplicate = error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || /23505|checkout_key/.test(`${error.message} ${JSON.stringify(error.meta ?? {})}`));
    if (input.checkoutKey && duplicate) {
      const existing = await prisma.order.findUnique({ where: { checkoutKey: input.checkoutKey }, select: { id: true, reference: true, totalFen: true, expiresAt: true, buyerId: true, allowanceFen: true, state: true } });
      if (existing && existing.buyerId === buyer.id) {
        return { id: existing.id, reference: existing.reference, totalFen: existing.totalFen, expiresAt: existing.expiresAt, allowanceFen: existing.allowanceFen, dueFen: existing.totalFen - existing.allowanceFen, paid: existing.state !== 'AWAITING_PAYMENT' && existing.state !== 'AWAITING_APPROVAL', awaitingApproval: existing.state === 'AWAITING_APPROVAL' };
      }
    }
    throw error;
  }
}

/**
 * At most PLACEMENT_SLOTS placements hold a database connection at once in this process; the rest
 * wait here (in order) instead of in the pool, whose connect timeout would turn a checkout rush into
 * errors, and other pages keep connections to work with.
 */
const PLACEMENT_SLOTS = 8;
let active = 0;
const waiting: Array<() => void> = [];
async function withPlacementSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (active >= PLACEMENT_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else active++;
  try {
    return await fn();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const fmt = (d: Date) => d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** Gives back the stock of orders that just left AWAITING_PAYMENT (call only for ids whose state change matched). */
export async function releaseStock(tx: Tx, orderIds: number[]) {
  if (orderIds.length === 0) return;
  await tx.$executeRaw`
    update variant v set stock = v.stock + x.q
    from (select variant_id, sum(quantity)::int as q from order_line where order_id = any(${orderIds}::int[]) group by variant_id order by variant_id) x
    where v.id = x.variant_id`;
  await tx.$executeRaw`update fulfilment set state = 'CANCELLED' where order_id = any(${orderIds}::int[]) and state = 'AWAITING_PAYMENT'`;
}

/** Gives an order's allowance spending back to the member's grants (cancelled, expired, refunded in full); idempotent. */
export async function giveBackAllowance(tx: Tx, orderId: number, actorId: number | null) {
  const fen = await refundAllowance(tx, { orderId, actorId });
  if (fen > 0) await addEvent(tx, orderId, 'allowance-returned', `福利额度 ${yuan(fen)} 已退回`, `${yuan(fen)} returned to the allowance`, actorId);
  return fen;
}

/** The buyer cancels an unpaid order; its stock is released in the same transaction. */
export async function cancelOrder(buyer: Pick<CurrentUser, 'id'>, orderId: number) {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.findUnique({ where: { id: orderId }, select: { buyerId: true, state: true } });
    if (!order || order.buyerId !== buyer.id) throw new OrderError('没有这个订单 / No such order', null, 404);
    const t = orderTransition(order.state as OrderState, 'cancel');
    if (!t.ok) throw new OrderError(t.message, null, 409);
    const rows = await tx.$queryRaw<Array<{ id: number }>>`
      update "order" set state = 'CANCELLED', cancelled_at = now() where id = ${orderId} and state in ('AWAITING_PAYMENT', 'AWAITING_APPROVAL') returning id`;
    if (rows.length === 0) throw new OrderError('订单状态已变化，请刷新 / The order changed meanwhile; reload', null, 409);
    await releaseStock(tx, [orderId]);
    await addEvent(tx, orderId, 'cancelled', '买家取消了订单，库存已释放', 'The buyer cancelled the order; stock released', buyer.id);
    await giveBackAllowance(tx, orderId, buyer.id);
    return { ok: true as const };
  });
}

/**
 * The reservation expiry worker: expires unpaid orders whose payment window has passed and releases
 * their stock. Rows are claimed with FOR UPDATE SKIP LOCKED, so several instances running it at once
 * never expire (or release) the same order twice. Returns the ids expired by this call.
 */
export async function expireReservations(now: Date = new Date(), batch = 200): Promise<number[]> {
  const all: number[] = [];
  for (;;) {
    const ids = await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ id: number }>>`
        update "order" set state = 'EXPIRED', cancelled_at = ${now}
        where id in (select id from "order" where state = 'AWAITING_PAYMENT' and expires_at <= ${now}
                     order by expires_at limit ${batch} for update skip locked)
          and state = 'AWAITING_PAYMENT'
        returning id`;
      const ids = rows.map((r) => r.id);
      await releaseStock(tx, ids);
      if (ids.length) {
        await tx.$executeRaw`
          insert into order_event (order_id, kind, message_zh, message_en)
          select id, 'expired', '付款超时，订单已关闭，库存已释放', 'Not paid in time: the order was closed and its stock released' from unnest(${ids}::int[]) id`;
      }
      for (const id of ids) await giveBackAllowance(tx, id, null);
      return ids;
    });
    all.push(...ids);
    if (ids.length < batch) return all;
  }
}

/** Periodic job (jobs/scheduler): expires unpaid orders past their payment window once a minute, on one instance. */
export const reservationExpiryJob: Job = {
  name: 'orders.reservation-expiry',
  everySeconds: 60,
  firstRunAfterSeconds: 3,
  run: async () => {
    const ids = await expireReservations();
    return ids.length ? `${ids.length} order(s) expired, stock released` : 0;
  },
};

/** Seller staff marks their parcel shipped; the order is shipped when every live parcel is. */
export async function markShipped(actor: Pick<CurrentUser, 'id' | 'sellerStaff' | 'permissions'>, fulfilmentId: number, carrier: string, trackingNo: string) {
  return prisma.$transaction(async (tx) => {
    const f = await tx.fulfilment.findUnique({ where: { id: fulfilmentId }, select: { id: true, orderId: true, sellerId: true, state: true } });
    const mine = f && (actor.sellerStaff.some((s) => s.seller.id === f.sellerId) || userCan(actor, 'update:fulfilment:any'));
    if (!f || !mine) throw new OrderError('没有这个包裹 / No such parcel', null, 404);
    const order = await tx.$queryRaw<Array<{ state: OrderState }>>`select state from "order" where id = ${f.orderId} for update`;
    const t = fulfilmentTransition(f.state as FulfilmentState, 'ship');
    if (!t.ok) throw new OrderError(t.message, null, 409);
    const os = order[0]!.state;
    const ot = orderTransition(os, 'ship');
    if (!ot.ok && os !== 'SHIPPED' && os !== 'DELIVERED' && os !== 'COMPLETED') throw new OrderError(ot.message, null, 409);
    const n = await tx.fulfilment.updateMany({ where: { id: fulfilmentId, state: 'TO_SHIP' }, data: { state: 'SHIPPED', carrier, trackingNo, shippedAt: new Date() } });
    if (n.count !== 1) throw new OrderError('包裹状态已变化，请刷新 / The parcel changed meanwhile; reload', null, 409);
    await addEvent(tx, f.orderId, 'shipped', `商家已发货：${carrier} ${trackingNo}`, `Shipped by the seller: ${carrier} ${trackingNo}`, actor.id);
    const waiting = await tx.fulfilment.count({ where: { orderId: f.orderId, state: { in: ['AWAITING_PAYMENT', 'TO_SHIP'] } } });
    if (waiting === 0 && os === 'PAID') await tx.order.update({ where: { id: f.orderId }, data: { state: 'SHIPPED' } });
    return { ok: true as const };
  });
}

/** The buyer confirms receipt (every shipped parcel delivered) or completes a delivered order. */
export async function buyerStep(buyer: Pick<CurrentUser, 'id'>, orderId: number, step: 'deliver' | 'complete') {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ state: OrderState; buyerId: number }>>`select state, buyer_id as "buyerId" from "order" where id = ${orderId} for update`;
    const order = rows[0];
    if (!order || order.buyerId !== buyer.id) throw new OrderError('没有这个订单 / No such order', null, 404);
    const t = orderTransition(order.state, step);
    if (!t.ok) throw new OrderError(t.message, null, 409);
    if (step === 'deliver') {
      const unshipped = await tx.fulfilment.count({ where: { orderId, state: 'TO_SHIP' } });
      if (unshipped > 0) throw new OrderError('还有包裹未发货 / Some parcels have not been shipped yet', null, 409);
      await tx.fulfilment.updateMany({ where: { orderId, state: 'SHIPPED' }, data: { state: 'DELIVERED', deliveredAt: new Date() } });
      await addEvent(tx, orderId, 'delivered', '买家已确认收货', 'The buyer confirmed delivery', buyer.id);
    } else {
      const open = await tx.fulfilment.count({ where: { orderId, state: { in: ['TO_SHIP', 'SHIPPED'] } } });
      if (open > 0) throw new OrderError('还有包裹未签收 / Some parcels are not delivered yet', null, 409);
      await addEvent(tx, orderId, 'completed', '订单已完成', 'Order completed', buyer.id);
    }
    await tx.order.update({ where: { id: orderId }, data: { state: t.to } });
    return { ok: true as const, state: t.to };
  });
}

export async function listOrders(buyerId: number, take = 50) {
  return prisma.order.findMany({
    where: { buyerId },
    orderBy: { id: 'desc' },
    take,
    select: { id: true, reference: true, state: true, totalFen: true, refundedFen: true, createdAt: true, flow: true, _count: { select: { lines: true } } },
  });
}

const ORDER_FIELDS = {
  id: true, reference: true, state: true, totalFen: true, allowanceFen: true, refundedFen: true, flow: true, provider: true, buyerId: true,
  invoiceTitle: true, taxNumber: true, provinceCode: true, cityCode: true, districtCode: true, street: true, recipient: true, mobile: true, note: true,
  expiresAt: true, paidAt: true, createdAt: true,
  buyerOrganisation: { select: { id: true, name: true } },
  payments: { orderBy: { id: 'asc' }, select: { id: true, provider: true, amountFen: true, state: true, bankReference: true, receivedOn: true, reviewNote: true, createdAt: true } },
  refunds: { orderBy: { id: 'asc' }, select: { id: true, amountFen: true, state: true, reason: true, createdAt: true } },
  events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, kind: true, messageZh: true, messageEn: true, createdAt: true } },
} satisfies Prisma.OrderSelect;
const PARCEL_FIELDS = { id: true, state: true, carrier: true, trackingNo: true, shippedAt: true, recipientNo: true, recipientName: true, recipientMobile: true, recipientAddress: true, seller: { select: { id: true, name: true } } } satisfies Prisma.FulfilmentSelect;
const PARCEL_ORDER = [{ recipientNo: 'asc' }, { id: 'asc' }] satisfies Prisma.FulfilmentOrderByWithRelationInput[];
const LINE_FIELDS = { id: true, fulfilmentId: true, productNameZh: true, productNameEn: true, variantNameZh: true, sku: true, unitPriceFen: true, quantity: true, amountFen: true, refundedFen: true, refundedQuantity: true } satisfies Prisma.OrderLineSelect;

/** An order with every parcel and line (finance's refund page). */
export async function getOrder(orderId: number) {
  const order = await prisma.order.findUnique({
    where: { id: orderId },
    select: { ...ORDER_FIELDS, fulfilments: { orderBy: PARCEL_ORDER, select: PARCEL_FIELDS }, lines: { orderBy: { id: 'asc' }, select: LINE_FIELDS } },
  });
  if (!order) return null;
  const [region] = await regionNames([order]);
  return { ...order, region: region! };
}

/**
 * An order with one page of its parcels and their lines (`page` from parcelPageNumber), and the summary of
 * all its parcels: count by state and recipients. A gift order with 5,000 recipients reads 50 parcels per
 * view, not 5,000.
 */
export async function getOrderPage(orderId: number, page: number) {
  const order = await prisma.order.findUnique({ where: { id: orderId }, select: ORDER_FIELDS });
  if (!order) return null;
  const [byState, [{ recipients }], [region]] = await Promise.all([
    prisma.fulfilment.groupBy({ by: ['state'], where: { orderId }, _count: { _all: true }, orderBy: { state: 'asc' } }),
    prisma.$queryRaw<Array<{ recipients: number }>>`select count(distinct recipient_no)::int as recipients from fulfilment where order_id = ${orderId} and recipient_no > 0`,
    regionNames([order]),
  ]);
  const states: Record<string, number> = Object.fromEntries(byState.map((g) => [g.state, g._count._all]));
  const total = byState.reduce((n, g) => n + g._count._all, 0);
  const { skip, take, ...pager } = parcelWindow(page, total);
  const fulfilments = await prisma.fulfilment.findMany({ where: { orderId }, orderBy: PARCEL_ORDER, skip, take, select: PARCEL_FIELDS });
  const lines = fulfilments.length
    ? await prisma.orderLine.findMany({ where: { orderId, fulfilmentId: { in: fulfilments.map((f) => f.id) } }, orderBy: { id: 'asc' }, select: LINE_FIELDS })
    : [];
  return { order: { ...order, region: region!, fulfilments, lines }, pager: { ...pager, total, recipients, states } };
}

/** Fulfilments of the sellers the user staffs. */
export async function sellerFulfilments(sellerIds: number[], take = 100) {
  if (sellerIds.length === 0) return [];
  const rows = await prisma.fulfilment.findMany({
    where: { sellerId: { in: sellerIds }, state: { not: 'AWAITING_PAYMENT' } },
    orderBy: [{ state: 'asc' }, { id: 'desc' }],
    take,
    select: {
      id: true, state: true, carrier: true, trackingNo: true, shippedAt: true,
      seller: { select: { name: true } },
      recipientNo: true, recipientName: true, recipientMobile: true, recipientAddress: true,
      order: { select: { reference: true, recipient: true, mobile: true, provinceCode: true, cityCode: true, street: true, districtCode: true, note: true, createdAt: true } },
      lines: { select: { productNameZh: true, variantNameZh: true, quantity: true } },
    },
  });
  const regions = await regionNames(rows.map((f) => f.order));
  return rows.map((f, i) => ({ ...f, order: { ...f.order, region: regions[i]! } }));
}
