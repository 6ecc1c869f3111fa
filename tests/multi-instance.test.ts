// Two real app processes (scripts/server.mjs, the production build, NODE_ENV=production) on one
// Postgres, as behind a load balancer: sessions, sign-out, login rate limits and periodic jobs are
// shared through the database, and killing one instance leaves the other serving. Bounded in time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { findFreePort } from '../scripts/lib/embedded-pg.mjs';
import { ensureBuild } from '../scripts/lib/prepare.mjs';
import { freshUser, uniq } from './helpers/actors';
import { get, healthy, instances, post, sleep, startInstance, stopInstances, until, type Instance } from './helpers/instances';

const JOB = 'sellers.certificate-expiry';

let a: Instance;
let b: Instance;

beforeAll(async () => {
  ensureBuild(() => {});
  const portA = await findFreePort(4100 + Math.floor(Math.random() * 400));
  a = await startInstance('A', portA);
  const portB = await findFreePort(portA + 1);
  b = await startInstance('B', portB);
  for (const i of [a, b]) await until(`${i.name} to answer /healthz`, () => healthy(i), 60_000);
}, 240_000);

afterAll(stopInstances);

describe('two app instances on one Postgres', () => {
  let cookie = '';
  let email = '';

  it('a session created through A is valid on B; production sends HSTS and a Secure cookie', async () => {
    email = (await freshUser()).email;
    const res = await post(a, '/login', { email, password: 'test-password-1', redirectTo: '/account' });
    expect(res.status).toBe(302);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{8}/);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^shanhai_session=/);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    cookie = setCookie.split(';')[0]!;
    const onB = await get(b, '/account', cookie);
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(email);
    expect((await get(b, '/account')).status).toBe(302); // and without the cookie it is a redirect to /login
  });

  it('signing out on B ends the session on A', async () => {
    const out = await post(b, '/logout', {}, { cookie });
    expect(out.status).toBe(302);
    const onA = await get(a, '/account', cookie);
    expect(onA.status).toBe(302);
    expect(onA.headers.get('location')).toMatch(/\/login/);
  });

  it('login attempts are counted across both instances (per account, and per client IP behind the proxy)', async () => {
    const target = (await freshUser()).email;
    const proxyIp = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    // Ten wrong passwords for one account, alternating instances: each instance saw only five.
    for (let n = 0; n < 10; n++) {
      const r = await post(n % 2 ? b : a, '/login', { email: target, password: `wrong-${n}` }, { 'x-forwarded-for': `6.6.6.6, ${proxyIp}` });
      expect(r.status, `attempt ${n + 1}`).toBe(400);
    }
    const eleventh = await post(a, '/login', { email: target, password: 'test-password-1' }, { 'x-forwarded-for': `6.6.6.6, ${proxyIp}` });
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
    // TRUST_PROXY=1: the address the load balancer appended counts, not the one the client wrote.
    expect(await prisma.rateLimit.findUnique({ where: { key: `login:ip:${proxyIp}` } })).toMatchObject({ count: 11 });
    expect(await prisma.rateLimit.findUnique({ where: { key: 'login:ip:6.6.6.6' } })).toBeNull();
  });

  it('the JSON API limit is shared too: 429 once both instances together passed it', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
    await prisma.rateLimit.upsert({ where: { key: `api:ip:${ip}` }, create: { key: `api:ip:${ip}`, windowStart: new Date(), count: 118 }, update: { windowStart: new Date(), count: 118 } });
    const h = { headers: { 'x-forwarded-for': ip } };
    expect((await fetch(`${a.base}/api/v1/pairings`, h)).status).toBe(200);
    expect((await fetch(`${b.base}/api/v1/pairings`, h)).status).toBe(200);
    const limited = await fetch(`${a.base}/api/v1/pairings`, h);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await limited.json()).error.status).toBe(429);
  });

  it('a periodic job runs exactly once per period across both instances', async () => {
    // Both instances registered the job and have run its first period.
    await until('the first certificate-expiry run', async () => {
      const r = await prisma.jobSchedule.findUnique({ where: { name: JOB } });
      return r && r.runCount >= 1 && r.leaseOwner === null;
    }, 30_000);
    const before = (await prisma.jobSchedule.findUniqueOrThrow({ where: { name: JOB } })).runCount;
    const owners = new Set<string>();
    for (let round = 1; round <= 4; round++) {
      await prisma.$executeRaw`update job_schedule set next_run_at = now() where name = ${JOB}`;
      const r = await until(`round ${round}`, async () => {
        const row = await prisma.jobSchedule.findUniqueOrThrow({ where: { name: JOB } });
        return row.runCount >= before + round && row.leaseOwner === null && row;
      });
      owners.add(r.lastOwner!);
    }
    // Both instances poll every 0.5 s: give them two seconds to run anything twice.
    await sleep(2_000);
    const after = await prisma.jobSchedule.findUniqueOrThrow({ where: { name: JOB } });
    expect(after.runCount).toBe(before + 4);
    expect(after.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 3000 * 1000);
    const pids = [a, b].map((i) => String(i.child.pid));
    for (const o of owners) expect(pids.some((p) => o.includes(`:${p}:`))).toBe(true);
  });

  it('killing A leaves B serving pages, sessions and jobs', async () => {
    const fresh = await freshUser();
    const login = await post(b, '/login', { email: fresh.email, password: 'test-password-1' }, { 'x-forwarded-for': `203.0.113.${uniq().length}` });
    expect(login.status).toBe(302);
    const c = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    a.child.kill('SIGKILL');
    await until('A to die', async () => a.child.signalCode === 'SIGKILL');
    await expect(fetch(`${a.base}/healthz`)).rejects.toThrow();
    const product = await prisma.product.findFirstOrThrow({ where: { status: 'LISTED' }, select: { slug: true } });
    expect((await get(b, `/products/${product.slug}`)).status).toBe(200);
    expect((await get(b, '/account', c)).status).toBe(200);
    // A may have died holding nothing; B keeps running the job alone.
    const before = (await prisma.jobSchedule.findUniqueOrThrow({ where: { name: JOB } })).runCount;
    await prisma.$executeRaw`update job_schedule set next_run_at = now() where name = ${JOB}`;
    const row = await until('B to run the job', async () => {
      const r = await prisma.jobSchedule.findUniqueOrThrow({ where: { name: JOB } });
      return r.runCount === before + 1 && r.leaseOwner === null && r;
    });
    expect(row.lastOwner).toContain(`:${b.child.pid}:`);
  });
}, 120_000);
