// GET /console/imports/template?format=xlsx|csv — the import template with the Chinese headers.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { contentDisposition } from '~/modules/console/exports.server';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { badRequest } from '~/modules/http/http.server';
import { templateCsv, templateXlsx } from '~/modules/imports/template.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireConsoleScope(request, null, { permission: 'create:import' });
  const format = new URL(request.url).searchParams.get('format') ?? 'xlsx';
  if (format !== 'csv' && format !== 'xlsx') badRequest('format must be csv or xlsx');
  const body = format === 'csv' ? templateCsv() : await templateXlsx();
  return new Response(body, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': contentDisposition(`shanhai-offline-import-template.${format}`, `线下采购导入模板.${format}`),
    },
  });
}
