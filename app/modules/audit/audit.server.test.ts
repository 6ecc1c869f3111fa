import { expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { listAudit, writeAudit } from './audit.server';

it('records actions in the same transaction and never lets them change', async () => {
  const entityId = `t-${Date.now()}`;
  await expect(
    prisma.$transaction(async (tx) => {
      await writeAudit(tx, { actorId: null, action: 'test.rolled-back', entityType: 'test', entityId });
      throw new Error('the action failed');
    }),
  ).rejects.toThrow('the action failed');
  expect((await listAudit({ entityType: 'test', entityId }, { take: 10, skip: 0 })).total).toBe(0);

  await prisma.$transaction((tx) => writeAudit(tx, { actorId: null, action: 'test.done', entityType: 'test', entityId, details: { amountFen: 100 } }));
  const { items } = await listAudit({ entityType: 'test', entityId }, { take: 10, skip: 0 });
  expect(items).toHaveLength(1);
  expect(items[0]!.details).toEqual({ amountFen: 100 });
  await expect(prisma.$executeRaw`update audit_log set action = 'x' where entity_id = ${entityId}`).rejects.toThrow(/append-only/);
  await expect(prisma.$executeRaw`delete from audit_log where entity_id = ${entityId}`).rejects.toThrow(/append-only/);
});
