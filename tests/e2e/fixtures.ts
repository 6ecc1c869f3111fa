import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'shanhai-demo';

/** Log in through the real form (the session row is created by the app, as for a user). */
export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).last().click();
  await expect(page).toHaveURL(/\/account/);
}

/** A browser context without JavaScript, logged in through the plain form; close the context when done. */
export async function plainLogin(browser: Browser, baseURL: string | undefined, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).last().click();
  await expect(page).toHaveURL(/\/account/);
  return { context, page };
}

export async function waitForHydration(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}

/** Money shown as ¥1,234.56 → 分. */
export const fen = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

/** The address step of checkout, filled the way a buyer does (广州市黄埔区). */
export async function fillAddress(page: Page, { recipient = '李女士', mobile = '13800138000' } = {}) {
  await page.getByLabel('省份').selectOption({ label: '广东省' });
  await expect(page.getByLabel('城市').locator('option', { hasText: '广州市' })).toHaveCount(1);
  await page.getByLabel('城市').selectOption({ label: '广州市' });
  await expect(page.getByLabel('区县').locator('option', { hasText: '黄埔区' })).toHaveCount(1);
  await page.getByLabel('区县').selectOption({ label: '黄埔区' });
  await page.getByLabel('详细地址（街道、门牌）').fill('开发大道 188 号');
  await page.getByLabel('收货人').fill(recipient);
  await page.getByLabel('手机号').fill(mobile);
}

/** The order page's bank transfer details after checkout: the reference and the amount in 分. */
export async function transferDetails(page: Page) {
  await expect(page.getByTestId('transfer-instructions')).toBeVisible();
  return { reference: (await page.getByTestId('transfer-reference').textContent())!.trim(), amount: fen((await page.getByTestId('order-total').textContent())!) };
}

/** From /cart: checks out with the demo address by bank transfer; ends on the new order's page. */
export async function checkoutByBankTransfer(page: Page) {
  await page.getByRole('link', { name: '去结算' }).click();
  await waitForHydration(page);
  await fillAddress(page);
  await page.getByRole('button', { name: /提交订单/ }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\?placed=1/);
  return { orderPath: new URL(page.url()).pathname, ...(await transferDetails(page)) };
}

/** Puts `quantity` of the product's first variant in the cart through the product page; ends on /cart. */
export async function addToCart(page: Page, slug: string, quantity: number) {
  await page.goto(`/products/${slug}`);
  await waitForHydration(page);
  await page.getByTestId('add-to-cart').getByLabel('数量').fill(String(quantity));
  await page.getByRole('button', { name: '加入购物车' }).click();
  await expect(page).toHaveURL(/\/cart/);
}

/** Finance (signed in) records a bank receipt of the exact amount for the order with this reference. */
export async function recordBankTransfer(page: Page, reference: string, amountFen: number, bankReference = `E2E-${reference}`) {
  await page.goto('/finance/transfers');
  await waitForHydration(page);
  await page.getByLabel('付款参考号（订单号）').fill(reference);
  await page.getByLabel('到账金额（元）').fill((amountFen / 100).toFixed(2));
  await page.getByLabel('银行流水号').fill(bankReference);
  await page.getByRole('button', { name: '登记到账' }).click();
  await expect(page.getByText(`订单 ${reference} 已确认付款`)).toBeVisible();
}

export const test = base;
export { expect };
