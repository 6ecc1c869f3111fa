import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import type { z } from 'zod';
import { Field, FormErrors } from '~/components/field';
import { Link } from '~/components/link';
import { Amount } from '~/components/console/amount';
import { BUYER_TYPE, FLOW, KIND, STATUS, label } from '~/components/console/labels';
import { revertSchema } from '~/modules/console/schemas';
import { fieldChecks } from '~/modules/forms/validation';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { badRequest, notFound, readFormData } from '~/modules/http/http.server';
import { BATCH_ERRORS, describeError } from '~/modules/imports/format';
import {
  batchEffect, canRevertBatch, canSeeBatch, commitBatch, discardBatch, getBatch, ImportError, listBatchRows, pageOfRow, revertBatch, sameFileCommitted,
} from '~/modules/imports/imports.server';
import { getLocale } from '~/modules/i18n/locale.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';
import { prisma } from '~/modules/db/db.server';

const PER_PAGE = 50;

async function load(request: Request, idParam: string | undefined) {
  if (!idParam || !/^\d{1,9}$/.test(idParam)) notFound('No such import batch');
  const scope = await requireConsoleScope(request);
  const batch = await getBatch(Number(idParam));
  if (!batch) notFound('No such import batch');
  if (!canSeeBatch(scope, batch)) throw new Response('该导入批次不在您的范围内 / This import batch is not in your scope', { status: 403 });
  return { scope, batch };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope, batch } = await load(request, params.id);
  const url = new URL(request.url);
  const rowParam = url.searchParams.get('row');
  if (rowParam !== null && !/^\d{1,9}$/.test(rowParam)) badRequest('row must be a row number');
  const pageParam = url.searchParams.get('page');
  if (pageParam !== null && !/^\d{1,6}$/.test(pageParam)) badRequest('page must be a number');
  const onlyBad = batch.status === 'STAGED' && batch.errorCount > 0 && url.searchParams.get('all') !== '1';
  const page = rowParam ? await pageOfRow(batch, Number(rowParam), PER_PAGE) : Math.max(1, Number(pageParam ?? 1));
  const [rows, effect, sameFile, people] = await Promise.all([
    listBatchRows(batch, { onlyBad: onlyBad && !rowParam, take: PER_PAGE, skip: (page - 1) * PER_PAGE }),
    batchEffect(batch),
    sameFileCommitted(batch),
    prisma.user.findMany({ where: { id: { in: [batch.createdById, batch.committedById, batch.revertedById].filter((x): x is number => x !== null) } }, select: { id: true, name: true, email: true } }),
  ]);
  const pairings = await prisma.pairing.findMany({ where: { id: { in: [...new Set(effect.map((e) => e.pairingId))] } }, select: { id: true, slug: true, nameZh: true, nameEn: true, parentId: true } });
  const who = (id: number | null) => people.find((p) => p.id === id)?.name ?? null;
  const { fileKey: _key, ...shown } = batch;
  return json({
    batch: { ...shown, createdBy: who(batch.createdById), committedBy: who(batch.committedById), revertedBy: who(batch.revertedById) },
    rows, page, perPage: PER_PAGE, onlyBad: onlyBad && !rowParam, highlight: rowParam ? Number(rowParam) : null,
    effect: effect.map((e) => ({ ...e, amount: undefined, pairing: pairings.find((p) => p.id === e.pairingId) ?? null })),
    sameFile,
    can: {
      commit: scope.can('create:import') && batch.status === 'STAGED' && (scope.isAdmin || batch.createdById === scope.user.id),
      revert: scope.can('create:import') && batch.status === 'COMMITTED' && canRevertBatch(scope, batch),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { scope, batch } = await load(request, params.id);
  if (!scope.can('create:import')) throw new Response('没有权限 / Forbidden: needs create:import', { status: 403 });
  const locale = await getLocale(request);
  const form = await readFormData(request);
  const intent = form.get('intent');
  try {
    if (intent === 'commit') {
      await commitBatch(scope, batch.id, request);
      return redirect(`/console/imports/${batch.id}?committed=1`);
    }
    if (intent === 'discard') {
      await discardBatch(scope, batch.id, request);
      return redirect('/console/imports');
    }
    if (intent === 'revert') {
      // a refused revert comes back to its form, with the reason as typed
      const submission = parseWithZod(form, { schema: revertSchema });
      if (submission.status !== 'success') return json({ revert: submission.reply() }, { status: 400 });
      try {
        await revertBatch(scope, batch.id, submission.value.reason, request);
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        const m = BATCH_ERRORS[error.code];
        return json({ revert: submission.reply({ formErrors: [locale === 'en' ? m[1] : m[0]] }) }, { status: error.code === 'batch.forbidden' ? 403 : 409 });
      }
      return redirect(`/console/imports/${batch.id}`);
    }
  } catch (error) {
    if (error instanceof ImportError) {
      const m = BATCH_ERRORS[error.code];
      return json({ error: locale === 'en' ? m[1] : m[0] }, { status: error.code === 'batch.forbidden' ? 403 : 409 });
    }
    throw error;
  }
  badRequest('Unknown intent');
}

export default function ImportBatch() {
  const { batch, rows, page, perPage, onlyBad, highlight, effect, sameFile, can } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const tr = useTr();
  const locale = useLocale();
  const busy = navigation.state === 'submitting';
  const pages = Math.max(1, Math.ceil(rows.total / perPage));
  const staged = batch.status === 'STAGED';
  const effectTotal = effect.filter((e) => e.pairing && !e.pairing.parentId).reduce((s, e) => s + e.amountFen, 0);
  return (
    <div className="space-y-5">
      <section className="rounded-xl bg-white p-5 shadow-sm">
        <p className="text-sm"><Link to="/console/imports" className="text-brand-700">← {tr('导入批次', 'Import batches')}</Link></p>
        <h1 className="mt-1 text-xl font-bold">{tr('导入批次', 'Import batch')} #{batch.id} · {batch.fileName}</h1>
        <dl className="mt-3 grid grid-cols-2 gap-2 text-sm md:grid-cols-4">
          <div><dt className="text-gray-500">{tr('状态', 'Status')}</dt><dd data-testid="batch-status">{label(locale, STATUS[batch.status])}</dd></div>
          <div><dt className="text-gray-500">{tr('数据行', 'Rows')}</dt><dd data-testid="batch-rows">{batch.rowCount}</dd></div>
          <div><dt className="text-gray-500">{tr('有误的行', 'Bad rows')}</dt><dd data-testid="batch-errors" className={batch.errorCount ? 'font-semibold text-red-700' : ''}>{batch.errorCount}</dd></div>
          <div><dt className="text-gray-500">{tr('有效金额', 'Valid amount')}</dt><dd><Amount fen={batch.totalFen} /></dd></div>
          <div><dt className="text-gray-500">{tr('编码 / 格式', 'Encoding / format')}</dt><dd>{batch.encoding} / {batch.format.toUpperCase()}</dd></div>
          <div><dt className="text-gray-500">{tr('上传', 'Uploaded')}</dt><dd>{batch.createdBy} · {new Date(batch.createdAt).toLocaleString(locale, { timeZone: 'Asia/Shanghai' })}</dd></div>
          {batch.committedAt ? <div><dt className="text-gray-500">{tr('提交', 'Committed')}</dt><dd>{batch.committedBy} · {new Date(batch.committedAt).toLocaleString(locale, { timeZone: 'Asia/Shanghai' })}</dd></div> : null}
          {batch.revertedAt ? <div><dt className="text-gray-500">{tr('撤销', 'Reverted')}</dt><dd>{batch.revertedBy} · {new Date(batch.revertedAt).toLocaleString(locale, { timeZone: 'Asia/Shanghai' })} · {batch.revertReason}</dd></div> : null}
        </dl>
        <p className="mt-2 text-xs text-gray-500">SHA-256 {batch.fileSha256} · <a className="text-brand-700 underline" href={`/console/imports/${batch.id}/file`}>{tr('下载原始文件（凭证）', 'Download the original file (evidence)')}</a></p>
        {batch.fileError ? <p role="alert" className="mt-3 rounded bg-red-50 p-3 text-sm text-red-700">{describeError(batch.fileError, locale)}</p> : null}
        {sameFile ? <p role="status" className="mt-3 rounded bg-amber-50 p-3 text-sm text-amber-800">{tr(`同一文件已于批次 #${sameFile.id} 提交过，其中的记录都会被判为重复。`, `The very same file was committed as batch #${sameFile.id}; its records count as duplicates.`)}</p> : null}
        {actionData && 'error' in actionData ? <p role="alert" className="mt-3 rounded bg-red-50 p-3 text-sm text-red-700">{actionData.error}</p> : null}

        {staged && !batch.fileError ? (
          batch.errorCount === 0 ? (
            <div className="mt-4 rounded bg-emerald-50 p-3 text-sm">
              <p>{tr(`全部 ${batch.rowCount} 行通过检查。确认后将一次性计入台账：`, `All ${batch.rowCount} rows passed every check. Confirm to count them in the ledger, all at once:`)}</p>
              <div className="mt-2 flex flex-wrap gap-2">
                {can.commit ? (
                  <Form method="post"><input type="hidden" name="intent" value="commit" />
                    <button type="submit" disabled={busy} className="rounded bg-brand-600 px-4 py-2 text-white disabled:opacity-60">{busy ? tr('正在提交…', 'Committing…') : tr('确认导入', 'Confirm import')}</button>
                  </Form>
                ) : null}
                {can.commit ? <Form method="post"><input type="hidden" name="intent" value="discard" /><button type="submit" disabled={busy} className="rounded border px-4 py-2">{tr('放弃', 'Discard')}</button></Form> : null}
              </div>
            </div>
          ) : (
            <div className="mt-4 rounded bg-red-50 p-3 text-sm text-red-800">
              <p>{tr(`有 ${batch.errorCount} 行未通过检查，整个文件都不会导入。请修改后重新上传。`, `${batch.errorCount} rows failed; nothing in this file will be imported. Fix them and upload again.`)}</p>
              {can.commit ? <Form method="post" className="mt-2"><input type="hidden" name="intent" value="discard" /><button type="submit" className="rounded border border-red-300 bg-white px-3 py-1">{tr('放弃此批次', 'Discard this batch')}</button></Form> : null}
            </div>
          )
        ) : null}
        {can.revert ? <RevertForm reply={actionData && 'revert' in actionData ? actionData.revert : undefined} busy={busy} /> : null}
      </section>

      {effect.length ? (
        <section className="rounded-xl bg-white p-5 shadow-sm">
          <h2 className="font-semibold">{staged ? tr('确认后各结对将增加', 'What each pairing will gain') : tr('计入各结对的金额', 'Counted for each pairing')}</h2>
          <table className="mt-2 w-full text-sm">
            <thead><tr className="border-b text-left text-gray-500"><th className="py-1">{tr('结对', 'Pairing')}</th><th className="py-1">{tr('类别 · 方式', 'Kind · flow')}</th><th className="py-1 text-right">{tr('行数', 'Rows')}</th><th className="py-1 text-right">{tr('金额', 'Amount')}</th></tr></thead>
            <tbody>
              {effect.map((e) => (
                <tr key={`${e.pairingId}-${e.kind}-${e.flow}`} className="border-b border-gray-100">
                  <td className="py-1">{e.pairing ? pick(locale, e.pairing.nameZh, e.pairing.nameEn) : e.pairingId}</td>
                  <td className="py-1">{label(locale, KIND[e.kind as keyof typeof KIND])} · {label(locale, FLOW[e.flow as keyof typeof FLOW])}</td>
                  <td className="py-1 text-right">{e.rows}</td>
                  <td className="py-1 text-right">{formatFen(e.amountFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-1 text-xs text-gray-500">{tr('组团结对的金额同时计入其所属结对，但在每一级只计一次。', 'A group pairing’s amounts also count for its parent, once per level.')} {tr('结对层级合计', 'Top-level total')} {formatFen(effectTotal)}</p>
        </section>
      ) : null}

      {rows.total > 0 ? (
        <section className="rounded-xl bg-white p-5 shadow-sm">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="font-semibold">{onlyBad ? tr('有误的行', 'Bad rows') : tr('数据行', 'Rows')} <span className="text-sm font-normal text-gray-500">{rows.total}</span></h2>
            {staged && batch.errorCount > 0 ? (
              <Link className="text-sm text-brand-700" to={onlyBad ? '?all=1' : '?'}>{onlyBad ? tr('显示全部行', 'Show all rows') : tr('只看有误的行', 'Only bad rows')}</Link>
            ) : null}
          </div>
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b text-left text-gray-500">
                  <th scope="col" className="py-2 pr-2">{tr('行号', 'Row')}</th>
                  {staged ? <th scope="col" className="py-2 pr-2">{tr('问题', 'Problems')}</th> : null}
                  <th scope="col" className="py-2 pr-2">{tr('日期', 'Date')}</th>
                  <th scope="col" className="py-2 pr-2">{tr('采购单位', 'Buyer')}</th>
                  <th scope="col" className="py-2 pr-2">{tr('销售方 / 商品', 'Seller / goods')}</th>
                  <th scope="col" className="py-2 pr-2">{tr('产地', 'Origin')}</th>
                  <th scope="col" className="py-2 pr-2">{tr('类别 · 方式', 'Kind · flow')}</th>
                  <th scope="col" className="py-2 pr-2 text-right">{tr('金额', 'Amount')}</th>
                  <th scope="col" className="py-2 pr-2">{tr('渠道 · 凭证号', 'Channel · evidence')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.items.map((r) => (
                  <tr key={r.rowNo} id={`row-${r.rowNo}`} data-testid="batch-row" className={`border-b border-gray-100 align-top ${highlight === r.rowNo ? 'bg-amber-50' : ''}`}>
                    <th scope="row" className="py-2 pr-2 text-left font-normal tabular-nums">{r.rowNo}</th>
                    {staged ? <td className="py-2 pr-2 text-red-700">{r.errors.map((e) => <div key={e}>{describeError(e, locale)}</div>)}</td> : null}
                    <td className="py-2 pr-2 whitespace-nowrap">{r.occurredOn ?? '—'}</td>
                    <td className="py-2 pr-2">{r.buyerName}<div className="text-xs text-gray-500">{r.buyerType ? label(locale, BUYER_TYPE[r.buyerType as keyof typeof BUYER_TYPE]) : ''} {r.buyerPlaceCode}</div></td>
                    <td className="py-2 pr-2">{r.sellerName}<div className="text-xs text-gray-500">{r.description} × {r.quantity ?? '—'}</div></td>
                    <td className="py-2 pr-2">{r.originCode}</td>
                    <td className="py-2 pr-2 whitespace-nowrap">{r.statisticsKind ? label(locale, KIND[r.statisticsKind as keyof typeof KIND]) : '—'} · {r.flow ? label(locale, FLOW[r.flow as keyof typeof FLOW]) : '—'}</td>
                    <td className="py-2 pr-2 text-right tabular-nums whitespace-nowrap">{r.amountFen === null ? '—' : formatFen(r.amountFen)}</td>
                    <td className="py-2 pr-2">{r.channel}<div className="text-xs text-gray-500">{r.evidenceRef}</div></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {pages > 1 ? (
            <nav className="mt-3 flex items-center justify-between text-sm" aria-label={tr('分页', 'Pages')}>
              {page > 1 ? <Link to={`?page=${page - 1}${onlyBad ? '' : '&all=1'}`} className="text-brand-700">{tr('上一页', 'Previous')}</Link> : <span />}
              <span>{page} / {pages}</span>
              {page < pages ? <Link to={`?page=${page + 1}${onlyBad ? '' : '&all=1'}`} className="text-brand-700">{tr('下一页', 'Next')}</Link> : <span />}
            </nav>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

/** Reverting a committed batch needs a reason; a refusal opens the form again with the reason as typed. */
function RevertForm({ reply, busy }: { reply: SubmissionResult<string[]> | undefined; busy: boolean }) {
  const tr = useTr();
  const [form, fields] = useForm<z.input<typeof revertSchema>, z.output<typeof revertSchema>>({
    id: 'revert',
    lastResult: reply,
    defaultValue: { intent: 'revert' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: revertSchema }),
    ...fieldChecks,
  });
  return (
    <details className="mt-4 text-sm" open={Boolean(reply) || undefined}>
      <summary className="cursor-pointer text-red-700">{tr('撤销此批次', 'Revert this batch')}</summary>
      <Form method="post" {...getFormProps(form)} className="mt-2 max-w-md space-y-2">
        <input {...getInputProps(fields.intent, { type: 'hidden' })} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.reason} label={tr('撤销原因（必填）', 'Reason (required)')} />
        <button type="submit" disabled={busy} className="rounded bg-red-700 px-3 py-1 text-white">{tr('撤销（写入冲销记录，不删除）', 'Revert (writes reversals, deletes nothing)')}</button>
      </Form>
    </details>
  );
}
