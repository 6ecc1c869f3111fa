// `npm test`: unit + integration (Vitest, real PostgreSQL) then browser tests (Playwright, Chromium).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuild, ensureDependencyPatches, ensurePrismaClient, root } from './lib/prepare.mjs';
import { findFreePort } from './lib/embedded-pg.mjs';

const bin = (n) => path.join(root, 'node_modules', '.bin', n);
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

ensurePrismaClient();
await ensureDependencyPatches();
const only = process.argv[2];
let failed = 0;
if (only !== 'e2e') {
  console.log('\n── Vitest: unit and integration tests (real PostgreSQL) ──');
  failed ||= run(bin('vitest'), ['run']);
}
if (only !== 'unit') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    console.error(`\nChromium not found at ${chromium}: run 'apt-get install -y chromium fonts-noto-cjk' (.ci/run does).`);
    failed ||= 1;
  } else {
    console.log('\n── Playwright: browser tests (Chromium) ──');
    ensureBuild();
    const port = await findFreePort(3300);
    failed ||= run(bin('playwright'), ['test'], { E2E_PORT: String(port) });
  }
}
process.exit(failed);
