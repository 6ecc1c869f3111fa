import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { getProductBySlug } from '~/modules/catalog/catalog.server';
import { apiRateLimit } from '~/modules/security/rate-limit.server';
import { jsonError } from '~/modules/http/http.server';

export async function loader({ params, request }: LoaderFunctionArgs) {
  await apiRateLimit(request);
  const slug = params.slug ?? '';
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) return jsonError(400, 'Malformed product slug');
  const p = await getProductBySlug(slug);
  if (!p) return jsonError(404, `No listed product ${slug}`);
  return json({
    slug: p.slug, nameZh: p.nameZh, nameEn: p.nameEn, descriptionZh: p.descriptionZh, descriptionEn: p.descriptionEn,
    statisticsKind: p.statisticsKind,
    category: { slug: p.category.slug, nameZh: p.category.nameZh, nameEn: p.category.nameEn },
    origin: p.originPath.map((o) => ({ code: o.code, name: o.name, level: o.level })),
    pairings: p.pairings.map((x) => ({ slug: x.slug, nameZh: x.nameZh })),
    seller: { slug: p.seller.slug, name: p.seller.name, nameEn: p.seller.nameEn, kind: p.seller.kind },
    certification: p.certificateNo ? { number: p.certificateNo, issuer: p.certificateIssuer, validUntil: p.certifiedUntil?.toISOString().slice(0, 10), valid: p.certified } : null,
    variants: p.variants.map((v) => ({ sku: v.sku, nameZh: v.nameZh, nameEn: v.nameEn, priceFen: v.priceFen, currency: 'CNY', stock: v.stock, unit: v.unit, weightGrams: v.weightGrams })),
    images: p.images.map((i) => ({ src: i.src, srcSet: i.srcSet, width: i.width, height: i.height })),
  });
}
