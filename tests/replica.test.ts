// Reports on a read replica: with DATABASE_REPLICA_URL set, ledger totals, the officials' dashboard and
// the drill-down read from a real streaming replica of the test database (tests/helpers/replica.ts),
// while orders and payments write to the primary. Replay is paused to prove where each read goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryFilter } from '~/modules/console/entries.server';
import { startReplica, type Replica } from './helpers/replica';

// The app reads its environment once (some modules at import), so the app modules are imported only
// after DATABASE_REPLICA_URL is set.
const app = async () => ({
  ...(await import('~/modules/attribution/check.server')),
  ...(await import('~/modules/attribution/ledger.server')),
  ...(await import('~/modules/console/entries.server')),
  ...(await import('~/modules/db/db.server')),
  ...(await import('~/modules/orders/orders.server')),
  ...(await import('~/modules/payments/payments.server')),
  ...(await import('./helpers/orders')),
});

let replica: Replica;

beforeAll(async () => {
  replica = await startReplica(process.env.DATABASE_URL!);
  // before the first env() call of this file's process: the app reads its environment once
  process.env.DATABASE_REPLICA_URL = replica.url(new URL(process.env.DATABASE_URL!).pathname.slice(1));
}, 120_000);

afterAll(async () => {
  const { disconnect } = await import('~/modules/db/db.server');
  await disconnect();
  await replica?.stop();
});

describe('reports on a read replica', () => {
  it('totals and the drill-down come from the replica; the sale reaches them once it is replayed', async () => {
    const { ADDRESS, listEntries, listedProduct, placeOrder, prisma, recordBankReceipt, runLedgerCheck, totals, userByEmail, env } = { ...(await app()), ...(await import('~/modules/env/env.server')) };
    expect(env().DATABASE_REPLICA_URL).toBe(process.env.DATABASE_REPLICA_URL);
    const city = await prisma.pairing.findUniqueOrThrow({ where: { slug: 'zhongshan-liupanshui' } });
    const p = await listedProduct({ priceFen: 4321 });
    const buyer = await userByEmail('consumer@demo.shanhai.cn');
    await replica.caughtUp();
    const before = await totals({ pairingId: city.id });
    const drill: EntryFilter = { pairing: { ...city, level: 'TOP' } as unknown as EntryFilter['pairing'], period: { from: '2000-01-01', to: '2099-12-31', year: null } };
    const entriesBefore = await listEntries(drill);
    expect(entriesBefore.amountFen).toBe(before.totalFen);

    await replica.pauseReplay();
    const o = await placeOrder(buyer, { ...ADDRESS, lines: [{ variantId: p.variantId, quantity: 2 }], provider: 'BANK_TRANSFER' });
    await recordBankReceipt(1, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `REP-${o.reference}` });
    // the primary has the entries…
    const lineIds = (await prisma.orderLine.findMany({ where: { orderId: o.id }, select: { id: true } })).map((l) => String(l.id));
    expect(await prisma.ledgerEntry.count({ where: { sourceType: 'ORDER_LINE', sourceId: { in: lineIds } } })).toBeGreaterThan(0);
    // …the replica, paused, does not: the reports read from it
    expect((await totals({ pairingId: city.id })).totalFen).toBe(before.totalFen);
    expect((await listEntries(drill)).amountFen).toBe(before.totalFen);

    await replica.resumeReplay();
    await replica.caughtUp();
    const after = await totals({ pairingId: city.id, groupBy: ['flow'] });
    expect(after.totalFen - before.totalFen).toBe(2 * 4321);
    expect((await listEntries(drill)).amountFen).toBe(after.totalFen);
    expect((await runLedgerCheck()).problems).toEqual([]);
  });
});
