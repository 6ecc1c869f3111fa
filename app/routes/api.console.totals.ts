// GET /api/console/totals?pairing=&year=|from=&to=&groupBy=month,county,kind,flow,subPairing
// JSON for officials' own tools; same scope rule as the console pages (401/403/404 as JSON).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { GROUP_BY, totals, type GroupBy } from '~/modules/attribution/ledger.server';
import { defaultYear } from '~/modules/console/dashboard.server';
import { parsePeriod } from '~/modules/console/period';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { jsonError } from '~/modules/http/http.server';

const PARAMS = ['pairing', 'year', 'from', 'to', 'groupBy'];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const unknown = [...url.searchParams.keys()].filter((k) => !PARAMS.includes(k));
  if (unknown.length) return jsonError(400, `Unknown parameter: ${unknown.join(', ')}`);
  const slug = url.searchParams.get('pairing');
  if (!slug) return jsonError(400, 'pairing is required');
  const scope = await requireConsoleScope(request, slug, { api: true, permission: 'read:totals' });
  const pairing = scope.pairing!;
  const period = parsePeriod(url.searchParams, await defaultYear(pairing.id));
  if ('error' in period) return jsonError(400, period.error);
  const groupBy = (url.searchParams.get('groupBy') ?? '').split(',').filter(Boolean);
  const bad = groupBy.filter((g) => !(GROUP_BY as readonly string[]).includes(g));
  if (bad.length) return jsonError(400, `groupBy: unknown ${bad.join(', ')} (use ${GROUP_BY.join(', ')})`);
  const t = await totals({ pairingId: pairing.id, from: period.from, to: period.to, groupBy: groupBy as GroupBy[] });
  return json({ pairing: pairing.slug, from: t.from, to: t.to, groupBy: t.groupBy, totalFen: t.totalFen, quantity: t.quantity, entries: t.entries, groups: t.groups },
    { headers: { 'Cache-Control': 'private, no-store' } });
}
