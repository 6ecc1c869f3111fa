// The figures of the console dashboard for one pairing and period. Every total comes from the ledger's
// rollup (totals()); top goods and sellers are read from the entries themselves. Each figure carries
// the filter of its drill-down (entries.server.ts), and the drill-down sums to it.
import { totals, type TotalsRow } from '~/modules/attribution/ledger.server';
import { prisma, reportsPrisma } from '~/modules/db/db.server';
import { chinaToday } from '~/modules/imports/parse.server';
import { previousPeriod, type Period } from './period';
import type { ScopePairing } from './scope.server';

export const DAY_RANGE = `e.occurred_at >= ($2::date)::timestamp at time zone 'Asia/Shanghai' and e.occurred_at < ($3::date + 1)::timestamp at time zone 'Asia/Shanghai'`;

/** The most recent year with ledger figures for the pairing (else this year): the dashboard's default. */
export async function defaultYear(pairingId: number) {
  const [r] = await reportsPrisma.$queryRaw<Array<{ day: Date | null }>>`select max(day) as day from ledger_daily where pairing_id = ${pairingId}`;
  const thisYear = Number(chinaToday().slice(0, 4));
  const y = r?.day ? r.day.getUTCFullYear() : thisYear;
  return Math.min(y, thisYear);
}

type Top = { name: string; amountFen: number; quantity: number; entries: number };

/** The goods (by description) and sellers that brought in most in the period, net of reversals. */
export async function topGoodsAndSellers(pairingId: number, period: Period, limit = 10) {
  type R = { name: string; amount: bigint; quantity: bigint; entries: number };
  const [goods, sellers] = await Promise.all([
    reportsPrisma.$queryRawUnsafe<R[]>(
      `select e.description as name, sum(e.amount_fen)::bigint as amount, sum(e.quantity)::bigint as quantity, count(*)::int as entries
       from ledger_entry e where e.pairing_id = $1 and ${DAY_RANGE}
       group by 1 having sum(e.amount_fen) <> 0 order by 2 desc, 1 limit $4`,
      pairingId, period.from, period.to, limit),
    reportsPrisma.$queryRawUnsafe<R[]>(
      `select coalesce(s.name, r.seller_name, '—') as name, sum(e.amount_fen)::bigint as amount, sum(e.quantity)::bigint as quantity, count(*)::int as entries
       from ledger_entry e
       left join seller s on s.id = e.seller_id
       left join import_row r on r.id = (case when e.source_type in ('IMPORT_ROW', 'IMPORT_REVERSAL') then e.source_id::bigint end)
       where e.pairing_id = $1 and ${DAY_RANGE}
       group by 1 having sum(e.amount_fen) <> 0 order by 2 desc, 1 limit $4`,
      pairingId, period.from, period.to, limit),
  ]);
  const map = (rows: R[]): Top[] => rows.map((r) => ({ name: r.name, amountFen: Number(r.amount), quantity: Number(r.quantity), entries: r.entries }));
  return { goods: map(goods), sellers: map(sellers) };
}

export type Projection = { targetFen: number | null; progress: number | null; projectedFen: number | null; final: boolean; elapsedDays: number; daysInYear: number };

/** Progress against the year's target and a straight-line projection to the year's end. */
export function projection(totalFen: number, year: number | null, targetFen: number | null, today = chinaToday()): Projection | null {
  if (!year) return null;
  const thisYear = Number(today.slice(0, 4));
  const daysInYear = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
  const elapsedDays = year < thisYear ? daysInYear : year > thisYear ? 0 : (Date.UTC(thisYear, Number(today.slice(5, 7)) - 1, Number(today.slice(8, 10))) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  const final = year < thisYear;
  const projectedFen = final ? totalFen : elapsedDays > 0 ? Math.round((totalFen * daysInYear) / elapsedDays) : null;
  return { targetFen, progress: targetFen ? totalFen / targetFen : null, projectedFen, final, elapsedDays, daysInYear };
}

export async function dashboard(pairing: ScopePairing, period: Period) {
  const q = { pairingId: pairing.id, from: period.from, to: period.to };
  const prev = previousPeriod(period);
  const [overall, byMonth, byCounty, byKindFlow, bySub, last, lastByMonth, top, target, publication, children] = await Promise.all([
    totals(q),
    totals({ ...q, groupBy: ['month'] }),
    totals({ ...q, groupBy: ['county'] }),
    totals({ ...q, groupBy: ['flow', 'kind'] }),
    totals({ ...q, groupBy: ['subPairing'] }),
    totals({ pairingId: pairing.id, from: prev.from, to: prev.to }),
    totals({ pairingId: pairing.id, from: prev.from, to: prev.to, groupBy: ['month'] }),
    topGoodsAndSellers(pairing.id, period),
    period.year ? prisma.pairingTarget.findUnique({ where: { pairingId_year: { pairingId: pairing.id, year: period.year } } }) : null,
    prisma.impactPublication.findUnique({ where: { pairingId: pairing.id } }),
    prisma.pairing.findMany({ where: { parentId: pairing.id }, select: { id: true, slug: true, nameZh: true, nameEn: true }, orderBy: { id: 'asc' } }),
  ]);
  const places = await prisma.place.findMany({ where: { code: { in: byCounty.groups.map((g) => g.key.county!) } }, select: { code: true, name: true } });
  const placeName = new Map(places.map((p) => [p.code, p.name]));
  const row = (g: TotalsRow) => ({ amountFen: g.amountFen, quantity: g.quantity, entries: g.entries });
  const targetFen = target ? Number(target.targetFen) : null;
  return {
    period,
    previous: prev,
    totalFen: overall.totalFen,
    quantity: overall.quantity,
    entries: overall.entries,
    lastYearFen: last.totalFen,
    months: byMonth.groups.map((g) => ({ month: g.key.month!, ...row(g) })),
    lastYearMonths: lastByMonth.groups.map((g) => ({ month: g.key.month!, ...row(g) })),
    counties: byCounty.groups.map((g) => ({ code: g.key.county!, name: placeName.get(g.key.county!) ?? g.key.county!, ...row(g) })),
    kindFlow: byKindFlow.groups.map((g) => ({ flow: g.key.flow as 'PROCUREMENT' | 'HELPED_SALES', kind: g.key.kind as 'AGRI_LIVESTOCK' | 'HANDICRAFT', ...row(g) })),
    // a pairing without group pairings has no such split (its "—" row would be the whole total)
    subPairings: children.length === 0 ? [] : bySub.groups.map((g) => {
      const c = children.find((x) => x.slug === g.key.subPairing);
      return { slug: c?.slug ?? null, nameZh: c?.nameZh ?? null, nameEn: c?.nameEn ?? null, ...row(g) };
    }),
    hasChildren: children.length > 0,
    top,
    target: target ? { targetFen: Number(target.targetFen), updatedAt: target.updatedAt.toISOString() } : null,
    projection: projection(overall.totalFen, period.year, targetFen),
    published: publication?.published ?? false,
  };
}
export type Dashboard = Awaited<ReturnType<typeof dashboard>>;
