// /finance/orders/:id/refund called the way Remix calls it: finance only; a refused refund answers with
// what was filled in (the per-line choice, its quantities and the reason), its errors at their fields,
// and nothing refunded; a good per-line refund goes through.
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { placeOrder } from '~/modules/orders/orders.server';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import * as refundPage from '~/routes/finance.orders.$id.refund';
import { freshUser, requestAs, uniq } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { callRoute, urlencodedPost } from '../../../tests/helpers/routes';

type Answer = { initialValue: Record<string, string>; error: Record<string, string[]> };

describe('/finance/orders/:id/refund', () => {
  it('keeps a refused per-line refund as it was filled in, with its errors at their fields', async () => {
    const buyer = await freshUser();
    const a = await listedProduct({ priceFen: 3_000 });
    const b = await listedProduct({ priceFen: 2_000 });
    const o = await placeOrder(await userByEmail(buyer.email), { ...ADDRESS, lines: [{ variantId: a.variantId, quantity: 2 }, { variantId: b.variantId, quantity: 1 }], provider: 'BANK_TRANSFER' });
    await recordBankReceipt(1, { reference: o.reference, amountFen: 8_000, receivedOn: new Date(), bankReference: `RF${o.id}${uniq()}` });
    const [lineA, lineB] = await prisma.orderLine.findMany({ where: { orderId: o.id }, orderBy: { id: 'asc' }, select: { id: true } });
    const finance = await freshUser(['finance']);
    const params = { id: String(o.id) };
    const post = async (email: string, fields: Record<string, string>) =>
      callRoute(async () => refundPage.action({ request: (await requestAs(email, `/finance/orders/${o.id}/refund`, urlencodedPost(fields))) as never, params, context: {} }));

    expect((await post(buyer.email, { mode: 'all', reason: '买家要求' })).status).toBe(403);

    // a quantity that is not a whole number: refused at the lines, everything typed comes back
    const bad = await post(finance.email, { mode: 'lines', [`qty-${lineA!.id}`]: '1.5', [`qty-${lineB!.id}`]: '1', reason: '部分缺货' });
    expect(bad.status).toBe(400);
    const answer = (await bad.json()) as Answer;
    expect(answer.error.lines?.[0]).toContain('正整数');
    expect(answer.initialValue).toMatchObject({ mode: 'lines', [`qty-${lineA!.id}`]: '1.5', [`qty-${lineB!.id}`]: '1', reason: '部分缺货' });

    // no reason: refused at the reason, the per-line choice kept
    const noReason = (await (await post(finance.email, { mode: 'lines', [`qty-${lineB!.id}`]: '1', reason: '' })).json()) as Answer;
    expect(noReason.error.reason?.[0]).toContain('退款原因');
    expect(noReason.initialValue.mode).toBe('lines');
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).refundedFen).toBe(0);

    // corrected: one line refunded, not the order
    expect((await post(finance.email, { mode: 'lines', [`qty-${lineB!.id}`]: '1', reason: '部分缺货' })).status).toBe(302);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).refundedFen).toBe(2_000);
  });
});
