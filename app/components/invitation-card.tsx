// The page behind an invitation link (seller staff, organisation members): who invites, the link's state,
// and accept / log in / sign up. The route supplies the texts and handles the accept action.
import { Form, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { buttonClass, cardClass, Notice, secondaryButtonClass } from '~/components/status';
import { useTr } from '~/modules/i18n/i18n';

export type InvitationCardProps = {
  state: 'open' | 'used' | 'expired' | 'revoked';
  forYou: boolean | null;
  signedIn: boolean;
  email: string | null;
  here: string;
  error?: string;
  title: [zh: string, en: string];
  invites: [zh: string, en: string];
  /** who to ask for a new link when this one expired, e.g. 商家管理员 */
  adminZh: string;
};

export function InvitationCard({ state, forYou, signedIn, email, here, error, title, invites, adminZh }: InvitationCardProps) {
  const navigation = useNavigation();
  const tr = useTr();
  const back = encodeURIComponent(here);
  return (
    <section className={`mx-auto max-w-sm space-y-4 ${cardClass}`}>
      <h1 className="text-xl font-bold">{tr(...title)}</h1>
      <p>{tr(...invites)}</p>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {state === 'used' ? <Notice tone="error">{tr('此邀请已被使用。', 'This invitation has already been used.')}</Notice> : null}
      {state === 'expired' ? <Notice tone="error">{tr(`此邀请已过期，请联系${adminZh}重新邀请。`, 'This invitation has expired; ask for a new one.')}</Notice> : null}
      {state === 'revoked' ? <Notice tone="error">{tr('此邀请已被撤销。', 'This invitation was withdrawn.')}</Notice> : null}
      {state === 'open' ? (
        signedIn ? (
          <>
            {forYou === false ? (
              <Notice tone="error">{tr(`您当前登录的是 ${email}，此邀请发给了另一个邮箱。请退出后用受邀邮箱登录或注册。`, `You are logged in as ${email}, but the invitation is for another email. Log out and use that one.`)}</Notice>
            ) : null}
            <Form method="post">
              <button type="submit" disabled={navigation.state === 'submitting' || forYou === false} className={`${buttonClass} w-full`}>{tr('接受邀请', 'Accept')}</button>
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

/**
 * The invitations an admin has sent and nobody has used yet, each with a withdraw button (a POST with
 * `_action=revoke` and the invitation id, handled by the page's action). `detail` adds e.g. the role.
 */
export function OpenInvitations<I extends { id: number; email: string; expiresAt: string }>({ invitations, detail }: { invitations: I[]; detail?: (invitation: I) => string }) {
  const tr = useTr();
  if (invitations.length === 0) return null;
  return (
    <section className={cardClass} aria-labelledby="open-invitations">
      <h2 id="open-invitations" className="mb-2 font-semibold">{tr('未使用的邀请', 'Open invitations')}</h2>
      <ul className="divide-y divide-gray-100 text-sm">
        {invitations.map((i) => (
          <li key={i.id} className="flex items-center justify-between py-2">
            <span>{i.email}{detail ? ` · ${detail(i)}` : ''} · {tr('有效期至', 'until')} {i.expiresAt.slice(0, 10)}</span>
            <Form method="post">
              <input type="hidden" name="_action" value="revoke" />
              <input type="hidden" name="id" value={i.id} />
              <button type="submit" className="text-red-700 underline">{tr('撤销', 'Withdraw')}</button>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
