// The seller portal's frame: the seller's name and a tab bar that fits a phone. Every child route
// checks its own permissions (loaders run in parallel).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { requireUser } from '~/modules/accounts/session.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { currentSeller } from '~/modules/sellers/access.server';

export const meta: MetaFunction = () => [{ title: '商家中心 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const seller = await currentSeller(user);
  return json({ seller: seller ? { name: seller.name, nameEn: seller.nameEn, isAdmin: seller.isAdmin, verified: seller.verificationStatus === 'VERIFIED' } : null });
}

export default function SellerLayout() {
  const { seller } = useLoaderData<typeof loader>();
  const tr = useTr();
  const locale = useLocale();
  const tab = ({ isActive }: { isActive: boolean }) => `shrink-0 rounded-full px-3 py-1.5 text-sm ${isActive ? 'bg-brand-600 text-white' : 'bg-white text-gray-700 border border-gray-200'}`;
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <header className="space-y-2">
        <p className="text-xs text-gray-500">{tr('商家中心', 'Seller centre')}</p>
        <p className="text-lg font-semibold" data-testid="seller-name">{seller ? pick(locale, seller.name, seller.nameEn) : tr('申请入驻', 'Become a seller')}</p>
        {seller?.verified ? (
          <nav aria-label={tr('商家导航', 'Seller navigation')} className="-mx-4 flex gap-2 overflow-x-auto px-4 pb-1">
            <NavLink to="/seller" end className={tab}>{tr('概览', 'Overview')}</NavLink>
            <NavLink to="/seller/products/new" className={tab}>{tr('发布商品', 'New listing')}</NavLink>
            <NavLink to="/seller/fulfilments" className={tab}>{tr('订单发货', 'Orders')}</NavLink>
            {seller.isAdmin ? <NavLink to="/seller/staff" className={tab}>{tr('员工', 'Staff')}</NavLink> : null}
          </nav>
        ) : null}
      </header>
      <Outlet />
    </div>
  );
}
