// Running processes from Linux /proc: each one's parent and CPU time (user + system). Used by the
// benchmarks (server CPU per request over every server process) and the cluster test.
import fs from 'node:fs';

/** @returns {Array<{ pid: number, ppid: number, cpuMs: number }>} */
export function processes() {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // after "pid (comm) ": state ppid … utime(12th) stime(13th); clock ticks are USER_HZ = 100
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    out.push({ pid: Number(d), ppid: Number(f[1]), cpuMs: (Number(f[11]) + Number(f[12])) * 10 });
  }
  return out;
}
