import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { z } from 'zod';
import { apiRateLimit } from '~/modules/security/rate-limit.server';
import { jsonError, parseQuery } from '~/modules/http/http.server';
import { suggest } from '~/modules/search/query.server';

/** GET /api/v1/search/suggest?q= → { q, suggestions: [{ kind, labelZh, labelEn, href }] } */
export async function loader({ request }: LoaderFunctionArgs) {
  await apiRateLimit(request);
  const parsed = parseQuery(new URL(request.url), { q: z.string().trim().max(100, 'at most 100 characters').optional() });
  if (!parsed.ok) return jsonError(400, parsed.message);
  const q = parsed.data.q ?? '';
  return json({ q, suggestions: await suggest(q) }, { headers: { 'Cache-Control': 'no-store' } });
}
