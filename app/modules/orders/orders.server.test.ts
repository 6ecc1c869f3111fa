import { describe, expect, it } from 'vitest';
import { runLedgerCheck } from '~/modules/attribution/check.server';
import { totals } from '~/modules/attribution/ledger.server';
import { prisma } from '~/modules/db/db.server';
import { fulfilOrderPayment, recordBankReceipt, refundOrder } from '~/modules/payments/payments.server';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { buyerStep, cancelOrder, checkAddress, expireReservations, markShipped, OrderError, placeOrder } from './orders.server';

const CONSUMER = 'consumer@demo.shanhai.cn';

async function expectLedgerClean() {
  const r = await runLedgerCheck();
  expect(r.problems).toEqual([]);
}

async function stockOf(variantId: number) {
  return (await prisma.variant.findUniqueOrThrow({ where: { id: variantId }, select: { stock: true } })).stock;
}

describe('address checks (places kept in memory once known)', () => {
  it('each level must exist, be of its level and lie in the level above; twice the same answers', async () => {
    for (let round = 0; round < 2; round++) {
      await expect(checkAddress('440000', '440100', '440112')).resolves.toBeUndefined();
      await expect(checkAddress('440100', '440100', '440112')).rejects.toMatchObject({ field: 'provinceCode' }); // a city is no province
      await expect(checkAddress('999999', '440100', '440112')).rejects.toMatchObject({ field: 'provinceCode' }); // unknown
      await expect(checkAddress('520000', '440100', '440112')).rejects.toMatchObject({ field: 'cityCode' }); // 广州 is not in 贵州
      await expect(checkAddress('440000', '440112', '440112')).rejects.toMatchObject({ field: 'cityCode' }); // a district is no city
      await expect(checkAddress('440000', '440100', '520281')).rejects.toMatchObject({ field: 'districtCode' }); // 盘州 is not in 广州
      await expect(checkAddress('440000', '440100', 'x; drop')).rejects.toMatchObject({ field: 'districtCode' }); // malformed
    }
  });
});

describe('placing orders', () => {
  it('200 parallel checkouts for 50 units: exactly 50 orders, stock never negative', async () => {
    const p = await listedProduct({ stock: 50, priceFen: 1000 });
    const buyer = await userByEmail(CONSUMER);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const other = failed.filter((f) => !(f.reason instanceof OrderError)).map((f) => String(f.reason?.message ?? f.reason).slice(0, 300));
    expect(other.slice(0, 3)).toEqual([]);
    expect(ok.length).toBe(50);
    expect(failed.every((f) => f.reason instanceof OrderError && f.reason.status === 409)).toBe(true);
    expect(await stockOf(p.variantId)).toBe(0);
    const lines = await prisma.orderLine.aggregate({ where: { variantId: p.variantId }, _sum: { quantity: true }, _count: true });
    expect(lines._count).toBe(50);
    expect(lines._sum.quantity).toBe(50);
    await expectLedgerClean();
  }, 120_000);

  it('sums lines that share a variant before checking stock', async () => {
    const p = await listedProduct({ stock: 5 });
    const buyer = await userByEmail(CONSUMER);
    await expect(placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 3 }, { variantId: p.variantId, quantity: 3 }], provider: 'BANK_TRANSFER' })).rejects.toThrow(/库存不足/);
    expect(await stockOf(p.variantId)).toBe(5);
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }, { variantId: p.variantId, quantity: 3 }], provider: 'BANK_TRANSFER' });
    expect(await stockOf(p.variantId)).toBe(0);
    const lines = await prisma.orderLine.findMany({ where: { orderId: o.id } });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.quantity).toBe(5);
  });

  it('splits an order into one fulfilment per seller and rejects bad addresses, mobiles and organisations', async () => {
    const a = await listedProduct();
    const b = await listedProduct({ countyCode: '522726' });
    const buyer = await userByEmail(CONSUMER);
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: a.variantId, quantity: 1 }, { variantId: b.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' });
    const fulfilments = await prisma.fulfilment.findMany({ where: { orderId: o.id } });
    expect(fulfilments.map((f) => f.sellerId).sort()).toEqual([a.sellerId, b.sellerId].sort());
    expect(o.totalFen).toBe(a.priceFen + 2 * b.priceFen);
    await expect(placeOrder(buyer, { ...ADDRESS, mobile: '1380013800', lines: [{ variantId: a.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' })).rejects.toMatchObject({ field: 'mobile' });
    await expect(placeOrder(buyer, { ...ADDRESS, districtCode: '520281', lines: [{ variantId: a.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' })).rejects.toMatchObject({ field: 'districtCode' });
    const org = await prisma.organisation.findFirstOrThrow({ select: { id: true } });
    await expect(placeOrder(buyer, { ...ADDRESS, organisationId: org.id, invoiceTitle: '某单位', taxNumber: '91440101MA59XXXX1X', lines: [{ variantId: a.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' })).rejects.toMatchObject({ status: 403 });
    expect(await stockOf(a.variantId)).toBe(99);
  });

  it('a repeated checkout submit returns the same order', async () => {
    const p = await listedProduct({ stock: 10 });
    const buyer = await userByEmail(CONSUMER);
    const input = { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' as const, checkoutKey: `k-${p.variantId}` };
    const [x, y] = await Promise.all([placeOrder(buyer, input), placeOrder(buyer, input)]);
    expect(x.id).toBe(y.id);
    expect(await stockOf(p.variantId)).toBe(8);
  });
});

describe('state machine', () => {
  it('cancel releases stock once; a cancelled order cannot be paid, shipped or cancelled again', async () => {
    const p = await listedProduct({ stock: 10 });
    const buyer = await userByEmail(CONSUMER);
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 4 }], provider: 'BANK_TRANSFER' });
    expect(await stockOf(p.variantId)).toBe(6);
    await cancelOrder(buyer, o.id);
    expect(await stockOf(p.variantId)).toBe(10);
    await expect(cancelOrder(buyer, o.id)).rejects.toThrow(/已取消，不能取消/);
    expect(await stockOf(p.variantId)).toBe(10);
    const r = await fulfilOrderPayment({ orderId: o.id, provider: 'BANK_TRANSFER', amountFen: o.totalFen, bankReference: `B-${o.reference}`, receivedOn: new Date() });
    expect(r.status).toBe('flagged');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('CANCELLED');
    await expectLedgerClean();
  });

  it('paid → shipped (per fulfilment) → delivered → completed, with invalid steps refused', async () => {
    const a = await listedProduct();
    const b = await listedProduct();
    const buyer = await userByEmail(CONSUMER);
    const finance = await userByEmail('admin@demo.shanhai.cn');
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: a.variantId, quantity: 1 }, { variantId: b.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' });
    await expect(buyerStep(buyer, o.id, 'deliver')).rejects.toThrow(/待付款，不能确认收货/);
    const fs = await prisma.fulfilment.findMany({ where: { orderId: o.id }, orderBy: { id: 'asc' } });
    await expect(markShipped(finance, fs[0]!.id, '顺丰', 'SF1')).rejects.toThrow(/待付款，不能发货|No such parcel/);
    await recordBankReceipt(finance.id, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `B-${o.reference}` });
    await expect(cancelOrder(buyer, o.id)).rejects.toThrow(/不能取消/);
    // seller staff of the first seller only
    const staff = { id: buyer.id, permissions: [], sellerStaff: [{ isAdmin: true, seller: { id: fs[0]!.sellerId, slug: '', name: '' } }] };
    await expect(markShipped(staff, fs[1]!.id, '顺丰', 'SF2')).rejects.toMatchObject({ status: 404 });
    await markShipped(staff, fs[0]!.id, '顺丰', 'SF1');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('PAID');
    await expect(markShipped(staff, fs[0]!.id, '顺丰', 'SF1')).rejects.toThrow(/已发货，不能发货/);
    await expect(buyerStep(buyer, o.id, 'deliver')).rejects.toThrow(/已付款，待发货，不能确认收货/);
    await markShipped({ ...staff, sellerStaff: [{ isAdmin: true, seller: { id: fs[1]!.sellerId, slug: '', name: '' } }] }, fs[1]!.id, '邮政', 'EMS2');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('SHIPPED');
    await expect(buyerStep(buyer, o.id, 'complete')).rejects.toThrow(/不能完成/);
    expect((await buyerStep(buyer, o.id, 'deliver')).state).toBe('DELIVERED');
    expect((await buyerStep(buyer, o.id, 'complete')).state).toBe('COMPLETED');
    const events = await prisma.orderEvent.findMany({ where: { orderId: o.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.kind)).toEqual(['placed', 'paid', 'shipped', 'shipped', 'delivered', 'completed']);
    await expectLedgerClean();
  });

  it('the expiry worker expires overdue orders once and releases their stock', async () => {
    const p = await listedProduct({ stock: 10 });
    const buyer = await userByEmail(CONSUMER);
    const o1 = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 3 }], provider: 'BANK_TRANSFER' });
    const o2 = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' });
    await prisma.order.update({ where: { id: o1.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await stockOf(p.variantId)).toBe(5);
    // two workers at once (as two instances would): each order expired exactly once
    const [x, y] = await Promise.all([expireReservations(), expireReservations()]);
    expect([...x, ...y].filter((id) => id === o1.id)).toHaveLength(1);
    expect([...x, ...y]).not.toContain(o2.id);
    expect(await stockOf(p.variantId)).toBe(8);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o1.id } })).state).toBe('EXPIRED');
    expect(await expireReservations()).not.toContain(o1.id);
    expect(await stockOf(p.variantId)).toBe(8);
    // a transfer arriving after expiry is flagged, not accepted
    const late = await recordBankReceipt(1, { reference: o1.reference, amountFen: o1.totalFen, receivedOn: new Date(), bankReference: `LATE-${o1.reference}` });
    expect(late.status).toBe('flagged');
    await expectLedgerClean();
  });
});

describe('bank transfer payments and the ledger', () => {
  it('short and excess receipts are flagged; the exact amount pays once; the same bank reference is recorded once', async () => {
    const p = await listedProduct({ priceFen: 5000 });
    const buyer = await userByEmail(CONSUMER);
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' });
    const short = await recordBankReceipt(1, { reference: o.reference, amountFen: 9999, receivedOn: new Date(), bankReference: `S-${o.reference}` });
    expect(short).toMatchObject({ status: 'flagged' });
    const excess = await recordBankReceipt(1, { reference: o.reference, amountFen: 10001, receivedOn: new Date(), bankReference: `E-${o.reference}` });
    expect(excess).toMatchObject({ status: 'flagged' });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('AWAITING_PAYMENT');
    expect(await prisma.ledgerEntry.count({ where: { sourceType: 'ORDER_LINE', sourceId: { in: (await prisma.orderLine.findMany({ where: { orderId: o.id } })).map((l) => String(l.id)) } } })).toBe(0);
    const paid = await recordBankReceipt(1, { reference: o.reference, amountFen: 10000, receivedOn: new Date(), bankReference: `X-${o.reference}` });
    expect(paid.status).toBe('paid');
    const again = await recordBankReceipt(1, { reference: o.reference, amountFen: 10000, receivedOn: new Date(), bankReference: `X-${o.reference}` });
    expect(again).toEqual({ status: 'already', paymentId: paid.paymentId });
    const other = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' });
    await expect(recordBankReceipt(1, { reference: other.reference, amountFen: 10000, receivedOn: new Date(), bankReference: `X-${o.reference}` })).rejects.toMatchObject({ status: 409 });
    await expectLedgerClean();
  });

  it('payment posts at both pairing levels; refunds (per line, then full) take it back at both; ledger check stays zero', async () => {
    const city = await prisma.pairing.findUniqueOrThrow({ where: { slug: 'zhongshan-liupanshui' } });
    const group = await prisma.pairing.findUniqueOrThrow({ where: { slug: 'zhongshan-xiaolan-panzhou' } });
    const before = await Promise.all([totals({ pairingId: city.id }), totals({ pairingId: group.id })]);
    const a = await listedProduct({ priceFen: 3990 }); // 盘州市
    const b = await listedProduct({ priceFen: 1200, kind: 'HANDICRAFT' });
    const buyer = await userByEmail('union@demo.shanhai.cn');
    const org = buyer.memberships[0]!.organisation;
    const o = await placeOrder(buyer, { ...ADDRESS, organisationId: org.id, invoiceTitle: '中山市总工会', taxNumber: '81442000MC0000000X', lines: [{ variantId: a.variantId, quantity: 3 }, { variantId: b.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' });
    // placing counts nothing
    expect((await totals({ pairingId: city.id })).totalFen).toBe(before[0].totalFen);
    await recordBankReceipt(1, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `P-${o.reference}` });
    const paid = await Promise.all([totals({ pairingId: city.id, groupBy: ['flow'] }), totals({ pairingId: group.id })]);
    expect(paid[0].totalFen - before[0].totalFen).toBe(3 * 3990 + 2 * 1200);
    expect(paid[1].totalFen - before[1].totalFen).toBe(3 * 3990 + 2 * 1200);
    expect(paid[0].groups.find((g) => g.key.flow === 'PROCUREMENT')!.amountFen).toBeGreaterThanOrEqual(o.totalFen);
    await expectLedgerClean();

    const lineA = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o.id, variantId: a.variantId } });
    await refundOrder(1, { orderId: o.id, reason: '破损', lines: [{ orderLineId: lineA.id, quantity: 1 }] });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('PARTLY_REFUNDED');
    const part = await Promise.all([totals({ pairingId: city.id }), totals({ pairingId: group.id })]);
    expect(part[0].totalFen - before[0].totalFen).toBe(o.totalFen - 3990);
    expect(part[1].totalFen - before[1].totalFen).toBe(o.totalFen - 3990);
    await expectLedgerClean();
    await expect(refundOrder(1, { orderId: o.id, reason: '多退', lines: [{ orderLineId: lineA.id, quantity: 3 }] })).rejects.toThrow(/最多可退 2 件/);

    await refundOrder(1, { orderId: o.id, reason: '整单退款', lines: 'all' });
    const after = await Promise.all([totals({ pairingId: city.id }), totals({ pairingId: group.id })]);
    expect(after[0].totalFen).toBe(before[0].totalFen);
    expect(after[1].totalFen).toBe(before[1].totalFen);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.id } });
    expect(order.state).toBe('REFUNDED');
    expect(order.refundedFen).toBe(o.totalFen);
    await expect(refundOrder(1, { orderId: o.id, reason: '再退', lines: 'all' })).rejects.toThrow(/已退款，不能部分退款/);
    await expectLedgerClean();
  });

  it('concurrent full refunds give the money back once', async () => {
    const p = await listedProduct({ priceFen: 2500 });
    const buyer = await userByEmail(CONSUMER);
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' });
    await recordBankReceipt(1, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `C-${o.reference}` });
    const r = await Promise.allSettled([1, 2, 3].map(() => refundOrder(1, { orderId: o.id, reason: '取消', lines: 'all' })));
    expect(r.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: o.id } });
    expect(order.refundedFen).toBe(o.totalFen);
    await expectLedgerClean();
  });
});

describe('refunds before shipping put the goods back in stock', () => {
  const stockOf = async (variantId: number) => (await prisma.variant.findUniqueOrThrow({ where: { id: variantId } })).stock;
  const paidOrder = async (lines: Array<{ variantId: number; quantity: number }>) => {
    const buyer = await userByEmail(CONSUMER);
    const o = await placeOrder(buyer, { ...ADDRESS, lines, provider: 'BANK_TRANSFER' });
    await recordBankReceipt(1, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `S-${o.reference}` });
    return o;
  };
  const staffOf = async (sellerId: number) => {
    const admin = await userByEmail('admin@demo.shanhai.cn');
    return { id: admin.id, permissions: admin.permissions, sellerStaff: [{ isAdmin: true, seller: { id: sellerId, slug: '', name: '' } }] };
  };

  it('unshipped items return (per line and quantity); a parcel with nothing left is cancelled; shipped items do not', async () => {
    const a = await listedProduct({ stock: 20 });
    const b = await listedProduct({ stock: 20 });
    const o = await paidOrder([{ variantId: a.variantId, quantity: 3 }, { variantId: b.variantId, quantity: 2 }]);
    expect([await stockOf(a.variantId), await stockOf(b.variantId)]).toEqual([17, 18]);
    const lineA = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o.id, variantId: a.variantId } });
    const lineB = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o.id, variantId: b.variantId } });
    // b's parcel ships; then one of a and all of b are refunded
    await markShipped(await staffOf(b.sellerId), lineB.fulfilmentId, '顺丰', 'SF100200300');
    await refundOrder(1, { orderId: o.id, reason: '少发一件', lines: [{ orderLineId: lineA.id, quantity: 1 }] });
    expect(await stockOf(a.variantId)).toBe(18);
    expect((await prisma.fulfilment.findUniqueOrThrow({ where: { id: lineA.fulfilmentId } })).state).toBe('TO_SHIP'); // two left to ship
    await refundOrder(1, { orderId: o.id, reason: '退货', lines: [{ orderLineId: lineB.id, quantity: 2 }] });
    expect(await stockOf(b.variantId)).toBe(18); // already on its way: nothing comes back by itself
    await refundOrder(1, { orderId: o.id, reason: '不要了', lines: [{ orderLineId: lineA.id, quantity: 2 }] });
    expect(await stockOf(a.variantId)).toBe(20);
    expect((await prisma.fulfilment.findUniqueOrThrow({ where: { id: lineA.fulfilmentId } })).state).toBe('CANCELLED');
    const events = await prisma.orderEvent.findMany({ where: { orderId: o.id, kind: 'restocked' }, select: { messageZh: true } });
    expect(events.map((e) => e.messageZh)).toEqual(['未发货的 1 件已退回库存', '未发货的 2 件已退回库存']);
    await expectLedgerClean();
  });

  it('a refund racing the seller’s shipment: shipped and not restocked, or cancelled and restocked — never both', async () => {
    for (let round = 0; round < 5; round++) {
      const p = await listedProduct({ stock: 10 });
      const o = await paidOrder([{ variantId: p.variantId, quantity: 4 }]);
      const line = await prisma.orderLine.findFirstOrThrow({ where: { orderId: o.id } });
      const staff = await staffOf(p.sellerId);
      await Promise.allSettled([markShipped(staff, line.fulfilmentId, '顺丰', `SF${round}0000001`), refundOrder(1, { orderId: o.id, reason: '取消', lines: 'all' })]);
      const f = await prisma.fulfilment.findUniqueOrThrow({ where: { id: line.fulfilmentId } });
      const stock = await stockOf(p.variantId);
      if (f.state === 'SHIPPED') expect(stock).toBe(6);
      else expect([f.state, stock]).toEqual(['CANCELLED', 10]);
    }
    await expectLedgerClean();
  });
});
