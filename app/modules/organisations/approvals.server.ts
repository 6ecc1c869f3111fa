// Approval of organisation orders (issue 7): an order above the organisation's threshold is placed
// AWAITING_APPROVAL with its stock reserved; an approver (organisation admin or a member marked approver)
// approves it (→ AWAITING_PAYMENT, payment window starts; an order fully paid from the allowance is paid
// then) or rejects it with a reason (→ CANCELLED, stock and allowance given back). The state change is a
// conditional UPDATE under the order's row lock, so two approvers deciding at once decide once.
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { forbidden } from '~/modules/http/http.server';
import { addEvent, giveBackAllowance, OrderError, PAYMENT_WINDOW_MS, releaseStock } from '~/modules/orders/orders.server';
import { orderTransition, type OrderState } from '~/modules/orders/state';
import { fulfilOrderPayment } from '~/modules/payments/payments.server';
import { orgAccess, type OrgActor } from './organisations.server';

/** The organisation's orders waiting for approval, oldest first. */
export async function approvalQueue(organisationId: number, take = 100) {
  return prisma.order.findMany({
    where: { buyerOrganisationId: organisationId, state: 'AWAITING_APPROVAL' },
    orderBy: { id: 'asc' },
    take,
    select: {
      id: true, reference: true, totalFen: true, allowanceFen: true, createdAt: true, recipient: true, street: true,
      buyer: { select: { name: true, email: true } },
      lines: { orderBy: { id: 'asc' }, select: { productNameZh: true, variantNameZh: true, quantity: true, amountFen: true } },
    },
  });
}

export type Decision = { decision: 'approve' } | { decision: 'reject'; reason: string };

export async function decideOrder(actor: OrgActor, organisationId: number, orderId: number, d: Decision, request?: Request) {
  const access = await orgAccess(actor, organisationId);
  if (!access.canApprove) forbidden('只有审批人可以审批订单 / Only approvers can decide on orders');
  const reason = d.decision === 'reject' ? d.reason.trim() : '';
  if (d.decision === 'reject' && reason.length < 2) throw new OrderError('请填写驳回原因 / Give the reason for rejecting', 'reason');
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ state: OrderState; org: number | null; provider: 'BANK_TRANSFER' | 'STRIPE' | 'ALLOWANCE'; totalFen: number; allowanceFen: number }>>`
      select state, buyer_organisation_id as org, provider::text as provider, total_fen as "totalFen", allowance_fen as "allowanceFen" from "order" where id = ${orderId} for update`;
    const o = rows[0];
    if (!o || o.org !== organisationId) throw new OrderError('没有这个订单 / No such order', null, 404);
    const t = orderTransition(o.state, d.decision);
    if (!t.ok) throw new OrderError(t.message, null, 409);
    if (d.decision === 'approve') {
      const window = o.provider === 'STRIPE' ? PAYMENT_WINDOW_MS.STRIPE : PAYMENT_WINDOW_MS.BANK_TRANSFER;
      const expiresAt = new Date(Date.now() + window);
      await tx.$executeRaw`update "order" set state = 'AWAITING_PAYMENT', expires_at = ${expiresAt} where id = ${orderId} and state = 'AWAITING_APPROVAL'`;
      await addEvent(tx, orderId, 'approved', `订单已审批通过，请在 ${expiresAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} 前付款`, `Approved; pay before ${expiresAt.toISOString()}`, actor.id);
      if (o.allowanceFen > 0 && o.allowanceFen === o.totalFen) {
        const r = await fulfilOrderPayment({ orderId, provider: 'ALLOWANCE', amountFen: o.allowanceFen }, tx);
        if (r.status !== 'paid') throw new Error(`allowance payment not applied: ${r.status}`);
      }
    } else {
      await tx.$executeRaw`update "order" set state = 'CANCELLED', cancelled_at = now() where id = ${orderId} and state = 'AWAITING_APPROVAL'`;
      await releaseStock(tx, [orderId]);
      await addEvent(tx, orderId, 'rejected', `审批未通过：${reason}（库存已释放）`, `Rejected by the approver: ${reason} (stock released)`, actor.id);
      await giveBackAllowance(tx, orderId, actor.id);
    }
    await writeAudit(tx, { actorId: actor.id, action: `order.${d.decision}`, entityType: 'order', entityId: orderId, details: { organisationId, reason: reason || null }, request });
    const after = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { state: true } });
    return { ok: true as const, state: after.state };
  });
}
