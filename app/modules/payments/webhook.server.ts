// The whole of `POST /webhooks/stripe` except the order effects: verify the raw body, map the event,
// and store it in the same transaction as the caller's effects. The route is one line:
//   export const action = ({ request }) => handleStripeWebhook(request, applyPaymentEvent);
import type Stripe from 'stripe';
import type { Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import { recordPaymentEvent } from './events.server';
import { WebhookVerificationError, readStripeWebhook, toPaymentEvent, type PaymentEvent, type StripeAdapter } from './stripe.server';

type Tx = Prisma.TransactionClient;

/** Apply one new event to the order (idempotent by order state too: the success page may have been first). */
export type ApplyPaymentEvent = (tx: Tx, event: PaymentEvent, raw: Stripe.Event) => Promise<void>;

export type WebhookOutcome = { status: 'applied' | 'duplicate' | 'ignored'; eventId: string; type: string };

/**
 * Process one verified Stripe event: store it under its id and, when it is new and means something
 * for an order, apply it, all in one transaction. A duplicate changes nothing. If `apply` throws, the
 * transaction (including the stored id) rolls back and Stripe's next delivery tries again.
 */
export async function processStripeEvent(event: Stripe.Event, apply: ApplyPaymentEvent): Promise<WebhookOutcome> {
  const mapped = toPaymentEvent(event);
  return prisma.$transaction(async (tx) => {
    const isNew = await recordPaymentEvent(tx, { provider: 'stripe', eventId: event.id, type: event.type, orderId: mapped?.orderId ?? null, payload: event });
    if (!isNew) return { status: 'duplicate' as const, eventId: event.id, type: event.type };
    if (!mapped) return { status: 'ignored' as const, eventId: event.id, type: event.type };
    await apply(tx, mapped, event);
    return { status: 'applied' as const, eventId: event.id, type: event.type };
  });
}

/**
 * The webhook endpoint: 405 for anything but POST, 400 (and nothing stored) for a body that fails
 * signature verification, 200 with the outcome otherwise. Errors while applying propagate (→ 5xx), so
 * Stripe redelivers.
 */
export async function handleStripeWebhook(request: Request, apply: ApplyPaymentEvent, adapter?: StripeAdapter): Promise<Response> {
  if (request.method !== 'POST') return Response.json({ error: 'POST only' }, { status: 405, headers: { Allow: 'POST' } });
  let event: Stripe.Event;
  try {
    event = await readStripeWebhook(request, adapter);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return Response.json({ error: error.reason, message: error.message }, { status: error.reason === 'not_configured' ? 404 : error.reason === 'too_large' ? 413 : 400 });
    }
    throw error;
  }
  const outcome = await processStripeEvent(event, apply);
  return Response.json(outcome, { status: 200 });
}
