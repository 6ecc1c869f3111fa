// Organisations that buy (unions 工会, budget units 预算单位, enterprises): their details (place,
// 统一社会信用代码, invoice details), members, invitations and approval settings.
// Access: a member of an organisation reads it; its admins (membership role ADMIN and the permission
// update:organisation:own) change it; platform staff with read/update:organisation:any see and manage all.
import crypto from 'node:crypto';
import type { z } from 'zod';
import type { Prisma } from '~/generated/prisma/client';
import { requireUser, userCan, type CurrentUser } from '~/modules/accounts/session.server';
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { badRequest, forbidden, notFound } from '~/modules/http/http.server';
import type { Mailer } from '~/modules/mail/mailer.server';
import type { approvalSchema, organisationSchema } from './schemas';

export type OrgActor = Pick<CurrentUser, 'id' | 'email' | 'permissions'>;
export const INVITATION_DAYS = 7;
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{32,64}$/;
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export type OrgAccess = {
  organisationId: number;
  role: 'MEMBER' | 'BUYER' | 'ADMIN' | null;
  isMember: boolean;
  isAdmin: boolean;
  canApprove: boolean;
  canBuy: boolean;
};

/** What the actor may do in the organisation; 404 when it does not exist, 403 when the actor is no member and no platform staff. */
export async function orgAccess(actor: OrgActor, organisationId: number): Promise<OrgAccess> {
  const org = await prisma.organisation.findUnique({ where: { id: organisationId }, select: { id: true } });
  if (!org) notFound('没有这个单位 / No such organisation');
  const m = await prisma.membership.findUnique({ where: { userId_organisationId: { userId: actor.id, organisationId } }, select: { role: true, isApprover: true } });
  const staffRead = userCan(actor, 'read:organisation:any');
  const staffUpdate = userCan(actor, 'update:organisation:any');
  if (!m && !staffRead && !staffUpdate) forbidden('您不是这个单位的成员 / You are not a member of this organisation');
  const isAdmin = staffUpdate || (m?.role === 'ADMIN' && userCan(actor, 'update:organisation:own'));
  return {
    organisationId,
    role: m?.role ?? null,
    isMember: Boolean(m),
    isAdmin,
    canApprove: Boolean(m && (m.role === 'ADMIN' || m.isApprover)) || staffUpdate,
    canBuy: Boolean(m && (m.role === 'BUYER' || m.role === 'ADMIN') && userCan(actor, 'create:organisation-order:own')),
  };
}

export async function requireOrgAdmin(actor: OrgActor, organisationId: number) {
  const access = await orgAccess(actor, organisationId);
  if (!access.isAdmin) forbidden('只有单位管理员可以进行此操作 / Only the organisation’s admins can do this');
  return access;
}

/** The organisations the user belongs to, with their role. */
export async function myOrganisations(userId: number) {
  const rows = await prisma.membership.findMany({
    where: { userId },
    select: { role: true, isApprover: true, organisation: { select: { id: true, name: true, kind: true, placeCode: true, place: { select: { name: true } }, _count: { select: { members: true } } } } },
    orderBy: { organisationId: 'asc' },
  });
  return rows.map((r) => ({ role: r.role, isApprover: r.isApprover, id: r.organisation.id, name: r.organisation.name, kind: r.organisation.kind, placeCode: r.organisation.placeCode, placeName: r.organisation.place.name, members: r.organisation._count.members }));
}

export async function organisationDetails(organisationId: number) {
  const org = await prisma.organisation.findUnique({
    where: { id: organisationId },
    select: {
      id: true, name: true, kind: true, creditCode: true, placeCode: true, invoiceTitle: true, taxNumber: true, invoiceAddress: true,
      invoicePhone: true, invoiceBank: true, invoiceBankAccount: true, approvalThresholdFen: true, createdAt: true,
      place: { select: { name: true } },
    },
  });
  if (!org) notFound('没有这个单位 / No such organisation');
  return { ...org, placeName: org.place.name, approvalThresholdFen: org.approvalThresholdFen === null ? null : Number(org.approvalThresholdFen) };
}

export type UpdateResult = { ok: true } | { ok: false; field: string; message: string };

export async function updateOrganisation(actor: OrgActor, organisationId: number, input: z.output<typeof organisationSchema>, request?: Request): Promise<UpdateResult> {
  await requireOrgAdmin(actor, organisationId);
  const place = await prisma.place.findUnique({ where: { code: input.placeCode }, select: { code: true } });
  if (!place) return { ok: false, field: 'placeCode', message: '所在地代码不存在 / Unknown place code' };
  try {
    await prisma.$transaction(async (tx) => {
      await tx.organisation.update({ where: { id: organisationId }, data: input });
      await writeAudit(tx, { actorId: actor.id, action: 'organisation.update', entityType: 'organisation', entityId: organisationId, details: input, request });
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return { ok: false, field: 'creditCode', message: '该统一社会信用代码已被其他单位使用 / Another organisation has this credit code' };
    throw error;
  }
  return { ok: true };
}

export async function setApprovalThreshold(actor: OrgActor, organisationId: number, input: z.output<typeof approvalSchema>, request?: Request) {
  await requireOrgAdmin(actor, organisationId);
  await prisma.$transaction(async (tx) => {
    await tx.organisation.update({ where: { id: organisationId }, data: { approvalThresholdFen: input.threshold === null ? null : BigInt(input.threshold) } });
    await writeAudit(tx, { actorId: actor.id, action: 'organisation.approval', entityType: 'organisation', entityId: organisationId, details: { thresholdFen: input.threshold }, request });
  });
}

/** Whether an organisation order of `amountFen` must wait for an approver (for checkout). */
export async function needsApproval(organisationId: number, amountFen: number) {
  const org = await prisma.organisation.findUnique({ where: { id: organisationId }, select: { approvalThresholdFen: true } });
  return Boolean(org?.approvalThresholdFen !== null && org?.approvalThresholdFen !== undefined && BigInt(amountFen) > org.approvalThresholdFen);
}

export async function membersOf(organisationId: number) {
  return prisma.membership.findMany({
    where: { organisationId },
    select: { role: true, isApprover: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: [{ role: 'desc' }, { userId: 'asc' }],
  });
}

// ---- invitations ----

export type InviteResult = { ok: true; link: string; expiresAt: Date } | { ok: false; message: string };

export async function inviteMember(actor: OrgActor, organisationId: number, input: { email: string; role: 'MEMBER' | 'BUYER' }, options: { baseUrl: string; mailer: Mailer; now?: Date }): Promise<InviteResult> {
  await requireOrgAdmin(actor, organisationId);
  const address = input.email.trim().toLowerCase();
  const already = await prisma.membership.findFirst({ where: { organisationId, user: { email: address } }, select: { userId: true } });
  if (already) return { ok: false, message: '此邮箱已经是本单位成员 / This email is already a member' };
  const token = crypto.randomBytes(32).toString('base64url');
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600 * 1000);
  const org = await prisma.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { name: true } });
  await prisma.organisationInvitation.create({ data: { organisationId, email: address, role: input.role, tokenHash: hashToken(token), invitedById: actor.id, expiresAt } });
  const link = new URL(`/org/invitations/${token}`, options.baseUrl).toString();
  await options.mailer.send({
    to: address,
    subject: `邀请您加入「${org.name}」 / Join ${org.name} on Shanhai Market`,
    text: `请在 ${INVITATION_DAYS} 天内打开下面的链接，注册或登录（使用 ${address}）后即成为单位成员：\n${link}\n\nOpen this link within ${INVITATION_DAYS} days, then sign up or log in with ${address} to join.`,
  });
  return { ok: true, link, expiresAt };
}

export async function openInvitations(organisationId: number, now = new Date()) {
  return prisma.organisationInvitation.findMany({
    where: { organisationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true, email: true, role: true, expiresAt: true },
    orderBy: { createdAt: 'desc' },
  });
}

export async function revokeInvitation(actor: OrgActor, organisationId: number, invitationId: number) {
  await requireOrgAdmin(actor, organisationId);
  const r = await prisma.organisationInvitation.updateMany({ where: { id: invitationId, organisationId, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
  return r.count === 1;
}

export type InvitationView = { state: 'open' | 'expired' | 'used' | 'revoked'; organisationName: string; email: string };

export async function invitationByToken(token: string, now = new Date()): Promise<InvitationView | null> {
  if (!TOKEN_FORMAT.test(token)) return null;
  const inv = await prisma.organisationInvitation.findUnique({ where: { tokenHash: hashToken(token) }, select: { email: true, expiresAt: true, acceptedAt: true, revokedAt: true, organisation: { select: { name: true } } } });
  if (!inv) return null;
  const state = inv.acceptedAt ? 'used' : inv.revokedAt ? 'revoked' : inv.expiresAt <= now ? 'expired' : 'open';
  return { state, organisationName: inv.organisation.name, email: inv.email };
}

export type AcceptResult = { ok: true; organisationId: number } | { ok: false; message: string };

/** Accepts an invitation for the logged-in user; the conditional UPDATE makes the link single-use under concurrency. */
export async function acceptInvitation(user: { id: number; email: string }, token: string, now = new Date()): Promise<AcceptResult> {
  const view = await invitationByToken(token, now);
  if (!view) return { ok: false, message: '邀请链接无效 / This invitation link is not valid' };
  if (view.state === 'used') return { ok: false, message: '此邀请已被使用 / This invitation has already been used' };
  if (view.state === 'revoked') return { ok: false, message: '此邀请已被撤销 / This invitation was withdrawn' };
  if (view.state === 'expired') return { ok: false, message: '此邀请已过期，请联系单位管理员重新邀请 / This invitation has expired; ask for a new one' };
  const email = user.email.toLowerCase();
  if (view.email !== email) return { ok: false, message: `此邀请发给 ${view.email}，请用该邮箱注册或登录 / This invitation is for ${view.email}: sign up or log in with that email` };
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<Array<{ organisationId: number; role: 'MEMBER' | 'BUYER' }>>`
      update organisation_invitation set accepted_at = now(), accepted_by_id = ${user.id}
      where token_hash = ${hashToken(token)} and accepted_at is null and revoked_at is null and expires_at > ${now} and email = ${email}
      returning organisation_id as "organisationId", role::text as role`;
    const inv = claimed[0];
    if (!inv) return { ok: false as const, message: '此邀请已被使用 / This invitation has already been used' };
    const existing = await tx.membership.findUnique({ where: { userId_organisationId: { userId: user.id, organisationId: inv.organisationId } }, select: { role: true } });
    if (!existing) await tx.membership.create({ data: { userId: user.id, organisationId: inv.organisationId, role: inv.role } });
    else if (existing.role === 'MEMBER' && inv.role === 'BUYER') await tx.membership.update({ where: { userId_organisationId: { userId: user.id, organisationId: inv.organisationId } }, data: { role: 'BUYER' } });
    if (inv.role === 'BUYER') await grantGlobalRole(tx, user.id, 'org_buyer');
    await writeAudit(tx, { actorId: user.id, action: 'organisation.join', entityType: 'organisation', entityId: inv.organisationId, details: { role: inv.role } });
    return { ok: true as const, organisationId: inv.organisationId };
  });
}

type Tx = Prisma.TransactionClient;

async function grantGlobalRole(tx: Tx, userId: number, roleName: string) {
  const role = await tx.role.findUniqueOrThrow({ where: { name: roleName }, select: { id: true } });
  await tx.userRole.upsert({ where: { userId_roleId: { userId, roleId: role.id } }, create: { userId, roleId: role.id }, update: {} });
}

/** Drops the global buying role when no membership of the user needs it any more. */
async function dropGlobalBuyerRoleIfUnused(tx: Tx, userId: number) {
  const still = await tx.membership.count({ where: { userId, role: { in: ['BUYER', 'ADMIN'] } } });
  if (still > 0) return;
  const role = await tx.role.findUniqueOrThrow({ where: { name: 'org_buyer' }, select: { id: true } });
  await tx.userRole.deleteMany({ where: { userId, roleId: role.id } });
}

export type MemberResult = { ok: true } | { ok: false; message: string };

async function lockMember(tx: Tx, organisationId: number, userId: number) {
  const rows = await tx.$queryRaw<Array<{ role: 'MEMBER' | 'BUYER' | 'ADMIN' }>>`
    select role::text as role from membership where organisation_id = ${organisationId} and user_id = ${userId} for update`;
  return rows[0] ?? null;
}

/** Gives (BUYER) or takes back (MEMBER) the buyer role of a member. Admins keep their role. */
export async function setMemberRole(actor: OrgActor, organisationId: number, userId: number, role: 'MEMBER' | 'BUYER', request?: Request): Promise<MemberResult> {
  await requireOrgAdmin(actor, organisationId);
  return prisma.$transaction(async (tx) => {
    const m = await lockMember(tx, organisationId, userId);
    if (!m) return { ok: false as const, message: '此用户不是本单位成员 / Not a member of this organisation' };
    if (m.role === 'ADMIN') return { ok: false as const, message: '管理员的角色不能在此修改 / An admin’s role cannot be changed here' };
    if (m.role === role) return { ok: true as const };
    await tx.membership.update({ where: { userId_organisationId: { userId, organisationId } }, data: { role } });
    if (role === 'BUYER') await grantGlobalRole(tx, userId, 'org_buyer');
    else await dropGlobalBuyerRoleIfUnused(tx, userId);
    await writeAudit(tx, { actorId: actor.id, action: role === 'BUYER' ? 'organisation.buyer.grant' : 'organisation.buyer.revoke', entityType: 'organisation', entityId: organisationId, details: { userId }, request });
    return { ok: true as const };
  });
}

export async function setApprover(actor: OrgActor, organisationId: number, userId: number, isApprover: boolean, request?: Request): Promise<MemberResult> {
  await requireOrgAdmin(actor, organisationId);
  return prisma.$transaction(async (tx) => {
    const r = await tx.membership.updateMany({ where: { organisationId, userId }, data: { isApprover } });
    if (r.count !== 1) return { ok: false as const, message: '此用户不是本单位成员 / Not a member of this organisation' };
    await writeAudit(tx, { actorId: actor.id, action: isApprover ? 'organisation.approver.grant' : 'organisation.approver.revoke', entityType: 'organisation', entityId: organisationId, details: { userId }, request });
    return { ok: true as const };
  });
}

/** Removes a member (not an admin, not oneself). Their allowance grants stay for the union's records. */
export async function removeMember(actor: OrgActor, organisationId: number, userId: number, request?: Request): Promise<MemberResult> {
  await requireOrgAdmin(actor, organisationId);
  if (userId === actor.id) return { ok: false, message: '不能移除自己 / You cannot remove yourself' };
  return prisma.$transaction(async (tx) => {
    const m = await lockMember(tx, organisationId, userId);
    if (!m) return { ok: false as const, message: '此用户不是本单位成员 / Not a member of this organisation' };
    if (m.role === 'ADMIN') return { ok: false as const, message: '不能移除单位管理员 / An admin cannot be removed here' };
    await tx.membership.delete({ where: { userId_organisationId: { userId, organisationId } } });
    await dropGlobalBuyerRoleIfUnused(tx, userId);
    await writeAudit(tx, { actorId: actor.id, action: 'organisation.member.remove', entityType: 'organisation', entityId: organisationId, details: { userId }, request });
    return { ok: true as const };
  });
}

/** `:id` of an organisation route: a positive whole number, else 400. */
export function orgIdParam(value: string | undefined) {
  if (!value || !/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647) badRequest('单位编号应为正整数 / The organisation id must be a positive whole number');
  return Number(value);
}

/** The logged-in user and what they may do in the organisation of the route (login redirect, 400, 403, 404). */
export async function requireOrgMember(request: Request, idText: string | undefined, options: { admin?: boolean } = {}) {
  const user = await requireUser(request);
  const organisationId = orgIdParam(idText);
  const access = options.admin ? await requireOrgAdmin(user, organisationId) : await orgAccess(user, organisationId);
  return { user, access, organisationId };
}
