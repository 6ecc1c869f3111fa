import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Field } from '~/components/field';
import { Link } from '~/components/link';
import { RowForm, UnplacedReply, useRowForm } from '~/components/row-form';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
import { formIdOf, rowFormId, type RowReply } from '~/modules/forms/rows';
import { refusal } from '~/modules/forms/refusal';
import { readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { invoiceQueue, issueInvoice } from '~/modules/orders/invoices.server';
import { OrderError } from '~/modules/orders/orders.server';
import { invoiceIssueSchema } from '~/modules/orders/schemas';

export const meta: MetaFunction = () => [{ title: '发票开具 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'issue:invoice:any');
  const [requested, issued] = await Promise.all([invoiceQueue('REQUESTED'), invoiceQueue('ISSUED', 30)]);
  return json({ requested, issued, today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'issue:invoice:any');
  const form = await readFormData(request);
  const formId = formIdOf(form);
  const submission = parseWithZod(form, { schema: invoiceIssueSchema });
  if (submission.status !== 'success') return json<RowReply>({ formId, result: submission.reply() }, { status: 400 });
  const v = submission.value;
  try {
    await issueInvoice(user, v.requestId, { invoiceNumber: v.invoiceNumber, issuedOn: new Date(`${v.issuedOn}T00:00:00Z`) });
  } catch (error) {
    if (error instanceof OrderError) {
      return json<RowReply>({ formId, result: submission.reply(refusal(error.message, error.field, ['invoiceNumber', 'issuedOn'])) }, { status: error.status });
    }
    throw error;
  }
  return redirect(`/finance/invoices?issued=${encodeURIComponent(v.invoiceNumber)}`);
}

export default function InvoicesPage() {
  const { requested, issued, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const tr = useTr();
  return (
    <div className="mx-auto max-w-3xl space-y-4 p-4">
      <nav aria-label={tr('财务导航', 'Finance navigation')} className="flex gap-3 text-sm">
        <Link to="/finance/transfers" aria-current={undefined} className="text-brand-700 hover:underline">{tr('转账到账', 'Transfers')}</Link>
        <Link to="/finance/invoices" aria-current={'page'} className="text-brand-700 hover:underline">{tr('发票', 'Invoices')}</Link>
      </nav>
      <h1 className="text-2xl font-bold">{tr('发票开具', 'Invoices')}</h1>
      {params.get('issued') ? <Notice>{tr(`已登记发票 ${params.get('issued')}。`, `Invoice ${params.get('issued')} recorded.`)}</Notice> : null}
      <UnplacedReply data={result} formIds={requested.map((r) => rowFormId('invoice', r.id))} />
      <section className={cardClass} aria-labelledby="requested">
        <h2 id="requested" className="mb-2 font-semibold">{tr('待开票', 'To be issued')} ({requested.length})</h2>
        <ul className="divide-y divide-gray-100 text-sm" data-testid="invoice-requests">
          {requested.map((r) => (
            <li key={r.id} className="space-y-1 py-2">
              <p><Link to={`/orders/${r.order.id}`} className="font-medium underline">{r.order.reference}</Link> · {r.organisation.name} · <strong>{formatFen(r.amountFen)}</strong></p>
              <p className="text-gray-700">{tr('抬头', 'Title')}：{r.title} · {tr('税号', 'Tax no.')}：{r.taxNumber}</p>
              <p className="text-gray-600">{r.address} {r.phone} · {r.bank} {r.bankAccount}</p>
              <IssueForm requestId={r.id} today={today} data={result} busy={navigation.state !== 'idle'} />
            </li>
          ))}
        </ul>
      </section>
      <section className={cardClass} aria-labelledby="issued">
        <h2 id="issued" className="mb-2 font-semibold">{tr('最近已开票', 'Recently issued')}</h2>
        <ul className="divide-y divide-gray-100 text-sm">
          {issued.map((r) => (
            <li key={r.id} className="py-1"><Link to={`/orders/${r.order.id}`} className="underline">{r.order.reference}</Link> · {r.title} · {formatFen(r.amountFen)} · {r.invoiceNumber} · {String(r.issuedOn).slice(0, 10)}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** Number and date of the invoice issued for one request; a refusal shows at this request's fields, with what was typed. */
function IssueForm({ requestId, today, data, busy }: { requestId: number; today: string; data: RowReply | undefined; busy: boolean }) {
  const tr = useTr();
  const [form, fields] = useRowForm(invoiceIssueSchema, rowFormId('invoice', requestId), data, { requestId, issuedOn: today });
  return (
    <RowForm form={form} hidden={[fields.requestId]} className="grid gap-2 sm:grid-cols-3 sm:items-start" errorsClassName="sm:col-span-3">
      <Field meta={fields.invoiceNumber} label={tr('发票号码', 'Invoice number')} />
      <Field meta={fields.issuedOn} label={tr('开票日期', 'Issue date')} type="date" />
      <button type="submit" disabled={busy} className={`${buttonClass} sm:mt-6`}>{tr('登记开票', 'Record as issued')}</button>
    </RowForm>
  );
}
