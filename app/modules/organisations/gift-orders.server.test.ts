// Gift-distribution orders: a list with bad rows creates nothing; a good list is one 采购 order with one
// parcel per recipient × seller and exactly the stock it needs; two lists racing for the last stock never
// oversell; finance's bank-transfer confirmation posts the order amount once per pairing level.
import { describe, expect, it } from 'vitest';
import { runLedgerCheck } from '~/modules/attribution/check.server';
import { prisma } from '~/modules/db/db.server';
import { markShipped, OrderError, sellerFulfilments } from '~/modules/orders/orders.server';
import { fulfilOrderPayment, recordBankReceipt } from '~/modules/payments/payments.server';
import { listedProduct } from '../../../tests/helpers/orders';
import { requestAs } from '../../../tests/helpers/actors';
import { loader as orderPage } from '~/routes/orders.$id';
import { placeGiftOrder, type GiftOrderInput } from './gift-orders.server';
import { freshOrganisation } from './test-fixtures';

const csv = (rows: string[]) => ({ filename: '名单.csv', bytes: Buffer.from(['姓名,手机号,地址,数量', ...rows].join('\r\n') + '\r\n', 'utf8') });
const GOOD = [
  '张三,13800138000,广东省中山市东区街道中山四路1号,2',
  '李四,13912345678,广东省中山市石岐街道孙文中路88号301室,1',
  '王五,13700001111,广东省中山市小榄镇升平中路8号,3',
];
const header = { invoiceTitle: '中山市测试工会', taxNumber: '91442000MA4UXXXX1X', contactName: '工会李老师', contactMobile: '13600000000' };

async function counts(variantIds: number[]) {
  const [orders, fulfilments, lines, variants] = await Promise.all([
    prisma.order.count(), prisma.fulfilment.count(), prisma.orderLine.count(),
    prisma.variant.findMany({ where: { id: { in: variantIds } }, select: { id: true, stock: true }, orderBy: { id: 'asc' } }),
  ]);
  return { orders, fulfilments, lines, stock: variants.map((v) => v.stock) };
}

describe('gift-distribution orders', () => {
  it('a list with bad rows is refused with its row numbers and nothing is created', async () => {
    const { org, admin } = await freshOrganisation('UNION');
    const p = await listedProduct({ stock: 50 });
    const before = await counts([p.variantId]);
    const input: GiftOrderInput = { ...header, organisationId: org.id, pack: [{ variantId: p.variantId, quantity: 1 }], file: csv([...GOOD, '赵六,1380013800,广东省中山市东区街道中山四路9号,1', ',13800138009,广东省中山市,0']) };
    const r = await placeGiftOrder(admin, input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.list.rowErrors).toEqual([{ rowNo: 5, errors: ['mobile.format'] }, { rowNo: 6, errors: ['name.missing', 'address.tooShort', 'quantity.format'] }]);
    expect(await counts([p.variantId])).toEqual(before);
    // a list that asks for more than the stock: refused as a whole, nothing reserved
    await expect(placeGiftOrder(admin, { ...input, file: csv([...GOOD, '赵六,13800138001,广东省中山市东区街道中山四路9号,999']) })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/库存不足/) });
    expect(await counts([p.variantId])).toEqual(before);
  });

  it('a pack × a recipient\'s quantity above the line limit names the row and the most per recipient; an over-long note or invoice title is refused; nothing counts or is created', async () => {
    const { org, admin } = await freshOrganisation('UNION');
    const p = await listedProduct({ stock: 50_000 });
    const before = await counts([p.variantId]);
    let counted = 0;
    const input: GiftOrderInput = { ...header, organisationId: org.id, pack: [{ variantId: p.variantId, quantity: 11 }], file: csv([...GOOD, '赵六,13800138001,广东省中山市东区街道中山四路9号,999']), beforePlace: async () => void counted++ };
    await expect(placeGiftOrder(admin, input)).rejects.toMatchObject({ field: 'pack', message: expect.stringContaining('第 5 行 999 份 × 礼包中每份 11 件超过单品上限 9999 件；每人最多 909 份') });
    expect(counted).toBe(0);
    await expect(placeGiftOrder(admin, { ...input, file: csv(GOOD), note: '备'.repeat(201) })).rejects.toMatchObject({ field: 'note' });
    await expect(placeGiftOrder(admin, { ...input, file: csv(GOOD), invoiceTitle: '工'.repeat(101) })).rejects.toMatchObject({ field: 'invoiceTitle' });
    expect(await counts([p.variantId])).toEqual(before);
  });

  it('a good list: one 采购 order, one parcel per recipient × seller, stock reduced exactly, quantity breaks at the order total', async () => {
    const { org, admin } = await freshOrganisation('UNION');
    const a = await listedProduct({ stock: 40, priceFen: 5000 });
    const b = await listedProduct({ stock: 40, priceFen: 1200, countyCode: '522726' });
    // 6 packs × 2 = 12 of a: reaches the ≥10 break; 6 of b stays at the base price
    await prisma.variantPriceBreak.createMany({ data: [{ variantId: a.variantId, minQuantity: 10, priceFen: 4500 }, { variantId: a.variantId, minQuantity: 100, priceFen: 4000 }, { variantId: b.variantId, minQuantity: 10, priceFen: 1000 }] });
    const before = await counts([a.variantId, b.variantId]);
    const r = await placeGiftOrder(admin, { ...header, organisationId: org.id, pack: [{ variantId: a.variantId, quantity: 2 }, { variantId: b.variantId, quantity: 1 }], file: csv(GOOD) });
    if (!r.ok) throw new Error(JSON.stringify(r.list));
    expect(r).toMatchObject({ recipients: 3, packs: 6 });
    expect(r.order.totalFen).toBe(12 * 4500 + 6 * 1200);
    const after = await counts([a.variantId, b.variantId]);
    expect(after.orders).toBe(before.orders + 1);
    expect(after.fulfilments).toBe(before.fulfilments + 6);
    expect(after.stock).toEqual([40 - 12, 40 - 6]);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: r.order.id }, include: { fulfilments: { include: { lines: true }, orderBy: [{ recipientNo: 'asc' }, { sellerId: 'asc' }] } } });
    expect(order).toMatchObject({ flow: 'PROCUREMENT', buyerOrganisationId: org.id, provider: 'BANK_TRANSFER', state: 'AWAITING_PAYMENT', recipient: '工会李老师', cityCode: '442000' });
    expect(order.fulfilments.map((f) => [f.recipientNo, f.recipientName, f.sellerId, f.lines.map((l) => [l.quantity, l.unitPriceFen])])).toEqual([
      [2, '张三', a.sellerId, [[4, 4500]]], [2, '张三', b.sellerId, [[2, 1200]]],
      [3, '李四', a.sellerId, [[2, 4500]]], [3, '李四', b.sellerId, [[1, 1200]]],
      [4, '王五', a.sellerId, [[6, 4500]]], [4, '王五', b.sellerId, [[3, 1200]]],
    ].sort((x, y) => (x[0] as number) - (y[0] as number) || (x[2] as number) - (y[2] as number)));
    expect(order.fulfilments[0]).toMatchObject({ recipientMobile: '13800138000', recipientAddress: '广东省中山市东区街道中山四路1号' });
  });

  it('two lists racing for the last stock: one order, no oversell', async () => {
    const { org, admin } = await freshOrganisation('UNION');
    const p = await listedProduct({ stock: 6 });
    const before = await counts([p.variantId]);
    const input = { ...header, organisationId: org.id, pack: [{ variantId: p.variantId, quantity: 1 }], file: csv(GOOD) }; // 6 each
    const results = await Promise.allSettled([placeGiftOrder(admin, input), placeGiftOrder(admin, input), placeGiftOrder(admin, input)]);
    const ok = results.filter((x) => x.status === 'fulfilled');
    const failed = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed.every((f) => f.reason instanceof OrderError && f.reason.status === 409)).toBe(true);
    const after = await counts([p.variantId]);
    expect(after.stock).toEqual([0]);
    expect(after.orders).toBe(before.orders + 1);
    expect(after.fulfilments).toBe(before.fulfilments + 3);
  });

  it('above the approval threshold the gift order waits for an approver', async () => {
    const { org, admin } = await freshOrganisation('UNION');
    await prisma.organisation.update({ where: { id: org.id }, data: { approvalThresholdFen: 1000n } });
    const p = await listedProduct({ stock: 10, priceFen: 3990 });
    const r = await placeGiftOrder(admin, { ...header, organisationId: org.id, pack: [{ variantId: p.variantId, quantity: 1 }], file: csv(GOOD.slice(0, 1)) });
    expect(r.ok && r.order.awaitingApproval).toBe(true);
  });

  it('finance confirms the transfer: the order is paid and the ledger holds its amount once per pairing level under 采购', async () => {
    const { org, admin } = await freshOrganisation('UNION');
    const p = await listedProduct({ stock: 20, priceFen: 3990 });
    await prisma.variantPriceBreak.create({ data: { variantId: p.variantId, minQuantity: 5, priceFen: 3500 } });
    const r = await placeGiftOrder(admin, { ...header, organisationId: org.id, pack: [{ variantId: p.variantId, quantity: 1 }], file: csv(GOOD) });
    if (!r.ok) throw new Error('list refused');
    expect(r.order.totalFen).toBe(6 * 3500);
    const financeUser = await prisma.user.findUniqueOrThrow({ where: { email: 'admin@demo.shanhai.cn' }, select: { id: true } });
    const paid = await recordBankReceipt(financeUser.id, { reference: r.order.reference, amountFen: r.order.totalFen, receivedOn: new Date(), bankReference: `B-${r.order.id}` });
    expect(paid.status).toBe('paid');
    // the same receipt again changes nothing
    expect((await recordBankReceipt(financeUser.id, { reference: r.order.reference, amountFen: r.order.totalFen, receivedOn: new Date(), bankReference: `B-${r.order.id}` })).status).toBe('already');
    const lines = await prisma.orderLine.findMany({ where: { orderId: r.order.id }, select: { id: true } });
    expect(lines).toHaveLength(3);
    const entries = await prisma.ledgerEntry.groupBy({ by: ['pairingLevel', 'flow'], where: { sourceType: 'ORDER_LINE', sourceId: { in: lines.map((l) => String(l.id)) } }, _sum: { amountFen: true } });
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.flow).toBe('PROCUREMENT');
      expect(Number(e._sum.amountFen)).toBe(r.order.totalFen);
    }
    const fulfilments = await prisma.fulfilment.findMany({ where: { orderId: r.order.id }, select: { state: true } });
    expect(fulfilments.map((f) => f.state)).toEqual(['TO_SHIP', 'TO_SHIP', 'TO_SHIP']);
    expect((await runLedgerCheck()).problems).toEqual([]);
  });

  it('sellers ship each recipient\'s parcel; the order is shipped when the last one is', async () => {
    const { org, admin } = await freshOrganisation('UNION');
    const p = await listedProduct({ stock: 20 });
    const r = await placeGiftOrder(admin, { ...header, organisationId: org.id, pack: [{ variantId: p.variantId, quantity: 1 }], file: csv(GOOD.slice(0, 2)) });
    if (!r.ok) throw new Error('list refused');
    await fulfilOrderPayment({ orderId: r.order.id, provider: 'BANK_TRANSFER', amountFen: r.order.totalFen, bankReference: `S-${r.order.id}` });
    const staff = await prisma.user.create({ data: { email: `t-ship-${r.order.id}@test.shanhai.cn`, name: '发货员', passwordHash: 'x', sellerStaff: { create: { sellerId: p.sellerId } } } });
    const actor = { id: staff.id, permissions: [], sellerStaff: [{ seller: { id: p.sellerId } }] } as unknown as Parameters<typeof markShipped>[0];
    const parcels = await sellerFulfilments([p.sellerId]);
    expect(parcels.map((f) => [f.recipientNo, f.recipientName, f.recipientMobile, f.recipientAddress])).toEqual([
      [3, '李四', '13912345678', '广东省中山市石岐街道孙文中路88号301室'],
      [2, '张三', '13800138000', '广东省中山市东区街道中山四路1号'],
    ]);
    await markShipped(actor, parcels[0]!.id, '顺丰速运', 'SF1000000001');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: r.order.id } })).state).toBe('PAID');
    await markShipped(actor, parcels[1]!.id, '顺丰速运', 'SF1000000002');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: r.order.id } })).state).toBe('SHIPPED');
  });

  it('a list of 2,000 recipients is placed and paid in one go', async () => {
    const { org, admin } = await freshOrganisation('UNION');
    const p = await listedProduct({ stock: 5000, priceFen: 1000 });
    const rows = Array.from({ length: 2000 }, (_, i) => `员工${i},1380000${String(i).padStart(4, '0')},广东省中山市东区街道中山四路${i}号,1`);
    const t0 = Date.now();
    const r = await placeGiftOrder(admin, { ...header, organisationId: org.id, pack: [{ variantId: p.variantId, quantity: 1 }], file: csv(rows) });
    if (!r.ok) throw new Error(JSON.stringify(r.list.rowErrors.slice(0, 3)));
    const t1 = Date.now();
    expect((await fulfilOrderPayment({ orderId: r.order.id, provider: 'BANK_TRANSFER', amountFen: 2000 * 1000, bankReference: `L-${r.order.id}` })).status).toBe('paid');
    const t2 = Date.now();
    console.log(`2000 recipients: placed in ${t1 - t0} ms, paid (ledger posted) in ${t2 - t1} ms`);
    expect(await prisma.fulfilment.count({ where: { orderId: r.order.id } })).toBe(2000);
    expect((await prisma.variant.findUniqueOrThrow({ where: { id: p.variantId } })).stock).toBe(3000);
  }, 120_000);

  it('the order page shows a large list 50 parcels at a time, with the whole order summed up', async () => {
    const { org, admin, adminUser } = await freshOrganisation('UNION');
    const p = await listedProduct({ stock: 500 });
    const rows = Array.from({ length: 60 }, (_, i) => `员工${i},1380000${String(i).padStart(4, '0')},广东省中山市东区街道中山四路${i}号,1`);
    const r = await placeGiftOrder(admin, { ...header, organisationId: org.id, pack: [{ variantId: p.variantId, quantity: 1 }], file: csv(rows) });
    if (!r.ok) throw new Error('list refused');
    const page = async (q: string) => {
      try {
        return (await orderPage({ request: await requestAs(adminUser.email, `/orders/${r.order.id}${q}`), params: { id: String(r.order.id) }, context: {} })) as Response;
      } catch (e) {
        return e as Response;
      }
    };
    const second = await (await page('?parcels=2')).json();
    expect(second.pager).toMatchObject({ page: 2, pages: 2, total: 60, recipients: 60, states: { AWAITING_PAYMENT: 60 } });
    expect(second.order.fulfilments.map((f: { recipientNo: number }) => f.recipientNo)).toEqual(Array.from({ length: 10 }, (_, i) => i + 52)); // list rows 52–61 (row 1 is the header)
    expect(second.order.lines).toHaveLength(10);
    // the reviews asked about are the shown lines only
    expect(second.isBuyer).toBe(true);
    expect(Object.keys(second.reviews).map(Number).sort((a, b) => a - b)).toEqual(second.order.lines.map((l: { id: number }) => l.id).sort((a: number, b: number) => a - b));
    const first = await (await page('')).json();
    expect(first.order.fulfilments).toHaveLength(50);
    expect(first.order.lines.map((l: { fulfilmentId: number }) => l.fulfilmentId)).toEqual(first.order.fulfilments.map((f: { id: number }) => f.id));
    expect((await (await page('?parcels=9')).json()).pager.page).toBe(2); // past the end: the last page
    // the summary counts every parcel of the order, whichever page is shown
    await prisma.fulfilment.updateMany({ where: { orderId: r.order.id, recipientNo: { lte: 11 } }, data: { state: 'CANCELLED' } });
    expect((await (await page('?parcels=2')).json()).pager.states).toEqual({ AWAITING_PAYMENT: 50, CANCELLED: 10 });
    expect((await page('?parcels=abc')).status).toBe(400);
  });
});
