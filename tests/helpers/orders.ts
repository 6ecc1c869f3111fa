// Test fixtures for orders (used by Vitest files and the checkout benchmark): a listed product with
// stock from a fresh seller in a western county, a signed-in buyer, a valid address.
import crypto from 'node:crypto';
import { getUserByEmail } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';

export const ADDRESS = { provinceCode: '440000', cityCode: '440100', districtCode: '440112', street: '开发大道 1 号', recipient: '王先生', mobile: '13800138000' } as const;

export async function listedProduct(opts: { countyCode?: string; stock?: number; priceFen?: number; kind?: 'AGRI_LIVESTOCK' | 'HANDICRAFT'; sellerId?: number } = {}) {
  const tag = crypto.randomBytes(4).toString('hex');
  const countyCode = opts.countyCode ?? '520281'; // 盘州市
  const sellerId = opts.sellerId ?? (await prisma.seller.create({
    data: { slug: `t-seller-${tag}`, name: `测试合作社${tag}`, kind: 'COOPERATIVE', creditCode: `93${countyCode}${tag.toUpperCase().replace(/[IOSVZ]/g, '1')}X`.slice(0, 18).padEnd(18, '0'), countyCode, contactName: '张三', contactPhone: '13800000000', verificationStatus: 'VERIFIED' },
    select: { id: true },
  })).id;
  const category = await prisma.category.findFirstOrThrow({ select: { id: true } });
  const product = await prisma.product.create({
    data: {
      slug: `t-product-${tag}`, sellerId, nameZh: `测试刺梨${tag}`, nameEn: `Test cili ${tag}`, categoryId: category.id, statisticsKind: opts.kind ?? 'AGRI_LIVESTOCK',
      originCode: countyCode, status: 'LISTED',
      variants: { create: { sku: `T-${tag}`, nameZh: '500ml×6', priceFen: opts.priceFen ?? 3990, stock: opts.stock ?? 100, unit: '箱', weightGrams: 3000 } },
    },
    select: { id: true, slug: true, sellerId: true, variants: { select: { id: true, priceFen: true } } },
  });
  return { productId: product.id, slug: product.slug, sellerId: product.sellerId, variantId: product.variants[0]!.id, priceFen: product.variants[0]!.priceFen };
}

/** A user object as the modules take it (permissions, memberships, seller staff), by email. */
export async function userByEmail(email: string) {
  const u = await getUserByEmail(email);
  if (!u) throw new Error(`no user ${email}`);
  return u;
}
