// Who may do what in the seller portal. Routes call these after requireUser/requirePermission; module
// functions call the assert* helpers again, so ownership holds whichever way they are reached.
import type { CurrentUser } from '~/modules/accounts/session.server';
import { requirePermission, userCan } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';
import { forbidden, notFound } from '~/modules/http/http.server';
import { pairingsForOrigin } from '~/modules/places/pairings.server';

/** The parts of the current user the checks need (tests build it from a real session). */
export type Actor = Pick<CurrentUser, 'id' | 'permissions' | 'sellerStaff' | 'officialScopes'>;

type Verb = 'read' | 'update' | 'create';

/** Is the actor allowed `${verb}:product` on a product of this seller? `any` for everyone's, `own` for their seller's. */
export function canManageSellerProducts(actor: Actor, sellerId: number, verb: Verb = 'update') {
  if (userCan(actor, `${verb}:product:any`)) return true;
  return userCan(actor, `${verb}:product:own`) && actor.sellerStaff.some((s) => s.seller.id === sellerId);
}

export const NOT_YOUR_PRODUCT = '这件商品属于其他商家，您不能修改 / This product belongs to another seller';

/** 404 when there is no such product, 403 when it is not the actor's seller's (and they lack `any`). */
export async function assertCanManageProduct(actor: Actor, productId: number, verb: Verb = 'update') {
  const product = await prisma.product.findUnique({ where: { id: productId }, select: { id: true, sellerId: true, status: true, slug: true } });
  if (!product) notFound(`没有这件商品 / No product ${productId}`);
  if (!canManageSellerProducts(actor, product.sellerId, verb)) forbidden(NOT_YOUR_PRODUCT);
  return product;
}

/** Parses a numeric route parameter (400 otherwise). */
export function idParam(value: string | undefined, name = 'id') {
  if (!value || !/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
    throw new Response(`参数 ${name} 应为正整数 / ${name} must be a positive whole number`, { status: 400, statusText: 'Bad Request' });
  }
  return Number(value);
}

/** Route helper: the user may `verb` this product (login, permission, ownership). */
export async function requireProductAccess(request: Request, productId: number, verb: Verb = 'update') {
  const user = await requirePermission(request, `${verb}:product:own`);
  const product = await assertCanManageProduct(user, productId, verb);
  return { user, product };
}

/** The seller the user works for (their first one), with its verification status. */
export async function currentSeller(user: Pick<CurrentUser, 'sellerStaff'>) {
  const staff = [...user.sellerStaff].sort((a, b) => a.seller.id - b.seller.id)[0];
  if (!staff) return null;
  const seller = await prisma.seller.findUniqueOrThrow({
    where: { id: staff.seller.id },
    select: { id: true, slug: true, name: true, nameEn: true, verificationStatus: true, countyCode: true, county: { select: { name: true } } },
  });
  return { ...seller, isAdmin: staff.isAdmin };
}

/** Route helper: a verified seller's staff member holding `permission` (403 otherwise). */
export async function requireSellerStaff(request: Request, permission: 'read:seller:own' | 'update:seller:own' | 'create:product:own' | 'read:product:own' | 'update:product:own', options: { admin?: boolean } = {}) {
  const user = await requirePermission(request, permission);
  const seller = await currentSeller(user);
  if (!seller) forbidden('您还不是商家员工 / You are not staff of a seller');
  if (seller.verificationStatus !== 'VERIFIED') forbidden('商家尚未通过审核 / The seller is not verified yet');
  if (options.admin && !seller.isAdmin) forbidden('只有商家管理员可以这样做 / Only the seller’s admin can do this');
  return { user, seller };
}

// ---------- reviewing listings ----------

/**
 * What the actor may review: everything (`review:product:any`, platform admins), or the goods whose
 * origin lies in the western place of a pairing the official holds a WEST-side scope for
 * (`review:product:own`; certification is the western side's job). null: nothing.
 */
export async function reviewScope(actor: Actor): Promise<{ all: true } | { all: false; westPlaceCodes: string[]; pairingIds: number[] } | null> {
  if (userCan(actor, 'review:product:any')) return { all: true };
  if (!userCan(actor, 'review:product:own')) return null;
  const pairingIds = actor.officialScopes.filter((s) => s.side === 'WEST').map((s) => s.pairing.id);
  if (pairingIds.length === 0) return null;
  const pairings = await prisma.pairing.findMany({ where: { id: { in: pairingIds } }, select: { westPlaceCode: true } });
  return { all: false, westPlaceCodes: [...new Set(pairings.map((p) => p.westPlaceCode))], pairingIds };
}

export async function canReviewOrigin(actor: Actor, originCode: string) {
  const scope = await reviewScope(actor);
  if (!scope) return false;
  if (scope.all) return true;
  const pairings = await pairingsForOrigin(originCode);
  return pairings.some((p) => scope.pairingIds.includes(p.id));
}

/** Route helper: a reviewer with some scope (403 otherwise). */
export async function requireReviewer(request: Request) {
  const user = await requirePermission(request, 'review:product:own');
  const scope = await reviewScope(user);
  if (!scope) forbidden('您没有可审核的结对范围（需西部协作办或平台管理员） / You have no review scope (western-side officials and platform admins review)');
  return { user, scope };
}
