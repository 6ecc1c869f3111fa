import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useFetcher, useLoaderData, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { buttonClass, cardClass, Notice, secondaryButtonClass } from '~/components/status';
import { addToCart, cartView, removeFromCart, resolveCart, setCartQuantity, type CartLineView } from '~/modules/cart/cart.server';
import { readFormData, safeRedirectPath } from '~/modules/orders/http.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { cartSchema } from '~/modules/orders/schemas';

export const meta: MetaFunction = () => [{ title: '购物车 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { cartId } = await resolveCart(request, false);
  return json({ cart: await cartView(cartId) }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const submission = parseWithZod(form, { schema: cartSchema });
  if (submission.status !== 'success') return json({ result: submission.reply(), ok: false }, { status: 400 });
  const v = submission.value;
  const ref = await resolveCart(request, v.intent === 'add');
  const headers = ref.setCookie ? { 'Set-Cookie': ref.setCookie } : undefined;
  if (!ref.cartId) return json({ result: submission.reply({ formErrors: ['购物车是空的 / The cart is empty'] }), ok: false }, { status: 400 });
  const r = v.intent === 'add' ? await addToCart(ref.cartId, v.variantId, v.quantity)
    : v.intent === 'set' ? await setCartQuantity(ref.cartId, v.variantId, v.quantity)
    : (await removeFromCart(ref.cartId, v.variantId), { ok: true as const });
  if (!r.ok) return json({ result: submission.reply({ fieldErrors: { [r.field]: [r.message] } }), ok: false }, { status: r.field === 'variantId' ? 404 : 409, headers });
  // without JavaScript: back to the page the form was on (the product page adds, then shows the cart)
  if (request.headers.get('accept')?.includes('text/html')) {
    return redirect(safeRedirectPath(form.get('redirectTo'), v.intent === 'add' ? '/cart?added=1' : '/cart'), { headers });
  }
  return json({ result: submission.reply(), ok: true }, { headers });
}

function LineRow({ line }: { line: CartLineView }) {
  const tr = useTr();
  const locale = useLocale();
  const fetcher = useFetcher<typeof action>();
  // optimistic line (quantity / removal) while the request runs; totals only ever come from the server
  const pendingIntent = fetcher.formData?.get('intent');
  const pendingQty = fetcher.formData?.get('quantity');
  if (pendingIntent === 'remove') return null;
  const quantity = pendingIntent === 'set' && typeof pendingQty === 'string' && /^\d+$/.test(pendingQty) ? Number(pendingQty) : line.quantity;
  if (quantity === 0) return null;
  const error = fetcher.data && !fetcher.data.ok ? Object.values(fetcher.data.result.error ?? {}).flat().join('；') : null;
  return (
    <li className="space-y-2 py-3" data-testid="cart-line">
      <div className="flex justify-between gap-2">
        <div>
          <Link to={`/products/${line.productSlug}?variant=${encodeURIComponent(line.sku)}`} className="font-medium hover:underline">{pick(locale, line.productNameZh, line.productNameEn)}</Link>
          <p className="text-xs text-gray-600" data-testid="unit-price">
            {pick(locale, line.variantNameZh, line.variantNameEn)} · {line.priceFen < line.basePriceFen ? <><s className="text-gray-400">{formatFen(line.basePriceFen)}</s> </> : null}{formatFen(line.priceFen)}/{line.unit}
            {line.priceFen < line.basePriceFen ? <span className="ml-1 rounded bg-amber-50 px-1 text-amber-800">{tr('阶梯价', 'Quantity price')}</span> : null}
          </p>
          {line.nextBreak ? <p className="text-xs text-brand-700">{tr(`满 ${line.nextBreak.minQuantity} ${line.unit}单价 ${formatFen(line.nextBreak.priceFen)}`, `${formatFen(line.nextBreak.priceFen)} each from ${line.nextBreak.minQuantity}`)}</p> : null}
          <p className={`text-xs ${line.enoughStock && line.available ? 'text-gray-500' : 'text-red-700'}`}>
            {!line.available ? tr('已下架', 'No longer on sale') : line.enoughStock ? tr(`库存 ${line.stock}`, `${line.stock} in stock`) : tr(`库存仅剩 ${line.stock}`, `Only ${line.stock} left`)}
          </p>
        </div>
        <p className="whitespace-nowrap font-medium" data-testid="line-amount">{formatFen(line.amountFen)}</p>
      </div>
      <div className="flex items-end gap-2">
        <fetcher.Form method="post" action="/cart" className="flex items-end gap-2">
          <input type="hidden" name="intent" value="set" />
          <input type="hidden" name="variantId" value={line.variantId} />
          <label className="text-sm">
            <span className="sr-only">{tr('数量', 'Quantity')}</span>
            <input name="quantity" type="number" inputMode="numeric" min={0} max={999} defaultValue={quantity} key={quantity} aria-label={tr('数量', 'Quantity')} className="w-20 rounded border border-gray-300 px-2 py-2" />
          </label>
          <button type="submit" className={secondaryButtonClass}>{tr('更新', 'Update')}</button>
        </fetcher.Form>
        <fetcher.Form method="post" action="/cart">
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="variantId" value={line.variantId} />
          <button type="submit" className="min-h-11 px-2 text-sm text-red-700 underline">{tr('删除', 'Remove')}</button>
        </fetcher.Form>
      </div>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
    </li>
  );
}

export default function CartPage() {
  const { cart } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const tr = useTr();
  const locale = useLocale();
  const [params] = useSearchParams();
  const added = params.has('added') || actionData?.ok === true;
  const errors = actionData && !actionData.ok ? Object.values(actionData.result.error ?? {}).flat() : [];
  return (
    <div className="mx-auto max-w-3xl space-y-4 p-4">
      <h1 className="text-2xl font-bold">{tr('购物车', 'Cart')}</h1>
      {added ? <Notice>{tr('已加入购物车', 'Added to the cart')}</Notice> : null}
      {errors.length ? <Notice tone="error">{errors.join('；')}</Notice> : null}
      {cart.groups.length === 0 ? (
        <p className={cardClass}>{tr('购物车是空的。', 'Your cart is empty.')} <Link to="/" className="text-brand-700 underline">{tr('去逛逛', 'Browse goods')}</Link></p>
      ) : (
        <>
          {cart.groups.map((g) => (
            <section key={g.seller.id} className={cardClass} aria-label={g.seller.name}>
              <h2 className="font-semibold">{pick(locale, g.seller.name, g.seller.nameEn)}</h2>
              <ul className="divide-y divide-gray-100">{g.lines.map((l) => <LineRow key={l.variantId} line={l} />)}</ul>
              <p className="text-right text-sm text-gray-600">{tr('小计', 'Subtotal')} {formatFen(g.subtotalFen)}</p>
            </section>
          ))}
          <section className={`${cardClass} flex items-center justify-between`}>
            <p>{tr('合计', 'Total')} <span className="text-xl font-semibold text-earth-500" data-testid="cart-total">{formatFen(cart.totalFen)}</span></p>
            {cart.problems ? <p className="text-sm text-red-700">{tr('请先处理库存不足或已下架的商品', 'Fix the items that are short of stock or off sale first')}</p>
              : <Link to="/checkout" className={buttonClass}>{tr('去结算', 'Check out')}</Link>}
          </section>
        </>
      )}
      <Form method="get" action="/orders"><button type="submit" className="text-sm text-brand-700 underline">{tr('我的订单', 'My orders')}</button></Form>
    </div>
  );
}
