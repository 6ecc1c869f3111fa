// Rate limits: every /api/v1 route answers 429 JSON with Retry-After past the per-IP limit (found by
// glob, so a new API route without the limit fails here); other clients are not affected; the helper the
// checkout uses throws a 429; development does not send HSTS nor Secure cookies (production: see
// tests/multi-instance.test.ts, which runs real NODE_ENV=production processes).
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { API_LIMIT_PER_MINUTE, CHECKOUT_LIMIT_PER_10_MIN, enforceRateLimit, tooManyRequests } from '~/modules/security/rate-limit.server';
import { deleteExpiredRateLimits } from '~/modules/accounts/rate-limit.server';
import { freshUser, requestAs, uniq } from './helpers/actors';
import { action as checkoutAction } from '~/routes/checkout';
import { action as loginAction } from '~/routes/login';

type RouteModule = { loader?: (args: unknown) => unknown; action?: (args: unknown) => unknown };
const apiRoutes = import.meta.glob<RouteModule>(['../app/routes/api.v1.*.ts', '../app/routes/api.v1.*.tsx']);

async function status(run: () => unknown) {
  try {
    const r = await run();
    return r as Response;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

const call = (mod: RouteModule, ip: string) =>
  status(() => mod.loader!({ request: new Request('http://x/api/v1/x?perPage=1', { headers: { 'x-shanhai-client-ip': ip } }), params: { slug: 'no-such-product' }, context: {} }));

describe('API rate limit', () => {
  it('covers every /api/v1 route', () => {
    expect(Object.keys(apiRoutes).length).toBeGreaterThanOrEqual(3);
  });

  for (const file of Object.keys(apiRoutes)) {
    it(`${file.replace('../app/routes/', '')}: 429 JSON with Retry-After past ${API_LIMIT_PER_MINUTE}/min for one IP, not for another`, async () => {
      const mod = await apiRoutes[file]!();
      const ip = `203.0.113.${uniq().slice(-3)}-${uniq()}`;
      for (let i = 0; i < API_LIMIT_PER_MINUTE; i++) {
        const r = await call(mod, ip);
        expect(r.status, `request ${i + 1}`).not.toBe(429);
      }
      const limited = await call(mod, ip);
      expect(limited.status).toBe(429);
      const retry = Number(limited.headers.get('Retry-After'));
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(60);
      expect(limited.headers.get('Content-Type')).toMatch(/application\/json/);
      const body = await limited.json();
      expect(body.error).toMatchObject({ status: 429, retryAfter: retry });
      expect(body.error.message).toMatch(/Too many requests/);
      expect((await call(mod, `${ip}-other`)).status).not.toBe(429);
    });
  }
});

describe('checkout rate limit', () => {
  it(`a buyer gets 429 after ${CHECKOUT_LIMIT_PER_10_MIN} order submissions in ten minutes; another buyer does not`, async () => {
    const form = () => new URLSearchParams({
      checkoutKey: `k${uniq()}${uniq()}${uniq()}`, buyer: 'personal', provinceCode: '440000', cityCode: '442000', districtCode: '442000',
      street: '中山市东区某路 1 号', recipient: '张三', mobile: '13800138000', provider: 'BANK_TRANSFER',
    });
    const submit = async (email: string) => {
      const request = await requestAs(email, '/checkout', { method: 'POST', body: form(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      try { return (await checkoutAction({ request, params: {}, context: {} })) as Response; } catch (r) { if (r instanceof Response) return r; throw r; }
    };
    const a = await freshUser();
    const b = await freshUser();
    for (let i = 0; i < CHECKOUT_LIMIT_PER_10_MIN; i++) expect((await submit(a.email)).status).toBe(400); // valid form, empty cart
    const limited = await submit(a.email);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await submit(b.email)).status).toBe(400);
  });
});

describe('rate-limit helpers', () => {
  it('enforceRateLimit throws a 429 text response once the limit is passed; tooManyRequests formats both ways', async () => {
    const key = `checkout:user:${uniq()}`;
    await enforceRateLimit(key, 2, 600);
    await enforceRateLimit(key, 2, 600);
    const thrown = await enforceRateLimit(key, 2, 600).then(() => null, (e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    const r = thrown as Response;
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('Retry-After'))).toBeGreaterThan(500);
    expect(await r.text()).toMatch(/请求过于频繁/);
    expect((await tooManyRequests(7, 'json').json()).error.retryAfter).toBe(7);
  });

  it('the cleanup job deletes windows older than a day and keeps current ones', async () => {
    const old = `old:${uniq()}`;
    const current = `current:${uniq()}`;
    await prisma.rateLimit.create({ data: { key: old, windowStart: new Date(Date.now() - 25 * 3600 * 1000), count: 3 } });
    await prisma.rateLimit.create({ data: { key: current, windowStart: new Date(), count: 1 } });
    expect(await deleteExpiredRateLimits()).toBeGreaterThanOrEqual(1);
    expect(await prisma.rateLimit.findUnique({ where: { key: old } })).toBeNull();
    expect(await prisma.rateLimit.findUnique({ where: { key: current } })).not.toBeNull();
  });
});

describe('development mode', () => {
  it('sends no HSTS and a session cookie without Secure (so http://localhost works)', async () => {
    const { securityHeaders } = await import('../scripts/lib/security-headers.mjs');
    const headers: Record<string, string> = {};
    const res = { locals: {}, setHeader: (k: string, v: string) => void (headers[k] = v) };
    securityHeaders({ production: false })({}, res, () => {});
    expect(headers['Strict-Transport-Security']).toBeUndefined();
    expect(headers['Content-Security-Policy']).toMatch(/nonce-/);
    securityHeaders({ production: true })({}, res, () => {});
    expect(headers['Strict-Transport-Security']).toMatch(/max-age=\d{8}/);
    const { sessionCookie } = await import('~/modules/accounts/session.server');
    expect(await sessionCookie.serialize('x')).not.toMatch(/Secure/i);
  });
});

describe('login rate limit', () => {
  const login = (ip: string, email: string, password: string) =>
    status(() => loginAction({ request: new Request('http://x/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-shanhai-client-ip': ip }, body: new URLSearchParams({ email, password, redirectTo: '/account' }) }), params: {}, context: {} }));

  it('successful sign-ins do not use it up: 36 from one office address (3 members × 12) all succeed', async () => {
    const ip = `198.18.${uniq().slice(-2)}.${uniq()}`;
    const members = await Promise.all([freshUser(), freshUser(), freshUser()]);
    for (let round = 0; round < 12; round++) {
      for (const m of members) expect((await login(ip, m.email, 'test-password-1')).status, `round ${round + 1}`).toBe(302);
    }
    expect((await prisma.rateLimit.findUnique({ where: { key: `login:ip:${ip}` } }))?.count).toBe(0);
  });

  it('failed attempts still do: 30 wrong passwords from one address, then even the right one is refused (429)', async () => {
    const ip = `198.19.${uniq().slice(-2)}.${uniq()}`;
    const users = await Promise.all(Array.from({ length: 4 }, () => freshUser()));
    for (let i = 0; i < 30; i++) expect((await login(ip, users[i % 4]!.email, `wrong-${i}`)).status).toBe(400);
    const refused = await login(ip, users[0]!.email, 'test-password-1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await login(`${ip}-other`, users[0]!.email, 'test-password-1')).status).toBe(302); // another address is not affected
  });
});
