// The certificate expiry job: the mark goes by itself, the seller is told exactly once per certificate.
import { describe, expect, it } from 'vitest';
import { createProduct, getProductBySlug, isCertified, newSku } from '~/modules/catalog/catalog.server';
import { prisma } from '~/modules/db/db.server';
import { freshSeller, uniq } from '../../../tests/helpers/actors';
import { notifyExpiredCertificates } from './certificates.server';

async function certifiedProduct(validUntil: string) {
  const { seller } = await freshSeller();
  const category = await prisma.category.findFirstOrThrow({ where: { slug: 'juice' } });
  const product = await createProduct({
    slug: `t-cert-${uniq()}`, sellerId: seller.id, nameZh: '认定测试商品', categoryId: category.id, statisticsKind: 'AGRI_LIVESTOCK', status: 'LISTED',
    certificate: { no: `T-${uniq()}`, issuer: '贵州省农业农村厅', validUntil },
    variants: [{ sku: newSku(), nameZh: '1kg', priceFen: 1000, stock: 1, unit: '袋', weightGrams: 1000 }],
  });
  const certificate = await prisma.productCertificate.findFirstOrThrow({ where: { productId: product.id } });
  return { seller, product, certificate };
}

describe('certificate expiry', () => {
  it('the storefront mark follows certifiedUntil: valid on its last day, gone the day after', async () => {
    const { product } = await certifiedProduct('2031-03-31');
    expect(isCertified(product, new Date('2031-03-31T23:00:00Z'))).toBe(true);
    expect(isCertified(product, new Date('2031-04-01T00:00:00Z'))).toBe(false);
  });

  it('writes one notification per newly expired certificate, once, even with concurrent runs', async () => {
    const { seller, certificate } = await certifiedProduct('2032-01-31');
    const { certificate: stillValid } = await certifiedProduct('2032-12-31');
    expect(await notifyExpiredCertificates(new Date('2032-01-31T12:00:00Z'))).toBeGreaterThanOrEqual(0);
    expect(await prisma.notification.count({ where: { certificateId: certificate.id } })).toBe(0); // its last valid day

    const runs = await Promise.all([1, 2, 3].map(() => notifyExpiredCertificates(new Date('2032-02-01T08:00:00Z'))));
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const notes = await prisma.notification.findMany({ where: { certificateId: certificate.id } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ sellerId: seller.id, kind: 'CERTIFICATE_EXPIRED', dedupeKey: `certificate-expired:${certificate.id}` });
    expect(notes[0]!.titleZh).toContain('认定证书已过期');
    expect(await prisma.notification.count({ where: { certificateId: stillValid.id } })).toBe(0);

    expect(await notifyExpiredCertificates(new Date('2032-02-02T08:00:00Z'))).toBe(0);
    expect(await prisma.notification.count({ where: { certificateId: certificate.id } })).toBe(1);
  });

  it('does not notify a superseded (renewed) certificate', async () => {
    const { certificate } = await certifiedProduct('2033-01-31');
    await prisma.productCertificate.update({ where: { id: certificate.id }, data: { status: 'SUPERSEDED' } });
    await notifyExpiredCertificates(new Date('2033-06-01'));
    expect(await prisma.notification.count({ where: { certificateId: certificate.id } })).toBe(0);
  });

  it('the demo product whose certificate ran out in 2025 is no longer shown as certified', async () => {
    const p = await getProductBySlug('panzhou-hongcai-cili-gift-box');
    expect(p?.certificateNo).toBeTruthy();
    expect(p?.certified).toBe(false);
  });
});
