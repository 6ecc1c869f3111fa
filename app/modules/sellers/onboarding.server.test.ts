// Applications (credit code with check digit, county, licence) and staff invitations.
import { describe, expect, it } from 'vitest';
import { parseWithZod } from '@conform-to/zod';
import { getUser } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';
import { LoggingMailer } from '~/modules/mail/mailer.server';
import { checkImage, DOCUMENT_IMAGE_RULES } from '~/modules/storage/images.server';
import { actorFor, creditCodeFor, freshSeller, freshUser, imageBytes, requestAs } from '../../../tests/helpers/actors';
import { applyToSell, approveApplication, rejectApplication } from './applications.server';
import { applySchema } from './schemas';
import { acceptInvitation, invitationByToken, inviteStaff } from './staff.server';

async function licence() {
  const r = await checkImage({ filename: 'licence.jpg', bytes: await imageBytes(1000, 700, 'jpeg'), size: 1 }, DOCUMENT_IMAGE_RULES);
  if (!r.ok) throw new Error(r.message);
  return r;
}

const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
};
const goodFields = (creditCode: string) => ({ name: '独山县测试香菇专业合作社', kind: 'COOPERATIVE' as const, creditCode, countyCode: '522726', contactName: '王五', contactPhone: '13912345678' });

describe('seller applications', () => {
  it('the form rejects a credit code with a wrong check character, with the reason on that field', () => {
    const good = creditCodeFor('522726');
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const s = parseWithZod(form(goodFields(bad)), { schema: applySchema });
    expect(s.status).toBe('error');
    expect(s.status === 'error' && s.error?.creditCode).toEqual([expect.stringContaining('校验位不正确')]);
    const ok = parseWithZod(form({ ...goodFields(good.toLowerCase()) }), { schema: applySchema });
    expect(ok.status === 'success' && ok.value.creditCode).toBe(good);
  });

  it('apply → approve creates a verified seller; the applicant becomes its admin with seller_staff', async () => {
    const applicant = await freshUser();
    const code = creditCodeFor('522726');
    const r = await applyToSell(applicant.id, goodFields(code), await licence());
    expect(r).toMatchObject({ ok: true });
    expect(await applyToSell(applicant.id, goodFields(code), await licence())).toMatchObject({ ok: false, field: 'creditCode', message: expect.stringContaining('待审核') });
    if (!r.ok) return;

    const consumer = await actorFor('consumer@demo.shanhai.cn');
    await expect(approveApplication(consumer, r.applicationId)).rejects.toMatchObject({ status: 403 });
    const admin = await actorFor('admin@demo.shanhai.cn');
    const approved = await approveApplication(admin, r.applicationId);
    expect(approved).toMatchObject({ ok: true });
    expect(await approveApplication(admin, r.applicationId)).toMatchObject({ ok: false });
    const seller = await prisma.seller.findUniqueOrThrow({ where: { creditCode: code }, include: { staff: true } });
    expect(seller).toMatchObject({ verificationStatus: 'VERIFIED', countyCode: '522726', name: '独山县测试香菇专业合作社' });
    expect(seller.staff).toEqual([expect.objectContaining({ userId: applicant.id, isAdmin: true })]);
    const user = await actorFor(applicant.email);
    expect(user.roles.map((x) => x.name)).toContain('seller_staff');
    // The credit code is now a seller's: a new application with it is refused.
    expect(await applyToSell(applicant.id, goodFields(code), await licence())).toMatchObject({ ok: false, field: 'creditCode', message: expect.stringContaining('已注册') });
  });

  it('reject keeps the reason; a county must be a county; a licence is required', async () => {
    const applicant = await freshUser();
    expect(await applyToSell(applicant.id, { ...goodFields(creditCodeFor('522726')), countyCode: '522700' }, await licence())).toMatchObject({ ok: false, field: 'countyCode' });
    expect(await applyToSell(applicant.id, goodFields(creditCodeFor('522726')), null)).toMatchObject({ ok: false, field: 'licence' });
    const r = await applyToSell(applicant.id, goodFields(creditCodeFor('522726')), await licence());
    if (!r.ok) throw new Error(r.message);
    const admin = await actorFor('admin@demo.shanhai.cn');
    expect(await rejectApplication(admin, r.applicationId, '营业执照不清晰')).toEqual({ ok: true });
    expect(await prisma.sellerApplication.findUniqueOrThrow({ where: { id: r.applicationId } })).toMatchObject({ status: 'REJECTED', rejectionReason: '营业执照不清晰', sellerId: null });
  });
});

describe('staff invitations', () => {
  it('a single-use link for the invited email makes the invitee staff', async () => {
    const { seller, staff } = await freshSeller('522726');
    const admin = await actorFor(staff.email);
    const invitee = await freshUser();
    const mailer = new LoggingMailer(() => {});
    const r = await inviteStaff(admin, seller.id, invitee.email.toUpperCase(), { baseUrl: 'http://shop.test', mailer });
    if (!r.ok) throw new Error(r.message);
    expect(r.link).toMatch(/^http:\/\/shop\.test\/seller\/invitations\/[A-Za-z0-9_-]{43}$/);
    expect(mailer.sent.at(-1)).toMatchObject({ to: invitee.email, text: expect.stringContaining(r.link) });
    const token = r.link.split('/').pop()!;
    expect(await prisma.sellerInvitation.count({ where: { tokenHash: token } })).toBe(0); // only the hash is stored

    const stranger = await freshUser();
    expect(await acceptInvitation(stranger, token)).toMatchObject({ ok: false, message: expect.stringContaining(invitee.email) });
    const [a, b] = await Promise.all([acceptInvitation(invitee, token), acceptInvitation(invitee, token)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(await invitationByToken(token)).toMatchObject({ state: 'used' });
    const user = await getUser(await requestAs(invitee.email, '/'));
    expect(user?.sellerStaff.map((s) => s.seller.id)).toEqual([seller.id]);
    expect(user?.roles.map((x) => x.name)).toContain('seller_staff');
    expect(user?.sellerStaff[0]?.isAdmin).toBe(false);
  });

  it('an expired link does not work; only the seller’s admin may invite', async () => {
    const { seller, staff } = await freshSeller('522726');
    const admin = await actorFor(staff.email);
    const invitee = await freshUser();
    const r = await inviteStaff(admin, seller.id, invitee.email, { baseUrl: 'http://x', mailer: new LoggingMailer(() => {}), now: new Date(Date.now() - 8 * 86_400_000) });
    if (!r.ok) throw new Error(r.message);
    expect(await acceptInvitation(invitee, r.link.split('/').pop()!)).toMatchObject({ ok: false, message: expect.stringContaining('过期') });
    const dushan = await actorFor('coop-dushan@demo.shanhai.cn');
    await expect(inviteStaff(dushan, seller.id, 'someone@test.shanhai.cn', { baseUrl: 'http://x', mailer: new LoggingMailer(() => {}) })).rejects.toMatchObject({ status: 403 });
    expect(await acceptInvitation(invitee, 'not-a-token')).toMatchObject({ ok: false });
  });
});
