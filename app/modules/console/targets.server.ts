// Yearly targets per pairing (pairing_target), set by officials holding update:target for the pairing.
// One atomic upsert; the change and the value it replaced are audited in the same transaction.
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import type { ConsoleScope, ScopePairing } from './scope.server';

export class TargetError extends Error {}

export async function setTarget(scope: Pick<ConsoleScope, 'user' | 'can' | 'pairingIds'>, pairing: ScopePairing, year: number, targetFen: number, request?: Request) {
  if (!scope.can('update:target') || !scope.pairingIds.includes(pairing.id)) throw new TargetError('forbidden');
  if (!Number.isSafeInteger(targetFen) || targetFen <= 0) throw new TargetError('target must be a positive whole number of 分');
  return prisma.$transaction(async (tx) => {
    const [old] = await tx.$queryRaw<Array<{ targetFen: bigint }>>`select target_fen as "targetFen" from pairing_target where pairing_id = ${pairing.id} and year = ${year} for update`;
    await tx.$executeRaw`
      insert into pairing_target (pairing_id, year, target_fen, updated_by_id, updated_at) values (${pairing.id}, ${year}, ${targetFen}, ${scope.user.id}, now())
      on conflict (pairing_id, year) do update set target_fen = excluded.target_fen, updated_by_id = excluded.updated_by_id, updated_at = now()`;
    await writeAudit(tx, {
      actorId: scope.user.id, action: 'target.update', entityType: 'pairing_target', entityId: `${pairing.slug}/${year}`, pairingId: pairing.id,
      details: { year, fromFen: old ? Number(old.targetFen) : null, toFen: targetFen }, request,
    });
    return { year, targetFen, previousFen: old ? Number(old.targetFen) : null };
  });
}
