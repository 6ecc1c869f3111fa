// Listings, ownership, the review flow and certificates (integration, real PostgreSQL).
import { describe, expect, it } from 'vitest';
import { getProductBySlug, isCertified } from '~/modules/catalog/catalog.server';
import { prisma } from '~/modules/db/db.server';
import { checkImage, PRODUCT_IMAGE_RULES } from '~/modules/storage/images.server';
import { actorFor, freshUser, imageBytes } from '../../../tests/helpers/actors';
import { submitCertificate } from './certificates.server';
import { createListing, updateListing } from './listings.server';
import { approveListing, overpricedListings, rejectListing, reviewCertificate, reviewQueue, submitForReview } from './reviews.server';
import type { ListingFormValue } from './schemas';
import { sellerNotifications } from './notifications.server';

const PANZHOU = 'panzhou-jiaxi-cili-coop';

async function picture() {
  const r = await checkImage({ filename: 'p.png', bytes: await imageBytes(800, 600), size: 1 }, PRODUCT_IMAGE_RULES);
  if (!r.ok) throw new Error(r.message);
  return r;
}

async function listingValue(overrides: Partial<ListingFormValue> = {}): Promise<ListingFormValue> {
  const category = await prisma.category.findFirstOrThrow({ where: { slug: 'juice' } });
  return {
    nameZh: '盘州刺梨原汁（测试）', nameEn: 'Cili juice (test)', descriptionZh: '测试', descriptionEn: '', categoryId: category.id, statisticsKind: 'AGRI_LIVESTOCK',
    originCode: '520281', referencePriceSource: '贵州省农产品价格监测', variants: [{ nameZh: '500ml×6', price: 12800, referencePrice: 9900, stock: 100, unit: '箱', weightGrams: 3500 }],
    ...overrides,
  };
}

async function panzhouDraft() {
  const coop = await actorFor('coop-panzhou@demo.shanhai.cn');
  const seller = await prisma.seller.findUniqueOrThrow({ where: { slug: PANZHOU } });
  const r = await createListing(coop, seller.id, await listingValue(), [await picture()]);
  if (!r.ok) throw new Error(r.message);
  return { coop, seller, productId: r.productId };
}

/** An official holding a WEST-side scope on 中山市 ↔ 六盘水市 (covers 盘州). */
async function westOfficial() {
  const u = await freshUser(['official']);
  const pairing = await prisma.pairing.findUniqueOrThrow({ where: { slug: 'zhongshan-liupanshui' } });
  await prisma.officialScope.create({ data: { userId: u.id, pairingId: pairing.id, side: 'WEST' } });
  return actorFor(u.email);
}

describe('listings and ownership', () => {
  it('creates a DRAFT with variants in 分, images in every width and the initial stock recorded', async () => {
    const { productId } = await panzhouDraft();
    const p = await prisma.product.findUniqueOrThrow({ where: { id: productId }, include: { variants: true, images: true } });
    expect(p).toMatchObject({ status: 'DRAFT', originCode: '520281', referencePriceSource: '贵州省农产品价格监测' });
    expect(p.slug).toMatch(/^pan-zhou-ci-li-yuan-zhi-ce-shi-[0-9a-f]{6}$/);
    expect(p.variants[0]).toMatchObject({ priceFen: 12800, referencePriceFen: 9900, stock: 100 });
    expect(p.images).toHaveLength(1);
    expect(await prisma.stockAdjustment.count({ where: { variantId: p.variants[0]!.id, reason: 'INITIAL' } })).toBe(1);
  });

  it('coop-dushan cannot edit, submit, certify or list for a 盘州 product; coop-panzhou and admins can edit', async () => {
    const { productId, seller } = await panzhouDraft();
    const dushan = await actorFor('coop-dushan@demo.shanhai.cn');
    await expect(updateListing(dushan, productId, await listingValue({ nameZh: '被改了' }))).rejects.toMatchObject({ status: 403 });
    await expect(submitForReview(dushan, productId)).rejects.toMatchObject({ status: 403 });
    await expect(submitCertificate(dushan, productId, { number: 'X-1', issuer: '某', validUntil: new Date('2099-01-01') }, await picture())).rejects.toMatchObject({ status: 403 });
    await expect(createListing(dushan, seller.id, await listingValue(), [])).rejects.toMatchObject({ status: 403 });
    expect((await prisma.product.findUniqueOrThrow({ where: { id: productId } })).nameZh).toBe('盘州刺梨原汁（测试）');

    const coop = await actorFor('coop-panzhou@demo.shanhai.cn');
    expect(await updateListing(coop, productId, await listingValue({ nameZh: '盘州刺梨原汁 新' }))).toEqual({ ok: true });
    const admin = await actorFor('admin@demo.shanhai.cn');
    expect(await updateListing(admin, productId, await listingValue({ nameZh: '盘州刺梨原汁 管理员改' }))).toEqual({ ok: true });
  });

  it('updates variants: keeps stock of existing ones, adds and removes, rejects foreign ids', async () => {
    const { coop, productId } = await panzhouDraft();
    const [v] = await prisma.variant.findMany({ where: { productId } });
    const value = await listingValue({ variants: [{ id: v!.id, nameZh: '500ml×6', price: 13800, stock: 999, unit: '箱', weightGrams: 3500 }, { nameZh: '250ml×12', price: 9900, stock: 7, unit: '箱', weightGrams: 3200 }] });
    expect(await updateListing(coop, productId, value)).toEqual({ ok: true });
    const variants = await prisma.variant.findMany({ where: { productId }, orderBy: { position: 'asc' } });
    expect(variants.map((x) => [x.nameZh, x.priceFen, x.stock])).toEqual([['500ml×6', 13800, 100], ['250ml×12', 9900, 7]]);
    const foreign = await prisma.variant.findFirstOrThrow({ where: { product: { seller: { slug: 'dushan-baishun-layer-farm' } } } });
    expect(await updateListing(coop, productId, await listingValue({ variants: [{ id: foreign.id, nameZh: 'x', price: 100, unit: '个', weightGrams: 1 }] }))).toMatchObject({ ok: false, field: 'variants' });
    expect(await updateListing(coop, productId, await listingValue({ categoryId: (await prisma.category.findFirstOrThrow({ where: { slug: 'drinks-tea' } })).id }))).toMatchObject({ ok: false, field: 'categoryId' });
    expect(await updateListing(coop, productId, await listingValue({ originCode: '520200' }))).toMatchObject({ ok: false, field: 'originCode' });
  });
});

describe('review flow', () => {
  it('submit → approve lists the product, approves its certificate and notifies the seller', async () => {
    const { coop, seller, productId } = await panzhouDraft();
    expect(await submitCertificate(coop, productId, { number: 'GZXFBF-T-0001', issuer: '贵州省农业农村厅', validUntil: new Date('2099-12-31') }, await picture())).toMatchObject({ ok: true });
    expect((await prisma.product.findUniqueOrThrow({ where: { id: productId } })).certificateNo).toBeNull(); // not before review
    expect(await submitForReview(coop, productId)).toEqual({ ok: true });
    expect(await submitForReview(coop, productId)).toMatchObject({ ok: false });
    expect(await updateListing(coop, productId, await listingValue())).toMatchObject({ ok: false }); // frozen in review

    const east = await actorFor('official-zs-lps@demo.shanhai.cn');
    await expect(approveListing(east, productId)).rejects.toMatchObject({ status: 403 });
    await expect(approveListing(coop, productId)).rejects.toMatchObject({ status: 403 });

    const admin = await actorFor('admin@demo.shanhai.cn');
    expect((await reviewQueue(admin)).map((q) => q.id)).toContain(productId);
    expect(await approveListing(admin, productId)).toEqual({ ok: true });
    expect(await approveListing(admin, productId)).toMatchObject({ ok: false });
    const p = await prisma.product.findUniqueOrThrow({ where: { id: productId } });
    expect(p).toMatchObject({ status: 'LISTED', certificateNo: 'GZXFBF-T-0001' });
    expect(isCertified(p)).toBe(true);
    expect((await getProductBySlug(p.slug))?.certified).toBe(true);
    expect((await sellerNotifications(seller.id)).map((n) => n.kind)).toContain('LISTING_APPROVED');
  });

  it('a reject needs the listing in review, sends it back to DRAFT with the reason, and tells the seller', async () => {
    const { coop, seller, productId } = await panzhouDraft();
    await submitForReview(coop, productId);
    const admin = await actorFor('admin@demo.shanhai.cn');
    expect(await rejectListing(admin, productId, '图片与商品不符')).toEqual({ ok: true });
    expect((await prisma.product.findUniqueOrThrow({ where: { id: productId } })).status).toBe('DRAFT');
    const n = (await sellerNotifications(seller.id)).find((x) => x.kind === 'LISTING_REJECTED');
    expect(n?.bodyZh).toBe('图片与商品不符');
  });

  it('a WEST-side official of the pairing may review 盘州 goods but not 独山 goods', async () => {
    const west = await westOfficial();
    const { coop, productId } = await panzhouDraft();
    await submitForReview(coop, productId);
    expect((await reviewQueue(west)).map((q) => q.id)).toContain(productId);
    const dushanProduct = await prisma.product.findFirstOrThrow({ where: { seller: { slug: 'dushan-baishun-layer-farm' } } });
    await expect(rejectListing(west, dushanProduct.id, '不在范围')).rejects.toMatchObject({ status: 403 });
    expect(await approveListing(west, productId)).toEqual({ ok: true });
  });

  it('a renewed certificate of a listed product is reviewed on its own; the old one is superseded', async () => {
    const { coop, productId } = await panzhouDraft();
    await submitCertificate(coop, productId, { number: 'OLD-1', issuer: '六盘水市农业农村局', validUntil: new Date('2099-01-01') }, await picture());
    await submitForReview(coop, productId);
    const admin = await actorFor('admin@demo.shanhai.cn');
    await approveListing(admin, productId);
    await submitCertificate(coop, productId, { number: 'NEW-2', issuer: '六盘水市农业农村局', validUntil: new Date('2099-06-30') }, await picture());
    expect((await prisma.product.findUniqueOrThrow({ where: { id: productId } })).certificateNo).toBe('OLD-1');
    expect((await reviewQueue(admin)).find((q) => q.id === productId)?.pendingCertificate?.number).toBe('NEW-2');
    expect(await reviewCertificate(admin, productId, 'APPROVED')).toEqual({ ok: true });
    const certs = await prisma.productCertificate.findMany({ where: { productId }, orderBy: { id: 'asc' } });
    expect(certs.map((c) => [c.number, c.status])).toEqual([['OLD-1', 'SUPERSEDED'], ['NEW-2', 'APPROVED']]);
    expect((await prisma.product.findUniqueOrThrow({ where: { id: productId } })).certificateNo).toBe('NEW-2');
  });

  it('a certificate needs its image and must not be expired', async () => {
    const { coop, productId } = await panzhouDraft();
    expect(await submitCertificate(coop, productId, { number: 'A-1', issuer: '某机构', validUntil: new Date('2099-01-01') }, null)).toMatchObject({ ok: false, field: 'image' });
    expect(await submitCertificate(coop, productId, { number: 'A-1', issuer: '某机构', validUntil: new Date('2001-01-01') }, await picture())).toMatchObject({ ok: false, field: 'validUntil' });
  });

  it('flags listings priced far above their reference price', async () => {
    const { coop, productId } = await panzhouDraft();
    await updateListing(coop, productId, await listingValue({ variants: [{ nameZh: '500ml×6', price: 30000, referencePrice: 10000, stock: 5, unit: '箱', weightGrams: 3500 }] }));
    await submitForReview(coop, productId);
    const admin = await actorFor('admin@demo.shanhai.cn');
    const flagged = await overpricedListings(admin);
    expect(flagged.find((f) => f.id === productId)?.maxRatio).toBeCloseTo(3);
    const fair = await panzhouDraft(); // 128 vs 99: not flagged
    await submitForReview(fair.coop, fair.productId);
    expect(flagged.map((f) => f.id)).not.toContain(fair.productId);
    expect((await overpricedListings(admin)).map((f) => f.id)).not.toContain(fair.productId);
  });
});
