// Form schemas for buyer reviews, seller replies and admin hiding (Conform + Zod), shared with the client.
import { z } from 'zod';

const msg = (zh: string, en: string) => `${zh} / ${en}`;
const id = (zh: string, en: string) => z.number({ required_error: msg(`缺少${zh}`, `${en} is required`), invalid_type_error: msg(`${zh}无效`, `Invalid ${en}`) }).int().positive().max(2_147_483_647);

export const REVIEW_MAX = 1000;

export const reviewSchema = z.object({
  intent: z.literal('review'),
  orderLineId: id('商品行', 'order line'),
  rating: z.number({ required_error: msg('请选择评分', 'Choose a rating'), invalid_type_error: msg('评分应为 1–5', 'Rating must be 1–5') }).int(msg('评分应为 1–5', 'Rating must be 1–5')).min(1, msg('评分应为 1–5', 'Rating must be 1–5')).max(5, msg('评分应为 1–5', 'Rating must be 1–5')),
  body: z.string().trim().max(REVIEW_MAX, msg(`评价最多 ${REVIEW_MAX} 个字`, `Review: at most ${REVIEW_MAX} characters`)).default(''),
});

export const replySchema = z.object({
  reviewId: id('评价', 'review'),
  reply: z.string({ required_error: msg('请填写回复', 'Write a reply') }).trim().min(1, msg('请填写回复', 'Write a reply')).max(REVIEW_MAX, msg(`回复最多 ${REVIEW_MAX} 个字`, `Reply: at most ${REVIEW_MAX} characters`)),
});

/** Hiding a review needs a reason (shown to the seller). */
export const hideSchema = z.object({
  intent: z.literal('hide'),
  reviewId: id('评价', 'review'),
  reason: z.string({ required_error: msg('请填写隐藏原因', 'Give the reason for hiding') }).trim().min(2, msg('隐藏原因至少 2 个字', 'Reason: at least 2 characters')).max(200, msg('隐藏原因最多 200 个字', 'Reason: at most 200 characters')),
});

export const unhideSchema = z.object({ intent: z.literal('unhide'), reviewId: id('评价', 'review') });

export const moderationSchema = z.discriminatedUnion('intent', [hideSchema, unhideSchema], { errorMap: () => ({ message: msg('无效的操作', 'Invalid action') }) });
