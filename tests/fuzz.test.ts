/// <reference types="vite/client" />
// Bad-input fuzzing of every route module (found automatically, so new routes are covered the day they
// land): each loader and action gets malformed inputs — wrong types, huge and negative numbers, very long
// strings, invalid UTF-8 and GBK bytes, XSS and SQL payloads, CSV formula injection — as an anonymous
// visitor, a consumer and an admin. Expected: never a 5xx nor an unhandled error, and a 4xx answer
// writes nothing (row counts of the main tables unchanged).
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';

type RouteModule = { loader?: (args: unknown) => unknown; action?: (args: unknown) => unknown };
const modules = import.meta.glob<RouteModule>(['../app/routes/*.ts', '../app/routes/*.tsx', '!../app/routes/*.test.*']);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100); // per route and method: ≥ 200 inputs per route

const payloads = [
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' OR 1=1 --", "'; DROP TABLE product; --", '=cmd|\' /C calc\'!A0',
  '+SUM(1+1)', '-2+3', '@SUM(A1)', '../../etc/passwd', '%00', '\u0000', '\uFFFF', '\uD800', '𠜎𠜱', '刺梨'.repeat(3000),
  'x'.repeat(100_000), '-1', '0', '-9999999999999999999', '1e309', 'NaN', 'Infinity', '3.14159', '[]', '{}', 'null', 'true',
  '2026-13-45', '0000-00-00', ' ', '', 'SH00000000000001', '520281', '99999999999',
];
const keys = ['page', 'perPage', 'q', 'from', 'to', 'groupBy', 'pairing', 'county', 'category', 'kind', 'flow', 'sort', 'variant',
  'redirectTo', 'level', 'parent', 'year', 'locale', 'email', 'password', 'confirmPassword', 'name', 'quantity', 'sku', 'variantId',
  'amount', 'amountYuan', 'intent', '_action', 'id', 'orderId', 'lineId', 'reason', 'mobile', 'street', 'provinceCode', 'cityCode',
  'districtCode', 'recipient', 'note', 'organisationId', 'invoiceTitle', 'taxNumber', 'reference', 'date', 'status', 'priceYuan', 'stock',
  'creditCode', 'countyCode', 'requestId', 'invoiceNumber', 'issuedOn', 'token', 'batch', 'target', 'published', 'minPrice', 'maxPrice', 'inStock', 'certified', 'perpage', '__proto__'];

const text = fc.oneof(fc.constantFrom(...payloads), fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer().map(String), fc.double().map(String), fc.bigInt().map(String));
const pairs = fc.array(fc.tuple(fc.constantFrom(...keys), text), { maxLength: 8 });

const safeEncode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%E5%88%BA%ZZ'; // a lone surrogate cannot be encoded: send a malformed escape instead
  }
};

function paramsFor(file: string, values: string[]) {
  const name = file.split('/').pop()!.replace(/\.tsx?$/, '');
  const params: Record<string, string> = {};
  let i = 0;
  for (const seg of name.split('.')) {
    if (seg === '$') params['*'] = values[i++ % values.length]!;
    else if (seg.startsWith('$')) params[seg.slice(1)] = values[i++ % values.length]!;
  }
  const path = '/' + name.replace(/^_index$/, '').split('.').filter((s) => !s.startsWith('_')).map((s) => (s.startsWith('$') ? safeEncode(params[s.slice(1) || '*'] ?? 'x') : s.replace(/\[|\]/g, ''))).join('/');
  return { params, path };
}

type Body = { kind: 'form'; pairs: Array<[string, string]> } | { kind: 'bytes'; type: string; bytes: Uint8Array } | { kind: 'json'; value: unknown };
const body: fc.Arbitrary<Body> = fc.oneof(
  pairs.map((p) => ({ kind: 'form' as const, pairs: p })),
  fc.tuple(fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data; boundary=zzz', 'multipart/form-data', 'application/json', 'text/csv'), fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string().map((s) => new Uint8Array(iconv.encode(`名称=${s}&email=${s}`, 'gbk'))),
    fc.constant(new Uint8Array([0xff, 0xfe, 0xc3, 0x28, 0x25, 0x45, 0x34, 0x25])),
    fc.constant(new TextEncoder().encode('--zzz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n=1+1,\xff\r\n')),
  )).map(([type, bytes]) => ({ kind: 'bytes' as const, type, bytes })),
  fc.jsonValue().map((value) => ({ kind: 'json' as const, value })),
);

function makeRequest(method: 'GET' | 'POST', path: string, query: Array<[string, string]>, cookie: string | null, b?: Body) {
  const url = new URL(`http://fuzz.local${path}`);
  for (const [k, v] of query) url.searchParams.append(k, v);
  const headers = new Headers();
  if (cookie) headers.set('cookie', cookie);
  // A different client address per request (as scripts/server.mjs sets it): the fuzzing is about what the
  // handlers do with bad input, not about the per-IP rate limits (tests/rate-limit.test.ts covers those).
  headers.set('x-shanhai-client-ip', `fuzz-${Math.random().toString(36).slice(2)}`);
  if (method === 'GET' || !b) return new Request(url, { method, headers });
  if (b.kind === 'form') {
    headers.set('content-type', 'application/x-www-form-urlencoded');
    return new Request(url, { method, headers, body: new URLSearchParams(b.pairs).toString() });
  }
  if (b.kind === 'json') {
    headers.set('content-type', 'application/json');
    return new Request(url, { method, headers, body: JSON.stringify(b.value) });
  }
  headers.set('content-type', b.type);
  return new Request(url, { method, headers, body: Buffer.from(b.bytes) });
}

async function rowCounts() {
  const tables = (await prisma.$queryRaw<Array<{ t: string }>>`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('_prisma_migrations', 'rate_limit', 'session', 'search_outbox', 'audit_log') order by 1`).map((r) => r.t);
  const sql = tables.map((t) => `(select count(*) from "${t}")::int as "${t}"`).join(', ');
  return (await prisma.$queryRawUnsafe<Array<Record<string, number>>>(`select ${sql}`))[0]!;
}

const cookies: Record<string, string | null> = { anonymous: null };
beforeAll(async () => {
  for (const email of ['consumer@demo.shanhai.cn', 'admin@demo.shanhai.cn']) {
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    cookies[email.split('@')[0]!] = (await createSession(user.id, new Request('http://fuzz.local/'))).split(';')[0]!;
  }
});

async function outcome(run: () => unknown) {
  try {
    const r = await run();
    return { status: r instanceof Response ? r.status : 200, error: null as unknown };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, error: null };
    return { status: 500, error: e };
  }
}

const files = Object.keys(modules).sort();

describe('bad input never gives a 5xx or a partial write', () => {
  it('finds the route modules', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    it(`${file.replace('../app/routes/', '')}`, async () => {
      const mod = await modules[file]!();
      const failures: string[] = [];
      let counts = await rowCounts();
      const check = async (label: string, res: { status: number; error: unknown }) => {
        if (res.status >= 500) failures.push(`${label} → ${res.status} ${res.error instanceof Error ? res.error.stack?.split('\n').slice(0, 3).join(' | ') : ''}`);
        const now = await rowCounts();
        if (res.status >= 400 && JSON.stringify(now) !== JSON.stringify(counts)) {
          const changed = Object.keys(now).filter((k) => now[k] !== counts[k]);
          failures.push(`${label} → ${res.status} but wrote rows in ${changed.join(', ')}`);
        }
        counts = now;
      };
      const who = fc.constantFrom(...Object.keys(cookies));
      const paramValues = fc.array(text, { minLength: 1, maxLength: 3 });
      if (mod.loader) {
        await fc.assert(
          fc.asyncProperty(who, paramValues, pairs, async (user, values, query) => {
            const { params, path } = paramsFor(file, values);
            const request = makeRequest('GET', path, query, cookies[user]!);
            await check(`GET ${request.url.slice(0, 120)} as ${user}`, await outcome(() => mod.loader!({ request, params, context: {} })));
          }),
          { numRuns: RUNS },
        );
      }
      if (mod.action) {
        await fc.assert(
          fc.asyncProperty(who, paramValues, pairs, body, async (user, values, query, b) => {
            const { params, path } = paramsFor(file, values);
            const request = makeRequest('POST', path, query, cookies[user]!, b);
            await check(`POST ${path.slice(0, 80)} (${b.kind}) as ${user}`, await outcome(() => mod.action!({ request, params, context: {} })));
          }),
          { numRuns: RUNS },
        );
      }
      expect(failures.slice(0, 5)).toEqual([]);
    }, 120_000);
  }
});
