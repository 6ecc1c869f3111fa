// npm run db:backup [-- file]   — exact logical backup of DATABASE_URL (or the embedded database).
// npm run db:restore -- file    — restore into an empty DATABASE_URL (or a fresh embedded database).
import fs from 'node:fs';
import path from 'node:path';
import { backup, restore } from './lib/backup.mjs';
import { startEmbeddedPostgres } from './lib/embedded-pg.mjs';
import { root } from './lib/prepare.mjs';

const mode = process.argv[2];
const fileArg = process.argv[3];
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
let url = process.env.DATABASE_URL;
try {
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(path.resolve(root, process.env.SHANHAI_DATA_DIR ?? '.data'), 'pg') });
    if (mode === 'restore') {
      // a fresh database beside the current one; switch to it by renaming when you are satisfied
      const name = `shanhai_restored_${Date.now()}`;
      await embedded.createDatabase(name);
      url = embedded.url(name);
      console.log(`restoring into the new embedded database "${name}"`);
    } else {
      await embedded.createDatabase('shanhai');
      url = embedded.url('shanhai');
    }
  }
  if (mode === 'backup') {
    const file = path.resolve(fileArg ?? path.join(root, '.data', 'backups', `shanhai-${new Date().toISOString().replace(/[:.]/g, '-')}.backup.gz`));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await backup(url, file, { log: (m: string) => console.log(m) });
    console.log(`backup written to ${file} (${fs.statSync(file).size} bytes)`);
  } else if (mode === 'restore') {
    if (!fileArg || !fs.existsSync(fileArg)) throw new Error('usage: npm run db:restore -- <backup file>');
    await restore(url, path.resolve(fileArg), { log: (m: string) => console.log(m) });
    console.log('restore complete');
  } else {
    throw new Error('usage: tsx scripts/db-backup.ts backup|restore [file]');
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await embedded?.stop();
}
