// Staff invitations: the seller's admin invites a colleague by email. The link carries a random token
// (only its SHA-256 is stored), expires after INVITATION_DAYS and works once. The invitee signs up or
// logs in with the invited email and becomes staff (role seller_staff) of the seller.
import crypto from 'node:crypto';
import { userCan } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';
import { forbidden } from '~/modules/http/http.server';
import type { Mailer } from '~/modules/mail/mailer.server';
import type { Actor } from './access.server';
import { INVITATION_DAYS } from './limits';
import { notify } from './notifications.server';

export { INVITATION_DAYS };

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{32,64}$/;

function assertSellerAdmin(actor: Actor, sellerId: number) {
  const staff = actor.sellerStaff.find((s) => s.seller.id === sellerId);
  if (userCan(actor, 'update:seller:any')) return;
  if (!userCan(actor, 'update:seller:own') || !staff?.isAdmin) forbidden('只有商家管理员可以邀请员工 / Only the seller’s admin can invite staff');
}

export type InviteResult = { ok: true; link: string; expiresAt: Date } | { ok: false; message: string };

export async function inviteStaff(actor: Actor, sellerId: number, email: string, options: { baseUrl: string; mailer: Mailer; now?: Date }): Promise<InviteResult> {
  assertSellerAdmin(actor, sellerId);
  const address = email.trim().toLowerCase();
  const already = await prisma.sellerStaff.findFirst({ where: { sellerId, user: { email: address } }, select: { userId: true } });
  if (already) return { ok: false, message: '此邮箱已经是本商家员工 / This email is already staff of the seller' };
  const token = crypto.randomBytes(32).toString('base64url');
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600 * 1000);
  const seller = await prisma.seller.findUniqueOrThrow({ where: { id: sellerId }, select: { name: true } });
  await prisma.sellerInvitation.create({ data: { sellerId, email: address, tokenHash: hashToken(token), invitedById: actor.id, expiresAt } });
  const link = new URL(`/seller/invitations/${token}`, options.baseUrl).toString();
  await options.mailer.send({
    to: address,
    subject: `邀请您加入「${seller.name}」的山海集商家后台 / Join ${seller.name} on Shanhai Market`,
    text: `请在 ${INVITATION_DAYS} 天内打开下面的链接，注册或登录（使用 ${address}）后即成为商家员工：\n${link}\n\nOpen this link within ${INVITATION_DAYS} days, then sign up or log in with ${address} to join as staff.`,
  });
  return { ok: true, link, expiresAt };
}

export async function sellerStaffList(sellerId: number) {
  return prisma.sellerStaff.findMany({ where: { sellerId }, select: { isAdmin: true, user: { select: { id: true, name: true, email: true } } }, orderBy: { userId: 'asc' } });
}

export async function openInvitations(sellerId: number, now = new Date()) {
  return prisma.sellerInvitation.findMany({
    where: { sellerId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, expiresAt: true, createdAt: true },
    orderBy: { createdAt: 'desc' },
  });
}

export async function revokeInvitation(actor: Actor, sellerId: number, invitationId: number) {
  assertSellerAdmin(actor, sellerId);
  const r = await prisma.sellerInvitation.updateMany({ where: { id: invitationId, sellerId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  return r.count === 1;
}

export type InvitationView = { state: 'open' | 'expired' | 'used' | 'revoked'; sellerName: string; email: string };

export async function invitationByToken(token: string, now = new Date()): Promise<InvitationView | null> {
  if (!TOKEN_FORMAT.test(token)) return null;
  const inv = await prisma.sellerInvitation.findUnique({ where: { tokenHash: hashToken(token) }, select: { email: true, expiresAt: true, acceptedAt: true, revokedAt: true, seller: { select: { name: true } } } });
  if (!inv) return null;
  const state = inv.acceptedAt ? 'used' : inv.revokedAt ? 'revoked' : inv.expiresAt <= now ? 'expired' : 'open';
  return { state, sellerName: inv.seller.name, email: inv.email };
}

export type AcceptResult = { ok: true; sellerId: number } | { ok: false; message: string };

/**
 * Accepts an invitation for the logged-in user. The conditional UPDATE is the single-use guarantee:
 * of two concurrent accepts only one finds the row still open.
 */
export async function acceptInvitation(user: { id: number; email: string }, token: string, now = new Date()): Promise<AcceptResult> {
  const view = await invitationByToken(token, now);
  if (!view) return { ok: false, message: '邀请链接无效 / This invitation link is not valid' };
  if (view.state === 'used') return { ok: false, message: '此邀请已被使用 / This invitation has already been used' };
  if (view.state === 'revoked') return { ok: false, message: '此邀请已被撤销 / This invitation was withdrawn' };
  if (view.state === 'expired') return { ok: false, message: '此邀请已过期，请联系商家管理员重新邀请 / This invitation has expired; ask for a new one' };
  if (view.email !== user.email.toLowerCase()) {
    return { ok: false, message: `此邀请发给 ${view.email}，请用该邮箱注册或登录 / This invitation is for ${view.email}: sign up or log in with that email` };
  }
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<Array<{ sellerId: number }>>`
      update seller_invitation set accepted_at = now(), accepted_by_id = ${user.id}
      where token_hash = ${hashToken(token)} and accepted_at is null and revoked_at is null and expires_at > ${now} and email = ${user.email.toLowerCase()}
      returning seller_id as "sellerId"`;
    const sellerId = claimed[0]?.sellerId;
    if (!sellerId) return { ok: false as const, message: '此邀请已被使用 / This invitation has already been used' };
    await tx.sellerStaff.upsert({ where: { userId_sellerId: { userId: user.id, sellerId } }, create: { userId: user.id, sellerId }, update: {} });
    const role = await tx.role.findUniqueOrThrow({ where: { name: 'seller_staff' }, select: { id: true } });
    await tx.userRole.upsert({ where: { userId_roleId: { userId: user.id, roleId: role.id } }, create: { userId: user.id, roleId: role.id }, update: {} });
    await notify({ kind: 'STAFF_JOINED', sellerId, titleZh: `新员工已加入：${user.email}`, titleEn: `New staff member: ${user.email}`, link: '/seller/staff' }, tx);
    return { ok: true as const, sellerId };
  });
}
