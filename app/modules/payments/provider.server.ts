// The payment port: how the checkout starts a payment and how a refund is sent back. Two adapters:
// bank transfer (对公转账, always available) and Stripe (when STRIPE_SECRET_KEY and
// STRIPE_WEBHOOK_SECRET are set). Receipts come back through fulfilOrderPayment (payments.server.ts).
import { env } from '~/modules/env/env.server';

export type ProviderKind = 'BANK_TRANSFER' | 'STRIPE';

export type StartPaymentResult =
  | { kind: 'instructions' } // the order page shows the payee account and the reference
  | { kind: 'redirect'; url: string; sessionId: string };

export type PaymentOrder = { id: number; reference: string; totalFen: number; expiresAt: Date; lines: Array<{ productNameZh: string; variantNameZh: string; unitPriceFen: number; quantity: number }> };

export interface PaymentProvider {
  kind: ProviderKind;
  start(order: PaymentOrder, urls: { success: string; cancel: string }): Promise<StartPaymentResult>;
  /** sends money back; returns the provider's refund id (null for a refund recorded by finance) */
  refund(input: { refundId: number; amountFen: number; providerPaymentId: string | null }): Promise<{ providerRefundId: string | null; settled: boolean }>;
}

/** The payee account buyers transfer to (shown with the order's unique reference). */
export const PAYEE = {
  name: '山海集（演示）消费帮扶服务有限公司',
  bank: '中国工商银行广州黄埔支行',
  account: '3602 0000 0000 0000 001',
} as const;

export const bankTransfer: PaymentProvider = {
  kind: 'BANK_TRANSFER',
  async start() {
    return { kind: 'instructions' };
  },
  async refund() {
    // finance has sent the money back by bank; recording it settles the refund
    return { providerRefundId: null, settled: true };
  },
};

export function stripeConfigured() {
  const e = env();
  return Boolean(e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET);
}

/** The providers a buyer can choose now, default first. */
export function availableProviders(): ProviderKind[] {
  return stripeConfigured() ? ['STRIPE', 'BANK_TRANSFER'] : ['BANK_TRANSFER'];
}

const registry: Partial<Record<ProviderKind, PaymentProvider>> = { BANK_TRANSFER: bankTransfer };

export function registerProvider(p: PaymentProvider) {
  registry[p.kind] = p;
}

/** The provider for an order; Stripe is built from the environment on first use (or registered by tests). */
export async function providerFor(kind: ProviderKind): Promise<PaymentProvider> {
  if (!registry[kind] && kind === 'STRIPE' && stripeConfigured()) {
    const { stripeProvider } = await import('./stripe-provider.server');
    registry.STRIPE = stripeProvider();
  }
  const p = registry[kind];
  if (!p) throw new Error(`payment provider ${kind} is not configured`);
  return p;
}
