// GET /api/v1/totals?pairing=<slug>&from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=month,county,kind,flow,subPairing
// Sums in 分 from the attribution ledger, for officials (their pairings), partners and admins with
// read:totals. JSON errors: 400 bad parameters, 401/403 no permission, 404 unknown pairing.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { z } from 'zod';
import { GROUP_BY, totals, type GroupBy } from '~/modules/attribution/ledger.server';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { jsonError, parseQuery } from '~/modules/http/http.server';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date');

export async function loader({ request }: LoaderFunctionArgs) {
  const q = parseQuery(new URL(request.url), {
    pairing: z.string({ required_error: 'is required' }).regex(/^[a-z0-9-]{1,80}$/, 'must be a pairing slug'),
    from: date.optional(),
    to: date.optional(),
    groupBy: z.string().max(200).optional(),
  });
  if (!q.ok) return jsonError(400, q.message);
  const { pairing: slug, from, to } = q.data;
  if (from && to && from > to) return jsonError(400, 'from must not be after to');
  const groupBy = (q.data.groupBy ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = groupBy.filter((g) => !(GROUP_BY as readonly string[]).includes(g));
  if (bad.length) return jsonError(400, `groupBy: unknown ${bad.join(', ')} (use ${GROUP_BY.join(', ')})`);
  const scope = await requireConsoleScope(request, slug, { api: true, permission: 'read:totals' });
  const t = await totals({ pairingId: scope.pairing!.id, from, to, groupBy: groupBy as GroupBy[] });
  return json({ pairing: scope.pairing!.slug, from: t.from, to: t.to, groupBy: t.groupBy, totalFen: t.totalFen, quantity: t.quantity, entries: t.entries, groups: t.groups },
    { headers: { 'Cache-Control': 'private, no-store' } });
}
