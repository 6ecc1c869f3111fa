// The officials' console end to end: an official imports an offline file, checks the preview, confirms,
// sees the pairing's total rise by exactly the file's sum, drills down to the entries, and exports them
// as CSV (contents checked) and XLSX.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from '@playwright/test';
import { expect, login, test, waitForHydration } from './fixtures';

const HEADER = '日期,采购单位,单位类型,采购单位所在地代码,销售方,产地县代码,商品描述,统计类别,帮扶方式,数量,金额(元),渠道,凭证号';
const PAIRING = 'zhongshan-xiaolan-panzhou';
const YEAR = 2025;

async function fenOf(page: Page, testId: string) {
  return Number(await page.getByTestId(testId).locator('abbr').getAttribute('data-fen'));
}

test('an official imports a file, confirms it, sees the total rise, drills down and exports', async ({ page }) => {
  const stamp = `${Date.now().toString(36)}`.toUpperCase();
  const rows = [
    [`${YEAR}-06-03`, '中山市小榄镇中学食堂', '预算单位', '442000', '盘州市贾西刺梨种植农民专业合作社', '520281', '刺梨原液 500ml×6', '农畜牧产品', '采购', '12', '1234.56', '食堂采购', `E2E-${stamp}-1`],
    [`${YEAR}-06-04`, '中山市总工会', '工会', '442000', '盘州市贾西刺梨种植农民专业合作社', '520281', '刺梨干 礼盒', '农畜牧产品', '采购', '40', '2000.00', '工会福利', `E2E-${stamp}-2`],
    [`${YEAR}-06-05`, '个人消费者（专柜零售）', '个人', '442000', '盘州市民族刺绣工坊', '520281', '苗绣 香包', '特色手工艺产品', '帮助销售', '9', '765.44', '小榄专柜', `E2E-${stamp}-3`],
  ];
  const fileFen = 123_456 + 200_000 + 76_544;
  const csv = `\uFEFF${HEADER}\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;

  await login(page, 'official-zs-lps@demo.shanhai.cn');
  await page.goto(`/console?pairing=zhongshan-liupanshui&year=${YEAR}`);
  const cityBefore = await fenOf(page, 'total');
  await page.goto(`/console?pairing=${PAIRING}&year=${YEAR}`);
  await waitForHydration(page);
  const before = await fenOf(page, 'total');

  // upload → preview
  await page.getByRole('link', { name: '线下导入' }).click();
  await expect(page).toHaveURL(/\/console\/imports$/);
  await waitForHydration(page);
  await page.getByLabel('选择文件').setInputFiles({ name: `小榄组团-${YEAR}年6月.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await page.getByRole('button', { name: '上传并检查' }).click();
  await expect(page).toHaveURL(/\/console\/imports\/\d+$/);
  await expect(page.getByTestId('batch-status')).toHaveText('待确认');
  await expect(page.getByTestId('batch-rows')).toHaveText('3');
  await expect(page.getByTestId('batch-errors')).toHaveText('0');
  await expect(page.getByTestId('batch-row')).toHaveCount(3);
  await expect(page.getByText(`E2E-${stamp}-2`)).toBeVisible();

  // confirm
  await waitForHydration(page);
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByTestId('batch-status')).toHaveText('已提交');

  // the total rose by exactly the file's sum, at the group pairing and at its city pairing
  await page.goto(`/console?pairing=${PAIRING}&year=${YEAR}`);
  await waitForHydration(page);
  expect(await fenOf(page, 'total')).toBe(before + fileFen);
  // exact ¥ amount on tap
  const total = page.getByTestId('total');
  await total.getByRole('button').click();
  await expect(total).toContainText('¥');

  // drill down: the total links to the entries behind it, which add up to it
  await total.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/console/entries\\?pairing=${PAIRING}&year=${YEAR}`));
  await waitForHydration(page);
  expect(Number(await page.getByTestId('entries-sum').locator('abbr').getAttribute('data-fen'))).toBe(before + fileFen);
  for (let i = 1; i <= 3; i++) await expect(page.getByTestId('entry-row').filter({ hasText: `E2E-${stamp}-${i}` })).toHaveCount(1);

  // narrow to handicrafts: only the embroidery row of the file
  await page.goto(`/console/entries?pairing=${PAIRING}&year=${YEAR}&kind=HANDICRAFT&source=IMPORT_ROW`);
  await expect(page.getByTestId('entry-row').filter({ hasText: `E2E-${stamp}` })).toHaveCount(1);
  await page.goto(`/console/entries?pairing=${PAIRING}&year=${YEAR}`);
  await waitForHydration(page);

  // CSV export of the drill-down
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV', exact: true }).click()]);
  expect(csvDownload.suggestedFilename()).toMatch(new RegExp(`${YEAR}.*\\.csv$`));
  const csvText = fs.readFileSync((await csvDownload.path())!, 'utf8');
  expect(csvText.charCodeAt(0)).toBe(0xfeff);
  expect(csvText).toContain('金额(元)');
  for (const [i, amount] of [[1, '1234.56'], [2, '2000.00'], [3, '765.44']] as const) {
    const line = csvText.split('\r\n').find((l) => l.includes(`E2E-${stamp}-${i}`));
    expect(line).toBeDefined();
    expect(line).toContain(amount);
  }

  // XLSX export of the drill-down
  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel', exact: true }).click()]);
  expect(xlsxDownload.suggestedFilename()).toMatch(new RegExp(`${YEAR}.*\\.xlsx$`));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await xlsxDownload.path())!);
  const values: unknown[] = [];
  wb.worksheets[0]!.eachRow((r) => r.eachCell((c) => values.push(c.value)));
  expect(values).toContain('日期');
  for (let i = 1; i <= 3; i++) expect(values).toContain(`E2E-${stamp}-${i}`);
  expect(values).toContain(1234.56);

  // the city pairing counts the file too (group pairings roll up into it)
  await page.goto(`/console?pairing=zhongshan-liupanshui&year=${YEAR}`);
  expect(await fenOf(page, 'total')).toBe(cityBefore + fileFen);
});
