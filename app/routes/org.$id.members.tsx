// Organisation members (admins only): invite by email link, withdraw invitations, give or take back the
// buyer role and the approver flag, remove members.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field, FormErrors, SelectField } from '~/components/field';
import { OpenInvitations } from '~/components/invitation-card';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { mailer } from '~/modules/mail/mailer.server';
import { ROLE_LABELS } from '~/modules/organisations/labels';
import {
  INVITATION_DAYS, inviteMember, membersOf, openInvitations, orgIdParam, removeMember, requireOrgMember, revokeInvitation, setApprover, setMemberRole,
} from '~/modules/organisations/organisations.server';
import { inviteMemberSchema } from '~/modules/organisations/schemas';
import { absoluteUrl } from '~/modules/seo/seo';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisationId, user } = await requireOrgMember(request, params.id, { admin: true });
  const [members, invitations] = await Promise.all([membersOf(organisationId), openInvitations(organisationId)]);
  return json({ members, invitations, me: user.id });
}

type Reply = { intent: string; result?: SubmissionResult<string[]>; link?: string; message?: string; ok?: boolean };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, organisationId } = await requireOrgMember(request, params.id, { admin: true });
  const formData = await readFormData(request);
  const intent = String(formData.get('_action') ?? '');
  if (intent === 'invite') {
    const submission = parseWithZod(formData, { schema: inviteMemberSchema });
    if (submission.status !== 'success') return json<Reply>({ intent, result: submission.reply() }, { status: 400 });
    const r = await inviteMember(user, organisationId, submission.value, { baseUrl: absoluteUrl(request, '/'), mailer: mailer() });
    if (!r.ok) return json<Reply>({ intent, result: submission.reply({ fieldErrors: { email: [r.message] } }) }, { status: 400 });
    // There is no mail service here: the link is shown once, right after it is made (only its hash is kept).
    return json<Reply>({ intent, result: submission.reply({ resetForm: true }), link: r.link, ok: true });
  }
  const target = orgIdParam(String(formData.get('userId') ?? formData.get('id') ?? ''));
  if (intent === 'revoke') {
    const ok = await revokeInvitation(user, organisationId, target);
    return json<Reply>({ intent, ok, message: ok ? '邀请已撤销 / Invitation withdrawn' : '邀请已被使用或已撤销 / The invitation was used or withdrawn already' }, { status: ok ? 200 : 400 });
  }
  let r: { ok: true } | { ok: false; message: string };
  if (intent === 'buyer' || intent === 'member') r = await setMemberRole(user, organisationId, target, intent === 'buyer' ? 'BUYER' : 'MEMBER', request);
  else if (intent === 'approver' || intent === 'not-approver') r = await setApprover(user, organisationId, target, intent === 'approver', request);
  else if (intent === 'remove') r = await removeMember(user, organisationId, target, request);
  else badRequest('未知操作 / Unknown action');
  return json<Reply>({ intent, ok: r.ok, message: r.ok ? '已更新 / Updated' : r.message }, { status: r.ok ? 200 : 400 });
}

function MemberButton({ intent, userId, label, danger }: { intent: string; userId: number; label: string; danger?: boolean }) {
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="_action" value={intent} />
      <input type="hidden" name="userId" value={userId} />
      <button type="submit" className={`underline ${danger ? 'text-red-700' : 'text-brand-700'}`}>{label}</button>
    </Form>
  );
}

export default function Members() {
  const { members, invitations, me } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const [form, fields] = useForm({
    id: 'invite-member',
    lastResult: data?.intent === 'invite' ? data.result : undefined,
    defaultValue: { role: 'MEMBER' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteMemberSchema }),
    ...fieldChecks,
  });
  return (
    <div className="space-y-4">
      <section className={`${cardClass} space-y-3`} aria-labelledby="invite">
        <h2 id="invite" className="font-semibold">{tr('邀请成员', 'Invite a member')}</h2>
        {data?.link ? (
          <Notice>
            {tr(`邀请链接（${INVITATION_DAYS} 天内有效，只能使用一次），已发送邮件，也可直接转发：`, `Invitation link (valid ${INVITATION_DAYS} days, works once), sent by email; you can also forward it:`)}
            <br />
            <a href={data.link} className="break-all font-mono text-xs underline" data-testid="invite-link">{data.link}</a>
          </Notice>
        ) : null}
        {data?.message ? <Notice tone={data.ok ? 'ok' : 'error'}>{data.message}</Notice> : null}
        <Form method="post" {...getFormProps(form)} className="space-y-3">
          <input type="hidden" name="_action" value="invite" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <Field meta={fields.email} label={tr('成员邮箱', 'Their email')} type="email" autoComplete="off" />
          <SelectField meta={fields.role} label={tr('角色', 'Role')} options={[{ value: 'MEMBER', label: tr('成员', 'Member') }, { value: 'BUYER', label: tr('采购员（可为单位下单）', 'Buyer (orders for the organisation)') }]} />
          <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('发送邀请', 'Send invitation')}</button>
        </Form>
      </section>
      <section className={cardClass} aria-labelledby="members">
        <h2 id="members" className="mb-2 font-semibold">{tr(`成员（${members.length}）`, `Members (${members.length})`)}</h2>
        <ul className="divide-y divide-gray-100 text-sm" data-testid="members">
          {members.map((m) => (
            <li key={m.user.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                {m.user.name} · {m.user.email} · <strong>{tr(ROLE_LABELS[m.role][0], ROLE_LABELS[m.role][1])}</strong>
                {m.isApprover ? ` · ${tr('审批人', 'approver')}` : ''}
              </span>
              {m.role !== 'ADMIN' && m.user.id !== me ? (
                <span className="flex flex-wrap gap-3">
                  {m.role === 'BUYER' ? <MemberButton intent="member" userId={m.user.id} label={tr('取消采购员', 'Revoke buyer')} /> : <MemberButton intent="buyer" userId={m.user.id} label={tr('设为采购员', 'Make buyer')} />}
                  {m.isApprover ? <MemberButton intent="not-approver" userId={m.user.id} label={tr('取消审批人', 'Revoke approver')} /> : <MemberButton intent="approver" userId={m.user.id} label={tr('设为审批人', 'Make approver')} />}
                  <MemberButton intent="remove" userId={m.user.id} label={tr('移除', 'Remove')} danger />
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <OpenInvitations invitations={invitations} detail={(i) => tr(ROLE_LABELS[i.role][0], ROLE_LABELS[i.role][1])} />
    </div>
  );
}
