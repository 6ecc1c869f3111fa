// Approvers' queue: the organisation's orders above its approval amount, each approved (→ awaiting
// payment) or rejected with a reason (→ cancelled, stock released). Approvers: admins and members marked approver.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { z } from 'zod';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { forbidden, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { OrderError } from '~/modules/orders/orders.server';
import { approvalQueue, decideOrder } from '~/modules/organisations/approvals.server';
import { requireOrgMember } from '~/modules/organisations/organisations.server';

const decisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), orderId: z.coerce.number().int().positive().max(2_147_483_647) }),
  z.object({ decision: z.literal('reject'), orderId: z.coerce.number().int().positive().max(2_147_483_647), reason: z.string().trim().min(2, '请填写驳回原因 / Give the reason').max(200) }),
], { errorMap: () => ({ message: '无效的操作 / Invalid action' }) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { access, organisationId } = await requireOrgMember(request, params.id);
  if (!access.canApprove) forbidden('只有审批人可以查看 / Only approvers can see this');
  const queue = await approvalQueue(organisationId);
  return json({ queue }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, organisationId } = await requireOrgMember(request, params.id);
  const form = await readFormData(request);
  const parsed = decisionSchema.safeParse(Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')));
  if (!parsed.success) return json({ ok: false as const, orderId: null, message: parsed.error.issues[0]?.message ?? 'invalid' }, { status: 400 });
  const d = parsed.data;
  try {
    const r = await decideOrder(user, organisationId, d.orderId, d.decision === 'approve' ? { decision: 'approve' } : { decision: 'reject', reason: d.reason }, request);
    return json({ ok: true as const, orderId: d.orderId, message: r.state });
  } catch (error) {
    if (error instanceof OrderError) return json({ ok: false as const, orderId: d.orderId, message: error.message }, { status: error.status });
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
      {data?.ok ? <Notice>{tr('已处理', 'Done')}</Notice> : data ? <p role="alert" className="text-sm text-red-700">{data.message}</p> : null}
      {queue.length === 0 ? <p className={cardClass}>{tr('没有待审批的订单', 'No orders are waiting for approval')}</p> : null}
      {queue.map((o) => (
        <section key={o.id} className={`${cardClass} space-y-2`} data-testid="approval-order">
          <h2 className="font-semibold"><Link to={`/orders/${o.id}`} className="underline">{o.reference}</Link> · {formatFen(o.totalFen)}</h2>
          <p className="text-sm text-gray-600">{o.buyer.name}（{o.buyer.email}） · {new Date(o.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</p>
          <ul className="text-sm">
            {o.lines.map((l, i) => <li key={i}>{l.productNameZh} {l.variantNameZh} × {l.quantity} · {formatFen(l.amountFen)}</li>)}
          </ul>
          <div className="flex flex-wrap items-end gap-3">
            <Form method="post">
              <input type="hidden" name="orderId" value={o.id} />
              <button type="submit" name="decision" value="approve" disabled={navigation.state === 'submitting'} className={buttonClass}>{tr('审批通过', 'Approve')}</button>
            </Form>
            <Form method="post" className="flex items-end gap-2">
              <input type="hidden" name="orderId" value={o.id} />
              <label className="text-sm">{tr('驳回原因', 'Reason')}<input name="reason" required minLength={2} maxLength={200} className="ml-2 rounded border border-gray-300 px-2 py-1" /></label>
              <button type="submit" name="decision" value="reject" disabled={navigation.state === 'submitting'} className="rounded border border-red-300 px-3 py-1 text-red-700">{tr('驳回', 'Reject')}</button>
            </Form>
          </div>
        </section>
      ))}
    </div>
  );
}
