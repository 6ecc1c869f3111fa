import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { z } from 'zod';
import { Field, FormErrors } from '~/components/field';
import { Link } from '~/components/link';
import { buttonClass, cardClass } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
import type { FormShape } from '~/modules/forms/fields';
import { refusal } from '~/modules/forms/refusal';
import { fieldChecks } from '~/modules/forms/validation';
import { badRequest, notFound, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { intParam } from '~/modules/orders/http.server';
import { getOrder, OrderError } from '~/modules/orders/orders.server';
import { refundSchema } from '~/modules/orders/schemas';
import { ORDER_STATE_LABEL } from '~/modules/orders/state';
import { refundOrder } from '~/modules/payments/payments.server';

export const meta: MetaFunction = () => [{ title: '退款 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, 'create:refund:any');
  const order = await getOrder(intParam(params.id));
  if (!order) notFound('没有这个订单 / No such order');
  return json({ order });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'create:refund:any');
  const orderId = intParam(params.id);
  const form = await readFormData(request);
  const s = parseWithZod(form, { schema: refundSchema });
  if (s.status !== 'success') return json(s.reply(), { status: 400 });
  let lines: 'all' | Array<{ orderLineId: number; quantity: number }> = 'all';
  if (s.value.mode === 'lines') {
    lines = [];
    for (const [k, v] of form.entries()) {
      const m = /^qty-([1-9][0-9]{0,8})$/.exec(k);
      if (!m || typeof v !== 'string' || v.trim() === '' || v.trim() === '0') continue;
      if (!/^[1-9][0-9]{0,4}$/.test(v.trim())) return json(s.reply({ fieldErrors: { lines: ['数量应为正整数 / Quantities must be whole numbers'] } }), { status: 400 });
      lines.push({ orderLineId: Number(m[1]), quantity: Number(v.trim()) });
    }
    if (lines.length === 0) return json(s.reply({ fieldErrors: { lines: ['请填写要退的数量 / Enter the quantities to refund'] } }), { status: 400 });
  }
  try {
    await refundOrder(user.id, { orderId, reason: s.value.reason, lines });
  } catch (error) {
    if (error instanceof OrderError) {
      return json(s.reply(refusal(error.message, error.field, ['mode', 'lines', 'reason'])), { status: error.status });
    }
    throw error;
  }
  return redirect(`/orders/${orderId}`);
}

export default function RefundPage() {
  const { order } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  // a refused refund comes back as it was filled in — the per-line choice and its quantities included,
  // so that sending it again cannot turn into a full refund by a reset radio button
  const [form, fields] = useForm<FormShape<typeof refundSchema> & { lines?: string }, z.output<typeof refundSchema>>({
    id: 'refund',
    lastResult: result,
    defaultValue: { mode: 'all' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: refundSchema }),
    ...fieldChecks,
  });
  const typed = (form.initialValue ?? {}) as Record<string, unknown>;
  const typedQuantity = (lineId: number) => {
    const v = typed[`qty-${lineId}`];
    return typeof v === 'string' ? v : undefined;
  };
  const linesErrorId = `${form.id}-lines-error`;
  if (!order) badRequest('');
  return (
    <div className="mx-auto max-w-3xl space-y-4 p-4">
      <p className="text-sm"><Link to={`/orders/${order.id}`} className="text-brand-700 underline">← {order.reference}</Link></p>
      <h1 className="text-2xl font-bold">{tr('退款', 'Refund')} {order.reference}</h1>
      <p className="text-sm text-gray-600">{tr('尚未发货的商品退款后自动退回库存，全部退完的包裹不再发货；已发货的商品不会自动入库（退货到货后由商家登记）。', 'Items refunded before shipping go back to stock, and a parcel with nothing left is cancelled; shipped items do not (the seller records returned goods).')}</p>
      <p>{tr(...ORDER_STATE_LABEL[order.state])} · {formatFen(order.totalFen)} · {tr('已退', 'refunded')} {formatFen(order.refundedFen)}</p>
      <Form method="post" {...getFormProps(form)} className={`${cardClass} space-y-3`}>
        <FormErrors id={form.errorId} errors={form.errors} />
        <fieldset className="space-y-1" aria-describedby={fields.mode.errors?.length ? fields.mode.errorId : undefined}>
          <legend className="text-sm font-medium">{tr('退款方式', 'Refund')}</legend>
          <label className="flex items-center gap-2"><input type="radio" name={fields.mode.name} value="all" defaultChecked={fields.mode.initialValue !== 'lines'} /> {tr('全额退款（剩余全部）', 'Everything not yet refunded')}</label>
          <label className="flex items-center gap-2"><input type="radio" name={fields.mode.name} value="lines" defaultChecked={fields.mode.initialValue === 'lines'} /> {tr('按商品行退款（填写数量）', 'Per line (enter quantities)')}</label>
          <FormErrors id={fields.mode.errorId} errors={fields.mode.errors} />
        </fieldset>
        <ul className="text-sm" aria-describedby={fields.lines.errors?.length ? linesErrorId : undefined}>
          {order.lines.map((l) => (
            <li key={l.id} className="flex items-center justify-between gap-2 py-1">
              <span>{l.productNameZh} · {l.variantNameZh} · {formatFen(l.unitPriceFen)} × {l.quantity}{l.refundedQuantity ? ` (${tr('已退', 'refunded')} ${l.refundedQuantity})` : ''}</span>
              <input name={`qty-${l.id}`} type="number" min={0} max={l.quantity - l.refundedQuantity} inputMode="numeric" defaultValue={typedQuantity(l.id)} aria-label={`${tr('退款数量', 'Quantity to refund')} · ${l.productNameZh} ${l.variantNameZh}`} aria-invalid={fields.lines.errors?.length ? true : undefined} aria-describedby={fields.lines.errors?.length ? linesErrorId : undefined} className="w-20 rounded border border-gray-300 px-2 py-1 aria-[invalid=true]:border-red-600" />
            </li>
          ))}
        </ul>
        <FormErrors id={linesErrorId} errors={fields.lines.errors} />
        <Field meta={fields.reason} label={tr('退款原因', 'Reason')} />
        <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('确认退款', 'Refund')}</button>
      </Form>
    </div>
  );
}
