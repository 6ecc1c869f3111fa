// Exact logical backup and restore without pg_dump (the embedded package ships none, and Debian's client
// tools are PostgreSQL 15, which cannot dump an 18 server). See docs/decisions/0007-backups.md.
//
// Format (gzip, one JSON document per line):
//   {"format":"shanhai-backup","version":1,"createdAt":…,"migrations":[…],"tables":[…]}
//   {"table":"place","columns":[…],"rows":N}   followed by N lines, each one row as PostgreSQL's own
//   row_to_json text (never parsed into JS numbers, so bigint and numeric stay exact)
//   {"sequences":{"place_id_seq":123,…}}
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import pg from 'pg';
import { migrate, listMigrations } from './migrate.mjs';

const BATCH = 2000;

async function userTables(client) {
  const { rows } = await client.query(`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> '_prisma_migrations'
    order by c.relname`);
  return rows.map((r) => r.name);
}

/** @param {string} databaseUrl @param {string} file @param {{ log?: (m: string) => void }} [options] */
export async function backup(databaseUrl, file, { log = () => {} } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const gzip = zlib.createGzip();
  const out = fs.createWriteStream(file);
  const done = pipeline(gzip, out);
  const write = (s) => (gzip.write(s + '\n') ? Promise.resolve() : new Promise((r) => gzip.once('drain', r)));
  try {
    // One snapshot for every table: the backup is consistent even while the app keeps writing.
    await client.query('begin isolation level repeatable read read only');
    const migrations = (await client.query('select migration_name from "_prisma_migrations" where finished_at is not null and rolled_back_at is null order by migration_name')).rows.map((r) => r.migration_name);
    const tables = await userTables(client);
    await write(JSON.stringify({ format: 'shanhai-backup', version: 1, createdAt: new Date().toISOString(), migrations, tables }));
    for (const table of tables) {
      const columns = (await client.query(`select column_name from information_schema.columns where table_schema = 'public' and table_name = $1 order by ordinal_position`, [table])).rows.map((r) => r.column_name);
      const count = Number((await client.query(`select count(*) from "${table}"`)).rows[0].count);
      await write(JSON.stringify({ table, columns, rows: count }));
      // A server-side cursor keeps memory flat whatever the table size.
      await client.query(`declare backup_cursor no scroll cursor for select row_to_json(t)::text as j from "${table}" t`);
      let written = 0;
      for (;;) {
        const { rows } = await client.query(`fetch ${BATCH} from backup_cursor`);
        if (rows.length === 0) break;
        for (const r of rows) await write(r.j);
        written += rows.length;
      }
      await client.query('close backup_cursor');
      if (written !== count) throw new Error(`table ${table} changed size during the backup (${count} → ${written})`);
      log(`${table}: ${count} rows`);
    }
    const seqs = (await client.query(`select sequencename as name, last_value from pg_sequences where schemaname = 'public'`)).rows;
    await write(JSON.stringify({ sequences: Object.fromEntries(seqs.map((s) => [s.name, s.last_value === null ? null : String(s.last_value)])) }));
    await client.query('commit');
  } finally {
    gzip.end();
    await done.catch(() => {});
    await client.end();
  }
}

/**
 * Restore into an EMPTY database: applies the backup's migrations, loads every row with triggers and
 * foreign-key checks off (session_replication_role = replica: rollups and audit rows are restored as
 * they were, not recomputed), resets sequences, then applies any newer migrations of this code.
 * @param {string} databaseUrl @param {string} file @param {{ log?: (m: string) => void }} [options]
 */
export async function restore(databaseUrl, file, { log = () => {} } = {}) {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    return r.done ? null : r.value;
  };
  const header = JSON.parse((await next()) ?? 'null');
  if (header?.format !== 'shanhai-backup') throw new Error(`${file} is not a Shanhai backup`);
  const known = new Set(listMigrations().map((m) => m.name));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length) throw new Error(`The backup needs migrations this code does not have: ${unknown.join(', ')}`);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const existing = await client.query(`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name <> '_prisma_migrations'`);
    if (existing.rows[0].n > 0) throw new Error('restore needs an empty database (create a fresh one and point DATABASE_URL at it)');
    // Bring the schema to exactly the backup's migration level first.
    const dir = fs.mkdtempSync('/tmp/shanhai-restore-');
    for (const m of listMigrations().filter((x) => header.migrations.includes(x.name))) {
      fs.mkdirSync(`${dir}/${m.name}`);
      fs.writeFileSync(`${dir}/${m.name}/migration.sql`, m.sql);
    }
    await migrate(databaseUrl, { dir, log });
    fs.rmSync(dir, { recursive: true, force: true });
    await client.query('begin');
    await client.query(`set local session_replication_role = replica`);
    for (const table of await userTables(client)) await client.query(`delete from "${table}"`); // rows that migrations seeded (roles, permissions)
    for (;;) {
      const line = await next();
      if (line === null) break;
      const meta = JSON.parse(line);
      if (meta.sequences) {
        for (const [name, value] of Object.entries(meta.sequences)) {
          if (value === null) continue;
          await client.query(`select setval($1::regclass, $2::bigint, true)`, [`"${name}"`, value]);
        }
        continue;
      }
      let batch = [];
      const flush = async () => {
        if (!batch.length) return;
        await client.query(`insert into "${meta.table}" select * from json_populate_recordset(null::"${meta.table}", $1::json)`, [`[${batch.join(',')}]`]);
        batch = [];
      };
      for (let i = 0; i < meta.rows; i++) {
        const row = await next();
        if (row === null) throw new Error(`backup ends inside table ${meta.table}`);
        batch.push(row);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      log(`${meta.table}: ${meta.rows} rows`);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
  return migrate(databaseUrl, { log }); // newer migrations of this code, if any
}
