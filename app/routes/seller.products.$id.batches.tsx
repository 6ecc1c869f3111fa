import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import type { z } from 'zod';
import { Field, FileField, FormErrors, SelectField, TextareaField } from '~/components/field';
import { buttonClass, cardClass } from '~/components/status';
import { readMultipartForm } from '~/modules/http/multipart.server';
import { useTr } from '~/modules/i18n/i18n';
import { IMAGE_ACCEPT_ATTR } from '~/modules/sellers/limits';
import { absoluteUrl } from '~/modules/seo/seo';
import { idParam, requireProductAccess } from '~/modules/sellers/access.server';
import { createBatch, productBatches, qrSvg } from '~/modules/sellers/batches.server';
import { productHeader } from '~/modules/sellers/listings.server';
import type { FormShape } from '~/modules/forms/fields';
import { batchSchema } from '~/modules/sellers/schemas';
import { checkFieldImages, DOCUMENT_IMAGE_RULES, MAX_UPLOAD_BYTES } from '~/modules/storage/images.server';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const productId = idParam(params.id);
  await requireProductAccess(request, productId, 'read');
  const [product, batches] = await Promise.all([productHeader(productId), productBatches(productId)]);
  const withQr = await Promise.all(batches.map(async (b) => ({ ...b, url: absoluteUrl(request, `/trace/${b.code}`), qr: await qrSvg(absoluteUrl(request, `/trace/${b.code}`)) })));
  return json({ product, batches: withQr });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const productId = idParam(params.id);
  const { user } = await requireProductAccess(request, productId, 'update');
  const { formData, files } = await readMultipartForm(request, { maxFileBytes: MAX_UPLOAD_BYTES, maxFiles: 1 });
  const submission = parseWithZod(formData, { schema: batchSchema });
  const image = await checkFieldImages(files, 'inspectionImage', DOCUMENT_IMAGE_RULES, { max: 1 });
  if (submission.status !== 'success' || image.errors.length) return json(submission.reply({ fieldErrors: image.errors.length ? { inspectionImage: image.errors } : {} }), { status: 400 });
  const batch = await createBatch(user, productId, submission.value, image.good[0] ?? null);
  return redirect(`/seller/products/${productId}/batches#batch-${batch.code}`);
}

export default function BatchesPage() {
  const { product, batches } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const [form, fields] = useForm<FormShape<typeof batchSchema, 'inspectionImage'>, z.output<typeof batchSchema>>({
    id: 'batch',
    lastResult,
    defaultValue: { dateKind: 'HARVESTED' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: batchSchema }),
    ...fieldChecks,
  });
  return (
    <div className="space-y-4">
      <p className="text-sm"><Link to={`/seller/products/${product.id}`} className="text-brand-700 underline">← {product.nameZh}</Link></p>
      <section className={`${cardClass} space-y-3`}>
        <h1 className="text-xl font-bold">{tr('批次溯源', 'Batches and tracing')}</h1>
        <p className="text-sm text-gray-600">{tr('每个采收或生产批次生成一个二维码，印在包装上，消费者扫码可查看产地、基地和检测报告。', 'Each harvest or production batch gets a QR code for the packaging; buyers scan it to see the origin, the base and the inspection report.')}</p>
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-4">
          <FormErrors id={form.errorId} errors={form.errors} />
          <SelectField meta={fields.dateKind} label={tr('批次类型', 'Kind')} options={[{ value: 'HARVESTED', label: tr('采收', 'Harvested') }, { value: 'PRODUCED', label: tr('生产', 'Produced') }]} />
          <Field meta={fields.producedOn} label={tr('采收或生产日期', 'Harvest or production date')} type="date" />
          <Field meta={fields.baseName} label={tr('基地或农场', 'Base or farm')} />
          <Field meta={fields.quantity} label={tr('数量（可选，如 2000箱）', 'Quantity (optional)')} />
          <Field meta={fields.inspectionReportNo} label={tr('检测报告编号（可选）', 'Inspection report number (optional)')} />
          <Field meta={fields.inspectionAgency} label={tr('检测机构（可选）', 'Inspection agency (optional)')} />
          <FileField meta={fields.inspectionImage} label={tr('检测报告图片（可选，公开显示）', 'Inspection report picture (optional, public)')} accept={IMAGE_ACCEPT_ATTR} />
          <TextareaField meta={fields.notes} label={tr('备注（可选）', 'Notes (optional)')} rows={2} />
          <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('创建批次', 'Create batch')}</button>
        </Form>
      </section>
      <ul className="space-y-3" data-testid="batches">
        {batches.map((b) => (
          <li key={b.id} id={`batch-${b.code}`} className={`${cardClass} flex gap-3`}>
            {/* our own SVG from the qrcode package (no user content) */}
            <div className="h-28 w-28 shrink-0 [&>svg]:h-full [&>svg]:w-full" role="img" aria-label={tr(`批次 ${b.code} 的二维码`, `QR code of batch ${b.code}`)} dangerouslySetInnerHTML={{ __html: b.qr }} />
            <div className="min-w-0 text-sm">
              <p className="font-medium">{b.dateKind === 'HARVESTED' ? tr('采收', 'Harvested') : tr('生产', 'Produced')} {b.producedOn.slice(0, 10)}</p>
              <p>{b.baseName}{b.quantity ? ` · ${b.quantity}` : ''}</p>
              {b.inspectionReportNo ? <p className="text-gray-600">{tr('检测报告', 'Report')} {b.inspectionReportNo}</p> : null}
              <p className="mt-1 flex flex-wrap gap-3">
                <a href={b.url} className="text-brand-700 underline">{tr('溯源页', 'Trace page')}</a>
                <a href={`/trace/${b.code}/qr.svg`} download={`trace-${b.code}.svg`} className="text-brand-700 underline">{tr('下载二维码', 'Download QR')}</a>
              </p>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
