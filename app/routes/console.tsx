import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData, useSearchParams } from '@remix-run/react';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { useTr } from '~/modules/i18n/i18n';

export const meta: MetaFunction = () => [{ title: '协作办后台 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireConsoleScope(request);
  return json({
    isAdmin: scope.isAdmin,
    pairingCount: scope.pairings.length,
    can: { import: scope.can('create:import'), audit: scope.can('read:audit') },
  });
}

export default function ConsoleLayout() {
  const { can } = useLoaderData<typeof loader>();
  const tr = useTr();
  const [params] = useSearchParams();
  const pairing = params.get('pairing');
  const keep = pairing ? `?pairing=${encodeURIComponent(pairing)}` : '';
  const tab = ({ isActive }: { isActive: boolean }) =>
    `whitespace-nowrap rounded px-3 py-1.5 ${isActive ? 'bg-brand-600 text-white' : 'text-gray-700 hover:bg-brand-50'}`;
  return (
    <div className="space-y-4">
      <nav aria-label={tr('后台导航', 'Console')} className="-mx-4 overflow-x-auto px-4">
        <div className="flex gap-1 text-sm">
          <NavLink end to={`/console${keep}`} className={tab}>{tr('总览', 'Overview')}</NavLink>
          <NavLink to={`/console/entries${keep}`} className={tab}>{tr('明细', 'Entries')}</NavLink>
          {can.import ? <NavLink to="/console/imports" className={tab}>{tr('线下导入', 'Offline imports')}</NavLink> : null}
          {can.audit ? <NavLink to="/console/audit" className={tab}>{tr('审计日志', 'Audit log')}</NavLink> : null}
          <NavLink to="/console/reconciliation" className={tab}>{tr('对账', 'Reconciliation')}</NavLink>
        </div>
      </nav>
      <Outlet />
    </div>
  );
}
