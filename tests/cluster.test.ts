// WEB_CONCURRENCY: several server processes share one port (node:cluster). Each is a full instance;
// a process that dies is replaced; SIGTERM stops them all; a bad value stops the server with its name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../scripts/lib/embedded-pg.mjs';
import { ensureBuild } from '../scripts/lib/prepare.mjs';
import { processes } from '../scripts/lib/procfs.mjs';
import { get, healthy, startInstance, stopInstances, until, type Instance } from './helpers/instances';

/** pids of the processes whose parent is `pid` */
const childrenOf = (pid: number) => processes().filter((p) => p.ppid === pid).map((p) => p.pid).sort((a, b) => a - b);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let server: Instance;
beforeAll(async () => {
  ensureBuild(() => {});
  server = await startInstance('cluster', await findFreePort(4600 + Math.floor(Math.random() * 300)), { WEB_CONCURRENCY: '2' });
  await until('the cluster to answer /healthz', () => healthy(server), 90_000);
}, 120_000);
afterAll(stopInstances);

describe('WEB_CONCURRENCY=2', () => {
  it('runs two server processes on one port; a killed one is replaced and requests keep being answered', async () => {
    const primary = server.child.pid!;
    const workers = await until('two worker processes', async () => (childrenOf(primary).length === 2 ? childrenOf(primary) : false), 30_000);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(server, '/ping').then((r) => r.status)));
    expect(answers.every((s) => s === 200)).toBe(true);

    process.kill(workers[0]!, 'SIGKILL');
    const replaced = await until('a replacement process', async () => {
      const now = childrenOf(primary);
      return now.length === 2 && !now.includes(workers[0]!) ? now : false;
    }, 60_000);
    expect(replaced).toContain(workers[1]);
    await until('the replacement to serve', () => healthy(server), 60_000);
    expect(server.output.join('')).toMatch(new RegExp(`process ${workers[0]} exited \\(SIGKILL\\); starting another`));
  }, 150_000);

  it('SIGTERM stops the primary and every worker', async () => {
    const primary = server.child.pid!;
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);
    const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await until('the workers to stop', async () => workers.every((p) => !alive(p)), 15_000);
  }, 60_000);
});

describe('a bad WEB_CONCURRENCY', () => {
  it('stops the server at start with the variable named', async () => {
    const bad = await startInstance('bad', await findFreePort(4950), { WEB_CONCURRENCY: 'two' });
    const code = await new Promise<number | null>((r) => bad.child.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(bad.output.join('')).toContain('WEB_CONCURRENCY must be a whole number from 1 to 64 (got "two")');
  }, 30_000);
});
