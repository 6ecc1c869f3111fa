import { expect, test } from './fixtures';

test('home → place → product, with origin, pairing and JSON-LD', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.locator('#places').getByRole('link', { name: /盘州市/ }).click();
  await expect(page).toHaveURL(/\/places\/520281/);
  await expect(page.getByRole('heading', { level: 1, name: '盘州市' })).toBeVisible();
  await expect(page.getByRole('link', { name: /小榄组团/ })).toBeVisible();
  await page.getByTestId('product-grid').getByRole('link').filter({ hasText: '刺梨' }).first().click();
  await expect(page).toHaveURL(/\/products\//);
  await expect(page.getByTestId('origin')).toContainText('贵州省');
  await expect(page.getByTestId('origin')).toContainText('六盘水市');
  await expect(page.getByTestId('origin')).toContainText('盘州市');
  await expect(page.getByRole('link', { name: '中山市 ↔ 六盘水市' })).toBeVisible();
  await expect(page.getByTestId('price')).toContainText('¥');
  const ld = await page.locator('script[type="application/ld+json"]').first().textContent();
  expect(JSON.parse(ld!)).toMatchObject({ '@type': 'Product', offers: expect.arrayContaining([expect.objectContaining({ priceCurrency: 'CNY' })]) });
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /\/products\//);
});

test('the language switch keeps the page', async ({ page }) => {
  await page.goto('/places/522726');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/places\/522726/);
  await expect(page.getByRole('button', { name: '中文' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('unknown pages and codes are 404 inside the layout; malformed input is 400', async ({ page }) => {
  const r1 = await page.goto('/products/no-such-product');
  expect(r1?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
  await expect(page.getByRole('link', { name: '山海集' }).first()).toBeVisible();
  expect((await page.goto('/places/999999'))?.status()).toBe(404);
  expect((await page.goto('/nowhere/at/all'))?.status()).toBe(404);
  expect((await page.goto('/places/abc'))?.status()).toBe(400);
  expect((await page.goto('/places/520281?page=-1'))?.status()).toBe(400);
});

test('security headers: a per-request CSP nonce, and the page still hydrates without violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) violations.push(m.text());
  });
  const first = await page.goto('/');
  const csp = first!.headers()['content-security-policy']!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(first!.headers()['x-frame-options']).toBe('DENY');
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  const second = await page.goto('/');
  expect(second!.headers()['content-security-policy']).not.toBe(csp); // fresh nonce per request
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  expect(violations).toEqual([]);
});

test('sitemap and robots', async ({ request }) => {
  const sitemap = await request.get('/sitemap.xml');
  expect(sitemap.ok()).toBe(true);
  expect(await sitemap.text()).toContain('/products/');
  const robots = await (await request.get('/robots.txt')).text();
  expect(robots).toContain('Disallow: /cart');
  expect(robots).toContain('Disallow: /checkout');
  expect(robots).toContain('Disallow: /account');
});

test('links navigate inside the page (no reload); a variant link replaces the history entry; a modified click is the browser\'s', async ({ page, context }) => {
  await page.goto('/');
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
  // a marker that only survives client-side navigation
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await page.locator('#places').getByRole('link', { name: /独山县/ }).click();
  await expect(page).toHaveURL(/\/places\/522726/);
  await page.getByTestId('product-grid').getByRole('link').first().click();
  await expect(page).toHaveURL(/\/products\/[^?]+$/);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  const product = page.url();
  // the variant links: same page, ?variant= replaces the entry, so Back returns to the place
  const variants = page.getByRole('group', { name: '规格' }).getByRole('link');
  await variants.last().click();
  await expect(page).toHaveURL(/\?variant=/);
  await expect(variants.last()).toHaveAttribute('aria-current', 'true');
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  await page.goBack();
  await expect(page).toHaveURL(/\/places\/522726/);
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`^${product.replace(/[.?]/g, '\\$&')}\\?variant=`));
  // Ctrl/Meta-click is left to the browser: a new tab, this page stays
  const opened = context.waitForEvent('page');
  await page.getByRole('link', { name: '购物车' }).click({ modifiers: [process.platform === 'darwin' ? 'Meta' : 'Control'] });
  const tab = await opened;
  await tab.waitForLoadState();
  expect(tab.url()).toMatch(/\/cart$/);
  await tab.close();
  expect(page.url()).toMatch(/\?variant=/);
});
