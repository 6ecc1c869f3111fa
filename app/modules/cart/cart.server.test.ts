import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { action as cartAction, loader as cartLoader } from '~/routes/cart';
import { listedProduct } from '../../../tests/helpers/orders';
import { freshUser } from '../../../tests/helpers/actors';
import { requestAs } from '../../../tests/helpers/actors';
import { mergeCartOnLogin } from './cart.server';

const form = (data: Record<string, string>) => new URLSearchParams(data).toString();
const post = (body: string, cookie?: string) =>
  new Request('http://x/cart', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) } });

describe('cart', () => {
  it('a visitor adds (quantities summed), changes and removes lines; bad input is a 4xx and writes nothing', async () => {
    const p = await listedProduct({ stock: 5 });
    const first = await cartAction({ request: post(form({ intent: 'add', variantId: String(p.variantId), quantity: '2' })), params: {}, context: {} });
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    await cartAction({ request: post(form({ intent: 'add', variantId: String(p.variantId), quantity: '3' }), cookie), params: {}, context: {} });
    let view = await (await cartLoader({ request: new Request('http://x/cart', { headers: { cookie } }), params: {}, context: {} })).json();
    expect(view.cart.count).toBe(5);
    expect(view.cart.totalFen).toBe(5 * p.priceFen);
    const bad = await cartAction({ request: post(form({ intent: 'set', variantId: String(p.variantId), quantity: '-1' }), cookie), params: {}, context: {} });
    expect(bad.status).toBe(400);
    const missing = await cartAction({ request: post(form({ intent: 'add', variantId: '999999999', quantity: '1' }), cookie), params: {}, context: {} });
    expect(missing.status).toBe(404);
    await cartAction({ request: post(form({ intent: 'set', variantId: String(p.variantId), quantity: '1' }), cookie), params: {}, context: {} });
    view = await (await cartLoader({ request: new Request('http://x/cart', { headers: { cookie } }), params: {}, context: {} })).json();
    expect(view.cart.count).toBe(1);
    await cartAction({ request: post(form({ intent: 'remove', variantId: String(p.variantId) }), cookie), params: {}, context: {} });
    view = await (await cartLoader({ request: new Request('http://x/cart', { headers: { cookie } }), params: {}, context: {} })).json();
    expect(view.cart.lineCount).toBe(0);
  });

  it('the visitor cart merges into the account cart on login', async () => {
    const p = await listedProduct({ stock: 50 });
    const q = await listedProduct({ stock: 50 });
    const user = await freshUser();
    // the account already has 1 × p
    const mine = await cartAction({ request: await requestAs(user.email, '/cart', { method: 'POST', body: form({ intent: 'add', variantId: String(p.variantId), quantity: '1' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } }), params: {}, context: {} });
    expect(mine.status).toBe(200);
    const visitor = await cartAction({ request: post(form({ intent: 'add', variantId: String(p.variantId), quantity: '2' })), params: {}, context: {} });
    const cookie = visitor.headers.get('set-cookie')!.split(';')[0]!;
    await cartAction({ request: post(form({ intent: 'add', variantId: String(q.variantId), quantity: '4' }), cookie), params: {}, context: {} });
    const clear = await mergeCartOnLogin(new Request('http://x/login', { headers: { cookie } }), user.id);
    expect(clear).toMatch(/Max-Age=0/);
    const cart = await prisma.cart.findUniqueOrThrow({ where: { userId: user.id }, include: { lines: { orderBy: { variantId: 'asc' } } } });
    expect(cart.lines.map((l) => [l.variantId, l.quantity])).toEqual([[p.variantId, 3], [q.variantId, 4]].sort((a, b) => a[0]! - b[0]!));
    expect(await prisma.cart.count({ where: { userId: null, lines: { some: { variantId: q.variantId } } } })).toBe(0);
  });
});
