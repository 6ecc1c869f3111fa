// `npm start` / `npm run dev`: one command from a fresh clone to a running storefront.
// Without DATABASE_URL it runs an embedded PostgreSQL with its data in .data/pg (kept across restarts).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { startEmbeddedPostgres } from './lib/embedded-pg.mjs';
import { migrate } from './lib/migrate.mjs';
import { ensureBuild, ensureDependencyPatches, ensurePrismaClient, root } from './lib/prepare.mjs';

const dev = process.argv.includes('--dev');
const log = (m) => console.log(`[start] ${m}`);
let embedded;
let stopServer = async () => {};
let stopping = false;

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  await stopServer().catch(() => {});
  if (embedded) {
    await embedded.stop().catch((e) => console.error(e));
    log('embedded PostgreSQL stopped');
  }
  process.exit(code);
}
process.once('SIGINT', () => shutdown(0));
process.once('SIGTERM', () => shutdown(0));

try {
  // Demo mode (the default on one machine) runs with NODE_ENV unset = development semantics for
  // the environment (demo accounts allowed) while serving the optimised production build.
  // A deployment sets NODE_ENV=production, DATABASE_URL and SESSION_SECRET (docs/deploy.md).
  const dataRoot = path.resolve(root, process.env.SHANHAI_DATA_DIR ?? '.data');
  process.env.UPLOADS_DIR ??= path.join(dataRoot, 'uploads');
  ensurePrismaClient(log);
  await ensureDependencyPatches(log);
  const { parseEnv } = await tsImport('../app/modules/env/env.server.ts', import.meta.url);
  if (!process.env.DATABASE_URL) {
    log(`DATABASE_URL is not set: starting the embedded PostgreSQL (${path.relative(root, dataRoot) || '.'}/pg)…`);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataRoot, 'pg'), preferredPort: 54329 });
    await embedded.createDatabase('shanhai');
    process.env.DATABASE_URL = embedded.url('shanhai');
    log(`embedded PostgreSQL on port ${embedded.port}`);
  }
  const env = (() => {
    try {
      return parseEnv(process.env);
    } catch (error) {
      console.error(error.message);
      return shutdown(1);
    }
  })();
  const applied = await migrate(env.DATABASE_URL, { log });
  if (applied.length === 0) log('database schema is up to date');

  if (env.DEMO_DATA) {
    const { seedDemo } = await tsImport('../app/modules/demo/seed.server.ts', import.meta.url);
    const result = await seedDemo({ log });
    log(result.created ? 'demo data loaded' : 'demo data already present (nothing changed)');
  }

  const port = env.PORT;
  if (dev) {
    const child = spawn(path.join(root, 'node_modules/.bin/remix'), ['dev', '-c', `node ${path.join(root, 'scripts/server.mjs')}`], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port) },
    });
    stopServer = () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM'))));
    child.once('exit', (code) => shutdown(code ?? 0));
  } else {
    ensureBuild(log);
    const { startServer } = await import('./server.mjs');
    const started = await startServer({ port, mode: 'production' });
    stopServer = started.close;
  }
  console.log(`\n  山海集 Shanhai Market is running: http://localhost:${port}\n`);
  if (env.DEMO_DATA) {
    console.log('  Demo accounts (password: shanhai-demo):');
    const { demoAccounts } = await tsImport('../app/modules/demo/accounts.ts', import.meta.url);
    for (const a of demoAccounts) console.log(`    ${a.email.padEnd(36)} ${a.description}`);
    console.log('');
  }
} catch (error) {
  console.error('[start] failed:', error?.stack ?? error);
  await shutdown(1);
}
