// The checkout page's server side: what the form needs (cart, organisations, place lists) and turning
// a valid submission into one order from the cart.
import crypto from 'node:crypto';
import type { CurrentUser } from '~/modules/accounts/session.server';
import { userCan } from '~/modules/accounts/session.server';
import { cartView, clearCart } from '~/modules/cart/cart.server';
import { prisma } from '~/modules/db/db.server';
import { chinaDate } from '~/modules/organisations/allowances.server';
import { placeOrder, type PlaceOrderInput } from './orders.server';

export async function checkoutData(user: CurrentUser, cartId: string | null) {
  const canOrg = userCan(user, 'create:organisation-order:own');
  const orgIds = canOrg ? user.memberships.filter((m) => m.role === 'BUYER' || m.role === 'ADMIN').map((m) => m.organisation.id) : [];
  const [cart, organisations, provinces] = await Promise.all([
    cartView(cartId),
    prisma.organisation.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true, invoiceTitle: true, taxNumber: true }, orderBy: { id: 'asc' } }),
    prisma.place.findMany({ where: { level: 'PROVINCE' }, select: { code: true, name: true }, orderBy: { code: 'asc' } }),
  ]);
  // the member's usable welfare allowances, per granting organisation
  const allowances = await prisma.$queryRaw<Array<{ organisationId: number; name: string; usableFen: bigint }>>`
    select g.organisation_id as "organisationId", o.name, sum(g.balance_fen)::bigint as "usableFen"
    from allowance_grant g join organisation o on o.id = g.organisation_id
    where g.user_id = ${user.id} and g.valid_until >= ${chinaDate(new Date())}::date and g.balance_fen > 0
    group by g.organisation_id, o.name order by g.organisation_id`;
  return { cart, organisations, provinces, allowances: allowances.map((a) => ({ ...a, usableFen: Number(a.usableFen) })), checkoutKey: crypto.randomBytes(18).toString('base64url') };
}

export async function placeChildren(code: string | undefined, level: 'PREFECTURE' | 'COUNTY') {
  if (!code || !/^[0-9]{6}$/.test(code)) return [];
  return prisma.place.findMany({ where: { parentCode: code, level }, select: { code: true, name: true }, orderBy: { code: 'asc' } });
}

export type CheckoutInput = Omit<PlaceOrderInput, 'lines' | 'organisationId' | 'allowanceFen'> & { buyer: string; allowance?: number };

/** Places the cart as one order and empties the cart's ordered lines. */
export async function checkoutCart(user: CurrentUser, cartId: string, input: CheckoutInput) {
  const lines = await prisma.cartLine.findMany({ where: { cartId }, select: { variantId: true, quantity: true } });
  const organisationId = input.buyer.startsWith('org-') ? Number(input.buyer.slice(4)) : null;
  const allowanceFen = input.allowance ?? 0;
  const order = await placeOrder(user, { ...input, lines, organisationId, allowanceFen, allowanceOrganisationId: allowanceFen > 0 ? input.allowanceOrganisationId ?? null : null });
  await clearCart(cartId);
  return order;
}
