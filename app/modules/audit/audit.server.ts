// Append-only audit trail. Write it in the same transaction as the action it records, so an action
// and its audit row exist together or not at all.
import { clientIp } from '~/modules/accounts/rate-limit.server';
import type { Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';

type Tx = Prisma.TransactionClient;

export type AuditInput = {
  actorId: number | null;
  action: string;
  entityType: string;
  entityId: string | number;
  pairingId?: number | null;
  details?: Prisma.InputJsonValue;
  request?: Request;
};

export async function writeAudit(tx: Tx, a: AuditInput) {
  const ip = a.request ? clientIp(a.request) : '';
  await tx.auditLog.create({
    data: { actorId: a.actorId, action: a.action, entityType: a.entityType, entityId: String(a.entityId), pairingId: a.pairingId ?? null, details: a.details ?? {}, ip },
  });
}

export type AuditFilter = { action?: string; entityType?: string; entityId?: string; actorId?: number; pairingIds?: number[]; from?: Date; to?: Date };

export async function listAudit(filter: AuditFilter, page: { take: number; skip: number }) {
  const where: Prisma.AuditLogWhereInput = {
    action: filter.action ? { startsWith: filter.action } : undefined,
    entityType: filter.entityType,
    entityId: filter.entityId,
    actorId: filter.actorId,
    pairingId: filter.pairingIds ? { in: filter.pairingIds } : undefined,
    createdAt: filter.from || filter.to ? { gte: filter.from, lte: filter.to } : undefined,
  };
  const [total, rows] = await Promise.all([
    prisma.auditLog.count({ where }),
    prisma.auditLog.findMany({ where, orderBy: { id: 'desc' }, take: page.take, skip: page.skip }),
  ]);
  return { total, items: rows.map((r) => ({ ...r, id: Number(r.id) })) };
}
