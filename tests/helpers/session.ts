// Requests as a logged-in demo user, for calling loaders and actions the way Remix calls them.
import { createSession, getUser } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';
import { consoleScopeOf } from '~/modules/console/scope.server';

const cookies = new Map<string, string>();

export async function cookieFor(email: string) {
  let c = cookies.get(email);
  if (!c) {
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    c = (await createSession(user.id, new Request('http://x/login'))).split(';')[0]!;
    cookies.set(email, c);
  }
  return c;
}

/** A Request to `url` (path) as `email` (or anonymous when null); `init` as for fetch. */
export async function requestAs(email: string | null, url: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (email) headers.set('cookie', await cookieFor(email));
  return new Request(`http://x${url}`, { ...init, headers });
}

export async function scopeOf(email: string) {
  const user = await getUser(await requestAs(email, '/'));
  if (!user) throw new Error(`no session for ${email}`);
  return consoleScopeOf(user);
}

export const DEMO = {
  consumer: 'consumer@demo.shanhai.cn',
  zs: 'official-zs-lps@demo.shanhai.cn',
  hp: 'official-hp-ds@demo.shanhai.cn',
  admin: 'admin@demo.shanhai.cn',
  union: 'union@demo.shanhai.cn',
  coop: 'coop-panzhou@demo.shanhai.cn',
} as const;
