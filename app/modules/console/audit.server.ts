// The audit log as the console shows it: admins (read:audit:any) see everything; officials see the
// actions on the pairings in their scope and their own actions.
import type { Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import type { ConsoleScope } from './scope.server';

export type ConsoleAuditFilter = { action?: string; pairingId?: number; actorEmail?: string; from?: string; to?: string };

export async function consoleAudit(scope: Pick<ConsoleScope, 'user' | 'isAdmin' | 'pairingIds'> & { seesAll: boolean }, f: ConsoleAuditFilter, page: { take: number; skip: number }) {
  const and: Prisma.AuditLogWhereInput[] = [];
  if (!scope.seesAll) and.push({ OR: [{ pairingId: { in: scope.pairingIds } }, { actorId: scope.user.id }] });
  if (f.action) and.push({ action: { startsWith: f.action } });
  if (f.pairingId) and.push({ pairingId: f.pairingId });
  if (f.actorEmail) {
    const actor = await prisma.user.findUnique({ where: { email: f.actorEmail.trim().toLowerCase() }, select: { id: true } });
    and.push({ actorId: actor?.id ?? -1 });
  }
  if (f.from) and.push({ createdAt: { gte: new Date(`${f.from}T00:00:00+08:00`) } });
  if (f.to) and.push({ createdAt: { lt: new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000) } });
  const where: Prisma.AuditLogWhereInput = and.length ? { AND: and } : {};
  const [total, rows] = await Promise.all([
    prisma.auditLog.count({ where }),
    prisma.auditLog.findMany({ where, orderBy: { id: 'desc' }, take: page.take, skip: page.skip }),
  ]);
  const actors = await prisma.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.actorId).filter((x): x is number => x !== null))] } }, select: { id: true, name: true, email: true } });
  const pairings = await prisma.pairing.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.pairingId).filter((x): x is number => x !== null))] } }, select: { id: true, slug: true, nameZh: true } });
  return {
    total,
    items: rows.map((r) => ({
      id: Number(r.id), action: r.action, entityType: r.entityType, entityId: r.entityId, details: r.details, ip: r.ip, createdAt: r.createdAt.toISOString(),
      actor: actors.find((a) => a.id === r.actorId) ?? null, pairing: pairings.find((p) => p.id === r.pairingId) ?? null,
    })),
  };
}
