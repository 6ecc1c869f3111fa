import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { createUser, EmailTakenError, verifyLogin } from './accounts.server';
import { hitRateLimit } from './rate-limit.server';
import { createSession, getUser, logout, requirePermission, safeRedirect } from './session.server';

const unique = () => `u${Date.now()}${Math.round(Math.random() * 1e6)}@example.cn`;

async function requestWith(cookieHeader: string) {
  const cookie = cookieHeader.split(';')[0]!;
  return new Request('http://x/account', { headers: { cookie } });
}

describe('accounts', () => {
  it('hashes passwords with argon2 and verifies them', async () => {
    const email = unique();
    const user = await createUser({ email: email.toUpperCase(), name: '测试', password: 'correct horse' });
    expect(user.email).toBe(email);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyLogin(email, 'correct horse')).toEqual({ id: user.id });
    expect(await verifyLogin(email, 'wrong horse')).toBeNull();
    expect(await verifyLogin('nobody@example.cn', 'whatever')).toBeNull();
    await expect(createUser({ email, name: 'x', password: 'another one' })).rejects.toBeInstanceOf(EmailTakenError);
  });

  it('keeps sessions in the database: revocable and expiring', async () => {
    const user = await createUser({ email: unique(), name: 'S', password: 'password123' });
    const setCookie = await createSession(user.id, new Request('http://x/'));
    const request = await requestWith(setCookie);
    expect((await getUser(request))?.id).toBe(user.id);
    await logout(request);
    expect(await getUser(request)).toBeNull();

    const other = await requestWith(await createSession(user.id, new Request('http://x/')));
    await prisma.session.updateMany({ where: { userId: user.id, revokedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await getUser(other)).toBeNull();
    // a forged cookie value (not signed with our secret) is ignored
    expect(await getUser(new Request('http://x/', { headers: { cookie: 'shanhai_session=abcdefghijklmnopqrstuvwxyz0123456789' } }))).toBeNull();
  });

  it('guards by permission: consumers get 403 on admin permissions, anonymous users a login redirect', async () => {
    const user = await createUser({ email: unique(), name: 'C', password: 'password123' });
    const request = await requestWith(await createSession(user.id, new Request('http://x/')));
    await expect(requirePermission(request, 'read:account:own')).resolves.toMatchObject({ id: user.id });
    const denied = await requirePermission(request, 'read:console:any').catch((r: Response) => r);
    expect((denied as Response).status).toBe(403);
    const anon = await requirePermission(new Request('http://x/console?a=1'), 'read:console:any').catch((r: Response) => r);
    expect((anon as Response).status).toBe(302);
    expect((anon as Response).headers.get('location')).toBe('/login?redirectTo=%2Fconsole%3Fa%3D1');
  });

  it('rate-limits with a shared fixed window', async () => {
    const key = `test:${unique()}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => hitRateLimit(key, 5, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect(results.every((r) => r.retryAfter >= 1 && r.retryAfter <= 60)).toBe(true);
  });

  it('only redirects to same-site paths', () => {
    expect(safeRedirect('/account')).toBe('/account');
    expect(safeRedirect('//evil.example')).toBe('/');
    expect(safeRedirect('https://evil.example')).toBe('/');
    expect(safeRedirect('/\\evil')).toBe('/');
    expect(safeRedirect(null, '/x')).toBe('/x');
  });
});

describe('session list and revoke-all', () => {
  it('lists live sessions and signs out the others, keeping the current one', async () => {
    const { listSessions, revokeSessions } = await import('./session.server');
    const user = await createUser({ email: unique(), name: 'D', password: 'password123' });
    const current = await requestWith(await createSession(user.id, new Request('http://x/', { headers: { 'user-agent': 'phone' } })));
    const other = await requestWith(await createSession(user.id, new Request('http://x/', { headers: { 'user-agent': 'laptop' } })));
    const me = (await getUser(current))!;
    const sessions = await listSessions(user.id, me.sessionId);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({ current: true, userAgent: 'phone' });
    expect(await revokeSessions(user.id, me.sessionId, 'others')).toBe(1);
    expect(await getUser(other)).toBeNull();
    expect((await getUser(current))?.id).toBe(user.id);
  });
});
