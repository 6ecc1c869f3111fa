// Stripe wired into orders: webhooks delivered five times and out of order fulfil once; a bad
// signature changes nothing; the success page and the webhook meet in one idempotent fulfilment;
// refunds go through Stripe and take the ledger back at both pairing levels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLedgerCheck } from '~/modules/attribution/check.server';
import { totals } from '~/modules/attribution/ledger.server';
import { prisma } from '~/modules/db/db.server';
import { placeOrder } from '~/modules/orders/orders.server';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { signEvent, startFakeStripe, type FakeStripe } from '../../../tests/support/fake-stripe';
import { refundOrder } from './payments.server';
import { registerProvider } from './provider.server';
import { startPayment } from './start.server';
import { applyPaymentEvent, confirmStripeSession, stripeProvider } from './stripe-provider.server';
import { stripeAdapter, type StripeAdapter } from './stripe.server';
import { handleStripeWebhook } from './webhook.server';

let fake: FakeStripe;
let adapter: StripeAdapter;

beforeAll(async () => {
  fake = await startFakeStripe();
  adapter = stripeAdapter(fake.settings());
  registerProvider(stripeProvider(adapter));
});
afterAll(async () => {
  await fake?.close();
});

const deliver = (event: unknown, secret = fake.webhookSecret) => {
  const { body, signature } = signEvent(event as never, secret);
  return handleStripeWebhook(new Request('http://x/webhooks/stripe', { method: 'POST', body, headers: { 'stripe-signature': signature } }), applyPaymentEvent, adapter);
};

async function stripeOrder(priceFen = 6800, quantity = 3) {
  const p = await listedProduct({ priceFen });
  const buyer = await userByEmail('consumer@demo.shanhai.cn');
  const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity }], provider: 'STRIPE' });
  const start = await startPayment(stripeProvider(adapter), o.id, 'http://shanhai.test');
  if (start.kind !== 'redirect') throw new Error('expected a redirect');
  return { ...o, sessionId: start.sessionId, url: start.url };
}

const ledgerCount = async (orderId: number) => {
  const lines = await prisma.orderLine.findMany({ where: { orderId }, select: { id: true } });
  return prisma.ledgerEntry.count({ where: { sourceType: 'ORDER_LINE', sourceId: { in: lines.map((l) => String(l.id)) } } });
};

describe('Stripe payments for orders', () => {
  it('each event delivered five times, out of order, gives one payment and one posting per level', async () => {
    const o = await stripeOrder();
    const completed = fake.completeSession(o.sessionId, { method: 'wechat_pay', delayed: true });
    const succeeded = fake.asyncPaymentSucceeded(o.sessionId);
    const sequence = [succeeded, completed, succeeded, completed, completed, succeeded, succeeded, completed, succeeded, completed];
    const responses = await Promise.all(sequence.map((e) => deliver(e)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.id }, include: { payments: true } });
    expect(order.state).toBe('PAID');
    expect(order.payments.filter((p) => p.state === 'SUCCEEDED')).toHaveLength(1);
    expect(order.payments[0]!.providerPaymentId).toMatch(/^pi_/);
    expect(await ledgerCount(o.id)).toBe(2); // 小榄镇→盘州市 and 中山市→六盘水市
    expect(await prisma.orderEvent.count({ where: { orderId: o.id, kind: 'paid' } })).toBe(1);
    // the success page afterwards finds it done
    expect((await confirmStripeSession(o.id, o.sessionId, adapter)).status).toBe('already');
    expect(await ledgerCount(o.id)).toBe(2);
    expect((await runLedgerCheck()).problems).toEqual([]);
  });

  it('the success page first, then the webhook: still one fulfilment', async () => {
    const o = await stripeOrder(1990, 1);
    const completed = fake.completeSession(o.sessionId);
    expect((await confirmStripeSession(o.id, o.sessionId, adapter)).status).toBe('paid');
    const r = await Promise.all([deliver(completed), deliver(completed)]);
    expect(r.map((x) => x.status)).toEqual([200, 200]);
    expect(await prisma.payment.count({ where: { orderId: o.id, state: 'SUCCEEDED' } })).toBe(1);
    expect(await ledgerCount(o.id)).toBe(2);
    expect((await runLedgerCheck()).problems).toEqual([]);
  });

  it('a bad signature answers 400 and changes nothing', async () => {
    const o = await stripeOrder();
    const completed = fake.completeSession(o.sessionId);
    const forged = await deliver(completed, 'whsec_not_ours');
    expect(forged.status).toBe(400);
    const { body } = signEvent(completed as never, fake.webhookSecret);
    const unsigned = await handleStripeWebhook(new Request('http://x/webhooks/stripe', { method: 'POST', body }), applyPaymentEvent, adapter);
    expect(unsigned.status).toBe(400);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.id } });
    expect(order.state).toBe('AWAITING_PAYMENT');
    expect(await prisma.payment.count({ where: { orderId: o.id, state: 'SUCCEEDED' } })).toBe(0);
    expect(await prisma.paymentEvent.count({ where: { eventId: completed.id } })).toBe(0);
    expect(await ledgerCount(o.id)).toBe(0);
  });

  it('refunds through Stripe (per line, then the rest) take the totals back at both levels', async () => {
    const city = await prisma.pairing.findUniqueOrThrow({ where: { slug: 'zhongshan-liupanshui' } });
    const group = await prisma.pairing.findUniqueOrThrow({ where: { slug: 'zhongshan-xiaolan-panzhou' } });
    const before = [(await totals({ pairingId: city.id })).totalFen, (await totals({ pairingId: group.id })).totalFen];
    const o = await stripeOrder(5000, 2);
    await deliver(fake.completeSession(o.sessionId));
    expect((await totals({ pairingId: city.id })).totalFen - before[0]!).toBe(10000);
    const line = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o.id } });
    const r1 = await refundOrder(1, { orderId: o.id, reason: '破损一箱', lines: [{ orderLineId: line.id, quantity: 1 }] });
    expect(r1.settled).toBe(true);
    const refundRequests = fake.requests.filter((x) => x.path === '/v1/refunds');
    expect(refundRequests.at(-1)!.idempotencyKey).toBe(`shanhai-refund-${r1.refundId}`);
    // the charge.refunded webhook for it (and a redelivery) changes nothing more
    const refundedEvent = fake.events.filter((e) => e.type === 'charge.refunded').at(-1)!;
    await Promise.all([deliver(refundedEvent), deliver(refundedEvent)]);
    expect((await totals({ pairingId: city.id })).totalFen - before[0]!).toBe(5000);
    expect((await totals({ pairingId: group.id })).totalFen - before[1]!).toBe(5000);
    await refundOrder(1, { orderId: o.id, reason: '整单退款', lines: 'all' });
    expect((await totals({ pairingId: city.id })).totalFen).toBe(before[0]);
    expect((await totals({ pairingId: group.id })).totalFen).toBe(before[1]);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.id } });
    expect(order.state).toBe('REFUNDED');
    expect((await runLedgerCheck()).problems).toEqual([]);
  });
});
