// Approval of organisation orders: above the threshold an order waits (stock reserved, not expired by the
// payment worker); approvers approve (→ awaiting payment, then paid by transfer) or reject with a reason
// (→ cancelled, stock and allowance given back); others are refused; two approvers decide once.
import { describe, expect, it } from 'vitest';
import { runLedgerCheck } from '~/modules/attribution/check.server';
import { prisma } from '~/modules/db/db.server';
import { expireReservations, placeOrder } from '~/modules/orders/orders.server';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import { actorFor } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { approvalQueue, decideOrder } from './approvals.server';
import { chinaDate, grantAllowances, memberAllowances } from './allowances.server';
import { freshOrganisation } from './test-fixtures';

const TAX = '91440101MA5CXXXX1X'.replace(/X/g, '1');
const stockOf = async (variantId: number) => (await prisma.variant.findUniqueOrThrow({ where: { id: variantId }, select: { stock: true } })).stock;

async function setup(thresholdFen: number) {
  const f = await freshOrganisation('UNION', 1);
  await prisma.organisation.update({ where: { id: f.org.id }, data: { approvalThresholdFen: BigInt(thresholdFen) } });
  const buyer = await userByEmail(f.adminUser.email);
  const member = await actorFor(f.members[0]!.email);
  const p = await listedProduct({ priceFen: 10_000, stock: 20 });
  const order = (quantity: number, extra: object = {}) =>
    placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity }], provider: 'BANK_TRANSFER', organisationId: f.org.id, invoiceTitle: '测试工会', taxNumber: TAX, ...extra });
  return { ...f, buyer, member, p, order };
}
const stateOf = async (id: number) => (await prisma.order.findUniqueOrThrow({ where: { id }, select: { state: true } })).state;

describe('order approval', () => {
  it('above the threshold waits with stock reserved; approve → awaiting payment → paid by transfer', async () => {
    const s = await setup(25_000);
    const small = await s.order(2);
    expect(await stateOf(small.id)).toBe('AWAITING_PAYMENT');
    const big = await s.order(3);
    expect(big.awaitingApproval).toBe(true);
    expect(await stateOf(big.id)).toBe('AWAITING_APPROVAL');
    expect(await stockOf(s.p.variantId)).toBe(15);
    // the payment worker leaves it alone even past its (placement) payment window
    await prisma.order.update({ where: { id: big.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await expireReservations()).not.toContain(big.id);
    expect((await approvalQueue(s.org.id)).map((o) => o.id)).toEqual([big.id]);
    // a transfer before approval does not pay it
    const early = await recordBankReceipt(1, { reference: big.reference, amountFen: 30_000, receivedOn: new Date(), bankReference: `AP${big.id}A` });
    expect(early.status).toBe('flagged');
    // a plain member may not decide
    await expect(decideOrder(s.member, s.org.id, big.id, { decision: 'approve' })).rejects.toMatchObject({ status: 403 });
    const [a, b] = await Promise.allSettled([decideOrder(s.admin, s.org.id, big.id, { decision: 'approve' }), decideOrder(s.admin, s.org.id, big.id, { decision: 'approve' })]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(await stateOf(big.id)).toBe('AWAITING_PAYMENT');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: big.id } })).expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await approvalQueue(s.org.id)).toEqual([]);
    const paid = await recordBankReceipt(1, { reference: big.reference, amountFen: 30_000, receivedOn: new Date(), bankReference: `AP${big.id}B` });
    expect(paid.status).toBe('paid');
    expect((await runLedgerCheck()).problems).toEqual([]);
  });

  it('reject needs a reason, cancels, releases stock and gives the allowance back; a designated approver may decide', async () => {
    const s = await setup(5_000);
    await grantAllowances(s.org.id, [s.buyer.id], 8_000, chinaDate(new Date(Date.now() + 30 * 86400_000)), s.admin);
    const o = await s.order(2, { allowanceFen: 8_000, allowanceOrganisationId: s.org.id });
    expect(await stateOf(o.id)).toBe('AWAITING_APPROVAL');
    expect((await memberAllowances(s.buyer.id, s.org.id)).usableFen).toBe(0);
    expect(await stockOf(s.p.variantId)).toBe(18);
    await prisma.membership.update({ where: { userId_organisationId: { userId: s.member.id, organisationId: s.org.id } }, data: { isApprover: true } });
    await expect(decideOrder(s.member, s.org.id, o.id, { decision: 'reject', reason: ' ' })).rejects.toMatchObject({ field: 'reason' });
    await decideOrder(s.member, s.org.id, o.id, { decision: 'reject', reason: '超出预算' });
    expect(await stateOf(o.id)).toBe('CANCELLED');
    expect(await stockOf(s.p.variantId)).toBe(20);
    expect((await memberAllowances(s.buyer.id, s.org.id)).usableFen).toBe(8_000);
    const events = await prisma.orderEvent.findMany({ where: { orderId: o.id, kind: 'rejected' } });
    expect(events[0]!.messageZh).toContain('超出预算');
    await expect(decideOrder(s.admin, s.org.id, o.id, { decision: 'approve' })).rejects.toMatchObject({ status: 409 });
    // another organisation's order is not found here
    const other = await setup(1);
    const x = await other.order(1);
    await expect(decideOrder(s.admin, s.org.id, x.id, { decision: 'approve' })).rejects.toMatchObject({ status: 404 });
    expect((await runLedgerCheck()).problems).toEqual([]);
  });

  it('an approved order fully covered by the allowance is paid on approval', async () => {
    const s = await setup(5_000);
    await grantAllowances(s.org.id, [s.buyer.id], 20_000, chinaDate(new Date(Date.now() + 30 * 86400_000)), s.admin);
    const o = await s.order(1, { allowanceFen: 10_000, allowanceOrganisationId: s.org.id });
    expect(o.paid).toBe(false);
    await decideOrder(s.admin, s.org.id, o.id, { decision: 'approve' });
    expect(await stateOf(o.id)).toBe('PAID');
    expect((await runLedgerCheck()).problems).toEqual([]);
  });
});
