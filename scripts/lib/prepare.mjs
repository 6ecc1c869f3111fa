// Steps shared by `npm start`, `npm run dev` and `npm test`: generate the Prisma client and build
// the app when their inputs changed since the last time (npm 11 runs no postinstall hooks).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function hashFiles(paths) {
  const hash = crypto.createHash('sha256');
  const walk = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name === 'generated' || name === 'node_modules' || name === 'build') continue;
        walk(path.join(p, name));
      }
    } else {
      hash.update(path.relative(root, p));
      hash.update(fs.readFileSync(p));
    }
  };
  paths.forEach((p) => walk(path.join(root, p)));
  return hash.digest('hex');
}

function stampUpToDate(stamp, hash) {
  const file = path.join(root, '.cache', stamp);
  return fs.existsSync(file) && fs.readFileSync(file, 'utf8') === hash;
}
function writeStamp(stamp, hash) {
  fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
  fs.writeFileSync(path.join(root, '.cache', stamp), hash);
}

export function ensurePrismaClient(log = console.log) {
  const hash = hashFiles(['prisma/schema', 'package-lock.json']);
  if (fs.existsSync(path.join(root, 'app/generated/prisma/client.ts')) && stampUpToDate('prisma', hash)) return;
  log('generating the Prisma client…');
  execFileSync(bin('prisma'), ['generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  writeStamp('prisma', hash);
}

export async function ensureDependencyPatches(log = console.log) {
  // postinstall applies them; this covers installs made with --ignore-scripts (idempotent, ~1 ms)
  const { applyPatches } = await import('../patch-dependencies.mjs');
  applyPatches(log);
}

export function ensureBuild(log = console.log) {
  ensurePrismaClient(log);
  const hash = hashFiles(['app', 'public', 'remix.config.js', 'postcss.config.js', 'package-lock.json', 'prisma/schema']);
  if (fs.existsSync(path.join(root, 'build/index.js')) && stampUpToDate('build', hash)) return;
  log('building the app (remix build)…');
  execFileSync(bin('remix'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
  writeStamp('build', hashFiles(['app', 'public', 'remix.config.js', 'postcss.config.js', 'package-lock.json', 'prisma/schema']));
}
