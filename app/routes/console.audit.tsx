import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { Link } from '~/components/link';
import { z } from 'zod';
import { userCan } from '~/modules/accounts/session.server';
import { consoleAudit } from '~/modules/console/audit.server';
import { isIsoDate } from '~/modules/console/period';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { badRequest, parseQuery } from '~/modules/http/http.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';

const ACTIONS = ['import', 'target', 'impact', 'export', 'payment', 'refund'] as const;
const date = z.string().refine(isIsoDate, 'must be a date (YYYY-MM-DD)');

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = parseQuery(url, {
    action: z.enum(ACTIONS).optional(), pairing: z.string().regex(/^[a-z0-9-]{1,80}$/).optional(),
    actor: z.string().email().max(200).optional(), from: date.optional(), to: date.optional(), page: z.coerce.number().int().min(1).max(10_000).optional(),
  });
  if (!q.ok) badRequest(q.message);
  const scope = await requireConsoleScope(request, q.data.pairing ?? null, { permission: 'read:audit' });
  const page = q.data.page ?? 1;
  const perPage = 50;
  const log = await consoleAudit({ ...scope, seesAll: userCan(scope.user, 'read:audit:any') }, {
    action: q.data.action, pairingId: scope.pairing?.id, actorEmail: q.data.actor, from: q.data.from, to: q.data.to,
  }, { take: perPage, skip: (page - 1) * perPage });
  return json({ log, page, perPage, filter: q.data, pairings: scope.pairings.map((p) => ({ slug: p.slug, nameZh: p.nameZh, nameEn: p.nameEn })), query: url.searchParams.toString() });
}

const ACTION_LABELS: Record<string, [string, string]> = {
  'import.stage': ['上传导入文件', 'Uploaded an import file'], 'import.commit': ['确认导入', 'Committed an import'], 'import.discard': ['放弃导入', 'Discarded an import'],
  'import.revert': ['撤销导入', 'Reverted an import'], 'target.update': ['设定年度目标', 'Set a target'], 'impact.publish': ['公开成效页', 'Published the impact page'],
  'impact.unpublish': ['撤回成效页', 'Withdrew the impact page'], 'export.download': ['导出数据', 'Exported data'],
};

export default function Audit() {
  const { log, page, perPage, filter, pairings, query } = useLoaderData<typeof loader>();
  const tr = useTr();
  const locale = useLocale();
  const params = new URLSearchParams(query);
  params.delete('page');
  const input = 'mt-1 w-full rounded border border-gray-300 px-2 py-1.5';
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{tr('审计日志', 'Audit log')}</h1>
      <p className="text-sm text-gray-600">{tr('所有导入、撤销、目标调整、公开和导出操作都记录在此，记录不可修改或删除。', 'Every import, revert, target change, publication and export is recorded here; records can never be changed or deleted.')}</p>
      <Form method="get" className="grid grid-cols-2 gap-3 rounded-xl bg-white p-4 text-sm shadow-sm md:grid-cols-5">
        <label>{tr('操作', 'Action')}
          <select name="action" defaultValue={filter.action ?? ''} className={input}>
            <option value="">{tr('全部', 'All')}</option>
            {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <label>{tr('结对', 'Pairing')}
          <select name="pairing" defaultValue={filter.pairing ?? ''} className={input}>
            <option value="">{tr('全部', 'All')}</option>
            {pairings.map((p) => <option key={p.slug} value={p.slug}>{pick(locale, p.nameZh, p.nameEn)}</option>)}
          </select>
        </label>
        <label>{tr('操作人邮箱', 'Actor email')}<input type="email" name="actor" defaultValue={filter.actor ?? ''} className={input} /></label>
        <label>{tr('从', 'From')}<input type="date" name="from" defaultValue={filter.from ?? ''} className={input} /></label>
        <label>{tr('至', 'To')}<input type="date" name="to" defaultValue={filter.to ?? ''} className={input} /></label>
        <div className="col-span-2 md:col-span-5"><button type="submit" className="rounded bg-brand-600 px-4 py-1.5 text-white">{tr('筛选', 'Filter')}</button></div>
      </Form>
      <section className="overflow-x-auto rounded-xl bg-white p-4 shadow-sm">
        <p className="text-sm text-gray-500">{log.total} {tr('条记录', 'records')}</p>
        <table className="mt-2 w-full text-sm">
          <thead>
            <tr className="border-b text-left text-gray-500">
              <th scope="col" className="py-2 pr-3">{tr('时间', 'Time')}</th>
              <th scope="col" className="py-2 pr-3">{tr('操作人', 'Actor')}</th>
              <th scope="col" className="py-2 pr-3">{tr('操作', 'Action')}</th>
              <th scope="col" className="py-2 pr-3">{tr('对象', 'Object')}</th>
              <th scope="col" className="py-2 pr-3">{tr('结对', 'Pairing')}</th>
              <th scope="col" className="py-2 pr-3">{tr('详情', 'Details')}</th>
            </tr>
          </thead>
          <tbody>
            {log.items.map((a) => (
              <tr key={a.id} className="border-b border-gray-100 align-top" data-testid="audit-row">
                <td className="py-2 pr-3 whitespace-nowrap">{new Date(a.createdAt).toLocaleString(locale, { timeZone: 'Asia/Shanghai' })}</td>
                <td className="py-2 pr-3">{a.actor ? `${a.actor.name}` : '—'}<div className="text-xs text-gray-500">{a.actor?.email}{a.ip ? ` · ${a.ip}` : ''}</div></td>
                <td className="py-2 pr-3">{ACTION_LABELS[a.action] ? (locale === 'en' ? ACTION_LABELS[a.action]![1] : ACTION_LABELS[a.action]![0]) : a.action}<div className="font-mono text-xs text-gray-500">{a.action}</div></td>
                <td className="py-2 pr-3">{a.entityType === 'import_batch' ? <Link className="text-brand-700 hover:underline" to={`/console/imports/${a.entityId}`}>{tr('导入批次', 'Batch')} #{a.entityId}</Link> : `${a.entityType} ${a.entityId}`}</td>
                <td className="py-2 pr-3">{a.pairing?.nameZh ?? '—'}</td>
                <td className="py-2 pr-3"><code className="block max-w-md break-all text-xs text-gray-600">{JSON.stringify(a.details)}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
        {log.total > perPage ? (
          <nav className="mt-3 flex justify-between text-sm" aria-label={tr('分页', 'Pages')}>
            {page > 1 ? <Link to={`?${params.toString()}&page=${page - 1}`} className="text-brand-700">{tr('上一页', 'Previous')}</Link> : <span />}
            {page * perPage < log.total ? <Link to={`?${params.toString()}&page=${page + 1}`} className="text-brand-700">{tr('下一页', 'Next')}</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
