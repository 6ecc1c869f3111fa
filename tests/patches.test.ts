// The dependency patches of scripts/patch-dependencies.mjs (ADR 0013) are in place, and route matching
// with them answers as before while handing every caller its own match objects.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const require = createRequire(import.meta.url);

describe('dependency patches', () => {
  it('every patch is applied to the installed packages (an upgrade that drops one fails here)', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts/patch-dependencies.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stdout).not.toContain('MISSING');
    expect(run.status).toBe(0);
  });

  it('matchRoutes answers like the unpatched router, and callers cannot change each other\'s matches', () => {
    const { matchRoutes } = require('@remix-run/router') as typeof import('@remix-run/router');
    const routes = [
      { id: 'root', path: '/', children: [{ id: 'index', index: true }, { id: 'product', path: 'products/:slug' }, { id: 'search', path: 'search' }, { id: 'splat', path: '*' }] },
    ];
    const first = matchRoutes(routes, '/products/ci-li')!;
    expect(first.map((m) => m.route.id)).toEqual(['root', 'product']);
    expect(first[1]!.params).toEqual({ slug: 'ci-li' });
    expect(first[0]!.params).toBe(first[1]!.params); // one params object per answer, as upstream
    (first[1]!.params as Record<string, string>).slug = 'changed';
    (first[1] as { pathname: string }).pathname = '/elsewhere';
    const second = matchRoutes(routes, '/products/ci-li')!;
    expect(second[1]!.params).toEqual({ slug: 'ci-li' });
    expect(second[1]!.pathname).toBe('/products/ci-li');
    expect(matchRoutes(routes, '/')!.map((m) => m.route.id)).toEqual(['root', 'index']);
    expect(matchRoutes(routes, '/no/such/page')!.map((m) => [m.route.id, m.params['*']])).toEqual([['root', 'no/such/page'], ['splat', 'no/such/page']]);
    expect(matchRoutes(routes, '/search', '/shop')).toBeNull(); // outside the basename
    // a new route tree (another build) is matched on its own
    const other = [{ id: 'root', path: '/', children: [{ id: 'other', path: 'products/:slug' }] }];
    expect(matchRoutes(other, '/products/ci-li')!.map((m) => m.route.id)).toEqual(['root', 'other']);
    // more distinct pathnames than the cache keeps
    for (let i = 0; i < 2_500; i++) expect(matchRoutes(routes, `/products/p${i}`)![1]!.params.slug).toBe(`p${i}`);
  });
});
