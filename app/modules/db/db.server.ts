import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '~/generated/prisma/client';
import { env } from '~/modules/env/env.server';

export type { Prisma } from '~/generated/prisma/client';

type Db = { prisma: PrismaClient; pool: pg.Pool };
const globalForDb = globalThis as unknown as { __shanhaiDb?: Db };

function create(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // A restarting Postgres must not crash the app: idle clients that die are dropped by the pool.
  pool.on('error', (error) => console.error('[db] idle client error:', error.message));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
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

export async function disconnect() {
  const db = globalForDb.__shanhaiDb;
  globalForDb.__shanhaiDb = undefined;
  if (db) {
    await db.prisma.$disconnect();
    await db.pool.end();
  }
}
