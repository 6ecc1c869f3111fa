// The organisation routes called the way Remix calls them: access, form errors as 400 with nothing
// written, the gift-list upload, allowance grant and the member's balance on /org/:id.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { action as overviewAction, loader as overviewLoader } from '~/routes/org.$id._index';
import { action as allowancesAction } from '~/routes/org.$id.allowances';
import { action as giftAction } from '~/routes/org.$id.gift-list';
import { action as membersAction } from '~/routes/org.$id.members';
import { loader as orderLoader } from '~/routes/orders.$id';
import { listedProduct } from '../../../tests/helpers/orders';
import { freshUser, requestAs } from '../../../tests/helpers/actors';
import { chinaDate } from './allowances.server';
import { freshOrganisation } from './test-fixtures';

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
};
const call = async (fn: () => Promise<unknown>) => {
  try {
    const r = await fn();
    return r as Response;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
};

describe('organisation routes', () => {
  it('details form: a bad credit code is a 400 with the reason and nothing saved; a stranger gets 403', async () => {
    const { org, adminUser } = await freshOrganisation('BUDGET_UNIT');
    const params = { id: String(org.id) };
    const bad = await call(async () => overviewAction({ request: (await requestAs(adminUser.email, `/org/${org.id}`, form({ _action: 'details', name: '新名称', placeCode: '440112', creditCode: '91440112MA5ABCDE1X' }))) as never, params, context: {} }));
    expect(bad.status).toBe(400);
    expect(await prisma.organisation.findUniqueOrThrow({ where: { id: org.id }, select: { name: true } })).toEqual({ name: org.name });
    const stranger = await freshUser();
    expect((await call(async () => overviewLoader({ request: (await requestAs(stranger.email, `/org/${org.id}`)) as never, params, context: {} }))).status).toBe(403);
    const unknown = await call(async () => membersAction({ request: (await requestAs(adminUser.email, `/org/${org.id}/members`, form({ _action: 'promote', userId: '1' }))) as never, params, context: {} }));
    expect(unknown.status).toBe(400);
  });

  it('grants allowances through the page; the member sees the balance on /org/:id', async () => {
    const { org, adminUser, members } = await freshOrganisation('UNION', 2);
    const params = { id: String(org.id) };
    const until = chinaDate(new Date(Date.now() + 30 * 86400_000));
    const bad = await call(async () => allowancesAction({ request: (await requestAs(adminUser.email, '/', form({ memberIds: [String(members[0]!.id)], amount: '-5', validUntil: until }))) as never, params, context: {} }));
    expect(bad.status).toBe(400);
    const ok = await call(async () => allowancesAction({ request: (await requestAs(adminUser.email, '/', form({ memberIds: members.map((m) => String(m.id)), amount: '600', validUntil: until, note: '中秋福利' }))) as never, params, context: {} }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ granted: { grants: 2, totalFen: 120_000 } });
    const page = await call(async () => overviewLoader({ request: (await requestAs(members[1]!.email, `/org/${org.id}`)) as never, params, context: {} }));
    expect(await page.json()).toMatchObject({ allowances: { usableFen: 60_000 }, access: { isAdmin: false } });
    const single = await call(async () => allowancesAction({ request: (await requestAs(adminUser.email, '/', form({ memberIds: String(members[0]!.id), amount: '10', validUntil: until }))) as never, params, context: {} }));
    expect(await single.json()).toMatchObject({ granted: { grants: 1 } });
  });

  it('gift list upload: a GBK file with a bad row is refused with the row number; a good one is listed', async () => {
    const { org, adminUser } = await freshOrganisation('UNION');
    const params = { id: String(org.id) };
    const upload = async (text: string, intent: string | null = 'check') => {
      const fd = new FormData();
      if (intent) fd.set('intent', intent);
      fd.set('file', new File([new Uint8Array(iconv.encode(text, 'gbk'))], '名单.csv', { type: 'text/csv' }));
      return call(async () => giftAction({ request: (await requestAs(adminUser.email, '/', { method: 'POST', body: fd })) as never, params, context: {} }));
    };
    const bad = await upload('姓名,手机号,地址,数量\r\n张三,13800138000,广东省中山市东区街道中山四路1号,2\r\n李四,12345,广东省中山市东区街道中山四路2号,1\r\n');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ result: { ok: false, badRows: 1, rowErrors: [{ rowNo: 3, errors: ['mobile.format'] }] } });
    const good = await upload('姓名,手机号,地址,数量\r\n张三,13800138000,广东省中山市东区街道中山四路1号,2\r\n');
    expect(await good.json()).toMatchObject({ result: { ok: true, count: 1, totalQuantity: 2 } });
    // the form always says which button was pressed; without it nothing is read
    const noIntent = await upload('姓名,手机号,地址,数量\r\n张三,13800138000,广东省中山市东区街道中山四路1号,2\r\n', null);
    expect(noIntent.status).toBe(400);
    expect(await noIntent.json()).toMatchObject({ result: null, reply: { error: { intent: ['无效的操作 / Invalid action'] } } });
  });

  it('gift order from the page: bad rows → 400 with row numbers and nothing created; a good list → one order whose page lists the recipients', async () => {
    const { org, adminUser } = await freshOrganisation('UNION');
    const p = await listedProduct({ stock: 20 });
    const cart = await prisma.cart.create({ data: { id: `t-gift-cart-${adminUser.id}-xxxxxxxxxx`, userId: adminUser.id } });
    await prisma.cartLine.create({ data: { cartId: cart.id, variantId: p.variantId, quantity: 1 } });
    const params = { id: String(org.id) };
    const place = async (rows: string[], checkoutKey = `gift-key-${adminUser.id}-0123456789`, fields: Record<string, string> = {}, withFile = true) => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({ intent: 'place', invoiceTitle: '测试工会', taxNumber: '91442000MA4UXXXX1X', contactName: '李老师', contactMobile: '13600000000', checkoutKey, ...fields })) fd.set(k, v);
      if (withFile) fd.set('file', new File([['姓名,手机号,地址,数量', ...rows].join('\r\n')], '名单.csv', { type: 'text/csv' }));
      return call(async () => giftAction({ request: (await requestAs(adminUser.email, '/', { method: 'POST', body: fd })) as never, params, context: {} }));
    };
    const orders = await prisma.order.count({ where: { buyerOrganisationId: org.id } });
    const stale = await place(['张三,13800138000,广东省中山市东区街道中山四路1号,2'], 'bad key');
    expect(stale.status).toBe(400);
    expect(await stale.json()).toMatchObject({ reply: { status: 'error', error: { checkoutKey: ['表单已失效，请刷新 / The form expired; reload'] } } });
    const bad = await place(['张三,13800138000,广东省中山市东区街道中山四路1号,2', '李四,12345,广东省中山市东区街道中山四路2号,1']);
    expect(bad.status).toBe(400);
    // what was typed comes back with the errors, to be shown again (only the file must be chosen again)
    expect(await bad.json()).toMatchObject({ result: { ok: false, rowErrors: [{ rowNo: 3, errors: ['mobile.format'] }] }, reply: { initialValue: { invoiceTitle: '测试工会', taxNumber: '91442000MA4UXXXX1X', contactName: '李老师', contactMobile: '13600000000' } } });
    // details the form schema refuses: errors at their fields, the typed values kept, nothing created
    const wrong = await place(['张三,13800138000,广东省中山市东区街道中山四路1号,2'], undefined, { contactMobile: '1360000', taxNumber: 'abc', note: '备'.repeat(201) });
    expect(wrong.status).toBe(400);
    const wrongBody = await wrong.json();
    expect(Object.keys(wrongBody.reply.error).sort()).toEqual(['contactMobile', 'note', 'taxNumber']);
    expect(wrongBody.reply.initialValue).toMatchObject({ contactMobile: '1360000', taxNumber: 'abc', contactName: '李老师' });
    // a submission without the file says so at the file field
    const noFile = await place([], undefined, {}, false);
    expect(noFile.status).toBe(400);
    expect((await noFile.json()).reply.error).toEqual({ file: ['请选择名单文件 / Choose the list file'] });
    expect(await prisma.order.count({ where: { buyerOrganisationId: org.id } })).toBe(orders);
    expect(await prisma.cartLine.count({ where: { cartId: cart.id } })).toBe(1);
    const good = await place(['张三,13800138000,广东省中山市东区街道中山四路1号,2', '李四,13912345678,广东省中山市东区街道中山四路2号,1']);
    expect(good.status).toBe(302);
    const orderId = Number(/\/orders\/(\d+)/.exec(good.headers.get('location')!)![1]);
    expect(await prisma.cartLine.count({ where: { cartId: cart.id } })).toBe(0);
    const page = await (await orderLoader({ request: (await requestAs(adminUser.email, `/orders/${orderId}`)) as never, params: { id: String(orderId) }, context: {} })).json();
    expect(page.order.fulfilments.map((f: { recipientNo: number; recipientName: string | null; state: string }) => [f.recipientNo, f.recipientName, f.state])).toEqual([[2, '张三', 'AWAITING_PAYMENT'], [3, '李四', 'AWAITING_PAYMENT']]);
    expect(page.order.totalFen).toBe(3 * p.priceFen);
  });
});
