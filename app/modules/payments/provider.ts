// The payment port: checkout talks to a provider through this one small interface. Two adapters:
// Stripe Checkout (stripe.server.ts) and bank transfer (对公转账, built with the order flow).
// Plain .ts (no server code) so UI code can share the ids and labels.

export const PAYMENT_PROVIDER_IDS = ['stripe', 'bank_transfer'] as const;
export type PaymentProviderId = (typeof PAYMENT_PROVIDER_IDS)[number];

export function isPaymentProviderId(value: unknown): value is PaymentProviderId {
  return typeof value === 'string' && (PAYMENT_PROVIDER_IDS as readonly string[]).includes(value);
}

/** What the order flow hands a provider to start paying one order. Amounts in 分. */
export type StartPaymentInput = {
  orderId: number;
  /** the order's human reference (also the bank-transfer 附言 / remittance note) */
  reference: string;
  lines: Array<{ name: string; unitAmountFen: number; quantity: number }>;
  customerEmail?: string | null;
  /** end of the order's payment window; the provider's session never outlives it by choice */
  expiresAt: Date;
  /** absolute URLs back into the app */
  successUrl: string;
  cancelUrl: string;
};

/** How the buyer continues: leave for the provider's page, or read instructions on ours. */
export type StartPaymentResult =
  | { kind: 'redirect'; url: string; providerRef: string; expiresAt: Date }
  | {
      kind: 'instructions';
      payee: { name: string; bank: string; account: string };
      /** must be quoted on the transfer so finance can match the receipt */
      reference: string;
      amountFen: number;
      expiresAt: Date;
    };

export type RefundInput = {
  orderId: number;
  amountFen: number;
  /** stable per refund request (e.g. `refund:<refundId>`): retries never refund twice */
  idempotencyKey: string;
  /** provider reference of the original payment (Stripe PaymentIntent id); absent for transfers */
  paymentRef?: string | null;
};

export type RefundResult =
  /** the provider moved money (Stripe) */
  | { kind: 'refunded'; providerRef: string; amountFen: number; status: 'succeeded' | 'pending' }
  /** money goes back outside the system (bank transfer); finance records it */
  | { kind: 'manual'; amountFen: number };

export interface PaymentProvider {
  readonly id: PaymentProviderId;
  startPayment(input: StartPaymentInput): Promise<StartPaymentResult>;
  refund(input: RefundInput): Promise<RefundResult>;
}
