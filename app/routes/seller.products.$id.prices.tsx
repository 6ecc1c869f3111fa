// Quantity breaks (阶梯价) of a product's variants: one form per variant, up to five rows of
// "from N units → unit price". Checked in the browser and again on the server against the stored price.
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import type { z } from 'zod';
import { Field, FormErrors } from '~/components/field';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { MAX_PRICE_BREAKS } from '~/modules/catalog/price-breaks';
import { readFormData } from '~/modules/http/http.server';
import { useTr } from '~/modules/i18n/i18n';
import { fenToYuanInput, formatFen } from '~/modules/money/money';
import { idParam, requireProductAccess } from '~/modules/sellers/access.server';
import { productPriceBreaks, setPriceBreaks } from '~/modules/sellers/price-breaks.server';
import type { FormShape } from '~/modules/forms/fields';
import { priceBreaksSchema } from '~/modules/sellers/schemas';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const productId = idParam(params.id);
  await requireProductAccess(request, productId, 'read');
  return json({ product: await productPriceBreaks(productId) });
}

type ActionData = { variantId: number; result: SubmissionResult<string[]> };

export async function action({ request, params }: ActionFunctionArgs) {
  const productId = idParam(params.id);
  const { user } = await requireProductAccess(request, productId, 'update');
  const formData = await readFormData(request);
  const variantId = Number(formData.get('variantId')) || 0;
  const submission = parseWithZod(formData, { schema: priceBreaksSchema });
  if (submission.status !== 'success') return json<ActionData>({ variantId, result: submission.reply() }, { status: 400 });
  const { breaks, rowIndex } = submission.value;
  const r = await setPriceBreaks(user, productId, submission.value.variantId, breaks);
  if (!r.ok) {
    const fieldErrors: Record<string, string[]> = {};
    for (const p of r.problems) (fieldErrors[`breaks[${rowIndex[p.index] ?? p.index}].${p.field === 'priceFen' ? 'price' : 'minQuantity'}`] ??= []).push(p.message);
    return json<ActionData>({ variantId, result: submission.reply({ formErrors: [r.message], fieldErrors }) }, { status: 400 });
  }
  return redirect(`/seller/products/${productId}/prices?saved=${submission.value.variantId}`);
}

type Variant = ReturnType<typeof useLoaderData<typeof loader>>['product']['variants'][number];

function BreaksForm({ variant, lastResult, disabled }: { variant: Variant; lastResult: SubmissionResult<string[]> | null; disabled: boolean }) {
  const tr = useTr();
  const navigation = useNavigation();
  const rows = Array.from({ length: MAX_PRICE_BREAKS }, (_, i) => {
    const b = variant.priceBreaks[i];
    return b ? { minQuantity: String(b.minQuantity), price: fenToYuanInput(b.priceFen) } : { minQuantity: '', price: '' };
  });
  const [form, fields] = useForm<FormShape<typeof priceBreaksSchema>, z.output<typeof priceBreaksSchema>>({
    id: `breaks-${variant.id}`,
    lastResult,
    defaultValue: { variantId: String(variant.id), breaks: rows },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: priceBreaksSchema }),
    ...fieldChecks,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-3" aria-labelledby={`v-${variant.id}`}>
      <input type="hidden" name="variantId" value={variant.id} />
      <FormErrors id={form.errorId} errors={form.errors} />
      <ol className="space-y-2">
        {fields.breaks.getFieldList().map((row, i) => {
          const f = row.getFieldset();
          return (
            <li key={row.key} className="grid grid-cols-2 gap-2" data-testid="break-row">
              <Field meta={f.minQuantity} label={tr(`第 ${i + 1} 档：起购数量（${variant.unit}）`, `Break ${i + 1}: from quantity (${variant.unit})`)} inputMode="numeric" />
              <Field meta={f.price} label={tr(`第 ${i + 1} 档：单价（元）`, `Break ${i + 1}: unit price (元)`)} inputMode="decimal" />
            </li>
          );
        })}
      </ol>
      <button type="submit" disabled={disabled || navigation.state === 'submitting'} className={buttonClass}>{tr('保存阶梯价', 'Save quantity prices')}</button>
    </Form>
  );
}

export default function PriceBreaksPage() {
  const { product } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const tr = useTr();
  const inReview = product.status === 'IN_REVIEW';
  return (
    <div className="space-y-4">
      <p className="text-sm"><Link to={`/seller/products/${product.id}`} className="text-brand-700 underline">← {product.nameZh}</Link></p>
      <section className={`${cardClass} space-y-2`}>
        <h1 className="text-xl font-bold">{tr('阶梯价', 'Quantity prices')}</h1>
        <p className="text-sm text-gray-600">
          {tr('单位或个人一次订购同一规格达到起购数量时，按该档单价结算。起购数量须逐档递增（至少 2），单价须低于原价并逐档递减。留空的行不会保存；全部留空即取消阶梯价。',
            'When one order has at least the minimum quantity of a specification, each unit costs that break\'s price. Minimum quantities increase (from 2); prices are below the base price and decrease. Blank rows are ignored; all blank removes the breaks.')}
        </p>
        {params.get('saved') ? <Notice>{tr('已保存', 'Saved')}</Notice> : null}
        {inReview ? <Notice tone="error">{tr('审核中的商品不能修改。', 'A listing in review cannot be changed.')}</Notice> : null}
      </section>
      {product.variants.map((v) => (
        <section key={v.id} className={`${cardClass} space-y-2`} data-testid={`breaks-${v.sku}`}>
          <h2 id={`v-${v.id}`} className="font-semibold">{v.nameZh} <span className="text-sm font-normal text-gray-600">{tr('原价', 'Base price')} {formatFen(v.priceFen)}/{v.unit}</span></h2>
          <BreaksForm variant={v} lastResult={data && data.variantId === v.id ? data.result : null} disabled={inReview} />
        </section>
      ))}
    </div>
  );
}
