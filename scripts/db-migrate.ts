// npm run db:migrate — apply pending SQL migrations to DATABASE_URL (or the embedded database).
import path from 'node:path';
import { startEmbeddedPostgres } from './lib/embedded-pg.mjs';
import { migrate } from './lib/migrate.mjs';
import { root } from './lib/prepare.mjs';

let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
let url = process.env.DATABASE_URL;
if (!url) {
  embedded = await startEmbeddedPostgres({ dataDir: path.join(path.resolve(root, process.env.SHANHAI_DATA_DIR ?? '.data'), 'pg') });
  await embedded.createDatabase('shanhai');
  url = embedded.url('shanhai');
}
try {
  const applied = await migrate(url, { log: (m: string) => console.log(m) });
  console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
} finally {
  await embedded?.stop();
}
