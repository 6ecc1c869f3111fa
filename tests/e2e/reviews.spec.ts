import { addToCart, checkoutByBankTransfer, expect, login, plainLogin, recordBankTransfer, test, waitForHydration } from './fixtures';

const PRODUCT_SLUG = 'panzhou-cili-gan-250g';
const PRODUCT = `/products/${PRODUCT_SLUG}`;

test('a buyer reviews a delivered item, the seller replies, and both show on the product page', async ({ page, context, browser, baseURL }) => {
  const tag = Math.random().toString(36).slice(2, 8);
  const body = `果干酸甜，孩子爱吃 ${tag}`;
  const reply = `谢谢支持，欢迎再来 ${tag}`;

  // the consumer buys one bag by bank transfer
  await login(page, 'consumer@demo.shanhai.cn');
  await addToCart(page, PRODUCT_SLUG, 1);
  const { orderPath: orderUrl, reference, amount } = await checkoutByBankTransfer(page);
  // no review before delivery
  await expect(page.getByTestId('review-link')).toHaveCount(0);
  await context.clearCookies();

  // finance confirms the transfer; the cooperative ships
  await login(page, 'admin@demo.shanhai.cn');
  await recordBankTransfer(page, reference, amount);
  await context.clearCookies();

  // without JavaScript, a mistyped tracking number comes back at that parcel's field, with what was typed
  const { context: plain, page: p } = await plainLogin(browser, baseURL, 'coop-panzhou@demo.shanhai.cn');
  try {
    await p.goto('/seller/fulfilments');
    const parcel = p.getByTestId('fulfilment').filter({ hasText: reference });
    await parcel.getByLabel('快递公司').fill('顺丰速运');
    await parcel.getByLabel('运单号').fill('SF 12');
    await parcel.getByRole('button', { name: '确认发货' }).click();
    const refused = p.getByTestId('fulfilment').filter({ hasText: reference });
    await expect(refused.getByText('运单号为 6–40 位字母数字')).toBeVisible();
    await expect(refused.getByLabel('运单号')).toHaveAttribute('aria-invalid', 'true');
    await expect(refused.getByLabel('快递公司')).toHaveValue('顺丰速运');
    await expect(refused.getByLabel('运单号')).toHaveValue('SF 12');
    // the other parcels on the page show nothing of it
    await expect(p.getByText('运单号为 6–40 位字母数字')).toHaveCount(1);

    // with JavaScript, the same mistake is caught in the browser; corrected, the parcel ships
    await login(page, 'coop-panzhou@demo.shanhai.cn');
    await page.goto('/seller/fulfilments');
    await waitForHydration(page);
    const fulfilment = page.getByTestId('fulfilment').filter({ hasText: reference });
    await fulfilment.getByLabel('快递公司').fill('顺丰速运');
    await fulfilment.getByLabel('运单号').fill('SF 12');
    await fulfilment.getByRole('button', { name: '确认发货' }).click();
    await expect(fulfilment.getByText('运单号为 6–40 位字母数字')).toBeVisible(); // nothing was sent
    await fulfilment.getByLabel('运单号').fill(`SF${Date.now()}`);
    await expect(fulfilment.getByText('运单号为 6–40 位字母数字')).toHaveCount(0);
    await fulfilment.getByRole('button', { name: '确认发货' }).click();
    await expect(fulfilment.getByText('顺丰速运')).toBeVisible();

    // the page left open without JavaScript still offers the parcel: sending it now is refused, and the
    // refusal shows at the top of the page (the parcel's form is gone from it)
    await refused.getByLabel('运单号').fill('SF1234567');
    await refused.getByRole('button', { name: '确认发货' }).click();
    await expect(p.getByRole('alert')).toBeVisible();
    await expect(p.getByTestId('fulfilment').filter({ hasText: reference }).getByRole('button', { name: '确认发货' })).toHaveCount(0);
  } finally {
    await plain.close();
  }
  await context.clearCookies();

  // the buyer confirms delivery and reviews the line (5 stars preselected; they give 4)
  await login(page, 'consumer@demo.shanhai.cn');
  await page.goto(orderUrl);
  await waitForHydration(page);
  await page.getByRole('button', { name: '确认收货' }).click();
  await page.getByTestId('review-link').click();
  await expect(page.getByRole('heading', { name: '评价商品' })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel('4 星').check();
  await page.getByLabel('评价内容（可选）').fill(body);
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByText('感谢您的评价。')).toBeVisible();
  await expect(page.getByTestId('line-reviewed')).toHaveText('★★★★');

  // every visitor sees it on the product page (the page cache follows the change feed within a poll)
  await context.clearCookies();
  await expect(async () => {
    await page.goto(PRODUCT);
    await expect(page.getByTestId('review').filter({ hasText: body })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  // the buyer's name is masked (李女士 → 李*)
  await expect(page.getByTestId('review').filter({ hasText: body })).toContainText('李*');
  await expect(page.getByTestId('review').filter({ hasText: body })).not.toContainText('李女士');

  // the seller replies; the reply shows under the review
  await login(page, 'coop-panzhou@demo.shanhai.cn');
  await page.goto('/seller/reviews');
  await waitForHydration(page);
  const mine = page.getByTestId('seller-review').filter({ hasText: body });
  await mine.getByLabel('回复').fill(reply);
  await mine.getByRole('button', { name: '保存回复' }).click();
  await expect(mine.getByLabel('修改回复')).toHaveValue(reply);
  await expect(async () => {
    await page.goto(PRODUCT);
    await expect(page.getByTestId('review').filter({ hasText: body })).toContainText(`商家回复：${reply}`, { timeout: 500 });
  }).toPass({ timeout: 10_000 });
});
