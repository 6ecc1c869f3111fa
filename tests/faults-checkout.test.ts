// Fault: the app process is killed with SIGKILL in the middle of 100 checkouts over HTTP, then started again.
// Buyers retry what failed (same checkout key, as a re-submitted form does). Afterwards every order is
// either paid and counted in the ledger at both pairing levels, or expired with its stock released;
// no order is duplicated, no stock is lost, and the ledger check finds nothing. Bounded in time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLedgerCheck } from '~/modules/attribution/check.server';
import { addToCart } from '~/modules/cart/cart.server';
import { prisma } from '~/modules/db/db.server';
import { env } from '~/modules/env/env.server';
import { expireReservations } from '~/modules/orders/orders.server';
import { recordBankReceipt } from '~/modules/payments/payments.server';
import { findFreePort } from '../scripts/lib/embedded-pg.mjs';
import { ensureBuild } from '../scripts/lib/prepare.mjs';
import { freshUser, sessionCookie, uniq } from './helpers/actors';
import { get, healthy, post, startInstance, stopInstances, until, type Instance } from './helpers/instances';
import { ADDRESS, listedProduct } from './helpers/orders';

const BUYERS = 100;
const STOCK = 1_000;
let port = 0;

async function startApp(name: string) {
  // The same session secret as this process, so that sessions created here are valid there.
  const app = await startInstance(name, port, { JOBS_ENABLED: 'false', SESSION_SECRET: env().SESSION_SECRET });
  await until(`${name} to answer /healthz`, () => healthy(app), 60_000);
  return app;
}

beforeAll(async () => {
  ensureBuild(() => {});
  port = await findFreePort(4500 + Math.floor(Math.random() * 400));
}, 240_000);
afterAll(stopInstances);

describe('SIGKILL during 100 checkouts', () => {
  it('every order ends up paid and counted or released; nothing duplicated; ledger check clean', async () => {
    const product = await listedProduct({ stock: STOCK, priceFen: 2_990 }); // 盘州市: group 小榄镇→盘州市 and city 中山市→六盘水市
    const buyers = await Promise.all(
      Array.from({ length: BUYERS }, async (_, i) => {
        const user = await freshUser();
        const cart = await prisma.cart.create({ data: { id: `fault-${uniq()}${uniq()}`, userId: user.id }, select: { id: true } });
        const quantity = 1 + (i % 3);
        expect(await addToCart(cart.id, product.variantId, quantity)).toEqual({ ok: true });
        return { user, quantity, cookie: await sessionCookie(user.email), checkoutKey: `fault-${uniq()}${uniq()}${uniq()}` };
      }),
    );
    const submit = (app: Instance, b: (typeof buyers)[number]) =>
      post(app, '/checkout', { checkoutKey: b.checkoutKey, buyer: 'personal', ...ADDRESS, provider: 'BANK_TRANSFER' }, { cookie: b.cookie, 'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` })
        .then((r) => r.status, () => 0); // 0: the connection died with the process

    // 1. The flood, and the kill after the first 30 answers.
    let app = await startApp('A');
    const statuses = new Map<number, number>();
    let answered = 0;
    let killed = false;
    const queue = [...buyers.keys()];
    await Promise.all(Array.from({ length: 12 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const status = await submit(app, buyers[i]!);
        statuses.set(i, status);
        if (status !== 0 && ++answered === 30 && !killed) {
          killed = true;
          app.child.kill('SIGKILL');
        }
      }
    }));
    await until('A to die', async () => app.child.signalCode === 'SIGKILL');
    const failed = [...statuses].filter(([, s]) => s !== 302).map(([i]) => i);
    expect(failed.length, 'the kill interrupted some checkouts').toBeGreaterThan(0);

    // 2. Restart; the buyers whose checkout failed submit again with the same checkout key.
    app = await startApp('A-restarted');
    for (const i of failed) expect(await submit(app, buyers[i]!), `retry of buyer ${i}`).toBe(302);

    // Exactly one order per buyer, for the quantity in their cart, and stock reserved exactly once.
    const orders = await prisma.order.findMany({
      where: { buyerId: { in: buyers.map((b) => b.user.id) } },
      select: { id: true, buyerId: true, reference: true, totalFen: true, state: true, lines: { select: { quantity: true } } },
    });
    expect(orders).toHaveLength(BUYERS);
    for (const b of buyers) {
      const mine = orders.filter((o) => o.buyerId === b.user.id);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.lines.reduce((s, l) => s + l.quantity, 0)).toBe(b.quantity);
    }
    const reserved = buyers.reduce((s, b) => s + b.quantity, 0);
    const variant = () => prisma.variant.findUniqueOrThrow({ where: { id: product.variantId }, select: { stock: true } });
    expect((await variant()).stock).toBe(STOCK - reserved);

    // 3. Finance confirms every other transfer; the rest pass their payment window.
    const finance = await prisma.user.findUniqueOrThrow({ where: { email: 'admin@demo.shanhai.cn' }, select: { id: true } });
    const paid = orders.filter((_, i) => i % 2 === 0);
    for (const o of paid) await recordBankReceipt(finance.id, { reference: o.reference, amountFen: o.totalFen, receivedOn: new Date(), bankReference: `BANK-${o.reference}` });
    await expireReservations(new Date(Date.now() + 30 * 24 * 3600 * 1000));

    const after = await prisma.order.findMany({ where: { id: { in: orders.map((o) => o.id) } }, select: { id: true, state: true, totalFen: true } });
    const paidIds = new Set(paid.map((o) => o.id));
    for (const o of after) expect(o.state, `order ${o.id}`).toBe(paidIds.has(o.id) ? 'PAID' : 'EXPIRED');
    const paidQuantity = orders.filter((o) => paidIds.has(o.id)).reduce((s, o) => s + o.lines.reduce((x, l) => x + l.quantity, 0), 0);
    expect((await variant()).stock).toBe(STOCK - paidQuantity);

    // Counted once at each pairing level: the group pairing and its city pairing.
    const paidFen = paid.reduce((s, o) => s + o.totalFen, 0);
    const byLevel = await prisma.ledgerEntry.groupBy({ by: ['pairingLevel'], where: { productId: product.productId }, _sum: { amountFen: true }, _count: true });
    expect(Object.fromEntries(byLevel.map((r) => [r.pairingLevel, Number(r._sum.amountFen)]))).toEqual({ GROUP: paidFen, TOP: paidFen });
    expect((await runLedgerCheck()).problems).toEqual([]);
  }, 300_000);
});
