// The uploaded file of an import batch: the evidence behind its rows. Private storage, scope-checked.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { contentDisposition } from '~/modules/console/exports.server';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { notFound } from '~/modules/http/http.server';
import { batchFile, canSeeBatch, getBatch } from '~/modules/imports/imports.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!params.id || !/^\d{1,9}$/.test(params.id)) notFound('No such import batch');
  const scope = await requireConsoleScope(request);
  const batch = await getBatch(Number(params.id));
  if (!batch) notFound('No such import batch');
  if (!canSeeBatch(scope, batch)) throw new Response('该导入批次不在您的范围内 / This import batch is not in your scope', { status: 403 });
  return new Response(createReadableStreamFromReadable(batchFile(batch)), {
    headers: {
      'Content-Type': batch.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : `text/csv; charset=${batch.encoding === 'GBK' ? 'gbk' : 'utf-8'}`,
      'Content-Disposition': contentDisposition(`import-${batch.id}.${batch.format}`, batch.fileName),
      'Content-Length': String(batch.fileBytes),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
