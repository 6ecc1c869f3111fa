import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { ledgerSelfCheck, LedgerError, postToLedger, reverseLedger, reverseManyLedger, totals } from './ledger.server';

const pairingId = async (slug: string) => (await prisma.pairing.findUniqueOrThrow({ where: { slug } })).id;
let seq = 0;
const sourceId = () => `test-${process.pid}-${Date.now()}-${seq++}`;
// Each test works on its own day far in the future so totals are not disturbed by other tests.
const day = (n: number) => new Date(Date.UTC(2031, 0, n, 4)); // 12:00 China time

const sale = (over: Partial<Parameters<typeof postToLedger>[1]> = {}) => ({
  sourceType: 'ORDER_LINE' as const, sourceId: sourceId(), amountFen: 15_800, quantity: 2, description: '盘州刺梨原液',
  statisticsKind: 'AGRI_LIVESTOCK' as const, flow: 'HELPED_SALES' as const, originCode: '520281', occurredAt: day(1), ...over,
});

describe('attribution ledger', () => {
  it('counts a 盘州 sale once for the group pairing and once for the city pairing', async () => {
    const p = sale({ occurredAt: day(2) });
    const written = await prisma.$transaction((tx) => postToLedger(tx, p));
    const [city, group] = [await pairingId('zhongshan-liupanshui'), await pairingId('zhongshan-xiaolan-panzhou')];
    expect(written.map((w) => [w.pairingId, w.pairingLevel]).sort()).toEqual([[city, 'TOP'], [group, 'GROUP']].sort());
    // posting the same line again (a redelivered webhook) writes nothing
    expect(await prisma.$transaction((tx) => postToLedger(tx, p))).toEqual([]);
    const t = await totals({ pairingId: city, from: '2031-01-02', to: '2031-01-02' });
    expect(t.totalFen).toBe(15_800);
    const g = await totals({ pairingId: group, from: '2031-01-02', to: '2031-01-02' });
    expect(g.totalFen).toBe(15_800);
  });

  it('counts 钟山 goods only at city level, 独山 goods for 黄埔 ↔ 独山', async () => {
    expect((await prisma.$transaction((tx) => postToLedger(tx, sale({ originCode: '520201', occurredAt: day(3) })))).map((w) => w.pairingLevel)).toEqual(['TOP']);
    const dushan = await prisma.$transaction((tx) => postToLedger(tx, sale({ originCode: '522726', occurredAt: day(3) })));
    expect(dushan).toEqual([expect.objectContaining({ pairingId: await pairingId('huangpu-dushan'), pairingLevel: 'TOP' })]);
  });

  it('respects the valid-from date of a pairing', async () => {
    expect(await prisma.$transaction((tx) => postToLedger(tx, sale({ occurredAt: new Date('2020-06-01T04:00:00Z') })))).toEqual([]);
  });

  it('never posts twice under concurrency', async () => {
    const p = sale({ occurredAt: day(4) });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => prisma.$transaction((tx) => postToLedger(tx, p))));
    const written = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    expect(written).toHaveLength(2);
    expect(await prisma.ledgerEntry.count({ where: { sourceId: String(p.sourceId) } })).toBe(2);
  });

  it('takes refunds back at both levels, never more than was counted', async () => {
    const p = sale({ occurredAt: day(5), amountFen: 30_000, quantity: 3 });
    await prisma.$transaction((tx) => postToLedger(tx, p));
    const city = await pairingId('zhongshan-liupanshui');
    const group = await pairingId('zhongshan-xiaolan-panzhou');
    const refund = { original: { sourceType: 'ORDER_LINE' as const, sourceId: p.sourceId }, sourceType: 'REFUND_LINE' as const, sourceId: sourceId(), amountFen: 10_000, quantity: 1, occurredAt: day(6) };
    expect(await prisma.$transaction((tx) => reverseLedger(tx, refund))).toHaveLength(2);
    expect(await prisma.$transaction((tx) => reverseLedger(tx, refund))).toEqual([]); // idempotent
    for (const id of [city, group]) expect((await totals({ pairingId: id, from: '2031-01-05', to: '2031-01-06' })).totalFen).toBe(20_000);
    await expect(prisma.$transaction((tx) => reverseLedger(tx, { ...refund, sourceId: sourceId(), amountFen: 20_001 }))).rejects.toBeInstanceOf(LedgerError);
    await prisma.$transaction((tx) => reverseLedger(tx, { ...refund, sourceId: sourceId(), amountFen: undefined, quantity: undefined }));
    for (const id of [city, group]) expect((await totals({ pairingId: id, from: '2031-01-05', to: '2031-01-06' })).totalFen).toBe(0);
  });

  it('takes several lines back in one statement: amounts on one original add up, too much writes nothing, a repeat is a no-op', async () => {
    const a = sale({ occurredAt: day(7), amountFen: 30_000, quantity: 3 });
    const b = sale({ occurredAt: day(7), amountFen: 5_000, quantity: 1, originCode: '522726' }); // 独山: 黄埔 ↔ 独山
    await prisma.$transaction(async (tx) => { await postToLedger(tx, a); await postToLedger(tx, b); });
    const city = await pairingId('zhongshan-liupanshui');
    const back = (p: typeof a, amountFen?: number, quantity?: number) => ({ original: { sourceType: 'ORDER_LINE' as const, sourceId: p.sourceId }, sourceType: 'REFUND_LINE' as const, sourceId: sourceId(), amountFen, quantity, occurredAt: day(8) });
    const tooMuch = [back(a, 20_000, 2), back(a, 10_001, 1)]; // 30,001 of 30,000 on one original
    await expect(prisma.$transaction((tx) => reverseManyLedger(tx, tooMuch))).rejects.toBeInstanceOf(LedgerError);
    expect((await totals({ pairingId: city, from: '2031-01-07', to: '2031-01-08' })).totalFen).toBe(30_000);
    const refund = [back(b), back(a, 20_000, 2), back(a, 10_000, 1)];
    expect(await prisma.$transaction((tx) => reverseManyLedger(tx, refund))).toHaveLength(2 + 2 + 1); // a at both levels twice, b at one
    expect(await prisma.$transaction((tx) => reverseManyLedger(tx, refund))).toEqual([]);
    expect((await totals({ pairingId: city, from: '2031-01-07', to: '2031-01-08' })).totalFen).toBe(0);
    expect((await totals({ pairingId: await pairingId('huangpu-dushan'), from: '2031-01-07', to: '2031-01-08' })).totalFen).toBe(0);
    expect(await ledgerSelfCheck()).toEqual([]);
  });

  it('refuses to update or delete entries (append-only)', async () => {
    const p = sale({ occurredAt: day(7) });
    await prisma.$transaction((tx) => postToLedger(tx, p));
    await expect(prisma.$executeRaw`update ledger_entry set amount_fen = 1 where source_id = ${p.sourceId}`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`delete from ledger_entry where source_id = ${p.sourceId}`).rejects.toThrow(/append-only/);
  });

  it('groups by month, county, kind, flow and sub-pairing; every grouping sums to the total', async () => {
    const city = await pairingId('zhongshan-liupanshui');
    const window = { from: '2031-03-01', to: '2031-04-30' };
    const before = await totals({ pairingId: city, ...window });
    const posts = [
      sale({ originCode: '520281', amountFen: 1000, occurredAt: new Date('2031-03-10T04:00:00Z') }),
      sale({ originCode: '520204', amountFen: 2000, statisticsKind: 'HANDICRAFT', occurredAt: new Date('2031-03-20T04:00:00Z') }),
      sale({ originCode: '520201', amountFen: 4000, flow: 'PROCUREMENT', occurredAt: new Date('2031-04-01T04:00:00Z') }),
      // 23:30 on 30 April in China is still April there, though it is 15:30 UTC
      sale({ originCode: '520203', amountFen: 8000, occurredAt: new Date('2031-04-30T15:30:00Z') }),
    ];
    await prisma.$transaction(async (tx) => {
      for (const p of posts) await postToLedger(tx, p);
    });
    const t = await totals({ pairingId: city, ...window, groupBy: ['month', 'county', 'kind', 'flow', 'subPairing'] });
    expect(t.totalFen - before.totalFen).toBe(15_000);
    for (const g of [['month'], ['county'], ['kind'], ['flow'], ['subPairing'], ['month', 'kind']] as const) {
      const r = await totals({ pairingId: city, ...window, groupBy: [...g] });
      expect(r.groups.reduce((s, x) => s + x.amountFen, 0), g.join('+')).toBe(r.totalFen);
    }
    const bySub = await totals({ pairingId: city, ...window, groupBy: ['subPairing'] });
    const sub = Object.fromEntries(bySub.groups.map((g) => [g.key.subPairing, g.amountFen]));
    expect(sub['—']).toBeGreaterThanOrEqual(4000); // 钟山: no group pairing
    const byMonth = await totals({ pairingId: city, from: '2031-04-30', to: '2031-04-30', groupBy: ['month'] });
    expect(byMonth.groups.map((g) => g.key.month)).toContain('2031-04');
    expect(await ledgerSelfCheck()).toEqual([]);
  });

  it('rejects fractional or negative amounts', async () => {
    await expect(prisma.$transaction((tx) => postToLedger(tx, sale({ amountFen: 12.5 })))).rejects.toBeInstanceOf(LedgerError);
    await expect(prisma.$transaction((tx) => postToLedger(tx, sale({ amountFen: -1 })))).rejects.toBeInstanceOf(LedgerError);
  });
});
