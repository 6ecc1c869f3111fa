// Reserved share (预留份额): a budget unit's yearly amount reserved for assistance goods, and what it has
// bought so far — read from the attribution ledger, never from orders directly:
//  - platform purchases: ORDER_LINE / REFUND_LINE entries whose buyer organisation is this organisation;
//  - offline records from the officials' import: IMPORT_ROW / IMPORT_REVERSAL entries of import rows whose
//    buyer is this organisation. Imported rows carry no organisation id or credit code, only the buyer's
//    name and type, so they match when the type equals the organisation's kind and the name (NFKC,
//    without spaces) equals its name or its invoice title (抬头).
// Each record counts once: only TOP-level entries are summed (a group pairing's entry repeats its parent's).
import { Prisma } from '~/generated/prisma/client';
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { requireOrgAdmin, type OrgActor } from './organisations.server';

export type MonthRow = { month: number; platformFen: number; offlineFen: number; totalFen: number; cumulativeFen: number };
export type ReservedShareReport = {
  organisationId: number;
  year: number;
  reservedFen: number | null;
  platformFen: number;
  offlineFen: number;
  totalFen: number;
  /** whole percent ×100 (basis points) of the reserved amount reached; null without a reserved amount */
  reachedBasisPoints: number | null;
  leftFen: number | null;
  months: MonthRow[];
};

/** The SQL set of TOP-level ledger entries that count for the organisation (platform and offline), with a `channel` column. */
export function organisationLedgerEntries(organisationId: number): Prisma.Sql {
  return Prisma.sql`
    select e.amount_fen, e.occurred_at, 'platform' as channel
    from ledger_entry e
    where e.buyer_organisation_id = ${organisationId} and e.pairing_level = 'TOP' and e.source_type in ('ORDER_LINE', 'REFUND_LINE')
    union all
    select e.amount_fen, e.occurred_at, 'offline' as channel
    from ledger_entry e
    left join ledger_entry o on o.id = e.reverses_id
    join import_row r on r.id = (case when e.source_type = 'IMPORT_ROW' then e.source_id else o.source_id end)::bigint
    join organisation org on org.id = ${organisationId}
    where e.pairing_level = 'TOP' and e.source_type in ('IMPORT_ROW', 'IMPORT_REVERSAL')
      and (e.source_type = 'IMPORT_ROW' or o.source_type = 'IMPORT_ROW')
      and r.buyer_type::text = org.kind::text
      and regexp_replace(normalize(r.buyer_name, NFKC), '\\s+', '', 'g') in (
        regexp_replace(normalize(org.name, NFKC), '\\s+', '', 'g'),
        nullif(regexp_replace(normalize(org.invoice_title, NFKC), '\\s+', '', 'g'), ''))`;
}

export async function reservedShareReport(organisationId: number, year: number): Promise<ReservedShareReport> {
  const share = await prisma.reservedShare.findUnique({ where: { organisationId_year: { organisationId, year } }, select: { amountFen: true } });
  const rows = await prisma.$queryRaw<Array<{ month: number; channel: 'platform' | 'offline'; amount: bigint }>>`
    select extract(month from (x.occurred_at at time zone 'Asia/Shanghai'))::int as month, x.channel, sum(x.amount_fen)::bigint as amount
    from (${organisationLedgerEntries(organisationId)}) x
    where (x.occurred_at at time zone 'Asia/Shanghai') >= make_date(${year}::int, 1, 1)
      and (x.occurred_at at time zone 'Asia/Shanghai') < make_date(${year}::int + 1, 1, 1)
    group by 1, 2`;
  const months: MonthRow[] = [];
  let cumulative = 0;
  let platformFen = 0;
  let offlineFen = 0;
  for (let m = 1; m <= 12; m++) {
    const p = Number(rows.find((r) => r.month === m && r.channel === 'platform')?.amount ?? 0);
    const o = Number(rows.find((r) => r.month === m && r.channel === 'offline')?.amount ?? 0);
    cumulative += p + o;
    platformFen += p;
    offlineFen += o;
    months.push({ month: m, platformFen: p, offlineFen: o, totalFen: p + o, cumulativeFen: cumulative });
  }
  const totalFen = platformFen + offlineFen;
  const reservedFen = share ? Number(share.amountFen) : null;
  return {
    organisationId, year, reservedFen, platformFen, offlineFen, totalFen,
    reachedBasisPoints: reservedFen ? Math.floor((totalFen * 10_000) / reservedFen) : null,
    leftFen: reservedFen === null ? null : Math.max(0, reservedFen - totalFen),
    months,
  };
}

export async function setReservedShare(actor: OrgActor, organisationId: number, input: { year: number; amount: number }, request?: Request) {
  await requireOrgAdmin(actor, organisationId);
  await prisma.$transaction(async (tx) => {
    await tx.reservedShare.upsert({
      where: { organisationId_year: { organisationId, year: input.year } },
      create: { organisationId, year: input.year, amountFen: BigInt(input.amount), updatedById: actor.id },
      update: { amountFen: BigInt(input.amount), updatedById: actor.id, updatedAt: new Date() },
    });
    await writeAudit(tx, { actorId: actor.id, action: 'organisation.reservedShare', entityType: 'organisation', entityId: organisationId, details: { year: input.year, amountFen: input.amount }, request });
  });
}

export async function reservedShareYears(organisationId: number) {
  const rows = await prisma.reservedShare.findMany({ where: { organisationId }, select: { year: true, amountFen: true }, orderBy: { year: 'desc' } });
  return rows.map((r) => ({ year: r.year, amountFen: Number(r.amountFen) }));
}
