// The seller's goods: create and edit listings (through catalog.createProduct / updateProduct, so
// whatever watches the catalogue sees every change), their images, and the data the forms need.
import { userCan } from '~/modules/accounts/session.server';
import { addProductImages, createProduct, makeCoverImage, newSku, removeProductImage, slugFromName, updateProduct } from '~/modules/catalog/catalog.server';
import { prisma } from '~/modules/db/db.server';
import { forbidden } from '~/modules/http/http.server';
import { PRODUCT_IMAGE_RULES, storeResponsiveImage, type CheckedImage } from '~/modules/storage/images.server';
import { imageSrc, imageSrcSet } from '~/modules/storage/storage.server';
import { assertCanManageProduct, canManageSellerProducts, type Actor } from './access.server';
import { MAX_IMAGES_PER_PRODUCT } from './limits';
import type { ListingFormValue } from './schemas';

export { MAX_IMAGES_PER_PRODUCT };

type FieldFailure = { ok: false; field: 'categoryId' | 'originCode' | 'images' | 'variants' | ''; message: string };

/** The category must be a leaf; the origin a county (the seller's own or one of the paired western counties). */
async function checkReferences(value: Pick<ListingFormValue, 'categoryId' | 'originCode'>): Promise<FieldFailure | null> {
  const [category, origin] = await Promise.all([
    prisma.category.findUnique({ where: { id: value.categoryId }, select: { _count: { select: { children: true } } } }),
    prisma.place.findUnique({ where: { code: value.originCode }, select: { level: true } }),
  ]);
  if (!category || category._count.children > 0) return { ok: false, field: 'categoryId', message: '请选择具体的品类 / Choose a specific category' };
  if (!origin || origin.level !== 'COUNTY') return { ok: false, field: 'originCode', message: '请选择产地县（市、区） / Choose the county of origin' };
  return null;
}

const toVariant = (v: ListingFormValue['variants'][number]) => ({
  nameZh: v.nameZh, nameEn: v.nameEn ?? '', priceFen: v.price, referencePriceFen: v.referencePrice ?? null, unit: v.unit, weightGrams: v.weightGrams,
});

export type CreateListingResult = { ok: true; productId: number } | FieldFailure;

/** A new DRAFT listing of the seller, with its first images. */
export async function createListing(actor: Actor, sellerId: number, value: ListingFormValue, images: CheckedImage[]): Promise<CreateListingResult> {
  if (!canManageSellerProducts(actor, sellerId, 'create')) forbidden('您不能为这个商家发布商品 / You cannot list goods for this seller');
  const seller = await prisma.seller.findUnique({ where: { id: sellerId }, select: { verificationStatus: true } });
  if (seller?.verificationStatus !== 'VERIFIED') forbidden('商家尚未通过审核 / The seller is not verified yet');
  const bad = await checkReferences(value);
  if (bad) return bad;
  if (images.length > MAX_IMAGES_PER_PRODUCT) return { ok: false, field: 'images', message: `最多 ${MAX_IMAGES_PER_PRODUCT} 张图片 / At most ${MAX_IMAGES_PER_PRODUCT} pictures` };
  // Files first: an orphaned file is harmless, a row pointing at a missing file is not.
  const stored = [];
  for (const img of images) stored.push(await storeResponsiveImage(img, `products/s${sellerId}`, PRODUCT_IMAGE_RULES));
  const product = await createProduct({
    slug: slugFromName(value.nameZh),
    sellerId,
    nameZh: value.nameZh,
    nameEn: value.nameEn ?? '',
    descriptionZh: value.descriptionZh ?? '',
    descriptionEn: value.descriptionEn ?? '',
    categoryId: value.categoryId,
    statisticsKind: value.statisticsKind,
    originCode: value.originCode,
    referencePriceSource: value.referencePriceSource ?? '',
    status: 'DRAFT',
    createdById: actor.id,
    variants: value.variants.map((v) => ({ ...toVariant(v), sku: newSku(), stock: v.stock ?? 0 })),
  });
  await addProductImages(product.id, stored.map((s) => ({ ...s, altZh: value.nameZh, altEn: value.nameEn ?? '' })));
  return { ok: true, productId: product.id };
}

export type UpdateListingResult = { ok: true } | FieldFailure;

/** Edits a listing. A listing in review is frozen until the seller withdraws it (the reviewer sees what was sent). */
export async function updateListing(actor: Actor, productId: number, value: ListingFormValue): Promise<UpdateListingResult> {
  const product = await assertCanManageProduct(actor, productId);
  if (product.status === 'IN_REVIEW') return { ok: false, field: '', message: '审核中的商品不能修改，请先撤回审核 / A listing in review cannot be changed: withdraw it first' };
  const bad = await checkReferences(value);
  if (bad) return bad;
  const existing = new Set((await prisma.variant.findMany({ where: { productId }, select: { id: true } })).map((v) => v.id));
  if (value.variants.some((v) => v.id !== undefined && !existing.has(v.id))) return { ok: false, field: 'variants', message: '规格已变化，请刷新页面 / The specifications changed: reload the page' };
  await updateProduct(
    productId,
    {
      nameZh: value.nameZh, nameEn: value.nameEn ?? '', descriptionZh: value.descriptionZh ?? '', descriptionEn: value.descriptionEn ?? '',
      categoryId: value.categoryId, statisticsKind: value.statisticsKind, originCode: value.originCode, referencePriceSource: value.referencePriceSource ?? '',
      variants: value.variants.map((v) => (v.id !== undefined ? { id: v.id, ...toVariant(v) } : { ...toVariant(v), sku: newSku(), stock: v.stock ?? 0 })),
    },
    { userId: actor.id },
  );
  return { ok: true };
}

export async function addListingImages(actor: Actor, productId: number, images: CheckedImage[]): Promise<{ ok: true } | FieldFailure> {
  const product = await assertCanManageProduct(actor, productId);
  if (product.status === 'IN_REVIEW') return { ok: false, field: 'images', message: '审核中的商品不能修改，请先撤回审核 / A listing in review cannot be changed: withdraw it first' };
  const have = await prisma.productImage.count({ where: { productId } });
  if (have + images.length > MAX_IMAGES_PER_PRODUCT) return { ok: false, field: 'images', message: `最多 ${MAX_IMAGES_PER_PRODUCT} 张图片 / At most ${MAX_IMAGES_PER_PRODUCT} pictures` };
  const names = await prisma.product.findUniqueOrThrow({ where: { id: productId }, select: { nameZh: true, nameEn: true, sellerId: true } });
  const stored = [];
  for (const img of images) stored.push(await storeResponsiveImage(img, `products/s${names.sellerId}`, PRODUCT_IMAGE_RULES));
  await addProductImages(productId, stored.map((s) => ({ ...s, altZh: names.nameZh, altEn: names.nameEn })));
  return { ok: true };
}

export async function deleteListingImage(actor: Actor, productId: number, imageId: number) {
  const product = await assertCanManageProduct(actor, productId);
  if (product.status === 'IN_REVIEW') return false;
  return removeProductImage(productId, imageId);
}

export async function coverListingImage(actor: Actor, productId: number, imageId: number) {
  const product = await assertCanManageProduct(actor, productId);
  if (product.status === 'IN_REVIEW') return false;
  return makeCoverImage(productId, imageId);
}

/** Takes a listed product off the storefront (LISTED → DELISTED); it can be submitted again later. */
export async function delistListing(actor: Actor, productId: number) {
  await assertCanManageProduct(actor, productId);
  const r = await prisma.product.updateMany({ where: { id: productId, status: 'LISTED' }, data: { status: 'DELISTED' } });
  return r.count === 1;
}

// ---------- reads ----------

export async function sellerListings(sellerId: number) {
  const rows = await prisma.product.findMany({
    where: { sellerId },
    select: {
      id: true, slug: true, nameZh: true, nameEn: true, status: true, certifiedUntil: true, certificateNo: true, updatedAt: true,
      images: { select: { key: true }, orderBy: { position: 'asc' }, take: 1 },
      variants: { select: { priceFen: true, stock: true } },
      certificates: { where: { status: 'PENDING' }, select: { id: true } },
    },
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: 200,
  });
  return rows.map(({ images, variants, certificates, ...p }) => ({
    ...p,
    image: images[0] ? imageSrc(images[0].key, 320) : null,
    minPriceFen: variants.length ? Math.min(...variants.map((v) => v.priceFen)) : 0,
    stock: variants.reduce((n, v) => n + v.stock, 0),
    certificatePending: certificates.length > 0,
  }));
}

export async function listingForEdit(actor: Actor, productId: number) {
  await assertCanManageProduct(actor, productId, 'read');
  const p = await prisma.product.findUniqueOrThrow({
    where: { id: productId },
    select: {
      id: true, slug: true, sellerId: true, nameZh: true, nameEn: true, descriptionZh: true, descriptionEn: true, categoryId: true, statisticsKind: true,
      originCode: true, referencePriceSource: true, status: true, certificateNo: true, certifiedUntil: true,
      seller: { select: { name: true, countyCode: true } },
      images: { select: { id: true, key: true, altZh: true }, orderBy: [{ position: 'asc' }, { id: 'asc' }] },
      variants: { select: { id: true, sku: true, nameZh: true, nameEn: true, priceFen: true, referencePriceFen: true, stock: true, unit: true, weightGrams: true }, orderBy: { position: 'asc' } },
    },
  });
  return { ...p, images: p.images.map((i) => ({ ...i, src: imageSrc(i.key, 320), srcSet: imageSrcSet(i.key) })) };
}

/** Choices for the listing form: leaf categories by parent; origin counties (the seller's and the paired western ones). */
export async function listingFormOptions(sellerCountyCode: string) {
  const categories = await prisma.category.findMany({ orderBy: [{ position: 'asc' }, { id: 'asc' }], select: { id: true, nameZh: true, nameEn: true, parentId: true } });
  const groups = categories
    .filter((c) => c.parentId === null)
    .map((root) => ({ label: root.nameZh, labelEn: root.nameEn, options: categories.filter((c) => c.parentId === root.id).map((c) => ({ value: String(c.id), label: c.nameZh, labelEn: c.nameEn })) }))
    .filter((g) => g.options.length > 0);
  return { categories: groups, counties: await originCounties(sellerCountyCode) };
}

/** Counties in the western places of the pairings (plus `extra`), grouped by prefecture. */
export async function originCounties(extra?: string) {
  const rows = await prisma.$queryRaw<Array<{ code: string; name: string; prefecture: string | null }>>`
    with recursive west as (
      select distinct west_place_code as code from pairing
    ), down as (
      select p.code, p.level, p.parent_code from place p join west on west.code = p.code
      union
      select c.code, c.level, c.parent_code from place c join down on c.parent_code = down.code where down.level in ('PROVINCE', 'PREFECTURE')
    )
    select pl.code, pl.name, parent.name as prefecture
    from place pl left join place parent on parent.code = pl.parent_code
    where pl.level = 'COUNTY' and (
      pl.code in (select code from down)
      or pl.code in (select t.parent_code from place t join west on west.code = t.code where t.level = 'TOWNSHIP')
      or pl.code = ${extra ?? ''})
    order by pl.code`;
  const groups = new Map<string, Array<{ value: string; label: string }>>();
  for (const r of rows) {
    const key = r.prefecture ?? '';
    groups.set(key, [...(groups.get(key) ?? []), { value: r.code, label: r.name }]);
  }
  return [...groups.entries()].map(([label, options]) => ({ label, labelEn: label, options: options.map((o) => ({ ...o, labelEn: o.label })) }));
}

export function canCreateListings(actor: Actor) {
  return userCan(actor, 'create:product:own');
}

/** Name and certificate of a product, for the header of its sub-pages (after the access check). */
export async function productHeader(productId: number) {
  return prisma.product.findUniqueOrThrow({ where: { id: productId }, select: { id: true, nameZh: true, status: true, certificateNo: true, certifiedUntil: true } });
}

/** The product's variants with their stock (after the access check). */
export async function productStock(productId: number) {
  return prisma.product.findUniqueOrThrow({
    where: { id: productId },
    select: { id: true, nameZh: true, variants: { select: { id: true, sku: true, nameZh: true, stock: true, unit: true }, orderBy: { position: 'asc' } } },
  });
}

export async function isVariantOf(productId: number, variantId: number) {
  return Boolean(await prisma.variant.findFirst({ where: { id: variantId, productId }, select: { id: true } }));
}
