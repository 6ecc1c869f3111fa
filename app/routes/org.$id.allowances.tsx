// Union welfare allowances (admins): grant members an amount valid until a date, and the union report —
// granted, spent, returned after expiry, outstanding — in total and per member.
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field, FormErrors } from '~/components/field';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { allowanceReport, grantAllowances } from '~/modules/organisations/allowances.server';
import { membersOf, requireOrgMember } from '~/modules/organisations/organisations.server';
import { grantAllowanceSchema } from '~/modules/organisations/schemas';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { organisationId } = await requireOrgMember(request, params.id, { admin: true });
  const [members, report] = await Promise.all([membersOf(organisationId), allowanceReport(organisationId)]);
  return json({ members: members.map((m) => ({ id: m.user.id, name: m.user.name, email: m.user.email })), report });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, organisationId } = await requireOrgMember(request, params.id, { admin: true });
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: grantAllowanceSchema });
  if (submission.status !== 'success') return json({ result: submission.reply(), granted: null }, { status: 400 });
  const v = submission.value;
  const r = await grantAllowances(organisationId, v.memberIds, v.amount, v.validUntil, user, { note: v.note, request });
  if (!r.ok) return json({ result: submission.reply({ formErrors: [r.message] }), granted: null }, { status: 400 });
  return json({ result: submission.reply({ resetForm: true }), granted: { grants: r.grants, totalFen: r.totalFen } });
}

export default function Allowances() {
  const { members, report } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const [form, fields] = useForm({
    id: 'grant',
    lastResult: data?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: grantAllowanceSchema }),
    ...fieldChecks,
  });
  return (
    <div className="space-y-4">
      <section className={cardClass} aria-labelledby="allowance-report">
        <h2 id="allowance-report" className="mb-2 font-semibold">{tr('福利额度汇总', 'Allowance report')}</h2>
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="allowance-report">
          <div><dt className="text-gray-500">{tr('已发放', 'Granted')}</dt><dd className="text-lg font-bold">{formatFen(report.grantedFen)}</dd></div>
          <div><dt className="text-gray-500">{tr('已使用', 'Spent')}</dt><dd className="text-lg font-bold">{formatFen(report.spentFen)}</dd></div>
          <div><dt className="text-gray-500">{tr('到期退回', 'Returned')}</dt><dd className="text-lg font-bold">{formatFen(report.returnedFen)}</dd></div>
          <div><dt className="text-gray-500">{tr('未使用', 'Outstanding')}</dt><dd className="text-lg font-bold">{formatFen(report.outstandingFen)}</dd></div>
        </dl>
        {report.members.length ? (
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-right text-sm">
              <thead><tr className="text-gray-500"><th className="py-1 text-left">{tr('成员', 'Member')}</th><th>{tr('发放', 'Granted')}</th><th>{tr('使用', 'Spent')}</th><th>{tr('退回', 'Returned')}</th><th>{tr('余额', 'Balance')}</th></tr></thead>
              <tbody>
                {report.members.map((m) => (
                  <tr key={m.userId} className="border-t border-gray-100">
                    <td className="py-1 text-left">{m.name} · {m.email}</td><td>{formatFen(m.grantedFen)}</td><td>{formatFen(m.spentFen)}</td><td>{formatFen(m.returnedFen)}</td><td>{formatFen(m.balanceFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <section className={`${cardClass} space-y-3`} aria-labelledby="grant">
        <h2 id="grant" className="font-semibold">{tr('发放福利额度', 'Grant allowances')}</h2>
        <p className="text-sm text-gray-600">{tr('成员在结算时使用额度购买帮扶商品（可与自付合并），计为本单位的采购；到期未用的额度自动退回本单位。', 'Members spend it at checkout on assistance goods (alone or with their own payment); it counts as this organisation’s 采购. What is unspent after the date returns to the organisation.')}</p>
        {data?.granted ? <Notice>{tr(`已发放 ${data.granted.grants} 份，共 ${formatFen(data.granted.totalFen)}`, `Granted ${data.granted.grants}, ${formatFen(data.granted.totalFen)} in all`)}</Notice> : null}
        <Form method="post" {...getFormProps(form)} className="space-y-3">
          <FormErrors id={form.errorId} errors={form.errors} />
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium">{tr('成员', 'Members')}</legend>
            <div className="max-h-64 space-y-1 overflow-y-auto rounded border border-gray-200 p-2 text-sm">
              {members.map((m) => (
                <label key={m.id} className="flex items-center gap-2">
                  <input type="checkbox" name={fields.memberIds.name} value={m.id} defaultChecked />
                  {m.name} · {m.email}
                </label>
              ))}
            </div>
            {fields.memberIds.errors?.length ? <p className="text-sm text-red-700" role="alert">{fields.memberIds.errors.join('；')}</p> : null}
          </fieldset>
          <Field meta={fields.amount} label={tr('每人金额（元）', 'Amount each (元)')} inputMode="decimal" placeholder="600" />
          <Field meta={fields.validUntil} label={tr('有效期至', 'Valid until')} type="date" />
          <Field meta={fields.note} label={tr('备注（如：2026年中秋福利）', 'Note (e.g. Mid-Autumn 2026)')} />
          <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('发放', 'Grant')}</button>
        </Form>
      </section>
    </div>
  );
}
