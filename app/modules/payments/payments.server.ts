// Receiving money and giving it back. fulfilOrderPayment is the ONE place an order becomes paid —
// called by finance recording a bank receipt, by the Stripe webhook and by the Stripe success page —
// and it is idempotent: the same receipt (bank reference, Stripe payment id) is recorded once, a paid
// order is never paid twice, and the ledger is posted in the same transaction (never earlier).
import { Prisma } from '~/generated/prisma/client';
import { postManyToLedger, reverseManyLedger } from '~/modules/attribution/ledger.server';
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { formatFen } from '~/modules/money/money';
import { addEvent, giveBackAllowance, OrderError } from '~/modules/orders/orders.server';
import { orderTransition, type OrderState } from '~/modules/orders/state';
import { providerFor, type ProviderKind } from './provider.server';

type Tx = Prisma.TransactionClient;

export type Receipt = {
  orderId: number;
  /** ALLOWANCE: an order fully covered by a member's union allowance, paid at placement */
  provider: ProviderKind | 'ALLOWANCE';
  amountFen: number;
  /** bank transfer */
  bankReference?: string;
  receivedOn?: Date;
  recordedById?: number | null;
  /** Stripe */
  providerSessionId?: string;
  providerPaymentId?: string;
  at?: Date;
};

export type FulfilResult =
  | { status: 'paid'; paymentId: number }
  | { status: 'already'; paymentId: number }
  | { status: 'flagged'; paymentId: number; reason: string };

/**
 * Records a receipt and, when it pays the order exactly while the order awaits payment, marks the
 * order paid, opens its parcels and posts one ledger entry per line per pairing level. Anything else
 * (short, excess, late, a second payment) is stored FLAGGED for finance to review. Pass `tx` to run
 * inside a caller's transaction (the webhook stores its event id in the same one).
 */
export async function fulfilOrderPayment(r: Receipt, tx?: Tx): Promise<FulfilResult> {
  if (!tx) return prisma.$transaction((t) => fulfilOrderPayment(r, t), { maxWait: 30_000, timeout: 30_000 });
  if (!Number.isSafeInteger(r.amountFen) || r.amountFen < 0) throw new OrderError('金额无效 / Invalid amount', 'amount');
  const rows = await tx.$queryRaw<Array<{ id: number; state: OrderState; totalFen: number; allowanceFen: number; flow: 'PROCUREMENT' | 'HELPED_SALES'; buyerOrganisationId: number | null; districtCode: string; orgPlace: string | null }>>`
    select o.id, o.state, o.total_fen as "totalFen", o.allowance_fen as "allowanceFen", o.flow::text as flow, o.buyer_organisation_id as "buyerOrganisationId", o.district_code as "districtCode", org.place_code as "orgPlace"
    from "order" o left join organisation org on org.id = o.buyer_organisation_id where o.id = ${r.orderId} for update of o`;
  const order = rows[0];
  if (!order) throw new OrderError('没有这个订单 / No such order', 'orderId', 404);

  if (r.provider === 'STRIPE' && !r.providerPaymentId && !r.providerSessionId) throw new OrderError('Stripe receipt without ids', null, 400);
  // the same receipt again (a redelivered webhook, the success page after the webhook, a double click)
  const same = await tx.payment.findFirst({
    where: r.provider === 'ALLOWANCE' ? { orderId: r.orderId, provider: 'ALLOWANCE', state: 'SUCCEEDED' } : r.provider === 'STRIPE'
      ? { OR: [...(r.providerPaymentId ? [{ providerPaymentId: r.providerPaymentId }] : []), ...(r.providerSessionId ? [{ providerSessionId: r.providerSessionId, state: { in: ['SUCCEEDED' as const, 'FLAGGED' as const] } }] : [])] }
      : { bankReference: r.bankReference ?? '' },
    select: { id: true, orderId: true },
  });
  if (same) {
    if (same.orderId !== r.orderId) throw new OrderError('该银行流水号已登记到另一订单 / This bank reference is already recorded for another order', 'bankReference', 409);
    return { status: 'already', paymentId: same.id };
  }
  if (r.provider === 'BANK_TRANSFER' && !r.bankReference) throw new OrderError('请填写银行流水号 / The bank reference is required', 'bankReference');

  const now = r.at ?? new Date();
  // what this receipt must cover: the order total less what the allowance paid at placement
  const due = r.provider === 'ALLOWANCE' ? order.totalFen : order.totalFen - order.allowanceFen;
  let reason: string | null = null;
  if (order.state !== 'AWAITING_PAYMENT') reason = `订单${order.state === 'EXPIRED' ? '已超时关闭' : order.state === 'CANCELLED' ? '已取消' : '已付款'}，款项待核对 / The order is ${order.state.toLowerCase()}: review this payment`;
  else if (r.amountFen < due) reason = `少付 ${formatFen(due - r.amountFen)}（应付 ${formatFen(due)}） / Short by ${formatFen(due - r.amountFen)}`;
  else if (r.amountFen > due) reason = `多付 ${formatFen(r.amountFen - due)}（应付 ${formatFen(due)}） / Excess of ${formatFen(r.amountFen - due)}`;

  const base = {
    orderId: order.id, provider: r.provider, amountFen: r.amountFen,
    bankReference: r.bankReference ?? null, receivedOn: r.receivedOn ?? null, recordedById: r.recordedById ?? null,
    providerPaymentId: r.providerPaymentId ?? null,
  };
  // a Stripe session's PENDING payment row (made at checkout) becomes this receipt
  const pending = r.providerSessionId ? await tx.payment.findFirst({ where: { providerSessionId: r.providerSessionId, state: 'PENDING' }, select: { id: true } }) : null;
  const save = (state: 'SUCCEEDED' | 'FLAGGED', note: string) =>
    pending
      ? tx.payment.update({ where: { id: pending.id }, data: { ...base, state, reviewNote: note }, select: { id: true } })
      : tx.payment.create({ data: { ...base, providerSessionId: r.providerSessionId ?? null, state, reviewNote: note }, select: { id: true } });

  if (reason) {
    const p = await save('FLAGGED', reason);
    await addEvent(tx, order.id, 'payment-flagged', `收到款项 ${formatFen(r.amountFen)}，待财务核对：${reason.split(' / ')[0]}`, `Received ${formatFen(r.amountFen)}, flagged for review: ${reason.split(' / ')[1] ?? reason}`, r.recordedById ?? null);
    return { status: 'flagged', paymentId: p.id, reason };
  }
  const t = orderTransition(order.state, 'pay');
  if (!t.ok) throw new OrderError(t.message, null, 409);
  const p = await save('SUCCEEDED', '');
  const changed = await tx.$executeRaw`update "order" set state = 'PAID', paid_at = ${now} where id = ${order.id} and state = 'AWAITING_PAYMENT'`;
  if (changed !== 1) throw new OrderError('订单状态已变化 / The order changed meanwhile', null, 409);
  await tx.$executeRaw`update fulfilment set state = 'TO_SHIP' where order_id = ${order.id} and state = 'AWAITING_PAYMENT'`;
  const lines = await tx.orderLine.findMany({ where: { orderId: order.id }, orderBy: { id: 'asc' } });
  // every line in one statement: the rollup rows are locked in one fixed order (see postManyToLedger)
  await postManyToLedger(tx, lines.map((l) => ({
    sourceType: 'ORDER_LINE' as const, sourceId: l.id, amountFen: l.amountFen, quantity: l.quantity, productId: l.productId, sellerId: l.sellerId,
    description: `${l.productNameZh} ${l.variantNameZh}`, statisticsKind: l.statisticsKind, flow: order.flow, originCode: l.originCode,
    buyerOrganisationId: order.buyerOrganisationId, buyerPlaceCode: order.orgPlace ?? order.districtCode, occurredAt: now,
  })));
  await tx.$executeRaw`update product p set sales_count = p.sales_count + x.q from (select product_id, sum(quantity)::int q from order_line where order_id = ${order.id} group by product_id) x where p.id = x.product_id`;
  const via = r.provider === 'STRIPE' ? ['在线支付', 'online'] : r.provider === 'ALLOWANCE' ? ['福利额度', 'allowance'] : ['对公转账', 'bank transfer'];
  await addEvent(tx, order.id, 'paid', `已收到付款 ${formatFen(r.amountFen)}（${via[0]}）`, `Payment of ${formatFen(r.amountFen)} received (${via[1]})`, r.recordedById ?? null);
  if (r.recordedById) await writeAudit(tx, { actorId: r.recordedById, action: 'payment.record', entityType: 'order', entityId: order.id, details: { amountFen: r.amountFen, bankReference: r.bankReference ?? null } });
  return { status: 'paid', paymentId: p.id };
}

/** Finance records a bank receipt for the order with this transfer reference. */
export async function recordBankReceipt(actorId: number, input: { reference: string; amountFen: number; receivedOn: Date; bankReference: string }) {
  const order = await prisma.order.findUnique({ where: { reference: input.reference.trim().toUpperCase() }, select: { id: true, provider: true } });
  if (!order) throw new OrderError('没有该付款参考号的订单 / No order has this reference', 'reference', 404);
  try {
    return await fulfilOrderPayment({ orderId: order.id, provider: 'BANK_TRANSFER', amountFen: input.amountFen, bankReference: input.bankReference.trim(), receivedOn: input.receivedOn, recordedById: actorId });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new OrderError('该银行流水号已登记 / This bank reference is already recorded', 'bankReference', 409);
    throw error;
  }
}

export async function flaggedPayments(take = 100) {
  return prisma.payment.findMany({
    where: { state: 'FLAGGED' },
    orderBy: { id: 'desc' },
    take,
    select: { id: true, amountFen: true, bankReference: true, receivedOn: true, reviewNote: true, provider: true, createdAt: true, order: { select: { id: true, reference: true, totalFen: true, state: true } } },
  });
}

/** Finance has sent a flagged receipt back to the payer (it never paid the order). */
export async function returnFlaggedPayment(actorId: number, paymentId: number, note: string) {
  return prisma.$transaction(async (tx) => {
    const n = await tx.payment.updateMany({ where: { id: paymentId, state: 'FLAGGED' }, data: { state: 'RETURNED', reviewNote: note } });
    if (n.count !== 1) throw new OrderError('该款项不在待核对状态 / This payment is not awaiting review', null, 409);
    const p = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, select: { orderId: true, amountFen: true } });
    await addEvent(tx, p.orderId, 'payment-returned', `款项 ${formatFen(p.amountFen)} 已退回付款人：${note}`, `Payment of ${formatFen(p.amountFen)} returned to the payer: ${note}`, actorId);
    await writeAudit(tx, { actorId, action: 'payment.return', entityType: 'payment', entityId: paymentId, details: { note } });
    return { ok: true as const };
  });
}

export type RefundRequest = { orderId: number; reason: string; lines: 'all' | Array<{ orderLineId: number; quantity: number }> };

/**
 * Finance refunds an order in full or some units of some lines. The refund and its lines are written
 * with the order locked; for a bank transfer the refund is settled at once (money sent back by
 * finance), for Stripe after the provider accepts it (applyRefund is idempotent and also called by
 * the charge.refunded webhook). Settling writes negative ledger entries pointing at the originals.
 */
export async function refundOrder(actorId: number, req: RefundRequest) {
  const reason = req.reason.trim();
  if (reason.length < 2) throw new OrderError('请填写退款原因 / Give a reason', 'reason');
  const prepared = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ state: OrderState }>>`select state from "order" where id = ${req.orderId} for update`;
    if (!rows[0]) throw new OrderError('没有这个订单 / No such order', null, 404);
    const probe = orderTransition(rows[0].state, 'refundPart');
    if (!probe.ok) throw new OrderError(probe.message, null, 409);
    const payment = await tx.payment.findFirst({ where: { orderId: req.orderId, state: 'SUCCEEDED' }, select: { id: true, provider: true, providerPaymentId: true } });
    if (!payment) throw new OrderError('订单没有已确认的付款 / The order has no confirmed payment', null, 409);
    const head = await tx.order.findUniqueOrThrow({ where: { id: req.orderId }, select: { allowanceFen: true, refundedFen: true } });
    if (head.allowanceFen > 0 && (req.lines !== 'all' || head.refundedFen > 0)) {
      throw new OrderError('使用了福利额度的订单只能全额退款 / An order paid partly from an allowance is refunded in full only', 'lines', 409);
    }
    // money already promised back by refunds not yet settled
    const pendingLines = await tx.refundLine.findMany({ where: { refund: { orderId: req.orderId, state: 'PENDING' } }, select: { orderLineId: true, amountFen: true, quantity: true } });
    const lines = await tx.orderLine.findMany({ where: { orderId: req.orderId }, orderBy: { id: 'asc' } });
    const want: Array<{ orderLineId: number; amountFen: number; quantity: number }> = [];
    const pendingOf = (id: number) => pendingLines.filter((p) => p.orderLineId === id).reduce((a, p) => ({ fen: a.fen + p.amountFen, qty: a.qty + p.quantity }), { fen: 0, qty: 0 });
    if (req.lines === 'all') {
      for (const l of lines) {
        const p = pendingOf(l.id);
        const fen = l.amountFen - l.refundedFen - p.fen;
        if (fen > 0) want.push({ orderLineId: l.id, amountFen: fen, quantity: l.quantity - l.refundedQuantity - p.qty });
      }
    } else {
      for (const r of req.lines) {
        const l = lines.find((x) => x.id === r.orderLineId);
        if (!l) throw new OrderError('该商品行不属于此订单 / That line is not part of this order', 'lines', 400);
        const p = pendingOf(l.id);
        const left = l.quantity - l.refundedQuantity - p.qty;
        if (!Number.isSafeInteger(r.quantity) || r.quantity < 1 || r.quantity > left) throw new OrderError(`${l.productNameZh}：最多可退 ${left} 件 / at most ${left} can be refunded`, 'lines', 400);
        const fen = Math.min(l.unitPriceFen * r.quantity, l.amountFen - l.refundedFen - p.fen);
        want.push({ orderLineId: l.id, amountFen: fen, quantity: r.quantity });
      }
    }
    const amountFen = want.reduce((s, w) => s + w.amountFen, 0);
    if (want.length === 0 || amountFen <= 0) throw new OrderError('没有可退的金额 / Nothing left to refund', 'lines', 409);
    const refund = await tx.refund.create({ data: { orderId: req.orderId, paymentId: payment.id, amountFen, reason, createdById: actorId, lines: { create: want } }, select: { id: true } });
    await writeAudit(tx, { actorId, action: 'refund.create', entityType: 'order', entityId: req.orderId, details: { refundId: refund.id, amountFen, lines: want } });
    // the allowance part goes back to the member's grants when the refund settles; the provider returns the rest
    return { refundId: refund.id, amountFen, moneyFen: amountFen - head.allowanceFen, provider: payment.provider, providerPaymentId: payment.providerPaymentId };
  });
  let result: { providerRefundId: string | null; settled: boolean };
  try {
    result = prepared.provider === 'ALLOWANCE' || prepared.moneyFen === 0
      ? { providerRefundId: null, settled: true }
      : await (await providerFor(prepared.provider)).refund({ refundId: prepared.refundId, amountFen: prepared.moneyFen, providerPaymentId: prepared.providerPaymentId });
  } catch (error) {
    await prisma.refund.updateMany({ where: { id: prepared.refundId, state: 'PENDING' }, data: { state: 'FAILED' } });
    throw new OrderError(`退款未成功：${(error as Error).message} / The refund failed`, null, 502);
  }
  if (result.providerRefundId) await prisma.refund.update({ where: { id: prepared.refundId }, data: { providerRefundId: result.providerRefundId } });
  if (result.settled) await applyRefund(prepared.refundId, actorId);
  return { refundId: prepared.refundId, amountFen: prepared.amountFen, settled: result.settled };
}

/** Settles a refund once: lines and order refunded amounts, order state, negative ledger entries. */
export async function applyRefund(refundId: number, actorId: number | null = null, tx?: Tx): Promise<boolean> {
  if (!tx) return prisma.$transaction((t) => applyRefund(refundId, actorId, t));
  const head = await tx.refund.findUnique({ where: { id: refundId }, select: { orderId: true } });
  if (!head) return false;
  // order first, then refund: the same lock order as refundOrder
  const orders = await tx.$queryRaw<Array<{ state: OrderState; totalFen: number; refundedFen: number }>>`
    select state, total_fen as "totalFen", refunded_fen as "refundedFen" from "order" where id = ${head.orderId} for update`;
  const claimed = await tx.$queryRaw<Array<{ id: number; amountFen: number }>>`
    update refund set state = 'SUCCEEDED' where id = ${refundId} and state = 'PENDING' returning id, amount_fen as "amountFen"`;
  if (claimed.length === 0) return false; // settled before (or failed)
  const order = orders[0]!;
  const lines = await tx.refundLine.findMany({ where: { refundId }, orderBy: { id: 'asc' } });
  const now = new Date();
  for (const l of lines) {
    await tx.$executeRaw`update order_line set refunded_fen = refunded_fen + ${l.amountFen}, refunded_quantity = refunded_quantity + ${l.quantity} where id = ${l.orderLineId}`;
  }
  // every line's reversal in one statement: one lock order on the rollups, as checkout's posting
  await reverseManyLedger(tx, lines.map((l) => ({ original: { sourceType: 'ORDER_LINE', sourceId: l.orderLineId }, sourceType: 'REFUND_LINE', sourceId: l.id, amountFen: l.amountFen, quantity: l.quantity, occurredAt: now })));
  const restocked = await restockUnshipped(tx, head.orderId, refundId);
  const refunded = order.refundedFen + claimed[0]!.amountFen;
  const t = orderTransition(order.state, refunded >= order.totalFen ? 'refundAll' : 'refundPart');
  if (!t.ok) throw new OrderError(t.message, null, 409);
  await tx.order.update({ where: { id: head.orderId }, data: { refundedFen: refunded, state: t.to } });
  if (t.to === 'REFUNDED') await tx.fulfilment.updateMany({ where: { orderId: head.orderId, state: 'TO_SHIP' }, data: { state: 'CANCELLED' } });
  await addEvent(tx, head.orderId, 'refunded', `已退款 ${formatFen(claimed[0]!.amountFen)}`, `Refunded ${formatFen(claimed[0]!.amountFen)}`, actorId);
  if (restocked > 0) await addEvent(tx, head.orderId, 'restocked', `未发货的 ${restocked} 件已退回库存`, `${restocked} unshipped item(s) returned to stock`, actorId);
  if (t.to === 'REFUNDED') await giveBackAllowance(tx, head.orderId, actorId);
  return true;
}

/**
 * Goods refunded before they were shipped never left the cooperative: their quantity goes back to stock,
 * and a parcel with nothing left to ship is cancelled. The order's parcels are locked first, so a seller
 * marking one shipped at the same moment either ships before (no restock) or finds it cancelled.
 * Returns the number of items put back.
 */
async function restockUnshipped(tx: Tx, orderId: number, refundId: number): Promise<number> {
  await tx.$queryRaw`select id from fulfilment where order_id = ${orderId} order by id for update`;
  const back = await tx.$queryRaw<Array<{ q: number }>>`
    update variant v set stock = v.stock + x.q
    from (select ol.variant_id, sum(rl.quantity)::int as q
            from refund_line rl join order_line ol on ol.id = rl.order_line_id join fulfilment f on f.id = ol.fulfilment_id
           where rl.refund_id = ${refundId} and rl.quantity > 0 and f.state = 'TO_SHIP'
           group by ol.variant_id order by ol.variant_id) x
    where v.id = x.variant_id
    returning x.q`;
  await tx.$executeRaw`
    update fulfilment f set state = 'CANCELLED'
    where f.order_id = ${orderId} and f.state = 'TO_SHIP'
      and not exists (select 1 from order_line ol where ol.fulfilment_id = f.id and ol.quantity > ol.refunded_quantity)`;
  return back.reduce((n, r) => n + r.q, 0);
}
