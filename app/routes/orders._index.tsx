import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { cardClass } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { listOrders } from '~/modules/orders/orders.server';
import { ORDER_STATE_LABEL } from '~/modules/orders/state';

export const meta: MetaFunction = () => [{ title: '我的订单 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'read:order:own');
  return json({ orders: await listOrders(user.id) }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export default function OrdersPage() {
  const { orders } = useLoaderData<typeof loader>();
  const tr = useTr();
  return (
    <div className="mx-auto max-w-3xl space-y-4 p-4">
      <h1 className="text-2xl font-bold">{tr('我的订单', 'My orders')}</h1>
      {orders.length === 0 ? <p className={cardClass}>{tr('还没有订单。', 'No orders yet.')}</p> : (
        <ul className="space-y-2">
          {orders.map((o) => (
            <li key={o.id} className={cardClass}>
              <Link to={`/orders/${o.id}`} className="flex justify-between gap-2">
                <span>
                  <span className="font-medium">{o.reference}</span>
                  <span className="block text-xs text-gray-500">{o.createdAt.slice(0, 16).replace('T', ' ')} · {o._count.lines} {tr('种商品', 'items')} · {o.flow === 'PROCUREMENT' ? tr('单位采购', 'Organisation') : tr('个人', 'Personal')}</span>
                </span>
                <span className="text-right">
                  <span className="block font-semibold">{formatFen(o.totalFen)}</span>
                  <span className="text-xs" data-testid="order-state">{tr(...ORDER_STATE_LABEL[o.state])}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
