// Zod field builders the form schemas share (Conform + Zod, one schema per form). Every message is
// "中文 / English", names the field and says what is expected.
import { z } from 'zod';
import { parseYuanToFen } from '~/modules/money/money';

/** The shape a Conform form works with: the schema's input plus file fields (checked on the server). */
export type FormShape<S extends z.ZodTypeAny, Files extends string = never> = z.input<S> & Partial<Record<Files, File>>;

/** Messages for a missing or mistyped value. */
export const req = (zh: string, en: string) => ({ required_error: `${zh} / ${en}`, invalid_type_error: `${zh} / ${en}` });

/** Required text, trimmed, `min`–`max` characters. */
export const text = (zh: string, en: string, min: number, max: number) =>
  z
    .string(req(`请填写${zh}`, `${en} is required`))
    .trim()
    .min(min, `${zh}至少 ${min} 个字 / ${en}: at least ${min} characters`)
    .max(max, `${zh}最多 ${max} 个字 / ${en}: at most ${max} characters`);

/** Optional text, trimmed, at most `max` characters (undefined when left empty). */
export const optionalText = (zh: string, en: string, max: number) =>
  z.string().trim().max(max, `${zh}最多 ${max} 个字 / ${en}: at most ${max} characters`).optional();

/** 元 text ("600", "39.90") → 分, within (0, maxYuan元]. */
export const yuanField = (zh: string, en: string, maxYuan: number) =>
  z.string(req(`请填写${zh}`, `${en} is required`)).transform((v, ctx) => {
    const fen = parseYuanToFen(v);
    if (fen === null) {
      ctx.addIssue({ code: 'custom', message: `${zh}应为金额，如 600 或 39.90 / ${en}: an amount in 元 such as 600 or 39.90` });
      return z.NEVER;
    }
    if (fen <= 0 || fen > maxYuan * 100) {
      ctx.addIssue({ code: 'custom', message: `${zh}应在 0.01 到 ${maxYuan} 元之间 / ${en}: between 0.01 and ${maxYuan} 元` });
      return z.NEVER;
    }
    return fen;
  });
