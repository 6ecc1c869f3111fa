// Member allowances: grants, spends (never negative, also from two devices at once), refunds, expiry
// return (once across instances) and the union report.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Prisma } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import { actorFor, freshUser } from '../../../tests/helpers/actors';
import { AllowanceError, allowanceReport, chinaDate, grantAllowances, memberAllowances, refundAllowance, returnExpiredAllowances, spendAllowance } from './allowances.server';
import { freshOrganisation } from './test-fixtures';

const inDays = (n: number) => chinaDate(new Date(Date.now() + n * 86400_000));
// A bare order row for the movements to point at (allowance_movement.order_id has its FK), consistent with
// the ledger check: allowance_fen is what it spends. Made inside the spending transaction (`tx`) when the
// spend may fail, so a refused spend leaves no order behind; CANCELLED for an order whose spend is given back.
let buyerId: number | undefined;
async function nextOrder(allowanceFen: number, opts: { tx?: Prisma.TransactionClient; state?: 'CANCELLED' } = {}) {
  buyerId ??= (await freshUser()).id;
  const o = await (opts.tx ?? prisma).order.create({
    data: { buyerId, flow: 'HELPED_SALES', allowanceFen, state: opts.state ?? 'AWAITING_PAYMENT', provinceCode: '440000', cityCode: '440100', districtCode: '440112', street: '开发大道 1 号', recipient: '王先生', mobile: '13800138000',
      provider: 'BANK_TRANSFER', totalFen: allowanceFen, reference: `T${crypto.randomBytes(6).toString('hex').toUpperCase()}`, expiresAt: new Date(Date.now() + 3600_000) },
    select: { id: true },
  });
  return o.id;
}

describe('allowances', () => {
  it('grants to members only, all or nothing', async () => {
    const { org, admin, members } = await freshOrganisation('UNION', 2);
    const stranger = await freshUser();
    const refused = await grantAllowances(org.id, [members[0]!.id, stranger.id], 60_000, inDays(30), admin);
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining(String(stranger.id)) });
    expect(await prisma.allowanceGrant.count({ where: { organisationId: org.id } })).toBe(0);
    expect(await grantAllowances(org.id, [members[0]!.id], 60_000, inDays(-1), admin)).toMatchObject({ ok: false });
    const ok = await grantAllowances(org.id, members.map((m) => m.id), 60_000, inDays(30), admin);
    expect(ok).toEqual({ ok: true, grants: 2, totalFen: 120_000 });
    expect((await memberAllowances(members[1]!.id, org.id)).usableFen).toBe(60_000);
    await expect(grantAllowances(org.id, [members[0]!.id], 100, inDays(3), await actorFor(members[0]!.email))).rejects.toMatchObject({ status: 403 });
    const budget = await freshOrganisation('BUDGET_UNIT', 1);
    expect(await grantAllowances(budget.org.id, [budget.members[0]!.id], 100, inDays(3), budget.admin)).toMatchObject({ ok: false });
  });

  it('spends across grants (earliest expiry first), refuses more than the balance, refunds once', async () => {
    const { org, admin, members } = await freshOrganisation('UNION', 1);
    const m = members[0]!;
    await grantAllowances(org.id, [m.id], 30_000, inDays(60), admin);
    await grantAllowances(org.id, [m.id], 20_000, inDays(10), admin);
    const order = await nextOrder(25_000, { state: 'CANCELLED' });
    const spends = await prisma.$transaction((tx) => spendAllowance(tx, { userId: m.id, organisationId: org.id, amountFen: 25_000, orderId: order }));
    const grants = await prisma.allowanceGrant.findMany({ where: { userId: m.id }, orderBy: { validUntil: 'asc' } });
    expect(spends).toEqual([{ grantId: grants[0]!.id, amountFen: 20_000 }, { grantId: grants[1]!.id, amountFen: 5_000 }]);
    expect(grants.map((g) => Number(g.balanceFen))).toEqual([0, 25_000]);
    await expect(prisma.$transaction(async (tx) => spendAllowance(tx, { userId: m.id, organisationId: org.id, amountFen: 25_001, orderId: await nextOrder(25_001, { tx }) }))).rejects.toBeInstanceOf(AllowanceError);
    expect((await memberAllowances(m.id, org.id)).usableFen).toBe(25_000);
    expect(await prisma.$transaction((tx) => refundAllowance(tx, { orderId: order }))).toBe(25_000);
    expect(await prisma.$transaction((tx) => refundAllowance(tx, { orderId: order }))).toBe(0);
    expect((await memberAllowances(m.id, org.id)).usableFen).toBe(50_000);
    await expect(prisma.$executeRaw`update allowance_movement set amount_fen = 1 where user_id = ${m.id}`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`update allowance_grant set balance_fen = -1 where user_id = ${m.id}`).rejects.toThrow(/allowance_grant_balance_nonnegative/);
  });

  it('two devices spending at once never take the balance below zero', async () => {
    const { org, admin, members } = await freshOrganisation('UNION', 1);
    const m = members[0]!;
    await grantAllowances(org.id, [m.id], 60_000, inDays(30), admin);
    // Each "device" holds its own transaction open a moment after spending, so the two truly overlap.
    const device = (amountFen: number) =>
      prisma.$transaction(async (tx) => {
        const s = await spendAllowance(tx, { userId: m.id, organisationId: org.id, amountFen, orderId: await nextOrder(amountFen, { tx }) });
        await new Promise((r) => setTimeout(r, 150));
        return s;
      }).then(() => 'ok', (e: unknown) => (e instanceof AllowanceError ? e.code : Promise.reject(e)));
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([device(40_000), device(40_000)]);
      if (round === 0) expect(results.sort()).toEqual(['insufficient', 'ok']);
      else expect(results).toEqual(['insufficient', 'insufficient']);
    }
    const many = await Promise.all(Array.from({ length: 8 }, () => device(2_000)));
    expect(many.filter((r) => r === 'ok')).toHaveLength(8);
    const [g] = await prisma.allowanceGrant.findMany({ where: { userId: m.id } });
    expect(Number(g!.balanceFen)).toBe(60_000 - 40_000 - 16_000);
    const sum = await prisma.allowanceMovement.aggregate({ where: { grantId: g!.id }, _sum: { amountFen: true } });
    expect(Number(sum._sum.amountFen)).toBe(Number(g!.balanceFen));
  });

  it('unspent allowance returns to the union after expiry, once, also with parallel runs; the report adds up', async () => {
    const { org, admin, members } = await freshOrganisation('UNION', 2);
    const [a, b] = members as [typeof members[0], typeof members[0]];
    await grantAllowances(org.id, [a.id, b.id], 60_000, inDays(2), admin);
    await grantAllowances(org.id, [a.id], 10_000, inDays(40), admin);
    const order = await nextOrder(45_000);
    await prisma.$transaction((tx) => spendAllowance(tx, { userId: a.id, organisationId: org.id, amountFen: 45_000, orderId: order }));
    // run on the day after the first grants' last day, from three "instances" at once
    const later = new Date(Date.now() + 3 * 86400_000);
    const runs = await Promise.all([returnExpiredAllowances(later), returnExpiredAllowances(later), returnExpiredAllowances(later)]);
    const again = await returnExpiredAllowances(later);
    expect(again.grants).toBe(0);
    const mine = await prisma.allowanceMovement.findMany({ where: { organisationId: org.id, kind: 'EXPIRY_RETURN' }, select: { userId: true, amountFen: true } });
    expect(mine.map((x) => [x.userId, Number(x.amountFen)]).sort()).toEqual([[a.id, -15_000], [b.id, -60_000]].sort());
    expect(runs.some((r) => r.ran)).toBe(true);
    // spending after the date is refused even though the row had balance before the return
    await expect(prisma.$transaction(async (tx) => spendAllowance(tx, { userId: b.id, organisationId: org.id, amountFen: 1, orderId: await nextOrder(1, { tx }), now: later }))).rejects.toMatchObject({ code: 'insufficient' });
    expect((await memberAllowances(a.id, org.id, later)).usableFen).toBe(10_000);
    const report = await allowanceReport(org.id);
    expect(report).toMatchObject({ grantedFen: 130_000, spentFen: 45_000, returnedFen: 75_000, outstandingFen: 10_000 });
    expect(report.grantedFen).toBe(report.spentFen + report.returnedFen + report.outstandingFen);
    expect(report.members.find((x) => x.userId === a.id)).toMatchObject({ grantedFen: 70_000, spentFen: 45_000, returnedFen: 15_000, balanceFen: 10_000 });
  });
});
