import { json } from '@remix-run/node';
import { prisma } from '~/modules/db/db.server';

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
  return json({ status: ok ? 'ok' : 'down', checks: { database } }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
