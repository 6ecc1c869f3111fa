import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field, FormErrors } from '~/components/field';
import { OpenInvitations } from '~/components/invitation-card';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { INVITATION_DAYS } from '~/modules/sellers/limits';
import { mailer } from '~/modules/mail/mailer.server';
import { absoluteUrl } from '~/modules/seo/seo';
import { idParam, requireSellerStaff } from '~/modules/sellers/access.server';
import { inviteSchema } from '~/modules/sellers/schemas';
import { inviteStaff, openInvitations, revokeInvitation, sellerStaffList } from '~/modules/sellers/staff.server';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request }: LoaderFunctionArgs) {
  const { seller } = await requireSellerStaff(request, 'update:seller:own', { admin: true });
  const [staff, invitations] = await Promise.all([sellerStaffList(seller.id), openInvitations(seller.id)]);
  return json({ staff, invitations });
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, seller } = await requireSellerStaff(request, 'update:seller:own', { admin: true });
  const formData = await readFormData(request);
  const intent = formData.get('_action');
  if (intent === 'revoke') {
    await revokeInvitation(user, seller.id, idParam(String(formData.get('id') ?? ''), 'id'));
    return json({ result: null, link: null, revoked: true });
  }
  if (intent !== 'invite') badRequest('未知操作 / Unknown action');
  const submission = parseWithZod(formData, { schema: inviteSchema });
  if (submission.status !== 'success') return json({ result: submission.reply(), link: null, revoked: false }, { status: 400 });
  const r = await inviteStaff(user, seller.id, submission.value.email, { baseUrl: absoluteUrl(request, '/'), mailer: mailer() });
  if (!r.ok) return json({ result: submission.reply({ fieldErrors: { email: [r.message] } }), link: null, revoked: false }, { status: 400 });
  // There is no mail service here: the link is shown once, right after it is made (only its hash is kept).
  return json({ result: submission.reply({ resetForm: true }), link: r.link, revoked: false });
}

export default function StaffPage() {
  const { staff, invitations } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const [form, fields] = useForm({ id: 'invite', lastResult: data?.result, onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }), ...fieldChecks });
  return (
    <div className="space-y-4">
      <section className={`${cardClass} space-y-3`}>
        <h1 className="text-xl font-bold">{tr('邀请员工', 'Invite staff')}</h1>
        {data?.link ? (
          <Notice>
            {tr(`邀请链接（${INVITATION_DAYS} 天内有效，只能使用一次），请发给对方：`, `Invitation link (valid ${INVITATION_DAYS} days, works once); send it to them:`)}
            <br />
            <a href={data.link} className="break-all font-mono text-xs underline" data-testid="invite-link">{data.link}</a>
          </Notice>
        ) : null}
        {data?.revoked ? <Notice>{tr('邀请已撤销', 'Invitation withdrawn')}</Notice> : null}
        <Form method="post" {...getFormProps(form)} className="space-y-3">
          <input type="hidden" name="_action" value="invite" />
          <FormErrors id={form.errorId} errors={form.errors} />
          <Field meta={fields.email} label={tr('员工邮箱', 'Their email')} type="email" autoComplete="off" />
          <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('生成邀请链接', 'Make an invitation link')}</button>
        </Form>
      </section>
      <section className={cardClass} aria-labelledby="staff">
        <h2 id="staff" className="mb-2 font-semibold">{tr('员工', 'Staff')}</h2>
        <ul className="divide-y divide-gray-100 text-sm" data-testid="staff">
          {staff.map((s) => (
            <li key={s.user.id} className="py-2">{s.user.name} · {s.user.email}{s.isAdmin ? ` · ${tr('管理员', 'admin')}` : ''}</li>
          ))}
        </ul>
      </section>
      <OpenInvitations invitations={invitations} />
    </div>
  );
}
