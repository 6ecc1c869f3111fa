import type { MetaFunction } from '@remix-run/node';

// The smallest page: the layout and nothing else. An uptime probe, and the baseline route of
// bench/render.ts (product page throughput is reported as a ratio to this).
export const meta: MetaFunction = () => [{ title: 'ok · 山海集' }, { name: 'robots', content: 'noindex' }];

export function loader() {
  return null;
}

export default function Ping() {
  return <p>ok</p>;
}
