import crypto from 'node:crypto';
import { pinyin } from 'pinyin-pro';
import { z } from 'zod';
import type { Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import { descendantCodes, getPlaceWithAncestors } from '~/modules/places/places.server';
import { pairingsForOrigin } from '~/modules/places/pairings.server';
import { imageSrc, imageSrcSet } from '~/modules/storage/storage.server';
import { validateCreditCode } from './credit-code';

// ---------- writes (used by the seller portal and the demo seed alike) ----------

export const sellerInput = z.object({
  slug: z.string().regex(/^[a-z0-9-]{3,80}$/, 'slug: lower-case letters, digits and dashes'),
  name: z.string().trim().min(2).max(100),
  nameEn: z.string().trim().max(160).default(''),
  kind: z.enum(['COOPERATIVE', 'ENTERPRISE', 'FAMILY_FARM']),
  creditCode: z.string().transform((v, ctx) => {
    const r = validateCreditCode(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
    return r.ok ? r.code : v;
  }),
  countyCode: z.string().regex(/^[0-9]{6}$/, 'county code: 6 digits (GB/T 2260)'),
  contactName: z.string().trim().min(1).max(50),
  contactPhone: z.string().regex(/^1[3-9][0-9]{9}$/, 'a mainland mobile number'),
  descriptionZh: z.string().max(5000).default(''),
  descriptionEn: z.string().max(5000).default(''),
  verificationStatus: z.enum(['PENDING', 'VERIFIED', 'REJECTED']).default('PENDING'),
  isDemo: z.boolean().default(false),
});
export type SellerInput = z.input<typeof sellerInput>;

export async function createSeller(input: SellerInput, tx: Prisma.TransactionClient = prisma) {
  const data = sellerInput.parse(input);
  const county = await tx.place.findUnique({ where: { code: data.countyCode }, select: { level: true } });
  if (!county || county.level !== 'COUNTY') throw new Error(`Unknown county code ${data.countyCode}`);
  return tx.seller.create({ data });
}

export const variantInput = z.object({
  sku: z.string().regex(/^[A-Z0-9-]{3,64}$/),
  nameZh: z.string().trim().min(1).max(80),
  nameEn: z.string().trim().max(120).default(''),
  priceFen: z.number().int().positive().max(100_000_000),
  stock: z.number().int().min(0).max(10_000_000),
  unit: z.string().trim().min(1).max(10),
  weightGrams: z.number().int().min(0).max(1_000_000),
  /** fair price: a reference market price in 分 (its source is on the product) */
  referencePriceFen: z.number().int().positive().max(100_000_000).nullable().default(null),
});

export const productInput = z.object({
  slug: z.string().regex(/^[a-z0-9-]{3,120}$/),
  sellerId: z.number().int().positive(),
  nameZh: z.string().trim().min(2).max(120),
  nameEn: z.string().trim().max(200).default(''),
  descriptionZh: z.string().max(20_000).default(''),
  descriptionEn: z.string().max(20_000).default(''),
  categoryId: z.number().int().positive(),
  statisticsKind: z.enum(['AGRI_LIVESTOCK', 'HANDICRAFT']),
  originCode: z.string().regex(/^[0-9]{6}$/).optional(),
  status: z.enum(['DRAFT', 'IN_REVIEW', 'LISTED', 'DELISTED']).default('DRAFT'),
  certificate: z.object({ no: z.string().min(3).max(64), issuer: z.string().min(2).max(120), validUntil: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'), z.date()]).transform((v) => (typeof v === 'string' ? new Date(`${v}T00:00:00Z`) : v)) }).optional(),
  referencePriceSource: z.string().trim().max(200).default(''),
  salesCount: z.number().int().min(0).default(0),
  isDemo: z.boolean().default(false),
  createdAt: z.date().optional(),
  /** who created it (recorded on the initial stock adjustments) */
  createdById: z.number().int().positive().optional(),
  variants: z.array(variantInput).min(1).max(50),
});
export type ProductInput = z.input<typeof productInput>;

/**
 * Creates a product with its variants. A certificate becomes a product_certificate row: APPROVED and
 * shown on the product when the product is created LISTED (a trusted import such as the demo seed),
 * otherwise PENDING until a reviewer approves it. Initial stock is recorded as a stock adjustment.
 */
export async function createProduct(input: ProductInput, tx: Prisma.TransactionClient = prisma) {
  const data = productInput.parse(input);
  const seller = await tx.seller.findUniqueOrThrow({ where: { id: data.sellerId }, select: { countyCode: true } });
  const { certificate, variants, createdById, ...rest } = data;
  const trusted = data.status === 'LISTED';
  return tx.product.create({
    data: {
      ...rest,
      originCode: data.originCode ?? seller.countyCode, // origin defaults to the seller's county
      certificateNo: trusted ? certificate?.no : undefined,
      certificateIssuer: trusted ? certificate?.issuer : undefined,
      certifiedUntil: trusted ? certificate?.validUntil : undefined,
      certificates: certificate
        ? { create: { number: certificate.no, issuer: certificate.issuer, validUntil: certificate.validUntil, status: trusted ? 'APPROVED' : 'PENDING', reviewedAt: trusted ? new Date() : undefined, submittedById: createdById } }
        : undefined,
      variants: {
        create: variants.map((v, i) => ({
          ...v,
          position: i,
          stockAdjustments: v.stock > 0 ? { create: { delta: v.stock, stockAfter: v.stock, reason: 'INITIAL' as const, userId: createdById } } : undefined,
        })),
      },
    },
  });
}

/** A new SKU: SH-XXXXXXXX (unique by the database; collisions are 1 in 10^12). */
export const newSku = () => `SH-${crypto.randomBytes(5).toString('hex').toUpperCase()}`;

/** A URL slug from a (Chinese) name: pinyin, lower-case, dashes, plus a random suffix so it is unique. */
export function slugFromName(name: string, maxWords = 8) {
  const words = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join(' ')
    .toLowerCase()
    .replace(/ü/g, 'v')
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, maxWords);
  const suffix = crypto.randomBytes(3).toString('hex');
  return [...words, suffix].join('-').slice(0, 100);
}

export const productUpdateInput = z.object({
  nameZh: z.string().trim().min(2).max(120),
  nameEn: z.string().trim().max(200).default(''),
  descriptionZh: z.string().max(20_000).default(''),
  descriptionEn: z.string().max(20_000).default(''),
  categoryId: z.number().int().positive(),
  statisticsKind: z.enum(['AGRI_LIVESTOCK', 'HANDICRAFT']),
  originCode: z.string().regex(/^[0-9]{6}$/),
  referencePriceSource: z.string().trim().max(200).default(''),
  /** existing variants carry their id (their stock changes only through stock adjustments); new ones a sku and initial stock */
  variants: z
    .array(
      z.union([
        variantInput.omit({ sku: true, stock: true }).extend({ id: z.number().int().positive() }),
        variantInput.extend({ id: z.undefined().optional() }),
      ]),
    )
    .min(1)
    .max(50),
});
export type ProductUpdateInput = z.input<typeof productUpdateInput>;

export class VariantMismatchError extends Error {}

/**
 * Updates a product's details and its variants: listed ids are updated, variants without an id are
 * created (initial stock recorded), variants missing from the list are deleted. Status and certificate
 * are not touched here (review and certificate flows own them).
 */
export async function updateProduct(productId: number, input: ProductUpdateInput, options: { userId?: number } = {}) {
  const data = productUpdateInput.parse(input);
  const { variants, ...fields } = data;
  return prisma.$transaction(async (tx) => {
    const existing = await tx.variant.findMany({ where: { productId }, select: { id: true } });
    const ids = new Set(existing.map((v) => v.id));
    const kept = new Set<number>();
    for (const v of variants) {
      if (v.id !== undefined && !ids.has(v.id)) throw new VariantMismatchError(`Variant ${v.id} is not part of product ${productId}`);
      if (v.id !== undefined) kept.add(v.id);
    }
    await tx.product.update({ where: { id: productId }, data: fields });
    const removed = [...ids].filter((id) => !kept.has(id));
    if (removed.length) await tx.variant.deleteMany({ where: { id: { in: removed }, productId } });
    for (const [position, v] of variants.entries()) {
      if (v.id !== undefined) {
        const { id, ...rest } = v;
        await tx.variant.update({ where: { id }, data: { ...rest, position } });
      } else {
        const { id: _none, ...rest } = v;
        await tx.variant.create({
          data: {
            ...rest,
            productId,
            position,
            stockAdjustments: rest.stock > 0 ? { create: { delta: rest.stock, stockAfter: rest.stock, reason: 'INITIAL', userId: options.userId } } : undefined,
          },
        });
      }
    }
    return tx.product.findUniqueOrThrow({ where: { id: productId }, include: { variants: { orderBy: { position: 'asc' } } } });
  });
}

/** Appends images (already stored, see storage/images.server.ts) after the existing ones. */
export async function addProductImages(productId: number, images: Array<{ key: string; width: number; height: number; altZh?: string; altEn?: string }>) {
  if (images.length === 0) return [];
  return prisma.$transaction(async (tx) => {
    const last = await tx.productImage.aggregate({ where: { productId }, _max: { position: true } });
    const start = (last._max.position ?? -1) + 1;
    const rows = [];
    for (const [i, img] of images.entries()) {
      rows.push(await tx.productImage.create({ data: { productId, key: img.key, width: img.width, height: img.height, altZh: img.altZh ?? '', altEn: img.altEn ?? '', position: start + i } }));
    }
    return rows;
  });
}

/** Removes one image of the product (the stored files stay: they may be cached by browsers and CDNs). */
export async function removeProductImage(productId: number, imageId: number) {
  const r = await prisma.productImage.deleteMany({ where: { id: imageId, productId } });
  return r.count === 1;
}

/** Moves an image to the front (the first image is the product's cover). */
export async function makeCoverImage(productId: number, imageId: number) {
  return prisma.$transaction(async (tx) => {
    const images = await tx.productImage.findMany({ where: { productId }, orderBy: [{ position: 'asc' }, { id: 'asc' }], select: { id: true } });
    if (!images.some((i) => i.id === imageId)) return false;
    const order = [imageId, ...images.map((i) => i.id).filter((id) => id !== imageId)];
    for (const [position, id] of order.entries()) await tx.productImage.update({ where: { id }, data: { position } });
    return true;
  });
}

// ---------- reads for the storefront ----------

export function isCertified(p: { certificateNo: string | null; certifiedUntil: Date | null }, today = new Date()) {
  return Boolean(p.certificateNo && p.certifiedUntil && p.certifiedUntil.getTime() >= startOfDay(today).getTime());
}
const startOfDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

const cardSelect = {
  id: true, slug: true, nameZh: true, nameEn: true, statisticsKind: true, certificateNo: true, certifiedUntil: true, salesCount: true,
  origin: { select: { code: true, shortName: true, name: true } },
  seller: { select: { name: true, nameEn: true } },
  variants: { select: { priceFen: true, stock: true }, orderBy: { priceFen: 'asc' } },
  images: { select: { key: true, altZh: true, altEn: true }, orderBy: { position: 'asc' }, take: 1 },
} satisfies Prisma.ProductSelect;

type CardRow = Prisma.ProductGetPayload<{ select: typeof cardSelect }>;

export type ProductCard = ReturnType<typeof toCard>;
function toCard(p: CardRow) {
  const prices = p.variants.map((v) => v.priceFen);
  const image = p.images[0];
  return {
    slug: p.slug, nameZh: p.nameZh, nameEn: p.nameEn, statisticsKind: p.statisticsKind, salesCount: p.salesCount,
    origin: p.origin, sellerName: p.seller.name, sellerNameEn: p.seller.nameEn,
    minPriceFen: prices.length ? Math.min(...prices) : 0,
    maxPriceFen: prices.length ? Math.max(...prices) : 0,
    inStock: p.variants.some((v) => v.stock > 0),
    certified: isCertified(p),
    image: image ? { src: imageSrc(image.key, 640), srcSet: imageSrcSet(image.key), altZh: image.altZh, altEn: image.altEn } : null,
  };
}

export type ProductListFilter = { originCodes?: string[]; categoryIds?: number[]; sellerId?: number };

export async function listProducts(filter: ProductListFilter, page: { take: number; skip: number }, orderBy: Prisma.ProductOrderByWithRelationInput[] = [{ salesCount: 'desc' }, { id: 'asc' }]) {
  const where: Prisma.ProductWhereInput = {
    status: 'LISTED',
    originCode: filter.originCodes ? { in: filter.originCodes } : undefined,
    categoryId: filter.categoryIds ? { in: filter.categoryIds } : undefined,
    sellerId: filter.sellerId,
  };
  const [total, rows] = await Promise.all([
    prisma.product.count({ where }),
    prisma.product.findMany({ where, select: cardSelect, orderBy, take: page.take, skip: page.skip }),
  ]);
  return { total, items: rows.map(toCard) };
}

export async function featuredProducts(limit = 8) {
  const rows = await prisma.product.findMany({
    where: { status: 'LISTED', certificateNo: { not: null } },
    select: cardSelect,
    orderBy: [{ salesCount: 'desc' }, { id: 'asc' }],
    take: limit,
  });
  return rows.map(toCard);
}

export async function productsFromPlace(code: string, page: { take: number; skip: number }) {
  return listProducts({ originCodes: await descendantCodes(code) }, page);
}

export async function categoryTree() {
  const all = await prisma.category.findMany({ orderBy: [{ position: 'asc' }, { id: 'asc' }], select: { id: true, slug: true, nameZh: true, nameEn: true, parentId: true } });
  return all.filter((c) => c.parentId === null).map((root) => ({ ...root, children: all.filter((c) => c.parentId === root.id) }));
}

export async function getCategory(slug: string) {
  const category = await prisma.category.findUnique({
    where: { slug },
    select: { id: true, slug: true, nameZh: true, nameEn: true, parent: { select: { slug: true, nameZh: true, nameEn: true } }, children: { select: { id: true, slug: true, nameZh: true, nameEn: true } } },
  });
  return category;
}

export async function getProductBySlug(slug: string) {
  const product = await prisma.product.findFirst({
    where: { slug, status: 'LISTED' },
    include: {
      seller: { select: { slug: true, name: true, nameEn: true, kind: true, verificationStatus: true, county: { select: { code: true, name: true } } } },
      category: { select: { slug: true, nameZh: true, nameEn: true, parent: { select: { slug: true, nameZh: true, nameEn: true } } } },
      variants: { orderBy: { position: 'asc' }, include: { priceBreaks: { select: { minQuantity: true, priceFen: true }, orderBy: { minQuantity: 'asc' } } } },
      images: { orderBy: { position: 'asc' } },
    },
  });
  if (!product) return null;
  const [origin, pairings] = await Promise.all([getPlaceWithAncestors(product.originCode), pairingsForOrigin(product.originCode)]);
  return {
    ...product,
    certified: isCertified(product),
    originPath: origin ? [...origin.ancestors, origin.place] : [],
    pairings,
    images: product.images.map((i) => ({ ...i, src: imageSrc(i.key, 960), srcSet: imageSrcSet(i.key) })),
  };
}
