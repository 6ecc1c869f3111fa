// Runs in each test worker before its test files: points DATABASE_URL at this worker's own database.
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

const base = inject('pgBaseUrl');
const template = inject('templateDb');
const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
const db = `shanhai_w${worker}_${template.split('_').pop()}`;

const admin = new pg.Client({ connectionString: `${base}/postgres` });
await admin.connect();
const exists = await admin.query('select 1 from pg_database where datname = $1', [db]);
if (exists.rowCount === 0) {
  try {
    await admin.query(`create database "${db}" template "${template}"`);
  } catch (error) {
    if (!/already exists/.test((error as Error).message)) throw error;
  }
}
await admin.end();

process.env.DATABASE_URL = `${base}/${db}`;
process.env.UPLOADS_DIR ??= path.resolve(__dirname, '..', '..', '.data', 'test-uploads');
process.env.NODE_ENV = 'test';

afterAll(async () => {
  const { disconnect } = await import('~/modules/db/db.server');
  await disconnect();
});
