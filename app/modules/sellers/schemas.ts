// Form schemas of the seller portal and its review pages, shared by server actions and client validation
// (Conform + Zod, one schema per form). Messages are zh / en. Files are checked on the server by content
// (storage/images.server.ts), not here.
import { z } from 'zod';
import { validateCreditCode } from '~/modules/catalog/credit-code';
import { checkPriceBreaks, MAX_PRICE_BREAKS } from '~/modules/catalog/price-breaks';
import { optionalText, req, text, yuanField } from '~/modules/forms/fields';
import { parseYuanToFen } from '~/modules/money/money';


/** 元 text ("128", "128.5") → 分; positive, at most 100万元. */
const yuan = (zh: string, en: string) => yuanField(zh, en, 1_000_000);

const wholeNumber = (zh: string, en: string, min: number, max: number) =>
  z
    .number(req(`请填写${zh}`, `${en} is required`))
    .int(`${zh}应为整数 / ${en}: a whole number`)
    .min(min, `${zh}不能小于 ${min} / ${en}: at least ${min}`)
    .max(max, `${zh}不能大于 ${max} / ${en}: at most ${max}`);

const isoDate = (zh: string, en: string) =>
  z
    .string(req(`请填写${zh}`, `${en} is required`))
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${zh}格式应为 年-月-日 / ${en}: YYYY-MM-DD`)
    .transform((v, ctx) => {
      const d = new Date(`${v}T00:00:00Z`);
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
        ctx.addIssue({ code: 'custom', message: `${zh}不是有效日期 / ${en}: not a valid date` });
        return z.NEVER;
      }
      return d;
    });

const todayUtc = () => {
  const n = new Date();
  return Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate());
};

// ---------- onboarding ----------

export const SELLER_KINDS = ['COOPERATIVE', 'ENTERPRISE', 'FAMILY_FARM'] as const;

export const applySchema = z.object({
  name: text('商家名称', 'Name', 2, 100),
  nameEn: optionalText('英文名称', 'English name', 160),
  kind: z.enum(SELLER_KINDS, { errorMap: () => ({ message: '请选择主体类型 / Choose the kind of organisation' }) }),
  creditCode: z.string(req('请填写统一社会信用代码', 'The unified social credit code is required')).transform((v, ctx) => {
    const r = validateCreditCode(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.reason });
      return z.NEVER;
    }
    return r.code;
  }),
  countyCode: z.string(req('请选择所在县（市、区）', 'Choose the county')).regex(/^[0-9]{6}$/, '请选择所在县（市、区） / Choose the county'),
  contactName: text('联系人', 'Contact name', 1, 50),
  contactPhone: z.string(req('请填写联系电话', 'The contact phone is required')).trim().regex(/^1[3-9][0-9]{9}$/, '请填写11位手机号码 / A mainland mobile number (11 digits)'),
  descriptionZh: optionalText('简介', 'Description', 5000),
});
export type ApplyFormValue = z.infer<typeof applySchema>;
export type ApplyFormInput = z.input<typeof applySchema>;

export const inviteSchema = z.object({
  email: z
    .string(req('请填写邮箱', 'Email is required'))
    .trim()
    .toLowerCase()
    .max(254, '邮箱太长 / Email is too long')
    .email('邮箱格式不正确 / Enter a valid email address'),
});

// ---------- listings ----------

export const STATISTICS_KINDS = ['AGRI_LIVESTOCK', 'HANDICRAFT'] as const;

export const variantFormSchema = z.object({
  /** set for an existing variant (its stock then changes only through stock adjustments) */
  id: z.number().int().positive().optional(),
  nameZh: text('规格名称', 'Specification', 1, 80),
  nameEn: optionalText('英文规格名称', 'English specification', 120),
  price: yuan('价格', 'Price'),
  referencePrice: yuan('市场参考价', 'Reference price').optional(),
  stock: wholeNumber('初始库存', 'Initial stock', 0, 10_000_000).optional(),
  unit: text('单位', 'Unit', 1, 10),
  weightGrams: wholeNumber('重量（克）', 'Weight (g)', 0, 1_000_000),
});

export const listingSchema = z
  .object({
    nameZh: text('商品名称', 'Product name', 2, 120),
    nameEn: optionalText('英文名称', 'English name', 200),
    descriptionZh: optionalText('商品描述', 'Description', 20_000),
    descriptionEn: optionalText('英文描述', 'English description', 20_000),
    categoryId: z.number(req('请选择品类', 'Choose a category')).int().positive('请选择品类 / Choose a category'),
    statisticsKind: z.enum(STATISTICS_KINDS, { errorMap: () => ({ message: '请选择统计类别 / Choose the statistics kind' }) }),
    originCode: z.string(req('请选择产地', 'Choose the origin')).regex(/^[0-9]{6}$/, '请选择产地县（市、区） / Choose the county of origin'),
    referencePriceSource: optionalText('参考价来源', 'Reference price source', 200),
    variants: z.array(variantFormSchema, req('至少需要一个规格', 'Add at least one specification')).min(1, '至少需要一个规格 / Add at least one specification').max(20, '最多 20 个规格 / At most 20 specifications'),
  })
  .superRefine((v, ctx) => {
    if (v.variants.some((x) => x.referencePrice !== undefined) && !v.referencePriceSource) {
      ctx.addIssue({ code: 'custom', path: ['referencePriceSource'], message: '填写了市场参考价，请注明来源 / Say where the reference prices come from' });
    }
    v.variants.forEach((x, i) => {
      if (x.id === undefined && x.stock === undefined) ctx.addIssue({ code: 'custom', path: ['variants', i, 'stock'], message: '请填写初始库存 / Initial stock is required' });
    });
  });
export type ListingFormValue = z.infer<typeof listingSchema>;

export const certificateSchema = z.object({
  number: text('证书编号', 'Certificate number', 3, 64),
  issuer: text('认定机构', 'Issuer', 2, 120),
  validUntil: isoDate('有效期至', 'Valid until').refine((d) => d.getTime() >= todayUtc(), '证书已过期，不能提交 / The certificate has already expired'),
});

export const STOCK_REASON_OPTIONS = ['RESTOCK', 'CORRECTION', 'DAMAGE', 'OFFLINE_SALE', 'RETURN', 'OTHER'] as const;

export const stockSchema = z.object({
  variantId: z.number(req('请选择规格', 'Choose a specification')).int().positive(),
  delta: wholeNumber('变动数量', 'Change', -1_000_000, 1_000_000).refine((n) => n !== 0, '变动数量不能为 0 / The change cannot be 0'),
  reason: z.enum(STOCK_REASON_OPTIONS, { errorMap: () => ({ message: '请选择原因 / Choose a reason' }) }),
  note: optionalText('备注', 'Note', 200),
});

export const batchSchema = z.object({
  dateKind: z.enum(['HARVESTED', 'PRODUCED'], { errorMap: () => ({ message: '请选择采收或生产 / Harvested or produced?' }) }),
  producedOn: isoDate('日期', 'Date').refine((d) => d.getTime() <= todayUtc() + 86_400_000, '日期不能在将来 / The date cannot be in the future'),
  baseName: text('基地或农场', 'Base or farm', 2, 120),
  quantity: optionalText('数量', 'Quantity', 60),
  inspectionReportNo: optionalText('检测报告编号', 'Inspection report number', 64),
  inspectionAgency: optionalText('检测机构', 'Inspection agency', 120),
  notes: optionalText('备注', 'Notes', 1000),
});

// ---------- reviews ----------

/** Approve or reject (a reason is required to reject). */
export const decisionSchema = z
  .object({
    id: z.number().int().positive(),
    decision: z.enum(['approve', 'reject'], { errorMap: () => ({ message: '请选择通过或驳回 / Approve or reject?' }) }),
    reason: z.string().trim().max(500, '理由最多 500 字 / At most 500 characters').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && (!v.reason || v.reason.length < 2)) ctx.addIssue({ code: 'custom', path: ['reason'], message: '驳回时请说明理由 / Give a reason for rejecting' });
  });

// ---------- quantity breaks (阶梯价) ----------

/**
 * One variant's quantity breaks: up to MAX_PRICE_BREAKS rows of (minimum quantity, unit price in 元);
 * blank rows are ignored, a half-filled row is an error. Order and monotony are checked here (also in
 * the browser); "below the base price" needs the stored price and is checked again on the server.
 */
export const priceBreaksSchema = z
  .object({
    variantId: z.number(req('请选择规格', 'Choose a specification')).int().positive(),
    breaks: z
      .array(z.object({ minQuantity: z.string().trim().optional(), price: z.string().trim().optional() }).optional())
      .max(MAX_PRICE_BREAKS, `最多 ${MAX_PRICE_BREAKS} 档 / At most ${MAX_PRICE_BREAKS} breaks`)
      .default([]),
  })
  .transform((v, ctx) => {
    const rows: Array<{ index: number; minQuantity: number; priceFen: number }> = [];
    v.breaks.forEach((row, index) => {
      const q = row?.minQuantity ?? '';
      const p = row?.price ?? '';
      if (!q && !p) return;
      let bad = false;
      if (!/^[0-9]{1,5}$/.test(q)) {
        ctx.addIssue({ code: 'custom', path: ['breaks', index, 'minQuantity'], message: q ? '起购数量应为整数 / The minimum quantity is a whole number' : '请填写起购数量 / Enter the minimum quantity' });
        bad = true;
      }
      const fen = parseYuanToFen(p);
      if (fen === null) {
        ctx.addIssue({ code: 'custom', path: ['breaks', index, 'price'], message: p ? '单价应为金额，如 35.50 / The unit price is an amount in 元 such as 35.50' : '请填写单价 / Enter the unit price' });
        bad = true;
      }
      if (!bad) rows.push({ index, minQuantity: Number(q), priceFen: fen! });
    });
    for (const problem of checkPriceBreaks(Number.MAX_SAFE_INTEGER, rows)) {
      const row = rows[problem.index];
      ctx.addIssue({ code: 'custom', path: ['breaks', row?.index ?? problem.index, problem.field === 'priceFen' ? 'price' : 'minQuantity'], message: problem.message });
    }
    return { variantId: v.variantId, breaks: rows.map(({ minQuantity, priceFen }) => ({ minQuantity, priceFen })), rowIndex: rows.map((r) => r.index) };
  });
