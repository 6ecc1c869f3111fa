import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import type { z } from 'zod';
import { Field, FormErrors } from '~/components/field';
import { RowForm, UnplacedReply, useRowForm } from '~/components/row-form';
import { buttonClass, cardClass, Notice, secondaryButtonClass } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
import { readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { OrderError } from '~/modules/orders/orders.server';
import { receiptSchema, returnSchema } from '~/modules/orders/schemas';
import { flaggedPayments, recordBankReceipt, returnFlaggedPayment } from '~/modules/payments/payments.server';
import { formIdOf, replyFor, rowFormId, type RowReply } from '~/modules/forms/rows';
import { refusal } from '~/modules/forms/refusal';
import { fieldChecks } from '~/modules/forms/validation';

export const meta: MetaFunction = () => [{ title: '对公转账到账登记 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'confirm:payment:any');
  return json({ flagged: await flaggedPayments(), today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'confirm:payment:any');
  const form = await readFormData(request);
  if (form.get('intent') === 'return') {
    const formId = formIdOf(form);
    const s = parseWithZod(form, { schema: returnSchema });
    if (s.status !== 'success') return json<RowReply>({ formId, result: s.reply() }, { status: 400 });
    try {
      await returnFlaggedPayment(user.id, s.value.paymentId, s.value.note);
    } catch (error) {
      if (error instanceof OrderError) return json<RowReply>({ formId, result: s.reply({ formErrors: [error.message] }) }, { status: error.status });
      throw error;
    }
    return redirect('/finance/transfers?returned=1');
  }
  const submission = parseWithZod(form, { schema: receiptSchema });
  if (submission.status !== 'success') return json<RowReply>({ formId: 'receipt', result: submission.reply() }, { status: 400 });
  const v = submission.value;
  try {
    const r = await recordBankReceipt(user.id, { reference: v.reference, amountFen: v.amount, receivedOn: new Date(`${v.receivedOn}T00:00:00Z`), bankReference: v.bankReference });
    return redirect(`/finance/transfers?${r.status}=${encodeURIComponent(v.reference)}`);
  } catch (error) {
    if (error instanceof OrderError) {
      return json<RowReply>({ formId: 'receipt', result: submission.reply(refusal(error.message, error.field, ['reference', 'amount', 'receivedOn', 'bankReference'])) }, { status: error.status });
    }
    throw error;
  }
}

export default function TransfersPage() {
  const { flagged, today } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const tr = useTr();
  const [form, fields] = useForm<z.input<typeof receiptSchema>, z.output<typeof receiptSchema>>({
    id: 'receipt',
    lastResult: replyFor(data, 'receipt'),
    defaultValue: { receivedOn: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: receiptSchema }),
    ...fieldChecks,
  });
  return (
    <div className="mx-auto max-w-3xl space-y-4 p-4">
      <nav aria-label={tr('财务导航', 'Finance navigation')} className="flex gap-3 text-sm">
        <Link to="/finance/transfers" aria-current={'page'} className="text-brand-700 hover:underline">{tr('转账到账', 'Transfers')}</Link>
        <Link to="/finance/invoices" aria-current={undefined} className="text-brand-700 hover:underline">{tr('发票', 'Invoices')}</Link>
      </nav>
      <h1 className="text-2xl font-bold">{tr('对公转账到账登记', 'Bank transfer receipts')}</h1>
      {params.get('paid') ? <Notice>{tr(`订单 ${params.get('paid')} 已确认付款。`, `Order ${params.get('paid')} is paid.`)}</Notice> : null}
      {params.get('already') ? <Notice>{tr(`该笔款项此前已登记（${params.get('already')}）。`, `This receipt was recorded before (${params.get('already')}).`)}</Notice> : null}
      {params.get('flagged') ? <Notice tone="error">{tr(`金额或订单状态不符，已列入待核对（${params.get('flagged')}）。`, `The amount or order state does not match: flagged for review (${params.get('flagged')}).`)}</Notice> : null}
      {params.get('returned') ? <Notice>{tr('已登记退回。', 'Recorded as returned.')}</Notice> : null}
      <Form method="post" {...getFormProps(form)} className={`${cardClass} space-y-3`}>
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.reference} label={tr('付款参考号（订单号）', 'Reference (order number)')} placeholder="SH7K2M9Q4X" />
        <Field meta={fields.amount} label={tr('到账金额（元）', 'Amount received (元)')} inputMode="decimal" />
        <Field meta={fields.receivedOn} label={tr('到账日期', 'Date received')} type="date" />
        <Field meta={fields.bankReference} label={tr('银行流水号', 'Bank transaction reference')} />
        <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('登记到账', 'Record the receipt')}</button>
      </Form>
      <UnplacedReply data={data} formIds={['receipt', ...flagged.map((p) => rowFormId('return', p.id))]} />
      <section className={cardClass} aria-labelledby="flagged">
        <h2 id="flagged" className="mb-2 font-semibold">{tr('待核对款项', 'Flagged payments')} ({flagged.length})</h2>
        <ul className="divide-y divide-gray-100 text-sm" data-testid="flagged">
          {flagged.map((p) => (
            <li key={p.id} className="space-y-1 py-2">
              <p><Link to={`/orders/${p.order.id}`} className="font-medium underline">{p.order.reference}</Link> · {tr('收到', 'received')} {formatFen(p.amountFen)} / {tr('应付', 'due')} {formatFen(p.order.totalFen)} · {p.bankReference}</p>
              <p className="text-amber-800">{p.reviewNote}</p>
              <ReturnForm paymentId={p.id} data={data} busy={navigation.state !== 'idle'} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Recording that a flagged payment went back to its payer, with a note; a refusal shows at this payment's note. */
function ReturnForm({ paymentId, data, busy }: { paymentId: number; data: RowReply | undefined; busy: boolean }) {
  const tr = useTr();
  const [form, fields] = useRowForm(returnSchema, rowFormId('return', paymentId), data, { paymentId });
  return (
    <RowForm form={form} hidden={[fields.paymentId]} className="space-y-2">
      <input type="hidden" name="intent" value="return" />
      <Field meta={fields.note} label={tr('退回说明', 'Note on the return')} />
      <button type="submit" disabled={busy} className={secondaryButtonClass}>{tr('已退回付款人', 'Returned to payer')}</button>
    </RowForm>
  );
}
