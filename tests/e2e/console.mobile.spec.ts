// The console dashboard on a phone: the page fits the screen, the ECharts charts draw inside it, the
// official total shows the exact ¥ amount on tap, the county table sorts, and last year's figure and
// the year's result/projection are there.
import { expect, login, test, waitForHydration } from './fixtures';

test('an official reads the 2021 figures of 中山 ↔ 六盘水 on a phone', async ({ page }) => {
  await login(page, 'official-zs-lps@demo.shanhai.cn');
  await page.goto('/console?pairing=zhongshan-liupanshui&year=2021');
  await waitForHydration(page);

  const total = page.getByTestId('total');
  await expect(total.locator('abbr')).toHaveText('1.83亿元');
  await expect(total.locator('abbr')).toHaveAttribute('title', '¥183,000,000.00');
  await expect(total).not.toContainText('¥183,000,000.00');
  await total.getByRole('button').click();
  await expect(total).toContainText('¥183,000,000.00');

  // last year and the year's result (2021 is over: the projection is the actual total)
  await expect(page.getByText('去年同期').first()).toBeVisible();
  await expect(page.getByTestId('projection')).toContainText('全年实际');
  await expect(page.getByTestId('projection')).toContainText('1.83亿元');

  // charts: drawn, each inside the screen's width; the page does not scroll sideways
  const charts = page.locator('[role="img"][data-chart-ready="true"]');
  await expect(charts).toHaveCount(2);
  const viewport = page.viewportSize()!;
  for (const chart of await charts.all()) {
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    const canvas = (await chart.locator('canvas').first().boundingBox())!;
    expect(box.width).toBeGreaterThan(Math.min(250, viewport.width * 0.6));
    expect(canvas.width).toBeGreaterThanOrEqual(box.width - 2);
    expect(canvas.height).toBeGreaterThan(150);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);

  // the county table sorts by amount (largest first by default) and by name on a tap
  const table = page.getByRole('table', { name: '按产地金额' });
  const amounts = async () => Promise.all((await table.locator('tbody tr abbr').all()).map(async (a) => Number(await a.getAttribute('data-fen'))));
  const desc = await amounts();
  expect(desc.length).toBeGreaterThan(1);
  expect(desc).toEqual([...desc].sort((a, b) => b - a));
  await table.getByRole('columnheader', { name: /^金额/ }).getByRole('button').click();
  await expect(table.getByRole('columnheader', { name: /^金额/ })).toHaveAttribute('aria-sort', 'ascending');
  expect(await amounts()).toEqual([...desc].reverse());
});
