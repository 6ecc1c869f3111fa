import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { Field, FileField, FormErrors } from '~/components/field';
import { buttonClass, cardClass, CertificateStatusBadge, Notice } from '~/components/status';
import { readMultipartForm } from '~/modules/http/multipart.server';
import { useTr } from '~/modules/i18n/i18n';
import { IMAGE_ACCEPT_ATTR } from '~/modules/sellers/limits';
import { idParam, requireProductAccess } from '~/modules/sellers/access.server';
import { productCertificates, submitCertificate } from '~/modules/sellers/certificates.server';
import { productHeader } from '~/modules/sellers/listings.server';
import type { FormShape } from '~/modules/forms/fields';
import { certificateSchema } from '~/modules/sellers/schemas';
import type { z } from 'zod';
import { checkFieldImages, DOCUMENT_IMAGE_RULES, MAX_UPLOAD_BYTES } from '~/modules/storage/images.server';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const productId = idParam(params.id);
  await requireProductAccess(request, productId, 'read');
  const [product, certificates] = await Promise.all([
    productHeader(productId),
    productCertificates(productId),
  ]);
  return json({ product, certificates: certificates.map(({ imageKey, ...c }) => ({ ...c, hasImage: Boolean(imageKey) })) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const productId = idParam(params.id);
  const { user } = await requireProductAccess(request, productId, 'update');
  const { formData, files } = await readMultipartForm(request, { maxFileBytes: MAX_UPLOAD_BYTES, maxFiles: 1 });
  const submission = parseWithZod(formData, { schema: certificateSchema });
  const image = await checkFieldImages(files, 'image', DOCUMENT_IMAGE_RULES, { max: 1 });
  if (submission.status !== 'success' || image.errors.length) return json(submission.reply({ fieldErrors: image.errors.length ? { image: image.errors } : {} }), { status: 400 });
  const r = await submitCertificate(user, productId, submission.value, image.good[0] ?? null);
  if (!r.ok) return json(submission.reply({ fieldErrors: { [r.field]: [r.message] } }), { status: 400 });
  return redirect(`/seller/products/${productId}/certificate?sent=1`);
}

export default function CertificatePage() {
  const { product, certificates } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const tr = useTr();
  const pending = certificates.find((c) => c.status === 'PENDING');
  const [form, fields] = useForm<FormShape<typeof certificateSchema, 'image'>, z.output<typeof certificateSchema>>({
    id: 'certificate',
    lastResult,
    defaultValue: pending ? { number: pending.number, issuer: pending.issuer, validUntil: pending.validUntil.slice(0, 10) } : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: certificateSchema }),
    ...fieldChecks,
  });
  return (
    <div className="space-y-4">
      <p className="text-sm"><Link to={`/seller/products/${product.id}`} className="text-brand-700 underline">← {product.nameZh}</Link></p>
      <section className={`${cardClass} space-y-3`}>
        <h1 className="text-xl font-bold">{tr('消费帮扶产品认定', 'Assistance-product certificate')}</h1>
        {params.get('sent') ? <Notice>{tr('证书已提交，审核通过后显示在商品页。', 'Certificate sent: it shows on the product page once approved.')}</Notice> : null}
        <p className="text-sm text-gray-600">
          {tr('上传扶贫产品或消费帮扶产品认定证书。审核通过前，商品页不显示认定标识；证书过期后标识自动取消，并通知您。', 'Upload the certificate. The product shows the certified mark once a reviewer approves it; the mark goes when it expires, and you are told.')}
        </p>
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-4">
          <FormErrors id={form.errorId} errors={form.errors} />
          <Field meta={fields.number} label={tr('证书编号', 'Certificate number')} />
          <Field meta={fields.issuer} label={tr('认定机构', 'Issued by')} />
          <Field meta={fields.validUntil} label={tr('有效期至', 'Valid until')} type="date" />
          <FileField meta={fields.image} label={pending?.hasImage ? tr('证书图片（不选则保留已上传的）', 'Picture (leave empty to keep the one sent)') : tr('证书图片', 'Picture of the certificate')} accept={IMAGE_ACCEPT_ATTR} />
          <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{pending ? tr('更新待审核证书', 'Update the pending certificate') : tr('提交证书', 'Send certificate')}</button>
        </Form>
      </section>
      {certificates.length ? (
        <section className={cardClass} aria-labelledby="history">
          <h2 id="history" className="mb-2 font-semibold">{tr('证书记录', 'Certificates')}</h2>
          <ul className="divide-y divide-gray-100 text-sm" data-testid="certificates">
            {certificates.map((c) => (
              <li key={c.id} className="py-2">
                <p><CertificateStatusBadge status={c.status} /> {c.number} · {c.issuer} · {tr('有效期至', 'valid until')} {c.validUntil.slice(0, 10)}</p>
                {c.rejectionReason ? <p className="text-red-700">{tr('理由：', 'Reason: ')}{c.rejectionReason}</p> : null}
                {c.hasImage ? <a href={`/private/certificates/${c.id}`} className="text-brand-700 underline" target="_blank" rel="noreferrer">{tr('查看图片', 'View picture')}</a> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
