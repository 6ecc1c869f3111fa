// Quantity breaks (issue 7): a cooperative sets a break on a variant in the seller portal (a price not
// below the base price is refused next to the field), and the product page shows it; the cart applies it.
import { addToCart, expect, login, test, waitForHydration } from './fixtures';

test('a seller sets a quantity break; the shop shows it and the cart applies it', async ({ page, context }) => {
  await login(page, 'coop-panzhou@demo.shanhai.cn');
  await page.goto('/seller');
  await page.getByRole('link', { name: /盘州刺梨干 250g/ }).first().click();
  await page.getByRole('link', { name: '阶梯价' }).click();
  await expect(page).toHaveURL(/\/seller\/products\/\d+\/prices/);
  await waitForHydration(page);
  const form = page.getByTestId('breaks-PZ-CILI-GAN-250');
  await form.getByLabel('第 1 档：起购数量（袋）').fill('20');
  await form.getByLabel('第 1 档：单价（元）').fill('39.80');
  await form.getByRole('button', { name: '保存阶梯价' }).click();
  await expect(form.getByText(/单价应低于原价/)).toBeVisible();
  await expect(form.getByLabel('第 1 档：单价（元）')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('第 1 档：单价（元）').fill('35');
  // blur first: the error under the field goes away and the layout settles before the click
  await form.getByLabel('第 1 档：单价（元）').blur();
  await expect(form.getByText(/单价应低于原价/)).toHaveCount(0);
  await form.getByRole('button', { name: '保存阶梯价' }).click();
  await expect(page.getByText('已保存')).toBeVisible();
  await context.clearCookies();

  await page.goto('/products/panzhou-cili-gan-250g');
  await expect(page.getByTestId('price-breaks')).toContainText('≥20 袋：¥35.00/袋');
  await addToCart(page, 'panzhou-cili-gan-250g', 20);
  await expect(page.getByTestId('unit-price')).toContainText('¥35.00/袋');
  await expect(page.getByTestId('cart-total')).toHaveText('¥700.00');
});
