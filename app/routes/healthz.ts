import { json } from '@remix-run/node';
import { prisma } from '~/modules/db/db.server';
import { searchService } from '~/modules/search/search.server';

/** Liveness and dependencies: 200 when the database answers, 503 otherwise. */
export async function loader() {
  const started = Date.now();
  let database: { status: 'ok' | 'down'; latencyMs?: number; error?: string };
  try {
    await prisma.$queryRaw`select 1`;
    database = { status: 'ok', latencyMs: Date.now() - started };
  } catch (error) {
    database = { status: 'down', error: (error instanceof Response ? await error.text() : String((error as Error)?.message ?? error)).slice(0, 200) };
  }
  const ok = database.status === 'ok';
  // search degraded (Meilisearch unreachable, embedded index still building) is not down: searches are
  // answered from the next engine, so the instance stays in the load balancer (200) and says degraded
  const search = ok ? await searchService().health().catch((e: Error) => ({ status: 'degraded' as const, error: e.message.slice(0, 200) })) : null;
  const status = !ok ? 'down' : search?.status === 'degraded' ? 'degraded' : 'ok';
  return json({ status, checks: { database, ...(search ? { search } : {}) } }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
