// Test helpers: real sessions for demo or fresh users, and the Actor the seller modules take.
import crypto from 'node:crypto';
import sharp from 'sharp';
import { hashPassword } from '~/modules/accounts/password.server';
import { createSession, getUser } from '~/modules/accounts/session.server';
import { createSeller } from '~/modules/catalog/catalog.server';
import { creditCodeCheckChar } from '~/modules/catalog/credit-code';
import { prisma } from '~/modules/db/db.server';

const cookies = new Map<string, string>();

/** A Cookie header value for a real session of the user with this email. */
export async function sessionCookie(email: string) {
  const cached = cookies.get(email);
  if (cached) return cached;
  const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const setCookie = await createSession(user.id, new Request('http://x/'));
  const cookie = setCookie.split(';')[0]!;
  cookies.set(email, cookie);
  return cookie;
}

/** A request carrying the session of `email` (null: anonymous). */
export async function requestAs(email: string | null, url: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (email) headers.set('cookie', await sessionCookie(email));
  return new Request(new URL(url, 'http://x').toString(), { ...init, headers });
}

export async function actorFor(email: string) {
  const user = await getUser(await requestAs(email, '/'));
  if (!user) throw new Error(`no session for ${email}`);
  return user;
}

export const uniq = () => crypto.randomBytes(4).toString('hex');

/** A valid 统一社会信用代码 for a county, random in its organisation part. */
export function creditCodeFor(countyCode: string) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let org = '';
  for (let i = 0; i < 9; i++) org += alphabet[crypto.randomInt(alphabet.length)];
  const first17 = `93${countyCode}${org}`;
  return first17 + creditCodeCheckChar(first17)!;
}

let hash: Promise<string> | undefined;

/**
 * A fresh user (consumer role unless given), for tests that change users. Tests sign in with
 * createSession, so one password hash is shared (argon2 is slow on purpose).
 */
export async function freshUser(roles: string[] = ['consumer']) {
  const email = `t-${uniq()}@test.shanhai.cn`;
  hash ??= hashPassword('test-password-1');
  const roleRows = await prisma.role.findMany({ where: { name: { in: roles } }, select: { id: true } });
  const user = await prisma.user.create({ data: { email, name: '测试用户', passwordHash: await hash, roles: { create: roleRows.map((r) => ({ roleId: r.id })) } } });
  return { ...user, email };
}

/** A fresh verified seller in a county with one admin staff member. */
export async function freshSeller(countyCode = '520281') {
  const seller = await createSeller({
    slug: `t-seller-${uniq()}`, name: '测试合作社', kind: 'COOPERATIVE', creditCode: creditCodeFor(countyCode), countyCode,
    contactName: '张三', contactPhone: '13800000000', verificationStatus: 'VERIFIED',
  });
  const staff = await freshUser(['seller_staff']);
  await prisma.sellerStaff.create({ data: { userId: staff.id, sellerId: seller.id, isAdmin: true } });
  return { seller, staff };
}

/** A real image of the given size and format, made with sharp. */
export async function imageBytes(width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png') {
  return sharp({ create: { width, height, channels: 3, background: { r: 180, g: 60, b: 40 } } })[format]().toBuffer();
}
