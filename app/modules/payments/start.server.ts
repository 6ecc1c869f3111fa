// Starting the payment of a placed order through its provider.
import { prisma } from '~/modules/db/db.server';
import type { PaymentProvider, StartPaymentResult } from './provider.server';

export async function startPayment(provider: PaymentProvider, orderId: number, origin: string): Promise<StartPaymentResult> {
  const order = await prisma.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { id: true, reference: true, totalFen: true, expiresAt: true, lines: { select: { productNameZh: true, variantNameZh: true, unitPriceFen: true, quantity: true } } },
  });
  const r = await provider.start(order, { success: `${origin}/orders/${order.id}/paid?session_id={CHECKOUT_SESSION_ID}`, cancel: `${origin}/orders/${order.id}` });
  if (r.kind === 'redirect') {
    // the session's payment row; fulfilOrderPayment turns it into the receipt
    await prisma.payment.create({ data: { orderId: order.id, provider: provider.kind, amountFen: order.totalFen, providerSessionId: r.sessionId } });
  }
  return r;
}
