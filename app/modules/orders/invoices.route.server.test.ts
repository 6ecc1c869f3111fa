// /orders/:id (intent=invoice) and /finance/invoices called the way Remix calls them: the buyer requests, the
// status shows on the order page, non-finance users get 403, garbage is a 400 with nothing changed, finance issues.
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { placeOrder } from '~/modules/orders/orders.server';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import * as financePage from '~/routes/finance.invoices';
import * as orderPage from '~/routes/orders.$id';
import { freshUser, requestAs, uniq } from '../../../tests/helpers/actors';
import { ADDRESS, listedProduct, userByEmail } from '../../../tests/helpers/orders';
import { freshOrganisation } from '../organisations/test-fixtures';
import { callRoute, urlencodedPost } from '../../../tests/helpers/routes';

const form = urlencodedPost;
const call = callRoute;

describe('invoice routes', () => {
  it('buyer requests on /orders/:id, finance issues on /finance/invoices', async () => {
    const { org, adminUser, members } = await freshOrganisation('BUDGET_UNIT', 1);
    await prisma.organisation.update({ where: { id: org.id }, data: { invoiceTitle: '路由测试单位', taxNumber: '914401011111111111' } });
    const p = await listedProduct({ priceFen: 5_000 });
    const o = await placeOrder(await userByEmail(adminUser.email), { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 1 }], provider: 'BANK_TRANSFER', organisationId: org.id, invoiceTitle: '路由测试单位', taxNumber: '914401011111111111' });
    const params = { id: String(o.id) };
    const postOrder = async (email: string) => call(async () => orderPage.action({ request: (await requestAs(email, `/orders/${o.id}`, form({ intent: 'invoice' }))) as never, params, context: {} }));
    expect((await postOrder(adminUser.email)).status).toBe(409); // not paid yet
    await recordBankReceipt(1, { reference: o.reference, amountFen: 5_000, receivedOn: new Date(), bankReference: `RT${o.id}${uniq()}` });
    expect((await postOrder(members[0]!.email)).status).toBe(403);
    expect((await postOrder(adminUser.email)).status).toBe(302);
    expect((await postOrder(adminUser.email)).status).toBe(409);
    const page = await call(async () => orderPage.loader({ request: (await requestAs(adminUser.email, `/orders/${o.id}`)) as never, params, context: {} }));
    const data = (await page.json()) as { invoice: { id: number; status: string }; canRequestInvoice: boolean };
    expect(data.invoice.status).toBe('REQUESTED');
    expect(data.canRequestInvoice).toBe(false);

    const finance = await freshUser(['finance']);
    const list = async (email: string) => call(async () => financePage.loader({ request: (await requestAs(email, '/finance/invoices')) as never, params: {}, context: {} }));
    expect((await list(adminUser.email)).status).toBe(403);
    expect(((await (await list(finance.email)).json()) as { requested: Array<{ id: number }> }).requested.map((r) => r.id)).toContain(data.invoice.id);
    const issue = async (email: string, fields: Record<string, string>) => call(async () => financePage.action({ request: (await requestAs(email, '/finance/invoices', form(fields))) as never, params: {}, context: {} }));
    const number = `R${Date.now()}`;
    expect((await issue(adminUser.email, { requestId: String(data.invoice.id), invoiceNumber: number, issuedOn: '2026-11-23' })).status).toBe(403);
    // a refusal answers the form it came from (one per request on the page), at its field, with what was typed
    const formId = `invoice-${data.invoice.id}`;
    const refused = await issue(finance.email, { formId, requestId: String(data.invoice.id), invoiceNumber: 'x', issuedOn: '2026-11-23' });
    expect(refused.status).toBe(400);
    const answer = (await refused.json()) as { formId: string; result: { initialValue: Record<string, string>; error: Record<string, string[]> } };
    expect(answer.formId).toBe(formId);
    expect(answer.result.error.invoiceNumber?.[0]).toContain('发票号码');
    expect(answer.result.initialValue).toMatchObject({ invoiceNumber: 'x', issuedOn: '2026-11-23' });
    // a malformed form id is not echoed (it names a form on the page)
    expect(((await (await issue(finance.email, { formId: '"><script>', requestId: String(data.invoice.id), invoiceNumber: 'x', issuedOn: '2026-11-23' })).json()) as { formId: string }).formId).toBe('');
    expect((await issue(finance.email, { requestId: String(data.invoice.id), invoiceNumber: number, issuedOn: '2026-13-45' })).status).toBe(400);
    expect((await prisma.invoiceRequest.findUniqueOrThrow({ where: { id: data.invoice.id } })).status).toBe('REQUESTED');
    expect((await issue(finance.email, { requestId: String(data.invoice.id), invoiceNumber: number, issuedOn: '2026-11-23' })).status).toBe(302);
    const again = await issue(finance.email, { formId, requestId: String(data.invoice.id), invoiceNumber: `${number}1`, issuedOn: '2026-11-23' });
    expect(again.status).toBe(409);
    const conflict = (await again.json()) as { formId: string; result: { error: Record<string, string[]>; initialValue: Record<string, string> } };
    expect(conflict.formId).toBe(formId);
    expect(Object.values(conflict.result.error).flat().length).toBeGreaterThan(0);
    expect(conflict.result.initialValue.invoiceNumber).toBe(`${number}1`);
    const after = (await (await call(async () => orderPage.loader({ request: (await requestAs(adminUser.email, `/orders/${o.id}`)) as never, params, context: {} }))).json()) as { invoice: { status: string; invoiceNumber: string } };
    expect(after.invoice).toMatchObject({ status: 'ISSUED', invoiceNumber: number });
  });
});
