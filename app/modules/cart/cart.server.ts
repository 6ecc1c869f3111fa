// The server-side cart. A visitor's cart is found by a signed cookie; a signed-in user's cart is the
// row with their user id. On login the visitor's lines are merged into the account's cart (quantities
// summed, capped) and the visitor's cart is deleted. Prices and stock are always read live: the cart
// stores only variant and quantity.
import crypto from 'node:crypto';
import { createCookie } from '@remix-run/node';
import { getUser } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';
import { env } from '~/modules/env/env.server';
import { unitPriceFor, type PriceBreak } from '~/modules/catalog/price-breaks';

export const MAX_LINE_QUANTITY = 999;

export const cartCookie = createCookie('shanhai_cart', {
  httpOnly: true,
  sameSite: 'lax',
  path: '/',
  secure: env().NODE_ENV === 'production',
  secrets: [env().SESSION_SECRET],
  maxAge: 60 * 24 * 3600,
});

async function cookieCartId(request: Request): Promise<string | null> {
  const v = await cartCookie.parse(request.headers.get('cookie')).catch(() => null);
  return typeof v === 'string' && /^[A-Za-z0-9_-]{20,64}$/.test(v) ? v : null;
}

export type CartRef = { cartId: string | null; userId: number | null; setCookie?: string };

/** The request's cart (the user's if signed in, else the cookie's); `create` makes one when there is none. */
export async function resolveCart(request: Request, create = false): Promise<CartRef> {
  const user = await getUser(request);
  if (user) {
    if (!create) {
      const row = await prisma.cart.findUnique({ where: { userId: user.id }, select: { id: true } });
      return { cartId: row?.id ?? null, userId: user.id };
    }
    // one cart per user: the unique key on user_id decides between concurrent first adds
    const id = crypto.randomBytes(18).toString('base64url');
    const rows = await prisma.$queryRaw<Array<{ id: string }>>`
      insert into cart (id, user_id) values (${id}, ${user.id})
      on conflict (user_id) do update set updated_at = now() returning id`;
    return { cartId: rows[0]!.id, userId: user.id };
  }
  const existing = await cookieCartId(request);
  if (existing) {
    const row = await prisma.cart.findUnique({ where: { id: existing }, select: { id: true, userId: true } });
    if (row && row.userId === null) return { cartId: row.id, userId: null };
  }
  if (!create) return { cartId: null, userId: null };
  const id = crypto.randomBytes(18).toString('base64url');
  await prisma.cart.create({ data: { id } });
  return { cartId: id, userId: null, setCookie: await cartCookie.serialize(id) };
}

export type CartResult = { ok: true } | { ok: false; field: 'variantId' | 'quantity'; message: string };

async function purchasable(variantId: number) {
  return prisma.variant.findFirst({ where: { id: variantId, product: { status: 'LISTED' } }, select: { id: true, stock: true, unit: true } });
}

export async function addToCart(cartId: string, variantId: number, quantity: number): Promise<CartResult> {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) return { ok: false, field: 'quantity', message: `数量应在 1 到 ${MAX_LINE_QUANTITY} 之间 / Quantity must be 1–${MAX_LINE_QUANTITY}` };
  const v = await purchasable(variantId);
  if (!v) return { ok: false, field: 'variantId', message: '该商品规格不存在或已下架 / This item does not exist or is no longer on sale' };
  if (v.stock <= 0) return { ok: false, field: 'quantity', message: '该规格已售罄 / Sold out' };
  await prisma.$executeRaw`
    insert into cart_line (cart_id, variant_id, quantity) values (${cartId}, ${variantId}, ${quantity})
    on conflict (cart_id, variant_id) do update set quantity = least(cart_line.quantity + excluded.quantity, ${MAX_LINE_QUANTITY})`;
  await prisma.cart.update({ where: { id: cartId }, data: { updatedAt: new Date() } });
  return { ok: true };
}

/** Sets a line's quantity; 0 removes it. */
export async function setCartQuantity(cartId: string, variantId: number, quantity: number): Promise<CartResult> {
  if (!Number.isSafeInteger(quantity) || quantity < 0 || quantity > MAX_LINE_QUANTITY) return { ok: false, field: 'quantity', message: `数量应在 0 到 ${MAX_LINE_QUANTITY} 之间 / Quantity must be 0–${MAX_LINE_QUANTITY}` };
  if (quantity === 0) {
    await prisma.cartLine.deleteMany({ where: { cartId, variantId } });
    return { ok: true };
  }
  const n = await prisma.cartLine.updateMany({ where: { cartId, variantId }, data: { quantity } });
  if (n.count === 0) return { ok: false, field: 'variantId', message: '购物车里没有这件商品 / This item is not in the cart' };
  return { ok: true };
}

export async function removeFromCart(cartId: string, variantId: number) {
  await prisma.cartLine.deleteMany({ where: { cartId, variantId } });
}

export async function clearCart(cartId: string) {
  await prisma.cartLine.deleteMany({ where: { cartId } });
}

/** Moves the visitor's cart (cookie) into the user's cart; returns a Set-Cookie that clears the cookie, or null. */
export async function mergeCartOnLogin(request: Request, userId: number): Promise<string | null> {
  const visitorCart = await cookieCartId(request);
  if (!visitorCart) return null;
  await prisma.$transaction(async (tx) => {
    const anon = await tx.cart.findUnique({ where: { id: visitorCart }, select: { userId: true } });
    if (!anon || anon.userId !== null) return;
    const id = crypto.randomBytes(18).toString('base64url');
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      insert into cart (id, user_id) values (${id}, ${userId}) on conflict (user_id) do update set updated_at = now() returning id`;
    const target = rows[0]!.id;
    await tx.$executeRaw`
      insert into cart_line (cart_id, variant_id, quantity)
      select ${target}, variant_id, quantity from cart_line where cart_id = ${visitorCart}
      on conflict (cart_id, variant_id) do update set quantity = least(cart_line.quantity + excluded.quantity, ${MAX_LINE_QUANTITY})`;
    await tx.cart.delete({ where: { id: visitorCart } });
  });
  return cartCookie.serialize('', { maxAge: 0 });
}

export type CartView = Awaited<ReturnType<typeof cartView>>;

/** The cart's lines grouped by seller, with live price, stock and totals (分). */
export async function cartView(cartId: string | null) {
  const lines = cartId
    ? await prisma.cartLine.findMany({
        where: { cartId },
        orderBy: { addedAt: 'asc' },
        select: {
          quantity: true,
          variant: {
            select: {
              id: true, sku: true, nameZh: true, nameEn: true, priceFen: true, stock: true, unit: true, priceBreaks: { select: { minQuantity: true, priceFen: true }, orderBy: { minQuantity: 'asc' } },
              product: { select: { id: true, slug: true, nameZh: true, nameEn: true, status: true, seller: { select: { id: true, slug: true, name: true, nameEn: true } } } },
            },
          },
        },
      })
    : [];
  const groups = new Map<number, { seller: { id: number; slug: string; name: string; nameEn: string }; lines: CartLineView[]; subtotalFen: number }>();
  let totalFen = 0;
  let count = 0;
  let problems = 0;
  for (const l of lines) {
    const v = l.variant;
    const available = v.product.status === 'LISTED';
    const enough = v.stock >= l.quantity;
    // the unit price the order will be placed at: the quantity break reached by this line, if any
    const priceFen = unitPriceFor(v.priceFen, v.priceBreaks, l.quantity);
    const nextBreak = v.priceBreaks.find((b) => b.minQuantity > l.quantity) ?? null;
    const line: CartLineView = {
      variantId: v.id, sku: v.sku, variantNameZh: v.nameZh, variantNameEn: v.nameEn, unit: v.unit, priceFen, basePriceFen: v.priceFen, nextBreak, stock: v.stock,
      quantity: l.quantity, amountFen: priceFen * l.quantity, productSlug: v.product.slug, productNameZh: v.product.nameZh, productNameEn: v.product.nameEn,
      available, enoughStock: enough,
    };
    const g = groups.get(v.product.seller.id) ?? { seller: v.product.seller, lines: [], subtotalFen: 0 };
    g.lines.push(line);
    if (available) {
      g.subtotalFen += line.amountFen;
      totalFen += line.amountFen;
    }
    if (!available || !enough) problems++;
    count += l.quantity;
    groups.set(v.product.seller.id, g);
  }
  return { cartId, groups: [...groups.values()], totalFen, count, lineCount: lines.length, problems };
}

export type CartLineView = {
  variantId: number; sku: string; variantNameZh: string; variantNameEn: string; unit: string;
  /** the unit price applied (a quantity break when one is reached), the base price, the next break up */
  priceFen: number; basePriceFen: number; nextBreak: PriceBreak | null; stock: number;
  quantity: number; amountFen: number; productSlug: string; productNameZh: string; productNameEn: string; available: boolean; enoughStock: boolean;
};

/** Number of items in the request's cart (header badge); never creates a cart. */
export async function cartCount(request: Request): Promise<number> {
  const { cartId } = await resolveCart(request, false);
  if (!cartId) return 0;
  const r = await prisma.cartLine.aggregate({ where: { cartId }, _sum: { quantity: true } });
  return r._sum.quantity ?? 0;
}
