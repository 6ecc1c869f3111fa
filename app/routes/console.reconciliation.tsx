import type { LoaderFunctionArgs } from '@remix-run/node';
import { json } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { SOURCE, label } from '~/components/console/labels';
import { reconciliation } from '~/modules/console/reconciliation.server';
import { requireConsoleScope } from '~/modules/console/scope.server';
import { pick, useLocale, useTr } from '~/modules/i18n/i18n';
import { formatFen } from '~/modules/money/money';

export async function loader({ request }: LoaderFunctionArgs) {
  const scope = await requireConsoleScope(request, null, { permission: 'read:totals' });
  const r = await reconciliation(scope);
  return json({ r, isAdmin: scope.isAdmin, pairings: scope.pairings.map((p) => ({ id: p.id, nameZh: p.nameZh, nameEn: p.nameEn })) });
}

export default function Reconciliation() {
  const { r, isAdmin, pairings } = useLoaderData<typeof loader>();
  const tr = useTr();
  const locale = useLocale();
  const ok = r.ledgerProblems === 0 && r.imports.length === 0;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-bold">{tr('对账', 'Reconciliation')}</h1>
      <p className="text-sm text-gray-600">
        {tr('检查台账自身（汇总表与明细一致、各层级只计一次、冲销不超过原额）以及线下导入（每条导入记录在每个结对层级恰好一条台账记录、撤销的记录净额为零、台账中没有不存在的导入记录）。',
          'Checks the ledger itself (rollup equals entries, each level counted once, reversals never exceed the original) and the imports (each imported row has exactly one entry per pairing level, reverted rows net to zero, no entry claims a missing row).')}
      </p>
      <section role="status" data-testid="reconciliation-status" className={`rounded-xl p-5 shadow-sm ${ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-900'}`}>
        <p className="text-lg font-semibold">{ok ? tr('0 处不一致', '0 mismatches') : tr(`${r.ledgerProblems + r.imports.length} 处不一致`, `${r.ledgerProblems + r.imports.length} mismatches`)}</p>
        <p className="text-xs">{tr('检查时间', 'Checked at')} {new Date(r.checkedAt).toLocaleString(locale, { timeZone: 'Asia/Shanghai' })} · {r.ms} ms</p>
      </section>
      {r.ledgerProblems > 0 ? (
        <section className="rounded-xl bg-white p-5 shadow-sm">
          <h2 className="font-semibold">{tr('台账自检', 'Ledger self-check')}: {r.ledgerProblems}</h2>
          {r.ledger ? <ul className="mt-2 list-disc pl-5 text-sm">{r.ledger.map((p) => <li key={p}>{p}</li>)}</ul>
            : <p className="mt-2 text-sm">{tr('详情仅平台管理员可见，请联系管理员。', 'Only platform admins see the details; contact an admin.')}</p>}
        </section>
      ) : null}
      {r.imports.length > 0 ? (
        <section className="rounded-xl bg-white p-5 shadow-sm">
          <h2 className="font-semibold">{tr('导入核对', 'Import checks')}: {r.imports.length}</h2>
          <ul className="mt-2 list-disc pl-5 text-sm">{r.imports.map((p) => <li key={p}>{p}</li>)}</ul>
        </section>
      ) : null}
      <section className="overflow-x-auto rounded-xl bg-white p-5 shadow-sm">
        <h2 className="font-semibold">{tr('台账记录按来源', 'Ledger entries by source')}{isAdmin ? '' : tr('（您的结对）', ' (your pairings)')}</h2>
        <table className="mt-2 w-full text-sm">
          <thead><tr className="border-b text-left text-gray-500"><th className="py-1">{tr('结对', 'Pairing')}</th><th className="py-1">{tr('来源', 'Source')}</th><th className="py-1 text-right">{tr('记录数', 'Entries')}</th><th className="py-1 text-right">{tr('金额', 'Amount')}</th></tr></thead>
          <tbody>
            {r.bySource.map((s) => {
              const p = pairings.find((x) => x.id === s.pairingId);
              return (
                <tr key={`${s.pairingId}-${s.sourceType}`} className="border-b border-gray-100">
                  <td className="py-1">{p ? pick(locale, p.nameZh, p.nameEn) : s.pairingId}</td>
                  <td className="py-1">{label(locale, SOURCE[s.sourceType as keyof typeof SOURCE], s.sourceType)}</td>
                  <td className="py-1 text-right tabular-nums">{s.entries}</td>
                  <td className="py-1 text-right tabular-nums">{formatFen(s.amountFen)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
