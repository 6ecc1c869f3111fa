import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { requirePermission } from '~/modules/accounts/session.server';
import { pick, useLocale, useT } from '~/modules/i18n/i18n';

export const meta: MetaFunction = () => [{ title: '我的账户 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'read:account:own');
  const { permissions, sessionId: _s, ...rest } = user;
  return json({ user: rest, permissions: permissions.map((p) => `${p.action}:${p.entity}:${p.access}`).sort() });
}

export default function Account() {
  const { user, permissions } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-bold">{t('account.title')}</h1>
      <div className="rounded-lg bg-white p-4 shadow-sm">
        <p className="font-medium" data-testid="account-name">{user.name}</p>
        <p className="text-sm text-gray-500">{user.email}</p>
      </div>
      <dl className="grid gap-4 rounded-lg bg-white p-4 text-sm shadow-sm sm:grid-cols-2">
        <div>
          <dt className="font-semibold">{t('account.roles')}</dt>
          <dd data-testid="roles">{user.roles.map((r) => (locale === 'en' ? r.name : r.nameZh)).join('、')}</dd>
        </div>
        {user.memberships.length ? (
          <div>
            <dt className="font-semibold">{t('account.organisations')}</dt>
            <dd>{user.memberships.map((m) => `${m.organisation.name} (${m.role})`).join('、')}</dd>
          </div>
        ) : null}
        {user.sellerStaff.length ? (
          <div>
            <dt className="font-semibold">{t('account.sellers')}</dt>
            <dd>{user.sellerStaff.map((s) => s.seller.name).join('、')}</dd>
          </div>
        ) : null}
        {user.officialScopes.length ? (
          <div>
            <dt className="font-semibold">{t('account.scopes')}</dt>
            <dd data-testid="scopes">{user.officialScopes.map((s) => `${pick(locale, s.pairing.nameZh, s.pairing.nameEn)} (${s.side})`).join('、')}</dd>
          </div>
        ) : null}
        <div className="sm:col-span-2">
          <dt className="font-semibold">{t('account.permissions')}</dt>
          <dd><ul className="mt-1 flex flex-wrap gap-1" data-testid="permissions">{permissions.map((p) => <li key={p} className="rounded bg-gray-100 px-1.5 py-0.5 font-mono text-xs">{p}</li>)}</ul></dd>
        </div>
      </dl>
    </section>
  );
}
