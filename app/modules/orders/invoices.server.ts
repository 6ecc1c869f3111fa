// Invoice requests (issue 7): on a paid (or later) organisation order a buyer of that organisation asks for an
// invoice made out with the organisation's details, copied at request time; finance issues it with the invoice
// number and date. One request per order (UNIQUE order_id); issuing is one conditional UPDATE.
import type { CurrentUser } from '~/modules/accounts/session.server';
import { userCan } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';
import { Prisma } from '~/generated/prisma/client';
import { OrderError } from './orders.server';

type Actor = Pick<CurrentUser, 'id' | 'permissions'>;

/** States in which the order has been paid (refunded in part still counts: the rest was paid). */
const INVOICEABLE = new Set(['PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'PARTLY_REFUNDED']);

export const INVOICE_STATUS_LABEL = { REQUESTED: ['已申请，待开票', 'Requested, to be issued'], ISSUED: ['已开票', 'Issued'] } as const;

export async function requestInvoice(actor: Actor, orderId: number) {
  const order = await prisma.order.findUnique({
    where: { id: orderId },
    select: { id: true, state: true, totalFen: true, refundedFen: true, buyerOrganisationId: true, buyerOrganisation: true },
  });
  if (!order) throw new OrderError('订单不存在 / No such order', null, 404);
  const org = order.buyerOrganisation;
  if (!org || order.buyerOrganisationId === null) throw new OrderError('个人订单不能申请单位发票 / A personal order has no organisation invoice', null, 409);
  const m = await prisma.membership.findUnique({ where: { userId_organisationId: { userId: actor.id, organisationId: org.id } }, select: { role: true } });
  if (!m || (m.role !== 'BUYER' && m.role !== 'ADMIN') || !userCan(actor, 'create:organisation-order:own')) {
    throw new OrderError('只有该单位的采购员可以申请发票 / Only a buyer of the organisation can request its invoice', null, 403);
  }
  if (!INVOICEABLE.has(order.state)) throw new OrderError('订单付款后才能申请发票 / The order must be paid before an invoice is requested', null, 409);
  if (!org.invoiceTitle.trim() || !org.taxNumber.trim()) {
    throw new OrderError('请单位管理员先填写发票抬头和税号 / The organisation has no invoice title and tax number yet', null, 409);
  }
  const amountFen = order.totalFen - order.refundedFen;
  if (amountFen <= 0) throw new OrderError('订单已全额退款 / The order was refunded in full', null, 409);
  try {
    return await prisma.invoiceRequest.create({
      data: {
        orderId: order.id, organisationId: org.id, requestedById: actor.id, amountFen,
        title: org.invoiceTitle, taxNumber: org.taxNumber, address: org.invoiceAddress, phone: org.invoicePhone, bank: org.invoiceBank, bankAccount: org.invoiceBankAccount,
      },
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new OrderError('该订单已申请过发票 / An invoice was already requested for this order', null, 409);
    }
    throw error;
  }
}

export async function issueInvoice(actor: Actor, requestId: number, input: { invoiceNumber: string; issuedOn: Date }) {
  if (!userCan(actor, 'issue:invoice:any')) throw new OrderError('没有开票权限 / You may not issue invoices', null, 403);
  const invoiceNumber = input.invoiceNumber.trim();
  if (!/^[0-9A-Za-z-]{8,30}$/.test(invoiceNumber)) throw new OrderError('发票号码为 8–30 位数字或字母 / The invoice number is 8–30 digits or letters', 'invoiceNumber');
  if (Number.isNaN(input.issuedOn.getTime())) throw new OrderError('请填写开票日期 / Give the issue date', 'issuedOn');
  try {
    const n = await prisma.invoiceRequest.updateMany({
      where: { id: requestId, status: 'REQUESTED' },
      data: { status: 'ISSUED', invoiceNumber, issuedOn: input.issuedOn, issuedById: actor.id },
    });
    if (n.count === 1) return;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new OrderError('该发票号码已用于另一张发票 / That invoice number is already used', 'invoiceNumber', 409);
    }
    throw error;
  }
  const existing = await prisma.invoiceRequest.findUnique({ where: { id: requestId }, select: { status: true } });
  if (!existing) throw new OrderError('发票申请不存在 / No such invoice request', null, 404);
  throw new OrderError('该发票已开具 / This invoice was already issued', null, 409);
}

export async function invoiceOfOrder(orderId: number) {
  return prisma.invoiceRequest.findUnique({
    where: { orderId },
    select: { id: true, status: true, title: true, taxNumber: true, amountFen: true, invoiceNumber: true, issuedOn: true, createdAt: true },
  });
}

export async function invoiceQueue(status: 'REQUESTED' | 'ISSUED', take = 100) {
  return prisma.invoiceRequest.findMany({
    where: { status },
    orderBy: { createdAt: status === 'REQUESTED' ? 'asc' : 'desc' },
    take,
    select: {
      id: true, status: true, title: true, taxNumber: true, address: true, phone: true, bank: true, bankAccount: true, amountFen: true,
      invoiceNumber: true, issuedOn: true, createdAt: true, order: { select: { id: true, reference: true } }, organisation: { select: { name: true } },
    },
  });
}
