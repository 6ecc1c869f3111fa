// The HTTP server: Express in front of the Remix request handler. Stateless: sessions, carts and
// rate limits live in Postgres, so any number of these can run behind a load balancer.
import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { broadcastDevReady, installGlobals } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { createRequestHandler } from './lib/remix-handler.mjs';
import { securityHeaders } from './lib/security-headers.mjs';

installGlobals();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildPath = path.join(root, 'build', 'index.js');

/**
 * TRUST_PROXY → Express `trust proxy`. Behind one load balancer set 1 (the LB's entry in
 * X-Forwarded-For is the client); behind a CDN and an LB set 2; without a proxy `false`. Default
 * `loopback`: only a proxy on the same machine (nginx on 127.0.0.1) is believed.
 * @param {string | undefined} value
 */
export function trustProxy(value) {
  if (!value || value === 'loopback') return 'loopback';
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  throw new Error(`TRUST_PROXY must be false, a hop count or loopback (got ${JSON.stringify(value)})`);
}

/**
 * Express asks its trust function about the peer address for req.ip, req.protocol and req.hostname, and
 * the compiled function parses the address each time (~5 % of a page's server CPU): the answers are
 * remembered per (address, hop), at most 1,000 of them, then forgotten. Same answers, same function.
 * @param {(address: string, hop: number) => boolean} trust
 */
export function rememberTrust(trust) {
  /** @type {Map<string, boolean>} */
  const known = new Map();
  return (address, hop) => {
    const key = `${hop} ${address}`;
    let answer = known.get(key);
    if (answer === undefined) {
      answer = trust(address, hop);
      if (known.size >= 1000) known.clear();
      known.set(key, answer);
    }
    return answer;
  };
}

/** @param {{ port: number, host?: string, mode?: string }} options */
export async function startServer({ port, host = '0.0.0.0', mode = process.env.NODE_ENV ?? 'production' }) {
  // env.server.ts throws EnvError at import when a variable is bad; the caller prints it and stops.
  const build = await import(pathToFileURL(buildPath).href + `?t=${Date.now()}`);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy(process.env.TRUST_PROXY));
  app.set('trust proxy fn', rememberTrust(app.get('trust proxy fn')));
  // The one client address the app uses (rate limits, sessions, audit): Express's req.ip, which follows
  // X-Forwarded-For only through the trusted proxies. Always overwritten, so a client cannot set it.
  app.use((req, _res, next) => {
    req.headers['x-shanhai-client-ip'] = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    next();
  });
  app.use(securityHeaders({ production: process.env.NODE_ENV === 'production' }));
  // Static files are compressed by the middleware; the Remix handler compresses pages itself and puts the
  // middleware on every other response it sends (scripts/lib/remix-handler.mjs).
  const middleware = compression();
  /** @type {import('express').RequestHandler} once per response (a missing public file goes on to Remix) */
  const compress = (req, res, next) => {
    if (res.locals.compressing) return next();
    res.locals.compressing = true;
    middleware(req, res, next);
  };
  app.use('/build', compress, express.static(path.join(root, 'public', 'build'), { immutable: true, maxAge: '1y' }));
  // Files at the top of public/ (favicon…) have an extension; pages never do, so they skip the stat.
  const publicFiles = express.static(path.join(root, 'public'), { maxAge: '1h' });
  app.use((req, res, next) => (/\.[A-Za-z0-9]{1,8}$/.test(req.path) ? compress(req, res, () => publicFiles(req, res, next)) : next()));
  const uploads = path.resolve(root, process.env.UPLOADS_DIR ?? '.data/uploads');
  fs.mkdirSync(uploads, { recursive: true });
  // Private files (licences, certificate scans) are streamed by permission-checked routes only.
  app.use('/uploads', (req, res, next) => {
    let p;
    try {
      p = path.posix.normalize(decodeURIComponent(req.path)).toLowerCase();
    } catch {
      return res.status(400).type('text/plain').send('Bad request');
    }
    if (p === '/private' || p.startsWith('/private/')) return res.status(404).type('text/plain').send('Not found');
    next();
  });
  app.use('/uploads', express.static(uploads, { maxAge: '7d', fallthrough: false }));
  app.all('*', createRequestHandler({ build, mode, compress, getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce }) }));
  // Last-resort handler: a broken request never takes the process down.
  app.use((error, _req, res, _next) => {
    console.error('[server]', error);
    if (!res.headersSent) res.status(500).type('text/plain').send('服务器出错了 / Server error');
  });

  const server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.on('error', reject);
  });
  if (mode === 'development') await broadcastDevReady(build);
  return {
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
        setTimeout(() => server.closeAllConnections?.(), 5_000).unref();
      }),
  };
}

/**
 * WEB_CONCURRENCY → how many server processes share the port on this machine (node:cluster). Default
 * 1. Every process is a full app instance (its own pools, search index and background loops, which are
 * coordinated through Postgres like those of separate machines).
 * @param {string | undefined} value
 */
export function webConcurrency(value) {
  if (value === undefined || value === '') return 1;
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > 64) throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64 (got ${JSON.stringify(value)})`);
  return Number(value);
}

async function runPrimary(workers, port) {
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  const listened = new Set();
  cluster.on('listening', (worker) => {
    listened.add(worker.id);
    if (listened.size === workers) console.log(`[server] ${workers} processes listening on http://localhost:${port}`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listened.has(worker.id)) {
      // it never started (bad environment, port taken): starting more would fail the same way
      console.error(`[server] process ${worker.process.pid} could not start (${signal ?? code}); stopping`);
      void stop(1);
      return;
    }
    // a worker that died is replaced (its in-flight requests are lost, like a crashed machine's)
    console.error(`[server] process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(fork, 500).unref();
  });
  async function stop(code = 0) {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter(Boolean);
    await Promise.all(alive.map((w) => new Promise((r) => (w.isDead() ? r() : (w.once('exit', r), w.process.kill('SIGTERM'))))));
    process.exit(code);
  }
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 3000);
  let workers;
  try {
    workers = webConcurrency(process.env.WEB_CONCURRENCY);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  if (workers > 1 && cluster.isPrimary) {
    await runPrimary(workers, port);
  } else {
    const { close } = await startServer({ port }).catch((error) => {
      console.error(error?.message ?? error);
      process.exit(1);
    });
    if (cluster.isPrimary) console.log(`[server] listening on http://localhost:${port}`);
    const stop = async () => {
      await close();
      process.exit(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
}
