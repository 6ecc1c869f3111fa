import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { z } from 'zod';
import { FileField } from '~/components/field';
import { ListingForm } from '~/components/listing-form';
import { buttonClass, cardClass, dangerButtonClass, Notice, ProductStatusBadge, secondaryButtonClass } from '~/components/status';
import { badRequest } from '~/modules/http/http.server';
import { readMultipartForm } from '~/modules/http/multipart.server';
import { useTr } from '~/modules/i18n/i18n';
import { IMAGE_ACCEPT_ATTR, MAX_IMAGES_PER_PRODUCT } from '~/modules/sellers/limits';
import { fenToYuanInput } from '~/modules/money/money';
import { idParam, requireProductAccess } from '~/modules/sellers/access.server';
import { addListingImages, coverListingImage, deleteListingImage, delistListing, listingForEdit, listingFormOptions, updateListing } from '~/modules/sellers/listings.server';
import { latestListingReview, submitForReview, withdrawFromReview } from '~/modules/sellers/reviews.server';
import { listingSchema } from '~/modules/sellers/schemas';
import { checkFieldImages, MAX_UPLOAD_BYTES, PRODUCT_IMAGE_RULES } from '~/modules/storage/images.server';

const imagesSchema = z.object({ _action: z.literal('add-images') });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireProductAccess(request, idParam(params.id), 'read');
  const product = await listingForEdit(user, idParam(params.id));
  const [options, review] = await Promise.all([listingFormOptions(product.seller.countyCode), latestListingReview(product.id)]);
  return json({ product, options, review });
}

type ActionData =
  | { form: 'listing' | 'images'; result: SubmissionResult<string[]> }
  | { form: 'status'; ok: boolean; message: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const productId = idParam(params.id);
  const { user } = await requireProductAccess(request, productId, 'update');
  const { formData, files } = await readMultipartForm(request, { maxFileBytes: MAX_UPLOAD_BYTES, maxFiles: MAX_IMAGES_PER_PRODUCT + 1 });
  const intent = String(formData.get('_action') ?? '');
  const reply = (data: ActionData, status = 200) => json<ActionData>(data, { status });
  switch (intent) {
    case 'save': {
      const submission = parseWithZod(formData, { schema: listingSchema });
      if (submission.status !== 'success') return reply({ form: 'listing', result: submission.reply() }, submission.status === 'error' ? 400 : 200);
      const r = await updateListing(user, productId, submission.value);
      if (!r.ok) return reply({ form: 'listing', result: submission.reply(r.field ? { fieldErrors: { [r.field]: [r.message] } } : { formErrors: [r.message] }) }, 400);
      return redirect(`/seller/products/${productId}?saved=1`);
    }
    case 'add-images': {
      const submission = parseWithZod(formData, { schema: imagesSchema });
      const images = await checkFieldImages(files, 'images', PRODUCT_IMAGE_RULES, { required: '请选择图片 / Choose pictures', max: MAX_IMAGES_PER_PRODUCT });
      if (images.errors.length) return reply({ form: 'images', result: submission.reply({ fieldErrors: { images: images.errors } }) }, 400);
      const r = await addListingImages(user, productId, images.good);
      if (!r.ok) return reply({ form: 'images', result: submission.reply({ fieldErrors: { images: [r.message] } }) }, 400);
      return redirect(`/seller/products/${productId}?saved=1`);
    }
    case 'delete-image':
    case 'cover-image': {
      const imageId = idParam(String(formData.get('imageId') ?? ''), 'imageId');
      const ok = intent === 'delete-image' ? await deleteListingImage(user, productId, imageId) : await coverListingImage(user, productId, imageId);
      return reply({ form: 'status', ok, message: ok ? '' : '图片无法修改 / The picture cannot be changed now' }, ok ? 200 : 400);
    }
    case 'submit': {
      const r = await submitForReview(user, productId);
      return reply({ form: 'status', ok: r.ok, message: r.ok ? '已提交审核 / Submitted for review' : r.message }, r.ok ? 200 : 400);
    }
    case 'withdraw': {
      const r = await withdrawFromReview(user, productId);
      return reply({ form: 'status', ok: r.ok, message: r.ok ? '已撤回，可以修改 / Withdrawn: you can edit it now' : r.message }, r.ok ? 200 : 400);
    }
    case 'delist': {
      const ok = await delistListing(user, productId);
      return reply({ form: 'status', ok, message: ok ? '已下架 / Delisted' : '只有已上架的商品可以下架 / Only listed goods can be delisted' }, ok ? 200 : 400);
    }
    default:
      badRequest('未知操作 / Unknown action');
  }
}

export default function EditListing() {
  const { product, options, review } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const tr = useTr();
  const inReview = product.status === 'IN_REVIEW';
  const [imagesForm, imageFields] = useForm<{ _action: string; images?: File }>({ id: 'listing-images', lastResult: data?.form === 'images' ? data.result : null });
  const submitting = navigation.state === 'submitting';
  return (
    <div className="space-y-4">
      <section className={`${cardClass} space-y-3`}>
        <div className="flex items-start justify-between gap-2">
          <h1 className="text-xl font-bold" data-testid="product-name">{product.nameZh}</h1>
          <ProductStatusBadge status={product.status} />
        </div>
        {params.get('created') ? <Notice>{tr('已保存为草稿。上传图片后即可提交审核。', 'Saved as a draft. Submit it for review once it has pictures.')}</Notice> : null}
        {params.get('saved') && !params.get('created') ? <Notice>{tr('已保存', 'Saved')}</Notice> : null}
        {data?.form === 'status' && data.message ? <Notice tone={data.ok ? 'ok' : 'error'}>{data.message}</Notice> : null}
        {review?.decision === 'REJECTED' && product.status === 'DRAFT' ? (
          <Notice tone="error">{tr('审核未通过：', 'Not approved: ')}{review.reason}</Notice>
        ) : null}
        {product.status === 'LISTED' ? (
          <p className="text-sm"><Link to={`/products/${product.slug}`} className="text-brand-700 underline">{tr('在商城中查看', 'See it in the shop')}</Link></p>
        ) : null}
        <nav className="flex flex-wrap gap-2 text-sm" aria-label={tr('商品管理', 'Manage this product')}>
          <Link to={`/seller/products/${product.id}/certificate`} className={secondaryButtonClass}>{tr('认定证书', 'Certificate')}</Link>
          <Link to={`/seller/products/${product.id}/stock`} className={secondaryButtonClass}>{tr('库存', 'Stock')}</Link>
          <Link to={`/seller/products/${product.id}/prices`} className={secondaryButtonClass}>{tr('阶梯价', 'Quantity prices')}</Link>
          <Link to={`/seller/products/${product.id}/batches`} className={secondaryButtonClass}>{tr('批次溯源', 'Batches & tracing')}</Link>
        </nav>
        <Form method="post" className="flex flex-wrap gap-2">
          {product.status === 'DRAFT' || product.status === 'DELISTED' ? (
            <button type="submit" name="_action" value="submit" disabled={submitting} className={buttonClass}>{tr('提交审核', 'Submit for review')}</button>
          ) : null}
          {inReview ? <button type="submit" name="_action" value="withdraw" disabled={submitting} className={secondaryButtonClass}>{tr('撤回审核', 'Withdraw from review')}</button> : null}
          {product.status === 'LISTED' ? <button type="submit" name="_action" value="delist" disabled={submitting} className={dangerButtonClass}>{tr('下架', 'Delist')}</button> : null}
        </Form>
        {inReview ? <p className="text-sm text-gray-600">{tr('审核中的商品不能修改。', 'A listing in review cannot be changed.')}</p> : null}
      </section>

      <section aria-labelledby="pictures" className={`${cardClass} space-y-3`}>
        <h2 id="pictures" className="font-semibold">{tr('商品图片', 'Pictures')} <span className="text-sm text-gray-500">({product.images.length}/{MAX_IMAGES_PER_PRODUCT})</span></h2>
        <ul className="grid grid-cols-3 gap-2" data-testid="images">
          {product.images.map((img, i) => (
            <li key={img.id} className="space-y-1">
              <img src={img.src} srcSet={img.srcSet} sizes="33vw" alt={img.altZh} width={320} height={240} className="aspect-[4/3] w-full rounded object-cover" />
              {!inReview ? (
                <Form method="post" className="flex justify-between text-xs">
                  <input type="hidden" name="imageId" value={img.id} />
                  {i > 0 ? <button type="submit" name="_action" value="cover-image" className="text-brand-700 underline">{tr('设为封面', 'Make cover')}</button> : <span className="text-gray-500">{tr('封面', 'Cover')}</span>}
                  <button type="submit" name="_action" value="delete-image" className="text-red-700 underline">{tr('删除', 'Delete')}</button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {!inReview ? (
          <Form method="post" encType="multipart/form-data" {...getFormProps(imagesForm)} className="space-y-2">
            <input type="hidden" name="_action" value="add-images" />
            <FileField meta={imageFields.images} label={tr('添加图片', 'Add pictures')} accept={IMAGE_ACCEPT_ATTR} multiple hint={tr('JPEG/PNG/WebP，每张最大 8 MB，至少 480×360 像素', 'JPEG/PNG/WebP, up to 8 MB each, at least 480×360 px')} />
            <button type="submit" disabled={submitting} className={secondaryButtonClass}>{tr('上传', 'Upload')}</button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="details" className={cardClass}>
        <h2 id="details" className="mb-3 font-semibold">{tr('商品信息', 'Details')}</h2>
        <ListingForm
          id="listing-edit"
          lastResult={data?.form === 'listing' ? data.result : null}
          defaultValue={{
            nameZh: product.nameZh, nameEn: product.nameEn, descriptionZh: product.descriptionZh, descriptionEn: product.descriptionEn,
            categoryId: String(product.categoryId), statisticsKind: product.statisticsKind, originCode: product.originCode, referencePriceSource: product.referencePriceSource,
            variants: product.variants.map((v) => ({
              id: String(v.id), nameZh: v.nameZh, nameEn: v.nameEn, price: fenToYuanInput(v.priceFen),
              referencePrice: v.referencePriceFen ? fenToYuanInput(v.referencePriceFen) : '', unit: v.unit, weightGrams: String(v.weightGrams),
            })),
          }}
          categories={options.categories}
          counties={options.counties}
          stockByVariant={Object.fromEntries(product.variants.map((v) => [String(v.id), { stock: v.stock, unit: v.unit }]))}
          productId={product.id}
          submitLabel={tr('保存修改', 'Save changes')}
          submitting={submitting}
          disabled={inReview}
        />
      </section>
    </div>
  );
}
