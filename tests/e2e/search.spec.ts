import { expect, test, waitForHydration } from './fixtures';
import type { APIRequestContext } from '@playwright/test';

/** The embedded index is rebuilt at boot; until then Postgres answers (no pinyin). Wait for it. */
async function searchReady(request: APIRequestContext) {
  await expect.poll(async () => (await (await request.get('/healthz')).json()).checks?.search?.engine, { timeout: 60_000 }).toBe('embedded');
}

test('search with JavaScript: suggestions as you type, results with highlights, a facet click', async ({ page, request }) => {
  await searchReady(request);
  await page.goto('/');
  await waitForHydration(page);
  const box = page.getByRole('combobox', { name: '搜索商品' });
  await box.fill('cili');
  const suggestions = page.getByTestId('search-suggestions');
  await expect(suggestions).toBeVisible();
  await expect(suggestions.getByRole('option').first()).toContainText('刺梨');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=cili/);
  const results = page.getByTestId('search-results');
  await expect(results.getByRole('listitem').first()).toContainText('刺梨');
  await expect(results.locator('mark').first()).toHaveText('刺梨');
  const summary = await page.getByTestId('search-summary').textContent();
  await page.locator('[data-facet="county"]').getByRole('link', { name: /盘州市/ }).click();
  await expect(page).toHaveURL(/county=520281/);
  await expect(page.getByTestId('search-summary')).not.toHaveText(summary!);
  await expect(page.locator('[data-facet="county"]').getByRole('link', { name: /✓ 盘州市/ })).toBeVisible();
  for (const item of await results.getByRole('listitem').all()) await expect(item).toContainText('盘州');
  // a suggestion is a link: clicking one goes to the product
  await box.fill('马尾绣');
  await suggestions.getByRole('option').first().getByRole('link').click();
  await expect(page).toHaveURL(/\/products\//);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('马尾绣');
});

test('search without JavaScript: the header form, facets, sort and pages are plain links and forms', async ({ browser, baseURL, request }) => {
  await searchReady(request);
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  try {
    await page.goto('/');
    await page.getByRole('combobox', { name: '搜索商品' }).fill('鸡蛋');
    await page.getByRole('combobox', { name: '搜索商品' }).press('Enter');
    await expect(page).toHaveURL(/\/search\?q=/);
    const results = page.getByTestId('search-results');
    await expect(results.getByRole('listitem').first()).toContainText('独山');
    await expect(results.getByRole('listitem').first()).toContainText('蛋');
    await page.locator('[data-facet="inStock"]').getByRole('link', { name: /有货/ }).click();
    await expect(page).toHaveURL(/inStock=true/);
    await page.getByLabel('排序').selectOption('price_asc');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(page).toHaveURL(/sort=price_asc/);
    await expect(page).toHaveURL(/inStock=true/);
    const prices = await results.locator('.text-earth-500').allTextContents();
    const fen = prices.map((p) => Number(p.replace(/[^0-9.]/g, '')));
    expect(fen).toEqual([...fen].sort((a, b) => a - b));
    // the whole catalogue pages through plain links
    await page.goto('/search');
    await page.getByRole('link', { name: '下一页' }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(results.getByRole('listitem').first()).toBeVisible();
  } finally {
    await context.close();
  }
});

test('empty state suggests places and categories; bad parameters are a 400', async ({ page, request }) => {
  await searchReady(request);
  await page.goto('/search?q=qqxxzzy');
  await expect(page.getByTestId('search-empty')).toBeVisible();
  const browse = page.getByTestId('search-browse');
  await browse.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/search\?(county|prefecture|category)=/);
  await expect(page.getByTestId('search-results').getByRole('listitem').first()).toBeVisible();
  expect((await page.goto('/search?perPage=5000'))?.status()).toBe(400);
  const api = await request.get('/api/v1/search?q=%E7%8B%AC%E5%B1%B1&perPage=3');
  expect(api.ok()).toBe(true);
  const body = await api.json();
  expect(body.hits).toHaveLength(3);
  expect(body.hits[0].origin.code).toBe('522726');
});
