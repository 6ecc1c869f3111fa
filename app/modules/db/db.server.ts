import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '~/generated/prisma/client';
import { env } from '~/modules/env/env.server';

export type { Prisma } from '~/generated/prisma/client';

const UNAVAILABLE = /ECONNREFUSED|ECONNRESET|57P01|57P03|Connection terminated|server closed the connection|the database system is (starting up|shutting down|in recovery)|Can't reach database|connect ETIMEDOUT|timeout exceeded when trying to connect|terminating connection/i;

/** Is this error the database being down or restarting (as opposed to a bad query)? */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  const e = error as { message?: string; code?: string; cause?: unknown } | null;
  if (!e || depth > 4) return false;
  return UNAVAILABLE.test(`${e.code ?? ''} ${e.message ?? ''}`) || (e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1));
}

export function unavailableResponse() {
  return new Response('数据库暂时不可用，请稍后重试 / The database is temporarily unavailable, please retry', {
    status: 503,
    statusText: 'Service Unavailable',
    headers: { 'Retry-After': '5', 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

type Db = { prisma: PrismaClient; pool: pg.Pool };
const globalForDb = globalThis as unknown as { __shanhaiDb?: Db; __shanhaiReplica?: Db };

function create(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // A restarting Postgres must not crash the app: idle clients that die are dropped by the pool.
  pool.on('error', (error) => console.error('[db] idle client error:', error.message));
  // Requests that meet a restarting database get a 503 (with Retry-After) instead of a generic 500;
  // the pool reconnects by itself once the database is back.
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) }).$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw unavailableResponse();
          throw error;
        }
      },
    },
  }) as unknown as PrismaClient;
  return { prisma, pool };
}

function instance(): Db {
  globalForDb.__shanhaiDb ??= create(env().DATABASE_URL);
  return globalForDb.__shanhaiDb;
}

/** The Prisma client (one per process, kept across dev rebuilds). */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get: (_t, prop) => Reflect.get(instance().prisma, prop),
});

/** The pg pool under Prisma, for the few statements Prisma cannot express (COPY, FOR UPDATE SKIP LOCKED). */
export function pool(): pg.Pool {
  return instance().pool;
}

function replicaInstance(): Db {
  const url = env().DATABASE_REPLICA_URL;
  if (!url) return instance();
  globalForDb.__shanhaiReplica ??= create(url);
  return globalForDb.__shanhaiReplica;
}

/**
 * Where reports read: the streaming replica named by DATABASE_REPLICA_URL, or the primary without one.
 * A replica trails the primary by its replay delay, so use it only for reports over the ledger (totals,
 * the officials' dashboard, drill-down, exports) and never to decide a write.
 */
export const reportsPrisma: PrismaClient = new Proxy({} as PrismaClient, {
  get: (_t, prop) => Reflect.get(replicaInstance().prisma, prop),
});

export async function disconnect() {
  for (const key of ['__shanhaiDb', '__shanhaiReplica'] as const) {
    const db = globalForDb[key];
    globalForDb[key] = undefined;
    if (db) {
      await db.prisma.$disconnect();
      await db.pool.end();
    }
  }
}
