// Gift distribution list limits and error messages: plain data shared by the server (gift-list.server.ts)
// and the upload page, which renders the stored codes ("mobile.format", "row.duplicate:2") in the locale.
import { describeCode, FILE_ERRORS } from '~/modules/imports/format';

export const GIFT_LIST_MAX_ROWS = 5000;
export const GIFT_MAX_QUANTITY = 999;

export const GIFT_ERRORS = {
  'name.missing': ['缺少姓名', 'name is missing'],
  'name.tooLong': ['姓名超过50字', 'name is longer than 50 characters'],
  'mobile.missing': ['缺少手机号', 'mobile number is missing'],
  'mobile.format': ['手机号应为11位中国大陆手机号（1开头）', 'mobile must be an 11-digit mainland China mobile number starting with 1'],
  'address.missing': ['缺少地址', 'address is missing'],
  'address.tooShort': ['地址过短（至少8个字，含省市区及详细地址）', 'address is too short (at least 8 characters: province, city, district and street)'],
  'address.tooLong': ['地址超过200字', 'address is longer than 200 characters'],
  'quantity.missing': ['缺少数量', 'quantity is missing'],
  'quantity.format': ['数量应为正整数', 'quantity must be a positive whole number'],
  'quantity.tooLarge': [`单人数量不能超过${GIFT_MAX_QUANTITY}`, `quantity per recipient is at most ${GIFT_MAX_QUANTITY}`],
  'row.duplicate': ['与第{0}行重复（姓名、手机号、地址相同），请合并数量', 'repeats row {0} (same name, mobile and address); merge the quantities'],
  // the file-level codes of the shared readers (imports/parse.server.ts), with the gift list's own limits
  ...FILE_ERRORS,
  'file.tooLarge': ['文件超过5MB', 'the file is larger than 5 MB'],
  'file.noRows': ['文件中没有收件人', 'the file has no recipients'],
  'file.tooManyRows': [`收件人超过 ${GIFT_LIST_MAX_ROWS} 行`, `more than ${GIFT_LIST_MAX_ROWS} recipients`],
} as const satisfies Record<string, readonly [string, string]>;
export type GiftErrorCode = keyof typeof GIFT_ERRORS;

/** "code" or "code:detail" → a sentence in the locale. */
export const describeGiftError = (stored: string, locale: 'zh-CN' | 'en' = 'zh-CN') => describeCode([GIFT_ERRORS], stored, locale);
