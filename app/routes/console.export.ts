// GET /console/export?pairing=&year=|from=&to=&what=summary|entries&format=csv|xlsx[&kind&flow&county&source&sub]
import type { LoaderFunctionArgs } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { dashboard, defaultYear } from '~/modules/console/dashboard.server';
import { parseEntryFilter } from '~/modules/console/entries.server';
import { auditExport, CONTENT_TYPES, contentDisposition, entriesExport, exportFileNames, summaryExport, type ExportFormat } from '~/modules/console/exports.server';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { badRequest } from '~/modules/http/http.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const scope = await requireConsoleScope(request, url.searchParams.get('pairing') ?? '', { permission: 'read:totals' });
  const pairing = scope.pairing!;
  const what = url.searchParams.get('what');
  const format = url.searchParams.get('format') as ExportFormat;
  if (what !== 'summary' && what !== 'entries') badRequest('what must be summary or entries');
  if (format !== 'csv' && format !== 'xlsx') badRequest('format must be csv or xlsx');
  const parsed = parseEntryFilter(url, pairing, await defaultYear(pairing.id), ['what', 'format']);
  if (!parsed.ok) badRequest(parsed.message);
  const f = parsed.filter;
  if (what === 'summary' && (f.kind || f.flow || f.county || f.source || f.sub)) badRequest('the summary takes no entry filters');
  const body = what === 'summary' ? summaryExport(pairing, await dashboard(pairing, f.period), format) : entriesExport(f, format);
  const names = exportFileNames(pairing, f.period, what, format);
  await auditExport(scope, pairing, { what, format, from: f.period.from, to: f.period.to, kind: f.kind ?? null, flow: f.flow ?? null, county: f.county ?? null, source: f.source ?? null, sub: f.sub ?? null }, request);
  return new Response(createReadableStreamFromReadable(body), {
    headers: {
      'Content-Type': CONTENT_TYPES[format],
      'Content-Disposition': contentDisposition(names.ascii, names.unicode),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
