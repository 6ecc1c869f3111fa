import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { z } from 'zod';
import { apiRateLimit } from '~/modules/security/rate-limit.server';
import { jsonError, parseQuery } from '~/modules/http/http.server';
import { listPlaces } from '~/modules/places/places.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await apiRateLimit(request);
  const q = parseQuery(new URL(request.url), {
    level: z.enum(['PROVINCE', 'PREFECTURE', 'COUNTY', 'TOWNSHIP']).optional(),
    parent: z.string().regex(/^[0-9]{6}([0-9]{3})?$/, 'must be a 6- or 9-digit GB/T 2260 code').optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    perPage: z.coerce.number().int().min(1).max(500, 'at most 500').default(100),
  });
  if (!q.ok) return jsonError(400, q.message);
  const { level, parent, page, perPage } = q.data;
  const { total, items } = await listPlaces({ level, parent, limit: perPage, offset: (page - 1) * perPage });
  return json({ items, total, page, perPage });
}
