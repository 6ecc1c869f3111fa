// Form schemas of cart, checkout, orders, finance and fulfilment pages (Conform + Zod, one per form),
// shared by server actions and client validation. Messages zh / en.
import { z } from 'zod';
import { text } from '~/modules/forms/fields';
import { parseYuanToFen } from '~/modules/money/money';

const msg = (zh: string, en: string) => `${zh} / ${en}`;
const id = (zh: string, en: string) => z.number({ required_error: msg(`请选择${zh}`, `${en} is required`), invalid_type_error: msg(`${zh}无效`, `Invalid ${en}`) }).int().positive().max(2_147_483_647);
const code = (zh: string, en: string) => z.string({ required_error: msg(`请选择${zh}`, `Choose the ${en}`) }).regex(/^[0-9]{6}$/, msg(`请选择${zh}`, `Choose the ${en}`));

export const cartSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('add'), variantId: id('规格', 'item'), quantity: z.number({ invalid_type_error: msg('数量应为整数', 'Quantity must be a number') }).int(msg('数量应为整数', 'Quantity must be whole')).min(1, msg('数量至少为 1', 'At least 1')).max(999, msg('数量最多 999', 'At most 999')).default(1) }),
  z.object({ intent: z.literal('set'), variantId: id('规格', 'item'), quantity: z.number({ required_error: msg('请填写数量', 'Quantity is required'), invalid_type_error: msg('数量应为整数', 'Quantity must be a number') }).int(msg('数量应为整数', 'Quantity must be whole')).min(0, msg('数量不能为负', 'Cannot be negative')).max(999, msg('数量最多 999', 'At most 999')) }),
  z.object({ intent: z.literal('remove'), variantId: id('规格', 'item') }),
], { errorMap: () => ({ message: msg('无效的操作', 'Invalid action') }) });

export const MOBILE_RE = /^1[3-9][0-9]{9}$/;
export const MOBILE_MESSAGE = msg('手机号应为 11 位，如 13800138000', 'The mobile number must have 11 digits, e.g. 13800138000');
/** 税号 on an organisation order: 15, 18 or 20 letters and digits (no I, O, S, V, Z), upper case. */
export const TAX_NUMBER_RE = /^[0-9A-HJ-NPQRTUWXY]{15}$|^[0-9A-HJ-NPQRTUWXY]{18}$|^[0-9A-HJ-NPQRTUWXY]{20}$/;
export const TAX_NUMBER_MESSAGE = msg('税号应为 15、18 或 20 位字母数字', 'The tax number has 15, 18 or 20 letters and digits');
/** The one-time key of an order form: a re-submit returns the same order; without a valid key (a stale or tampered form) nothing is placed. */
export const checkoutKeyField = z.string({ required_error: msg('表单已失效，请刷新', 'The form expired; reload') }).regex(/^[A-Za-z0-9_-]{16,64}$/, msg('表单已失效，请刷新', 'The form expired; reload'));
/** A required 11-digit mainland mobile number, `zh` / `en` naming the field when it is missing. */
export const mobileField = (zh: string, en: string) => z.string({ required_error: msg(`请填写${zh}`, `${en} is required`) }).trim().regex(MOBILE_RE, MOBILE_MESSAGE);

export const checkoutSchema = z
  .object({
    checkoutKey: checkoutKeyField,
    buyer: z.string({ required_error: msg('请选择购买身份', 'Choose who is buying') }).regex(/^(personal|org-[0-9]{1,9})$/, msg('请选择购买身份', 'Choose who is buying')),
    invoiceTitle: z.string().trim().max(100, msg('发票抬头最多 100 个字', 'Invoice title: at most 100 characters')).optional(),
    taxNumber: z.string().trim().max(20, msg('税号最多 20 位', 'Tax number: at most 20 characters')).optional(),
    provinceCode: code('省份', 'province'),
    cityCode: code('城市', 'city'),
    districtCode: code('区县', 'district'),
    street: text('详细地址', 'Street address', 4, 120),
    recipient: text('收货人', 'Recipient', 2, 30),
    mobile: mobileField('手机号', 'Mobile number'),
    note: z.string().trim().max(200, msg('备注最多 200 个字', 'Note: at most 200 characters')).optional(),
    provider: z.enum(['BANK_TRANSFER', 'STRIPE'], { errorMap: () => ({ message: msg('请选择付款方式', 'Choose how to pay') }) }).default('BANK_TRANSFER'),
    /** union welfare allowance to spend (元, optional) and the organisation that granted it */
    allowance: z.string().trim().max(16).optional().transform((v, ctx) => {
      if (!v) return 0;
      const fen = parseYuanToFen(v);
      if (fen === null || fen < 0 || fen > 2_000_000_000) {
        ctx.addIssue({ code: 'custom', message: msg('福利额度金额应为元，如 120.00', 'Allowance: an amount in 元 such as 120.00') });
        return z.NEVER;
      }
      return fen;
    }),
    allowanceOrganisationId: z.number({ invalid_type_error: msg('请选择福利额度', 'Choose the allowance') }).int().positive().max(2_147_483_647).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.buyer.startsWith('org-')) return;
    if (!v.invoiceTitle || v.invoiceTitle.length < 2) ctx.addIssue({ code: 'custom', path: ['invoiceTitle'], message: msg('单位采购需填写发票抬头', 'An organisation order needs the invoice title') });
    if (!v.taxNumber || !TAX_NUMBER_RE.test(v.taxNumber.toUpperCase())) {
      ctx.addIssue({ code: 'custom', path: ['taxNumber'], message: TAX_NUMBER_MESSAGE });
    }
  });

export const orderActionSchema = z.object({ intent: z.enum(['cancel', 'deliver', 'complete'], { errorMap: () => ({ message: msg('无效的操作', 'Invalid action') }) }) });

const yuan = z.string({ required_error: msg('请填写金额', 'Amount is required') }).transform((v, ctx) => {
  const fen = parseYuanToFen(v);
  if (fen === null || fen <= 0 || fen > 2_000_000_000) {
    ctx.addIssue({ code: 'custom', message: msg('金额应为元，如 79.80', 'An amount in 元 such as 79.80') });
    return z.NEVER;
  }
  return fen;
});

export const receiptSchema = z.object({
  reference: z.string({ required_error: msg('请填写付款参考号', 'Reference is required') }).trim().toUpperCase().regex(/^SH[A-Z0-9]{8}$/, msg('付款参考号形如 SH7K2M9Q4X', 'A reference looks like SH7K2M9Q4X')),
  amount: yuan,
  receivedOn: z.string({ required_error: msg('请填写到账日期', 'Date received is required') }).regex(/^\d{4}-\d{2}-\d{2}$/, msg('日期格式 YYYY-MM-DD', 'Date as YYYY-MM-DD')).refine((d) => !Number.isNaN(Date.parse(d)) && Date.parse(d) <= Date.now() + 86_400_000, msg('日期无效', 'Invalid date')),
  bankReference: text('银行流水号', 'Bank reference', 4, 64),
});

export const returnSchema = z.object({ paymentId: id('款项', 'payment'), note: text('说明', 'Note', 2, 200) });

export const refundSchema = z.object({
  mode: z.enum(['all', 'lines'], { errorMap: () => ({ message: msg('请选择退款方式', 'Choose full or per line') }) }),
  reason: text('退款原因', 'Reason', 2, 200),
  // qty-<lineId> fields are read separately (one per line)
}).passthrough();

export const shipSchema = z.object({
  fulfilmentId: id('包裹', 'parcel'),
  carrier: text('快递公司', 'Carrier', 2, 30),
  trackingNo: z.string({ required_error: msg('请填写运单号', 'Tracking number is required') }).trim().regex(/^[A-Za-z0-9-]{6,40}$/, msg('运单号为 6–40 位字母数字', 'Tracking number: 6–40 letters and digits')),
});

export const invoiceIssueSchema = z.object({
  requestId: id('发票申请', 'invoice request'),
  invoiceNumber: z.string({ required_error: msg('请填写发票号码', 'Invoice number is required') }).trim().regex(/^[0-9A-Za-z-]{8,30}$/, msg('发票号码为 8–30 位数字或字母', 'The invoice number is 8–30 digits or letters')),
  issuedOn: z.string({ required_error: msg('请填写开票日期', 'Issue date is required') }).regex(/^\d{4}-\d{2}-\d{2}$/, msg('日期格式 YYYY-MM-DD', 'Date as YYYY-MM-DD')).refine((d) => !Number.isNaN(Date.parse(d)) && Date.parse(d) <= Date.now() + 86_400_000 && Date.parse(d) >= Date.parse('2000-01-01'), msg('日期无效', 'Invalid date')),
});
