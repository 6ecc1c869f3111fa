// GET /api/console/entries?pairing=&year=|from=&to=[&kind&flow&county&source&sub&page] — the drill-down as JSON.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { defaultYear } from '~/modules/console/dashboard.server';
import { listEntries, parseEntryFilter } from '~/modules/console/entries.server';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { jsonError } from '~/modules/http/http.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const slug = url.searchParams.get('pairing');
  if (!slug) return jsonError(400, 'pairing is required');
  const scope = await requireConsoleScope(request, slug, { api: true, permission: 'read:totals' });
  const pairing = scope.pairing!;
  const parsed = parseEntryFilter(url, pairing, await defaultYear(pairing.id));
  if (!parsed.ok) return jsonError(400, parsed.message);
  const page = await listEntries(parsed.filter, parsed.page);
  return json({ pairing: pairing.slug, from: parsed.filter.period.from, to: parsed.filter.period.to, ...page }, { headers: { 'Cache-Control': 'private, no-store' } });
}
