import { readFormData } from '~/modules/http/http.server';
import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import type { z } from 'zod';
import { Field, FormErrors, SelectField } from '~/components/field';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { useTr } from '~/modules/i18n/i18n';
import { idParam, requireProductAccess } from '~/modules/sellers/access.server';
import type { FormShape } from '~/modules/forms/fields';
import { stockSchema, STOCK_REASON_OPTIONS } from '~/modules/sellers/schemas';
import { isVariantOf, productStock } from '~/modules/sellers/listings.server';
import { adjustStock, LOW_STOCK_THRESHOLD, stockHistory } from '~/modules/sellers/stock.server';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const productId = idParam(params.id);
  await requireProductAccess(request, productId, 'read');
  const [product, history] = await Promise.all([
    productStock(productId),
    stockHistory(productId),
  ]);
  return json({ product, history, threshold: LOW_STOCK_THRESHOLD });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const productId = idParam(params.id);
  const { user } = await requireProductAccess(request, productId, 'update');
  const submission = parseWithZod(await readFormData(request), { schema: stockSchema });
  if (submission.status !== 'success') return json(submission.reply(), { status: 400 });
  if (!(await isVariantOf(productId, submission.value.variantId))) return json(submission.reply({ fieldErrors: { variantId: ['请选择本商品的规格 / Choose a specification of this product'] } }), { status: 400 });
  const r = await adjustStock(user, submission.value);
  if (!r.ok) return json(submission.reply({ fieldErrors: { delta: [r.message] } }), { status: 400 });
  return redirect(`/seller/products/${productId}/stock?done=${r.stock}`);
}

export default function StockPage() {
  const { product, history, threshold } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const tr = useTr();
  const [form, fields] = useForm<FormShape<typeof stockSchema>, z.output<typeof stockSchema>>({
    id: 'stock',
    lastResult,
    defaultValue: { variantId: product.variants.length === 1 ? String(product.variants[0]!.id) : undefined },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: stockSchema }),
    ...fieldChecks,
  });
  const reasons: Record<(typeof STOCK_REASON_OPTIONS)[number], string> = {
    RESTOCK: tr('补货入库', 'Restock'), CORRECTION: tr('盘点更正', 'Stocktake correction'), DAMAGE: tr('损耗', 'Damage or loss'),
    OFFLINE_SALE: tr('线下销售', 'Offline sale'), RETURN: tr('退货入库', 'Return'), OTHER: tr('其他', 'Other'),
  };
  const reasonLabel = (r: string) => (r === 'INITIAL' ? tr('初始库存', 'Initial stock') : reasons[r as keyof typeof reasons] ?? r);
  return (
    <div className="space-y-4">
      <p className="text-sm"><Link to={`/seller/products/${product.id}`} className="text-brand-700 underline">← {product.nameZh}</Link></p>
      <section className={`${cardClass} space-y-3`}>
        <h1 className="text-xl font-bold">{tr('库存', 'Stock')}</h1>
        {params.get('done') ? <Notice>{tr(`已调整，现有库存 ${params.get('done')}`, `Done: ${params.get('done')} on hand`)}</Notice> : null}
        <ul className="space-y-1 text-sm" data-testid="stock-levels">
          {product.variants.map((v) => (
            <li key={v.id} className={v.stock <= threshold ? 'font-medium text-amber-800' : ''}>
              {v.nameZh}：{v.stock} {v.unit}{v.stock <= threshold ? ` · ${tr('库存不足', 'low')}` : ''}
            </li>
          ))}
        </ul>
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <FormErrors id={form.errorId} errors={form.errors} />
          <SelectField meta={fields.variantId} label={tr('规格', 'Specification')} placeholder={tr('请选择', 'Choose')} options={product.variants.map((v) => ({ value: String(v.id), label: `${v.nameZh}（${v.stock} ${v.unit}）` }))} />
          <Field meta={fields.delta} label={tr('变动数量（入库为正，出库为负，如 -3）', 'Change (+ in, − out, e.g. -3)')} inputMode="numeric" />
          <SelectField meta={fields.reason} label={tr('原因', 'Reason')} placeholder={tr('请选择', 'Choose')} options={STOCK_REASON_OPTIONS.map((r) => ({ value: r, label: reasons[r] }))} />
          <Field meta={fields.note} label={tr('备注（可选）', 'Note (optional)')} />
          <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('记录调整', 'Record the change')}</button>
        </Form>
      </section>
      <section className={cardClass} aria-labelledby="history">
        <h2 id="history" className="mb-2 font-semibold">{tr('调整记录', 'History')}</h2>
        <ul className="divide-y divide-gray-100 text-sm" data-testid="stock-history">
          {history.map((h) => (
            <li key={h.id} className="flex justify-between gap-2 py-2">
              <span>{h.variant.nameZh} · {reasonLabel(h.reason)}{h.note ? ` · ${h.note}` : ''}<br /><span className="text-xs text-gray-500">{h.createdAt.slice(0, 16).replace('T', ' ')} {h.user?.name ?? ''}</span></span>
              <span className={h.delta > 0 ? 'text-brand-700' : 'text-red-700'}>{h.delta > 0 ? `+${h.delta}` : h.delta} → {h.stockAfter}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
