import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { useState } from 'react';
import type { z } from 'zod';
import { Field, FormErrors, SelectField, TextareaField } from '~/components/field';
import { buttonClass, cardClass } from '~/components/status';
import { requireUser } from '~/modules/accounts/session.server';
import { resolveCart } from '~/modules/cart/cart.server';
import { readFormData } from '~/modules/http/http.server';
import { CHECKOUT_LIMIT_PER_10_MIN, enforceRateLimit } from '~/modules/security/rate-limit.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { checkoutCart, checkoutData, placeChildren } from '~/modules/orders/checkout.server';
import { OrderError } from '~/modules/orders/orders.server';
import { checkoutSchema } from '~/modules/orders/schemas';
import { availableProviders, providerFor } from '~/modules/payments/provider.server';
import { startPayment } from '~/modules/payments/start.server';
import { refusal } from '~/modules/forms/refusal';
import { fieldChecks } from '~/modules/forms/validation';

export const meta: MetaFunction = () => [{ title: '结算 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { cartId } = await resolveCart(request, false);
  const data = await checkoutData(user, cartId);
  if (data.cart.lineCount === 0) throw redirect('/cart');
  return json({ ...data, providers: availableProviders() }, { headers: { 'Cache-Control': 'private, no-store' } });
}

/** The fields this page shows (a refusal naming another field, such as a line's quantity, shows above the form). */
const CHECKOUT_FIELDS = ['buyer', 'recipient', 'mobile', 'provinceCode', 'cityCode', 'districtCode', 'street', 'note', 'provider', 'invoiceTitle', 'taxNumber', 'allowance', 'allowanceOrganisationId'];

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormData(request);
  const province = form.get('provinceCode');
  const city = form.get('cityCode');
  const places = {
    cities: await placeChildren(typeof province === 'string' ? province : undefined, 'PREFECTURE'),
    districts: await placeChildren(typeof city === 'string' ? city : undefined, 'COUNTY'),
  };
  if (form.get('intent') === 'address') {
    // without JavaScript: "show cities / districts" re-renders the form with the lists for the choice so far
    return json({ result: parseWithZod(form, { schema: checkoutSchema }).reply({ hideFields: [] }), places, refreshed: true });
  }
  const submission = parseWithZod(form, { schema: checkoutSchema });
  if (submission.status !== 'success') return json({ result: submission.reply(), places, refreshed: false }, { status: 400 });
  await enforceRateLimit(`checkout:user:${user.id}`, CHECKOUT_LIMIT_PER_10_MIN, 600);
  const { cartId } = await resolveCart(request, false);
  if (!cartId) return json({ result: submission.reply({ formErrors: ['购物车是空的 / The cart is empty'] }), places, refreshed: false }, { status: 400 });
  if (!availableProviders().includes(submission.value.provider)) return json({ result: submission.reply({ fieldErrors: { provider: ['该付款方式不可用 / Not available'] } }), places, refreshed: false }, { status: 400 });
  try {
    const order = await checkoutCart(user, cartId, submission.value);
    const start = await startPayment(await providerFor(submission.value.provider), order.id, new URL(request.url).origin);
    return redirect(start.kind === 'redirect' ? start.url : `/orders/${order.id}?placed=1`);
  } catch (error) {
    if (error instanceof OrderError) {
      const reply = submission.reply(refusal(error.message, error.field, CHECKOUT_FIELDS));
      return json({ result: reply, places, refreshed: false }, { status: error.status === 403 ? 403 : error.status === 409 ? 409 : 400 });
    }
    throw error;
  }
}

type Place = { code: string; name: string };

export default function CheckoutPage() {
  const { cart, organisations, provinces, allowances, checkoutKey, providers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const locale = useLocale();
  const [form, fields] = useForm<z.input<typeof checkoutSchema>, z.output<typeof checkoutSchema>>({
    id: 'checkout',
    lastResult: actionData?.refreshed ? undefined : actionData?.result,
    defaultValue: { checkoutKey, buyer: 'personal', provider: providers[0], ...(actionData?.refreshed ? (actionData.result.initialValue as Record<string, string>) : {}) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: checkoutSchema }),
    ...fieldChecks,
  });
  const [buyer, setBuyer] = useState<string>(String(fields.buyer.initialValue ?? 'personal'));
  const cityFetcher = useFetcher<{ items: Place[] }>();
  const districtFetcher = useFetcher<{ items: Place[] }>();
  const cities: Place[] = cityFetcher.data?.items ?? actionData?.places.cities ?? [];
  const districts: Place[] = districtFetcher.data?.items ?? actionData?.places.districts ?? [];
  const org = organisations.find((o) => `org-${o.id}` === buyer);
  return (
    <div className="mx-auto max-w-3xl space-y-4 p-4">
      <h1 className="text-2xl font-bold">{tr('结算', 'Checkout')}</h1>
      <section className={cardClass} aria-label={tr('商品', 'Items')}>
        <ul className="divide-y divide-gray-100 text-sm">
          {cart.groups.flatMap((g) => g.lines.map((l) => (
            <li key={l.variantId} className="flex justify-between py-2">
              <span>{pick(locale, l.productNameZh, l.productNameEn)} · {pick(locale, l.variantNameZh, l.variantNameEn)} × {l.quantity}</span>
              <span>{formatFen(l.amountFen)}</span>
            </li>
          )))}
        </ul>
        <p className="mt-2 text-right">{tr('合计', 'Total')} <span className="text-xl font-semibold text-earth-500" data-testid="checkout-total">{formatFen(cart.totalFen)}</span></p>
        <p className="text-right text-xs"><Link to="/cart" className="text-brand-700 underline">{tr('修改购物车', 'Edit the cart')}</Link></p>
      </section>
      <Form method="post" {...getFormProps(form)} className={`${cardClass} space-y-4`}>
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="checkoutKey" value={checkoutKey} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{tr('购买身份', 'Buying as')}</legend>
          <label className="flex items-center gap-2"><input type="radio" name="buyer" value="personal" defaultChecked={buyer === 'personal'} onChange={() => setBuyer('personal')} /> {tr('个人购买（计入帮助销售）', 'Myself (counts as helped sales)')}</label>
          {organisations.map((o) => (
            <label key={o.id} className="flex items-center gap-2"><input type="radio" name="buyer" value={`org-${o.id}`} defaultChecked={buyer === `org-${o.id}`} onChange={() => setBuyer(`org-${o.id}`)} /> {tr(`代表 ${o.name} 采购（计入采购）`, `For ${o.name} (counts as procurement)`)}</label>
          ))}
          {fields.buyer.errors ? <p role="alert" className="text-sm text-red-700">{fields.buyer.errors.join('；')}</p> : null}
        </fieldset>
        {organisations.length ? (
          <div className="space-y-3 rounded border border-gray-200 p-3" data-testid="invoice">
            <p className="text-xs text-gray-600">{tr('单位采购需开具发票（抬头、税号）。个人购买可不填。', 'Organisation orders need invoice details. Leave empty when buying for yourself.')}</p>
            <Field meta={{ ...fields.invoiceTitle, initialValue: fields.invoiceTitle.initialValue ?? org?.invoiceTitle }} label={tr('发票抬头', 'Invoice title (抬头)')} key={`t-${buyer}`} />
            <Field meta={{ ...fields.taxNumber, initialValue: fields.taxNumber.initialValue ?? org?.taxNumber }} label={tr('税号', 'Tax number (税号)')} key={`n-${buyer}`} />
          </div>
        ) : null}
        <fieldset className="space-y-3">
          <legend className="text-sm font-medium">{tr('收货地址', 'Delivery address')}</legend>
          <div onChange={(e) => {
            const t = e.target as HTMLSelectElement;
            if (t.name === 'provinceCode' && t.value) cityFetcher.load(`/api/v1/places?parent=${t.value}&level=PREFECTURE&perPage=500`);
            if (t.name === 'cityCode' && t.value) districtFetcher.load(`/api/v1/places?parent=${t.value}&level=COUNTY&perPage=500`);
          }} className="grid gap-3 sm:grid-cols-3">
            <SelectField meta={fields.provinceCode} label={tr('省份', 'Province')} placeholder={tr('请选择', 'Choose')} options={provinces.map((p) => ({ value: p.code, label: p.name }))} />
            <SelectField meta={fields.cityCode} label={tr('城市', 'City')} placeholder={tr('请选择', 'Choose')} options={cities.map((p) => ({ value: p.code, label: p.name }))} />
            <SelectField meta={fields.districtCode} label={tr('区县', 'District')} placeholder={tr('请选择', 'Choose')} options={districts.map((p) => ({ value: p.code, label: p.name }))} />
          </div>
          <button type="submit" name="intent" value="address" formNoValidate className="text-sm text-brand-700 underline">{tr('更新城市/区县列表', 'Show cities / districts')}</button>
          <Field meta={fields.street} label={tr('详细地址（街道、门牌）', 'Street and number')} autoComplete="street-address" />
          <div className="grid gap-3 sm:grid-cols-2">
            <Field meta={fields.recipient} label={tr('收货人', 'Recipient')} autoComplete="name" />
            <Field meta={fields.mobile} label={tr('手机号', 'Mobile number')} type="tel" inputMode="tel" autoComplete="tel" placeholder="13800138000" />
          </div>
          <TextareaField meta={fields.note} label={tr('配送备注（可选）', 'Delivery note (optional)')} rows={2} />
        </fieldset>
        {allowances.length ? (
          <fieldset className="space-y-2 rounded border border-gray-200 p-3" data-testid="allowance">
            <legend className="text-sm font-medium">{tr('使用福利额度（计入发放单位的采购）', 'Use a welfare allowance (counts as the organisation\'s procurement)')}</legend>
            {allowances.map((a, i) => (
              <label key={a.organisationId} className="flex items-center gap-2 text-sm">
                <input type="radio" name="allowanceOrganisationId" value={a.organisationId} defaultChecked={i === 0} /> {a.name} · {tr('可用', 'available')} {formatFen(a.usableFen)}
              </label>
            ))}
            <Field meta={fields.allowance} label={tr('本单使用金额（元，0 或留空为不使用；其余用下方方式支付）', 'Amount to use (元; 0 or empty for none; the rest is paid below)')} inputMode="decimal" />
            {fields.allowanceOrganisationId.errors ? <p role="alert" className="text-sm text-red-700">{fields.allowanceOrganisationId.errors.join('；')}</p> : null}
          </fieldset>
        ) : null}
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{tr('付款方式', 'Payment')}</legend>
          {providers.map((p) => (
            <label key={p} className="flex items-center gap-2">
              <input type="radio" name="provider" value={p} defaultChecked={p === (fields.provider.initialValue ?? providers[0])} />
              {p === 'STRIPE' ? tr('在线支付（银行卡、支付宝、微信支付）', 'Pay online (card, Alipay, WeChat Pay)') : tr('对公转账（下单后显示收款账户和付款参考号）', 'Bank transfer (payee account and reference shown after ordering)')}
            </label>
          ))}
        </fieldset>
        <button type="submit" name="intent" value="place" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('提交订单', 'Place the order')} · {formatFen(cart.totalFen)}</button>
      </Form>
    </div>
  );
}
