import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Field, FileField, FormErrors, SelectField, TextareaField } from '~/components/field';
import { buttonClass, cardClass } from '~/components/status';
import { hitRateLimit } from '~/modules/accounts/rate-limit.server';
import { requireUser } from '~/modules/accounts/session.server';
import { readMultipartForm } from '~/modules/http/multipart.server';
import { useTr } from '~/modules/i18n/i18n';
import { IMAGE_ACCEPT_ATTR } from '~/modules/sellers/limits';
import { applyToSell } from '~/modules/sellers/applications.server';
import { originCounties } from '~/modules/sellers/listings.server';
import { applySchema, SELLER_KINDS, type ApplyFormInput } from '~/modules/sellers/schemas';
import { checkFieldImages, DOCUMENT_IMAGE_RULES, MAX_UPLOAD_BYTES } from '~/modules/storage/images.server';
import { fieldChecks } from '~/modules/forms/validation';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return json({ counties: await originCounties() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { formData, files } = await readMultipartForm(request, { maxFileBytes: MAX_UPLOAD_BYTES, maxFiles: 1 });
  const submission = parseWithZod(formData, { schema: applySchema });
  const licence = await checkFieldImages(files, 'licence', DOCUMENT_IMAGE_RULES, { required: '请上传营业执照图片 / Upload a picture of the business licence', max: 1 });
  if (submission.status !== 'success' || licence.errors.length) {
    return json(submission.reply({ fieldErrors: licence.errors.length ? { licence: licence.errors } : {} }), { status: 400 });
  }
  const limit = await hitRateLimit(`seller-apply:user:${user.id}`, 10, 3600);
  if (!limit.allowed) return json(submission.reply({ formErrors: ['提交太频繁，请稍后再试 / Too many attempts, try again later'] }), { status: 429 });
  const r = await applyToSell(user.id, submission.value, licence.good[0]!);
  if (!r.ok) return json(submission.reply({ fieldErrors: { [r.field]: [r.message] } }), { status: 400 });
  return redirect('/seller?applied=1');
}

export default function Apply() {
  const { counties } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const [form, fields] = useForm<ApplyFormInput & { licence?: File }>({ id: 'apply', lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: applySchema }), ...fieldChecks });
  const kinds = { COOPERATIVE: tr('农民专业合作社', 'Cooperative'), ENTERPRISE: tr('企业', 'Enterprise'), FAMILY_FARM: tr('家庭农场', 'Family farm') };
  return (
    <section className={cardClass}>
      <h1 className="mb-4 text-xl font-bold">{tr('申请入驻', 'Apply to sell')}</h1>
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="space-y-4">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.name} label={tr('主体名称（与营业执照一致）', 'Name (as on the licence)')} />
        <Field meta={fields.nameEn} label={tr('英文名称（可选）', 'English name (optional)')} />
        <SelectField meta={fields.kind} label={tr('主体类型', 'Kind')} placeholder={tr('请选择', 'Choose')} options={SELLER_KINDS.map((k) => ({ value: k, label: kinds[k] }))} />
        <Field meta={fields.creditCode} label={tr('统一社会信用代码', 'Unified social credit code')} hint={tr('18位，含校验位', '18 characters including the check character')} autoComplete="off" />
        <SelectField meta={fields.countyCode} label={tr('所在县（市、区）', 'County')} placeholder={tr('请选择', 'Choose')} groups={counties} />
        <Field meta={fields.contactName} label={tr('联系人', 'Contact name')} autoComplete="name" />
        <Field meta={fields.contactPhone} label={tr('联系电话（手机）', 'Mobile phone')} type="tel" inputMode="tel" autoComplete="tel" />
        <TextareaField meta={fields.descriptionZh} label={tr('简介（可选）', 'About (optional)')} rows={3} />
        <FileField meta={fields.licence} label={tr('营业执照照片', 'Photo of the business licence')} accept={IMAGE_ACCEPT_ATTR} hint={tr('JPEG/PNG/WebP，最大 8 MB，仅平台审核人员可见', 'JPEG/PNG/WebP up to 8 MB, seen only by the platform’s reviewers')} />
        <button type="submit" disabled={navigation.state === 'submitting'} className={`${buttonClass} w-full`}>{tr('提交申请', 'Send application')}</button>
      </Form>
    </section>
  );
}
