// The server Playwright starts: `npm start` on a throw-away data directory.
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib/prepare.mjs';

const dir = path.resolve(root, process.env.SHANHAI_DATA_DIR ?? '.data/e2e');
if (!dir.startsWith(path.join(root, '.data'))) throw new Error(`refusing to wipe ${dir}`);
fs.rmSync(dir, { recursive: true, force: true });
delete process.env.DATABASE_URL;
await import('./start.mjs');
