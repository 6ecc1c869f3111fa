// The seller portal on a phone: a cooperative lists a product with a picture and submits it, an admin
// approves it, and it is in the storefront; plus onboarding (apply → approve → seller centre).
import sharp from 'sharp';
import { expect, login, test, waitForHydration } from './fixtures';

const photo = () => sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 214, g: 96, b: 36 } } }).png().toBuffer();

test('a cooperative lists a product from a phone; an admin approves it; it is in the shop', async ({ page }, testInfo) => {
  const name = `刺梨果脯 手机上架 ${testInfo.project.name} ${Date.now() % 100000}`;
  await login(page, 'coop-panzhou@demo.shanhai.cn');
  await page.goto('/seller');
  await page.getByRole('link', { name: '发布商品' }).first().click();
  await expect(page).toHaveURL(/\/seller\/products\/new/);
  await waitForHydration(page);

  // Bad input first: errors next to the fields, no page change.
  await page.getByRole('button', { name: '保存为草稿' }).click();
  await expect(page.getByText('请填写商品名称 / Product name is required')).toBeVisible();
  await expect(page.getByLabel('商品名称')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('商品名称').fill(name);
  await page.getByLabel('品类').selectOption({ label: '果干果脯' });
  await page.getByLabel('统计类别').selectOption({ label: '农畜牧产品' });
  await expect(page.getByLabel('产地')).toHaveValue('520281'); // the seller's county by default
  await page.getByLabel('商品描述').fill('贾西村刺梨鲜果制成，酸甜适口。');
  await page.getByLabel('规格名称（如 500ml×6）').fill('200g×2袋');
  await page.getByLabel('价格（元）').fill('39.9');
  await page.getByLabel('市场参考价（元，可选）').fill('36');
  await page.getByLabel('单位（箱、袋…）').fill('份');
  await page.getByLabel('重量（克）').fill('450');
  await page.getByLabel('初始库存').fill('60');
  await page.getByLabel('参考价来源（填写参考价时必填）').fill('盘州市农贸市场 2026年11月');
  // A PNG that claims to be a JPEG: the server goes by content.
  await page.getByLabel('商品图片（可多选）').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: await photo() });
  await page.getByRole('button', { name: '保存为草稿' }).click();

  await expect(page).toHaveURL(/\/seller\/products\/\d+\?created=1/);
  await expect(page.getByTestId('product-name')).toHaveText(name);
  await expect(page.getByTestId('images').getByRole('img')).toHaveCount(1);
  await expect(page.getByTestId('images').getByRole('img')).toHaveAttribute('srcset', /-320\.webp 320w, .*-640\.webp 640w, .*-960\.webp 960w/);
  await page.getByRole('button', { name: '提交审核' }).click();
  await expect(page.getByTestId('status').first()).toHaveText('审核中');

  // The admin reviews on a phone too.
  await page.context().clearCookies();
  await login(page, 'admin@demo.shanhai.cn');
  await page.goto('/admin/listings');
  await page.getByTestId('review-queue').getByRole('link', { name: new RegExp(name) }).click();
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await page.getByRole('button', { name: '通过并上架' }).click();
  await expect(page).toHaveURL(/\/admin\/listings$/);
  await expect(page.getByTestId('review-queue').getByRole('link', { name: new RegExp(name) })).toHaveCount(0);

  // In the storefront, for everyone.
  await page.context().clearCookies();
  await page.goto('/categories/dried-fruit');
  await page.getByTestId('product-grid').getByRole('link', { name: new RegExp(name) }).click();
  await expect(page).toHaveURL(/\/products\/[a-z0-9-]+/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByTestId('price')).toHaveText('¥39.90');
  await expect(page.getByTestId('reference-price')).toContainText('¥36.00');
  await expect(page.getByTestId('reference-price')).toContainText('盘州市农贸市场 2026年11月');
  await expect(page.getByTestId('origin')).toContainText('盘州市');
  const img = page.locator('article img').first();
  await expect(img).toHaveAttribute('srcset', /960w/);
  expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
});

test('a new cooperative applies with its licence; the admin approves; it gets a seller centre', async ({ page }, testInfo) => {
  const email = `coop-${testInfo.project.name}-${Date.now()}@e2e.shanhai.cn`;
  await page.goto('/signup?redirectTo=%2Fseller%2Fapply');
  await waitForHydration(page);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('姓名').fill('韦女士');
  await page.getByLabel('密码', { exact: true }).fill('e2e-password-1');
  await page.getByLabel('确认密码').fill('e2e-password-1');
  await page.getByRole('button', { name: '注册账户' }).click();
  await expect(page).toHaveURL(/\/seller\/apply/);
  await waitForHydration(page);

  const orgName = `独山县山海测试蔬菜专业合作社${Date.now() % 100000}`;
  await page.getByLabel('主体名称（与营业执照一致）').fill(orgName);
  await page.getByLabel('主体类型').selectOption({ label: '农民专业合作社' });
  await page.getByLabel('统一社会信用代码').fill('93522726MA6CU5TX3A'); // wrong check character
  await page.getByLabel('所在县（市、区）').selectOption({ label: '独山县' });
  await page.getByLabel('联系人').fill('韦女士');
  await page.getByLabel('联系电话（手机）').fill('13985000000');
  await page.getByLabel('营业执照照片').setInputFiles({ name: 'licence.png', mimeType: 'image/png', buffer: await photo() });
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByText('校验位不正确')).toBeVisible();

  await page.getByLabel('统一社会信用代码').fill(validCode());
  await page.getByLabel('营业执照照片').setInputFiles({ name: 'licence.png', mimeType: 'image/png', buffer: await photo() });
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page).toHaveURL(/\/seller\?applied=1/);
  await expect(page.getByTestId('applications')).toContainText('待审核');

  await page.context().clearCookies();
  await login(page, 'admin@demo.shanhai.cn');
  await page.goto('/admin/sellers');
  const card = page.getByTestId('applications').getByRole('listitem').filter({ hasText: orgName });
  await waitForHydration(page);
  await card.getByRole('button', { name: '通过并创建商家' }).click();
  await expect(page.getByText('已通过，商家已创建')).toBeVisible();

  await page.context().clearCookies();
  await login(page, email, 'e2e-password-1');
  await page.goto('/seller');
  await expect(page.getByTestId('seller-name')).toHaveText(orgName);
  await expect(page.getByRole('link', { name: '发布商品' }).first()).toBeVisible();
});

/** A valid 统一社会信用代码 of 独山县 (GB 32100 check character), different on every run. */
function validCode() {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = '93522726';
  for (let i = 0; i < 9; i++) body += alphabet[Math.floor(Math.random() * 31)];
  const sum = [...body].reduce((s, c, i) => s + alphabet.indexOf(c) * weights[i]!, 0);
  return body + alphabet[(31 - (sum % 31)) % 31];
}
