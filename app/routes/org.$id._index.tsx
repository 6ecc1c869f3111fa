// Organisation overview: place, 统一社会信用代码, invoice details and approval settings (admins edit them),
// and the member's own allowance balance.
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field, FormErrors } from '~/components/field';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { fenToYuanInput, formatFen } from '~/modules/money/money';
import { memberAllowances } from '~/modules/organisations/allowances.server';
import { organisationDetails, requireOrgMember, setApprovalThreshold, updateOrganisation } from '~/modules/organisations/organisations.server';
import { approvalSchema, organisationSchema } from '~/modules/organisations/schemas';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, access, organisationId } = await requireOrgMember(request, params.id);
  const [org, allowances] = await Promise.all([organisationDetails(organisationId), access.isMember ? memberAllowances(user.id, organisationId) : null]);
  return json({ org: { ...org, createdAt: undefined }, access, allowances });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, organisationId } = await requireOrgMember(request, params.id, { admin: true });
  const formData = await readFormData(request);
  const intent = formData.get('_action');
  if (intent === 'details') {
    const submission = parseWithZod(formData, { schema: organisationSchema });
    if (submission.status !== 'success') return json({ intent, result: submission.reply(), saved: false }, { status: 400 });
    const r = await updateOrganisation(user, organisationId, submission.value, request);
    if (!r.ok) return json({ intent, result: submission.reply({ fieldErrors: { [r.field]: [r.message] } }), saved: false }, { status: 400 });
    return json({ intent, result: submission.reply(), saved: true });
  }
  if (intent === 'approval') {
    const submission = parseWithZod(formData, { schema: approvalSchema });
    if (submission.status !== 'success') return json({ intent, result: submission.reply(), saved: false }, { status: 400 });
    await setApprovalThreshold(user, organisationId, submission.value, request);
    return json({ intent, result: submission.reply(), saved: true });
  }
  badRequest('未知操作 / Unknown action');
}

export default function OrganisationOverview() {
  const { org, access, allowances } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const busy = navigation.state === 'submitting';
  const [form, fields] = useForm({
    id: 'details',
    lastResult: data?.intent === 'details' ? data.result : undefined,
    defaultValue: {
      name: org.name, placeCode: org.placeCode, creditCode: org.creditCode ?? '', invoiceTitle: org.invoiceTitle, taxNumber: org.taxNumber,
      invoiceAddress: org.invoiceAddress, invoicePhone: org.invoicePhone, invoiceBank: org.invoiceBank, invoiceBankAccount: org.invoiceBankAccount,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: organisationSchema }),
    ...fieldChecks,
  });
  const [approvalForm, approvalFields] = useForm({
    id: 'approval',
    lastResult: data?.intent === 'approval' ? data.result : undefined,
    defaultValue: { threshold: org.approvalThresholdFen === null ? '' : fenToYuanInput(org.approvalThresholdFen) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: approvalSchema }),
    ...fieldChecks,
  });
  const dash = (v: string | null) => (v ? v : '—');
  return (
    <div className="space-y-4">
      {allowances && allowances.grants.length ? (
        <section className={cardClass} aria-labelledby="my-allowance">
          <h2 id="my-allowance" className="font-semibold">{tr('我的福利额度', 'My allowance')}</h2>
          <p className="text-2xl font-bold text-brand-700" data-testid="allowance-balance">{formatFen(allowances.usableFen)}</p>
          <ul className="mt-2 divide-y divide-gray-100 text-sm">
            {allowances.grants.map((g) => (
              <li key={g.id} className="py-1.5">
                {formatFen(g.balanceFen)} / {formatFen(g.amountFen)} · {tr('有效期至', 'valid until')} {g.validUntil}
                {g.usable ? '' : ` · ${tr('已失效', 'no longer usable')}`}{g.note ? ` · ${g.note}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className={cardClass} aria-labelledby="org-details">
        <h2 id="org-details" className="mb-2 font-semibold">{tr('单位信息', 'Details')}</h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-2" data-testid="org-details">
          <div><dt className="text-gray-500">{tr('所在地', 'Place')}</dt><dd>{org.placeName}（{org.placeCode}）</dd></div>
          <div><dt className="text-gray-500">{tr('统一社会信用代码', 'Unified social credit code')}</dt><dd className="font-mono">{dash(org.creditCode)}</dd></div>
          <div><dt className="text-gray-500">{tr('发票抬头', 'Invoice title')}</dt><dd>{dash(org.invoiceTitle)}</dd></div>
          <div><dt className="text-gray-500">{tr('税号', 'Tax number')}</dt><dd className="font-mono">{dash(org.taxNumber)}</dd></div>
          <div><dt className="text-gray-500">{tr('地址、电话', 'Address, phone')}</dt><dd>{dash([org.invoiceAddress, org.invoicePhone].filter(Boolean).join(' '))}</dd></div>
          <div><dt className="text-gray-500">{tr('开户行及账号', 'Bank and account')}</dt><dd>{dash([org.invoiceBank, org.invoiceBankAccount].filter(Boolean).join(' '))}</dd></div>
          <div><dt className="text-gray-500">{tr('订单审批', 'Order approval')}</dt><dd>{org.approvalThresholdFen === null ? tr('不需要审批', 'no approval needed') : tr(`超过 ${formatFen(org.approvalThresholdFen)} 的订单需审批`, `orders above ${formatFen(org.approvalThresholdFen)} wait for approval`)}</dd></div>
        </dl>
      </section>
      {access.isAdmin ? (
        <>
          <section className={`${cardClass} space-y-3`} aria-labelledby="edit-details">
            <h2 id="edit-details" className="font-semibold">{tr('修改单位信息', 'Edit details')}</h2>
            {data?.intent === 'details' && data.saved ? <Notice>{tr('已保存', 'Saved')}</Notice> : null}
            <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-2">
              <input type="hidden" name="_action" value="details" />
              <FormErrors id={form.errorId} errors={form.errors} />
              <Field meta={fields.name} label={tr('单位名称', 'Name')} />
              <Field meta={fields.placeCode} label={tr('所在地代码', 'Place code')} inputMode="numeric" hint={tr('行政区划代码，6位或9位', 'GB/T 2260 code, 6 or 9 digits')} />
              <Field meta={fields.creditCode} label={tr('统一社会信用代码', 'Unified social credit code')} hint={tr('18位，含校验位', '18 characters with the check character')} />
              <Field meta={fields.invoiceTitle} label={tr('发票抬头', 'Invoice title')} />
              <Field meta={fields.taxNumber} label={tr('税号', 'Tax number')} />
              <Field meta={fields.invoiceAddress} label={tr('注册地址', 'Registered address')} />
              <Field meta={fields.invoicePhone} label={tr('电话', 'Phone')} type="tel" />
              <Field meta={fields.invoiceBank} label={tr('开户银行', 'Bank')} />
              <Field meta={fields.invoiceBankAccount} label={tr('银行账号', 'Bank account')} inputMode="numeric" />
              <button type="submit" disabled={busy} className={`${buttonClass} sm:col-span-2`}>{tr('保存', 'Save')}</button>
            </Form>
          </section>
          <section className={`${cardClass} space-y-3`} aria-labelledby="approval-settings">
            <h2 id="approval-settings" className="font-semibold">{tr('订单审批设置', 'Approval settings')}</h2>
            <p className="text-sm text-gray-600">{tr('单位订单金额超过此数时，须由审批人（管理员或被指定的审批人）批准后才能付款。留空表示不需要审批。', 'Organisation orders above this amount wait for an approver (an admin or a member made approver on the members page). Leave empty for no approval.')}</p>
            {data?.intent === 'approval' && data.saved ? <Notice>{tr('已保存', 'Saved')}</Notice> : null}
            <Form method="post" {...getFormProps(approvalForm)} className="space-y-3">
              <input type="hidden" name="_action" value="approval" />
              <Field meta={approvalFields.threshold} label={tr('审批金额（元）', 'Threshold (元)')} inputMode="decimal" />
              <button type="submit" disabled={busy} className={buttonClass}>{tr('保存', 'Save')}</button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}
