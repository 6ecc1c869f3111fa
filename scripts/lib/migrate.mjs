// Offline migration runner for Prisma's folder layout (prisma/migrations/<name>/migration.sql).
// Applied migrations are recorded in Prisma's own `_prisma_migrations` table with Prisma's checksum
// (sha256 of the file), so `prisma migrate deploy` on a machine that has the schema engine sees the
// same history. See docs/decisions/0003-migrations.md.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const migrationsDir = path.join(root, 'prisma', 'migrations');
const LOCK_KEY = 727_274_2026; // advisory lock: several app instances may boot at once

export function listMigrations(dir = migrationsDir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Apply every pending migration, each in its own transaction. Returns the names applied.
 * @param {string} databaseUrl
 * @param {{ log?: (message: string) => void, dir?: string }} [options]
 * @returns {Promise<string[]>}
 */
export async function migrate(databaseUrl, { log = () => {}, dir } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
    const { rows } = await client.query(
      'select migration_name, checksum from "_prisma_migrations" where finished_at is not null and rolled_back_at is null',
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    const done = [];
    for (const m of listMigrations(dir)) {
      if (applied.has(m.name)) {
        if (applied.get(m.name) !== m.checksum) {
          throw new Error(`Migration ${m.name} was changed after it was applied (checksum differs). Write a new migration instead.`);
        }
        continue;
      }
      log(`applying migration ${m.name}`);
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `insert into "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           values ($1, $2, now(), $3, 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${error.message}`);
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
