// The link in an organisation invitation. Anyone holding it sees which organisation invites; accepting
// needs an account with the invited email (log in, or sign up and come back here).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { buttonClass, cardClass, Notice, secondaryButtonClass } from '~/components/status';
import { getUser, requireUser } from '~/modules/accounts/session.server';
import { notFound } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { acceptInvitation, invitationByToken } from '~/modules/organisations/organisations.server';

export const meta: MetaFunction = () => [{ title: '单位成员邀请 · 山海集' }, { name: 'robots', content: 'noindex' }, { name: 'referrer', content: 'no-referrer' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await invitationByToken(params.token ?? '');
  if (!invitation) notFound('邀请链接无效 / This invitation link is not valid');
  const user = await getUser(request);
  const here = new URL(request.url).pathname;
  return json({ invitation: { state: invitation.state, organisationName: invitation.organisationName, forYou: user ? user.email === invitation.email : null }, signedIn: Boolean(user), email: user?.email ?? null, here });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = await acceptInvitation(user, params.token ?? '');
  if (!r.ok) return json({ message: r.message }, { status: 400 });
  return redirect(`/org/${r.organisationId}`);
}

export default function OrganisationInvitation() {
  const { invitation, signedIn, email, here } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const back = encodeURIComponent(here);
  return (
    <section className={`mx-auto max-w-sm space-y-4 ${cardClass}`}>
      <h1 className="text-xl font-bold">{tr('单位成员邀请', 'Organisation invitation')}</h1>
      <p>{tr(`「${invitation.organisationName}」邀请您成为单位成员。`, `${invitation.organisationName} invites you to join as a member.`)}</p>
      {data?.message ? <Notice tone="error">{data.message}</Notice> : null}
      {invitation.state === 'used' ? <Notice tone="error">{tr('此邀请已被使用。', 'This invitation has already been used.')}</Notice> : null}
      {invitation.state === 'expired' ? <Notice tone="error">{tr('此邀请已过期，请联系单位管理员重新邀请。', 'This invitation has expired; ask for a new one.')}</Notice> : null}
      {invitation.state === 'revoked' ? <Notice tone="error">{tr('此邀请已被撤销。', 'This invitation was withdrawn.')}</Notice> : null}
      {invitation.state === 'open' ? (
        signedIn ? (
          <>
            {invitation.forYou === false ? (
              <Notice tone="error">{tr(`您当前登录的是 ${email}，此邀请发给了另一个邮箱。请退出后用受邀邮箱登录或注册。`, `You are logged in as ${email}, but the invitation is for another email. Log out and use that one.`)}</Notice>
            ) : null}
            <Form method="post">
              <button type="submit" disabled={navigation.state === 'submitting' || invitation.forYou === false} className={`${buttonClass} w-full`}>{tr('接受邀请', 'Accept')}</button>
            </Form>
          </>
        ) : (
          <div className="flex flex-col gap-2">
            <p className="text-sm text-gray-600">{tr('请用受邀邮箱登录；还没有账户就先注册。', 'Log in with the invited email, or sign up first.')}</p>
            <Link to={`/login?redirectTo=${back}`} className={buttonClass}>{tr('登录', 'Log in')}</Link>
            <Link to={`/signup?redirectTo=${back}`} className={secondaryButtonClass}>{tr('注册', 'Sign up')}</Link>
          </div>
        )
      ) : null}
    </section>
  );
}
