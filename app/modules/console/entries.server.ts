// Drill-down: the ledger entries behind a figure, filterable by pairing, period, kind, flow, county,
// source and group pairing, each with what it came from (an order line, or an import row and its
// evidence). The same filter gives the page, its sums and the export, so a figure equals its rows.
import { z } from 'zod';
import { prisma, reportsPrisma } from '~/modules/db/db.server';
import { DAY_RANGE } from './dashboard.server';
import { parsePeriod, type Period } from './period';
import type { ScopePairing } from './scope.server';

export const SOURCE_TYPES = ['ORDER_LINE', 'REFUND_LINE', 'IMPORT_ROW', 'IMPORT_REVERSAL'] as const;

export type EntryFilter = {
  pairing: ScopePairing;
  period: Period;
  kind?: 'AGRI_LIVESTOCK' | 'HANDICRAFT';
  flow?: 'PROCUREMENT' | 'HELPED_SALES';
  county?: string;
  source?: (typeof SOURCE_TYPES)[number];
  /** a group pairing of `pairing` (its own entries), or 'none': entries no group pairing covers */
  sub?: string;
};

const filterShape = {
  pairing: z.string().regex(/^[a-z0-9-]{1,80}$/, 'unknown pairing'),
  year: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  kind: z.enum(['AGRI_LIVESTOCK', 'HANDICRAFT']).optional(),
  flow: z.enum(['PROCUREMENT', 'HELPED_SALES']).optional(),
  county: z.string().regex(/^\d{6}(\d{3})?$/, 'county must be a 6-digit code').optional(),
  source: z.enum(SOURCE_TYPES).optional(),
  sub: z.string().regex(/^([a-z0-9-]{1,80})$/, 'unknown group pairing').optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
};
export const ENTRY_PARAMS = Object.keys(filterShape);

/** Reads the drill-down filter from the query; unknown or malformed parameters give an error message. */
export function parseEntryFilter(url: URL, pairing: ScopePairing, defaultYear: number, extra: string[] = []): { ok: true; filter: EntryFilter; page: number } | { ok: false; message: string } {
  const unknown = [...url.searchParams.keys()].filter((k) => !ENTRY_PARAMS.includes(k) && !extra.includes(k));
  if (unknown.length) return { ok: false, message: `Unknown parameter: ${unknown.join(', ')}` };
  const raw = Object.fromEntries([...url.searchParams.entries()].filter(([k, v]) => v !== '' && ENTRY_PARAMS.includes(k)));
  const parsed = z.object(filterShape).safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { ok: false, message: `${i.path.join('.')}: ${i.message}` };
  }
  const period = parsePeriod(url.searchParams, defaultYear);
  if ('error' in period) return { ok: false, message: period.error };
  const d = parsed.data;
  return { ok: true, filter: { pairing, period, kind: d.kind, flow: d.flow, county: d.county, source: d.source, sub: d.sub }, page: d.page ?? 1 };
}

/** The filter's entries as SQL: ($1 pairing, $2 from, $3 to, then the optional filters). */
async function where(f: EntryFilter) {
  const params: unknown[] = [f.pairing.id, f.period.from, f.period.to];
  const parts = [`e.pairing_id = $1`, DAY_RANGE];
  if (f.sub && f.sub !== 'none') {
    const child = await prisma.pairing.findFirst({ where: { slug: f.sub, parentId: f.pairing.id }, select: { id: true } });
    // a group pairing's share of its parent is exactly the group pairing's own entries
    params[0] = child ? child.id : -1;
  }
  if (f.sub === 'none') {
    parts.push(`not exists (select 1 from ledger_entry g where g.source_type = e.source_type and g.source_id = e.source_id and g.pairing_level = 'GROUP')`);
  }
  if (f.kind) parts.push(`e.statistics_kind = $${params.push(f.kind)}::"StatisticsKind"`);
  if (f.flow) parts.push(`e.flow = $${params.push(f.flow)}::"Flow"`);
  if (f.county) parts.push(`e.origin_code = $${params.push(f.county)}`);
  if (f.source) parts.push(`e.source_type = $${params.push(f.source)}::"LedgerSourceType"`);
  return { sql: parts.join(' and '), params };
}

const SELECT = `
  e.id, to_char((e.occurred_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as day, e.source_type::text as "sourceType", e.source_id as "sourceId",
  e.pairing_level::text as "pairingLevel", p.slug as "pairingSlug", p.name_zh as "pairingName",
  e.amount_fen as "amountFen", e.quantity, e.description, e.statistics_kind::text as kind, e.flow::text as flow,
  e.origin_code as "originCode", coalesce(pl.name, e.origin_code) as "originName", e.reverses_id as "reversesId",
  coalesce(s.name, r.seller_name) as "sellerName", coalesce(o.name, r.buyer_name) as "buyerName", r.channel, r.evidence_ref as "evidenceRef",
  r.batch_id as "batchId", r.row_no as "rowNo"`;
const FROM = `
  from ledger_entry e
  join pairing p on p.id = e.pairing_id
  left join place pl on pl.code = e.origin_code
  left join seller s on s.id = e.seller_id
  left join organisation o on o.id = e.buyer_organisation_id
  left join import_row r on r.id = (case when e.source_type in ('IMPORT_ROW', 'IMPORT_REVERSAL') then e.source_id::bigint end)`;

type RawEntry = {
  id: bigint; day: string; sourceType: string; sourceId: string; pairingLevel: string; pairingSlug: string; pairingName: string;
  amountFen: bigint; quantity: number; description: string; kind: string; flow: string; originCode: string; originName: string;
  reversesId: bigint | null; sellerName: string | null; buyerName: string | null; channel: string | null; evidenceRef: string | null;
  batchId: number | null; rowNo: number | null;
};
const toEntry = (r: RawEntry) => ({ ...r, id: Number(r.id), amountFen: Number(r.amountFen), reversesId: r.reversesId === null ? null : Number(r.reversesId) });
export type Entry = ReturnType<typeof toEntry>;

export const ENTRIES_PER_PAGE = 50;

export async function listEntries(f: EntryFilter, page = 1, perPage = ENTRIES_PER_PAGE) {
  const w = await where(f);
  const [rows, [sum]] = await Promise.all([
    reportsPrisma.$queryRawUnsafe<RawEntry[]>(
      `select ${SELECT} ${FROM} where ${w.sql} order by e.occurred_at, e.id limit ${perPage} offset ${(page - 1) * perPage}`, ...w.params),
    reportsPrisma.$queryRawUnsafe<Array<{ n: number; amount: bigint; quantity: bigint }>>(
      `select count(*)::int as n, coalesce(sum(e.amount_fen), 0)::bigint as amount, coalesce(sum(e.quantity), 0)::bigint as quantity
       from ledger_entry e where ${w.sql}`, ...w.params),
  ]);
  return { total: sum!.n, amountFen: Number(sum!.amount), quantity: Number(sum!.quantity), page, perPage, items: rows.map(toEntry) };
}

/** Every entry of the filter in order, a few thousand at a time (keyset pagination), for exports. */
export async function* iterateEntries(f: EntryFilter, batch = 5000): AsyncIterable<Entry[]> {
  const w = await where(f);
  let after: { at: string; id: bigint } | null = null;
  for (;;) {
    const params = [...w.params];
    const keyset = after ? ` and (e.occurred_at, e.id) > ($${params.push(after.at)}::timestamptz, $${params.push(after.id)}::bigint)` : '';
    const rows: Array<RawEntry & { at: string }> = await reportsPrisma.$queryRawUnsafe(
      `select ${SELECT}, to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at ${FROM}
       where ${w.sql}${keyset} order by e.occurred_at, e.id limit ${batch}`, ...params);
    if (!rows.length) return;
    yield rows.map(toEntry);
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
    if (rows.length < batch) return;
  }
}
