// Stripe's success URL: /orders/:id/paid?session_id=cs_… — confirms with Stripe and fulfils
// (the same idempotent fulfilOrderPayment as the webhook), then shows the order.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { requireUser } from '~/modules/accounts/session.server';
import { badRequest, notFound } from '~/modules/http/http.server';
import { prisma } from '~/modules/db/db.server';
import { intParam } from '~/modules/orders/http.server';
import { confirmStripeSession } from '~/modules/payments/stripe-provider.server';
import { stripeConfigured } from '~/modules/payments/provider.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = intParam(params.id);
  const sessionId = new URL(request.url).searchParams.get('session_id') ?? '';
  if (!/^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) badRequest('session_id must be a Checkout Session id');
  const order = await prisma.order.findUnique({ where: { id }, select: { buyerId: true } });
  if (!order || order.buyerId !== user.id) notFound('没有这个订单 / No such order');
  if (!stripeConfigured()) notFound('在线支付未启用 / Online payment is not enabled');
  const r = await confirmStripeSession(id, sessionId);
  return redirect(`/orders/${id}${r.status === 'paid' || r.status === 'already' ? '?paid=1' : ''}`);
}
