// Scope matrix of the officials' console: every console page loader and action, the export, the import
// pages and file, and the JSON APIs, called with a real session of each demo role (or none) and two
// extra officials (one on the WEST side of 中山 ↔ 六盘水, one scoped to a group pairing only), for
// pairings inside and outside each official's scope.
// "allow" = the scope check let the call through (200, a validation 400, a redirect elsewhere);
// "deny" = 403; "login" = redirect to /login (pages) or 401 (APIs); "missing" = 404.
import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { COLUMNS } from '~/modules/imports/format';
import { bufferSource } from '~/modules/imports/parse.server';
import { importActor, stageImport } from '~/modules/imports/imports.server';
import * as totalsApi from '~/routes/api.console.totals';
import * as entriesApi from '~/routes/api.console.entries';
import * as consoleLayout from '~/routes/console';
import * as consoleIndex from '~/routes/console._index';
import * as consoleAudit from '~/routes/console.audit';
import * as consoleEntries from '~/routes/console.entries';
import * as consoleExport from '~/routes/console.export';
import * as batchPage from '~/routes/console.imports.$id';
import * as batchFile from '~/routes/console.imports.$id.file';
import * as importsPage from '~/routes/console.imports._index';
import * as importTemplate from '~/routes/console.imports.template';
import * as reconciliationPage from '~/routes/console.reconciliation';
import * as impactPage from '~/routes/impact.$pairing';
import { freshUser } from './helpers/actors';
import { scopeOf } from './helpers/session';
import { runRouteAs, type RouteFn } from './helpers/routes';

const ROLES: Record<string, string | null> = {
  anonymous: null,
  consumer: 'consumer@demo.shanhai.cn',
  union: 'union@demo.shanhai.cn',
  agency: 'agency@demo.shanhai.cn',
  'coop-panzhou': 'coop-panzhou@demo.shanhai.cn',
  'coop-dushan': 'coop-dushan@demo.shanhai.cn',
  'official-zs-lps': 'official-zs-lps@demo.shanhai.cn',
  'official-hp-ds': 'official-hp-ds@demo.shanhai.cn',
  admin: 'admin@demo.shanhai.cn',
  // filled in beforeAll: fresh officials
  'official-lps-west': null,
  'official-xiaolan-group': null,
};
type Role = keyof typeof ROLES;
type Outcome = 'allow' | 'deny' | 'login' | 'missing';
const roles = Object.keys(ROLES);
const officials = ['official-zs-lps', 'official-hp-ds', 'official-lps-west', 'official-xiaolan-group'];

const CITY = 'zhongshan-liupanshui';
const GROUP = 'zhongshan-xiaolan-panzhou';
const HP = 'huangpu-dushan';
const OTHER = 'panyu-weining';
const PAIRINGS = [CITY, GROUP, 'zhongshan-torch-shuicheng', HP, OTHER];

/** Which pairings each official sees: a city scope includes its group pairings; side does not matter. */
const SCOPE: Record<string, string[]> = {
  'official-zs-lps': [CITY, GROUP, 'zhongshan-torch-shuicheng', 'zhongshan-dongqu-liuzhi'],
  'official-lps-west': [CITY, GROUP, 'zhongshan-torch-shuicheng', 'zhongshan-dongqu-liuzhi'],
  'official-xiaolan-group': [GROUP],
  'official-hp-ds': [HP],
};
const consoleUser = (r: Role): Outcome => (r === 'anonymous' ? 'login' : r === 'admin' || officials.includes(r) ? 'allow' : 'deny');
const seesPairing = (slug: string) => (r: Role): Outcome => {
  const base = consoleUser(r);
  if (base !== 'allow' || r === 'admin') return base;
  return SCOPE[r]!.includes(slug) ? 'allow' : 'deny';
};

type Fn = RouteFn;

async function outcome(fn: Fn, role: Role, url: string, params: Record<string, string>, body?: Record<string, string> | FormData): Promise<Outcome | string> {
  const result = await runRouteAs(fn, ROLES[role] ?? null, url, params, body);
  if (!(result instanceof Response)) {
    if (result instanceof Error) throw result;
    return 'allow';
  }
  // drain streamed bodies (exports, files) so nothing is left running
  const text = await result.text();
  if (result.status === 302 && result.headers.get('location')?.startsWith('/login')) return 'login';
  if (result.status === 401) return 'login';
  if (result.status === 403) return 'deny';
  if (result.status === 404) return 'missing';
  if (result.status >= 500) return `status ${result.status}: ${text.slice(0, 200)}`;
  return 'allow';
}

const ids = { cityBatch: 0, hpBatch: 0 };
const HEADER = COLUMNS.map((c) => c.zh).join(',');
const csvRow = (origin: string, seller: string, place: string, evidence: string) =>
  `2024-03-15,测试食堂,预算单位,${place},${seller},${origin},测试商品,农畜牧产品,采购,1,100.00,食堂采购,${evidence}`;

beforeAll(async () => {
  const lps = await prisma.pairing.findUniqueOrThrow({ where: { slug: CITY } });
  const group = await prisma.pairing.findUniqueOrThrow({ where: { slug: GROUP } });
  const west = await freshUser(['official']);
  await prisma.officialScope.create({ data: { userId: west.id, pairingId: lps.id, side: 'WEST' } });
  const groupOnly = await freshUser(['official']);
  await prisma.officialScope.create({ data: { userId: groupOnly.id, pairingId: group.id, side: 'EAST' } });
  ROLES['official-lps-west'] = west.email;
  ROLES['official-xiaolan-group'] = groupOnly.email;
  // a batch counting only for the city pairing (钟山区 is in no group pairing), and one for 黄埔 ↔ 独山
  const stamp = `${process.pid}${Date.now().toString(36)}`.toUpperCase();
  const zs = await scopeOf(ROLES['official-zs-lps']!);
  ids.cityBatch = (await stageImport({ actor: importActor(zs), fileName: 'scope.csv', source: bufferSource(Buffer.from(`${HEADER}\n${csvRow('520201', '钟山区测试合作社', '442000', `SC-${stamp}`)}\n`)) })).batchId;
  const hp = await scopeOf(ROLES['official-hp-ds']!);
  ids.hpBatch = (await stageImport({ actor: importActor(hp), fileName: 'scope.csv', source: bufferSource(Buffer.from(`${HEADER}\n${csvRow('522726', '独山县测试合作社', '440112', `SH-${stamp}`)}\n`)) })).batchId;
  const batches = await prisma.importBatch.findMany({ where: { id: { in: [ids.cityBatch, ids.hpBatch] } } });
  expect(batches.map((b) => [b.errorCount, b.pairingIds])).toEqual([[0, [lps.id]], [0, [(await prisma.pairing.findUniqueOrThrow({ where: { slug: HP } })).id]]]);
});

describe('console scope of each official', () => {
  it('lists the scoped pairings: a city scope includes its group pairings, from either side', async () => {
    const slugs = async (role: Role) => (await scopeOf(ROLES[role]!)).pairings.map((p) => p.slug).sort();
    for (const r of officials) expect(await slugs(r)).toEqual([...SCOPE[r]!].sort());
    const west = await scopeOf(ROLES['official-lps-west']!);
    expect(new Set(west.pairings.map((p) => p.side))).toEqual(new Set(['WEST']));
    const east = await scopeOf(ROLES['official-zs-lps']!);
    expect(new Set(east.pairings.map((p) => p.side))).toEqual(new Set(['EAST']));
    const admin = await scopeOf(ROLES.admin!);
    expect(admin.pairings.length).toBe(await prisma.pairing.count());
    expect((await scopeOf(ROLES.consumer!)).pairings).toEqual([]);
  });
});

type Case = { name: string; fn: Fn; url: () => string; params?: () => Record<string, string>; body?: () => Record<string, string> | FormData; expected: (r: Role) => Outcome };

const perPairing = (slug: string): Case[] => [
  { name: `dashboard ${slug}`, fn: consoleIndex.loader as Fn, url: () => `/console?pairing=${slug}&year=2021`, expected: seesPairing(slug) },
  { name: `dashboard range ${slug}`, fn: consoleIndex.loader as Fn, url: () => `/console?pairing=${slug}&from=2021-03-01&to=2021-05-31`, expected: seesPairing(slug) },
  // an invalid target (validation 400) when allowed: nothing changes
  { name: `set target ${slug}`, fn: consoleIndex.action as Fn, url: () => `/console?pairing=${slug}`, body: () => ({ intent: 'target', year: '2099', target: '' }), expected: seesPairing(slug) },
  { name: `publish ${slug}`, fn: consoleIndex.action as Fn, url: () => `/console?pairing=${slug}`, body: () => ({ intent: 'publish', published: 'maybe' }), expected: seesPairing(slug) },
  { name: `entries ${slug}`, fn: consoleEntries.loader as Fn, url: () => `/console/entries?pairing=${slug}&year=2021&kind=HANDICRAFT`, expected: seesPairing(slug) },
  { name: `export summary csv ${slug}`, fn: consoleExport.loader as Fn, url: () => `/console/export?pairing=${slug}&year=2021&what=summary&format=csv`, expected: seesPairing(slug) },
  { name: `export entries xlsx ${slug}`, fn: consoleExport.loader as Fn, url: () => `/console/export?pairing=${slug}&from=2021-01-01&to=2021-01-31&what=entries&format=xlsx`, expected: seesPairing(slug) },
  { name: `audit log ${slug}`, fn: consoleAudit.loader as Fn, url: () => `/console/audit?pairing=${slug}`, expected: seesPairing(slug) },
  { name: `API totals ${slug}`, fn: totalsApi.loader as Fn, url: () => `/api/console/totals?pairing=${slug}&year=2021&groupBy=month,county`, expected: seesPairing(slug) },
  { name: `API entries ${slug}`, fn: entriesApi.loader as Fn, url: () => `/api/console/entries?pairing=${slug}&year=2021`, expected: seesPairing(slug) },
];

const batchAccess = (who: string[]) => (r: Role): Outcome => {
  const base = consoleUser(r);
  return base !== 'allow' || r === 'admin' ? base : who.includes(r) ? 'allow' : 'deny';
};
const cityBatch = batchAccess(['official-zs-lps', 'official-lps-west']);
const hpBatch = batchAccess(['official-hp-ds']);
const emptyUpload = () => {
  const f = new FormData();
  f.set('note', 'no file');
  return f;
};

const cases: Case[] = [
  { name: 'console layout', fn: consoleLayout.loader as Fn, url: () => '/console', expected: consoleUser },
  { name: 'dashboard (first pairing in scope)', fn: consoleIndex.loader as Fn, url: () => '/console', expected: consoleUser },
  { name: 'entries (first pairing in scope)', fn: consoleEntries.loader as Fn, url: () => '/console/entries', expected: consoleUser },
  { name: 'reconciliation', fn: reconciliationPage.loader as Fn, url: () => '/console/reconciliation', expected: consoleUser },
  { name: 'audit log', fn: consoleAudit.loader as Fn, url: () => '/console/audit', expected: consoleUser },
  { name: 'import list', fn: importsPage.loader as Fn, url: () => '/console/imports', expected: consoleUser },
  { name: 'import upload without a file', fn: importsPage.action as Fn, url: () => '/console/imports', body: emptyUpload, expected: consoleUser },
  { name: 'import template', fn: importTemplate.loader as Fn, url: () => '/console/imports/template?format=csv', expected: consoleUser },
  ...PAIRINGS.flatMap(perPairing),
  { name: 'unknown pairing', fn: consoleIndex.loader as Fn, url: () => '/console?pairing=no-such-pairing', expected: (r) => (consoleUser(r) === 'allow' ? 'missing' : consoleUser(r)) },
  { name: 'unknown pairing (API)', fn: totalsApi.loader as Fn, url: () => '/api/console/totals?pairing=no-such-pairing', expected: (r) => (consoleUser(r) === 'allow' ? 'missing' : consoleUser(r)) },
  { name: 'city batch page', fn: batchPage.loader as Fn, url: () => `/console/imports/${ids.cityBatch}`, params: () => ({ id: String(ids.cityBatch) }), expected: cityBatch },
  { name: 'city batch file', fn: batchFile.loader as Fn, url: () => `/console/imports/${ids.cityBatch}/file`, params: () => ({ id: String(ids.cityBatch) }), expected: cityBatch },
  // an unknown intent (400) when allowed: nothing changes
  { name: 'city batch action', fn: batchPage.action as Fn, url: () => `/console/imports/${ids.cityBatch}`, params: () => ({ id: String(ids.cityBatch) }), body: () => ({ intent: 'nothing' }), expected: cityBatch },
  { name: '黄埔 batch page', fn: batchPage.loader as Fn, url: () => `/console/imports/${ids.hpBatch}`, params: () => ({ id: String(ids.hpBatch) }), expected: hpBatch },
  { name: '黄埔 batch file', fn: batchFile.loader as Fn, url: () => `/console/imports/${ids.hpBatch}/file`, params: () => ({ id: String(ids.hpBatch) }), expected: hpBatch },
  { name: '黄埔 batch action', fn: batchPage.action as Fn, url: () => `/console/imports/${ids.hpBatch}`, params: () => ({ id: String(ids.hpBatch) }), body: () => ({ intent: 'nothing' }), expected: hpBatch },
];

describe('console scope matrix (role × route)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const got: Record<string, string> = {};
      const want: Record<string, string> = {};
      for (const r of roles) {
        got[r] = await outcome(c.fn, r, c.url(), c.params?.() ?? {}, c.body?.());
        want[r] = c.expected(r);
      }
      expect(got).toEqual(want);
    });
  }

  it('changes nothing when denied: no target, no publication, no commit', async () => {
    const targets = await prisma.pairingTarget.count();
    const publications = await prisma.impactPublication.count();
    const city = await prisma.pairing.findUniqueOrThrow({ where: { slug: CITY } });
    for (const r of ['official-hp-ds', 'official-xiaolan-group', 'consumer']) {
      expect(await outcome(consoleIndex.action as Fn, r, `/console?pairing=${CITY}`, {}, { intent: 'target', year: '2099', target: '3亿' })).toBe('deny');
      expect(await outcome(consoleIndex.action as Fn, r, `/console?pairing=${CITY}`, {}, { intent: 'publish', published: 'true' })).toBe('deny');
      expect(await outcome(batchPage.action as Fn, r, `/console/imports/${ids.cityBatch}`, { id: String(ids.cityBatch) }, { intent: 'commit' })).toBe('deny');
    }
    expect(await prisma.pairingTarget.count()).toBe(targets);
    expect(await prisma.impactPublication.count()).toBe(publications);
    expect((await prisma.importBatch.findUniqueOrThrow({ where: { id: ids.cityBatch } })).status).toBe('STAGED');
    // the WEST-side official of the same pairing may set its target
    expect(await outcome(consoleIndex.action as Fn, 'official-lps-west', `/console?pairing=${CITY}`, {}, { intent: 'target', year: '2099', target: '3亿' })).toBe('allow');
    expect(Number((await prisma.pairingTarget.findUniqueOrThrow({ where: { pairingId_year: { pairingId: city.id, year: 2099 } } })).targetFen)).toBe(30_000_000_000);
  });

  it('shows the public impact page only once an official in scope publishes it', async () => {
    const impact = (r: Role) => outcome(impactPage.loader as Fn, r, `/impact/${GROUP}`, { pairing: GROUP });
    expect(await impact('anonymous')).toBe('missing');
    expect(await outcome(consoleIndex.action as Fn, 'official-hp-ds', `/console?pairing=${GROUP}`, {}, { intent: 'publish', published: 'true' })).toBe('deny');
    expect(await impact('anonymous')).toBe('missing');
    expect(await outcome(consoleIndex.action as Fn, 'official-xiaolan-group', `/console?pairing=${GROUP}`, {}, { intent: 'publish', published: 'true' })).toBe('allow');
    expect(await impact('anonymous')).toBe('allow');
    expect(await impact('consumer')).toBe('allow');
    expect(await outcome(consoleIndex.action as Fn, 'official-zs-lps', `/console?pairing=${GROUP}`, {}, { intent: 'publish', published: 'false' })).toBe('allow');
    expect(await impact('anonymous')).toBe('missing');
  });
});
