// Wires the Stripe adapter (stripe.server.ts) into the order flow: the PaymentProvider for checkout and
// refunds, the webhook's effects (applyPaymentEvent) and the success page's check. Every path that
// can pay an order ends in fulfilOrderPayment, which is idempotent, so the webhook and the success page
// may run in either order, any number of times.
import type Stripe from 'stripe';
import type { Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import { addEvent } from '~/modules/orders/orders.server';
import { applyRefund, fulfilOrderPayment, type FulfilResult } from './payments.server';
import type { PaymentProvider } from './provider.server';
import { defaultStripe, type PaymentEvent, type StripeAdapter } from './stripe.server';

type Tx = Prisma.TransactionClient;

export function stripeProvider(adapter: StripeAdapter = defaultStripe()): PaymentProvider {
  return {
    kind: 'STRIPE',
    async start(order, urls) {
      const s = await adapter.createCheckoutSession({
        orderId: order.id,
        reference: order.reference,
        lines: order.lines.map((l) => ({ name: `${l.productNameZh} ${l.variantNameZh}`.slice(0, 200), unitAmountFen: l.unitPriceFen, quantity: l.quantity })),
        successUrl: urls.success,
        cancelUrl: urls.cancel,
        expiresAt: order.expiresAt,
      });
      return { kind: 'redirect', url: s.url, sessionId: s.sessionId };
    },
    async refund({ refundId, amountFen, providerPaymentId }) {
      if (!providerPaymentId) throw new Error('the payment has no Stripe PaymentIntent');
      const r = await adapter.refund({ paymentIntentId: providerPaymentId, amountFen, idempotencyKey: `shanhai-refund-${refundId}`, reason: 'requested_by_customer', metadata: { refund_id: String(refundId) } });
      if (r.status === 'failed' || r.status === 'canceled') throw new Error(`Stripe refund ${r.status}`);
      return { providerRefundId: r.refundId, settled: r.status === 'succeeded' };
    },
  };
}

/** The webhook's effects for one new (never seen) event, inside the transaction that stores its id. */
export async function applyPaymentEvent(tx: Tx, e: PaymentEvent, _raw?: Stripe.Event): Promise<void> {
  if (e.kind === 'paid') {
    await fulfilOrderPayment({ orderId: e.orderId, provider: 'STRIPE', amountFen: e.amountFen, providerSessionId: e.sessionId, providerPaymentId: e.paymentIntentId ?? undefined, at: e.created }, tx);
    return;
  }
  if (e.kind === 'pending') {
    if (await tx.order.findUnique({ where: { id: e.orderId }, select: { id: true } })) {
      await addEvent(tx, e.orderId, 'payment-processing', '支付处理中（支付宝/微信支付）', 'Payment is processing (Alipay / WeChat Pay)');
    }
    return;
  }
  if (e.kind === 'failed' || e.kind === 'expired') {
    const n = await tx.payment.updateMany({ where: { providerSessionId: e.sessionId, state: 'PENDING' }, data: { state: 'FAILED', reviewNote: e.kind } });
    if (n.count) await addEvent(tx, e.orderId, `payment-${e.kind}`, e.kind === 'failed' ? '在线支付失败，可重新下单或改用对公转账' : '支付页面已过期', e.kind === 'failed' ? 'The online payment failed' : 'The payment page expired');
    return;
  }
  if (e.kind !== 'refunded') return;
  // charge.refunded: settle the refunds we asked for (idempotent); money refunded elsewhere is noted
  const payment = await tx.payment.findFirst({ where: { providerPaymentId: e.paymentIntentId, state: 'SUCCEEDED' }, select: { id: true, orderId: true } });
  if (!payment) return;
  const pending = await tx.refund.findMany({ where: { paymentId: payment.id, state: 'PENDING', providerRefundId: { not: null } }, select: { id: true }, orderBy: { id: 'asc' } });
  for (const r of pending) await applyRefund(r.id, null, tx);
  const settled = await tx.refund.aggregate({ where: { paymentId: payment.id, state: 'SUCCEEDED' }, _sum: { amountFen: true } });
  if (e.refundedFen > (settled._sum.amountFen ?? 0)) {
    await addEvent(tx, payment.orderId, 'refund-outside', `Stripe 显示已退款 ${e.refundedFen / 100} 元，多于平台登记的退款，请财务核对`, `Stripe reports ${e.refundedFen} 分 refunded, more than recorded here: finance to review`);
  }
}

/** The success page: asks Stripe (never trusting the query string) and fulfils when paid. */
export async function confirmStripeSession(orderId: number, sessionId: string, adapter: StripeAdapter = defaultStripe()): Promise<FulfilResult | { status: 'unpaid' }> {
  const s = await adapter.retrieveCheckoutSession(sessionId);
  if (s.orderId !== orderId) return { status: 'unpaid' };
  if (s.paymentStatus !== 'paid') return { status: 'unpaid' };
  return prisma.$transaction((tx) => fulfilOrderPayment({ orderId, provider: 'STRIPE', amountFen: s.amountFen, providerSessionId: s.sessionId, providerPaymentId: s.paymentIntentId ?? undefined }, tx));
}
