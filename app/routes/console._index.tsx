import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { json, redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigate, useNavigation } from '@remix-run/react';
import { Link } from '~/components/link';
import { useMemo } from 'react';
import { Amount } from '~/components/console/amount';
import { Chart } from '~/components/console/chart';
import { FLOW, KIND, label } from '~/components/console/labels';
import { SortableTable } from '~/components/console/sortable-table';
import { dashboard, defaultYear } from '~/modules/console/dashboard.server';
import { parsePeriod, periodQuery, monthRange, type Period } from '~/modules/console/period';
import { setPublished } from '~/modules/console/publication.server';
import { publishSchema, targetSchema } from '~/modules/console/schemas';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { setTarget } from '~/modules/console/targets.server';
import { badRequest, readFormData } from '~/modules/http/http.server';
import { chinaToday } from '~/modules/imports/parse.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen, formatOfficialTotal, parseOfficialAmountToFen } from '~/modules/money/money';
import { fieldChecks } from '~/modules/forms/validation';

const PARAMS = ['pairing', 'year', 'from', 'to'];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const unknown = [...url.searchParams.keys()].filter((k) => !PARAMS.includes(k));
  if (unknown.length) badRequest(`Unknown parameter: ${unknown.join(', ')}`);
  const scope = await requireConsoleScope(request, url.searchParams.get('pairing'), { permission: 'read:totals' });
  const pairings = scope.pairings.map((p) => ({ slug: p.slug, nameZh: p.nameZh, nameEn: p.nameEn, parentId: p.parentId, id: p.id }));
  const pairing = scope.pairing ?? scope.pairings[0];
  if (!pairing) return json({ empty: true as const, pairings });
  const period = parsePeriod(url.searchParams, await defaultYear(pairing.id));
  if ('error' in period) badRequest(period.error);
  const d = await dashboard(pairing, period);
  const thisYear = Number(chinaToday().slice(0, 4));
  const firstYear = Number(pairing.validFrom.slice(0, 4));
  return json({
    empty: false as const,
    pairings,
    pairing: { slug: pairing.slug, nameZh: pairing.nameZh, nameEn: pairing.nameEn },
    years: Array.from({ length: Math.max(1, thisYear - firstYear + 1) }, (_, i) => thisYear - i),
    d,
    can: { target: scope.can('update:target'), publish: scope.can('publish:impact') },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const url = new URL(request.url);
  const scope = await requireConsoleScope(request, url.searchParams.get('pairing') ?? '', { permission: 'read:totals' });
  const pairing = scope.pairing!;
  const form = await readFormData(request);
  const intent = form.get('intent');
  if (intent === 'target') {
    if (!scope.can('update:target')) throw new Response('没有权限 / Forbidden: needs update:target', { status: 403 });
    const submission = parseWithZod(form, { schema: targetSchema });
    if (submission.status !== 'success') return json({ target: submission.reply() }, { status: 400 });
    await setTarget(scope, pairing, submission.value.year, parseOfficialAmountToFen(submission.value.target)!, request);
    return redirect(`/console?pairing=${pairing.slug}&year=${submission.value.year}`);
  }
  if (intent === 'publish') {
    if (!scope.can('publish:impact')) throw new Response('没有权限 / Forbidden: needs publish:impact', { status: 403 });
    const submission = parseWithZod(form, { schema: publishSchema });
    if (submission.status !== 'success') badRequest('published must be true or false');
    await setPublished(scope, pairing, submission.value.published === 'true', request);
    return redirect(`/console?${url.searchParams.toString()}`);
  }
  badRequest('Unknown intent');
}

function pct(x: number) {
  return `${(x * 100).toFixed(1)}%`;
}

export default function ConsoleDashboard() {
  const data = useLoaderData<typeof loader>();
  const tr = useTr();
  const locale = useLocale();
  if (data.empty) {
    return (
      <section className="rounded-xl bg-white p-6 shadow-sm">
        <h1 className="text-xl font-bold">{tr('协作办后台', 'Officials’ console')}</h1>
        <p className="mt-2 text-gray-600">{tr('您的账户还没有负责的结对关系，请联系平台管理员。', 'No pairing is in your scope yet; ask a platform admin.')}</p>
      </section>
    );
  }
  return <Dashboard data={data} tr={tr} locale={locale} />;
}

type Data = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { empty: false }>;

function Dashboard({ data, tr, locale }: { data: Data; tr: (zh: string, en: string) => string; locale: string }) {
  const { d, pairing } = data;
  const period = d.period as Period;
  const base = `/console/entries?pairing=${pairing.slug}&${periodQuery(period)}`;
  const navigate = useNavigate();
  const change = d.lastYearFen ? (d.totalFen - d.lastYearFen) / Math.abs(d.lastYearFen) : null;
  const name = pick(locale as 'zh-CN' | 'en', pairing.nameZh, pairing.nameEn);
  const periodText = period.year ? tr(`${period.year}年`, String(period.year)) : `${period.from} – ${period.to}`;
  const exportBase = `/console/export?pairing=${pairing.slug}&${periodQuery(period)}`;

  const months = useMemo(() => {
    const last = new Map(d.lastYearMonths.map((m) => [m.month.slice(5), m.amountFen]));
    return d.months.map((m) => ({ ...m, lastYearFen: last.get(m.month.slice(5)) ?? 0 }));
  }, [d.months, d.lastYearMonths]);
  const monthOption = useMemo(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatFen(Math.round(v * 100)) },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
    xAxis: { type: 'category', data: months.map((m) => m.month.slice(2)) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatOfficialTotal(Math.round(v * 100)) } },
    series: [
      { name: periodText, type: 'bar', data: months.map((m) => m.amountFen / 100), itemStyle: { color: '#0f766e' } },
      { name: tr('去年同期', 'Same period last year'), type: 'line', data: months.map((m) => m.lastYearFen / 100), itemStyle: { color: '#9ca3af' } },
    ],
  }), [months, periodText, tr]);
  const splitOption = useMemo(() => ({
    tooltip: { trigger: 'item', valueFormatter: (v: number) => formatFen(Math.round(v * 100)) },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '68%'], center: ['50%', '45%'], label: { show: false },
      data: d.kindFlow.map((k) => ({ name: `${label(locale, FLOW[k.flow])}·${label(locale, KIND[k.kind])}`, value: k.amountFen / 100 })) }],
  }), [d.kindFlow, locale]);

  const cell = (flow: 'PROCUREMENT' | 'HELPED_SALES' | null, kind: 'AGRI_LIVESTOCK' | 'HANDICRAFT' | null) =>
    d.kindFlow.filter((k) => (!flow || k.flow === flow) && (!kind || k.kind === kind)).reduce((s, k) => s + k.amountFen, 0);
  const href = (q: Record<string, string>) => `${base}${Object.entries(q).map(([k, v]) => `&${k}=${encodeURIComponent(v)}`).join('')}`;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end gap-3 rounded-xl bg-white p-4 shadow-sm">
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="block text-gray-500">{tr('结对', 'Pairing')}</span>
          <select name="pairing" defaultValue={pairing.slug} className="mt-1 rounded border border-gray-300 px-2 py-1.5">
            {data.pairings.map((p) => <option key={p.slug} value={p.slug}>{p.parentId ? '　' : ''}{pick(locale as 'zh-CN' | 'en', p.nameZh, p.nameEn)}</option>)}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-gray-500">{tr('年度', 'Year')}</span>
          <select name="year" defaultValue={period.year ?? ''} className="mt-1 rounded border border-gray-300 px-2 py-1.5">
            {period.year ? null : <option value="">{tr('自定义', 'Custom')}</option>}
            {data.years.map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </label>
        <button type="submit" className="rounded bg-brand-600 px-4 py-1.5 text-sm text-white">{tr('查看', 'Show')}</button>
      </Form>
        <details className="text-sm">
          <summary className="cursor-pointer text-brand-700">{tr('任意时间段', 'Any date range')}</summary>
          <PeriodRange pairing={pairing.slug} period={period} tr={tr} />
        </details>
      </div>

      <section aria-labelledby="total-title" className="rounded-xl bg-white p-5 shadow-sm">
        <h1 id="total-title" className="text-sm text-gray-500">{name} · {periodText} · {tr('采购、帮助销售农畜牧产品和特色手工艺产品', 'procurement and helped sales of farm products and handicrafts')}</h1>
        <p className="mt-2 text-4xl font-bold text-brand-700"><Amount fen={d.totalFen} to={base} testId="total" /></p>
        <p className="mt-1 text-sm text-gray-600">
          {d.entries} {tr('条台账记录', 'ledger entries')} ·{' '}
          {tr('去年同期', 'same period last year')} <Amount fen={d.lastYearFen} to={`/console/entries?pairing=${pairing.slug}&${periodQuery(d.previous as Period)}`} />
          {change !== null ? <span className={change >= 0 ? 'text-emerald-700' : 'text-red-700'}> ({change >= 0 ? '+' : ''}{pct(change)})</span> : null}
        </p>
        <Target d={d} canEdit={data.can.target} period={period} tr={tr} />
      </section>

      <section aria-labelledby="split-title" className="grid gap-4 rounded-xl bg-white p-5 shadow-sm md:grid-cols-2">
        <div>
          <h2 id="split-title" className="font-semibold">{tr('按帮扶方式和统计类别', 'By flow and statistics kind')}</h2>
          <table className="mt-3 w-full text-sm">
            <thead>
              <tr className="border-b text-left text-gray-500">
                <th scope="col" className="py-2" />
                <th scope="col" className="py-2 text-right">{label(locale, KIND.AGRI_LIVESTOCK)}</th>
                <th scope="col" className="py-2 text-right">{label(locale, KIND.HANDICRAFT)}</th>
                <th scope="col" className="py-2 text-right">{tr('小计', 'Subtotal')}</th>
              </tr>
            </thead>
            <tbody>
              {(['PROCUREMENT', 'HELPED_SALES'] as const).map((f) => (
                <tr key={f} className="border-b border-gray-100">
                  <th scope="row" className="py-2 text-left font-medium">{label(locale, FLOW[f])}</th>
                  <td className="py-2 text-right"><Amount fen={cell(f, 'AGRI_LIVESTOCK')} to={href({ flow: f, kind: 'AGRI_LIVESTOCK' })} testId={`split-${f}-AGRI_LIVESTOCK`} /></td>
                  <td className="py-2 text-right"><Amount fen={cell(f, 'HANDICRAFT')} to={href({ flow: f, kind: 'HANDICRAFT' })} testId={`split-${f}-HANDICRAFT`} /></td>
                  <td className="py-2 text-right font-medium"><Amount fen={cell(f, null)} to={href({ flow: f })} /></td>
                </tr>
              ))}
              <tr>
                <th scope="row" className="py-2 text-left font-medium">{tr('合计', 'Total')}</th>
                <td className="py-2 text-right"><Amount fen={cell(null, 'AGRI_LIVESTOCK')} to={href({ kind: 'AGRI_LIVESTOCK' })} /></td>
                <td className="py-2 text-right"><Amount fen={cell(null, 'HANDICRAFT')} to={href({ kind: 'HANDICRAFT' })} /></td>
                <td className="py-2 text-right font-semibold"><Amount fen={d.totalFen} to={base} /></td>
              </tr>
            </tbody>
          </table>
        </div>
        <Chart option={splitOption} height={240} label={tr('帮扶方式与统计类别占比图', 'Share by flow and kind')} />
      </section>

      <section aria-labelledby="month-title" className="rounded-xl bg-white p-5 shadow-sm">
        <h2 id="month-title" className="font-semibold">{tr('按月', 'By month')}</h2>
        <Chart option={monthOption} label={tr('按月金额柱状图，与去年同期对比', 'Monthly amounts compared with last year')}
          onClick={(i) => months[i] && navigate(`/console/entries?pairing=${pairing.slug}&${periodQuery(monthRange(months[i]!.month))}`)} />
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer text-brand-700">{tr('按月数据表', 'Monthly table')}</summary>
          <SortableTable caption={tr('按月金额', 'Amount by month')} rows={months} rowKey={(m) => m.month}
            columns={[
              { key: 'month', label: tr('月份', 'Month'), sort: (m) => m.month, render: (m) => m.month },
              { key: 'amount', label: tr('金额', 'Amount'), numeric: true, sort: (m) => m.amountFen, render: (m) => <Amount fen={m.amountFen} to={`/console/entries?pairing=${pairing.slug}&${periodQuery(monthRange(m.month))}`} /> },
              { key: 'last', label: tr('去年同月', 'Last year'), numeric: true, sort: (m) => m.lastYearFen, render: (m) => <Amount fen={m.lastYearFen} /> },
              { key: 'entries', label: tr('记录数', 'Entries'), numeric: true, sort: (m) => m.entries, render: (m) => m.entries },
            ]} />
        </details>
      </section>

      <div className="grid gap-5 md:grid-cols-2">
        <section aria-labelledby="county-title" className="rounded-xl bg-white p-5 shadow-sm">
          <h2 id="county-title" className="font-semibold">{tr('按产地（县）', 'By county of origin')}</h2>
          <SortableTable caption={tr('按产地金额', 'Amount by county')} rows={d.counties} rowKey={(c) => c.code} initial={{ key: 'amount', dir: 'desc' }}
            columns={[
              { key: 'name', label: tr('产地', 'County'), sort: (c) => c.name, render: (c) => <Link className="hover:underline" to={href({ county: c.code })}>{c.name}</Link> },
              { key: 'amount', label: tr('金额', 'Amount'), numeric: true, sort: (c) => c.amountFen, render: (c) => <Amount fen={c.amountFen} to={href({ county: c.code })} /> },
              { key: 'share', label: tr('占比', 'Share'), numeric: true, sort: (c) => c.amountFen, render: (c) => (d.totalFen ? pct(c.amountFen / d.totalFen) : '—') },
            ]} />
        </section>
        {d.hasChildren ? (
          <section aria-labelledby="group-title" className="rounded-xl bg-white p-5 shadow-sm">
            <h2 id="group-title" className="font-semibold">{tr('按组团结对', 'By group pairing')}</h2>
            <SortableTable caption={tr('按组团结对金额', 'Amount by group pairing')} rows={d.subPairings} rowKey={(s) => s.slug ?? 'none'} initial={{ key: 'amount', dir: 'desc' }}
              columns={[
                { key: 'name', label: tr('组团', 'Group'), sort: (s) => s.nameZh ?? '', render: (s) => (s.slug
                  ? <Link className="hover:underline" to={`/console?pairing=${s.slug}&${periodQuery(period)}`}>{pick(locale as 'zh-CN' | 'en', s.nameZh!, s.nameEn)}</Link>
                  : tr('未纳入组团的产地', 'Origins outside the groups')) },
                { key: 'amount', label: tr('金额', 'Amount'), numeric: true, sort: (s) => s.amountFen, render: (s) => <Amount fen={s.amountFen} to={href({ sub: s.slug ?? 'none' })} /> },
                { key: 'share', label: tr('占比', 'Share'), numeric: true, sort: (s) => s.amountFen, render: (s) => (d.totalFen ? pct(s.amountFen / d.totalFen) : '—') },
              ]} />
          </section>
        ) : null}
        <TopTable title={tr('主要商品', 'Top goods')} rows={d.top.goods} tr={tr} />
        <TopTable title={tr('主要销售方', 'Top sellers')} rows={d.top.sellers} tr={tr} />
      </div>

      <section aria-labelledby="export-title" className="flex flex-wrap items-center gap-3 rounded-xl bg-white p-5 text-sm shadow-sm">
        <h2 id="export-title" className="font-semibold">{tr('导出', 'Export')}</h2>
        <a className="rounded border px-3 py-1.5 hover:bg-gray-50" href={`${exportBase}&what=summary&format=xlsx`} download>{tr('汇总 Excel', 'Summary (Excel)')}</a>
        <a className="rounded border px-3 py-1.5 hover:bg-gray-50" href={`${exportBase}&what=summary&format=csv`} download>{tr('汇总 CSV', 'Summary (CSV)')}</a>
        <a className="rounded border px-3 py-1.5 hover:bg-gray-50" href={`${exportBase}&what=entries&format=xlsx`} download>{tr('明细 Excel', 'Entries (Excel)')}</a>
        <a className="rounded border px-3 py-1.5 hover:bg-gray-50" href={`${exportBase}&what=entries&format=csv`} download>{tr('明细 CSV', 'Entries (CSV)')}</a>
      </section>

      <section aria-labelledby="impact-title" className="rounded-xl bg-white p-5 text-sm shadow-sm">
        <h2 id="impact-title" className="font-semibold">{tr('公开成效页', 'Public impact page')}</h2>
        <p className="mt-1 text-gray-600">
          {d.published
            ? <>{tr('已公开：', 'Published: ')}<Link className="text-brand-700 underline" to={`/impact/${pairing.slug}`}>/impact/{pairing.slug}</Link></>
            : tr('未公开。公开后，任何人都可以看到该结对的帮扶总额和商品（不含采购单位和凭证）。', 'Not published. Once published, anyone can see the pairing’s totals and goods (never buyers or evidence).')}
        </p>
        {data.can.publish ? (
          <Form method="post" className="mt-2">
            <input type="hidden" name="intent" value="publish" />
            <input type="hidden" name="published" value={d.published ? 'false' : 'true'} />
            <button type="submit" className="rounded border border-brand-600 px-3 py-1.5 text-brand-700 hover:bg-brand-50">
              {d.published ? tr('撤回公开', 'Withdraw') : tr('公开成效页', 'Publish')}
            </button>
          </Form>
        ) : null}
      </section>
    </div>
  );
}

function PeriodRange({ pairing, period, tr }: { pairing: string; period: Period; tr: (zh: string, en: string) => string }) {
  return (
    <Form method="get" className="mt-2 flex flex-wrap items-end gap-2">
      <input type="hidden" name="pairing" value={pairing} />
      <label>{tr('从', 'From')} <input type="date" name="from" defaultValue={period.from} required className="rounded border border-gray-300 px-2 py-1" /></label>
      <label>{tr('至', 'To')} <input type="date" name="to" defaultValue={period.to} required className="rounded border border-gray-300 px-2 py-1" /></label>
      <button type="submit" className="rounded border px-3 py-1">{tr('查看', 'Show')}</button>
    </Form>
  );
}

function TopTable({ title, rows, tr }: { title: string; rows: Array<{ name: string; amountFen: number; quantity: number; entries: number }>; tr: (zh: string, en: string) => string }) {
  return (
    <section className="rounded-xl bg-white p-5 shadow-sm">
      <h2 className="font-semibold">{title}</h2>
      <SortableTable caption={title} rows={rows} rowKey={(r) => r.name} initial={{ key: 'amount', dir: 'desc' }}
        columns={[
          { key: 'name', label: tr('名称', 'Name'), sort: (r) => r.name, render: (r) => r.name },
          { key: 'amount', label: tr('金额', 'Amount'), numeric: true, sort: (r) => r.amountFen, render: (r) => <Amount fen={r.amountFen} /> },
          { key: 'quantity', label: tr('数量', 'Quantity'), numeric: true, sort: (r) => r.quantity, render: (r) => r.quantity.toLocaleString('zh-CN') },
        ]} />
    </section>
  );
}

function Target({ d, canEdit, period, tr }: { d: Data['d']; canEdit: boolean; period: Period; tr: (zh: string, en: string) => string }) {
  const actionData = useActionData<typeof action>() as { target?: SubmissionResult<string[]> } | undefined;
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: 'target',
    lastResult: actionData?.target,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: targetSchema }),
    ...fieldChecks,
    defaultValue: { year: String(period.year ?? ''), target: d.target ? String(d.target.targetFen / 100) : '' },
  });
  if (!period.year) return null;
  const p = d.projection;
  return (
    <div className="mt-4 border-t pt-4">
      {p?.targetFen ? (
        <>
          <div className="flex flex-wrap justify-between gap-2 text-sm">
            <span>{tr('年度目标', 'Target')} <Amount fen={p.targetFen} /></span>
            <span>{tr('完成', 'Reached')} {((p.progress ?? 0) * 100).toFixed(1)}%</span>
          </div>
          <div role="progressbar" aria-label={tr('目标完成进度', 'Progress towards the target')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round((p.progress ?? 0) * 100)}
            className="mt-1 h-3 w-full overflow-hidden rounded bg-gray-100">
            <div className="h-full bg-brand-600" style={{ width: `${Math.min(100, (p.progress ?? 0) * 100)}%` }} />
          </div>
        </>
      ) : <p className="text-sm text-gray-500">{tr('尚未设定年度目标。', 'No target set for this year.')}</p>}
      {p && p.projectedFen !== null ? (
        <p className="mt-1 text-sm text-gray-600" data-testid="projection">
          {p.final ? tr('全年实际：', 'Year result: ') : tr(`按当前进度（已过 ${p.elapsedDays}/${p.daysInYear} 天）预计全年：`, `At this pace (${p.elapsedDays}/${p.daysInYear} days) the year ends at: `)}
          <Amount fen={p.projectedFen} />
          {p.targetFen ? <span> · {tr('预计完成', 'projected')} {((p.projectedFen / p.targetFen) * 100).toFixed(1)}%</span> : null}
        </p>
      ) : null}
      {canEdit ? (
        <details className="mt-2 text-sm" open={Boolean(actionData?.target)}>
          <summary className="cursor-pointer text-brand-700">{tr('设定年度目标', 'Set the year’s target')}</summary>
          <Form method="post" {...getFormProps(form)} className="mt-2 flex flex-wrap items-start gap-2">
            <input type="hidden" name="intent" value="target" />
            <input {...getInputProps(fields.year, { type: 'hidden' })} />
            <div>
              <label htmlFor={fields.target.id} className="sr-only">{tr('目标金额', 'Target amount')}</label>
              <input {...getInputProps(fields.target, { type: 'text', ariaAttributes: true })} placeholder={tr('如 2亿 或 6660万', 'e.g. 2亿 or 6660万')}
                aria-describedby={fields.target.errors ? `${fields.target.id}-error` : undefined}
                className="rounded border border-gray-300 px-2 py-1 aria-[invalid=true]:border-red-600" />
              {fields.target.errors ? <p id={`${fields.target.id}-error`} role="alert" className="text-red-700">{fields.target.errors.join('；')}</p> : null}
            </div>
            <button type="submit" disabled={navigation.state === 'submitting'} className="rounded bg-brand-600 px-3 py-1 text-white">{tr('保存', 'Save')}</button>
          </Form>
        </details>
      ) : null}
    </div>
  );
}
