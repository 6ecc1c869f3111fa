// npm run ledger:check — ledger self-check + ledger vs paid order lines vs payments vs refunds + import
// checks (app/modules/attribution/check.server.ts). Prints every mismatch; exit 1 on any.
// Uses DATABASE_URL, or the embedded PostgreSQL in .data/pg (like npm run db:seed).
import { commandDatabase } from './lib/embedded-pg.mjs';

const database = await commandDatabase();
let code = 0;
try {
  const { runLedgerCheck } = await import('../app/modules/attribution/check.server');
  const r = await runLedgerCheck();
  for (const p of r.problems) console.log(`MISMATCH ${p}`);
  console.log(`ledger check: ${r.ledger.length} ledger, ${r.orders.length} order/payment/refund, ${r.imports.length} import mismatch(es) in ${r.ms} ms`);
  code = r.problems.length ? 1 : 0;
  const { disconnect } = await import('../app/modules/db/db.server');
  await disconnect();
} catch (error) {
  console.error('ledger check failed:', (error as Error).message);
  code = 2;
} finally {
  await database.stop();
}
process.exit(code);
