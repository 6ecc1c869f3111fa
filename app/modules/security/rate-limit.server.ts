// Rate limits for routes: one shared, DB-backed fixed window per key (accounts/rate-limit.server.ts
// `hitRateLimit`, one atomic upsert), so every app instance counts the same attempts.
//
//   await enforceRateLimit(`checkout:user:${user.id}`, 20, 600);            // throws 429 (text) when over
//   await enforceRateLimit(`x:ip:${clientIp(request)}`, 60, 60, 'json');    // JSON body for API routes
//   const { allowed, retryAfter } = await hitRateLimit(key, limit, window); // to re-render a form instead
import { json } from '@remix-run/node';
import { clientIp, hitRateLimit } from '~/modules/accounts/rate-limit.server';

export { clientIp, hitRateLimit };

/** The 429 answer: Retry-After in seconds and a message in both languages. */
export function tooManyRequests(retryAfter: number, format: 'json' | 'text' = 'text') {
  const message = `请求过于频繁，请 ${retryAfter} 秒后再试 / Too many requests, retry in ${retryAfter} s`;
  const headers = { 'Retry-After': String(retryAfter), 'Cache-Control': 'no-store' };
  return format === 'json'
    ? json({ error: { status: 429, message, retryAfter } }, { status: 429, headers })
    : new Response(message, { status: 429, statusText: 'Too Many Requests', headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Counts one attempt for `key`; throws a 429 Response once more than `limit` fall in the window. */
export async function enforceRateLimit(key: string, limit: number, windowSeconds: number, format: 'json' | 'text' = 'text') {
  const r = await hitRateLimit(key, limit, windowSeconds);
  if (!r.allowed) throw tooManyRequests(r.retryAfter, format);
  return r;
}

/** Orders a signed-in buyer may submit at /checkout in ten minutes (valid forms only). */
export const CHECKOUT_LIMIT_PER_10_MIN = 20;

/** Requests per minute and client IP on the public JSON API (/api/v1/*). */
export const API_LIMIT_PER_MINUTE = 120;

/** First line of every /api/v1 loader and action: 429 JSON (with Retry-After) past the per-IP limit. */
export async function apiRateLimit(request: Request) {
  return enforceRateLimit(`api:ip:${clientIp(request)}`, API_LIMIT_PER_MINUTE, 60, 'json');
}
