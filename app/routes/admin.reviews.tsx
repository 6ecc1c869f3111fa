// Admin: buyer reviews, newest first (all, low-rated or hidden); hide an abusive one with a reason, or show it again.
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { Field } from '~/components/field';
import { Link } from '~/components/link';
import { Stars } from '~/components/reviews';
import { RowForm, UnplacedReply, useRowForm } from '~/components/row-form';
import { cardClass, dangerButtonClass, buttonClass } from '~/components/status';
import { requirePermission } from '~/modules/accounts/session.server';
import { formIdOf, rowFormId, type RowReply } from '~/modules/forms/rows';
import { badRequest, parseQuery, readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { adminReviews, moderateReview, ReviewError } from '~/modules/reviews/reviews.server';
import { hideSchema, moderationSchema, unhideSchema } from '~/modules/reviews/schemas';

export const meta: MetaFunction = () => [{ title: '评价管理 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'hide:review:any');
  const q = parseQuery(new URL(request.url), { filter: z.enum(['all', 'low', 'hidden']).optional() });
  if (!q.ok) badRequest(q.message);
  const filter = q.data.filter ?? 'all';
  return json({ filter, reviews: await adminReviews(filter) }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'hide:review:any');
  const form = await readFormData(request);
  const formId = formIdOf(form);
  const s = parseWithZod(form, { schema: moderationSchema });
  if (s.status !== 'success') return json<RowReply>({ formId, result: s.reply() }, { status: 400 });
  try {
    await moderateReview(user, s.value.reviewId, s.value.intent === 'hide' ? { hide: true, reason: s.value.reason } : { hide: false });
  } catch (error) {
    if (error instanceof ReviewError) return json<RowReply>({ formId, result: s.reply({ formErrors: [error.message] }) }, { status: error.status });
    throw error;
  }
  return redirect(new URL(request.url).pathname + new URL(request.url).search);
}

export default function AdminReviews() {
  const { filter, reviews } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const tab = (active: boolean) => `rounded-full px-3 py-1 ${active ? 'bg-brand-600 text-white' : 'border border-gray-200 bg-white'}`;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-xl font-bold">{tr('评价管理', 'Reviews')}</h1>
      <nav className="flex gap-2 text-sm" aria-label={tr('筛选', 'Filter')}>
        <Link to="/admin/reviews" className={tab(filter === 'all')}>{tr('全部', 'All')}</Link>
        <Link to="/admin/reviews?filter=low" className={tab(filter === 'low')}>{tr('低分（≤2 星）', 'Low (≤2 stars)')}</Link>
        <Link to="/admin/reviews?filter=hidden" className={tab(filter === 'hidden')}>{tr('已隐藏', 'Hidden')}</Link>
      </nav>
      <UnplacedReply data={data} formIds={reviews.map((r) => rowFormId(r.hidden ? 'unhide' : 'hide', r.id))} />
      {reviews.length === 0 ? <p className="text-gray-500">{tr('没有评价', 'No reviews')}</p> : null}
      <ul className="space-y-2">
        {reviews.map((r) => (
          <li key={r.id} className={`${cardClass} space-y-2 text-sm`} data-testid="admin-review">
            <p><Link to={`/products/${r.product.slug}`} className="font-medium underline">{r.product.nameZh}</Link> · {r.product.seller.name} · <Stars rating={r.rating} /> · {r.buyer.email}</p>
            {r.body ? <p className="whitespace-pre-line">{r.body}</p> : null}
            {r.sellerReply ? <p className="text-gray-600">{tr('商家回复', 'Seller reply')}：{r.sellerReply}</p> : null}
            {r.hidden ? (
              <UnhideForm reviewId={r.id} reason={r.hideReason} by={r.hiddenBy?.email ?? null} data={data} busy={navigation.state !== 'idle'} />
            ) : (
              <HideForm reviewId={r.id} data={data} busy={navigation.state !== 'idle'} />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Hiding one review needs a reason; a refusal shows at this review's reason, with what was typed. */
function HideForm({ reviewId, data, busy }: { reviewId: number; data: RowReply | undefined; busy: boolean }) {
  const tr = useTr();
  const [form, fields] = useRowForm(hideSchema, rowFormId('hide', reviewId), data, { intent: 'hide', reviewId });
  return (
    <RowForm form={form} hidden={[fields.intent, fields.reviewId]} className="space-y-2">
      <Field meta={fields.reason} label={tr('隐藏原因', 'Reason for hiding')} placeholder={tr('如 辱骂、广告', 'e.g. abuse, spam')} />
      <button type="submit" disabled={busy} className={dangerButtonClass}>{tr('隐藏', 'Hide')}</button>
    </RowForm>
  );
}

/** Showing a hidden review again: only a button; a refusal shows beside it. */
function UnhideForm({ reviewId, reason, by, data, busy }: { reviewId: number; reason: string | null; by: string | null; data: RowReply | undefined; busy: boolean }) {
  const tr = useTr();
  const [form, fields] = useRowForm(unhideSchema, rowFormId('unhide', reviewId), data, { intent: 'unhide', reviewId });
  return (
    <RowForm form={form} hidden={[fields.intent, fields.reviewId]} className="flex flex-wrap items-center gap-2">
      <span className="text-red-700">{tr('已隐藏', 'Hidden')}：{reason}{by ? ` · ${by}` : ''}</span>
      <button type="submit" disabled={busy} className={buttonClass}>{tr('恢复显示', 'Show again')}</button>
    </RowForm>
  );
}
