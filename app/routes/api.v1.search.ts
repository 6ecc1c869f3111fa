import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { apiRateLimit } from '~/modules/security/rate-limit.server';
import { jsonError } from '~/modules/http/http.server';
import { parseSearchUrl, runSearch } from '~/modules/search/query.server';

/** GET /api/v1/search?q=&county=&pairing=&category=&kind=&certified=&inStock=&minPrice=&maxPrice=&sort=&page=&perPage= */
export async function loader({ request }: LoaderFunctionArgs) {
  await apiRateLimit(request);
  const parsed = parseSearchUrl(new URL(request.url), { perPage: 24 });
  if (!parsed.ok) return jsonError(400, parsed.message);
  const { hits, facets, total, page, perPage, processingTimeMs, engine } = await runSearch(parsed.request);
  return json({ hits, facets, total, page, perPage, processingTimeMs }, { headers: { 'Cache-Control': 'no-store', 'X-Search-Engine': engine } });
}
