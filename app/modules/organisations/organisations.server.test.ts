// Organisations: access, details with credit code and invoice data, invitations (single use, expiry,
// right email), buyer role and approver grants, member removal, approval threshold.
import { describe, expect, it } from 'vitest';
import { parseWithZod } from '@conform-to/zod';
import { prisma } from '~/modules/db/db.server';
import { LoggingMailer } from '~/modules/mail/mailer.server';
import { actorFor, creditCodeFor, freshUser } from '../../../tests/helpers/actors';
import {
  acceptInvitation, invitationByToken, inviteMember, myOrganisations, needsApproval, orgAccess, removeMember,
  revokeInvitation, setApprovalThreshold, setApprover, setMemberRole, updateOrganisation,
} from './organisations.server';
import { organisationSchema } from './schemas';
import { freshOrganisation } from './test-fixtures';

const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
};
const tokenOf = (link: string) => link.split('/').pop()!;
const roleNames = async (userId: number) => (await prisma.userRole.findMany({ where: { userId }, select: { role: { select: { name: true } } } })).map((r) => r.role.name).sort();

describe('organisation details', () => {
  it('validates the credit code check character and saves invoice details; the credit code is unique', async () => {
    const { org, admin } = await freshOrganisation('BUDGET_UNIT');
    const good = creditCodeFor('440112');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const fields = { name: '黄埔区测试局', placeCode: '440112', invoiceTitle: '黄埔区测试局', taxNumber: good, invoiceAddress: '广州市黄埔区测试路1号', invoicePhone: '020-12345678', invoiceBank: '工商银行黄埔支行', invoiceBankAccount: '3602 0000 1234 5678 901' };
    const rejected = parseWithZod(form({ ...fields, creditCode: bad }), { schema: organisationSchema });
    expect(rejected.status === 'error' && rejected.error?.creditCode).toEqual([expect.stringContaining('校验位不正确')]);
    // a tax number its own orders would refuse is refused here too (16 characters; an O, which 税号 never hold)
    for (const wrong of ['9144200012345678', good.slice(0, 17) + 'O']) {
      const r = parseWithZod(form({ ...fields, taxNumber: wrong }), { schema: organisationSchema });
      expect(r.status === 'error' && r.error?.taxNumber, wrong).toEqual(['税号应为 15、18 或 20 位字母数字 / The tax number has 15, 18 or 20 letters and digits']);
    }
    const ok = parseWithZod(form({ ...fields, creditCode: good.toLowerCase() }), { schema: organisationSchema });
    if (ok.status !== 'success') throw new Error('form should pass');
    expect(ok.value.invoiceBankAccount).toBe('3602000012345678901');
    expect(await updateOrganisation(admin, org.id, ok.value)).toEqual({ ok: true });
    const saved = await prisma.organisation.findUniqueOrThrow({ where: { id: org.id } });
    expect(saved).toMatchObject({ creditCode: good, placeCode: '440112', invoiceBank: '工商银行黄埔支行', invoiceBankAccount: '3602000012345678901' });

    const other = await freshOrganisation('BUDGET_UNIT');
    expect(await updateOrganisation(other.admin, other.org.id, ok.value)).toMatchObject({ ok: false, field: 'creditCode' });
    expect(await updateOrganisation(admin, org.id, { ...ok.value, placeCode: '999999' })).toMatchObject({ ok: false, field: 'placeCode' });
  });

  it('only admins of this organisation change it; members read it; strangers get 403', async () => {
    const { org, members } = await freshOrganisation('UNION', 1);
    const member = await actorFor(members[0]!.email);
    const stranger = await actorFor((await freshUser()).email);
    expect(await orgAccess(member, org.id)).toMatchObject({ isMember: true, isAdmin: false });
    await expect(orgAccess(stranger, org.id)).rejects.toMatchObject({ status: 403 });
    await expect(orgAccess(stranger, 987654321)).rejects.toMatchObject({ status: 404 });
    await expect(setApprovalThreshold(member, org.id, { threshold: 100 })).rejects.toMatchObject({ status: 403 });
    const otherAdmin = (await freshOrganisation()).admin;
    await expect(setApprovalThreshold(otherAdmin, org.id, { threshold: 100 })).rejects.toMatchObject({ status: 403 });
    expect((await myOrganisations(members[0]!.id)).map((o) => o.id)).toEqual([org.id]);
  });

  it('orders above the approval threshold need approval; no threshold, none', async () => {
    const { org, admin } = await freshOrganisation('BUDGET_UNIT');
    expect(await needsApproval(org.id, 10_000_000)).toBe(false);
    await setApprovalThreshold(admin, org.id, { threshold: 500_000 });
    expect(await needsApproval(org.id, 500_000)).toBe(false);
    expect(await needsApproval(org.id, 500_001)).toBe(true);
    await setApprovalThreshold(admin, org.id, { threshold: null });
    expect(await needsApproval(org.id, 500_001)).toBe(false);
  });
});

describe('members', () => {
  it('invitation link: right email only, single use, the buyer role given with it', async () => {
    const { org, admin } = await freshOrganisation();
    const invitee = await freshUser();
    const mailer = new LoggingMailer(() => {});
    const r = await inviteMember(admin, org.id, { email: invitee.email.toUpperCase(), role: 'BUYER' }, { baseUrl: 'http://x/', mailer });
    if (!r.ok) throw new Error(r.message);
    expect(mailer.sent[0]?.text).toContain(r.link);
    const token = tokenOf(r.link);
    expect(await invitationByToken(token)).toMatchObject({ state: 'open', email: invitee.email });
    const wrong = await freshUser();
    expect(await acceptInvitation(wrong, token)).toMatchObject({ ok: false, message: expect.stringContaining(invitee.email) });
    const results = await Promise.all([acceptInvitation(invitee, token), acceptInvitation(invitee, token)]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    expect(await prisma.membership.findUnique({ where: { userId_organisationId: { userId: invitee.id, organisationId: org.id } } })).toMatchObject({ role: 'BUYER' });
    expect(await roleNames(invitee.id)).toContain('org_buyer');
    expect(await acceptInvitation(invitee, token)).toMatchObject({ ok: false });
    expect(await inviteMember(admin, org.id, { email: invitee.email, role: 'MEMBER' }, { baseUrl: 'http://x/', mailer })).toMatchObject({ ok: false });
  });

  it('expired and withdrawn invitations cannot be used', async () => {
    const { org, admin } = await freshOrganisation();
    const invitee = await freshUser();
    const mailer = new LoggingMailer(() => {});
    const old = await inviteMember(admin, org.id, { email: invitee.email, role: 'MEMBER' }, { baseUrl: 'http://x/', mailer, now: new Date(Date.now() - 8 * 86400_000) });
    if (!old.ok) throw new Error('invite failed');
    expect(await acceptInvitation(invitee, tokenOf(old.link))).toMatchObject({ ok: false, message: expect.stringContaining('过期') });
    const fresh = await inviteMember(admin, org.id, { email: invitee.email, role: 'MEMBER' }, { baseUrl: 'http://x/', mailer });
    if (!fresh.ok) throw new Error('invite failed');
    const inv = await prisma.organisationInvitation.findFirstOrThrow({ where: { organisationId: org.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } });
    expect(await revokeInvitation(admin, org.id, inv.id)).toBe(true);
    expect(await acceptInvitation(invitee, tokenOf(fresh.link))).toMatchObject({ ok: false, message: expect.stringContaining('撤销') });
    expect(await prisma.membership.count({ where: { organisationId: org.id, userId: invitee.id } })).toBe(0);
  });

  it('grant and revoke the buyer role, approver flag, remove a member (never an admin or oneself)', async () => {
    const { org, admin, adminUser, members } = await freshOrganisation('UNION', 2);
    const [a, b] = members as [typeof members[0], typeof members[0]];
    expect(await setMemberRole(admin, org.id, a.id, 'BUYER')).toEqual({ ok: true });
    expect(await roleNames(a.id)).toEqual(['consumer', 'org_buyer']);
    expect(await orgAccess(await actorFor(a.email), org.id)).toMatchObject({ role: 'BUYER', canBuy: true });
    expect(await setMemberRole(admin, org.id, a.id, 'MEMBER')).toEqual({ ok: true });
    expect(await roleNames(a.id)).toEqual(['consumer']);
    expect(await setMemberRole(admin, org.id, adminUser.id, 'MEMBER')).toMatchObject({ ok: false });
    expect(await setApprover(admin, org.id, b.id, true)).toEqual({ ok: true });
    expect(await orgAccess(await actorFor(b.email), org.id)).toMatchObject({ canApprove: true, isAdmin: false });
    expect(await removeMember(admin, org.id, adminUser.id)).toMatchObject({ ok: false });
    await expect(removeMember(await actorFor(b.email), org.id, a.id)).rejects.toMatchObject({ status: 403 });
    expect(await removeMember(admin, org.id, a.id)).toEqual({ ok: true });
    expect(await prisma.membership.count({ where: { organisationId: org.id } })).toBe(2);
    expect(await removeMember(admin, org.id, a.id)).toMatchObject({ ok: false });
  });
});
