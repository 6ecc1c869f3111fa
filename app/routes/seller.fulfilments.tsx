import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
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
  const s = parseWithZod(await readFormData(request), { schema: shipSchema });
  if (s.status !== 'success') return json({ id: null as number | null, result: s.reply() }, { status: 400 });
  try {
    await markShipped(user, s.value.fulfilmentId, s.value.carrier, s.value.trackingNo);
  } catch (error) {
    if (error instanceof OrderError) return json({ id: s.value.fulfilmentId as number | null, result: s.reply({ formErrors: [error.message] }) }, { status: error.status });
    throw error;
  }
  return redirect('/seller/fulfilments');
}

export default function FulfilmentsPage() {
  const { fulfilments } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const errors = data?.result.error ? Object.values(data.result.error).flat() : [];
  const destination = (f: (typeof fulfilments)[number]) => {
    const to = shipTo(f, f.order);
    return `${to.listRow ? `${tr(`礼品名单第 ${to.listRow} 行`, `Gift list row ${to.listRow}`)} · ` : ''}${to.name} ${to.mobile} · ${to.address}`;
  };
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{tr('订单发货', 'Orders to ship')}</h1>
      {errors.length ? <Notice tone="error">{errors.join('；')}</Notice> : null}
      {fulfilments.length === 0 ? <p className={cardClass}>{tr('暂无订单。', 'No orders yet.')}</p> : null}
      <ul className="space-y-3">
        {fulfilments.map((f) => (
          <li key={f.id} className={`${cardClass} space-y-2`} data-testid="fulfilment">
            <p className="font-medium">{f.order.reference} · {tr(...FULFILMENT_STATE_LABEL[f.state])} · <Link to={`/seller/fulfilments/${f.id}/packing-list`} className="text-sm font-normal text-brand-700 underline">{tr('装箱单', 'Packing list')}</Link></p>
            <ul className="text-sm">{f.lines.map((l, i) => <li key={i}>{l.productNameZh} · {l.variantNameZh} × {l.quantity}</li>)}</ul>
            <p className="text-sm text-gray-600" data-testid="ship-to">{destination(f)}{f.order.note ? ` · ${tr('备注', 'Note')}：${f.order.note}` : ''}</p>
            {f.state === 'TO_SHIP' ? (
              <Form method="post" className="grid gap-2 sm:grid-cols-3">
                <input type="hidden" name="fulfilmentId" value={f.id} />
                <input name="carrier" required minLength={2} maxLength={30} placeholder={tr('快递公司，如 顺丰速运', 'Carrier, e.g. SF Express')} aria-label={tr('快递公司', 'Carrier')} className="rounded border border-gray-300 px-3 py-2" />
                <input name="trackingNo" required pattern="[A-Za-z0-9-]{6,40}" placeholder={tr('运单号', 'Tracking number')} aria-label={tr('运单号', 'Tracking number')} className="rounded border border-gray-300 px-3 py-2" />
                <button type="submit" disabled={navigation.state === 'submitting'} className={buttonClass}>{tr('确认发货', 'Mark shipped')}</button>
              </Form>
            ) : f.trackingNo ? <p className="text-sm">{f.carrier} {f.trackingNo}</p> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
