import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { signEvent, startFakeStripe, type FakeStripe } from '../../../tests/support/fake-stripe';
import { stripeAdapter, type StripeAdapter } from './stripe.server';
import { handleStripeWebhook, type ApplyPaymentEvent } from './webhook.server';

let fake: FakeStripe;
let stripe: StripeAdapter;
let nextOrder = 800_000 + Math.floor(Math.random() * 100_000);

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = stripeAdapter(fake.settings());
});
afterAll(async () => {
  await fake?.close();
});

async function newSession() {
  const orderId = ++nextOrder;
  const s = await stripe.createCheckoutSession({
    orderId,
    reference: `SH-${orderId}`,
    lines: [{ name: '六盘水猕猴桃 5斤', unitAmountFen: 6800, quantity: 3 }],
    successUrl: 'https://shanhai.example/ok',
    cancelUrl: 'https://shanhai.example/cancel',
    expiresAt: new Date(Date.now() + 3600_000),
  });
  return { orderId, sessionId: s.sessionId };
}

const post = (body: string, signature: string | null, method = 'POST') =>
  new Request('http://x/webhooks/stripe', { method, ...(method === 'POST' ? { body } : {}), headers: signature === null ? {} : { 'stripe-signature': signature } });

/** The effect under test: one audit row per applied event (a real write in the same transaction). */
const recordingApply = (log: string[]): ApplyPaymentEvent => async (tx, e) => {
  log.push(`${e.kind}:${e.orderId}`);
  await writeAudit(tx, { actorId: null, action: `payment.stripe.${e.kind}`, entityType: 'order', entityId: String(e.orderId), details: { amountFen: e.amountFen, eventId: e.eventId } });
};

describe('handleStripeWebhook', () => {
  it('applies each event once when Stripe delivers it five times, out of order', async () => {
    const { orderId, sessionId } = await newSession();
    const completed = fake.completeSession(sessionId, { method: 'wechat_pay', delayed: true });
    const succeeded = fake.asyncPaymentSucceeded(sessionId);
    const log: string[] = [];
    const order = [succeeded, completed, completed, succeeded, succeeded, completed, succeeded, completed, completed, succeeded];
    const responses = await Promise.all(
      order.map((e) => {
        const { body, signature } = signEvent(e, fake.webhookSecret);
        return handleStripeWebhook(post(body, signature), recordingApply(log), stripe);
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const outcomes = await Promise.all(responses.map((r) => r.json() as Promise<{ status: string }>));
    expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(8);
    expect(log.sort()).toEqual([`paid:${orderId}`, `pending:${orderId}`]);
    expect(await prisma.auditLog.count({ where: { entityType: 'order', entityId: String(orderId) } })).toBe(2);
    expect(await prisma.paymentEvent.count({ where: { orderId } })).toBe(2);
  });

  it('answers 400 to a bad signature, a tampered body or a missing header, and stores nothing', async () => {
    const { orderId, sessionId } = await newSession();
    const event = fake.completeSession(sessionId);
    const { body, signature } = signEvent(event, fake.webhookSecret);
    const forged = signEvent(event, 'whsec_not_ours');
    const log: string[] = [];
    const statuses = await Promise.all([
      handleStripeWebhook(post(forged.body, forged.signature), recordingApply(log), stripe),
      handleStripeWebhook(post(body.replace(`"client_reference_id": "${orderId}"`, '"client_reference_id": "1"'), signature), recordingApply(log), stripe),
      handleStripeWebhook(post(body, null), recordingApply(log), stripe),
      handleStripeWebhook(post('not json at all', signature), recordingApply(log), stripe),
    ]).then((rs) => rs.map((r) => r.status));
    expect(statuses).toEqual([400, 400, 400, 400]);
    expect(log).toEqual([]);
    expect(await prisma.paymentEvent.count({ where: { eventId: event.id } })).toBe(0);
    expect((await handleStripeWebhook(post('', null, 'GET'), recordingApply(log), stripe)).status).toBe(405);
  });

  it('forgets an event whose effects failed, so the next delivery applies it', async () => {
    const { orderId, sessionId } = await newSession();
    const event = fake.completeSession(sessionId);
    const { body, signature } = signEvent(event, fake.webhookSecret);
    const failing: ApplyPaymentEvent = async () => {
      throw new Error('order table locked');
    };
    await expect(handleStripeWebhook(post(body, signature), failing, stripe)).rejects.toThrow('order table locked');
    expect(await prisma.paymentEvent.count({ where: { eventId: event.id } })).toBe(0);
    const log: string[] = [];
    const again = await handleStripeWebhook(post(body, signature), recordingApply(log), stripe);
    expect(await again.json()).toMatchObject({ status: 'applied', eventId: event.id });
    expect(log).toEqual([`paid:${orderId}`]);
  });

  it('stores but does not apply events it does not handle', async () => {
    const event = fake.emit('payment_intent.created', { id: 'pi_test_ignored', object: 'payment_intent', metadata: {} });
    const { body, signature } = signEvent(event, fake.webhookSecret);
    const log: string[] = [];
    const r = await handleStripeWebhook(post(body, signature), recordingApply(log), stripe);
    expect(await r.json()).toEqual({ status: 'ignored', eventId: event.id, type: 'payment_intent.created' });
    expect(log).toEqual([]);
    expect(await prisma.paymentEvent.count({ where: { eventId: event.id } })).toBe(1);
  });

  it('answers 404 when Stripe is not configured', async () => {
    const r = await handleStripeWebhook(post('{}', 't=1,v1=abc'), recordingApply([]));
    expect(r.status).toBe(404);
  });
});

describe('the fake hosted page (for browser tests of the whole flow)', () => {
  it('pays from the hosted page, delivers the signed event to the webhook and redirects to success_url', async () => {
    const log: string[] = [];
    let hosted: FakeStripe | undefined;
    // The app's webhook endpoint, as a plain node server handing a Fetch Request to the handler.
    const receiver = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
      const response = await handleStripeWebhook(request, recordingApply(log), stripeAdapter(hosted!.settings()));
      res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text());
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      hosted = await startFakeStripe({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe` });
      const adapter = stripeAdapter(hosted.settings());
      const orderId = ++nextOrder;
      const s = await adapter.createCheckoutSession({
        orderId, reference: `SH-${orderId}`, lines: [{ name: '三都马尾绣挂件', unitAmountFen: 25800, quantity: 1 }],
        successUrl: 'https://shanhai.example/orders/9/paid?session_id={CHECKOUT_SESSION_ID}', cancelUrl: 'https://shanhai.example/orders/9',
      });
      const page = await fetch(s.url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('258.00 CNY');
      expect(html).toContain('value="wechat_pay:delayed"');
      const paid = await fetch(s.url, { method: 'POST', body: new URLSearchParams({ method: 'wechat_pay:delayed' }), redirect: 'manual' });
      expect(paid.status).toBe(303);
      expect(paid.headers.get('location')).toBe(`https://shanhai.example/orders/9/paid?session_id=${s.sessionId}`);
      expect(log).toEqual([`pending:${orderId}`]);
      expect((await adapter.retrieveCheckoutSession(s.sessionId)).status).toBe('complete');
      expect((await fetch(s.url)).status).toBe(410);
      const done = await hosted.deliver(hosted.asyncPaymentSucceeded(s.sessionId));
      expect(done.status).toBe(200);
      expect(log).toEqual([`pending:${orderId}`, `paid:${orderId}`]);
    } finally {
      await hosted?.close();
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
    }
  });
});
