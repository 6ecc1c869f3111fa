// npm run seed:bulk [count] — 300,000 generated products (default) into a bench database: DATABASE_URL,
// or an embedded PostgreSQL in .data/bench-bulk (kept, so bench runs can reuse it with DATABASE_URL).
import path from 'node:path';
import { startEmbeddedPostgres } from './lib/embedded-pg.mjs';
import { migrate } from './lib/migrate.mjs';
import { root } from './lib/prepare.mjs';

const count = Number(process.argv[2] ?? 300_000);
if (!Number.isInteger(count) || count < 1 || count > 5_000_000) {
  console.error('usage: npm run seed:bulk [count 1..5000000]');
  process.exit(2);
}
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
if (!process.env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: path.join(path.resolve(root, process.env.SHANHAI_DATA_DIR ?? '.data'), 'bench-bulk') });
  await embedded.createDatabase('bench');
  process.env.DATABASE_URL = embedded.url('bench');
  console.log(`embedded PostgreSQL for the bench database: ${process.env.DATABASE_URL}`);
}
let code = 0;
try {
  await migrate(process.env.DATABASE_URL!);
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
  await embedded?.stop();
}
process.exit(code);
