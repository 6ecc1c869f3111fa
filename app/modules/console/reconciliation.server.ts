// The reconciliation page: the ledger's own invariants (ledgerSelfCheck) and the import checks
// (importChecks), plus the figures they compare. Admins see every mismatch; officials see the import
// checks of their pairings and only the number of ledger-wide problems.
import { orderChecks } from '~/modules/attribution/check.server';
import { ledgerSelfCheck } from '~/modules/attribution/ledger.server';
import { prisma } from '~/modules/db/db.server';
import { importChecks } from '~/modules/imports/checks.server';
import type { ConsoleScope } from './scope.server';

export async function reconciliation(scope: Pick<ConsoleScope, 'isAdmin' | 'pairingIds'>) {
  const started = Date.now();
  const [selfCheck, orders, imports, bySource] = await Promise.all([
    ledgerSelfCheck(),
    orderChecks(),
    importChecks(scope.isAdmin ? {} : { pairingIds: scope.pairingIds }),
    prisma.$queryRawUnsafe<Array<{ pairingId: number; sourceType: string; entries: number; amount: bigint }>>(
      `select pairing_id as "pairingId", source_type::text as "sourceType", count(*)::int as entries, sum(amount_fen)::bigint as amount
       from ledger_entry where ($1::int[] is null or pairing_id = any($1::int[])) group by 1, 2 order by 1, 2`,
      scope.isAdmin ? null : scope.pairingIds),
  ]);
  // the ledger-wide part of runLedgerCheck (attribution/check.server.ts); imports are scoped below
  const ledger = [...selfCheck, ...orders];
  return {
    checkedAt: new Date().toISOString(),
    ms: Date.now() - started,
    ledgerProblems: ledger.length,
    ledger: scope.isAdmin ? ledger : null,
    imports,
    bySource: bySource.map((r) => ({ ...r, amountFen: Number(r.amount), amount: undefined })),
  };
}
