// The QR code of a batch's trace page as an SVG file, for printing on packaging.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { badRequest, notFound } from '~/modules/http/http.server';
import { absoluteUrl } from '~/modules/seo/seo';
import { BATCH_CODE, batchExists, qrSvg } from '~/modules/sellers/batches.server';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const code = params.batch ?? '';
  if (!BATCH_CODE.test(code)) badRequest('Malformed batch code');
  if (!(await batchExists(code))) notFound();
  const svg = await qrSvg(absoluteUrl(request, `/trace/${code}`));
  return new Response(svg, { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' } });
}
