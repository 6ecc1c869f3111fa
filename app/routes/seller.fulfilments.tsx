import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field } from '~/components/field';
import { Link } from '~/components/link';
import { RowForm, UnplacedReply, useRowForm } from '~/components/row-form';
import { buttonClass, cardClass } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
import { formIdOf, rowFormId, type RowReply } from '~/modules/forms/rows';
import { readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { markShipped, OrderError, sellerFulfilments } from '~/modules/orders/orders.server';
import { shipSchema } from '~/modules/orders/schemas';
import { FULFILMENT_STATE_LABEL, shipTo } from '~/modules/orders/state';

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'read:fulfilment:own');
  return json({ fulfilments: await sellerFulfilments(user.sellerStaff.map((s) => s.seller.id)) }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'update:fulfilment:own');
  const form = await readFormData(request);
  const formId = formIdOf(form);
  const s = parseWithZod(form, { schema: shipSchema });
  if (s.status !== 'success') return json<RowReply>({ formId, result: s.reply() }, { status: 400 });
  try {
    await markShipped(user, s.value.fulfilmentId, s.value.carrier, s.value.trackingNo);
  } catch (error) {
    if (error instanceof OrderError) return json<RowReply>({ formId, result: s.reply({ formErrors: [error.message] }) }, { status: error.status });
    throw error;
  }
  return redirect('/seller/fulfilments');
}

export default function FulfilmentsPage() {
  const { fulfilments } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const destination = (f: (typeof fulfilments)[number]) => {
    const to = shipTo(f, f.order);
    return `${to.listRow ? `${tr(`礼品名单第 ${to.listRow} 行`, `Gift list row ${to.listRow}`)} · ` : ''}${to.name} ${to.mobile} · ${to.address}`;
  };
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{tr('订单发货', 'Orders to ship')}</h1>
      <UnplacedReply data={data} formIds={fulfilments.filter((f) => f.state === 'TO_SHIP').map((f) => rowFormId('ship', f.id))} />
      {fulfilments.length === 0 ? <p className={cardClass}>{tr('暂无订单。', 'No orders yet.')}</p> : null}
      <ul className="space-y-3">
        {fulfilments.map((f) => (
          <li key={f.id} className={`${cardClass} space-y-2`} data-testid="fulfilment">
            <p className="font-medium">{f.order.reference} · {tr(...FULFILMENT_STATE_LABEL[f.state])} · <Link to={`/seller/fulfilments/${f.id}/packing-list`} className="text-sm font-normal text-brand-700 underline">{tr('装箱单', 'Packing list')}</Link></p>
            <ul className="text-sm">{f.lines.map((l, i) => <li key={i}>{l.productNameZh} · {l.variantNameZh} × {l.quantity}</li>)}</ul>
            <p className="text-sm text-gray-600" data-testid="ship-to">{destination(f)}{f.order.note ? ` · ${tr('备注', 'Note')}：${f.order.note}` : ''}</p>
            {f.state === 'TO_SHIP' ? (
              <ShipForm fulfilmentId={f.id} data={data} submitting={navigation.state === 'submitting'} />
            ) : f.trackingNo ? <p className="text-sm">{f.carrier} {f.trackingNo}</p> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Carrier and tracking number for one parcel; a refusal shows at this parcel's fields, with what was typed. */
function ShipForm({ fulfilmentId, data, submitting }: { fulfilmentId: number; data: RowReply | undefined; submitting: boolean }) {
  const tr = useTr();
  const [form, fields] = useRowForm(shipSchema, rowFormId('ship', fulfilmentId), data, { fulfilmentId });
  return (
    <RowForm form={form} hidden={[fields.fulfilmentId]} className="grid gap-2 sm:grid-cols-3 sm:items-start" errorsClassName="sm:col-span-3">
      <Field meta={fields.carrier} label={tr('快递公司', 'Carrier')} placeholder={tr('如 顺丰速运', 'e.g. SF Express')} />
      <Field meta={fields.trackingNo} label={tr('运单号', 'Tracking number')} />
      <button type="submit" disabled={submitting} className={`${buttonClass} sm:mt-6`}>{tr('确认发货', 'Mark shipped')}</button>
    </RowForm>
  );
}
