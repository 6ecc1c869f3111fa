// Who sees what in the officials' console. One function decides it for every page and API call:
// an official sees the pairings of their official_scope rows (east or west side alike) and, for a
// city-level pairing, its group pairings (组团); holders of read:console:any (admins) see every pairing;
// anyone else is refused.
import { json, redirect } from '@remix-run/node';
import { getUser, userCan, type CurrentUser } from '~/modules/accounts/session.server';
import type { PermissionString } from '~/modules/accounts/permissions';
import { prisma } from '~/modules/db/db.server';

export type ScopePairing = {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  parentId: number | null;
  westPlaceCode: string;
  eastPlaceCode: string;
  validFrom: string;
  side: 'EAST' | 'WEST' | null;
};

export type ConsoleScope = {
  user: CurrentUser;
  /** read:console:any — sees and may act on every pairing */
  isAdmin: boolean;
  pairings: ScopePairing[];
  pairingIds: number[];
  /** the user holds `action:entity` (own or any); scope limits which pairings it applies to */
  can: (permission: `${string}:${string}`) => boolean;
};

const select = { id: true, slug: true, nameZh: true, nameEn: true, parentId: true, westPlaceCode: true, eastPlaceCode: true, validFrom: true } as const;
type Row = { id: number; slug: string; nameZh: string; nameEn: string; parentId: number | null; westPlaceCode: string; eastPlaceCode: string; validFrom: Date };
const toScope = (p: Row, side: ScopePairing['side']): ScopePairing => ({ ...p, validFrom: p.validFrom.toISOString().slice(0, 10), side });

/** The pairings `user` may see in the console (empty without read:console). */
export async function consoleScopeOf(user: CurrentUser): Promise<ConsoleScope> {
  const can = (permission: `${string}:${string}`) => userCan(user, `${permission}:own` as PermissionString);
  const isAdmin = userCan(user, 'read:console:any');
  let pairings: ScopePairing[] = [];
  if (isAdmin) {
    const all = await prisma.pairing.findMany({ select, orderBy: [{ parentId: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }] });
    pairings = all.map((p) => toScope(p, null));
  } else if (userCan(user, 'read:console:own') && user.officialScopes.length) {
    const ids = user.officialScopes.map((s) => s.pairing.id);
    const side = new Map(user.officialScopes.map((s) => [s.pairing.id, s.side as 'EAST' | 'WEST']));
    const rows = await prisma.pairing.findMany({ where: { OR: [{ id: { in: ids } }, { parentId: { in: ids } }] }, select, orderBy: { id: 'asc' } });
    // parents first, each followed by its group pairings
    const tops = rows.filter((p) => ids.includes(p.id));
    for (const t of tops) {
      pairings.push(toScope(t, side.get(t.id) ?? null));
      for (const c of rows.filter((r) => r.parentId === t.id && !ids.includes(r.id))) pairings.push(toScope(c, side.get(t.id) ?? null));
    }
  }
  return { user, isAdmin, pairings, pairingIds: pairings.map((p) => p.id), can };
}

type Options = { api?: boolean; permission?: `${string}:${string}` };

function deny(api: boolean | undefined, status: 401 | 403 | 404, message: string, request: Request): never {
  if (api) throw json({ error: { status, message } }, { status });
  if (status === 401) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  throw new Response(message, { status, statusText: status === 404 ? 'Not Found' : 'Forbidden' });
}

/**
 * Every console page and API call starts here. Not logged in → login (pages) or 401 (APIs); no console
 * permission → 403; `pairingSlug` given but unknown → 404, outside the scope → 403. `permission`
 * (e.g. 'create:import') is checked on top of read:console.
 */
export async function requireConsoleScope(request: Request, pairingSlug?: string | null, options: Options = {}) {
  const user = await getUser(request);
  if (!user) deny(options.api, 401, '请先登录 / Log in first', request);
  if (!userCan(user, 'read:console:own')) deny(options.api, 403, '没有权限 / Forbidden: needs read:console', request);
  if (options.permission && !userCan(user, `${options.permission}:own` as PermissionString)) {
    deny(options.api, 403, `没有权限 / Forbidden: needs ${options.permission}`, request);
  }
  const scope = await consoleScopeOf(user);
  if (pairingSlug === undefined || pairingSlug === null) return { ...scope, pairing: null };
  if (!/^[a-z0-9-]{1,80}$/.test(pairingSlug)) deny(options.api, 404, `No pairing ${pairingSlug.slice(0, 80)}`, request);
  const pairing = scope.pairings.find((p) => p.slug === pairingSlug);
  if (!pairing) {
    const exists = await prisma.pairing.findUnique({ where: { slug: pairingSlug }, select: { id: true } });
    if (!exists) deny(options.api, 404, `No pairing ${pairingSlug}`, request);
    deny(options.api, 403, '该结对不在您的范围内 / This pairing is not in your scope', request);
  }
  return { ...scope, pairing };
}

/** The place codes whose goods an official may import: west places of the pairings in scope (and below). */
export function westPlaces(scope: ConsoleScope) {
  return [...new Set(scope.pairings.map((p) => p.westPlaceCode))];
}
