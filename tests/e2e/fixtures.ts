import { test as base, expect, type Page } from '@playwright/test';

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

export async function waitForHydration(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
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
export async function recordBankTransfer(page: Page, reference: string, amountFen: number, bankReference: string) {
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
