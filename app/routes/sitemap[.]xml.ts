import type { LoaderFunctionArgs } from '@remix-run/node';
import { buildSitemap } from '~/modules/seo/sitemap.server';
import { absoluteUrl } from '~/modules/seo/seo';

export async function loader({ request }: LoaderFunctionArgs) {
  const origin = absoluteUrl(request, '/').replace(/\/$/, '');
  return new Response(await buildSitemap(origin), { headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } });
}
