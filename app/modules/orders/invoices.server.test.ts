// Invoice requests on organisation orders: personal and unpaid orders are refused, one request per order,
// details copied at request time, only finance issues, an invoice number is used once.
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { placeOrder } from '~/modules/orders/orders.server';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import { actorFor, freshUser, uniq } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { freshOrganisation } from '../organisations/test-fixtures';
import { invoiceOfOrder, invoiceQueue, issueInvoice, requestInvoice } from './invoices.server';

const TAX = '914401011111111111';

async function setup() {
  const f = await freshOrganisation('BUDGET_UNIT', 1);
  await prisma.organisation.update({
    where: { id: f.org.id },
    data: { invoiceTitle: '测试预算单位', taxNumber: TAX, invoiceAddress: '广州市开发大道 1 号 020-12345678', invoicePhone: '020-12345678', invoiceBank: '工商银行开发区支行', invoiceBankAccount: '3602000000000000001' },
  });
  const buyer = await userByEmail(f.adminUser.email);
  const member = await actorFor(f.members[0]!.email);
  const p = await listedProduct({ priceFen: 10_000, stock: 20 });
  const order = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER', organisationId: f.org.id, invoiceTitle: '测试预算单位', taxNumber: TAX });
  const pay = () => recordBankReceipt(1, { reference: order.reference, amountFen: 20_000, receivedOn: new Date(), bankReference: `INV${order.id}${uniq()}` });
  const financeUser = await freshUser(['finance']);
  const finance = await actorFor(financeUser.email);
  return { ...f, buyer, member, order, pay, finance };
}

describe('invoice requests', () => {
  it('unpaid refused; paid → requested with the details copied; twice refused; finance issues; status read back', async () => {
    const s = await setup();
    await expect(requestInvoice(s.buyer, s.order.id)).rejects.toMatchObject({ status: 409 });
    expect(await invoiceOfOrder(s.order.id)).toBeNull();
    expect((await s.pay()).status).toBe('paid');
    // a plain member of the organisation is not a buyer
    await expect(requestInvoice(s.member, s.order.id)).rejects.toMatchObject({ status: 403 });
    const [a, b] = await Promise.allSettled([requestInvoice(s.buyer, s.order.id), requestInvoice(s.buyer, s.order.id)]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    await expect(requestInvoice(s.buyer, s.order.id)).rejects.toMatchObject({ status: 409 });
    const req = await prisma.invoiceRequest.findUniqueOrThrow({ where: { orderId: s.order.id } });
    expect(req).toMatchObject({ status: 'REQUESTED', title: '测试预算单位', taxNumber: TAX, bank: '工商银行开发区支行', bankAccount: '3602000000000000001', amountFen: 20_000, requestedById: s.buyer.id });
    // copied, not linked: later edits of the organisation leave the request as it was
    await prisma.organisation.update({ where: { id: s.org.id }, data: { invoiceTitle: '改名后的单位' } });
    expect((await invoiceOfOrder(s.order.id))!.title).toBe('测试预算单位');
    expect((await invoiceQueue('REQUESTED')).map((r) => r.id)).toContain(req.id);

    // a non-finance user (the organisation's own admin) cannot issue
    await expect(issueInvoice(s.admin, req.id, { invoiceNumber: '44001234567', issuedOn: new Date('2026-11-23') })).rejects.toMatchObject({ status: 403 });
    await expect(issueInvoice(s.finance, req.id, { invoiceNumber: '12', issuedOn: new Date('2026-11-23') })).rejects.toMatchObject({ field: 'invoiceNumber' });
    expect((await invoiceOfOrder(s.order.id))!.status).toBe('REQUESTED');
    const number = `4400${Date.now()}`.slice(0, 20);
    await issueInvoice(s.finance, req.id, { invoiceNumber: number, issuedOn: new Date('2026-11-23') });
    const issued = await invoiceOfOrder(s.order.id);
    expect(issued).toMatchObject({ status: 'ISSUED', invoiceNumber: number });
    expect(issued!.issuedOn!.toISOString().slice(0, 10)).toBe('2026-11-23');
    await expect(issueInvoice(s.finance, req.id, { invoiceNumber: `${number}9`, issuedOn: new Date('2026-11-24') })).rejects.toMatchObject({ status: 409 });
    expect((await invoiceOfOrder(s.order.id))!.invoiceNumber).toBe(number);
    expect((await invoiceQueue('REQUESTED')).map((r) => r.id)).not.toContain(req.id);

    // the same invoice number cannot be used for a second request
    const t = await setup();
    await t.pay();
    const req2 = await requestInvoice(t.buyer, t.order.id);
    await expect(issueInvoice(t.finance, req2.id, { invoiceNumber: number, issuedOn: new Date('2026-11-23') })).rejects.toMatchObject({ field: 'invoiceNumber', status: 409 });
    expect((await invoiceOfOrder(t.order.id))!.status).toBe('REQUESTED');
  });

  it('a personal order cannot have an organisation invoice; an unknown order is 404', async () => {
    const u = await freshUser(['consumer']);
    const buyer = await userByEmail(u.email);
    const p = await listedProduct({ priceFen: 5_000, stock: 5 });
    const order = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' });
    await recordBankReceipt(1, { reference: order.reference, amountFen: 5_000, receivedOn: new Date(), bankReference: `INVP${order.id}${uniq()}` });
    await expect(requestInvoice(buyer, order.id)).rejects.toMatchObject({ status: 409 });
    await expect(requestInvoice(buyer, 2_000_000_000)).rejects.toMatchObject({ status: 404 });
    expect(await invoiceOfOrder(order.id)).toBeNull();
  });
});
