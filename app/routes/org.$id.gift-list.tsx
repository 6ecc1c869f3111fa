// Gift distribution list (admins): upload a CSV/XLSX of recipients (name, mobile, address, quantity);
// every row is checked and bad rows are listed with their row numbers. Nothing is kept from a list with
// a bad row; a good list is shown for review (the order is placed at checkout).
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useActionData, useNavigation } from '@remix-run/react';
import { buttonClass, cardClass, Notice } from '~/components/status';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { readMultipartForm } from '~/modules/http/multipart.server';
import { useLocale, useTr } from '~/modules/i18n/i18n';
import { describeGiftError, GIFT_COLUMNS, GIFT_LIST_MAX_BYTES, parseGiftList } from '~/modules/organisations/gift-list.server';
import { requireOrgMember } from '~/modules/organisations/organisations.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireOrgMember(request, params.id, { admin: true });
  return json({ columns: GIFT_COLUMNS.map((c) => ({ zh: c.zh, en: c.en })) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireOrgMember(request, params.id, { admin: true });
  if (!(request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    await readFormData(request);
    badRequest('请上传名单文件 / Upload a list file');
  }
  const { files } = await readMultipartForm(request, { maxFileBytes: GIFT_LIST_MAX_BYTES, maxFiles: 1 });
  const file = files.find((f) => f.field === 'file');
  if (!file) return json({ result: null, fileName: '', missing: true }, { status: 400 });
  const result = file.bytes ? await parseGiftList({ filename: file.filename, bytes: file.bytes }) : ({ ok: false, format: null, encoding: null, fileError: 'file.tooLarge', rowErrors: [], rows: 0 } as const);
  const body = result.ok
    ? { ok: true as const, encoding: result.encoding, totalQuantity: result.totalQuantity, recipients: result.recipients.slice(0, 200), count: result.recipients.length }
    : { ok: false as const, fileError: result.fileError, rowErrors: result.rowErrors.slice(0, 500), badRows: result.rowErrors.length, rows: result.rows };
  return json({ result: body, fileName: file.filename, missing: false }, { status: result.ok ? 200 : 400 });
}

export default function GiftList() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const locale = useLocale();
  const r = data?.result;
  const say = (code: string) => describeGiftError(code, locale === 'en' ? 'en' : 'zh-CN');
  return (
    <div className="space-y-4">
      <section className={`${cardClass} space-y-3`} aria-labelledby="upload">
        <h2 id="upload" className="font-semibold">{tr('上传礼品分发名单', 'Upload a gift distribution list')}</h2>
        <p className="text-sm text-gray-600">
          {tr('CSV（UTF-8 或 GBK）或 XLSX，表头须含：姓名、手机号、地址、数量。每一行都会检查，有任何错误行时整份名单不会被采用。',
            'CSV (UTF-8 or GBK) or XLSX with the columns 姓名 (name), 手机号 (mobile), 地址 (address), 数量 (quantity). Every row is checked; a list with any bad row is not used.')}
        </p>
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-center gap-3">
          <input type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required aria-label={tr('名单文件', 'List file')} />
          <button type="submit" disabled={navigation.state === 'submitting'} className={buttonClass}>{tr('检查名单', 'Check the list')}</button>
        </Form>
        {data?.missing ? <Notice tone="error">{tr('请选择文件', 'Choose a file')}</Notice> : null}
      </section>
      {r && !r.ok ? (
        <section className={`${cardClass} space-y-2`} aria-labelledby="bad-rows" data-testid="gift-errors">
          <h2 id="bad-rows" className="font-semibold text-red-700">{tr('名单未被采用', 'The list was not used')}</h2>
          {r.fileError ? <Notice tone="error">{say(r.fileError)}</Notice> : (
            <>
              <p className="text-sm">{tr(`共 ${r.rows} 行，其中 ${r.badRows} 行有错误，请修改后重新上传：`, `${r.badRows} of ${r.rows} rows are bad; correct them and upload again:`)}</p>
              <ul className="divide-y divide-gray-100 text-sm">
                {r.rowErrors.map((e) => <li key={e.rowNo} className="py-1">{tr(`第 ${e.rowNo} 行`, `Row ${e.rowNo}`)}：{e.errors.map(say).join('；')}</li>)}
              </ul>
            </>
          )}
        </section>
      ) : null}
      {r && r.ok ? (
        <section className={`${cardClass} space-y-2`} aria-labelledby="good-list" data-testid="gift-recipients">
          <h2 id="good-list" className="font-semibold">{tr(`名单有效：${r.count} 位收件人，共 ${r.totalQuantity} 份`, `The list is valid: ${r.count} recipients, ${r.totalQuantity} in all`)}</h2>
          <ul className="divide-y divide-gray-100 text-sm">
            {r.recipients.map((x) => <li key={x.rowNo} className="py-1">{x.name} · {x.mobile} · {x.address} · ×{x.quantity}</li>)}
          </ul>
          {r.count > r.recipients.length ? <p className="text-xs text-gray-500">{tr(`仅显示前 ${r.recipients.length} 位`, `Showing the first ${r.recipients.length}`)}</p> : null}
        </section>
      ) : null}
    </div>
  );
}
