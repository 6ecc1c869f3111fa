// Product page server rendering throughput, as a ratio to the bare /ping route on the same server
// (autocannon, 50 connections), and the gzipped JavaScript a product page loads.
// Targets: ratio ≥ 50%, product page p99 ≤ 100 ms, JS ≤ 120 KB gzipped.
import os from 'node:os';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { benchDatabase, report, startApp } from './lib';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const db = await benchDatabase('render');
// As production runs it on this machine: one server process per core (WEB_CONCURRENCY).
const workers = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
const app = await startApp(db.url, { workers });
try {
  const { prisma } = await import('../app/modules/db/db.server');
  const slugs = (await prisma.product.findMany({ where: { status: 'LISTED' }, select: { slug: true }, take: 50 })).map((p) => p.slug);
  const run = (paths: string[]) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      let i = 0;
      const instance = autocannon(
        { url: app.base, connections: 50, duration: seconds, requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }] },
        (err, result) => (err ? reject(err) : resolve(result)),
      );
      autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false });
    });
  // Server CPU time per request (user + system of every server process): steadier than req/s on a shared machine.
  const cpuMs = app.cpuMs;
  const measured = async (paths: string[]) => {
    const before = cpuMs();
    const result = await run(paths);
    return { result, cpuPerRequest: (cpuMs() - before) / Math.max(1, result.requests.total) };
  };
  await run(['/ping']); // warm-up
  await run(slugs.map((s) => `/products/${s}`)); // warm-up (first views fill the product page cache)
  const { result: bare, cpuPerRequest: bareCpu } = await measured(['/ping']);
  const { result: product, cpuPerRequest: productCpu } = await measured(slugs.map((s) => `/products/${s}`));
  if (product.non2xx > 0 || bare.non2xx > 0) throw new Error(`non-2xx answers: product ${product.non2xx}, ping ${bare.non2xx}`);
  const ratio = product.requests.average / bare.requests.average;

  // JavaScript of a product page: every script and modulepreload it references, gzipped.
  const html = await (await fetch(`${app.base}/products/${slugs[0]}`)).text();
  const srcs = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]!);
  const inline = [...html.matchAll(/<script(?![^>]*(?:src=|application\/ld\+json))[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).join('');
  let gz = zlib.gzipSync(inline).length;
  for (const src of new Set(srcs)) gz += zlib.gzipSync(Buffer.from(await (await fetch(new URL(src, app.base))).arrayBuffer())).length;
  const kb = gz / 1024;
  report('render', [
    { metric: 'product page req/s (50 connections)', value: product.requests.average.toFixed(0), baseline: `${bare.requests.average.toFixed(0)} (/ping)`, ratio: `${(ratio * 100).toFixed(0)}%`, target: '≥ 50%', ok: ratio >= 0.5 },
    { metric: 'product page server CPU per request', value: `${productCpu.toFixed(2)} ms`, baseline: `${bareCpu.toFixed(2)} ms (/ping)`, ratio: `${((bareCpu / productCpu) * 100).toFixed(0)}%` },
    { metric: 'product page latency p99', value: `${product.latency.p99} ms`, baseline: `${bare.latency.p99} ms (/ping)`, target: '≤ 100 ms', ok: product.latency.p99 <= 100 },
    { metric: 'product page latency p50', value: `${product.latency.p50} ms` },
    { metric: 'product page JavaScript (gzip)', value: `${kb.toFixed(1)} KB`, target: '≤ 120 KB', ok: kb <= 120 },
    { metric: 'scripts loaded', value: String(new Set(srcs).size) },
    { metric: 'server processes (WEB_CONCURRENCY)', value: String(workers) },
  ]);
  await (await import('../app/modules/db/db.server')).disconnect();
} finally {
  await app.stop();
  await db.stop();
}
