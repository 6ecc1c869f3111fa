import { prisma } from '~/modules/db/db.server';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** sitemap.xml: home, listed products, pairings, categories and places that have goods. */
export async function buildSitemap(origin: string) {
  const [products, pairings, categories, places] = await Promise.all([
    prisma.product.findMany({ where: { status: 'LISTED' }, select: { slug: true, updatedAt: true }, orderBy: { id: 'asc' }, take: 45_000 }),
    prisma.pairing.findMany({ select: { slug: true } }),
    prisma.category.findMany({ select: { slug: true } }),
    prisma.$queryRaw<Array<{ code: string }>>`select distinct origin_code as code from product where status = 'LISTED'`,
  ]);
  const urls = [
    `<url><loc>${esc(origin)}/</loc><changefreq>daily</changefreq></url>`,
    ...pairings.map((p) => `<url><loc>${esc(origin)}/pairings/${p.slug}</loc></url>`),
    ...categories.map((c) => `<url><loc>${esc(origin)}/categories/${c.slug}</loc></url>`),
    ...places.map((p) => `<url><loc>${esc(origin)}/places/${p.code}</loc></url>`),
    ...products.map((p) => `<url><loc>${esc(origin)}/products/${p.slug}</loc><lastmod>${p.updatedAt.toISOString().slice(0, 10)}</lastmod></url>`),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}
