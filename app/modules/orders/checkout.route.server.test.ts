// /checkout called the way Remix calls it: a refusal from the domain that names a field the page does not
// show (a line's quantity: stock ran out after the goods went into the cart) comes back as a form error,
// shown above the form, not at a field nobody sees; nothing is ordered.
import { describe, expect, it } from 'vitest';
import { addToCart } from '~/modules/cart/cart.server';
import { prisma } from '~/modules/db/db.server';
import { action as checkoutAction } from '~/routes/checkout';
import { freshUser, requestAs, uniq } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct } from '../../../tests/helpers/orders';
import { callRoute } from '../../../tests/helpers/routes';

describe('/checkout refusals', () => {
  it('shows "not enough stock" above the form (it names a quantity, which the page has no field for)', async () => {
    const buyer = await freshUser();
    const p = await listedProduct({ priceFen: 1_000, stock: 5 });
    const user = await prisma.user.findUniqueOrThrow({ where: { email: buyer.email }, select: { id: true } });
    const cart = await prisma.cart.create({ data: { id: `c${uniq()}${uniq()}${uniq()}`.slice(0, 40).padEnd(24, 'x'), userId: user.id } });
    expect((await addToCart(cart.id, p.variantId, 3)).ok).toBe(true);
    await prisma.variant.update({ where: { id: p.variantId }, data: { stock: 1 } }); // sold elsewhere meanwhile
    const body = new URLSearchParams({ ...ADDRESS, checkoutKey: `k${uniq()}${uniq()}${uniq()}`, buyer: 'personal', provider: 'BANK_TRANSFER' });
    const res = await callRoute(async () => checkoutAction({ request: (await requestAs(buyer.email, '/checkout', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })) as never, params: {}, context: {} }));
    const { result } = (await res.json()) as { result: { error: Record<string, string[]> } };
    expect(res.status).toBe(409);
    expect(result.error['']).toEqual([expect.stringContaining('库存不足')]);
    expect(result.error.quantity).toBeUndefined();
    expect(await prisma.order.count({ where: { buyerId: user.id } })).toBe(0);
  });
});
