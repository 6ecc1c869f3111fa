import { expect, login, test, waitForHydration } from './fixtures';

const roles: Array<[string, RegExp, string[]]> = [
  ['consumer@demo.shanhai.cn', /消费者/, ['create:order:own']],
  ['union@demo.shanhai.cn', /单位管理员/, ['create:organisation-order:own', 'update:organisation:own']],
  ['agency@demo.shanhai.cn', /单位采购员/, ['create:organisation-order:own']],
  ['coop-panzhou@demo.shanhai.cn', /商家员工/, ['update:product:own', 'update:fulfilment:own']],
  ['coop-dushan@demo.shanhai.cn', /商家员工/, ['update:product:own']],
  ['official-zs-lps@demo.shanhai.cn', /协作办干部/, ['read:console:own', 'read:totals:own']],
  ['official-hp-ds@demo.shanhai.cn', /协作办干部/, ['read:totals:own']],
  ['admin@demo.shanhai.cn', /平台管理员/, ['read:console:any', 'confirm:payment:any', 'update:product:any']],
];

for (const [email, role, perms] of roles) {
  test(`${email} logs in and sees what the role allows`, async ({ page }) => {
    await login(page, email);
    await expect(page.getByTestId('roles')).toContainText(role);
    for (const p of perms) await expect(page.getByTestId('permissions')).toContainText(p);
    if (email.startsWith('consumer')) await expect(page.getByTestId('permissions')).not.toContainText('read:console');
    if (email.startsWith('official-zs')) await expect(page.getByTestId('scopes')).toContainText('中山市 ↔ 六盘水市');
  });
}

test('a wrong password shows an error tied to the form and keeps the email', async ({ page }) => {
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByLabel('邮箱').fill('consumer@demo.shanhai.cn');
  await page.getByLabel('密码').fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).last().click();
  await expect(page.getByRole('alert')).toContainText('邮箱或密码不正确');
  await expect(page.getByLabel('邮箱')).toHaveValue('consumer@demo.shanhai.cn');
});

test('the account page requires login', async ({ page }) => {
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/);
});
