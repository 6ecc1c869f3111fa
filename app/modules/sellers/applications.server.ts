// Onboarding: a cooperative or enterprise applies to sell (with its 统一社会信用代码 and business
// licence); a platform admin approves — the seller is created through catalog.createSeller and the
// applicant becomes its admin staff — or rejects it with a reason.
import { userCan } from '~/modules/accounts/session.server';
import type { SellerKind } from '~/generated/prisma/client';
import { createSeller, slugFromName } from '~/modules/catalog/catalog.server';
import { validateCreditCode } from '~/modules/catalog/credit-code';
import { prisma } from '~/modules/db/db.server';
import { forbidden } from '~/modules/http/http.server';
import { storePrivateDocument, type CheckedImage } from '~/modules/storage/images.server';
import type { Actor } from './access.server';
import { notify } from './notifications.server';

export type ApplicationFields = {
  name: string;
  nameEn?: string;
  kind: SellerKind;
  creditCode: string;
  countyCode: string;
  contactName: string;
  contactPhone: string;
  descriptionZh?: string;
};

type FieldFailure<F extends string> = { ok: false; field: F; message: string };
export type ApplyResult = { ok: true; applicationId: number } | FieldFailure<'creditCode' | 'countyCode' | 'licence'>;

export async function applyToSell(applicantId: number, fields: ApplicationFields, licence: CheckedImage | null): Promise<ApplyResult> {
  const code = validateCreditCode(fields.creditCode);
  if (!code.ok) return { ok: false, field: 'creditCode', message: code.reason };
  const county = await prisma.place.findUnique({ where: { code: fields.countyCode }, select: { level: true } });
  if (!county || county.level !== 'COUNTY') return { ok: false, field: 'countyCode', message: '请选择县（市、区） / Choose a county' };
  if (await prisma.seller.findUnique({ where: { creditCode: code.code }, select: { id: true } })) {
    return { ok: false, field: 'creditCode', message: '该统一社会信用代码已注册为商家 / A seller with this credit code already exists' };
  }
  if (!licence) return { ok: false, field: 'licence', message: '请上传营业执照图片 / Upload a picture of the business licence' };
  const stored = await storePrivateDocument(licence, 'licences');
  try {
    const row = await prisma.sellerApplication.create({
      data: {
        applicantId, name: fields.name, nameEn: fields.nameEn ?? '', kind: fields.kind, creditCode: code.code, countyCode: fields.countyCode,
        contactName: fields.contactName, contactPhone: fields.contactPhone, descriptionZh: fields.descriptionZh ?? '', licenceKey: stored.key,
      },
    });
    return { ok: true, applicationId: row.id };
  } catch (error) {
    // seller_application_pending_credit_code_key: one pending application per credit code.
    if ((error as { code?: string }).code === 'P2002') return { ok: false, field: 'creditCode', message: '该统一社会信用代码已有待审核的申请 / An application with this credit code is already waiting for review' };
    throw error;
  }
}

export async function myApplications(userId: number) {
  return prisma.sellerApplication.findMany({
    where: { applicantId: userId },
    select: { id: true, name: true, status: true, rejectionReason: true, createdAt: true, reviewedAt: true, seller: { select: { slug: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 10,
  });
}

export async function listApplications(status: 'PENDING' | 'APPROVED' | 'REJECTED' = 'PENDING') {
  return prisma.sellerApplication.findMany({
    where: { status },
    select: {
      id: true, name: true, nameEn: true, kind: true, creditCode: true, contactName: true, contactPhone: true, descriptionZh: true, status: true,
      rejectionReason: true, createdAt: true, reviewedAt: true,
      county: { select: { code: true, name: true, parent: { select: { name: true } } } },
      applicant: { select: { name: true, email: true } },
      seller: { select: { slug: true } },
    },
    orderBy: [{ createdAt: status === 'PENDING' ? 'asc' : 'desc' }, { id: 'asc' }],
    take: 100,
  });
}

export async function applicationLicenceKey(id: number) {
  return (await prisma.sellerApplication.findUnique({ where: { id }, select: { licenceKey: true } }))?.licenceKey ?? null;
}

function assertSellerAdmin(actor: Actor) {
  if (!userCan(actor, 'update:seller:any')) forbidden('只有平台管理员可以审核商家 / Only platform admins review sellers');
}

export type DecisionResult = { ok: true; sellerId?: number } | { ok: false; message: string };

export async function approveApplication(actor: Actor, applicationId: number): Promise<DecisionResult> {
  assertSellerAdmin(actor);
  try {
    return await prisma.$transaction(async (tx) => {
      // The conditional UPDATE claims the application: a second approval (or a rejection) finds nothing.
      const claimed = await tx.sellerApplication.updateMany({ where: { id: applicationId, status: 'PENDING' }, data: { status: 'APPROVED', reviewedById: actor.id, reviewedAt: new Date() } });
      if (claimed.count === 0) return { ok: false as const, message: '申请不存在或已处理 / The application does not exist or was already decided' };
      const a = await tx.sellerApplication.findUniqueOrThrow({ where: { id: applicationId } });
      const seller = await createSeller(
        {
          slug: slugFromName(a.name, 6).slice(0, 80), name: a.name, nameEn: a.nameEn, kind: a.kind, creditCode: a.creditCode, countyCode: a.countyCode,
          contactName: a.contactName, contactPhone: a.contactPhone, descriptionZh: a.descriptionZh, verificationStatus: 'VERIFIED',
        },
        tx,
      );
      await tx.sellerApplication.update({ where: { id: applicationId }, data: { sellerId: seller.id } });
      await tx.sellerStaff.create({ data: { userId: a.applicantId, sellerId: seller.id, isAdmin: true } });
      const role = await tx.role.findUniqueOrThrow({ where: { name: 'seller_staff' }, select: { id: true } });
      await tx.userRole.upsert({ where: { userId_roleId: { userId: a.applicantId, roleId: role.id } }, create: { userId: a.applicantId, roleId: role.id }, update: {} });
      await notify({ kind: 'SELLER_APPROVED', userId: a.applicantId, sellerId: seller.id, titleZh: `入驻申请已通过：${a.name}`, titleEn: `Application approved: ${a.nameEn || a.name}`, link: '/seller' }, tx);
      return { ok: true as const, sellerId: seller.id };
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return { ok: false, message: '该统一社会信用代码已注册为商家 / A seller with this credit code already exists' };
    throw error;
  }
}

export async function rejectApplication(actor: Actor, applicationId: number, reason: string): Promise<DecisionResult> {
  assertSellerAdmin(actor);
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.sellerApplication.updateMany({ where: { id: applicationId, status: 'PENDING' }, data: { status: 'REJECTED', rejectionReason: reason, reviewedById: actor.id, reviewedAt: new Date() } });
    if (claimed.count === 0) return { ok: false as const, message: '申请不存在或已处理 / The application does not exist or was already decided' };
    const a = await tx.sellerApplication.findUniqueOrThrow({ where: { id: applicationId }, select: { applicantId: true, name: true, nameEn: true } });
    await notify({ kind: 'SELLER_REJECTED', userId: a.applicantId, titleZh: `入驻申请未通过：${a.name}`, titleEn: `Application not approved: ${a.nameEn || a.name}`, bodyZh: reason, bodyEn: reason, link: '/seller' }, tx);
    return { ok: true as const };
  });
}
