// The checkout page's server side: what the form needs (cart, organisations, place lists) and turning
// a valid submission into one order from the cart.
import crypto from 'node:crypto';
import type { CurrentUser } from '~/modules/accounts/session.server';
import { userCan } from '~/modules/accounts/session.server';
import { cartView, clearCart } from '~/modules/cart/cart.server';
import { prisma } from '~/modules/db/db.server';
import { placeOrder, type PlaceOrderInput } from './orders.server';

export async function checkoutData(user: CurrentUser, cartId: string | null) {
  const canOrg = userCan(user, 'create:organisation-order:own');
  const orgIds = canOrg ? user.memberships.filter((m) => m.role === 'BUYER' || m.role === 'ADMIN').map((m) => m.organisation.id) : [];
  const [cart, organisations, provinces] = await Promise.all([
    cartView(cartId),
    prisma.organisation.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, invoiceTitle: true, taxNumber: true }, orderBy: { id: 'asc' } }),
    prisma.place.findMany({ where: { level: 'PROVINCE' }, select: { code: true, name: true }, orderBy: { code: 'asc' } }),
  ]);
  return { cart, organisations, provinces, checkoutKey: crypto.randomBytes(18).toString('base64url') };
}

export async function placeChildren(code: string | undefined, level: 'PREFECTURE' | 'COUNTY') {
  if (!code || !/^[0-9]{6}$/.test(code)) return [];
  return prisma.place.findMany({ where: { parentCode: code, level }, select: { code: true, name: true }, orderBy: { code: 'asc' } });
}

export type CheckoutInput = Omit<PlaceOrderInput, 'lines' | 'organisationId'> & { buyer: string };

/** Places the cart as one order and empties the cart's ordered lines. */
export async function checkoutCart(user: CurrentUser, cartId: string, input: CheckoutInput) {
  const lines = await prisma.cartLine.findMany({ where: { cartId }, select: { variantId: true, quantity: true } });
  const organisationId = input.buyer.startsWith('org-') ? Number(input.buyer.slice(4)) : null;
  const order = await placeOrder(user, { ...input, lines, organisationId });
  await clearCart(cartId);
  return order;
}
