// npm run seed:bulk [count] — 300,000 generated products (default) into a bench database: DATABASE_URL,
// or an embedded PostgreSQL in .data/bench-bulk (kept, so bench runs can reuse it with DATABASE_URL).
import { commandDatabase } from './lib/embedded-pg.mjs';
import { migrate } from './lib/migrate.mjs';

const count = Number(process.argv[2] ?? 300_000);
if (!Number.isInteger(count) || count < 1 || count > 5_000_000) {
  console.error('usage: npm run seed:bulk [count 1..5000000]');
  process.exit(2);
}
const database = await commandDatabase({ dir: 'bench-bulk', db: 'bench' });
if (database.embedded) console.log(`embedded PostgreSQL for the bench database: ${database.url}`);
let code = 0;
try {
  await migrate(database.url);
  const { seedDemo } = await import('../app/modules/demo/seed.server');
  await seedDemo();
  const { seedBulkProducts } = await import('../app/modules/demo/bulk.server');
  const r = await seedBulkProducts(count, console.log);
  console.log(`seed:bulk: ${r.products} products, ${r.variants} variants in ${(r.ms / 1000).toFixed(1)} s`);
  const { disconnect } = await import('../app/modules/db/db.server');
  await disconnect();
} catch (error) {
  console.error(error);
  code = 1;
} finally {
  await database.stop();
}
process.exit(code);
