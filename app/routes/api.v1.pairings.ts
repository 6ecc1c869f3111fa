import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { apiRateLimit } from '~/modules/security/rate-limit.server';
import { jsonError } from '~/modules/http/http.server';
import { listPairings } from '~/modules/places/pairings.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await apiRateLimit(request);
  const url = new URL(request.url);
  if ([...url.searchParams.keys()].length) return jsonError(400, `Unknown parameter: ${[...url.searchParams.keys()].join(', ')}`);
  const pairings = await listPairings();
  return json({
    items: pairings.map((p) => ({
      slug: p.slug, nameZh: p.nameZh, nameEn: p.nameEn, programme: p.programme,
      east: p.eastPlace, west: p.westPlace,
      validFrom: p.validFrom.toISOString().slice(0, 10), validTo: p.validTo?.toISOString().slice(0, 10) ?? null,
      parent: p.parent?.slug ?? null,
    })),
  });
}
