import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { Amount } from '~/components/console/amount';
import { STATUS, label } from '~/components/console/labels';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { parsePage } from '~/modules/http/http.server';
import { readMultipartForm } from '~/modules/http/multipart.server';
import { describeError } from '~/modules/imports/format';
import { ImportFileError, importActor, listBatches, stageImport, WEB_MAX_BYTES, WEB_MAX_ROWS } from '~/modules/imports/imports.server';
import { bufferSource } from '~/modules/imports/parse.server';
import { getLocale } from '~/modules/i18n/locale.server';
import { useLocale, useTr } from '~/modules/i18n/i18n';

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireConsoleScope(request, null, { permission: 'create:import' });
  const page = parsePage(new URL(request.url), 20);
  const batches = await listBatches(scope, page);
  const names = new Map(scope.pairings.map((p) => [p.id, p.nameZh]));
  return json({
    batches: batches.items.map((b) => ({
      id: b.id, status: b.status, fileName: b.fileName, rowCount: b.rowCount, errorCount: b.errorCount, totalFen: b.totalFen,
      fileError: b.fileError, createdAt: b.createdAt, pairings: b.pairingIds.map((id) => names.get(id)).filter(Boolean),
    })),
    total: batches.total, page: page.page, perPage: page.perPage, maxRows: WEB_MAX_ROWS, maxMb: WEB_MAX_BYTES / 1024 / 1024,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const scope = await requireConsoleScope(request, null, { permission: 'create:import' });
  const locale = await getLocale(request);
  const { files } = await readMultipartForm(request, { maxFileBytes: WEB_MAX_BYTES, maxFiles: 1 });
  const file = files.find((f) => f.field === 'file');
  if (file && file.bytes === null) {
    return json({ error: locale === 'en' ? `The file is larger than ${WEB_MAX_BYTES / 1024 / 1024} MB: use npm run import:offline` : `文件超过 ${WEB_MAX_BYTES / 1024 / 1024} MB，请使用命令行导入（npm run import:offline）` }, { status: 413 });
  }
  if (!file || !file.bytes || file.size === 0) return json({ error: locale === 'en' ? 'Choose a CSV or XLSX file' : '请选择 CSV 或 XLSX 文件' }, { status: 400 });
  try {
    const { batchId } = await stageImport({
      actor: importActor(scope), fileName: file.filename || 'upload.csv', source: bufferSource(file.bytes),
      maxRows: WEB_MAX_ROWS, request,
    });
    return redirect(`/console/imports/${batchId}`);
  } catch (error) {
    if (error instanceof ImportFileError) return json({ error: describeError(error.detail ? `${error.code}:${error.detail}` : error.code, locale) }, { status: 400 });
    throw error;
  }
}

export default function Imports() {
  const { batches, total, page, perPage, maxRows, maxMb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const locale = useLocale();
  const uploading = navigation.state === 'submitting' && navigation.formMethod === 'POST';
  return (
    <div className="space-y-5">
      <section aria-labelledby="upload-title" className="rounded-xl bg-white p-5 shadow-sm">
        <h1 id="upload-title" className="text-xl font-bold">{tr('线下采购导入', 'Import offline records')}</h1>
        <p className="mt-1 text-sm text-gray-600">
          {tr('上传食堂采购、工会福利、展销会、专柜等线下记录（CSV 或 XLSX，中文表头，UTF-8 或 GBK 编码）。文件全部通过检查并经您确认后才会计入台账。',
            'Upload offline records (canteens, union gifts, fairs, counters) as CSV or XLSX with Chinese headers, UTF-8 or GBK. Nothing counts until the whole file passes every check and you confirm.')}
        </p>
        <p className="mt-2 flex gap-3 text-sm">
          <a className="text-brand-700 underline" href="/console/imports/template?format=xlsx" download>{tr('下载模板（Excel）', 'Template (Excel)')}</a>
          <a className="text-brand-700 underline" href="/console/imports/template?format=csv" download>{tr('下载模板（CSV）', 'Template (CSV)')}</a>
        </p>
        <Form method="post" encType="multipart/form-data" className="mt-4 flex flex-wrap items-center gap-3">
          <label htmlFor="file" className="sr-only">{tr('选择文件', 'Choose a file')}</label>
          <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required
            aria-describedby={actionData?.error ? 'upload-error' : 'upload-hint'} className="text-sm" />
          <button type="submit" disabled={uploading} className="rounded bg-brand-600 px-4 py-2 text-sm text-white disabled:opacity-60">
            {uploading ? tr('正在上传并检查…', 'Uploading and checking…') : tr('上传并检查', 'Upload and check')}
          </button>
          {uploading ? <span role="status" className="h-2 w-40 animate-pulse rounded bg-brand-200" aria-label={tr('处理中', 'Working')} /> : null}
        </Form>
        <p id="upload-hint" className="mt-2 text-xs text-gray-500">{tr(`网页上传最多 ${maxRows.toLocaleString()} 行、${maxMb} MB；更大的文件请用命令行 npm run import:offline。`, `Web uploads: up to ${maxRows.toLocaleString()} rows and ${maxMb} MB; use npm run import:offline for larger files.`)}</p>
        {actionData?.error ? <p id="upload-error" role="alert" className="mt-2 rounded bg-red-50 p-2 text-sm text-red-700">{actionData.error}</p> : null}
      </section>

      <section aria-labelledby="batches-title" className="rounded-xl bg-white p-5 shadow-sm">
        <h2 id="batches-title" className="font-semibold">{tr('导入批次', 'Import batches')} <span className="text-sm font-normal text-gray-500">{total}</span></h2>
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b text-left text-gray-500">
                <th scope="col" className="py-2 pr-3">#</th>
                <th scope="col" className="py-2 pr-3">{tr('文件', 'File')}</th>
                <th scope="col" className="py-2 pr-3">{tr('状态', 'Status')}</th>
                <th scope="col" className="py-2 pr-3 text-right">{tr('行数', 'Rows')}</th>
                <th scope="col" className="py-2 pr-3 text-right">{tr('金额', 'Amount')}</th>
                <th scope="col" className="py-2 pr-3">{tr('结对', 'Pairings')}</th>
                <th scope="col" className="py-2 pr-3">{tr('上传时间', 'Uploaded')}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id} className="border-b border-gray-100">
                  <td className="py-2 pr-3"><Link className="text-brand-700 hover:underline" to={`/console/imports/${b.id}`}>#{b.id}</Link></td>
                  <td className="py-2 pr-3"><Link className="hover:underline" to={`/console/imports/${b.id}`}>{b.fileName}</Link></td>
                  <td className="py-2 pr-3">
                    {label(locale, STATUS[b.status])}
                    {b.status === 'STAGED' && (b.errorCount || b.fileError) ? <span className="ml-1 text-red-700">{b.fileError ? tr('文件有误', 'bad file') : `${b.errorCount} ${tr('行有误', 'bad rows')}`}</span> : null}
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{b.rowCount}</td>
                  <td className="py-2 pr-3 text-right"><Amount fen={b.totalFen} /></td>
                  <td className="py-2 pr-3 text-xs">{b.pairings.join('、')}</td>
                  <td className="py-2 pr-3 whitespace-nowrap text-xs">{new Date(b.createdAt).toLocaleString(locale, { timeZone: 'Asia/Shanghai' })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {total > perPage ? (
          <nav className="mt-3 flex justify-between text-sm" aria-label={tr('分页', 'Pages')}>
            {page > 1 ? <Link to={`?page=${page - 1}`} className="text-brand-700">{tr('上一页', 'Previous')}</Link> : <span />}
            {page * perPage < total ? <Link to={`?page=${page + 1}`} className="text-brand-700">{tr('下一页', 'Next')}</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
