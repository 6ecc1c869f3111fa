// The seller's own sales report (from the attribution ledger, top pairing level, refunds netted) and
// the packing list of one of its fulfilments.
import type { CurrentUser } from '~/modules/accounts/session.server';
import { userCan } from '~/modules/accounts/session.server';
import { prisma } from '~/modules/db/db.server';
import { forbidden, notFound } from '~/modules/http/http.server';
import { regionNames } from '~/modules/places/places.server';

/** Paid amount per month (China time) of the year, and the seller's share of each pairing's total. */
export async function sellerSales(sellerId: number, year: number) {
  const from = new Date(`${year}-01-01T00:00:00+08:00`);
  const to = new Date(`${year + 1}-01-01T00:00:00+08:00`);
  const months = await prisma.$queryRaw<Array<{ month: number; amountFen: bigint; quantity: bigint }>>`
    select extract(month from occurred_at at time zone 'Asia/Shanghai')::int as month, sum(amount_fen)::bigint as "amountFen", sum(quantity)::bigint as quantity
    from ledger_entry where seller_id = ${sellerId} and pairing_level = 'TOP' and occurred_at >= ${from} and occurred_at < ${to}
    group by 1 order by 1`;
  const pairings = await prisma.$queryRaw<Array<{ pairingId: number; name: string; sellerFen: bigint; totalFen: bigint }>>`
    select e.pairing_id as "pairingId", p.name_zh as name, coalesce(sum(e.amount_fen) filter (where e.seller_id = ${sellerId}), 0)::bigint as "sellerFen", sum(e.amount_fen)::bigint as "totalFen"
    from ledger_entry e join pairing p on p.id = e.pairing_id
    where e.pairing_level = 'TOP' and e.occurred_at >= ${from} and e.occurred_at < ${to}
      and e.pairing_id in (select distinct pairing_id from ledger_entry where seller_id = ${sellerId} and pairing_level = 'TOP')
    group by e.pairing_id, p.name_zh order by e.pairing_id`;
  const byMonth = Array.from({ length: 12 }, (_, i) => {
    const m = months.find((r) => r.month === i + 1);
    return { month: i + 1, amountFen: Number(m?.amountFen ?? 0n), quantity: Number(m?.quantity ?? 0n) };
  });
  return {
    year,
    byMonth,
    totalFen: byMonth.reduce((s, m) => s + m.amountFen, 0),
    pairings: pairings.map((p) => ({ pairingId: p.pairingId, name: p.name, sellerFen: Number(p.sellerFen), totalFen: Number(p.totalFen), sharePercent: p.totalFen > 0n ? Math.round((Number(p.sellerFen) / Number(p.totalFen)) * 1000) / 10 : 0 })),
  };
}

/** A fulfilment's packing list: 404 when there is none (or unpaid), 403 unless the actor staffs its seller or reads any. */
export async function packingList(actor: Pick<CurrentUser, 'permissions' | 'sellerStaff'>, fulfilmentId: number) {
  const f = await packingListRow(fulfilmentId);
  if (!f) notFound('没有这个包裹 / No such parcel');
  if (!actor.sellerStaff.some((s) => s.seller.id === f.sellerId) && !userCan(actor, 'read:fulfilment:any')) forbidden('这个包裹属于其他商家 / This parcel belongs to another seller');
  const [region] = await regionNames([f.order]);
  return { ...f, order: { ...f.order, region: region! } };
}

function packingListRow(fulfilmentId: number) {
  return prisma.fulfilment.findFirst({
    where: { id: fulfilmentId, state: { not: 'AWAITING_PAYMENT' } },
    select: {
      id: true, state: true, carrier: true, trackingNo: true, sellerId: true, recipientNo: true, recipientName: true, recipientMobile: true, recipientAddress: true,
      seller: { select: { name: true, contactName: true, contactPhone: true } },
      order: { select: { reference: true, recipient: true, mobile: true, street: true, provinceCode: true, cityCode: true, districtCode: true, note: true, paidAt: true, createdAt: true } },
      lines: { orderBy: { id: 'asc' }, select: { id: true, productNameZh: true, variantNameZh: true, sku: true, quantity: true, refundedQuantity: true } },
    },
  });
}
