// Periodic jobs on Postgres: each job runs once per period across every app instance.
//
// Every instance registers the same jobs and polls. A job row in `job_schedule` is claimed with ONE
// UPDATE (`next_run_at <= now()` and no live lease): Postgres row locks make a concurrent claim wait and
// then re-check the WHERE clause, so exactly one instance wins a period. The winner holds a lease
// (renewed while the job runs); if its process dies, the lease expires and another instance retries the
// same period. After success `next_run_at` moves to the next point of the job's grid (never "now +
// interval", so the period does not drift); after a failure it is retried after `retrySeconds`.
// Times come from the database clock, so clock skew between app servers does not matter.
//
// Jobs must still be idempotent (a crash after the work committed but before the row was marked done
// means the period runs again): write with dedupe keys or conditional UPDATEs, as the certificate expiry
// job does.
import crypto from 'node:crypto';
import os from 'node:os';
import { prisma } from '~/modules/db/db.server';

export type JobContext = {
  /** Aborted when this instance lost the lease (another instance took over) or the scheduler stops. */
  signal: AbortSignal;
  owner: string;
};

export type Job = {
  /** Unique, stable name: `<module>.<job>` (it is the primary key of job_schedule). */
  name: string;
  /** Period. The first run is due `firstRunAfterSeconds` (default 0) after the job is first registered. */
  everySeconds: number;
  /** How long a claim is valid without renewal (renewed every third of it while running). Default 300. */
  leaseSeconds?: number;
  /** Delay before retrying after the job threw. Default min(everySeconds, 60). */
  retrySeconds?: number;
  firstRunAfterSeconds?: number;
  /** The work. The resolved value is logged when it is a non-zero number or a non-empty string. */
  run: (ctx: JobContext) => Promise<unknown>;
};

export type RunOutcome = { name: string; ok: boolean; result?: unknown; error?: string; leaseLost?: boolean };

export type SchedulerOptions = {
  /** Identifies this instance in job_schedule.lease_owner / last_owner. */
  owner?: string;
  /** How often `start()` polls for due jobs. Default 15 s. */
  pollMs?: number;
  log?: (message: string) => void;
};

export type Scheduler = {
  owner: string;
  register(job: Job): void;
  /** Claims every due job and runs the claimed ones (in parallel); returns what ran here. */
  tick(): Promise<RunOutcome[]>;
  start(): void;
  stop(): Promise<void>;
};

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export function defaultOwner() {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
}

export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  const owner = options.owner ?? defaultOwner();
  const pollMs = options.pollMs ?? 15_000;
  const log = options.log ?? ((m: string) => console.log(m));
  const jobs = new Map<string, Job>();
  const registered = new Map<string, Promise<void>>();
  const running = new Map<string, { controller: AbortController; done: Promise<RunOutcome> }>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastTickError = '';

  function register(job: Job) {
    if (!NAME.test(job.name)) throw new Error(`job name ${JSON.stringify(job.name)} must match ${NAME}`);
    if (!(job.everySeconds >= 1)) throw new Error(`job ${job.name}: everySeconds must be ≥ 1`);
    if (jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    jobs.set(job.name, job);
  }

  /** Insert the schedule row once; a later deploy with a new interval updates it (and pulls a far next run closer). */
  function ensureRow(job: Job) {
    let p = registered.get(job.name);
    if (!p) {
      const every = Math.round(job.everySeconds);
      const first = job.firstRunAfterSeconds ?? 0;
      p = prisma.$executeRaw`
        insert into job_schedule (name, interval_seconds, next_run_at)
        values (${job.name}, ${every}, now() + make_interval(secs => ${first}))
        on conflict (name) do update set
          interval_seconds = excluded.interval_seconds,
          next_run_at = least(job_schedule.next_run_at, now() + make_interval(secs => excluded.interval_seconds))`.then(
        () => undefined,
        (error) => {
          registered.delete(job.name);
          throw error;
        },
      );
      registered.set(job.name, p);
    }
    return p;
  }

  async function claim(job: Job): Promise<boolean> {
    const lease = job.leaseSeconds ?? 300;
    const rows = await prisma.$queryRaw<Array<{ name: string }>>`
      update job_schedule
      set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${lease}), last_started_at = now()
      where name = ${job.name} and next_run_at <= now() and (lease_until is null or lease_until < now())
      returning name`;
    return rows.length === 1;
  }

  async function runClaimed(job: Job, controller: AbortController): Promise<RunOutcome> {
    const lease = job.leaseSeconds ?? 300;
    let leaseLost = false;
    const heartbeat = setInterval(() => {
      prisma.$queryRaw<Array<{ name: string }>>`
        update job_schedule set lease_until = now() + make_interval(secs => ${lease})
        where name = ${job.name} and lease_owner = ${owner} returning name`.then(
        (rows) => {
          if (rows.length === 0 && !leaseLost) {
            leaseLost = true;
            controller.abort(new Error(`lease on ${job.name} lost`));
          }
        },
        () => {}, // database briefly unreachable: the next heartbeat tries again
      );
    }, Math.max(200, (lease * 1000) / 3));
    heartbeat.unref();
    const started = Date.now();
    try {
      const result = await job.run({ signal: controller.signal, owner });
      clearInterval(heartbeat);
      const rows = await prisma.$queryRaw<Array<{ name: string }>>`
        update job_schedule set
          next_run_at = next_run_at + make_interval(secs => interval_seconds * (floor(extract(epoch from (now() - next_run_at)) / interval_seconds) + 1)),
          lease_owner = null, lease_until = null, last_finished_at = now(), last_owner = ${owner}, last_error = null,
          run_count = run_count + 1
        where name = ${job.name} and lease_owner = ${owner}
        returning name`;
      if (rows.length === 0) {
        log(`[jobs] ${job.name}: finished after its lease was taken over; the other instance's run counts`);
        return { name: job.name, ok: false, result, leaseLost: true };
      }
      if ((typeof result === 'number' && result !== 0) || (typeof result === 'string' && result)) {
        log(`[jobs] ${job.name}: ${String(result)} (${Date.now() - started} ms)`);
      }
      return { name: job.name, ok: true, result };
    } catch (error) {
      clearInterval(heartbeat);
      const message = (error as Error)?.message ?? String(error);
      const retry = job.retrySeconds ?? Math.min(job.everySeconds, 60);
      console.error(`[jobs] ${job.name} failed (retry in ${retry} s):`, message);
      await prisma.$executeRaw`
        update job_schedule set next_run_at = now() + make_interval(secs => ${retry}), lease_owner = null, lease_until = null,
          last_finished_at = now(), last_owner = ${owner}, last_error = ${message.slice(0, 2000)}, failure_count = failure_count + 1
        where name = ${job.name} and lease_owner = ${owner}`.catch(() => {
        // Database gone: the lease expires by itself and the period is retried.
      });
      return { name: job.name, ok: false, error: message, leaseLost };
    }
  }

  async function tick(): Promise<RunOutcome[]> {
    const started: Array<Promise<RunOutcome>> = [];
    for (const job of jobs.values()) {
      if (stopped) break;
      if (running.has(job.name)) continue; // still running here from an earlier tick
      await ensureRow(job);
      if (!(await claim(job))) continue;
      const controller = new AbortController();
      const done = runClaimed(job, controller).finally(() => running.delete(job.name));
      running.set(job.name, { controller, done });
      started.push(done);
    }
    return Promise.all(started);
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(async () => {
      try {
        await tick();
        lastTickError = '';
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        // Say it once, not every poll, while the database is down.
        if (message !== lastTickError) console.error('[jobs] poll failed:', message);
        lastTickError = message;
      }
      // A little jitter so instances started together do not poll in lockstep.
      schedule(pollMs * (0.9 + Math.random() * 0.2));
    }, delay);
    timer.unref();
  }

  return {
    owner,
    register,
    tick,
    start() {
      if (timer || stopped) return;
      schedule(Math.min(pollMs, 1_000 + Math.random() * 1_000));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const r of running.values()) r.controller.abort(new Error('scheduler stopped'));
      await Promise.allSettled([...running.values()].map((r) => r.done));
    },
  };
}
