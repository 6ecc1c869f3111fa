// Traceability: production batches (采收/生产批次) with their base or farm and inspection report. Each has a
// public code; the QR code printed on the packaging points to /trace/:code. QR codes are made locally.
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import type { BatchDateKind } from '~/generated/prisma/client';
import { isCertified } from '~/modules/catalog/catalog.server';
import { prisma } from '~/modules/db/db.server';
import { getPlaceWithAncestors } from '~/modules/places/places.server';
import { pairingsForOrigin } from '~/modules/places/pairings.server';
import { DOCUMENT_IMAGE_RULES, storeResponsiveImage, type CheckedImage } from '~/modules/storage/images.server';
import { imageSrc, imageSrcSet } from '~/modules/storage/storage.server';
import { assertCanManageProduct, type Actor } from './access.server';

export type BatchFields = {
  dateKind: BatchDateKind;
  producedOn: Date;
  baseName: string;
  quantity?: string;
  inspectionReportNo?: string;
  inspectionAgency?: string;
  notes?: string;
};

/** 12 characters of [a-z0-9]: short enough for a small QR code, too many to guess. */
export const newBatchCode = () => {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(12);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
};
export const BATCH_CODE = /^[a-z0-9]{6,32}$/;

export async function createBatch(actor: Actor, productId: number, fields: BatchFields, inspectionImage: CheckedImage | null) {
  await assertCanManageProduct(actor, productId);
  const code = newBatchCode();
  const image = inspectionImage ? await storeResponsiveImage(inspectionImage, `batches/${code}`, DOCUMENT_IMAGE_RULES) : null;
  return prisma.productionBatch.create({
    data: {
      code, productId, createdById: actor.id, dateKind: fields.dateKind, producedOn: fields.producedOn, baseName: fields.baseName,
      quantity: fields.quantity ?? '', inspectionReportNo: fields.inspectionReportNo ?? '', inspectionAgency: fields.inspectionAgency ?? '',
      notes: fields.notes ?? '', inspectionImageKey: image?.key,
    },
  });
}

export async function productBatches(productId: number) {
  return prisma.productionBatch.findMany({
    where: { productId },
    select: { id: true, code: true, dateKind: true, producedOn: true, baseName: true, quantity: true, inspectionReportNo: true, createdAt: true },
    orderBy: [{ producedOn: 'desc' }, { id: 'desc' }],
    take: 50,
  });
}

/** An SVG QR code for a URL (error correction M, quiet zone 2). */
export async function qrSvg(url: string) {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The public trace page: the batch, its product, origin, pairing and the certificate status today. */
export async function batchForTrace(code: string) {
  if (!BATCH_CODE.test(code)) return null;
  const batch = await prisma.productionBatch.findUnique({
    where: { code },
    select: {
      code: true, dateKind: true, producedOn: true, baseName: true, quantity: true, inspectionReportNo: true, inspectionAgency: true,
      inspectionImageKey: true, notes: true, createdAt: true,
      product: {
        select: {
          slug: true, nameZh: true, nameEn: true, status: true, originCode: true, certificateNo: true, certificateIssuer: true, certifiedUntil: true,
          seller: { select: { name: true, nameEn: true, kind: true, verificationStatus: true } },
          images: { select: { key: true, altZh: true, altEn: true }, orderBy: { position: 'asc' }, take: 1 },
        },
      },
    },
  });
  if (!batch) return null;
  const [origin, pairings] = await Promise.all([getPlaceWithAncestors(batch.product.originCode), pairingsForOrigin(batch.product.originCode)]);
  const { images, ...product } = batch.product;
  return {
    ...batch,
    product: { ...product, certified: isCertified(product), image: images[0] ? { src: imageSrc(images[0].key, 640), srcSet: imageSrcSet(images[0].key), altZh: images[0].altZh, altEn: images[0].altEn } : null },
    inspectionImage: batch.inspectionImageKey ? { src: imageSrc(batch.inspectionImageKey, 960), srcSet: imageSrcSet(batch.inspectionImageKey) } : null,
    originPath: origin ? [...origin.ancestors, origin.place] : [],
    pairings,
  };
}

export async function batchExists(code: string) {
  return BATCH_CODE.test(code) && Boolean(await prisma.productionBatch.findUnique({ where: { code }, select: { id: true } }));
}
