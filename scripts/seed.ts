// npm run db:seed — load reference data (places, pairings) and, unless NODE_ENV=production, the demo data.
import { commandDatabase } from './lib/embedded-pg.mjs';
import { migrate } from './lib/migrate.mjs';

const database = await commandDatabase();
try {
  await migrate(database.url);
  const { seedDemo, seedReferenceData } = await import('../app/modules/demo/seed.server');
  const { env } = await import('../app/modules/env/env.server');
  if (env().DEMO_DATA) console.log(`created ${(await seedDemo({ log: console.log })).created} demo records`);
  else console.log(`created ${await seedReferenceData(console.log)} reference records`);
  const { disconnect } = await import('../app/modules/db/db.server');
  await disconnect();
} finally {
  await database.stop();
}
