// Listing review: a seller submits a draft (→ IN_REVIEW); a reviewer approves (→ LISTED, and its pending
// certificate is approved with it) or rejects with a reason (→ DRAFT). A certificate sent for a product
// that is already listed is reviewed on its own. Every decision is recorded in product_review and told
// to the seller as a notification.
import type { Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import { forbidden, notFound } from '~/modules/http/http.server';
import { descendantCodes } from '~/modules/places/places.server';
import { imageSrc } from '~/modules/storage/storage.server';
import { assertCanManageProduct, canReviewOrigin, reviewScope, type Actor } from './access.server';
import { approveCertificateTx, rejectCertificateTx } from './certificates.server';
import { OVERPRICED_RATIO } from './limits';
import { notify } from './notifications.server';

export { OVERPRICED_RATIO };

export type ReviewOutcome = { ok: true } | { ok: false; message: string };

/** DRAFT (or DELISTED) → IN_REVIEW. Needs at least one image. */
export async function submitForReview(actor: Actor, productId: number): Promise<ReviewOutcome> {
  await assertCanManageProduct(actor, productId);
  const images = await prisma.productImage.count({ where: { productId } });
  if (images === 0) return { ok: false, message: '请先上传至少一张商品图片 / Upload at least one picture first' };
  // Conditional UPDATE: two clicks (or two staff) cannot both move it.
  const r = await prisma.product.updateMany({ where: { id: productId, status: { in: ['DRAFT', 'DELISTED'] } }, data: { status: 'IN_REVIEW', submittedAt: new Date() } });
  if (r.count === 0) return { ok: false, message: '只有草稿可以提交审核 / Only drafts can be submitted for review' };
  return { ok: true };
}

/** The seller takes a submission back (IN_REVIEW → DRAFT), e.g. to change it. */
export async function withdrawFromReview(actor: Actor, productId: number): Promise<ReviewOutcome> {
  await assertCanManageProduct(actor, productId);
  const r = await prisma.product.updateMany({ where: { id: productId, status: 'IN_REVIEW' }, data: { status: 'DRAFT' } });
  return r.count ? { ok: true } : { ok: false, message: '这件商品不在审核中 / This product is not in review' };
}

async function assertCanReview(actor: Actor, productId: number) {
  const product = await prisma.product.findUnique({ where: { id: productId }, select: { id: true, originCode: true, sellerId: true, nameZh: true, nameEn: true, status: true } });
  if (!product) notFound(`没有这件商品 / No product ${productId}`);
  if (!(await canReviewOrigin(actor, product.originCode))) forbidden('这件商品的产地不在您的审核范围内 / This product’s origin is outside your review scope');
  return product;
}

const link = (productId: number) => `/seller/products/${productId}`;

export async function approveListing(actor: Actor, productId: number): Promise<ReviewOutcome> {
  const product = await assertCanReview(actor, productId);
  return prisma.$transaction(async (tx) => {
    const r = await tx.product.updateMany({ where: { id: productId, status: 'IN_REVIEW' }, data: { status: 'LISTED' } });
    if (r.count === 0) return { ok: false as const, message: '这件商品不在审核中（可能已被他人处理） / Not in review (perhaps already decided)' };
    const pending = await tx.productCertificate.findFirst({ where: { productId, status: 'PENDING' }, select: { id: true } });
    if (pending) await approveCertificateTx(tx, pending.id, actor.id);
    await tx.productReview.create({ data: { productId, certificateId: pending?.id, subject: 'LISTING', decision: 'APPROVED', reviewerId: actor.id } });
    await notify({ kind: 'LISTING_APPROVED', sellerId: product.sellerId, productId, titleZh: `商品已上架：${product.nameZh}`, titleEn: `Listed: ${product.nameEn || product.nameZh}`, link: link(productId) }, tx);
    return { ok: true as const };
  });
}

export async function rejectListing(actor: Actor, productId: number, reason: string): Promise<ReviewOutcome> {
  const product = await assertCanReview(actor, productId);
  return prisma.$transaction(async (tx) => {
    const r = await tx.product.updateMany({ where: { id: productId, status: 'IN_REVIEW' }, data: { status: 'DRAFT' } });
    if (r.count === 0) return { ok: false as const, message: '这件商品不在审核中（可能已被他人处理） / Not in review (perhaps already decided)' };
    await tx.productReview.create({ data: { productId, subject: 'LISTING', decision: 'REJECTED', reason, reviewerId: actor.id } });
    await notify({ kind: 'LISTING_REJECTED', sellerId: product.sellerId, productId, titleZh: `审核未通过：${product.nameZh}`, titleEn: `Not approved: ${product.nameEn || product.nameZh}`, bodyZh: reason, bodyEn: reason, link: link(productId) }, tx);
    return { ok: true as const };
  });
}

/** A pending certificate of a product that is already listed (renewals). */
export async function reviewCertificate(actor: Actor, productId: number, decision: 'APPROVED' | 'REJECTED', reason = ''): Promise<ReviewOutcome> {
  const product = await assertCanReview(actor, productId);
  return prisma.$transaction(async (tx) => {
    const pending = await tx.productCertificate.findFirst({ where: { productId, status: 'PENDING' }, select: { id: true, number: true } });
    if (!pending) return { ok: false as const, message: '没有待审核的证书 / No certificate waiting for review' };
    if (decision === 'APPROVED') await approveCertificateTx(tx, pending.id, actor.id);
    else await rejectCertificateTx(tx, pending.id, actor.id, reason);
    await tx.productReview.create({ data: { productId, certificateId: pending.id, subject: 'CERTIFICATE', decision, reason, reviewerId: actor.id } });
    await notify(
      decision === 'APPROVED'
        ? { kind: 'CERTIFICATE_APPROVED', sellerId: product.sellerId, productId, certificateId: pending.id, titleZh: `认定证书已通过：${pending.number}`, titleEn: `Certificate approved: ${pending.number}`, link: `${link(productId)}/certificate` }
        : { kind: 'CERTIFICATE_REJECTED', sellerId: product.sellerId, productId, certificateId: pending.id, titleZh: `认定证书未通过：${pending.number}`, titleEn: `Certificate not approved: ${pending.number}`, bodyZh: reason, bodyEn: reason, link: `${link(productId)}/certificate` },
      tx,
    );
    return { ok: true as const };
  });
}

/** The latest decision on the listing, for the seller's edit page. */
export async function latestListingReview(productId: number) {
  return prisma.productReview.findFirst({ where: { productId, subject: 'LISTING' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { decision: true, reason: true, createdAt: true } });
}

// ---------- the review console ----------

async function scopedWhere(actor: Actor): Promise<Prisma.ProductWhereInput | null> {
  const scope = await reviewScope(actor);
  if (!scope) return null;
  if (scope.all) return {};
  const codes = (await Promise.all(scope.westPlaceCodes.map((c) => descendantCodes(c)))).flat();
  return { originCode: { in: codes } };
}

const queueSelect = {
  id: true, slug: true, nameZh: true, nameEn: true, status: true, submittedAt: true, referencePriceSource: true,
  seller: { select: { name: true } },
  origin: { select: { name: true } },
  images: { select: { key: true }, orderBy: { position: 'asc' }, take: 1 },
  variants: { select: { nameZh: true, priceFen: true, referencePriceFen: true }, orderBy: { position: 'asc' } },
  certificates: { where: { status: 'PENDING' }, select: { id: true, number: true } },
} satisfies Prisma.ProductSelect;

type QueueRow = Prisma.ProductGetPayload<{ select: typeof queueSelect }>;
const toQueueItem = (p: QueueRow) => ({
  ...p,
  image: p.images[0] ? imageSrc(p.images[0].key, 320) : null,
  maxRatio: Math.max(0, ...p.variants.filter((v) => v.referencePriceFen).map((v) => v.priceFen / v.referencePriceFen!)),
  pendingCertificate: p.certificates[0] ?? null,
});

/** Listings waiting for a decision: drafts submitted for review, and listed goods with a new certificate. */
export async function reviewQueue(actor: Actor) {
  const where = await scopedWhere(actor);
  if (!where) return [];
  const rows = await prisma.product.findMany({
    where: { AND: [where, { OR: [{ status: 'IN_REVIEW' }, { status: 'LISTED', certificates: { some: { status: 'PENDING' } } }] }] },
    select: queueSelect,
    orderBy: [{ submittedAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    take: 200,
  });
  return rows.map(toQueueItem);
}

/**
 * Fair price: listings (listed or in review) with a variant priced above OVERPRICED_RATIO × its reference
 * market price, the worst first. The comparison is done by the database over every variant.
 */
export async function overpricedListings(actor: Actor) {
  const where = await scopedWhere(actor);
  if (!where) return [];
  const flagged = await prisma.$queryRaw<Array<{ productId: number; ratio: number }>>`
    select v.product_id as "productId", max(v.price_fen::float8 / v.reference_price_fen) as ratio
    from variant v join product p on p.id = v.product_id
    where v.reference_price_fen is not null and p.status in ('LISTED', 'IN_REVIEW')
      and v.price_fen > v.reference_price_fen * ${OVERPRICED_RATIO}::float8
    group by v.product_id`;
  if (flagged.length === 0) return [];
  const rows = await prisma.product.findMany({ where: { AND: [where, { id: { in: flagged.map((f) => f.productId) } }] }, select: queueSelect });
  return rows.map(toQueueItem).sort((a, b) => b.maxRatio - a.maxRatio);
}

/** Everything a reviewer needs to decide on one listing. */
export async function listingForReview(actor: Actor, productId: number) {
  await assertCanReview(actor, productId);
  const product = await prisma.product.findUniqueOrThrow({
    where: { id: productId },
    select: {
      id: true, slug: true, nameZh: true, nameEn: true, descriptionZh: true, descriptionEn: true, status: true, statisticsKind: true,
      submittedAt: true, referencePriceSource: true, certificateNo: true, certificateIssuer: true, certifiedUntil: true,
      seller: { select: { name: true, creditCode: true, verificationStatus: true } },
      category: { select: { nameZh: true, nameEn: true } },
      origin: { select: { code: true, name: true } },
      images: { select: { id: true, key: true, altZh: true }, orderBy: { position: 'asc' } },
      variants: { select: { id: true, sku: true, nameZh: true, priceFen: true, referencePriceFen: true, stock: true, unit: true, weightGrams: true }, orderBy: { position: 'asc' } },
      certificates: { where: { status: { in: ['PENDING', 'APPROVED'] } }, select: { id: true, number: true, issuer: true, validUntil: true, status: true, imageKey: true }, orderBy: { id: 'desc' } },
      reviews: { select: { subject: true, decision: true, reason: true, createdAt: true }, orderBy: { createdAt: 'desc' }, take: 10 },
    },
  });
  return { ...product, images: product.images.map((i) => ({ ...i, src: imageSrc(i.key, 640) })) };
}
