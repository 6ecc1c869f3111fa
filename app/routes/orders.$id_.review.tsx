// The buyer reviews one delivered order line: /orders/:id/review?line=<order line id>.
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import type { z } from 'zod';
import { FormErrors, TextareaField } from '~/components/field';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { requireUser } from '~/modules/accounts/session.server';
import { notFound, readFormData } from '~/modules/http/http.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { intParam } from '~/modules/orders/http.server';
import { createReview, ReviewError, reviewTarget } from '~/modules/reviews/reviews.server';
import { REVIEW_MAX, reviewSchema } from '~/modules/reviews/schemas';
import { fieldChecks } from '~/modules/forms/validation';

export const meta: MetaFunction = () => [{ title: '评价商品 · 山海集' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const orderId = intParam(params.id);
  const lineId = intParam(new URL(request.url).searchParams.get('line') ?? undefined, 'line');
  const line = await reviewTarget(user.id, orderId, lineId);
  if (!line) notFound('没有这件已购商品 / No such purchased item');
  return json({ orderId, line }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const orderId = intParam(params.id);
  const submission = parseWithZod(await readFormData(request), { schema: reviewSchema });
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 });
  try {
    await createReview(user, { ...submission.value, orderId });
  } catch (error) {
    if (error instanceof ReviewError) return json(submission.reply({ formErrors: [error.message] }), { status: error.status });
    throw error;
  }
  return redirect(`/orders/${orderId}?reviewed=1`);
}

export default function ReviewPage() {
  const { orderId, line } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const locale = useLocale();
  const [form, fields] = useForm<z.input<typeof reviewSchema>, z.output<typeof reviewSchema>>({
    id: 'review',
    lastResult,
    defaultValue: { intent: 'review', orderLineId: String(line.id), rating: '5' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reviewSchema }),
    ...fieldChecks,
  });
  return (
    <div className="mx-auto max-w-xl space-y-4 p-4">
      <p className="text-sm"><Link to={`/orders/${orderId}`} className="text-brand-700 underline">← {tr('订单', 'Order')} {line.order.reference}</Link></p>
      <h1 className="text-xl font-bold">{tr('评价商品', 'Review this item')}</h1>
      <p className={cardClass}>{pick(locale, line.productNameZh, line.productNameEn)} · {line.variantNameZh} × {line.quantity}</p>
      {line.review ? <Notice>{tr(`您已评价：${line.review.rating} 星`, `You rated it ${line.review.rating} stars`)}</Notice> : null}
      {!line.review && !line.canReview ? <Notice tone="error">{tr('确认收货后才能评价。', 'You can review once the order is delivered.')}</Notice> : null}
      {line.canReview ? (
        <Form method="post" {...getFormProps(form)} className={`${cardClass} space-y-4`}>
          <FormErrors id={form.errorId} errors={form.errors} />
          <input {...getInputProps(fields.intent, { type: 'hidden' })} />
          <input {...getInputProps(fields.orderLineId, { type: 'hidden' })} />
          <fieldset className="space-y-1" aria-describedby={fields.rating.errors?.length ? fields.rating.errorId : undefined}>
            <legend className="text-sm font-medium">{tr('评分', 'Rating')}</legend>
            <div className="flex gap-3">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="flex items-center gap-1">
                  <input type="radio" name={fields.rating.name} value={n} defaultChecked={fields.rating.initialValue === String(n)} />
                  <span aria-hidden>{'★'.repeat(n)}</span><span className="sr-only">{tr(`${n} 星`, `${n} stars`)}</span>
                </label>
              ))}
            </div>
            {fields.rating.errors?.length ? <p id={fields.rating.errorId} className="text-sm text-red-700" role="alert">{fields.rating.errors.join('；')}</p> : null}
          </fieldset>
          <TextareaField meta={fields.body} label={tr('评价内容（可选）', 'Your review (optional)')} hint={tr(`最多 ${REVIEW_MAX} 个字`, `At most ${REVIEW_MAX} characters`)} />
          <button type="submit" disabled={navigation.state !== 'idle'} className={buttonClass}>{tr('提交评价', 'Submit review')}</button>
        </Form>
      ) : null}
    </div>
  );
}
