// 消费帮扶产品认定 certificates: sellers submit them (PENDING), reviewers approve or reject; the approved
// one is mirrored onto the product's certificate columns, which the storefront reads (`isCertified`
// compares certifiedUntil with today, so the "certified" mark disappears by itself on expiry). A job
// tells the seller once per certificate when it has expired.
import type { Prisma } from '~/generated/prisma/client';
import type { Job } from '~/modules/jobs/scheduler.server';
import { prisma } from '~/modules/db/db.server';
import { storePrivateDocument, type CheckedImage } from '~/modules/storage/images.server';
import { assertCanManageProduct, type Actor } from './access.server';

export type CertificateFields = { number: string; issuer: string; validUntil: Date };

export type SubmitResult = { ok: true; certificateId: number } | { ok: false; field: 'image' | 'validUntil'; message: string };

const today = (now = new Date()) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/**
 * Submits (or replaces) the product's pending certificate. A new certificate needs its image; replacing
 * a pending one may keep the image already sent. The product's public certificate does not change
 * until a reviewer approves.
 */
export async function submitCertificate(actor: Actor, productId: number, fields: CertificateFields, image: CheckedImage | null): Promise<SubmitResult> {
  await assertCanManageProduct(actor, productId);
  if (fields.validUntil.getTime() < today().getTime()) {
    return { ok: false, field: 'validUntil', message: '证书已过期，不能提交 / The certificate has already expired' };
  }
  const pending = await prisma.productCertificate.findFirst({ where: { productId, status: 'PENDING' }, select: { id: true, imageKey: true } });
  if (!image && !pending?.imageKey) return { ok: false, field: 'image', message: '请上传证书图片 / Upload a picture of the certificate' };
  const stored = image ? await storePrivateDocument(image, 'certificates') : null;
  const data = { number: fields.number, issuer: fields.issuer, validUntil: fields.validUntil, submittedById: actor.id, ...(stored ? { imageKey: stored.key } : {}) };
  if (pending) {
    await prisma.productCertificate.update({ where: { id: pending.id }, data });
    return { ok: true, certificateId: pending.id };
  }
  try {
    const row = await prisma.productCertificate.create({ data: { ...data, productId, imageKey: stored!.key } });
    return { ok: true, certificateId: row.id };
  } catch (error) {
    // Two submissions at once: the partial unique index keeps one pending certificate; update that one.
    if ((error as { code?: string }).code !== 'P2002') throw error;
    const again = await prisma.productCertificate.findFirstOrThrow({ where: { productId, status: 'PENDING' }, select: { id: true } });
    await prisma.productCertificate.update({ where: { id: again.id }, data });
    return { ok: true, certificateId: again.id };
  }
}

/** Approves a pending certificate inside the caller's transaction: the previous one is superseded. */
export async function approveCertificateTx(tx: Prisma.TransactionClient, certificateId: number, reviewerId: number) {
  const cert = await tx.productCertificate.findUniqueOrThrow({ where: { id: certificateId }, select: { id: true, productId: true, number: true, issuer: true, validUntil: true, status: true } });
  if (cert.status !== 'PENDING') return null;
  await tx.productCertificate.updateMany({ where: { productId: cert.productId, status: 'APPROVED' }, data: { status: 'SUPERSEDED' } });
  await tx.productCertificate.update({ where: { id: cert.id }, data: { status: 'APPROVED', reviewedById: reviewerId, reviewedAt: new Date(), rejectionReason: null } });
  await tx.product.update({ where: { id: cert.productId }, data: { certificateNo: cert.number, certificateIssuer: cert.issuer, certifiedUntil: cert.validUntil } });
  return cert;
}

export async function rejectCertificateTx(tx: Prisma.TransactionClient, certificateId: number, reviewerId: number, reason: string) {
  const r = await tx.productCertificate.updateMany({ where: { id: certificateId, status: 'PENDING' }, data: { status: 'REJECTED', rejectionReason: reason, reviewedById: reviewerId, reviewedAt: new Date() } });
  return r.count === 1;
}

export async function productCertificates(productId: number) {
  return prisma.productCertificate.findMany({
    where: { productId },
    select: { id: true, number: true, issuer: true, validUntil: true, status: true, rejectionReason: true, imageKey: true, createdAt: true, reviewedAt: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 10,
  });
}

/** For the private image route: the certificate with what the access check needs. */
export async function certificateForImage(certificateId: number) {
  return prisma.productCertificate.findUnique({ where: { id: certificateId }, select: { id: true, imageKey: true, product: { select: { id: true, sellerId: true, originCode: true } } } });
}

/**
 * The expiry job: every APPROVED certificate whose last valid day is before `on` and whose seller has not
 * been told yet gets one CERTIFICATE_EXPIRED notification. One statement: the UPDATE … RETURNING claims
 * the certificates (a concurrent run waits on the row locks and then finds them claimed), the INSERT
 * writes the notifications; the dedupe key makes a second notification impossible even so.
 * Returns how many notifications were written.
 */
export async function notifyExpiredCertificates(on: Date = new Date()): Promise<number> {
  const day = today(on).toISOString().slice(0, 10);
  const rows = await prisma.$queryRaw<Array<{ id: number }>>`
    with expired as (
      update product_certificate c set expiry_notified_at = now()
      where c.status = 'APPROVED' and c.valid_until < ${day}::date and c.expiry_notified_at is null
      returning c.id, c.product_id, c.number, c.valid_until
    )
    insert into notification (seller_id, kind, product_id, certificate_id, title_zh, title_en, body_zh, body_en, link, dedupe_key)
    select p.seller_id, 'CERTIFICATE_EXPIRED', p.id, e.id,
      '认定证书已过期：' || p.name_zh,
      'Certificate expired: ' || coalesce(nullif(p.name_en, ''), p.name_zh),
      '证书 ' || e.number || ' 已于 ' || to_char(e.valid_until, 'YYYY-MM-DD') || ' 到期，商品已不再显示“消费帮扶产品认定”标识。请上传新的证书。',
      'Certificate ' || e.number || ' expired on ' || to_char(e.valid_until, 'YYYY-MM-DD') || '; the product no longer shows the certified mark. Please upload a new certificate.',
      '/seller/products/' || p.id || '/certificate',
      'certificate-expired:' || e.id
    from expired e join product p on p.id = e.product_id
    on conflict (dedupe_key) do nothing
    returning id`;
  return rows.length;
}

/** The expiry job, run hourly by the shared scheduler (app/modules/jobs): once per hour across all instances. */
export const certificateExpiryJob: Job = {
  name: 'sellers.certificate-expiry',
  everySeconds: 60 * 60,
  firstRunAfterSeconds: 5,
  run: async () => {
    const n = await notifyExpiredCertificates();
    return n ? `${n} notification(s) written` : 0;
  },
};
