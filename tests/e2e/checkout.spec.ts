import type { APIRequestContext } from '@playwright/test';
import { addToCart, checkoutByBankTransfer, expect, fillAddress, login, plainLogin, recordBankTransfer, test, transferDetails, waitForHydration } from './fixtures';

const totalOf = async (request: APIRequestContext, pairing: string) => {
  const r = await request.get(`/api/v1/totals?pairing=${pairing}`);
  expect(r.status()).toBe(200);
  return ((await r.json()) as { totalFen: number }).totalFen;
};

test('a consumer buys, finance confirms the transfer, the pairing totals rise by exactly the order amount', async ({ page, context }) => {
  // totals before, as the admin (who holds read:totals:any and the finance role)
  await login(page, 'admin@demo.shanhai.cn');
  const before = { city: await totalOf(page.request, 'zhongshan-liupanshui'), group: await totalOf(page.request, 'zhongshan-xiaolan-panzhou') };
  await context.clearCookies();

  // the consumer adds a 盘州 product (two boxes) to the cart and checks out by bank transfer
  await login(page, 'consumer@demo.shanhai.cn');
  await addToCart(page, 'panzhou-cili-yuanye-500ml', 2);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(page.getByTestId('cart-total')).toHaveText('¥316.00');
  await expect(page.getByTestId('cart-link')).toContainText('2');
  await page.getByRole('link', { name: '去结算' }).click();
  await expect(page).toHaveURL(/\/checkout/);
  await waitForHydration(page);
  // a bad mobile number is refused with a message tied to the field
  await fillAddress(page, { mobile: '1380013800' });
  await page.getByRole('button', { name: /提交订单/ }).click();
  await expect(page.getByText('手机号应为 11 位')).toBeVisible();
  await page.getByLabel('手机号').fill('13800138000');
  // blur first: the error under the field goes away and the layout settles before the click
  await page.getByLabel('手机号').blur();
  await expect(page.getByText('手机号应为 11 位')).toHaveCount(0);
  await page.getByRole('button', { name: /提交订单/ }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\?placed=1/);
  await expect(page.getByTestId('order-state')).toHaveText('待付款');
  const { reference, amount } = await transferDetails(page);
  expect(amount).toBe(31600);
  await context.clearCookies();

  // finance records the receipt with the reference and the exact amount
  await login(page, 'admin@demo.shanhai.cn');
  await recordBankTransfer(page, reference, amount);

  const after = { city: await totalOf(page.request, 'zhongshan-liupanshui'), group: await totalOf(page.request, 'zhongshan-xiaolan-panzhou') };
  expect(after.city - before.city).toBe(amount);
  expect(after.group - before.group).toBe(amount);
});

test('finance refunds one of two boxes without JavaScript: a refusal keeps the per-line choice, the totals fall by the refund', async ({ page, context, browser, baseURL }) => {
  await login(page, 'consumer@demo.shanhai.cn');
  await addToCart(page, 'panzhou-cili-yuanye-500ml', 2);
  const { orderPath, reference, amount } = await checkoutByBankTransfer(page);
  await context.clearCookies();
  await login(page, 'admin@demo.shanhai.cn');
  await recordBankTransfer(page, reference, amount);
  const before = { city: await totalOf(page.request, 'zhongshan-liupanshui'), group: await totalOf(page.request, 'zhongshan-xiaolan-panzhou') };

  const { context: plain, page: p } = await plainLogin(browser, baseURL, 'admin@demo.shanhai.cn');
  try {
    await p.goto(`/finance${orderPath}/refund`);
    await expect(p.getByRole('heading', { name: `退款 ${reference}` })).toBeVisible();
    // per line, one box, no reason: refused at the reason; the choice and the quantity are kept
    await p.getByLabel('按商品行退款（填写数量）').check();
    await p.getByLabel(/退款数量/).fill('1');
    await p.getByRole('button', { name: '确认退款' }).click();
    await expect(p.getByText(/退款原因至少 2 个字|请填写退款原因/)).toBeVisible();
    await expect(p.getByLabel('退款原因')).toHaveAttribute('aria-invalid', 'true');
    await expect(p.getByLabel('按商品行退款（填写数量）')).toBeChecked();
    await expect(p.getByLabel(/退款数量/)).toHaveValue('1');
    await p.getByLabel('退款原因').fill('一盒破损');
    await p.getByRole('button', { name: '确认退款' }).click();
    await expect(p).toHaveURL(new RegExp(`${orderPath}$`));
    await expect(p.getByTestId('order-state')).toHaveText('部分退款');
  } finally {
    await plain.close();
  }
  const after = { city: await totalOf(page.request, 'zhongshan-liupanshui'), group: await totalOf(page.request, 'zhongshan-xiaolan-panzhou') };
  expect(before.city - after.city).toBe(amount / 2);
  expect(before.group - after.group).toBe(amount / 2);
});
