// The seller's sales report agrees with the attribution ledger read another way: its months add up to its
// share of each pairing, and each pairing's total is the one the officials' totals() gives.
import { describe, expect, it } from 'vitest';
import { totals } from '~/modules/attribution/ledger.server';
import { prisma } from '~/modules/db/db.server';
import { sellerSales } from './sales.server';

describe('seller sales report', () => {
  it('months, pairing shares and pairing totals agree with the ledger for every demo seller with sales', async () => {
    const rows = await prisma.$queryRaw<Array<{ sellerId: number; year: number }>>`
      select distinct seller_id as "sellerId", extract(year from occurred_at at time zone 'Asia/Shanghai')::int as year
      from ledger_entry where seller_id is not null and pairing_level = 'TOP' order by 1, 2 limit 6`;
    expect(rows.length).toBeGreaterThan(0); // the demo import files name sellers
    for (const { sellerId, year } of rows) {
      const report = await sellerSales(sellerId, year);
      expect(report.byMonth).toHaveLength(12);
      expect(report.totalFen).not.toBe(0);
      // months (one query) = the seller's part of each pairing (another query)
      expect(report.pairings.reduce((s, p) => s + p.sellerFen, 0)).toBe(report.totalFen);
      for (const p of report.pairings) {
        const official = await totals({ pairingId: p.pairingId, from: `${year}-01-01`, to: `${year}-12-31` });
        expect(p.totalFen, `pairing ${p.pairingId} ${year}`).toBe(official.totalFen);
        expect(p.sellerFen).toBeLessThanOrEqual(p.totalFen);
        expect(p.sharePercent).toBeCloseTo((p.sellerFen / p.totalFen) * 100, 1);
      }
    }
  });

  it('a seller without sales gets twelve empty months and no pairings', async () => {
    const none = await prisma.seller.findFirstOrThrow({ where: { id: { notIn: (await prisma.ledgerEntry.findMany({ where: { sellerId: { not: null } }, distinct: ['sellerId'], select: { sellerId: true } })).map((r) => r.sellerId!) } }, select: { id: true } });
    const report = await sellerSales(none.id, 2021);
    expect(report.totalFen).toBe(0);
    expect(report.byMonth.every((m) => m.amountFen === 0 && m.quantity === 0)).toBe(true);
    expect(report.pairings).toEqual([]);
  });
});
