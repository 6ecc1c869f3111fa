// A printable packing list for one of the seller's own fulfilments (no portal frame; print CSS hides the buttons).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { requirePermission } from '~/modules/accounts/session.server';
import { useTr } from '~/modules/i18n/i18n';
import { FULFILMENT_STATE_LABEL, shipTo } from '~/modules/orders/state';
import { packingList } from '~/modules/sales/sales.server';
import { idParam } from '~/modules/sellers/access.server';

export const meta: MetaFunction = () => [{ title: '装箱单 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'read:fulfilment:own');
  const id = idParam(params.id);
  const f = await packingList(user, id);
  return json({ f }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export default function PackingList() {
  const { f } = useLoaderData<typeof loader>();
  const tr = useTr();
  const to = shipTo(f, f.order);
  return (
    <div className="mx-auto max-w-2xl space-y-4 bg-white p-4 text-black print:max-w-none print:p-0">
      <style>{'@media print { header, footer, nav { display: none !important; } @page { margin: 12mm; } }'}</style>
      <p className="flex gap-3 text-sm print:hidden">
        <Link to="/seller/fulfilments" className="text-brand-700 underline">← {tr('订单发货', 'Orders to ship')}</Link>
        <button type="button" onClick={() => window.print()} className="underline">{tr('打印', 'Print')}</button>
      </p>
      <h1 className="text-2xl font-bold">{tr('装箱单', 'Packing list')} · <span data-testid="packing-reference">{f.order.reference}</span></h1>
      <p className="text-sm">{f.seller.name} · {tr(...FULFILMENT_STATE_LABEL[f.state])}{f.trackingNo ? ` · ${f.carrier} ${f.trackingNo}` : ''}</p>
      <section className="border p-3 text-sm">
        {to.listRow ? <p>{tr(`礼品分发 · 名单第 ${to.listRow} 行`, `Gift distribution · list row ${to.listRow}`)}</p> : null}
        <p data-testid="packing-recipient">{tr('收货人', 'Recipient')}：{to.name} {to.mobile}</p>
        <p>{tr('地址', 'Address')}：{to.address}</p>
        {f.order.note ? <p>{tr('买家备注', 'Buyer note')}：{f.order.note}</p> : null}
      </section>
      <table className="w-full border-collapse text-sm" data-testid="packing-lines">
        <thead><tr className="border-b text-left"><th className="py-1">SKU</th><th>{tr('商品', 'Item')}</th><th>{tr('规格', 'Variant')}</th><th className="text-right">{tr('数量', 'Qty')}</th><th className="w-16 text-center">{tr('已核', 'Checked')}</th></tr></thead>
        <tbody>
          {f.lines.map((l) => (
            <tr key={l.id} className="border-b">
              <td className="py-1 font-mono">{l.sku}</td><td>{l.productNameZh}</td><td>{l.variantNameZh}</td>
              <td className="text-right">{l.quantity - l.refundedQuantity}{l.refundedQuantity ? ` (${tr('已退', 'refunded')} ${l.refundedQuantity})` : ''}</td>
              <td className="text-center">☐</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="pt-8 text-sm">{tr('拣货人签字', 'Packed by')}：＿＿＿＿＿＿　{tr('日期', 'Date')}：＿＿＿＿＿＿</p>
    </div>
  );
}
