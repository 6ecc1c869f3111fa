// An organisation's pages: a header with its name and the tabs the user may open.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { useTr } from '~/modules/i18n/i18n';
import { KIND_LABELS, ROLE_LABELS } from '~/modules/organisations/labels';
import { organisationDetails, requireOrgMember } from '~/modules/organisations/organisations.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.org.name ?? '单位'} · 山海集` }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, organisationId } = await requireOrgMember(request, params.id);
  const org = await organisationDetails(organisationId);
  return json({ org: { id: org.id, name: org.name, kind: org.kind }, access });
}

const tab = ({ isActive }: { isActive: boolean }) => `rounded px-3 py-1.5 ${isActive ? 'bg-brand-600 text-white' : 'bg-white text-gray-700 hover:bg-gray-50'}`;

export default function OrganisationLayout() {
  const { org, access } = useLoaderData<typeof loader>();
  const tr = useTr();
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-bold" data-testid="org-name">{org.name}</h1>
        <p className="text-sm text-gray-600">
          {tr(KIND_LABELS[org.kind][0], KIND_LABELS[org.kind][1])}
          {access.role ? ` · ${tr(ROLE_LABELS[access.role][0], ROLE_LABELS[access.role][1])}` : ''}
        </p>
      </header>
      <nav className="flex flex-wrap gap-2 text-sm" aria-label={tr('单位页面', 'Organisation pages')}>
        <NavLink end to={`/org/${org.id}`} className={tab}>{tr('概况', 'Overview')}</NavLink>
        {access.isAdmin ? <NavLink to={`/org/${org.id}/members`} className={tab}>{tr('成员', 'Members')}</NavLink> : null}
        {org.kind === 'BUDGET_UNIT' || access.isAdmin ? <NavLink to={`/org/${org.id}/reserved`} className={tab}>{tr('预留份额', 'Reserved share')}</NavLink> : null}
        {access.canApprove ? <NavLink to={`/org/${org.id}/approvals`} className={tab}>{tr('订单审批', 'Approvals')}</NavLink> : null}
        {access.isAdmin && org.kind !== 'BUDGET_UNIT' ? <NavLink to={`/org/${org.id}/allowances`} className={tab}>{tr('福利额度', 'Allowances')}</NavLink> : null}
        {access.isAdmin || access.canBuy ? <NavLink to={`/org/${org.id}/gift-list`} className={tab}>{tr('礼品分发名单', 'Gift list')}</NavLink> : null}
      </nav>
      <Outlet />
    </div>
  );
}
