import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { listSessions, requirePermission, revokeSessions } from '~/modules/accounts/session.server';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { pick, useLocale, useT, useTr } from '~/modules/i18n/i18n';

export const meta: MetaFunction = () => [{ title: '我的账户 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'read:account:own');
  const { permissions, sessionId, ...rest } = user;
  const sessions = await listSessions(user.id, sessionId);
  return json({ user: rest, permissions: permissions.map((p) => `${p.action}:${p.entity}:${p.access}`).sort(), sessions });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'update:account:own');
  const form = await readFormData(request);
  const intent = form.get('intent');
  if (intent === 'revoke-others') return json({ revoked: await revokeSessions(user.id, user.sessionId, 'others') });
  const key = form.get('key');
  if (intent === 'revoke' && typeof key === 'string' && /^[A-Za-z0-9_-]{8}$/.test(key)) {
    return json({ revoked: await revokeSessions(user.id, user.sessionId, { key }) });
  }
  badRequest('intent must be revoke (with a session key) or revoke-others');
}

export default function Account() {
  const { user, permissions, sessions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const tr = useTr();
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
      <section aria-labelledby="sessions-title" className="rounded-lg bg-white p-4 text-sm shadow-sm">
        <h2 id="sessions-title" className="font-semibold">{tr('登录设备', 'Signed-in devices')}</h2>
        {result ? <p role="status" className="mt-2 text-brand-700">{tr(`已退出 ${result.revoked} 个会话`, `Signed out ${result.revoked} session(s)`)}</p> : null}
        <ul className="mt-2 divide-y" data-testid="sessions">
          {sessions.map((s) => (
            <li key={s.key} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                {s.userAgent.slice(0, 60) || tr('未知设备', 'Unknown device')} · {s.createdAt.slice(0, 16).replace('T', ' ')}
                {s.current ? <strong className="ml-2 text-brand-700">{tr('当前', 'this device')}</strong> : null}
              </span>
              {!s.current ? (
                <Form method="post">
                  <input type="hidden" name="key" value={s.key} />
                  <button name="intent" value="revoke" className="rounded border px-2 py-1">{tr('退出', 'Sign out')}</button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        <Form method="post" className="mt-3">
          <button name="intent" value="revoke-others" className="rounded bg-gray-800 px-3 py-1.5 text-white">{tr('退出其他所有设备', 'Sign out all other devices')}</button>
        </Form>
      </section>
    </section>
  );
}
