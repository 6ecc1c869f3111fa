// Faults, each bounded in time: PostgreSQL restarts under a running app server.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { findFreePort, startEmbeddedPostgres } from '../../scripts/lib/embedded-pg.mjs';
import { migrate } from '../../scripts/lib/migrate.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');

async function waitFor(fn: () => Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

test('PostgreSQL restarts while the app runs: a clear 503 page, then recovery without restarting the app', async ({ page, request }) => {
  test.setTimeout(120_000);
  const dataDir = path.join(root, '.data', `fault-pg-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  let pg = await startEmbeddedPostgres({ dataDir, preferredPort: 56500 });
  const pgPort = pg.port;
  let server: ChildProcess | undefined;
  try {
    await pg.createDatabase('fault');
    await migrate(pg.url('fault'));
    const port = await findFreePort(3700);
    server = spawn(process.execPath, [path.join(root, 'scripts/server.mjs')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: pg.url('fault'), PORT: String(port), DEMO_DATA: 'false', UPLOADS_DIR: path.join(dataDir, 'uploads') },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    expect(await waitFor(async () => (await request.get(`${base}/healthz`)).ok(), 30_000)).toBe(true);
    expect((await request.get(`${base}/`)).status()).toBe(200);

    await pg.stop();
    const down = await page.goto(`${base}/`);
    expect(down?.status()).toBe(503);
    expect(down?.headers()['retry-after']).toBe('5');
    await expect(page.getByRole('heading', { name: '服务暂时不可用' })).toBeVisible();
    expect((await request.get(`${base}/healthz`)).status()).toBe(503);
    expect(server.exitCode).toBeNull(); // the app did not crash

    pg = await startEmbeddedPostgres({ dataDir, port: pgPort });
    expect(await waitFor(async () => (await request.get(`${base}/`)).status() === 200, 20_000)).toBe(true);
    expect((await request.get(`${base}/healthz`)).status()).toBe(200);
    expect(server.exitCode).toBeNull(); // same process, recovered by itself
  } finally {
    server?.kill('SIGTERM');
    await pg.stop().catch(() => {});
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
