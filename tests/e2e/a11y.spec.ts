// Accessibility: axe-core (WCAG 2.0/2.1 A and AA rules) on the pages each kind of user works on, as they
// see them after hydration. A serious or critical violation fails the test and is listed with its elements.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addToCart, expect, login, test, waitForHydration } from './fixtures';

// each test scans several pages (a few seconds each on two shared cores)
test.describe.configure({ timeout: 120_000 });

async function violations(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${path} · ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function check(page: Page, paths: string[]) {
  const found: string[] = [];
  for (const path of paths) found.push(...(await violations(page, path)));
  expect(found, found.join('\n')).toEqual([]);
}

test('the shop, search, sign-in and sign-up pages have no serious accessibility violations', async ({ page }) => {
  await check(page, ['/', '/products/panzhou-cili-yuanye-500ml', '/search?q=%E5%88%BA%E6%A2%A8', '/categories/fruit', '/login', '/signup', '/cart', '/no-such-page']);
  // an error page says what went wrong in its title too
  await expect(page).toHaveTitle('页面不存在 · 山海集');
});

test('a buyer\'s cart, checkout, orders and account pages have no serious accessibility violations', async ({ page }) => {
  await login(page, 'consumer@demo.shanhai.cn');
  await addToCart(page, 'panzhou-cili-yuanye-500ml', 1);
  try {
    await check(page, ['/cart', '/checkout', '/orders', '/account']);
  } finally {
    // the browser tests share one database: leave the consumer's cart empty, as the checkout test expects it
    await page.goto('/cart');
    await waitForHydration(page);
    await page.getByRole('button', { name: '删除' }).click();
    await expect(page.getByTestId('cart-line')).toHaveCount(0);
  }
});

test('the union\'s gift list, the seller centre and the officials\' console have no serious accessibility violations', async ({ page, context }) => {
  await login(page, 'union@demo.shanhai.cn');
  await page.goto('/org');
  await page.getByRole('link', { name: '中山市总工会（演示）' }).click();
  await expect(page).toHaveURL(/\/org\/\d+$/);
  const org = new URL(page.url()).pathname;
  await check(page, [org, `${org}/gift-list`, `${org}/members`]);
  await context.clearCookies();
  await login(page, 'coop-panzhou@demo.shanhai.cn');
  await check(page, ['/seller', '/seller/fulfilments']);
  await context.clearCookies();
  await login(page, 'official-zs-lps@demo.shanhai.cn');
  await check(page, ['/console', '/console/entries', '/console/imports']);
});

test('the admin\'s review queues, finance\'s pages and the console\'s audit and reconciliation have no serious accessibility violations', async ({ page }) => {
  await login(page, 'admin@demo.shanhai.cn');
  await check(page, ['/admin/listings', '/admin/sellers', '/admin/reviews', '/finance/transfers', '/finance/invoices', '/console/audit', '/console/reconciliation']);
});
