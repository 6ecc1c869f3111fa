// Runs before each test file: gives the file its own database, a fresh copy of the migrated and seeded
// template (CREATE DATABASE … TEMPLATE, about 35 ms), and drops it when the file is done. Files never
// see each other's rows, so a test that leaves append-only ledger entries or extra 刺梨 products behind
// cannot change what another file's global checks or relevance lists see, whatever the file order.
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

const base = inject('pgBaseUrl');
const template = inject('templateDb');
const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? '0';
// global teardown drops every `shanhai_w%_<pid>` left behind by a crashed worker
const db = `shanhai_w${worker}_${crypto.randomBytes(4).toString('hex')}_${template.split('_').pop()}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${base}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

await admin((c) => c.query(`create database "${db}" template "${template}"`));

process.env.DATABASE_URL = `${base}/${db}`;
process.env.UPLOADS_DIR ??= path.resolve(__dirname, '..', '..', '.data', 'test-uploads');
process.env.NODE_ENV = 'test';

afterAll(async () => {
  const { disconnect } = await import('~/modules/db/db.server');
  await disconnect();
  await admin((c) => c.query(`drop database if exists "${db}" with (force)`));
});
