// The attribution ledger. A sale counts for its origin's pairings only when it is paid, exactly once per
// pairing level (a unique key in the database), and a refund or revert takes it back with negative
// entries pointing at the originals. Totals are read from the daily rollup that a trigger keeps exact.
import { Prisma } from '~/generated/prisma/client';
import { prisma, reportsPrisma } from '~/modules/db/db.server';

export type SourceType = 'ORDER_LINE' | 'REFUND_LINE' | 'IMPORT_ROW' | 'IMPORT_REVERSAL';
export type Flow = 'PROCUREMENT' | 'HELPED_SALES';
export type StatisticsKind = 'AGRI_LIVESTOCK' | 'HANDICRAFT';
type Tx = Prisma.TransactionClient;

export type Posting = {
  sourceType: 'ORDER_LINE' | 'IMPORT_ROW';
  sourceId: string | number;
  amountFen: number;
  quantity: number;
  productId?: number | null;
  sellerId?: number | null;
  description: string;
  statisticsKind: StatisticsKind;
  flow: Flow;
  originCode: string;
  buyerOrganisationId?: number | null;
  buyerPlaceCode?: string | null;
  occurredAt: Date;
};

export class LedgerError extends Error {}

/**
 * Writes one entry per pairing level the origin belongs to on the (China-time) day of `occurredAt`.
 * Idempotent: posting the same source again writes nothing (ON CONFLICT on the unique key).
 * Returns the entries written by this call.
 */
export async function postToLedger(tx: Tx, p: Posting) {
  return postManyToLedger(tx, [p]);
}

/**
 * `postToLedger` for every line of an order at once (a gift order can have thousands): one INSERT, so the
 * rollup trigger runs once and upserts all of the order's rollup keys in one statement, in its fixed order. (Line by line, two orders paying at the same
 * moment with lines on the same keys in opposite orders, or an order and an import commit, could lock the
 * rollup rows in opposite orders and deadlock.) Returns the entries written, per posting in input order.
 */
export async function postManyToLedger(tx: Tx, postings: Posting[]) {
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amountFen) || p.amountFen < 0) throw new LedgerError(`amount must be whole non-negative 分, got ${p.amountFen}`);
    if (!Number.isSafeInteger(p.quantity) || p.quantity < 0) throw new LedgerError(`quantity must be a whole number, got ${p.quantity}`);
  }
  if (postings.length === 0) return [];
  const col = <T>(f: (p: Posting) => T) => postings.map(f);
  const rows = await tx.$queryRaw<Array<{ id: bigint; sourceType: string; sourceId: string; pairingId: number; pairingLevel: 'TOP' | 'GROUP' }>>`
    insert into ledger_entry (source_type, source_id, pairing_id, pairing_level, amount_fen, quantity, product_id, seller_id,
      description, statistics_kind, flow, origin_code, buyer_organisation_id, buyer_place_code, occurred_at)
    select p.source_type::"LedgerSourceType", p.source_id, lp.pairing_id, lp.pairing_level, p.amount_fen, p.quantity,
      p.product_id, p.seller_id, p.description, p.statistics_kind::"StatisticsKind", p.flow::"Flow",
      p.origin_code, p.buyer_organisation_id, p.buyer_place_code, p.occurred_at
    from unnest(${col((p) => p.sourceType)}::text[], ${col((p) => String(p.sourceId))}::text[], ${col((p) => p.amountFen)}::bigint[],
      ${col((p) => p.quantity)}::int[], ${col((p) => p.productId ?? null)}::int[], ${col((p) => p.sellerId ?? null)}::int[],
      ${col((p) => p.description)}::text[], ${col((p) => p.statisticsKind)}::text[], ${col((p) => p.flow)}::text[],
      ${col((p) => p.originCode)}::text[], ${col((p) => p.buyerOrganisationId ?? null)}::int[], ${col((p) => p.buyerPlaceCode ?? null)}::text[],
      ${col((p) => p.occurredAt.toISOString())}::timestamptz[])
      with ordinality as p(source_type, source_id, amount_fen, quantity, product_id, seller_id, description, statistics_kind, flow,
        origin_code, buyer_organisation_id, buyer_place_code, occurred_at, n)
    cross join lateral ledger_pairings_for(p.origin_code, (p.occurred_at at time zone 'Asia/Shanghai')::date) lp
    order by p.n, lp.pairing_level
    on conflict (source_type, source_id, pairing_level) do nothing
    returning id, source_type::text as "sourceType", source_id as "sourceId", pairing_id as "pairingId", pairing_level as "pairingLevel"`;
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export type Reversal = {
  original: { sourceType: 'ORDER_LINE' | 'IMPORT_ROW'; sourceId: string | number };
  sourceType: 'REFUND_LINE' | 'IMPORT_REVERSAL';
  sourceId: string | number;
  /** 分 to take back (positive); defaults to everything not yet taken back */
  amountFen?: number;
  quantity?: number;
  occurredAt: Date;
};

/**
 * Takes (part of) an original posting back at every pairing level it was counted at. The originals are
 * locked, so two concurrent refunds cannot take back more than was counted. Idempotent per reversal source.
 */
export async function reverseLedger(tx: Tx, r: Reversal) {
  return reverseManyLedger(tx, [r]);
}

/**
 * `reverseLedger` for several reversals at once (every line of a refund), in ONE insert statement: the
 * rollup trigger then takes its keys in one sorted order, as a checkout's or an import's posting does,
 * so a refund of several lines cannot deadlock with them (line-by-line statements locked rollup rows in
 * line order). Reversals already written are skipped; one that asks for more than still counts throws.
 */
export async function reverseManyLedger(tx: Tx, list: Reversal[]) {
  if (list.length === 0) return [];
  const origTypes = list.map((r) => r.original.sourceType);
  const origIds = list.map((r) => String(r.original.sourceId));
  // the originals at every level, locked in id order; per source the lowest id carries the amounts
  const originals = await tx.$queryRaw<Array<{ id: bigint; sourceType: string; sourceId: string; amountFen: bigint; quantity: number; reversedFen: bigint; reversedQty: bigint }>>`
    select e.id, e.source_type::text as "sourceType", e.source_id as "sourceId", e.amount_fen as "amountFen", e.quantity,
      coalesce((select sum(x.amount_fen) from ledger_entry x where x.reverses_id = e.id), 0) as "reversedFen",
      coalesce((select sum(x.quantity) from ledger_entry x where x.reverses_id = e.id), 0) as "reversedQty"
    from ledger_entry e
    join (select distinct t, s from unnest(${origTypes}::text[], ${origIds}::text[]) as o(t, s)) o on e.source_type = o.t::"LedgerSourceType" and e.source_id = o.s
    order by e.id
    for update of e`;
  const remaining = new Map<string, { fen: number; qty: number }>();
  for (const o of originals) {
    const key = `${o.sourceType}:${o.sourceId}`;
    if (!remaining.has(key)) remaining.set(key, { fen: Number(o.amountFen) + Number(o.reversedFen), qty: o.quantity + Number(o.reversedQty) });
  }
  const written = await tx.$queryRaw<Array<{ sourceType: string; sourceId: string }>>`
    select distinct source_type::text as "sourceType", source_id as "sourceId" from ledger_entry
    where (source_type::text, source_id) in (select * from unnest(${list.map((r) => r.sourceType)}::text[], ${list.map((r) => String(r.sourceId))}::text[]))`;
  const done = new Set(written.map((w) => `${w.sourceType}:${w.sourceId}`));
  const todo: Array<{ r: Reversal; amount: number; quantity: number }> = [];
  for (const r of list) {
    const left = remaining.get(`${r.original.sourceType}:${r.original.sourceId}`);
    // nothing posted for the original (never counted), or this reversal was written before (a redelivered webhook, a repeated click)
    if (!left || done.has(`${r.sourceType}:${r.sourceId}`)) continue;
    const amount = r.amountFen ?? left.fen;
    const quantity = r.quantity ?? (r.amountFen === undefined ? left.qty : 0);
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new LedgerError(`reversal amount must be positive whole 分, got ${amount}`);
    if (amount > left.fen) throw new LedgerError(`cannot take back ${amount} 分: only ${left.fen} 分 of this record still counts`);
    if (quantity > left.qty) throw new LedgerError(`cannot take back ${quantity} units: only ${left.qty} still count`);
    left.fen -= amount;
    left.qty -= quantity;
    done.add(`${r.sourceType}:${r.sourceId}`);
    todo.push({ r, amount, quantity });
  }
  if (todo.length === 0) return [];
  const rows = await tx.$queryRaw<Array<{ id: bigint; pairingId: number; pairingLevel: 'TOP' | 'GROUP' }>>`
    insert into ledger_entry (source_type, source_id, pairing_id, pairing_level, amount_fen, quantity, product_id, seller_id,
      description, statistics_kind, flow, origin_code, buyer_organisation_id, buyer_place_code, occurred_at, reverses_id)
    select x.rt::"LedgerSourceType", x.rs, e.pairing_id, e.pairing_level, -x.amount, -x.quantity,
      e.product_id, e.seller_id, e.description, e.statistics_kind, e.flow, e.origin_code, e.buyer_organisation_id, e.buyer_place_code,
      x.at, e.id
    from unnest(${todo.map((t) => t.r.original.sourceType)}::text[], ${todo.map((t) => String(t.r.original.sourceId))}::text[],
                ${todo.map((t) => t.r.sourceType)}::text[], ${todo.map((t) => String(t.r.sourceId))}::text[],
                ${todo.map((t) => t.amount)}::bigint[], ${todo.map((t) => t.quantity)}::int[], ${todo.map((t) => t.r.occurredAt)}::timestamptz[])
         as x(ot, os, rt, rs, amount, quantity, at)
    join ledger_entry e on e.source_type = x.ot::"LedgerSourceType" and e.source_id = x.os and e.reverses_id is null
    order by e.id
    on conflict (source_type, source_id, pairing_level) do nothing
    returning id, pairing_id as "pairingId", pairing_level as "pairingLevel"`;
  return rows.map((x) => ({ ...x, id: Number(x.id) }));
}

export type BulkReversal = {
  originalType: 'ORDER_LINE' | 'IMPORT_ROW';
  reversalType: 'REFUND_LINE' | 'IMPORT_REVERSAL';
  /** a subquery selecting the source ids (text) of the originals to take back */
  sourceIds: Prisma.Sql;
  /** when the reversal counts: a time, or 'original' for a correction that rewrites the original's day */
  occurredAt: Date | 'original';
};

/**
 * `reverseLedger` for many sources at once, set-based (an import batch of a million rows): takes back
 * everything that still counts of each original entry, at every level, as one negative entry per
 * original with the original's source id. The originals are locked first, so a concurrent reversal
 * cannot take back more than was counted; a reversal already written (unique key) is not written again.
 * Returns the number of reversal entries written.
 */
export async function reverseLedgerBulk(tx: Tx, r: BulkReversal): Promise<number> {
  await tx.$queryRaw`select count(*)::int as n from (
      select e.id from ledger_entry e
      where e.source_type = ${r.originalType}::"LedgerSourceType" and e.source_id in (${r.sourceIds}) and e.reverses_id is null
      for update of e) locked`;
  const when = r.occurredAt === 'original' ? Prisma.sql`e.occurred_at` : Prisma.sql`${r.occurredAt}::timestamptz`;
  return tx.$executeRaw`
    insert into ledger_entry (source_type, source_id, pairing_id, pairing_level, amount_fen, quantity, product_id, seller_id,
      description, statistics_kind, flow, origin_code, buyer_organisation_id, buyer_place_code, occurred_at, reverses_id)
    select ${r.reversalType}::"LedgerSourceType", e.source_id, e.pairing_id, e.pairing_level,
      -(e.amount_fen + coalesce(x.amount, 0)), -(e.quantity + coalesce(x.quantity, 0))::int,
      e.product_id, e.seller_id, e.description, e.statistics_kind, e.flow, e.origin_code, e.buyer_organisation_id, e.buyer_place_code,
      ${when}, e.id
    from ledger_entry e
    left join lateral (select sum(y.amount_fen) as amount, sum(y.quantity) as quantity from ledger_entry y where y.reverses_id = e.id) x on true
    where e.source_type = ${r.originalType}::"LedgerSourceType" and e.source_id in (${r.sourceIds}) and e.reverses_id is null
      and e.amount_fen + coalesce(x.amount, 0) > 0
    on conflict (source_type, source_id, pairing_level) do nothing`;
}

export const GROUP_BY = ['month', 'county', 'kind', 'flow', 'subPairing'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export type TotalsQuery = { pairingId: number; from?: string; to?: string; groupBy?: GroupBy[] };
export type TotalsRow = { key: Partial<Record<GroupBy, string>>; amountFen: number; quantity: number; entries: number };

/**
 * Sums for a pairing over [from, to] (China-time dates, inclusive), optionally grouped. A pairing's own
 * total counts its own-level entries; `subPairing` splits it by its group pairings (and "—" for sales
 * from places no group pairing covers). Reads the rollup: a handful of index rows per day, never the
 * entries themselves.
 */
/**
 * The rollup rows of pairing $1 for the days $2..$3: whole months from ledger_monthly, the partial months
 * at either edge from ledger_daily (a pairing-year reads at most 12 × counties × kinds × flows rows).
 * `day` is the month's first day for monthly rows, so month grouping works on both.
 */
const ROLLUP = `(
    select m.month as day, m.origin_code, m.statistics_kind, m.flow, m.amount_fen, m.quantity, m.entries
    from ledger_monthly m
    where m.pairing_id = $1 and m.month >= (date_trunc('month', $2::date - 1) + interval '1 month')::date
      and m.month < date_trunc('month', $3::date + 1)::date
    union all
    select x.day, x.origin_code, x.statistics_kind, x.flow, x.amount_fen, x.quantity, x.entries
    from ledger_daily x
    where x.pairing_id = $1 and x.day between $2::date and $3::date
      and (x.day < (date_trunc('month', $2::date - 1) + interval '1 month')::date or x.day >= date_trunc('month', $3::date + 1)::date)
  )`;

export async function totals(q: TotalsQuery) {
  const groupBy = [...new Set(q.groupBy ?? [])];
  const from = q.from ?? '1900-01-01';
  const to = q.to ?? '9999-12-31';
  const children = groupBy.includes('subPairing')
    ? await reportsPrisma.pairing.findMany({ where: { parentId: q.pairingId }, select: { id: true, slug: true } })
    : [];
  const cols: string[] = [];
  if (groupBy.includes('month')) cols.push(`to_char(d.day, 'YYYY-MM') as month`);
  if (groupBy.includes('county')) cols.push('d.origin_code as county');
  if (groupBy.includes('kind')) cols.push('d.statistics_kind::text as kind');
  if (groupBy.includes('flow')) cols.push('d.flow::text as flow');
  const keys = groupBy.filter((g) => g !== 'subPairing');
  // The pairing's own rows (for the total and all non-subPairing groupings).
  const sql = `
    select ${cols.length ? cols.join(', ') + ',' : ''} sum(d.amount_fen)::bigint as amount, sum(d.quantity)::bigint as quantity, sum(d.entries)::bigint as entries
    from ${ROLLUP} d
    ${keys.length ? `group by ${keys.map((_, i) => i + 1).join(', ')} order by ${keys.map((_, i) => i + 1).join(', ')}` : ''}`;
  const own = keys.length ? await reportsPrisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql, q.pairingId, from, to) : [];
  const toRow = (r: Record<string, unknown>, extra: Partial<Record<GroupBy, string>> = {}): TotalsRow => ({
    key: { ...Object.fromEntries(keys.map((k) => [k, String(r[k])])), ...extra },
    amountFen: Number(r.amount ?? 0),
    quantity: Number(r.quantity ?? 0),
    entries: Number(r.entries ?? 0),
  });
  const overall = await reportsPrisma.$queryRawUnsafe<Array<Record<string, unknown>>>(
    `select coalesce(sum(amount_fen), 0)::bigint as amount, coalesce(sum(quantity), 0)::bigint as quantity, coalesce(sum(entries), 0)::bigint as entries
     from ${ROLLUP} d`,
    q.pairingId, from, to,
  );
  const total = toRow(overall[0]!);
  let groups: TotalsRow[] = keys.length ? own.map((r) => toRow(r)) : [];
  if (groupBy.includes('subPairing')) {
    groups = [];
    const covered = new Map<string, TotalsRow>();
    for (const child of children) {
      const rows = await reportsPrisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql, child.id, from, to);
      for (const r of rows) {
        const row = toRow(r, { subPairing: child.slug });
        groups.push(row);
        const k = JSON.stringify(keys.map((x) => row.key[x]));
        const c = covered.get(k) ?? { key: { ...row.key, subPairing: '—' }, amountFen: 0, quantity: 0, entries: 0 };
        c.amountFen += row.amountFen;
        c.quantity += row.quantity;
        c.entries += row.entries;
        covered.set(k, c);
      }
    }
    // What the group pairings do not cover (e.g. 钟山区 under 中山 ↔ 六盘水) is shown as "—".
    const ownRows = keys.length ? own.map((r) => toRow(r)) : [total];
    for (const r of ownRows) {
      const k = JSON.stringify(keys.map((x) => r.key[x]));
      const c = covered.get(k);
      const rest = { key: { ...r.key, subPairing: '—' }, amountFen: r.amountFen - (c?.amountFen ?? 0), quantity: r.quantity - (c?.quantity ?? 0), entries: r.entries - (c?.entries ?? 0) };
      if (rest.amountFen !== 0 || rest.entries !== 0) groups.push(rest);
    }
  }
  return { pairingId: q.pairingId, from, to, groupBy, totalFen: total.amountFen, quantity: total.quantity, entries: total.entries, groups };
}

/**
 * The ledger's own invariants; every mismatch as a sentence. (`npm run ledger:check` adds the
 * comparisons with orders, payments and imports.)
 */
export async function ledgerSelfCheck(): Promise<string[]> {
  const problems: string[] = [];
  const rollup = await prisma.$queryRaw<Array<{ pairingId: number; day: Date; originCode: string; kind: string; flow: string; inRollup: bigint | null; inEntries: bigint | null }>>`
    with e as (
      select pairing_id, (occurred_at at time zone 'Asia/Shanghai')::date as day, origin_code, statistics_kind, flow,
             sum(amount_fen) as amount, sum(quantity) as quantity, count(*) as entries
      from ledger_entry group by 1, 2, 3, 4, 5)
    select coalesce(e.pairing_id, d.pairing_id) as "pairingId", coalesce(e.day, d.day) as day, coalesce(e.origin_code, d.origin_code) as "originCode",
           coalesce(e.statistics_kind, d.statistics_kind)::text as kind, coalesce(e.flow, d.flow)::text as flow,
           d.amount_fen as "inRollup", e.amount as "inEntries"
    from e full join ledger_daily d on d.pairing_id = e.pairing_id and d.day = e.day and d.origin_code = e.origin_code
      and d.statistics_kind = e.statistics_kind and d.flow = e.flow
    where d.amount_fen is distinct from e.amount or d.quantity is distinct from e.quantity or d.entries is distinct from e.entries`;
  for (const r of rollup) {
    problems.push(`rollup mismatch: pairing ${r.pairingId} ${r.day.toISOString().slice(0, 10)} ${r.originCode} ${r.kind} ${r.flow}: rollup ${r.inRollup ?? 'none'} vs entries ${r.inEntries ?? 'none'}`);
  }
  const levels = await prisma.$queryRaw<Array<{ sourceType: string; sourceId: string; amounts: string }>>`
    select source_type::text as "sourceType", source_id as "sourceId", string_agg(pairing_level::text || '=' || amount_fen, ', ') as amounts
    from ledger_entry group by source_type, source_id having count(distinct amount_fen) > 1`;
  for (const r of levels) problems.push(`${r.sourceType} ${r.sourceId} counts different amounts at its levels: ${r.amounts}`);
  const groupWithoutTop = await prisma.$queryRaw<Array<{ sourceType: string; sourceId: string }>>`
    select g.source_type::text as "sourceType", g.source_id as "sourceId"
    from ledger_entry g join pairing gp on gp.id = g.pairing_id
    where g.pairing_level = 'GROUP' and not exists (
      select 1 from ledger_entry t where t.source_type = g.source_type and t.source_id = g.source_id and t.pairing_level = 'TOP' and t.pairing_id = gp.parent_id)`;
  for (const r of groupWithoutTop) problems.push(`${r.sourceType} ${r.sourceId} counts for a group pairing but not for its parent`);
  const over = await prisma.$queryRaw<Array<{ id: bigint; remaining: bigint }>>`
    select e.id, e.amount_fen + coalesce(sum(x.amount_fen), 0) as remaining
    from ledger_entry e left join ledger_entry x on x.reverses_id = e.id
    where e.reverses_id is null group by e.id having e.amount_fen + coalesce(sum(x.amount_fen), 0) < 0`;
  const monthly = await prisma.$queryRaw<Array<{ pairingId: number; month: string; originCode: string; kind: string; flow: string; inMonthly: bigint | null; inDaily: bigint | null }>>`
    with d as (
      select pairing_id, date_trunc('month', day)::date as month, origin_code, statistics_kind, flow,
             sum(amount_fen) as amount, sum(quantity) as quantity, sum(entries) as entries
      from ledger_daily group by 1, 2, 3, 4, 5)
    select coalesce(d.pairing_id, m.pairing_id) as "pairingId", to_char(coalesce(d.month, m.month), 'YYYY-MM') as month,
           coalesce(d.origin_code, m.origin_code) as "originCode", coalesce(d.statistics_kind, m.statistics_kind)::text as kind,
           coalesce(d.flow, m.flow)::text as flow, m.amount_fen as "inMonthly", d.amount as "inDaily"
    from d full join ledger_monthly m on m.pairing_id = d.pairing_id and m.month = d.month and m.origin_code = d.origin_code
      and m.statistics_kind = d.statistics_kind and m.flow = d.flow
    where m.amount_fen is distinct from d.amount or m.quantity is distinct from d.quantity or m.entries is distinct from d.entries`;
  for (const r of monthly) {
    problems.push(`monthly rollup mismatch: pairing ${r.pairingId} ${r.month} ${r.originCode} ${r.kind} ${r.flow}: monthly ${r.inMonthly ?? 'none'} vs daily ${r.inDaily ?? 'none'}`);
  }
  for (const r of over) problems.push(`ledger entry ${r.id} was taken back by more than it counted (${r.remaining} 分 left)`);
  return problems;
}
