// The payment event store: every provider event is stored once under UNIQUE(provider, event_id), in
// the same transaction as its effects. A redelivery (Stripe retries, sends duplicates, and delivers out
// of order) finds its id taken and must change nothing.
import type { Prisma } from '~/generated/prisma/client';
import type { PaymentProviderId } from './provider';
import { isPaymentProviderId } from './provider';

type Tx = Prisma.TransactionClient;

export type PaymentEventRecord = {
  provider: PaymentProviderId;
  /** the provider's id, e.g. Stripe's `evt_…`; for bank transfers the bank's reference */
  eventId: string;
  /** e.g. `checkout.session.completed`, `bank_transfer.receipt` */
  type: string;
  orderId: number | null;
  /** the event as received (Stripe: the verified event object) */
  payload: unknown;
};

export class PaymentEventInputError extends Error {
  override name = 'PaymentEventInputError';
}

/**
 * Store the event; true when it is new (go on and apply its effects in this transaction), false when
 * it was already stored (a duplicate: do nothing). One INSERT … ON CONFLICT DO NOTHING: concurrent
 * duplicates wait on the unique index and exactly one of them gets true. Must run inside the
 * transaction that applies the effects, so a rolled-back attempt leaves no row behind and a later
 * delivery is processed again.
 */
export async function recordPaymentEvent(tx: Tx, e: PaymentEventRecord): Promise<boolean> {
  if (!isPaymentProviderId(e.provider)) throw new PaymentEventInputError(`unknown payment provider: ${String(e.provider)}`);
  if (typeof e.eventId !== 'string' || e.eventId.length === 0 || e.eventId.length > 255) throw new PaymentEventInputError('eventId must be 1–255 characters');
  if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > 100) throw new PaymentEventInputError('type must be 1–100 characters');
  if (e.orderId !== null && (!Number.isInteger(e.orderId) || e.orderId < 1 || e.orderId > 2_147_483_647)) throw new PaymentEventInputError('orderId must be a positive INTEGER or null');
  const payload = JSON.stringify(e.payload ?? null);
  const rows = await tx.$queryRaw<Array<{ id: bigint }>>`
    INSERT INTO payment_event (provider, event_id, type, order_id, payload)
    VALUES (${e.provider}, ${e.eventId}, ${e.type}, ${e.orderId}, ${payload}::jsonb)
    ON CONFLICT (provider, event_id) DO NOTHING
    RETURNING id`;
  return rows.length === 1;
}

/** Events stored for an order, oldest first (order timeline, reconciliation). */
export async function listPaymentEvents(tx: Tx, orderId: number) {
  const rows = await tx.paymentEvent.findMany({ where: { orderId }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
