// Form schemas of the organisation pages (Conform + Zod, one schema per form), shared by the server
// actions and client validation. Messages are zh / en.
import { z } from 'zod';
import { validateCreditCode } from '~/modules/catalog/credit-code';
import { optionalText as optionalTextField, req, text, yuanField } from '~/modules/forms/fields';
import { parseYuanToFen } from '~/modules/money/money';
import { checkoutKeyField, mobileField, TAX_NUMBER_MESSAGE, TAX_NUMBER_RE } from '~/modules/orders/schemas';

// optional texts are stored as '' when left empty
const optionalText = (zh: string, en: string, max: number) => optionalTextField(zh, en, max).transform((v) => v ?? '');

export const creditCodeField = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const r = validateCreditCode(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.code;
  });

/** 税号 (optional here): the rule its orders apply (15, 18 or 20 characters; mostly the 18-character credit code). */
const taxNumber = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ?? '').toUpperCase())
  .refine((v) => v === '' || TAX_NUMBER_RE.test(v), TAX_NUMBER_MESSAGE);

export const organisationSchema = z.object({
  name: text('单位名称', 'Name', 2, 100),
  placeCode: z.string(req('请填写所在地代码', 'Place code is required')).trim().regex(/^[0-9]{6}([0-9]{3})?$/, '所在地代码应为6位或9位行政区划代码 / Place code: a 6 or 9 digit division code'),
  creditCode: creditCodeField,
  invoiceTitle: optionalText('发票抬头', 'Invoice title', 100),
  taxNumber,
  invoiceAddress: optionalText('注册地址', 'Registered address', 200),
  invoicePhone: z.string().trim().optional().transform((v) => v ?? '').refine((v) => v === '' || /^[0-9+\-() ]{5,30}$/.test(v), '电话格式不正确 / Enter a valid phone number'),
  invoiceBank: optionalText('开户银行', 'Bank', 100),
  invoiceBankAccount: z.string().trim().optional().transform((v) => (v ?? '').replace(/\s+/g, '')).refine((v) => v === '' || /^[0-9]{8,30}$/.test(v), '银行账号应为8至30位数字 / Bank account: 8 to 30 digits'),
});

export const approvalSchema = z.object({
  /** empty: no approval needed */
  threshold: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const fen = parseYuanToFen(v);
      if (fen === null || fen <= 0 || fen > 100_000_000_00) {
        ctx.addIssue({ code: 'custom', message: '审批金额应为大于0的金额（元），不需要审批请留空 / Threshold: an amount in 元 above 0, or empty for no approval' });
        return z.NEVER;
      }
      return fen;
    }),
});

const orderIdField = z.coerce.number({ invalid_type_error: '无效的订单 / Invalid order' }).int().positive().max(2_147_483_647);

/** An approver's rejection of an order: the reason is shown to the buyer. */
export const orderRejectSchema = z.object({ decision: z.literal('reject'), orderId: orderIdField, reason: text('驳回原因', 'Reason', 2, 200) });

export const orderApproveSchema = z.object({ decision: z.literal('approve'), orderId: orderIdField });

export const orderDecisionSchema = z.discriminatedUnion('decision', [orderApproveSchema, orderRejectSchema], { errorMap: () => ({ message: '无效的操作 / Invalid action' }) });

export const inviteMemberSchema = z.object({
  email: z
    .string(req('请填写邮箱', 'Email is required'))
    .trim()
    .toLowerCase()
    .max(200, '邮箱过长 / Email is too long')
    .email('邮箱格式不正确 / Enter a valid email address'),
  role: z.enum(['MEMBER', 'BUYER'], req('请选择角色', 'Choose a role')),
});

export const reservedShareSchema = z.object({
  year: z
    .number(req('请填写年度', 'Year is required'))
    .int('年度应为整数 / Year: a whole number')
    .min(2000, '年度不能早于2000 / Year: 2000 or later')
    .max(2100, '年度不能晚于2100 / Year: 2100 or earlier'),
  amount: yuanField('预留金额', 'Reserved amount', 10_000_000_000 / 100),
});

const isoDate = z
  .string(req('请填写日期', 'Date is required'))
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD / Date: YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, '日期不存在 / No such date');

export const grantAllowanceSchema = z.object({
  memberIds: z
    .array(z.number().int().positive(), req('请选择成员', 'Choose members'))
    .min(1, '请至少选择一名成员 / Choose at least one member')
    .max(5000, '一次最多发放给5000名成员 / At most 5000 members at once'),
  amount: yuanField('每人金额', 'Amount each', 100_000),
  validUntil: isoDate,
  note: optionalText('备注', 'Note', 100),
});

/** The gift-list form (org.$id.gift-list), "check": only the list file, read apart from this schema (multipart). */
export const giftCheckSchema = z.object({ intent: z.literal('check') });
/** "place": the list file and the order details (placeGiftOrder checks them again). */
export const giftPlaceSchema = z.object({
  intent: z.literal('place'),
  checkoutKey: checkoutKeyField,
  invoiceTitle: text('发票抬头', 'Invoice title', 2, 100),
  taxNumber: z
    .string(req('请填写税号', 'Tax number is required'))
    .trim()
    .transform((v) => v.toUpperCase())
    .refine((v) => TAX_NUMBER_RE.test(v), TAX_NUMBER_MESSAGE),
  contactName: text('联系人', 'Contact name', 1, 50),
  contactMobile: mobileField('联系人手机号', 'Contact mobile'),
  note: optionalText('备注', 'Note', 200),
});
/** What the server accepts: the button pressed says which. */
export const giftListSchema = z.discriminatedUnion('intent', [giftCheckSchema, giftPlaceSchema], { errorMap: () => ({ message: '无效的操作 / Invalid action' }) });
/**
 * In the browser: while typing (a field left, no button pressed yet) the details are checked as for "place",
 * so a mistyped mobile shows at once; pressing "check" checks nothing but the file.
 */
const giftWhileTyping = giftPlaceSchema.partial({ intent: true });
export const giftListSchemaFor = (intent: FormDataEntryValue | null) => (intent === 'check' ? giftCheckSchema : intent === null ? giftWhileTyping : giftPlaceSchema);
