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

export const test = base;
export { expect };
