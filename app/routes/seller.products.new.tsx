import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { ListingForm } from '~/components/listing-form';
import { cardClass } from '~/components/status';
import { readMultipartForm } from '~/modules/http/multipart.server';
import { useTr } from '~/modules/i18n/i18n';
import { MAX_IMAGES_PER_PRODUCT } from '~/modules/sellers/limits';
import { requireSellerStaff } from '~/modules/sellers/access.server';
import { createListing, listingFormOptions } from '~/modules/sellers/listings.server';
import { listingSchema } from '~/modules/sellers/schemas';
import { checkFieldImages, MAX_UPLOAD_BYTES, PRODUCT_IMAGE_RULES } from '~/modules/storage/images.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const { seller } = await requireSellerStaff(request, 'create:product:own');
  return json({ options: await listingFormOptions(seller.countyCode), sellerCounty: seller.countyCode });
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, seller } = await requireSellerStaff(request, 'create:product:own');
  const { formData, files } = await readMultipartForm(request, { maxFileBytes: MAX_UPLOAD_BYTES, maxFiles: MAX_IMAGES_PER_PRODUCT + 1 });
  const submission = parseWithZod(formData, { schema: listingSchema });
  if (submission.status !== 'success') return json(submission.reply(), { status: submission.status === 'error' ? 400 : 200 });
  const images = await checkFieldImages(files, 'images', PRODUCT_IMAGE_RULES, { max: MAX_IMAGES_PER_PRODUCT });
  if (images.errors.length) return json(submission.reply({ fieldErrors: { images: images.errors } }), { status: 400 });
  const r = await createListing(user, seller.id, submission.value, images.good);
  if (!r.ok) return json(submission.reply(r.field ? { fieldErrors: { [r.field]: [r.message] } } : { formErrors: [r.message] }), { status: 400 });
  return redirect(`/seller/products/${r.productId}?created=1`);
}

export default function NewListing() {
  const { options, sellerCounty } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  return (
    <section className={cardClass}>
      <h1 className="mb-4 text-xl font-bold">{tr('发布商品', 'New listing')}</h1>
      <ListingForm
        id="listing-new"
        lastResult={lastResult}
        defaultValue={{ originCode: sellerCounty, variants: [{}] }}
        categories={options.categories}
        counties={options.counties}
        withImages
        submitLabel={tr('保存为草稿', 'Save as draft')}
        submitting={navigation.state === 'submitting'}
      />
    </section>
  );
}
