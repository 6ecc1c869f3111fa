// npm run db:migrate — apply pending SQL migrations to DATABASE_URL (or the embedded database).
import { commandDatabase } from './lib/embedded-pg.mjs';
import { migrate } from './lib/migrate.mjs';

const database = await commandDatabase();
try {
  const applied = await migrate(database.url, { log: (m: string) => console.log(m) });
  console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
} finally {
  await database.stop();
}
