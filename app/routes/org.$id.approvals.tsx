// Approvers' queue: the organisation's orders above its approval amount, each approved (→ awaiting
// payment) or rejected with a reason (→ cancelled, stock released). Approvers: admins and members marked approver.
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field } from '~/components/field';
import { Link } from '~/components/link';
import { RowForm, UnplacedReply, useRowForm } from '~/components/row-form';
import { buttonClass, cardClass, dangerButtonClass, Notice } from '~/components/status';
import { formIdOf, rowFormId, type RowReply } from '~/modules/forms/rows';
import { forbidden, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { OrderError } from '~/modules/orders/orders.server';
import { approvalQueue, decideOrder } from '~/modules/organisations/approvals.server';
import { requireOrgMember } from '~/modules/organisations/organisations.server';
import { orderApproveSchema, orderDecisionSchema, orderRejectSchema } from '~/modules/organisations/schemas';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, organisationId } = await requireOrgMember(request, params.id);
  if (!access.canApprove) forbidden('只有审批人可以查看 / Only approvers can see this');
  const queue = await approvalQueue(organisationId);
  return json({ queue }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, organisationId } = await requireOrgMember(request, params.id);
  const form = await readFormData(request);
  const formId = formIdOf(form);
  const s = parseWithZod(form, { schema: orderDecisionSchema });
  if (s.status !== 'success') return json<RowReply>({ formId, result: s.reply() }, { status: 400 });
  const d = s.value;
  try {
    const r = await decideOrder(user, organisationId, d.orderId, d.decision === 'approve' ? { decision: 'approve' } : { decision: 'reject', reason: d.reason }, request);
    return json<RowReply>({ formId, done: r.state });
  } catch (error) {
    if (error instanceof OrderError) return json<RowReply>({ formId, result: s.reply({ formErrors: [error.message] }) }, { status: error.status });
    throw error;
  }
}

export default function Approvals() {
  const { queue } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  return (
    <div className="space-y-4">
      {data?.done ? <Notice>{tr('已处理', 'Done')}</Notice> : null}
      <UnplacedReply data={data} formIds={queue.flatMap((o) => [rowFormId('approve', o.id), rowFormId('reject', o.id)])} />
      {queue.length === 0 ? <p className={cardClass}>{tr('没有待审批的订单', 'No orders are waiting for approval')}</p> : null}
      {queue.map((o) => (
        <section key={o.id} className={`${cardClass} space-y-2`} data-testid="approval-order">
          <h2 className="font-semibold"><Link to={`/orders/${o.id}`} className="underline">{o.reference}</Link> · {formatFen(o.totalFen)}</h2>
          <p className="text-sm text-gray-600">{o.buyer.name}（{o.buyer.email}） · {new Date(o.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</p>
          <ul className="text-sm">
            {o.lines.map((l, i) => <li key={i}>{l.productNameZh} {l.variantNameZh} × {l.quantity} · {formatFen(l.amountFen)}</li>)}
          </ul>
          <div className="grid gap-3 sm:grid-cols-2 sm:items-start">
            <ApproveForm orderId={o.id} data={data} submitting={navigation.state === 'submitting'} />
            <RejectForm orderId={o.id} data={data} submitting={navigation.state === 'submitting'} />
          </div>
        </section>
      ))}
    </div>
  );
}

/** Rejecting one order needs a reason; a refusal shows at this order's reason, with what was typed. */
function RejectForm({ orderId, data, submitting }: { orderId: number; data: RowReply | undefined; submitting: boolean }) {
  const tr = useTr();
  const [form, fields] = useRowForm(orderRejectSchema, rowFormId('reject', orderId), data, { decision: 'reject', orderId });
  return (
    <RowForm form={form} hidden={[fields.decision, fields.orderId]} className="space-y-2">
      <Field meta={fields.reason} label={tr('驳回原因', 'Reason')} />
      <button type="submit" disabled={submitting} className={dangerButtonClass}>{tr('驳回', 'Reject')}</button>
    </RowForm>
  );
}

/** Approving one order: only a button; a refusal shows beside it. */
function ApproveForm({ orderId, data, submitting }: { orderId: number; data: RowReply | undefined; submitting: boolean }) {
  const tr = useTr();
  const [form, fields] = useRowForm(orderApproveSchema, rowFormId('approve', orderId), data, { decision: 'approve', orderId });
  return (
    <RowForm form={form} hidden={[fields.decision, fields.orderId]} className="space-y-2">
      <button type="submit" disabled={submitting} className={buttonClass}>{tr('审批通过', 'Approve')}</button>
    </RowForm>
  );
}
