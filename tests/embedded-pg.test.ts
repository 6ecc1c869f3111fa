// `npm start` after a crash: the node process was SIGKILLed, its postmaster is orphaned and still holds
// the data directory. The next start must stop it and come up without manual steps.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../scripts/lib/embedded-pg.mjs';

const root = path.resolve(__dirname, '..');

it('recovers from an orphaned postmaster left by a SIGKILLed start', async () => {
  const dataDir = path.join(root, '.data', `crash-test-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const script = `
    import { startEmbeddedPostgres } from ${JSON.stringify(path.join(root, 'scripts/lib/embedded-pg.mjs'))};
    const pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, preferredPort: 56100 });
    await pg.createDatabase('crash');
    console.log('READY ' + pg.port);
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /READY (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error('child exited early')));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const pidFile = path.join(dataDir, 'postmaster.pid');
  expect(fs.existsSync(pidFile)).toBe(true); // the orphan still runs

  const again = await startEmbeddedPostgres({ dataDir, preferredPort: port });
  try {
    const client = new pg.Client({ connectionString: again.url('crash') });
    await client.connect();
    expect((await client.query('select 1 as ok')).rows[0].ok).toBe(1);
    await client.end();
  } finally {
    await again.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
