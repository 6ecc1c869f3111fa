// Quantity breaks end to end: the seller's form (Conform + Zod: row errors by field, nothing saved),
// the server's check against the stored base price, the cart showing the applied unit price and the
// order placed at it (the ledger follows what was paid).
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { addToCart, cartView } from '~/modules/cart/cart.server';
import { placeOrder } from '~/modules/orders/orders.server';
import { fulfilOrderPayment } from '~/modules/payments/payments.server';
import { loader as productLoader } from '~/routes/products.$slug';
import { action as pricesAction, loader as pricesLoader } from '~/routes/seller.products.$id.prices';
import { freshSeller, requestAs, actorFor } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { setPriceBreaks } from './price-breaks.server';
import { callRoute, urlencodedPost } from '../../../tests/helpers/routes';

const form = urlencodedPost;
const call = callRoute;

describe('quantity breaks', () => {
  it('the seller form refuses bad breaks with the row and field, saves good ones; a stranger cannot', async () => {
    const { seller, staff } = await freshSeller();
    const p = await listedProduct({ sellerId: seller.id, priceFen: 3990 });
    const params = { id: String(p.productId) };
    const post = async (email: string, fields: Record<string, string>) => call(async () => pricesAction({ request: (await requestAs(email, `/seller/products/${p.productId}/prices`, form(fields))) as never, params, context: {} }));
    const v = String(p.variantId);
    // price not below the base (server check), quantities not increasing and a half row (schema)
    const above = await post(staff.email, { variantId: v, 'breaks[0].minQuantity': '10', 'breaks[0].price': '39.90' });
    expect(above.status).toBe(400);
    expect(await above.json()).toMatchObject({ result: { error: { 'breaks[0].price': [expect.stringContaining('低于原价')] } } });
    const bad = await post(staff.email, { variantId: v, 'breaks[0].minQuantity': '10', 'breaks[0].price': '35', 'breaks[1].minQuantity': '5', 'breaks[1].price': '30', 'breaks[2].minQuantity': '20' });
    expect(bad.status).toBe(400);
    const errors = (await bad.json()).result.error;
    expect(errors['breaks[1].minQuantity']).toEqual([expect.stringContaining('大于上一档')]);
    expect(errors['breaks[2].price']).toEqual([expect.stringContaining('请填写单价')]);
    expect(await prisma.variantPriceBreak.count({ where: { variantId: p.variantId } })).toBe(0);
    const ok = await post(staff.email, { variantId: v, 'breaks[0].minQuantity': '10', 'breaks[0].price': '35', 'breaks[2].minQuantity': '50', 'breaks[2].price': '32.5' });
    expect(ok.status).toBe(302);
    expect(await prisma.variantPriceBreak.findMany({ where: { variantId: p.variantId }, select: { minQuantity: true, priceFen: true }, orderBy: { minQuantity: 'asc' } })).toEqual([{ minQuantity: 10, priceFen: 3500 }, { minQuantity: 50, priceFen: 3250 }]);
    const page = await (await pricesLoader({ request: (await requestAs(staff.email, '/')) as never, params, context: {} })).json();
    expect(page.product.variants[0].priceBreaks).toHaveLength(2);
    // the product page shows them
    const shop = await (await productLoader({ request: new Request(`http://x/products/${p.slug}`), params: { slug: p.slug }, context: {} })).json();
    expect(shop.product.variants[0].priceBreaks).toEqual([{ minQuantity: 10, priceFen: 3500 }, { minQuantity: 50, priceFen: 3250 }]);
    const other = await freshSeller();
    expect((await post(other.staff.email, { variantId: v, 'breaks[0].minQuantity': '10', 'breaks[0].price': '1' })).status).toBe(403);
    // a variant of another product is refused by the server function
    const q = await listedProduct({ sellerId: seller.id });
    expect(await setPriceBreaks(await actorFor(staff.email), p.productId, q.variantId, [{ minQuantity: 5, priceFen: 100 }])).toMatchObject({ ok: false });
  });

  it('the cart shows the unit price applied and checkout charges it; the ledger follows what was paid', async () => {
    const p = await listedProduct({ stock: 100, priceFen: 3990 });
    await prisma.variantPriceBreak.createMany({ data: [{ variantId: p.variantId, minQuantity: 10, priceFen: 3500 }, { variantId: p.variantId, minQuantity: 50, priceFen: 3200 }] });
    const cart = await prisma.cart.create({ data: { id: `t-cart-breaks-${p.variantId}-xxxxxxxx` } });
    await addToCart(cart.id, p.variantId, 9);
    let view = await cartView(cart.id);
    expect(view.groups[0]!.lines[0]).toMatchObject({ priceFen: 3990, basePriceFen: 3990, amountFen: 9 * 3990, nextBreak: { minQuantity: 10, priceFen: 3500 } });
    await addToCart(cart.id, p.variantId, 3);
    view = await cartView(cart.id);
    expect(view.groups[0]!.lines[0]).toMatchObject({ quantity: 12, priceFen: 3500, amountFen: 12 * 3500, nextBreak: { minQuantity: 50 } });
    expect(view.totalFen).toBe(12 * 3500);

    const buyer = await userByEmail('consumer@demo.shanhai.cn');
    // two lines of the same variant count together for the break
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 30 }, { variantId: p.variantId, quantity: 20 }], provider: 'BANK_TRANSFER' });
    expect(o.totalFen).toBe(50 * 3200);
    const line = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o.id } });
    expect(line).toMatchObject({ unitPriceFen: 3200, quantity: 50, amountFen: 160000 });
    const small = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' });
    expect(small.totalFen).toBe(2 * 3990);
    await fulfilOrderPayment({ orderId: o.id, provider: 'BANK_TRANSFER', amountFen: o.totalFen, bankReference: `QB-${o.id}` });
    const entries = await prisma.ledgerEntry.findMany({ where: { sourceType: 'ORDER_LINE', sourceId: String(line.id) }, select: { amountFen: true } });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => Number(e.amountFen) === 160000)).toBe(true);
  });
});
