// /org/:id/approvals called the way Remix calls it: approvers only, garbage is a 400 with nothing changed,
// reject without a reason is refused, approve moves the order on.
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { placeOrder } from '~/modules/orders/orders.server';
import { action, loader } from '~/routes/org.$id.approvals';
import { requestAs } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { freshOrganisation } from './test-fixtures';
import { callRoute, urlencodedPost } from '../../../tests/helpers/routes';

const form = urlencodedPost;
const call = callRoute;

describe('/org/:id/approvals', () => {
  it('lists waiting orders for approvers, refuses members, 400 on garbage, approves', async () => {
    const { org, adminUser, members } = await freshOrganisation('UNION', 1);
    await prisma.organisation.update({ where: { id: org.id }, data: { approvalThresholdFen: 1n } });
    const p = await listedProduct({ priceFen: 5_000 });
    const o = await placeOrder(await userByEmail(adminUser.email), { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 1 }], provider: 'BANK_TRANSFER', organisationId: org.id, invoiceTitle: '测试工会', taxNumber: '914401011111111111' });
    const params = { id: String(org.id) };
    const page = await call(async () => loader({ request: (await requestAs(adminUser.email, `/org/${org.id}/approvals`)) as never, params, context: {} }));
    expect(((await page.json()) as { queue: Array<{ id: number }> }).queue.map((x) => x.id)).toEqual([o.id]);
    expect((await call(async () => loader({ request: (await requestAs(members[0]!.email, `/org/${org.id}/approvals`)) as never, params, context: {} }))).status).toBe(403);
    const post = async (email: string, fields: Record<string, string>) => call(async () => action({ request: (await requestAs(email, `/org/${org.id}/approvals`, form(fields))) as never, params, context: {} }));
    expect((await post(adminUser.email, { decision: 'maybe', orderId: String(o.id) })).status).toBe(400);
    const noReason = await post(adminUser.email, { formId: `reject-${o.id}`, decision: 'reject', orderId: String(o.id), reason: ' ' });
    expect(noReason.status).toBe(400);
    const answer = (await noReason.json()) as { formId: string; result: { error: Record<string, string[]> } };
    expect(answer.formId).toBe(`reject-${o.id}`); // the reject form of this order shows it, at its reason
    expect(answer.result.error.reason?.[0]).toContain('驳回原因');
    expect((await post(adminUser.email, { decision: 'reject', orderId: String(o.id) })).status).toBe(400);
    expect((await post(members[0]!.email, { decision: 'approve', orderId: String(o.id) })).status).toBe(403);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('AWAITING_APPROVAL');
    expect((await post(adminUser.email, { decision: 'approve', orderId: String(o.id) })).status).toBe(200);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).state).toBe('AWAITING_PAYMENT');
    expect((await post(adminUser.email, { decision: 'approve', orderId: String(o.id) })).status).toBe(409);
  });
});
