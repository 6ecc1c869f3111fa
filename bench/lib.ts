// Shared by the benchmarks: a database (DATABASE_URL, or an embedded cluster of their own), the built
// app on a free port, and a result line that `npm run bench` collects into its report.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findFreePort, startEmbeddedPostgres } from '../scripts/lib/embedded-pg.mjs';
import { migrate } from '../scripts/lib/migrate.mjs';
import { processes } from '../scripts/lib/procfs.mjs';
import { ensureBuild, root } from '../scripts/lib/prepare.mjs';

export { root };

export async function benchDatabase(name: string, { seed = true } = {}) {
  let stop = async () => {};
  let url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = path.join(root, '.data', `bench-${name}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    const pg = await startEmbeddedPostgres({ dataDir, preferredPort: 57000, persistent: false });
    await pg.createDatabase('bench');
    url = pg.url('bench');
    stop = () => pg.stop();
  }
  process.env.DATABASE_URL = url;
  process.env.UPLOADS_DIR ??= path.join(root, '.data', `bench-${name}-uploads`);
  await migrate(url);
  if (seed) {
    const { seedDemo } = await import('../app/modules/demo/seed.server');
    await seedDemo();
  }
  return { url, stop };
}

/** The app server as production runs it; `workers` → WEB_CONCURRENCY (processes sharing the port). */
export async function startApp(databaseUrl: string, { workers = 1 }: { workers?: number } = {}): Promise<{ base: string; stop: () => Promise<void>; process: ChildProcess; cpuMs: () => number }> {
  ensureBuild(() => {});
  const port = await findFreePort(3900);
  const child = spawn(process.execPath, [path.join(root, 'scripts/server.mjs')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'production', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret', DEMO_DATA: 'false', WEB_CONCURRENCY: String(workers) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  // CPU time (user + system) of the server and its worker processes
  const cpuMs = () => processes().filter((p) => p.pid === child.pid || p.ppid === child.pid).reduce((sum, p) => sum + p.cpuMs, 0);
  return { base, process: child, cpuMs, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))) };
}

export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One line `npm run bench` reads: name, metrics, and pass/fail per target. */
export function report(name: string, rows: Array<{ metric: string; value: string; baseline?: string; ratio?: string; target?: string; ok?: boolean }>) {
  console.log('\n' + rows.map((r) => `${r.metric.padEnd(44)} ${r.value.padStart(14)}${r.baseline ? `  baseline ${r.baseline}` : ''}${r.ratio ? `  ratio ${r.ratio}` : ''}${r.target ? `  target ${r.target} ${r.ok ? '✓' : '✗'}` : ''}`).join('\n'));
  console.log(`BENCH_RESULT ${JSON.stringify({ name, rows })}`);
}
