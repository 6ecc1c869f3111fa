import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { seedDemo } from './seed.server';

const counts = async () => ({
  places: await prisma.place.count(),
  pairings: await prisma.pairing.count(),
  sellers: await prisma.seller.count(),
  products: await prisma.product.count(),
  variants: await prisma.variant.count(),
  images: await prisma.productImage.count(),
  users: await prisma.user.count(),
  categories: await prisma.category.count(),
});

describe('demo seed (already loaded into the test template)', () => {
  it('a second run changes nothing', async () => {
    const before = await counts();
    const result = await seedDemo();
    expect(result.created).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it('holds the sources: ≥ 60 products across the seven counties, both kinds, all pairings', async () => {
    expect(await prisma.product.count({ where: { status: 'LISTED', isDemo: true } })).toBeGreaterThanOrEqual(60);
    const byCounty = await prisma.product.groupBy({ by: ['originCode'], _count: true });
    expect(byCounty.map((r) => r.originCode).sort()).toEqual(['520201', '520203', '520204', '520281', '520526', '522726', '522732']);
    expect(await prisma.product.count({ where: { statisticsKind: 'HANDICRAFT' } })).toBeGreaterThan(10);
    expect(await prisma.pairing.count()).toBe(9);
    const group = await prisma.pairing.findUniqueOrThrow({ where: { slug: 'zhongshan-xiaolan-panzhou' }, include: { parent: true } });
    expect(group.parent?.slug).toBe('zhongshan-liupanshui');
    expect(await prisma.seller.count({ where: { isDemo: true, verificationStatus: 'VERIFIED' } })).toBeGreaterThanOrEqual(14);
  });

  it('gives every demo account its role, organisation, seller or scope', async () => {
    const official = await prisma.user.findUniqueOrThrow({ where: { email: 'official-zs-lps@demo.shanhai.cn' }, include: { officialScopes: { include: { pairing: true } }, roles: { include: { role: true } } } });
    expect(official.roles.map((r) => r.role.name)).toEqual(['official']);
    expect(official.officialScopes[0]?.pairing.slug).toBe('zhongshan-liupanshui');
    const coop = await prisma.user.findUniqueOrThrow({ where: { email: 'coop-dushan@demo.shanhai.cn' }, include: { sellerStaff: { include: { seller: true } } } });
    expect(coop.sellerStaff[0]?.seller.countyCode).toBe('522726');
    const union = await prisma.user.findUniqueOrThrow({ where: { email: 'union@demo.shanhai.cn' }, include: { memberships: { include: { organisation: true } } } });
    expect(union.memberships[0]?.organisation.kind).toBe('UNION');
  });
});
