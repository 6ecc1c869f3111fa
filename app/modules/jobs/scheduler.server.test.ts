// The shared scheduler: racing instances run a period once, crashed runs are retried after their lease,
// failures are recorded and retried, a lost lease aborts the loser.
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { uniq } from '../../../tests/helpers/actors';
import { createScheduler, type Job } from './scheduler.server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (name: string) => prisma.jobSchedule.findUniqueOrThrow({ where: { name } });
const quiet = () => {};

describe('job scheduler', () => {
  it('two schedulers racing for a due job: exactly one runs it; it is then not due again', async () => {
    const name = `test.race-${uniq()}`;
    const ran: string[] = [];
    const job = (owner: string): Job => ({ name, everySeconds: 3600, run: async () => { ran.push(owner); await sleep(100); } });
    const a = createScheduler({ owner: 'instance-a', log: quiet });
    const b = createScheduler({ owner: 'instance-b', log: quiet });
    a.register(job('instance-a'));
    b.register(job('instance-b'));
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect(ran).toHaveLength(1);
    expect(ra.length + rb.length).toBe(1);
    const r = await row(name);
    expect(r.runCount).toBe(1);
    expect(r.lastOwner).toBe(ran[0]);
    expect(r.leaseOwner).toBeNull();
    expect(r.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 3500 * 1000);
    await Promise.all([a.tick(), b.tick()]);
    expect(ran).toHaveLength(1);
  });

  it('five instances polling a 1-second job for 3.5 s: one run per period, never two at once', async () => {
    const name = `test.periods-${uniq()}`;
    const periods: number[] = [];
    let active = 0;
    let maxActive = 0;
    const schedulers = Array.from({ length: 5 }, (_, i) => {
      const s = createScheduler({ owner: `i${i}`, log: quiet });
      s.register({
        name, everySeconds: 1,
        run: async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          periods.push((await row(name)).nextRunAt.getTime());
          await sleep(30);
          active--;
        },
      });
      return s;
    });
    const until = Date.now() + 3500;
    await Promise.all(schedulers.map(async (s) => {
      while (Date.now() < until) {
        await s.tick();
        await sleep(20 + Math.random() * 60);
      }
    }));
    expect(maxActive).toBe(1);
    expect(periods.length).toBeGreaterThanOrEqual(3);
    expect(new Set(periods).size).toBe(periods.length);
    // Consecutive periods are one grid step apart: no period skipped, none run twice.
    for (let i = 1; i < periods.length; i++) expect(periods[i]! - periods[i - 1]!).toBe(1000);
    expect((await row(name)).runCount).toBe(periods.length);
  });

  it('a run whose instance died is retried by another instance once its lease has expired', async () => {
    const name = `test.crash-${uniq()}`;
    let runs = 0;
    const b = createScheduler({ owner: 'survivor', log: quiet });
    b.register({ name, everySeconds: 3600, run: async () => void runs++ });
    await prisma.jobSchedule.create({ data: { name, intervalSeconds: 3600, nextRunAt: new Date(Date.now() - 60_000), leaseOwner: 'dead-instance', leaseUntil: new Date(Date.now() + 1000) } });
    expect(await b.tick()).toEqual([]);
    expect(runs).toBe(0);
    await sleep(1200);
    const out = await b.tick();
    expect(out).toEqual([expect.objectContaining({ name, ok: true })]);
    expect(runs).toBe(1);
    const r = await row(name);
    expect(r).toMatchObject({ runCount: 1, lastOwner: 'survivor', leaseOwner: null });
  });

  it('a failing run is recorded and retried after retrySeconds, not at once', async () => {
    const name = `test.fail-${uniq()}`;
    let calls = 0;
    const s = createScheduler({ owner: 'x', log: quiet });
    s.register({ name, everySeconds: 3600, retrySeconds: 1, run: async () => { calls++; if (calls === 1) throw new Error('boom'); } });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect(await s.tick()).toEqual([expect.objectContaining({ ok: false, error: 'boom' })]);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
    let r = await row(name);
    expect(r).toMatchObject({ runCount: 0, failureCount: 1, lastError: 'boom', leaseOwner: null });
    expect(await s.tick()).toEqual([]);
    await sleep(1100);
    expect(await s.tick()).toEqual([expect.objectContaining({ ok: true })]);
    r = await row(name);
    expect(r).toMatchObject({ runCount: 1, failureCount: 1, lastError: null });
  });

  it('the lease is renewed while a long job runs; losing it aborts the job and its finish does not count', async () => {
    const name = `test.lease-${uniq()}`;
    const s = createScheduler({ owner: 'slow', log: quiet });
    let aborted = false;
    s.register({
      name, everySeconds: 3600, leaseSeconds: 0.6,
      run: async ({ signal }) => {
        // Longer than the lease: the heartbeat keeps it alive.
        await sleep(1000);
        const r = await row(name);
        expect(r.leaseOwner).toBe('slow');
        expect(r.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
        // Another instance takes the job over (as if this one had been paused past its lease).
        await prisma.jobSchedule.update({ where: { name }, data: { leaseOwner: 'thief' } });
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve());
          setTimeout(resolve, 2000);
        });
        aborted = signal.aborted;
      },
    });
    const [out] = await s.tick();
    expect(aborted).toBe(true);
    expect(out).toMatchObject({ name, ok: false, leaseLost: true });
    expect((await row(name)).runCount).toBe(0);
  });

  it('refuses bad job definitions', () => {
    const s = createScheduler({ log: quiet });
    expect(() => s.register({ name: 'Bad Name', everySeconds: 60, run: async () => {} })).toThrow(/must match/);
    expect(() => s.register({ name: 'ok.job', everySeconds: 0, run: async () => {} })).toThrow(/everySeconds/);
    s.register({ name: 'ok.job', everySeconds: 60, run: async () => {} });
    expect(() => s.register({ name: 'ok.job', everySeconds: 60, run: async () => {} })).toThrow(/twice/);
  });
});
