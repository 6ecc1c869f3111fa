import crypto from 'node:crypto';
import { createCookie, redirect } from '@remix-run/node';
import { clientIp } from './rate-limit.server';
import { prisma } from '~/modules/db/db.server';
import { env } from '~/modules/env/env.server';
import { hasPermission, type Permission, type PermissionString } from './permissions';

export const SESSION_DAYS = 30;

export const sessionCookie = createCookie('shanhai_session', {
  httpOnly: true,
  sameSite: 'lax',
  path: '/',
  // runtime NODE_ENV (the bundler inlines process.env.NODE_ENV at build time)
  secure: env().NODE_ENV === 'production',
  secrets: [env().SESSION_SECRET],
  maxAge: SESSION_DAYS * 24 * 3600,
});

export async function createSession(userId: number, request: Request) {
  const id = crypto.randomBytes(32).toString('base64url');
  await prisma.session.create({
    data: {
      id,
      userId,
      expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000),
      userAgent: (request.headers.get('user-agent') ?? '').slice(0, 300),
      ip: clientIp(request),
    },
  });
  return sessionCookie.serialize(id);
}

async function sessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie.parse(request.headers.get('cookie'));
  return typeof value === 'string' && value.length > 20 && value.length < 100 ? value : null;
}

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getUser>>>;

const userSelect = {
  id: true, email: true, name: true, locale: true,
  roles: { select: { role: { select: { name: true, nameZh: true, permissions: { select: { permission: { select: { action: true, entity: true, access: true } } } } } } } },
  memberships: { select: { role: true, organisation: { select: { id: true, name: true, kind: true } } } },
  sellerStaff: { select: { isAdmin: true, seller: { select: { id: true, slug: true, name: true } } } },
  officialScopes: { select: { side: true, pairing: { select: { id: true, slug: true, nameZh: true, nameEn: true } } } },
} as const;

type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;
const findUser = (id: number) => prisma.user.findUnique({ where: { id }, select: userSelect });

function withPermissions(row: UserRow, sessionId: string) {
  const { roles, ...user } = row;
  const permissions = new Map<string, Permission>();
  for (const r of roles) for (const p of r.role.permissions) permissions.set(`${p.permission.action}:${p.permission.entity}:${p.permission.access}`, p.permission as Permission);
  return { ...user, roles: roles.map((r) => ({ name: r.role.name, nameZh: r.role.nameZh })), permissions: [...permissions.values()], sessionId };
}

/** The logged-in user with roles and permissions, or null. Expired or revoked sessions count as none. */
export async function getUser(request: Request) {
  const id = await sessionId(request);
  if (!id) return null;
  const session = await prisma.session.findUnique({
    where: { id },
    select: { expiresAt: true, revokedAt: true, user: { select: userSelect } },
  });
  if (!session || session.revokedAt || session.expiresAt < new Date()) return null;
  return withPermissions(session.user, id);
}

/** The same user object without a session, for command-line tools and the demo seed (`--as <email>`). */
export async function getUserByEmail(email: string) {
  const row = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  const user = row ? await findUser(row.id) : null;
  return user ? withPermissions(user, '') : null;
}

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const to = url.pathname + url.search;
  return redirect(`/login?redirectTo=${encodeURIComponent(to)}`);
}

export async function requireUser(request: Request) {
  const user = await getUser(request);
  if (!user) throw loginRedirect(request);
  return user;
}

export function userCan(user: Pick<CurrentUser, 'permissions'> | null, permission: PermissionString) {
  return Boolean(user && hasPermission(user.permissions, permission));
}

/** 403 unless the user holds the permission (`own` is satisfied by `any`). */
export async function requirePermission(request: Request, permission: PermissionString) {
  const user = await requireUser(request);
  if (!userCan(user, permission)) {
    throw new Response(`没有权限 / Forbidden: needs ${permission}`, { status: 403, statusText: 'Forbidden' });
  }
  return user;
}

export async function logout(request: Request) {
  const id = await sessionId(request);
  if (id) await prisma.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return sessionCookie.serialize('', { maxAge: 0 });
}

/** A redirect target from user input: only same-site paths. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/') {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  return to;
}

/** The user's live sessions (for the account page), the current one first. */
export async function listSessions(userId: number, currentId: string) {
  const rows = await prisma.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'desc' },
    select: { id: true, createdAt: true, expiresAt: true, userAgent: true, ip: true },
  });
  return rows
    .map((s) => ({ ...s, key: s.id.slice(0, 8), current: s.id === currentId, id: undefined }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** Revoke one session of the user by its public key (the first 8 characters), or all but the current one. */
export async function revokeSessions(userId: number, currentId: string, which: { key: string } | 'others') {
  if (which === 'others') {
    return (await prisma.session.updateMany({ where: { userId, revokedAt: null, id: { not: currentId } }, data: { revokedAt: new Date() } })).count;
  }
  return (await prisma.session.updateMany({ where: { userId, revokedAt: null, id: { startsWith: which.key, not: currentId } }, data: { revokedAt: new Date() } })).count;
}
