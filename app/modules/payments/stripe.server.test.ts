// The Stripe adapter against a local fake of Stripe's API, through the real `stripe` library (its form
// encoding, retries, idempotency keys and webhook signing). See tests/support/fake-stripe.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { writeAudit } from '~/modules/audit/audit.server';
import { parseEnv } from '~/modules/env/env.server';
import { deliverEvent, signEvent, startFakeStripe, type FakeStripe } from '../../../tests/support/fake-stripe';
import { listPaymentEvents, recordPaymentEvent } from './events.server';
import {
  PaymentInputError,
  PaymentProviderError,
  WebhookVerificationError,
  readStripeWebhook,
  sessionExpiry,
  stripeAdapter,
  stripeSettings,
  toPaymentEvent,
  type StripeAdapter,
} from './stripe.server';

let fake: FakeStripe;
let stripe: StripeAdapter;
let nextOrder = 700_000 + Math.floor(Math.random() * 100_000);
const orderId = () => ++nextOrder;

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = stripeAdapter(fake.settings());
});
afterAll(async () => {
  await fake?.close();
});

const inHours = (h: number) => new Date(Date.now() + h * 3600_000);
const order = (id: number, extra: Partial<Parameters<StripeAdapter['createCheckoutSession']>[0]> = {}) => ({
  orderId: id,
  reference: `SH-2026-${id}`,
  lines: [
    { name: '盘州刺梨原汁 500ml', unitAmountFen: 1280, quantity: 2 },
    { name: '独山百顺鸡蛋 30枚', unitAmountFen: 4590, quantity: 1 },
  ],
  customerEmail: 'buyer@example.cn',
  successUrl: 'https://shanhai.example/orders/1/paid?session_id={CHECKOUT_SESSION_ID}',
  cancelUrl: 'https://shanhai.example/orders/1',
  expiresAt: inHours(2),
  ...extra,
});

describe('checkout sessions', () => {
  it('creates a CNY session with card, Alipay and WeChat Pay, amounts in 分 and the order id', async () => {
    const id = orderId();
    const input = order(id);
    const before = fake.requests.length;
    const s = await stripe.createCheckoutSession(input);
    const sent = fake.requests.slice(before);
    expect(sent).toHaveLength(1);
    const req = sent[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/checkout/sessions');
    expect(req.headers['stripe-version']).toBe(Stripe.API_VERSION);
    expect(req.idempotencyKey).toBe(`shanhai-order-${id}-checkout-${Math.floor(input.expiresAt.getTime() / 1000)}`);
    const p = req.params as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(p.mode).toBe('payment');
    expect(p.allowed_payment_method_types).toEqual(['card', 'alipay', 'wechat_pay']);
    expect(p.payment_method_types).toBeUndefined();
    expect(p.payment_method_options).toEqual({ wechat_pay: { client: 'web' } });
    expect(p.line_items).toEqual([
      { quantity: '2', price_data: { currency: 'cny', unit_amount: '1280', product_data: { name: '盘州刺梨原汁 500ml' } } },
      { quantity: '1', price_data: { currency: 'cny', unit_amount: '4590', product_data: { name: '独山百顺鸡蛋 30枚' } } },
    ]);
    expect(p.client_reference_id).toBe(String(id));
    expect(p.metadata).toEqual({ order_id: String(id), order_reference: `SH-2026-${id}` });
    expect(p.payment_intent_data.metadata).toEqual({ order_id: String(id), order_reference: `SH-2026-${id}` });
    expect(p.expires_at).toBe(String(Math.floor(input.expiresAt.getTime() / 1000)));
    expect(p.customer_email).toBe('buyer@example.cn');
    expect(p.success_url).toBe(input.successUrl);

    expect(s.amountFen).toBe(1280 * 2 + 4590);
    expect(s.expiresAt.getTime()).toBe(Math.floor(input.expiresAt.getTime() / 1000) * 1000);
    expect(s.url).toBe(`${fake.url}/c/pay/${s.sessionId}`);
    const stored = fake.sessions.get(s.sessionId)!;
    expect(stored.amount_total).toBe(7150);
    expect(stored.currency).toBe('cny');
    expect(stored.payment_method_types).toEqual(['card', 'alipay', 'wechat_pay']);

    const state = await stripe.retrieveCheckoutSession(s.sessionId);
    expect(state).toMatchObject({ sessionId: s.sessionId, orderId: id, status: 'open', paymentStatus: 'unpaid', paymentIntentId: null, amountFen: 7150 });
  });

  it('gives the same session back when the same order is retried, and after a lost response', async () => {
    const input = order(orderId());
    const a = await stripe.createCheckoutSession(input);
    const b = await stripe.createCheckoutSession(input);
    expect(b.sessionId).toBe(a.sessionId);
    const forOrder = [...fake.sessions.values()].filter((s) => s.client_reference_id === String(input.orderId));
    expect(forOrder).toHaveLength(1);
    expect(fake.requests.at(-1)!.replayed).toBe(true);

    // Stripe creates the session but the reply never arrives: the library retries with the same key.
    const lost = order(orderId());
    fake.dropNextResponse();
    const before = fake.requests.length;
    const c = await stripe.createCheckoutSession(lost);
    const attempts = fake.requests.slice(before);
    expect(attempts.length).toBe(2);
    expect(attempts[0]!.status).toBe(-1);
    expect(attempts[1]!.replayed).toBe(true);
    expect(new Set(attempts.map((r) => r.idempotencyKey)).size).toBe(1);
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === String(lost.orderId)).map((s) => s.id)).toEqual([c.sessionId]);

    // A 500 from Stripe is retried too, and creates exactly one session.
    const flaky = order(orderId());
    fake.failNext(500);
    const d = await stripe.createCheckoutSession(flaky);
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === String(flaky.orderId)).map((s) => s.id)).toEqual([d.sessionId]);
  }, 20_000);

  it('refuses to reuse an order key with different lines (Stripe idempotency error), not retryable', async () => {
    const input = order(orderId());
    await stripe.createCheckoutSession(input);
    const changed = { ...input, lines: [{ name: '猕猴桃', unitAmountFen: 999, quantity: 1 }] };
    const error = await stripe.createCheckoutSession(changed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect((error as PaymentProviderError).retryable).toBe(false);
    expect((error as PaymentProviderError).message).toMatch(/same parameters/);
  });

  it('rejects bad input before calling Stripe', async () => {
    const before = fake.requests.length;
    const bad: Array<[string, Parameters<StripeAdapter['createCheckoutSession']>[0]]> = [
      ['fractional 分', order(orderId(), { lines: [{ name: 'x', unitAmountFen: 12.5, quantity: 1 }] })],
      ['zero amount', order(orderId(), { lines: [{ name: 'x', unitAmountFen: 0, quantity: 1 }] })],
      ['negative quantity', order(orderId(), { lines: [{ name: 'x', unitAmountFen: 100, quantity: -1 }] })],
      ['no lines', order(orderId(), { lines: [] })],
      ['blank name', order(orderId(), { lines: [{ name: '  ', unitAmountFen: 100, quantity: 1 }] })],
      ['too large', order(orderId(), { lines: [{ name: 'x', unitAmountFen: 99_999_999, quantity: 2 }] })],
      ['bad order id', order(0)],
      ['relative URL', order(orderId(), { successUrl: '/orders/1' })],
      ['javascript URL', order(orderId(), { cancelUrl: 'javascript:alert(1)' })],
      ['bad email', order(orderId(), { customerEmail: 'not-an-email' })],
      ['closed window', order(orderId(), { expiresAt: new Date(Date.now() - 1000) })],
      ['invalid date', order(orderId(), { expiresAt: new Date('nope') })],
    ];
    for (const [what, input] of bad) {
      await expect(stripe.createCheckoutSession(input), what).rejects.toBeInstanceOf(PaymentInputError);
    }
    expect(fake.requests.length).toBe(before);
  });

  it('keeps the session inside Stripe’s 30 minutes – 24 hours', () => {
    const now = Date.UTC(2026, 10, 23, 12, 0, 0);
    expect(sessionExpiry(new Date(now + 2 * 3600_000), now)).toBe((now + 2 * 3600_000) / 1000);
    expect(sessionExpiry(new Date(now + 5 * 60_000), now)).toBe((now + 31 * 60_000) / 1000);
    expect(sessionExpiry(new Date(now + 72 * 3600_000), now)).toBe((now + 24 * 3600_000 - 60_000) / 1000);
    expect(sessionExpiry(undefined, now)).toBe((now + 24 * 3600_000 - 60_000) / 1000);
  });

  it('expires an open session so it cannot be paid after the order expires', async () => {
    const s = await stripe.createCheckoutSession(order(orderId()));
    const expired = await stripe.expireCheckoutSession(s.sessionId);
    expect(expired.status).toBe('expired');
    expect(fake.sessions.get(s.sessionId)!.status).toBe('expired');
    expect(fake.events.at(-1)!.type).toBe('checkout.session.expired');
    // Again (the worker retried): no error, same state.
    expect((await stripe.expireCheckoutSession(s.sessionId)).status).toBe('expired');
    // A completed session stays completed.
    const paid = await stripe.createCheckoutSession(order(orderId()));
    fake.completeSession(paid.sessionId);
    expect((await stripe.expireCheckoutSession(paid.sessionId)).status).toBe('complete');
  });

  it('the fake validates parameters like Stripe (so the adapter cannot pass by accident)', async () => {
    const raw = stripe.client();
    const base = {
      mode: 'payment' as const,
      success_url: 'https://shanhai.example/ok',
      line_items: [{ quantity: 1, price_data: { currency: 'cny', unit_amount: 100, product_data: { name: 'x' } } }],
    };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['unit_amount 12.5', { line_items: [{ quantity: 1, price_data: { currency: 'cny', unit_amount: 12.5, product_data: { name: 'x' } } }] }, 'line_items[0][price_data][unit_amount]'],
      ['unit_amount 0', { line_items: [{ quantity: 1, price_data: { currency: 'cny', unit_amount: 0, product_data: { name: 'x' } } }] }, 'line_items[0][price_data][unit_amount]'],
      ['currency CNYX', { line_items: [{ quantity: 1, price_data: { currency: 'cnyx', unit_amount: 100, product_data: { name: 'x' } } }] }, 'line_items[0][price_data][currency]'],
      ['payment_method_types on endive', { payment_method_types: ['card'] }, 'payment_method_types'],
      ['wechat_pay without client', { allowed_payment_method_types: ['wechat_pay'] }, 'payment_method_options[wechat_pay][client]'],
      ['unknown parameter', { colour: 'red' }, 'colour'],
      ['expires too soon', { expires_at: Math.floor(Date.now() / 1000) + 600 }, 'expires_at'],
      ['relative success_url', { success_url: '/ok' }, 'success_url'],
    ];
    for (const [what, override, param] of cases) {
      const error = await raw.checkout.sessions.create({ ...base, ...override } as Stripe.Checkout.SessionCreateParams).catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect((error as Stripe.errors.StripeInvalidRequestError).statusCode, what).toBe(400);
      expect((error as Stripe.errors.StripeInvalidRequestError).param, what).toBe(param);
    }
    const wrongKey = new Stripe('sk_test_wrong', { host: '127.0.0.1', port: new URL(fake.url).port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(wrongKey.checkout.sessions.create(base)).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });
});

describe('refunds', () => {
  it('refunds part of a payment once per idempotency key, and refuses more than was paid', async () => {
    const s = await stripe.createCheckoutSession(order(orderId()));
    fake.completeSession(s.sessionId);
    const pi = fake.sessions.get(s.sessionId)!.payment_intent as string;

    const r = await stripe.refund({ paymentIntentId: pi, amountFen: 1280, idempotencyKey: `refund-${s.sessionId}-1` });
    expect(r).toMatchObject({ status: 'succeeded', amountFen: 1280 });
    const again = await stripe.refund({ paymentIntentId: pi, amountFen: 1280, idempotencyKey: `refund-${s.sessionId}-1` });
    expect(again.refundId).toBe(r.refundId);
    const charge = [...fake.charges.values()].find((c) => c.payment_intent === pi)!;
    expect(charge.amount_refunded).toBe(1280);
    expect([...fake.refunds.values()].filter((x) => x.payment_intent === pi)).toHaveLength(1);
    const req = fake.requestsTo('POST', '/v1/refunds').at(-1)!;
    expect(req.params).toMatchObject({ payment_intent: pi, amount: '1280' });

    const tooMuch = await stripe.refund({ paymentIntentId: pi, amountFen: 7150, idempotencyKey: `refund-${s.sessionId}-2` }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(PaymentProviderError);
    expect((tooMuch as PaymentProviderError).code).toBe('amount_too_large');
    expect(charge.amount_refunded).toBe(1280);

    const rest = await stripe.refund({ paymentIntentId: pi, amountFen: 7150 - 1280, idempotencyKey: `refund-${s.sessionId}-3` });
    expect(rest.amountFen).toBe(5870);
    expect(charge.refunded).toBe(true);

    await expect(stripe.refund({ paymentIntentId: pi, amountFen: 0, idempotencyKey: 'k' })).rejects.toBeInstanceOf(PaymentInputError);
    await expect(stripe.refund({ paymentIntentId: 'ch_123', amountFen: 10, idempotencyKey: 'k' })).rejects.toBeInstanceOf(PaymentInputError);
    await expect(stripe.refund({ paymentIntentId: pi, amountFen: 10, idempotencyKey: '' })).rejects.toBeInstanceOf(PaymentInputError);
  });

  it('works through the PaymentProvider port', async () => {
    const id = orderId();
    const started = await stripe.provider.startPayment(order(id));
    expect(started.kind).toBe('redirect');
    if (started.kind !== 'redirect') return;
    fake.completeSession(started.providerRef);
    const pi = fake.sessions.get(started.providerRef)!.payment_intent as string;
    const r = await stripe.provider.refund({ orderId: id, amountFen: 4590, idempotencyKey: `refund-order-${id}-line-2`, paymentRef: pi });
    expect(r).toMatchObject({ kind: 'refunded', amountFen: 4590, status: 'succeeded' });
    expect(fake.refunds.get((r as { providerRef: string }).providerRef)!.metadata).toEqual({ order_id: String(id) });
    await expect(stripe.provider.refund({ orderId: id, amountFen: 1, idempotencyKey: 'x', paymentRef: null })).rejects.toBeInstanceOf(PaymentInputError);
  });
});

describe('webhooks', () => {
  const event = () => fake.emit('checkout.session.completed', { id: 'cs_test_x', object: 'checkout.session', client_reference_id: '1', metadata: {}, payment_status: 'paid', amount_total: 100, currency: 'cny', payment_intent: 'pi_test_x' });

  it('accepts a good signature and returns the event', () => {
    const e = event();
    const { body, signature } = signEvent(e, fake.webhookSecret);
    expect(stripe.verifyWebhook(body, signature).id).toBe(e.id);
    expect(stripe.verifyWebhook(Buffer.from(body), signature).id).toBe(e.id);
  });

  it('rejects a signature made with another secret, a tampered body, an old timestamp and no header', () => {
    const e = event();
    const other = signEvent(e, 'whsec_someone_else');
    const fail = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(WebhookVerificationError);
        return (error as WebhookVerificationError).reason;
      }
      throw new Error('verification passed');
    };
    expect(fail(() => stripe.verifyWebhook(other.body, other.signature))).toBe('bad_signature');
    const good = signEvent(e, fake.webhookSecret);
    expect(fail(() => stripe.verifyWebhook(good.body.replace('"amount_total": 100', '"amount_total": 1'), good.signature))).toBe('bad_signature');
    expect(fail(() => stripe.verifyWebhook(JSON.stringify(JSON.parse(good.body)), good.signature))).toBe('bad_signature');
    const old = signEvent(e, fake.webhookSecret, Math.floor(Date.now() / 1000) - 600);
    expect(fail(() => stripe.verifyWebhook(old.body, old.signature))).toBe('bad_signature');
    expect(fail(() => stripe.verifyWebhook(good.body, ''))).toBe('missing_signature');
    expect(fail(() => stripe.verifyWebhook(good.body, null))).toBe('missing_signature');
    expect(fail(() => stripe.verifyWebhook(good.body, 'garbage'))).toBe('bad_signature');
    expect(fail(() => stripe.verifyWebhook('x'.repeat(1024 * 1024 + 1), good.signature))).toBe('too_large');
  });

  it('reads the raw body of a Request', async () => {
    const e = event();
    const { body, signature } = signEvent(e, fake.webhookSecret);
    const ok = await readStripeWebhook(new Request('http://x/webhooks/stripe', { method: 'POST', body, headers: { 'stripe-signature': signature } }), stripe);
    expect(ok.id).toBe(e.id);
    await expect(
      readStripeWebhook(new Request('http://x/webhooks/stripe', { method: 'POST', body: body + ' ', headers: { 'stripe-signature': signature } }), stripe),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
  });
});

describe('event mapping', () => {
  it('maps each handled event type from a real flow', async () => {
    const id = orderId();
    // card: completed and paid at once
    const card = await stripe.createCheckoutSession(order(id));
    const paid = toPaymentEvent(fake.completeSession(card.sessionId, { method: 'card' }));
    const pi = fake.sessions.get(card.sessionId)!.payment_intent as string;
    expect(paid).toEqual({
      kind: 'paid', orderId: id, sessionId: card.sessionId, paymentIntentId: pi, amountFen: 7150,
      eventId: fake.events.at(-1)!.id, created: new Date(fake.events.at(-1)!.created * 1000),
    });

    // Alipay, still processing at completion → pending, then async succeeded → paid
    const id2 = orderId();
    const ali = await stripe.createCheckoutSession(order(id2));
    expect(toPaymentEvent(fake.completeSession(ali.sessionId, { method: 'alipay', delayed: true }))).toMatchObject({ kind: 'pending', orderId: id2, amountFen: 7150 });
    expect(toPaymentEvent(fake.asyncPaymentSucceeded(ali.sessionId))).toMatchObject({ kind: 'paid', orderId: id2, sessionId: ali.sessionId });

    // WeChat Pay processing, then failed
    const id3 = orderId();
    const wx = await stripe.createCheckoutSession(order(id3));
    fake.completeSession(wx.sessionId, { method: 'wechat_pay', delayed: true });
    expect(toPaymentEvent(fake.asyncPaymentFailed(wx.sessionId))).toMatchObject({ kind: 'failed', orderId: id3, sessionId: wx.sessionId });

    // expired
    const id4 = orderId();
    const ex = await stripe.createCheckoutSession(order(id4));
    expect(toPaymentEvent(fake.expireSession(ex.sessionId))).toMatchObject({ kind: 'expired', orderId: id4, sessionId: ex.sessionId, paymentIntentId: null });

    // refunds: cumulative amount refunded on the charge, order id from the charge's metadata
    await stripe.refund({ paymentIntentId: pi, amountFen: 1000, idempotencyKey: `r-${id}-1` });
    const first = fake.events.filter((e) => e.type === 'charge.refunded').at(-1)!;
    expect(toPaymentEvent(first)).toMatchObject({ kind: 'refunded', orderId: id, sessionId: null, paymentIntentId: pi, amountFen: 7150, refundedFen: 1000 });
    expect(toPaymentEvent(fake.refundInDashboard(pi))).toMatchObject({ kind: 'refunded', orderId: id, refundedFen: 7150 });
  });

  it('ignores other event types and sessions that are not ours', () => {
    expect(toPaymentEvent(fake.emit('payment_intent.succeeded', { id: 'pi_test_1', object: 'payment_intent', metadata: { order_id: '5' } }))).toBeNull();
    expect(toPaymentEvent(fake.emit('refund.created', { id: 're_test_1', object: 'refund' }))).toBeNull();
    expect(toPaymentEvent(fake.emit('checkout.session.completed', { id: 'cs_test_1', object: 'checkout.session', client_reference_id: null, metadata: {}, payment_status: 'paid', amount_total: 100, currency: 'cny', payment_intent: 'pi_1' }))).toBeNull();
    expect(toPaymentEvent(fake.emit('checkout.session.completed', { id: 'cs_test_2', object: 'checkout.session', client_reference_id: '12abc', metadata: {}, payment_status: 'paid', amount_total: 100, currency: 'cny', payment_intent: 'pi_1' }))).toBeNull();
    expect(toPaymentEvent(fake.emit('checkout.session.completed', { id: 'cs_test_3', object: 'checkout.session', client_reference_id: '12', metadata: {}, payment_status: 'paid', amount_total: 100, currency: 'usd', payment_intent: 'pi_1' }))).toBeNull();
    // a refund whose charge has no order id still maps, for lookup by PaymentIntent
    expect(toPaymentEvent(fake.emit('charge.refunded', { id: 'ch_test_1', object: 'charge', metadata: {}, amount: 500, amount_refunded: 200, currency: 'cny', payment_intent: 'pi_test_9' }))).toMatchObject({ kind: 'refunded', orderId: null, paymentIntentId: 'pi_test_9', refundedFen: 200 });
  });
});

describe('payment event store', () => {
  it('stores each event once under 5 concurrent duplicate deliveries, and only its first delivery has effects', async () => {
    const id = orderId();
    const s = await stripe.createCheckoutSession(order(id));
    const event = fake.completeSession(s.sessionId);
    const { body, signature } = signEvent(event, fake.webhookSecret);

    const deliver = () =>
      prisma.$transaction(async (tx) => {
        const verified = stripe.verifyWebhook(body, signature);
        const mapped = toPaymentEvent(verified)!;
        const isNew = await recordPaymentEvent(tx, { provider: 'stripe', eventId: verified.id, type: verified.type, orderId: mapped.orderId, payload: verified });
        await tx.$executeRaw`select pg_sleep(0.05)`; // keep the transactions overlapping
        if (isNew) await writeAudit(tx, { actorId: null, action: 'payment.stripe.paid', entityType: 'order', entityId: id, details: { amountFen: mapped.amountFen } });
        return isNew;
      });
    const results = await Promise.all(Array.from({ length: 5 }, deliver));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await prisma.paymentEvent.count({ where: { provider: 'stripe', eventId: event.id } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { entityType: 'order', entityId: String(id), action: 'payment.stripe.paid' } })).toBe(1);
    const [row] = await prisma.$transaction((tx) => listPaymentEvents(tx, id));
    expect(row).toMatchObject({ provider: 'stripe', type: 'checkout.session.completed', orderId: id });
    expect((row!.payload as { id: string }).id).toBe(event.id);

    // A sixth, late delivery changes nothing either.
    expect(await prisma.$transaction((tx) => recordPaymentEvent(tx, { provider: 'stripe', eventId: event.id, type: event.type, orderId: id, payload: {} }))).toBe(false);
    // The same id from another provider is another event.
    expect(await prisma.$transaction((tx) => recordPaymentEvent(tx, { provider: 'bank_transfer', eventId: event.id, type: 'bank_transfer.receipt', orderId: id, payload: {} }))).toBe(true);
  });

  it('forgets an event whose effects rolled back, so the redelivery is processed', async () => {
    const eventId = `evt_test_rollback_${orderId()}`;
    await expect(
      prisma.$transaction(async (tx) => {
        expect(await recordPaymentEvent(tx, { provider: 'stripe', eventId, type: 'checkout.session.completed', orderId: null, payload: { id: eventId } })).toBe(true);
        throw new Error('effects failed');
      }),
    ).rejects.toThrow('effects failed');
    expect(await prisma.$transaction((tx) => recordPaymentEvent(tx, { provider: 'stripe', eventId, type: 'checkout.session.completed', orderId: null, payload: { id: eventId } }))).toBe(true);
  });

  it('refuses bad records', async () => {
    await expect(prisma.$transaction((tx) => recordPaymentEvent(tx, { provider: 'paypal' as 'stripe', eventId: 'e', type: 't', orderId: null, payload: {} }))).rejects.toThrow(/provider/);
    await expect(prisma.$transaction((tx) => recordPaymentEvent(tx, { provider: 'stripe', eventId: '', type: 't', orderId: null, payload: {} }))).rejects.toThrow(/eventId/);
    await expect(prisma.$transaction((tx) => recordPaymentEvent(tx, { provider: 'stripe', eventId: 'e', type: 't', orderId: 1.5, payload: {} }))).rejects.toThrow(/orderId/);
    await expect(prisma.$executeRaw`insert into payment_event (provider, event_id, type, payload) values ('paypal', 'x', 't', '{}')`).rejects.toThrow(/payment_event_provider_check/);
  });

  it('delivers signed events over HTTP five times, out of order, and applies each once', async () => {
    const id = orderId();
    const s = await stripe.createCheckoutSession(order(id));
    const completed = fake.completeSession(s.sessionId, { method: 'alipay', delayed: true });
    const succeeded = fake.asyncPaymentSucceeded(s.sessionId);
    const applied: string[] = [];
    // A minimal webhook receiver: raw body → verify → record + effect in one transaction.
    const server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      try {
        const event = stripe.verifyWebhook(Buffer.concat(chunks), req.headers['stripe-signature'] as string | undefined);
        const mapped = toPaymentEvent(event);
        await prisma.$transaction(async (tx) => {
          if (await recordPaymentEvent(tx, { provider: 'stripe', eventId: event.id, type: event.type, orderId: mapped?.orderId ?? null, payload: event })) applied.push(`${mapped?.kind}:${event.id}`);
        });
        res.writeHead(200).end('ok');
      } catch (error) {
        res.writeHead(error instanceof WebhookVerificationError ? 400 : 500).end((error as Error).message);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
    try {
      const deliveries = [succeeded, completed, succeeded, completed, succeeded, completed, succeeded, completed, succeeded, completed];
      const statuses = await Promise.all(deliveries.map((e) => deliverEvent(url, e, { secret: fake.webhookSecret }).then((r) => r.status)));
      expect(statuses.every((x) => x === 200)).toBe(true);
      expect(applied.sort()).toEqual([`paid:${succeeded.id}`, `pending:${completed.id}`].sort());

      const forged = await deliverEvent(url, succeeded, { secret: 'whsec_forged' });
      const tampered = await deliverEvent(url, succeeded, { secret: fake.webhookSecret, tamper: (b) => b.replace(String(id), '1') });
      const unsigned = await deliverEvent(url, succeeded, { secret: fake.webhookSecret, signature: null });
      expect([forged.status, tampered.status, unsigned.status]).toEqual([400, 400, 400]);
      expect(await prisma.paymentEvent.count({ where: { orderId: id } })).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('configuration', () => {
  it('reads the settings from the environment, both or neither', () => {
    const base = { DATABASE_URL: 'postgresql://x/y' };
    const e = parseEnv({ ...base, STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc', STRIPE_API_BASE: 'http://127.0.0.1:12111' });
    expect(stripeSettings(e)).toEqual({ secretKey: 'sk_test_abc', webhookSecret: 'whsec_abc', apiBase: 'http://127.0.0.1:12111' });
    expect(stripeSettings(parseEnv(base))).toBeNull();
    expect(() => parseEnv({ ...base, STRIPE_SECRET_KEY: 'sk_test_abc' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => parseEnv({ ...base, STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => parseEnv({ ...base, STRIPE_API_BASE: 'not a url' })).toThrow(/STRIPE_API_BASE/);
  });
});
