// npm run bench — runs every bench/*.ts script (each measures against its own in-run baseline) and
// writes one Markdown report to bench/reports/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib';

const only = process.argv.slice(2);
const scripts = fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.ts') && !['lib.ts', 'run.ts'].includes(f) && (!only.length || only.some((o) => f.startsWith(o)))).sort();
const sections: string[] = [];
let failures = 0;
for (const script of scripts) {
  console.log(`\n━━ bench/${script} ━━`);
  const started = Date.now();
  const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'bench', script)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: process.env, maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  const line = (r.stdout ?? '').split('\n').reverse().find((l) => l.startsWith('BENCH_RESULT '));
  const took = ((Date.now() - started) / 1000).toFixed(0);
  if (r.status !== 0 || !line) {
    failures++;
    sections.push(`## ${script}\n\nFailed (exit ${r.status}) after ${took} s.\n`);
    continue;
  }
  const { rows } = JSON.parse(line.slice('BENCH_RESULT '.length)) as { rows: Array<Record<string, string | boolean | undefined>> };
  const table = ['| metric | value | in-run baseline | ratio | target |', '| --- | --- | --- | --- | --- |',
    ...rows.map((x) => `| ${x.metric} | ${x.value} | ${x.baseline ?? ''} | ${x.ratio ?? ''} | ${x.target ? `${x.target} ${x.ok ? '✓' : '✗'}` : ''} |`)].join('\n');
  sections.push(`## ${script} (${took} s)\n\n${table}\n`);
}
const md = `# Shanhai Market benchmark report\n\n${new Date().toISOString()} · ${process.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded PostgreSQL'} · Node ${process.version} · 2-core machine\n\nEvery figure is measured against a baseline taken in the same run on the same machine.\n\n${sections.join('\n')}`;
const dir = path.join(root, 'bench', 'reports');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `report-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.md`);
fs.writeFileSync(file, md);
fs.writeFileSync(path.join(dir, 'latest.md'), md);
console.log(`\nreport written to ${path.relative(root, file)}`);
process.exit(failures ? 1 : 0);
