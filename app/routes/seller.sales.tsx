// Seller centre: the seller's own paid sales by month (attribution ledger, refunds netted) and its share
// of each pairing's total for the year.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { z } from 'zod';
import { cardClass } from '~/components/status';
import { badRequest, parseQuery } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { sellerSales } from '~/modules/sales/sales.server';
import { requireSellerStaff } from '~/modules/sellers/access.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const { seller } = await requireSellerStaff(request, 'read:seller:own');
  const q = parseQuery(new URL(request.url), { year: z.coerce.number().int().min(2020).max(2100).optional() });
  if (!q.ok) badRequest(q.message);
  const year = q.data.year ?? Number(new Date().toLocaleString('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }));
  return json({ report: await sellerSales(seller.id, year) }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export default function SellerSales() {
  const { report } = useLoaderData<typeof loader>();
  const tr = useTr();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{tr(`${report.year} 年销售`, `Sales in ${report.year}`)}</h1>
      <nav className="flex gap-3 text-sm">
        <Link to={`/seller/sales?year=${report.year - 1}`} className="underline">← {report.year - 1}</Link>
        <Link to={`/seller/sales?year=${report.year + 1}`} className="underline">{report.year + 1} →</Link>
      </nav>
      <p className={cardClass}>{tr('全年已付款金额（扣除退款）', 'Paid this year (net of refunds)')}：<strong data-testid="sales-total">{formatFen(report.totalFen)}</strong></p>
      <table className="w-full text-sm" data-testid="sales-by-month">
        <thead><tr className="text-left text-gray-500"><th>{tr('月份', 'Month')}</th><th className="text-right">{tr('数量', 'Qty')}</th><th className="text-right">{tr('金额', 'Amount')}</th></tr></thead>
        <tbody>{report.byMonth.map((m) => <tr key={m.month} className="border-t"><td>{m.month}{tr('月', '')}</td><td className="text-right">{m.quantity}</td><td className="text-right">{formatFen(m.amountFen)}</td></tr>)}</tbody>
      </table>
      <section className={`${cardClass} space-y-2`}>
        <h2 className="font-semibold">{tr('对结对帮扶总额的贡献', 'Contribution to the pairing’s total')}</h2>
        {report.pairings.length === 0 ? <p className="text-sm text-gray-500">{tr('本年暂无计入结对的销售。', 'No sales counted to a pairing this year.')}</p> : null}
        <ul className="text-sm">{report.pairings.map((p) => <li key={p.pairingId} data-testid="pairing-share">{p.name}：{formatFen(p.sellerFen)} / {formatFen(p.totalFen)}（{p.sharePercent}%）</li>)}</ul>
      </section>
    </div>
  );
}
