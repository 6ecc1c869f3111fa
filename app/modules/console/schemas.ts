// Console form schemas (shared with the browser for Conform's client validation).
import { z } from 'zod';
import { parseOfficialAmountToFen } from '~/modules/money/money';

export const targetSchema = z.object({
  intent: z.literal('target'),
  year: z.coerce.number({ message: '请选择年份 / choose a year' }).int().min(2000, '年份不早于2000 / from 2000').max(2100, '年份不晚于2100 / until 2100'),
  target: z
    .string({ required_error: '请填写目标金额 / enter the target' })
    .refine((v) => (parseOfficialAmountToFen(v) ?? 0) > 0, '金额格式如 2亿、6660万 或 183000000 / write it like 2亿, 6660万 or 183000000'),
});

export const publishSchema = z.object({
  intent: z.literal('publish'),
  published: z.enum(['true', 'false']),
});

export const revertSchema = z.object({
  intent: z.literal('revert'),
  reason: z.string({ required_error: '请填写撤销原因 / give a reason' }).trim().min(2, '请填写撤销原因 / give a reason').max(500),
});
