// Real app processes (scripts/server.mjs, the production build, NODE_ENV=production) for tests that need
// several instances or kill one. Bounded waits that print the instances' output when they time out.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
export type Instance = { name: string; base: string; child: ChildProcess; output: string[] };
export const instances: Instance[] = [];
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, fn: () => Promise<T | false | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const v = await fn().catch((e: Error) => ((last = String(e?.message ?? e).slice(0, 500)), false as const));
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last: ${last})` : ''}\n${instances.map((i) => `--- ${i.name}\n${i.output.join('').slice(-3000)}`).join('\n')}`);
    await sleep(200);
  }
}

export async function startInstance(name: string, port: number, extraEnv: Record<string, string> = {}): Promise<Instance> {
  const output: string[] = [];
  const child = spawn(process.execPath, [path.join(root, 'scripts/server.mjs')], {
    cwd: root,
    env: {
      ...process.env, DATABASE_URL: process.env.DATABASE_URL, PORT: String(port), NODE_ENV: 'production', DEMO_DATA: 'false',
      SESSION_SECRET: 'multi-instance-secret-multi-instance-secret', JOBS_POLL_SECONDS: '0.5', TRUST_PROXY: '1', ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  const instance = { name, base: `http://127.0.0.1:${port}`, child, output };
  instances.push(instance);
  return instance;
}

export const get = (i: Instance, p: string, cookie?: string) => fetch(i.base + p, { redirect: 'manual', headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(20_000) });

/** Resolves when the instance answers /healthz with 200; otherwise throws the status and body (for `until`). */
export async function healthy(i: Instance) {
  const r = await get(i, '/healthz');
  if (!r.ok) throw new Error(`${i.name} /healthz ${r.status}: ${(await r.text()).slice(0, 300)}`);
  return true;
}
export const post = (i: Instance, p: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(i.base + p, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });

/** Stops every instance still running (SIGTERM) and waits for them. */
export async function stopInstances() {
  for (const i of instances) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGTERM');
  await Promise.all(instances.map((i) => (i.child.exitCode !== null || i.child.signalCode !== null ? null : new Promise((r) => i.child.once('exit', r)))));
}
