// Reconciliation of imports: import rows vs their ledger entries vs reversals. Each mismatch is a
// sentence (like ledgerSelfCheck); an empty list means every committed record counts exactly once per
// pairing level, every reverted one nets to zero, and nothing in the ledger claims an import that
// does not exist. runLedgerCheck() (attribution/check.server.ts) runs this with the other checks.
import { prisma } from '~/modules/db/db.server';

export type ImportCheckOptions = { /** limit to batches counting for these pairings (an official's view) */ pairingIds?: number[] };

export async function importChecks(options: ImportCheckOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  const scoped = options.pairingIds !== undefined;
  const ids = options.pairingIds ?? [];
  const batchFilter = scoped ? 'and b.pairing_ids && $1::int[]' : 'and $1::int[] is null';
  const param = scoped ? ids : null;

  // 1. Every row of a committed or reverted batch: one entry per pairing level of its origin on its
  //    day, each with the row's amount, origin, kind, flow and day; reversals as the status says.
  const rows = await prisma.$queryRawUnsafe<Array<{ id: bigint; batchId: number; status: string; rowNo: number; amount: bigint; live: boolean | null; expected: number; entries: number; different: number; reversals: number; net: bigint | null; badReversals: number }>>(
    `with r as (
       select r.*, b.status from import_row r join import_batch b on b.id = r.batch_id
       where b.status in ('COMMITTED', 'REVERTED') ${batchFilter}),
     levels as materialized ( -- once, not once per row of a nested loop (the planner sees few rows in r)
       select od.origin_code, od.occurred_on, count(lp.pairing_id)::int as n
       from (select distinct origin_code, occurred_on from r) od
       left join lateral ledger_pairings_for(od.origin_code, od.occurred_on) lp on true group by 1, 2),
     e as (
       select r.id,
         count(*) filter (where e.source_type = 'IMPORT_ROW')::int as entries,
         count(*) filter (where e.source_type = 'IMPORT_ROW' and (e.amount_fen <> r.amount_fen or e.origin_code <> r.origin_code
           or e.statistics_kind <> r.statistics_kind or e.flow <> r.flow or e.quantity <> r.quantity
           or (e.occurred_at at time zone 'Asia/Shanghai')::date <> r.occurred_on))::int as different,
         count(*) filter (where e.source_type = 'IMPORT_REVERSAL')::int as reversals,
         count(*) filter (where e.source_type = 'IMPORT_REVERSAL' and (e.reverses_id is null or e.amount_fen <> -r.amount_fen))::int as bad_reversals,
         sum(e.amount_fen) as net
       from r join ledger_entry e on e.source_type in ('IMPORT_ROW', 'IMPORT_REVERSAL') and e.source_id = r.id::text
       group by r.id)
     select r.id, r.batch_id as "batchId", r.status::text as status, r.row_no as "rowNo", r.amount_fen as amount, r.live,
       coalesce(l.n, 0) as expected, coalesce(e.entries, 0) as entries, coalesce(e.different, 0) as different,
       coalesce(e.reversals, 0) as reversals, e.net, coalesce(e.bad_reversals, 0) as "badReversals"
     from r
     left join levels l on l.origin_code = r.origin_code and l.occurred_on = r.occurred_on
     left join e on e.id = r.id
     where coalesce(e.entries, 0) <> coalesce(l.n, 0) or coalesce(e.entries, 0) = 0 or coalesce(e.different, 0) > 0
       or coalesce(e.bad_reversals, 0) > 0
       or (r.status = 'COMMITTED' and (r.live is not true or coalesce(e.reversals, 0) > 0 or coalesce(e.net, 0) <> r.amount_fen * coalesce(e.entries, 0)))
       or (r.status = 'REVERTED' and (r.live is not null or coalesce(e.reversals, 0) <> coalesce(e.entries, 0) or coalesce(e.net, 0) <> 0))
     order by r.id limit 1000`,
    param,
  );
  for (const r of rows) {
    const where = `import row ${r.id} (batch #${r.batchId}, row ${r.rowNo}, ${r.status.toLowerCase()})`;
    if (r.entries !== r.expected || r.entries === 0) problems.push(`${where} has ${r.entries} ledger entries, expected one per pairing level (${r.expected})`);
    if (r.different > 0) problems.push(`${where}: ${r.different} ledger entries differ from the row (amount, origin, kind, flow, quantity or day)`);
    if (r.badReversals > 0) problems.push(`${where}: ${r.badReversals} reversal entries do not take back exactly the row's amount`);
    if (r.status === 'COMMITTED') {
      if (r.live !== true) problems.push(`${where} is committed but not live`);
      if (r.reversals > 0) problems.push(`${where} is committed but has ${r.reversals} reversal entries`);
      if (Number(r.net ?? 0) !== Number(r.amount) * r.entries) problems.push(`${where} counts ${r.net ?? 0} 分 in the ledger, expected ${Number(r.amount) * r.entries}`);
    } else {
      if (r.live !== null) problems.push(`${where} is reverted but still live`);
      if (r.reversals !== r.entries) problems.push(`${where} is reverted but has ${r.reversals} reversals for ${r.entries} entries`);
      if (Number(r.net ?? 0) !== 0) problems.push(`${where} is reverted but still counts ${r.net} 分`);
    }
  }

  // 2. Ledger entries that claim an import row that does not exist, or a reversal of something else.
  if (!scoped) {
    const orphans = await prisma.$queryRaw<Array<{ sourceType: string; sourceId: string; n: number }>>`
      select e.source_type::text as "sourceType", e.source_id as "sourceId", count(*)::int as n
      from ledger_entry e
      where e.source_type in ('IMPORT_ROW', 'IMPORT_REVERSAL')
        and not exists (select 1 from import_row r where r.id = (case when e.source_id ~ '^[0-9]{1,18}$' then e.source_id::bigint end))
      group by 1, 2 order by 2 limit 1000`;
    for (const o of orphans) problems.push(`${o.n} ${o.sourceType} ledger entries name import row ${o.sourceId}, which does not exist`);
    const crossed = await prisma.$queryRaw<Array<{ id: bigint }>>`
      select x.id from ledger_entry x join ledger_entry o on o.id = x.reverses_id
      where x.source_type = 'IMPORT_REVERSAL' and (o.source_type <> 'IMPORT_ROW' or o.source_id <> x.source_id or o.pairing_level <> x.pairing_level or o.pairing_id <> x.pairing_id)
      limit 1000`;
    for (const c of crossed) problems.push(`reversal entry ${c.id} does not take back an entry of its own import row at its own pairing level`);
    const uncommitted = await prisma.$queryRaw<Array<{ batchId: number; status: string; n: number }>>`
      select r.batch_id as "batchId", b.status::text as status, count(*)::int as n
      from import_row r join import_batch b on b.id = r.batch_id
      where b.status not in ('COMMITTED', 'REVERTED') group by 1, 2`;
    for (const u of uncommitted) problems.push(`batch #${u.batchId} is ${u.status.toLowerCase()} but has ${u.n} import rows`);
    const leftovers = await prisma.$queryRaw<Array<{ batchId: number; status: string; n: number }>>`
      select s.batch_id as "batchId", coalesce(b.status::text, 'missing') as status, count(*)::int as n
      from import_staging_row s left join import_batch b on b.id = s.batch_id
      where b.status is distinct from 'STAGED' group by 1, 2`;
    for (const l of leftovers) problems.push(`batch #${l.batchId} is ${l.status.toLowerCase()} but still has ${l.n} staged rows`);
  }

  // 3. Each batch's recorded count and total equal its rows.
  const batches = await prisma.$queryRawUnsafe<Array<{ id: number; rowCount: number; totalFen: bigint; rows: number; total: bigint }>>(
    `select b.id, b.row_count as "rowCount", b.total_fen as "totalFen", count(r.id)::int as rows, coalesce(sum(r.amount_fen), 0)::bigint as total
     from import_batch b left join import_row r on r.batch_id = b.id
     where b.status in ('COMMITTED', 'REVERTED') ${batchFilter}
     group by b.id having count(r.id) <> b.row_count or coalesce(sum(r.amount_fen), 0) <> b.total_fen order by b.id`,
    param,
  );
  for (const b of batches) problems.push(`batch #${b.id} records ${b.rowCount} rows / ${b.totalFen} 分 but holds ${b.rows} rows / ${b.total} 分`);
  return problems;
}
