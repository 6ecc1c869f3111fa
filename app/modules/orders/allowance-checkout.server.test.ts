// Member allowances spent at checkout (issue 7 step 5): alone or with a transfer, fully covered orders paid
// at once through fulfilOrderPayment (ledger under the union's 采购), and the allowance given back when the
// order is cancelled, expires or is refunded in full. The ledger check stays clean throughout.
import { describe, expect, it } from 'vitest';
import { runLedgerCheck } from '~/modules/attribution/check.server';
import { prisma } from '~/modules/db/db.server';
import { chinaDate, grantAllowances, memberAllowances } from '~/modules/organisations/allowances.server';
import { freshOrganisation } from '~/modules/organisations/test-fixtures';
import { recordBankReceipt, refundOrder } from '~/modules/payments/payments.server';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { cancelOrder, expireReservations, OrderError, placeOrder } from './orders.server';

const inDays = (n: number) => chinaDate(new Date(Date.now() + n * 86400_000));

async function unionMember(allowanceFen: number) {
  const { org, admin, members } = await freshOrganisation('UNION', 1);
  await grantAllowances(org.id, [members[0]!.id], allowanceFen, inDays(30), admin);
  return { org, admin, member: await userByEmail(members[0]!.email) };
}
const usable = async (userId: number, orgId: number) => (await memberAllowances(userId, orgId)).usableFen;
const stockOf = async (variantId: number) => (await prisma.variant.findUniqueOrThrow({ where: { id: variantId }, select: { stock: true } })).stock;
async function expectLedgerClean() {
  expect((await runLedgerCheck()).problems).toEqual([]);
}

describe('allowance at checkout', () => {
  it('an order fully covered by the allowance is paid at once, posted as the union\'s 采购; a full refund gives the allowance back', async () => {
    const { org, member } = await unionMember(60_000);
    const p = await listedProduct({ priceFen: 12_000, stock: 10 });
    const o = await placeOrder(member, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 3 }], provider: 'BANK_TRANSFER', allowanceFen: 36_000, allowanceOrganisationId: org.id });
    expect(o).toMatchObject({ totalFen: 36_000, allowanceFen: 36_000, dueFen: 0, paid: true });
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.id }, select: { state: true, flow: true, buyerOrganisationId: true, payments: { select: { provider: true, state: true, amountFen: true } } } });
    expect(order).toMatchObject({ state: 'PAID', flow: 'PROCUREMENT', buyerOrganisationId: org.id });
    expect(order.payments).toEqual([{ provider: 'ALLOWANCE', state: 'SUCCEEDED', amountFen: 36_000 }]);
    expect(await prisma.fulfilment.findMany({ where: { orderId: o.id }, select: { state: true } })).toEqual([{ state: 'TO_SHIP' }]);
    const lineIds = (await prisma.orderLine.findMany({ where: { orderId: o.id }, select: { id: true } })).map((l) => String(l.id));
    const entries = await prisma.ledgerEntry.findMany({ where: { sourceType: 'ORDER_LINE', sourceId: { in: lineIds } }, select: { amountFen: true, flow: true, buyerOrganisationId: true } });
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e).toMatchObject({ amountFen: 36_000n, flow: 'PROCUREMENT', buyerOrganisationId: org.id });
    expect(await usable(member.id, org.id)).toBe(24_000);
    await expectLedgerClean();

    const finance = { id: 1 };
    await expect(refundOrder(finance.id, { orderId: o.id, reason: '部分退货', lines: [{ orderLineId: Number(lineIds[0]), quantity: 1 }] })).rejects.toMatchObject({ status: 409 });
    const r = await refundOrder(finance.id, { orderId: o.id, reason: '质量问题', lines: 'all' });
    expect(r).toMatchObject({ amountFen: 36_000, settled: true });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('REFUNDED');
    expect(await usable(member.id, org.id)).toBe(60_000);
    await expectLedgerClean();
  });

  it('part allowance, part bank transfer: the transfer must pay exactly the rest', async () => {
    const { org, member } = await unionMember(10_000);
    const p = await listedProduct({ priceFen: 3_990, stock: 10 });
    const o = await placeOrder(member, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 5 }], provider: 'BANK_TRANSFER', allowanceFen: 10_000, allowanceOrganisationId: org.id });
    expect(o).toMatchObject({ totalFen: 19_950, allowanceFen: 10_000, dueFen: 9_950, paid: false });
    expect(await usable(member.id, org.id)).toBe(0);
    const finance = { id: 1 };
    // the full total is more than is due: flagged, not paid
    const excess = await recordBankReceipt(finance.id, { reference: o.reference, amountFen: 19_950, receivedOn: new Date(), bankReference: `B${o.id}X1` });
    expect(excess.status).toBe('flagged');
    const ok = await recordBankReceipt(finance.id, { reference: o.reference, amountFen: 9_950, receivedOn: new Date(), bankReference: `B${o.id}X2` });
    expect(ok.status).toBe('paid');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('PAID');
    const lineIds = (await prisma.orderLine.findMany({ where: { orderId: o.id }, select: { id: true } })).map((l) => String(l.id));
    const entries = await prisma.ledgerEntry.findMany({ where: { sourceType: 'ORDER_LINE', sourceId: { in: lineIds } }, select: { amountFen: true, buyerOrganisationId: true } });
    for (const e of entries) expect(e).toEqual({ amountFen: 19_950n, buyerOrganisationId: org.id });
    await expectLedgerClean();
  });

  it('cancelling or expiring an order gives the allowance back (once); stock is released too', async () => {
    const { org, member } = await unionMember(50_000);
    const p = await listedProduct({ priceFen: 10_000, stock: 10 });
    const a = await placeOrder(member, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER', allowanceFen: 15_000, allowanceOrganisationId: org.id });
    const b = await placeOrder(member, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 3 }], provider: 'BANK_TRANSFER', allowanceFen: 20_000, allowanceOrganisationId: org.id });
    expect(await usable(member.id, org.id)).toBe(15_000);
    expect(await stockOf(p.variantId)).toBe(5);
    await cancelOrder(member, a.id);
    expect(await usable(member.id, org.id)).toBe(30_000);
    await expect(cancelOrder(member, a.id)).rejects.toBeInstanceOf(OrderError);
    expect(await usable(member.id, org.id)).toBe(30_000);
    await prisma.order.update({ where: { id: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await expireReservations()).toContain(b.id);
    expect(await usable(member.id, org.id)).toBe(50_000);
    expect(await stockOf(p.variantId)).toBe(10);
    const report = await prisma.allowanceMovement.groupBy({ by: ['kind'], where: { organisationId: org.id }, _sum: { amountFen: true } });
    const sum = (k: string) => Number(report.find((r) => r.kind === k)?._sum.amountFen ?? 0);
    expect([sum('GRANT'), sum('SPEND'), sum('REFUND')]).toEqual([50_000, -35_000, 35_000]);
    await expectLedgerClean();
  });

  it('refuses too little allowance, another organisation\'s allowance and more than the total, creating nothing', async () => {
    const { org, member } = await unionMember(5_000);
    const other = await freshOrganisation('UNION', 0);
    const p = await listedProduct({ priceFen: 3_000, stock: 10 });
    const base = { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' as const };
    const before = await prisma.order.count({ where: { buyerId: member.id } });
    await expect(placeOrder(member, { ...base, allowanceFen: 6_000, allowanceOrganisationId: org.id })).rejects.toMatchObject({ status: 409, field: 'allowance' });
    await expect(placeOrder(member, { ...base, allowanceFen: 1_000, allowanceOrganisationId: other.org.id })).rejects.toMatchObject({ status: 403 });
    await expect(placeOrder(member, { ...base, allowanceFen: 6_001, allowanceOrganisationId: org.id })).rejects.toMatchObject({ status: 400 });
    await expect(placeOrder(member, { ...base, allowanceFen: -5, allowanceOrganisationId: org.id })).rejects.toMatchObject({ status: 400 });
    expect(await prisma.order.count({ where: { buyerId: member.id } })).toBe(before);
    expect(await stockOf(p.variantId)).toBe(10);
    expect(await usable(member.id, org.id)).toBe(5_000);
  });

  it('two devices checking out with the same allowance at once: one pays, the other is refused', async () => {
    const { org, member } = await unionMember(20_000);
    const p = await listedProduct({ priceFen: 15_000, stock: 10 });
    const go = () => placeOrder(member, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 1 }], provider: 'BANK_TRANSFER', allowanceFen: 15_000, allowanceOrganisationId: org.id });
    const results = await Promise.allSettled([go(), go()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await usable(member.id, org.id)).toBe(5_000);
    expect(await stockOf(p.variantId)).toBe(9);
    await expectLedgerClean();
  });
});
