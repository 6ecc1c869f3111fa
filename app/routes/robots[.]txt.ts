import type { LoaderFunctionArgs } from '@remix-run/node';
import { absoluteUrl } from '~/modules/seo/seo';

export function loader({ request }: LoaderFunctionArgs) {
  const body = [
    'User-agent: *',
    'Disallow: /cart',
    'Disallow: /checkout',
    'Disallow: /account',
    'Disallow: /orders',
    'Disallow: /console',
    'Disallow: /seller',
    'Disallow: /login',
    'Disallow: /signup',
    'Allow: /',
    `Sitemap: ${absoluteUrl(request, '/sitemap.xml')}`,
    '',
  ].join('\n');
  return new Response(body, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}
