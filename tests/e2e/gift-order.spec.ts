// Issue 7: a union admin uploads a gift list for a gift pack in the cart (a list with a bad row is
// refused next to the upload field, nothing created), places the order by bank transfer, finance
// confirms, and the pairing totals under 采购 (PROCUREMENT) rise by exactly the order amount.
import type { APIRequestContext } from '@playwright/test';
import { addToCart, expect, login, recordBankTransfer, test, waitForHydration } from './fixtures';

const procurementOf = async (request: APIRequestContext, pairing: string) => {
  const r = await request.get(`/api/v1/totals?pairing=${pairing}&groupBy=flow`);
  expect(r.status()).toBe(200);
  const body = (await r.json()) as { groups: Array<{ key: { flow: string }; amountFen: number }> };
  return body.groups.find((g) => g.key.flow === 'PROCUREMENT')?.amountFen ?? 0;
};
const fen = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);
const list = (rows: string[]) => ({ name: '中秋福利名单.csv', mimeType: 'text/csv', buffer: Buffer.from(['姓名,手机号,地址,数量', ...rows].join('\r\n') + '\r\n', 'utf8') });

test('a union admin uploads a gift list, pays by bank transfer, finance confirms, 采购 totals rise by the order amount', async ({ page, context }) => {
  const pairings = ['zhongshan-liupanshui', 'zhongshan-xiaolan-panzhou'];
  await login(page, 'admin@demo.shanhai.cn');
  const before = await Promise.all(pairings.map((p) => procurementOf(page.request, p)));
  await context.clearCookies();

  // the gift pack: one box of 盘州 刺梨 per 份
  await login(page, 'union@demo.shanhai.cn');
  await addToCart(page, 'panzhou-cili-yuanye-500ml', 1);

  await page.goto('/org');
  await page.getByRole('link', { name: '中山市总工会（演示）' }).click();
  await page.getByRole('link', { name: '礼品分发名单' }).click();
  await expect(page).toHaveURL(/\/org\/\d+\/gift-list/);
  await waitForHydration(page);
  await expect(page.getByTestId('gift-pack')).toContainText('× 1');
  await page.getByLabel('联系人', { exact: true }).fill('工会李老师');
  await page.getByLabel('联系人手机号').fill('13600000000');

  // a bad row: refused with its row number next to the file field, no order
  await page.getByLabel('名单文件').setInputFiles(list(['张三,13800138000,广东省中山市东区街道中山四路1号,2', '李四,1391234567,广东省中山市石岐街道孙文中路88号,1']));
  await page.getByRole('button', { name: '检查并提交订单' }).click();
  await expect(page.getByTestId('gift-errors')).toContainText('第 3 行');
  await expect(page.getByTestId('gift-errors')).toContainText('手机号应为11位');
  await expect(page).toHaveURL(/\/gift-list$/);

  // what was typed is still there: only the file is chosen again
  await expect(page.getByLabel('联系人', { exact: true })).toHaveValue('工会李老师');
  await expect(page.getByLabel('联系人手机号')).toHaveValue('13600000000');

  // a mistyped mobile is caught at its field before anything is sent
  await page.getByLabel('联系人手机号').fill('1360000');
  await page.getByLabel('联系人手机号').blur();
  await expect(page.getByLabel('联系人手机号')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('手机号应为 11 位，如 13800138000')).toBeVisible();
  await page.getByLabel('联系人手机号').fill('13600000000');

  // the corrected list becomes one order with a parcel per recipient
  await page.getByLabel('名单文件').setInputFiles(list(['张三,13800138000,广东省中山市东区街道中山四路1号,2', '李四,13912345678,广东省中山市石岐街道孙文中路88号,1']));
  await page.getByRole('button', { name: '检查并提交订单' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\?placed=1/);
  await expect(page.getByTestId('order-state')).toHaveText('待付款');
  await expect(page.getByTestId('gift-summary')).toContainText('2 位收件人');
  await expect(page.getByTestId('recipient')).toHaveCount(2);
  await expect(page.getByTestId('recipient').first()).toContainText('张三');
  const reference = (await page.getByTestId('transfer-reference').textContent())!.trim();
  const amount = fen((await page.getByTestId('order-total').textContent())!);
  expect(amount).toBe(3 * 15800);
  await context.clearCookies();

  // finance records the receipt
  await login(page, 'admin@demo.shanhai.cn');
  await recordBankTransfer(page, reference, amount, `E2E-GIFT-${reference}`);

  const after = await Promise.all(pairings.map((p) => procurementOf(page.request, p)));
  expect(after.map((a, i) => a - before[i]!)).toEqual([amount, amount]);
});
