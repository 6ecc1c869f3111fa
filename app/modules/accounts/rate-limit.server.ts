import { prisma } from '~/modules/db/db.server';
import type { Job } from '~/modules/jobs/scheduler.server';

/**
 * Fixed-window rate limit kept in Postgres, so every app instance shares it.
 * One atomic upsert per attempt. Returns whether this attempt is allowed and when to retry.
 */
export async function hitRateLimit(key: string, limit: number, windowSeconds: number) {
  const rows = await prisma.$queryRaw<Array<{ count: number; windowStart: Date }>>`
    insert into rate_limit (key, window_start, count) values (${key}, now(), 1)
    on conflict (key) do update set
      count = case when rate_limit.window_start < now() - make_interval(secs => ${windowSeconds}) then 1 else rate_limit.count + 1 end,
      window_start = case when rate_limit.window_start < now() - make_interval(secs => ${windowSeconds}) then now() else rate_limit.window_start end
    returning count, window_start as "windowStart"`;
  const row = rows[0]!;
  const retryAfter = Math.max(1, Math.ceil((row.windowStart.getTime() + windowSeconds * 1000 - Date.now()) / 1000));
  return { allowed: row.count <= limit, retryAfter };
}

/**
 * Gives back one attempt of the current window (a login that succeeded): limits count what could be an
 * attack, not members of one office behind one address signing in. Counted before the attempt and given
 * back after, so concurrent guesses can never slip past the limit.
 */
export async function releaseRateLimit(key: string) {
  await prisma.$executeRaw`update rate_limit set count = greatest(count - 1, 0) where key = ${key}`;
}

/**
 * The client's IP address. scripts/server.mjs always overwrites `x-shanhai-client-ip` with Express's
 * `req.ip`, which honours TRUST_PROXY (how many load balancers append to X-Forwarded-For), so a client
 * cannot choose its own address by sending X-Forwarded-For. Outside that server (tests) it is 'local'.
 */
export const CLIENT_IP_HEADER = 'x-shanhai-client-ip';
export function clientIp(request: Request) {
  return (request.headers.get(CLIENT_IP_HEADER)?.trim() || 'local').slice(0, 64);
}

/** Windows older than a day are over for every limit in use: the hourly cleanup deletes them. */
export async function deleteExpiredRateLimits(olderThanSeconds = 24 * 3600) {
  return prisma.$executeRaw`delete from rate_limit where window_start < now() - make_interval(secs => ${olderThanSeconds})`;
}

export const rateLimitCleanupJob: Job = {
  name: 'accounts.rate-limit-cleanup',
  everySeconds: 60 * 60,
  firstRunAfterSeconds: 60,
  run: async () => {
    const n = await deleteExpiredRateLimits();
    return n ? `${n} old rate-limit window(s) deleted` : 0;
  },
};
