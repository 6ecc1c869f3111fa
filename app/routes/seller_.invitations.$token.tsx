// The link in a staff invitation. Anyone holding it sees which seller invites; accepting needs an
// account with the invited email (log in, or sign up and come back here).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { InvitationCard } from '~/components/invitation-card';
import { getUser, requireUser } from '~/modules/accounts/session.server';
import { notFound } from '~/modules/http/http.server';
import { acceptInvitation, invitationByToken } from '~/modules/sellers/staff.server';

export const meta: MetaFunction = () => [{ title: '商家员工邀请 · 山海集' }, { name: 'robots', content: 'noindex' }, { name: 'referrer', content: 'no-referrer' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await invitationByToken(params.token ?? '');
  if (!invitation) notFound('邀请链接无效 / This invitation link is not valid');
  const user = await getUser(request);
  const here = new URL(request.url).pathname;
  return json({ invitation: { state: invitation.state, sellerName: invitation.sellerName, forYou: user ? user.email === invitation.email : null }, signedIn: Boolean(user), email: user?.email ?? null, here });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const r = await acceptInvitation(user, params.token ?? '');
  if (!r.ok) return json({ message: r.message }, { status: 400 });
  return redirect('/seller?joined=1');
}

export default function Invitation() {
  const { invitation, signedIn, email, here } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <InvitationCard
      state={invitation.state} forYou={invitation.forYou} signedIn={signedIn} email={email} here={here} error={data?.message}
      title={['商家员工邀请', 'Staff invitation']}
      invites={[`「${invitation.sellerName}」邀请您成为商家员工。`, `${invitation.sellerName} invites you to join as staff.`]}
      adminZh="商家管理员"
    />
  );
}
