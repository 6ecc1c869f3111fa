// The whole invariant check behind `npm run ledger:check` and the console's reconciliation page:
// the ledger's own invariants, the imports, and platform sales — ledger vs paid order lines vs payments
// vs refunds. Every mismatch is one sentence; an empty list means everything agrees.
import { prisma } from '~/modules/db/db.server';
import { importChecks } from '~/modules/imports/checks.server';
import { ledgerSelfCheck } from './ledger.server';

/** Platform sales: paid order lines, their ledger entries, payments and refunds agree. */
export async function orderChecks(): Promise<string[]> {
  const problems: string[] = [];
  // 1. every line of a paid order: one entry per pairing level valid on the payment day, each the
  //    line's amount, quantity, origin, kind and the order's flow; refund entries = refunded amount.
  const lines = await prisma.$queryRaw<Array<{ id: number; reference: string; expected: number; entries: number; different: number; refundNet: bigint | null; refundedFen: number; refundEntries: number }>>`
    with l as (
      select l.*, o.reference, o.flow, o.paid_at from order_line l join "order" o on o.id = l.order_id where o.paid_at is not null),
    e as (
      select l.id,
        count(*) filter (where e.source_type = 'ORDER_LINE')::int as entries,
        count(*) filter (where e.source_type = 'ORDER_LINE' and (e.amount_fen <> l.amount_fen or e.quantity <> l.quantity or e.origin_code <> l.origin_code
          or e.statistics_kind <> l.statistics_kind or e.flow <> l.flow or e.occurred_at <> l.paid_at))::int as different
      from l join ledger_entry e on e.source_type = 'ORDER_LINE' and e.source_id = l.id::text group by l.id),
    r as (
      select l.id, sum(x.amount_fen) as net, count(x.id)::int as n
      from l join refund_line rl on rl.order_line_id = l.id join ledger_entry x on x.source_type = 'REFUND_LINE' and x.source_id = rl.id::text
      group by l.id)
    select l.id, l.reference, (select count(*)::int from ledger_pairings_for(l.origin_code, (l.paid_at at time zone 'Asia/Shanghai')::date)) as expected,
      coalesce(e.entries, 0) as entries, coalesce(e.different, 0) as different, r.net as "refundNet", l.refunded_fen as "refundedFen", coalesce(r.n, 0) as "refundEntries"
    from l left join e on e.id = l.id left join r on r.id = l.id`;
  for (const l of lines) {
    if (l.entries !== l.expected) problems.push(`order ${l.reference} line ${l.id}: ${l.entries} ledger entries, expected ${l.expected} (one per pairing level)`);
    if (l.different > 0) problems.push(`order ${l.reference} line ${l.id}: ${l.different} ledger entries differ from the line (amount, quantity, origin, kind, flow or payment time)`);
    const perLevel = l.expected > 0 ? Number(l.refundNet ?? 0) / l.expected : 0;
    if (l.expected > 0 && -perLevel !== l.refundedFen) problems.push(`order ${l.reference} line ${l.id}: refunded ${l.refundedFen} 分 but the ledger takes back ${-perLevel} 分 per level`);
  }
  // 2. nothing unpaid counts; nothing in the ledger claims a line that does not exist
  const unpaid = await prisma.$queryRaw<Array<{ sourceId: string; reference: string | null }>>`
    select e.source_id as "sourceId", o.reference from ledger_entry e
    left join order_line l on l.id::text = e.source_id left join "order" o on o.id = l.order_id
    where e.source_type = 'ORDER_LINE' and (o.id is null or o.paid_at is null) group by 1, 2`;
  for (const u of unpaid) problems.push(u.reference ? `order ${u.reference} is not paid but line ${u.sourceId} counts in the ledger` : `ledger counts order line ${u.sourceId}, which does not exist`);
  const orphanRefunds = await prisma.$queryRaw<Array<{ sourceId: string }>>`
    select e.source_id as "sourceId" from ledger_entry e left join refund_line rl on rl.id::text = e.source_id left join refund r on r.id = rl.refund_id
    where e.source_type = 'REFUND_LINE' and (r.id is null or r.state <> 'SUCCEEDED') group by 1`;
  for (const o of orphanRefunds) problems.push(`ledger takes back refund line ${o.sourceId}, which is not a settled refund`);
  // 3. payments: a paid order has exactly one successful payment of its total; an unpaid one none
  //    (less what a member's allowance paid at placement; an order fully paid from the allowance has one ALLOWANCE payment of its total)
  const payments = await prisma.$queryRaw<Array<{ reference: string; paid: boolean; n: number; sum: bigint | null; total: number }>>`
    select o.reference, o.paid_at is not null as paid, count(p.id)::int as n, sum(p.amount_fen) as sum,
      o.total_fen - case when bool_and(p.provider = 'ALLOWANCE') then 0 else o.allowance_fen end as total
    from "order" o left join payment p on p.order_id = o.id and p.state = 'SUCCEEDED'
    group by o.id having (o.paid_at is not null and (count(p.id) <> 1 or sum(p.amount_fen) <> o.total_fen - case when bool_and(p.provider = 'ALLOWANCE') then 0 else o.allowance_fen end))
      or (o.paid_at is null and count(p.id) > 0)`;
  for (const p of payments) problems.push(p.paid ? `order ${p.reference} is paid with ${p.n} successful payments totalling ${p.sum ?? 0} 分, expected one of ${p.total} 分` : `order ${p.reference} is not paid but has ${p.n} successful payments`);
  // 4. allowance: an order's allowance_fen is what its SPEND movements took; cancelled, expired and refunded orders gave it all back, others nothing
  const allowances = await prisma.$queryRaw<Array<{ reference: string; allowance: number; spent: bigint; back: bigint }>>`
    select o.reference, o.allowance_fen as allowance, coalesce(-sum(m.amount_fen) filter (where m.kind = 'SPEND'), 0)::bigint as spent,
      coalesce(sum(m.amount_fen) filter (where m.kind = 'REFUND'), 0)::bigint as back
    from "order" o left join allowance_movement m on m.order_id = o.id
    group by o.id
    having coalesce(-sum(m.amount_fen) filter (where m.kind = 'SPEND'), 0) <> o.allowance_fen
      or coalesce(sum(m.amount_fen) filter (where m.kind = 'REFUND'), 0) <> case when o.state in ('CANCELLED', 'EXPIRED', 'REFUNDED') then o.allowance_fen else 0 end`;
  for (const a of allowances) problems.push(`order ${a.reference}: allowance ${a.allowance} 分 but movements spent ${a.spent} 分 and gave back ${a.back} 分`);
  // 4. refunds: lines and orders carry exactly what settled refunds gave back, never more than was paid
  const refunds = await prisma.$queryRaw<Array<{ reference: string; refundedFen: number; settled: bigint; paid: bigint }>>`
    select o.reference, o.refunded_fen as "refundedFen",
      coalesce((select sum(r.amount_fen) from refund r where r.order_id = o.id and r.state = 'SUCCEEDED'), 0) as settled,
      coalesce((select sum(p.amount_fen) from payment p where p.order_id = o.id and p.state = 'SUCCEEDED'), 0) as paid
    from "order" o
    where o.refunded_fen <> coalesce((select sum(r.amount_fen) from refund r where r.order_id = o.id and r.state = 'SUCCEEDED'), 0)
       or o.refunded_fen > coalesce((select sum(p.amount_fen) from payment p where p.order_id = o.id and p.state = 'SUCCEEDED'), 0)`;
  for (const r of refunds) problems.push(`order ${r.reference}: refunded ${r.refundedFen} 分 on the order, ${r.settled} 分 in settled refunds, ${r.paid} 分 paid`);
  const lineRefunds = await prisma.$queryRaw<Array<{ id: number; refundedFen: number; settled: bigint }>>`
    select l.id, l.refunded_fen as "refundedFen", coalesce(sum(rl.amount_fen) filter (where r.state = 'SUCCEEDED'), 0) as settled
    from order_line l left join refund_line rl on rl.order_line_id = l.id left join refund r on r.id = rl.refund_id
    group by l.id having l.refunded_fen <> coalesce(sum(rl.amount_fen) filter (where r.state = 'SUCCEEDED'), 0)`;
  for (const r of lineRefunds) problems.push(`order line ${r.id}: refunded ${r.refundedFen} 分 but settled refund lines give back ${r.settled} 分`);
  const sums = await prisma.$queryRaw<Array<{ reference: string; total: number; lines: bigint }>>`
    select o.reference, o.total_fen as total, sum(l.amount_fen) as lines from "order" o join order_line l on l.order_id = o.id
    group by o.id having o.total_fen <> sum(l.amount_fen)`;
  for (const s of sums) problems.push(`order ${s.reference}: total ${s.total} 分 but its lines add up to ${s.lines} 分`);
  return problems;
}

export type LedgerCheck = { ledger: string[]; orders: string[]; imports: string[]; problems: string[]; ms: number };

/** ledgerSelfCheck + orderChecks + importChecks; `problems` is every mismatch. */
export async function runLedgerCheck(): Promise<LedgerCheck> {
  const started = Date.now();
  const [ledger, orders, imports] = await Promise.all([ledgerSelfCheck(), orderChecks(), importChecks()]);
  return { ledger, orders, imports, problems: [...ledger, ...orders, ...imports], ms: Date.now() - started };
}
