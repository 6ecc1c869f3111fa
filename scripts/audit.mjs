// Dependency audit for CI: fails on known critical advisories in the production dependency tree
// (`npm audit --omit=dev`: what `npm install --omit=dev` puts on a server; dev tools are not asked about).
//
//   exit 0  no critical advisory (counts of the other severities are printed)
//   exit 1  at least one critical advisory: each is named with where it sits in node_modules and its URL
//   exit 0  the registry's advisory endpoint gave no data (this machine's registry answers 405): printed as
//           UNAVAILABLE, never as a pass — unless AUDIT_REQUIRED=true, then exit 1 (set it where the
//           registry answers, so that an outage cannot turn the gate off silently)
//
// The registry is npm's own setting (`npm_config_registry`, .npmrc); scripts/audit.test.ts runs this script
// against a local advisory server.
import { spawnSync } from 'node:child_process';

const required = /^(1|true|yes)$/i.test(process.env.AUDIT_REQUIRED ?? '');
const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

let report = null;
try {
  report = JSON.parse(r.stdout);
} catch {
  /* no JSON at all: treated as no data */
}
if (!report || report.error || !report.metadata?.vulnerabilities) {
  const why =
    [report?.message, report?.error?.code, report?.error?.summary].filter(Boolean).join(' ') ||
    (r.error ? String(r.error) : '') ||
    (r.stderr ?? '').split('\n').find((l) => /audit/i.test(l))?.trim() ||
    'no answer';
  console.log(`dependency audit: UNAVAILABLE (${why}); no advisory data could be checked in this run`);
  if (required) {
    console.log('dependency audit: AUDIT_REQUIRED is set, so missing advisory data fails the run');
    process.exit(1);
  }
  process.exit(0);
}

const v = report.metadata.vulnerabilities;
console.log(`dependency audit (production dependencies): critical ${v.critical}, high ${v.high}, moderate ${v.moderate}, low ${v.low}`);
if (v.critical > 0) {
  for (const [name, info] of Object.entries(report.vulnerabilities ?? {})) {
    if (info.severity !== 'critical') continue;
    const advisories = (info.via ?? []).filter((x) => typeof x === 'object' && x.severity === 'critical');
    const why = advisories.length
      ? advisories.map((a) => `${a.title} (${a.range}) ${a.url}`).join('; ')
      : `through ${(info.via ?? []).filter((x) => typeof x === 'string').join(', ')}`;
    console.log(`  critical: ${name} at ${(info.nodes ?? []).join(', ') || '?'}: ${why}${info.fixAvailable ? ' — a fix is available' : ''}`);
  }
  process.exit(1);
}
