// Starting the payment of a placed order through its provider.
import { prisma } from '~/modules/db/db.server';
import type { PaymentProvider, StartPaymentResult } from './provider.server';

export async function startPayment(provider: PaymentProvider, orderId: number, origin: string): Promise<StartPaymentResult> {
  const order = await prisma.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { id: true, reference: true, totalFen: true, allowanceFen: true, state: true, expiresAt: true, lines: { select: { productNameZh: true, variantNameZh: true, unitPriceFen: true, quantity: true } } },
  });
  const dueFen = order.totalFen - order.allowanceFen;
  if (dueFen === 0 || order.state !== 'AWAITING_PAYMENT') return { kind: 'instructions' }; // paid from the allowance
  // part paid from the allowance: the provider collects the rest as one line
  const payable = order.allowanceFen === 0 ? order : {
    ...order, totalFen: dueFen,
    lines: [{ productNameZh: `订单 ${order.reference} 余款（已用福利额度 ${(order.allowanceFen / 100).toFixed(2)} 元）`, variantNameZh: '', unitPriceFen: dueFen, quantity: 1 }],
  };
  const r = await provider.start(payable, { success: `${origin}/orders/${order.id}/paid?session_id={CHECKOUT_SESSION_ID}`, cancel: `${origin}/orders/${order.id}` });
  if (r.kind === 'redirect') {
    // the session's payment row; fulfilOrderPayment turns it into the receipt
    await prisma.payment.create({ data: { orderId: order.id, provider: provider.kind, amountFen: dueFen, providerSessionId: r.sessionId } });
  }
  return r;
}
