// The periodic jobs of the app, started once per process from entry.server.tsx. Every instance runs
// the same list; the scheduler makes each period run on exactly one of them (see scheduler.server.ts
// and docs/engineering.md "Background jobs").
import { rateLimitCleanupJob } from '~/modules/accounts/rate-limit.server';
import { env } from '~/modules/env/env.server';
import { reservationExpiryJob } from '~/modules/orders/orders.server';
import { allowanceExpiryJob } from '~/modules/organisations/allowances.server';
import { certificateExpiryJob } from '~/modules/sellers/certificates.server';
import { createScheduler, type Job, type Scheduler } from './scheduler.server';

/** Add a module's job here (a `Job` exported by the module that owns the data). */
export const jobs: Job[] = [certificateExpiryJob, rateLimitCleanupJob, reservationExpiryJob, allowanceExpiryJob];

const globalForJobs = globalThis as unknown as { __shanhaiJobs?: Scheduler };

/** Starts this process's scheduler (once; kept across dev rebuilds). Off with JOBS_ENABLED=false. */
export function startJobs(): Scheduler | undefined {
  const e = env();
  if (!e.JOBS_ENABLED) return undefined;
  if (globalForJobs.__shanhaiJobs) return globalForJobs.__shanhaiJobs;
  const scheduler = createScheduler({ pollMs: e.JOBS_POLL_SECONDS * 1000 });
  for (const job of jobs) scheduler.register(job);
  scheduler.start();
  globalForJobs.__shanhaiJobs = scheduler;
  return scheduler;
}
