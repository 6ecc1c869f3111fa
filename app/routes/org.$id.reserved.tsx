// Reserved share (预留份额) of a budget unit: the year's reserved amount, purchases so far (platform
// orders and its offline records from the officials' import, read from the ledger), percentage reached,
// what is left, by month. Admins set the reserved amount.
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { z } from 'zod';
import { Field, FormErrors } from '~/components/field';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { badRequest, parseQuery, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { fenToYuanInput, formatFen } from '~/modules/money/money';
import { requireOrgMember } from '~/modules/organisations/organisations.server';
import { reservedShareReport, reservedShareYears, setReservedShare } from '~/modules/organisations/reserved-share.server';
import { reservedShareSchema } from '~/modules/organisations/schemas';
import { fieldChecks } from '~/modules/forms/validation';

const thisYear = () => Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, organisationId } = await requireOrgMember(request, params.id);
  const q = parseQuery(new URL(request.url), { year: z.coerce.number().int().min(2000).max(2100).optional() });
  if (!q.ok) badRequest(q.message);
  const year = q.data.year ?? thisYear();
  const [report, years] = await Promise.all([reservedShareReport(organisationId, year), reservedShareYears(organisationId)]);
  return json({ report, years, canEdit: access.isAdmin });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, organisationId } = await requireOrgMember(request, params.id, { admin: true });
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: reservedShareSchema });
  if (submission.status !== 'success') return json({ result: submission.reply(), saved: false }, { status: 400 });
  await setReservedShare(user, organisationId, submission.value, request);
  return json({ result: submission.reply(), saved: true });
}

const percent = (bp: number) => `${(bp / 100).toFixed(2)}%`;

export default function ReservedShare() {
  const { report, years, canEdit } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const [form, fields] = useForm({
    id: 'reserved',
    lastResult: data?.result,
    defaultValue: { year: String(report.year), amount: report.reservedFen === null ? '' : fenToYuanInput(report.reservedFen) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reservedShareSchema }),
    ...fieldChecks,
  });
  const reached = report.reachedBasisPoints;
  return (
    <div className="space-y-4">
      <section className={`${cardClass} space-y-3`} aria-labelledby="reserved-summary">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="reserved-summary" className="font-semibold">{tr(`${report.year} 年预留份额`, `Reserved share ${report.year}`)}</h2>
          <Form method="get" className="flex items-center gap-2 text-sm">
            <label htmlFor="year">{tr('年度', 'Year')}</label>
            <input id="year" name="year" type="number" min={2000} max={2100} defaultValue={report.year} className="w-24 rounded border border-gray-300 px-2 py-1" />
            <button type="submit" className="underline">{tr('查看', 'Show')}</button>
          </Form>
        </div>
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="reserved-figures">
          <div><dt className="text-gray-500">{tr('预留金额', 'Reserved')}</dt><dd className="text-lg font-bold">{report.reservedFen === null ? tr('未设置', 'not set') : formatFen(report.reservedFen)}</dd></div>
          <div><dt className="text-gray-500">{tr('已采购', 'Bought so far')}</dt><dd className="text-lg font-bold" data-testid="reserved-total">{formatFen(report.totalFen)}</dd></div>
          <div><dt className="text-gray-500">{tr('完成比例', 'Reached')}</dt><dd className="text-lg font-bold">{reached === null ? '—' : percent(reached)}</dd></div>
          <div><dt className="text-gray-500">{tr('剩余', 'Left')}</dt><dd className="text-lg font-bold">{report.leftFen === null ? '—' : formatFen(report.leftFen)}</dd></div>
        </dl>
        {reached !== null ? (
          <div className="h-3 w-full overflow-hidden rounded bg-gray-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(100, Math.floor(reached / 100))} aria-label={tr('完成比例', 'Reached')}>
            <div className="h-full bg-brand-600" style={{ width: `${Math.min(100, reached / 100)}%` }} />
          </div>
        ) : null}
        <p className="text-xs text-gray-500">
          {tr('已采购 = 平台订单（已付款，扣除退款）+ 协作办导入的线下采购记录中采购单位为本单位（名称或发票抬头、单位类型一致）的记录，均取自统计台账。',
            'Bought so far = paid platform orders (less refunds) + offline records imported by the cooperation offices whose buyer is this organisation (same name or invoice title and type), all read from the attribution ledger.')}
        </p>
      </section>
      <section className={cardClass} aria-labelledby="by-month">
        <h2 id="by-month" className="mb-2 font-semibold">{tr('按月', 'By month')}</h2>
        <div className="overflow-x-auto">
          <table className="w-full text-right text-sm" data-testid="reserved-months">
            <thead>
              <tr className="text-gray-500">
                <th className="py-1 text-left">{tr('月份', 'Month')}</th><th>{tr('平台订单', 'Platform')}</th><th>{tr('线下记录', 'Offline')}</th><th>{tr('合计', 'Total')}</th><th>{tr('累计', 'Cumulative')}</th>
              </tr>
            </thead>
            <tbody>
              {report.months.map((m) => (
                <tr key={m.month} className="border-t border-gray-100">
                  <td className="py-1 text-left">{report.year}-{String(m.month).padStart(2, '0')}</td>
                  <td>{formatFen(m.platformFen)}</td><td>{formatFen(m.offlineFen)}</td><td>{formatFen(m.totalFen)}</td><td>{formatFen(m.cumulativeFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {canEdit ? (
        <section className={`${cardClass} space-y-3`} aria-labelledby="set-reserved">
          <h2 id="set-reserved" className="font-semibold">{tr('设置年度预留金额', 'Set the yearly reserved amount')}</h2>
          {data?.saved ? <Notice>{tr('已保存', 'Saved')}</Notice> : null}
          <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-3">
            <FormErrors id={form.errorId} errors={form.errors} />
            <Field meta={fields.year} label={tr('年度', 'Year')} type="number" inputMode="numeric" />
            <Field meta={fields.amount} label={tr('预留金额（元）', 'Reserved amount (元)')} inputMode="decimal" />
            <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} self-end`}>{tr('保存', 'Save')}</button>
          </Form>
          {years.length ? (
            <p className="text-sm text-gray-600">
              {tr('已设置：', 'Set for: ')}
              {years.map((y) => <Link key={y.year} to={`?year=${y.year}`} className="mr-2 underline">{y.year}（{formatFen(y.amountFen)}）</Link>)}
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
