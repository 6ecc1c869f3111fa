// npm run db:seed — load reference data (places, pairings) and, unless NODE_ENV=production, the demo data.
import path from 'node:path';
import { startEmbeddedPostgres } from './lib/embedded-pg.mjs';
import { migrate } from './lib/migrate.mjs';
import { root } from './lib/prepare.mjs';

let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
if (!process.env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: path.join(path.resolve(root, process.env.SHANHAI_DATA_DIR ?? '.data'), 'pg') });
  await embedded.createDatabase('shanhai');
  process.env.DATABASE_URL = embedded.url('shanhai');
}
try {
  await migrate(process.env.DATABASE_URL!);
  const { seedDemo, seedReferenceData } = await import('../app/modules/demo/seed.server');
  const { env } = await import('../app/modules/env/env.server');
  if (env().DEMO_DATA) console.log(`created ${(await seedDemo({ log: console.log })).created} demo records`);
  else console.log(`created ${await seedReferenceData(console.log)} reference records`);
  const { disconnect } = await import('../app/modules/db/db.server');
  await disconnect();
} finally {
  await embedded?.stop();
}
