// Seller centre: reviews of the seller's own goods, with a reply form per review.
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { TextareaField } from '~/components/field';
import { Link } from '~/components/link';
import { Stars } from '~/components/reviews';
import { RowForm, UnplacedReply, useRowForm } from '~/components/row-form';
import { buttonClass, cardClass } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
import { formIdOf, rowFormId, type RowReply } from '~/modules/forms/rows';
import { readFormData } from '~/modules/http/http.server';
import { useLocale, useTr } from '~/modules/i18n/i18n';
import { replyToReview, ReviewError, sellerReviews } from '~/modules/reviews/reviews.server';
import { replySchema } from '~/modules/reviews/schemas';

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'reply:review:own');
  return json({ reviews: await sellerReviews(user.sellerStaff.map((s) => s.seller.id)) }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'reply:review:own');
  const form = await readFormData(request);
  const formId = formIdOf(form);
  const s = parseWithZod(form, { schema: replySchema });
  if (s.status !== 'success') return json<RowReply>({ formId, result: s.reply() }, { status: 400 });
  try {
    await replyToReview(user, s.value.reviewId, s.value.reply);
  } catch (error) {
    if (error instanceof ReviewError) return json<RowReply>({ formId, result: s.reply({ formErrors: [error.message] }) }, { status: error.status });
    throw error;
  }
  return redirect('/seller/reviews');
}

export default function SellerReviewsPage() {
  const { reviews } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const locale = useLocale();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{tr('买家评价', 'Buyer reviews')}</h1>
      <UnplacedReply data={data} formIds={reviews.map((r) => rowFormId('reply', r.id))} />
      {reviews.length === 0 ? <p className={cardClass}>{tr('暂无评价。', 'No reviews yet.')}</p> : null}
      <ul className="space-y-3">
        {reviews.map((r) => (
          <li key={r.id} className={`${cardClass} space-y-2`} data-testid="seller-review">
            <p className="text-sm"><Link to={`/products/${r.product.slug}`} className="font-medium underline">{r.product.nameZh}</Link> · <Stars rating={r.rating} /> · <span className="text-gray-500">{new Date(r.createdAt).toLocaleDateString(locale, { timeZone: 'Asia/Shanghai' })}</span></p>
            {r.hidden ? <p className="text-xs text-red-700">{tr('已被平台隐藏', 'Hidden by the platform')}：{r.hideReason}</p> : null}
            {r.body ? <p className="whitespace-pre-line text-sm">{r.body}</p> : null}
            <ReplyForm reviewId={r.id} reply={r.sellerReply} data={data} busy={navigation.state !== 'idle'} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The seller's reply to one review; a refusal shows at this review's reply, with what was typed. */
function ReplyForm({ reviewId, reply, data, busy }: { reviewId: number; reply: string | null; data: RowReply | undefined; busy: boolean }) {
  const tr = useTr();
  const [form, fields] = useRowForm(replySchema, rowFormId('reply', reviewId), data, { reviewId, reply: reply ?? '' });
  return (
    <RowForm form={form} hidden={[fields.reviewId]} className="space-y-2">
      <TextareaField meta={fields.reply} label={reply ? tr('修改回复', 'Edit your reply') : tr('回复', 'Reply')} rows={2} />
      <button type="submit" disabled={busy} className={buttonClass}>{tr('保存回复', 'Save reply')}</button>
    </RowForm>
  );
}
