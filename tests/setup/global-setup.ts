// One PostgreSQL for the whole run: the embedded one (default) or the server named by
// TEST_DATABASE_URL. A template database is migrated and loaded with the demo data once; each worker
// then gets its own copy (CREATE DATABASE … TEMPLATE), so tests never share rows across workers.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-pg.mjs';
import { migrate } from '../../scripts/lib/migrate.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    pgBaseUrl: string;
    templateDb: string;
  }
}

const root = path.resolve(__dirname, '..', '..');

export default async function setup(project: TestProject) {
  let embedded: { url: (db: string) => string; stop: () => Promise<void> } | undefined;
  let base: string;
  if (process.env.TEST_DATABASE_URL) {
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = '';
    base = u.toString().replace(/\/$/, '');
  } else {
    const dataDir = path.join(root, '.data', `test-pg-${process.pid}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    embedded = await startEmbeddedPostgres({ dataDir, preferredPort: 55432, persistent: false });
    base = embedded!.url('').replace(/\/$/, '');
  }
  const templateDb = `shanhai_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists "${templateDb}" with (force)`);
  await admin.query(`create database "${templateDb}"`);
  await admin.end();

  const templateUrl = `${base}/${templateDb}`;
  await migrate(templateUrl);
  process.env.DATABASE_URL = templateUrl;
  process.env.UPLOADS_DIR ??= path.join(root, '.data', 'test-uploads');
  process.env.NODE_ENV = 'test';
  const { seedDemo } = await import('../../app/modules/demo/seed.server');
  await seedDemo();
  const { disconnect } = await import('../../app/modules/db/db.server');
  await disconnect();

  project.provide('pgBaseUrl', base);
  project.provide('templateDb', templateDb);

  return async () => {
    const c = new pg.Client({ connectionString: `${base}/postgres` });
    await c.connect();
    const { rows } = await c.query(`select datname from pg_database where datname like $1`, [`shanhai_w%_${process.pid}`]);
    for (const r of rows) await c.query(`drop database if exists "${r.datname}" with (force)`);
    await c.query(`drop database if exists "${templateDb}" with (force)`);
    await c.end();
    await embedded?.stop();
  };
}
