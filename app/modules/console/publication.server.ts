// The public impact page of a pairing (/impact/:pairing) exists only while an official publishes it.
// Publishing and withdrawing are audited. The page shows totals and goods, never buyers or evidence.
import { totals } from '~/modules/attribution/ledger.server';
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { chinaToday } from '~/modules/imports/parse.server';
import { topGoodsAndSellers } from './dashboard.server';
import type { ConsoleScope, ScopePairing } from './scope.server';

export class PublicationError extends Error {}

export async function setPublished(scope: Pick<ConsoleScope, 'user' | 'can' | 'pairingIds'>, pairing: ScopePairing, published: boolean, request?: Request) {
  if (!scope.can('publish:impact') || !scope.pairingIds.includes(pairing.id)) throw new PublicationError('forbidden');
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`
      insert into impact_publication (pairing_id, published, updated_by_id, updated_at) values (${pairing.id}, ${published}, ${scope.user.id}, now())
      on conflict (pairing_id) do update set published = excluded.published, updated_by_id = excluded.updated_by_id, updated_at = now()`;
    await writeAudit(tx, {
      actorId: scope.user.id, action: published ? 'impact.publish' : 'impact.unpublish', entityType: 'impact_publication',
      entityId: pairing.slug, pairingId: pairing.id, details: { url: `/impact/${pairing.slug}` }, request,
    });
  });
}

/** The public figures of a published pairing, or null (not published, or no such pairing). */
export async function impactPage(slug: string) {
  const pairing = await prisma.pairing.findUnique({
    where: { slug },
    select: { id: true, slug: true, nameZh: true, nameEn: true, summaryZh: true, summaryEn: true, validFrom: true, publication: { select: { published: true, updatedAt: true } },
      eastPlace: { select: { name: true } }, westPlace: { select: { name: true, code: true } } },
  });
  if (!pairing?.publication?.published) return null;
  const from = pairing.validFrom.toISOString().slice(0, 10);
  const to = chinaToday();
  const q = { pairingId: pairing.id, from, to };
  const [all, byYear, kindFlow, counties, top] = await Promise.all([
    totals(q),
    totals({ ...q, groupBy: ['month'] }),
    totals({ ...q, groupBy: ['flow', 'kind'] }),
    totals({ ...q, groupBy: ['county'] }),
    topGoodsAndSellers(pairing.id, { from, to, year: null }, 12),
  ]);
  const years = new Map<string, number>();
  for (const g of byYear.groups) years.set(g.key.month!.slice(0, 4), (years.get(g.key.month!.slice(0, 4)) ?? 0) + g.amountFen);
  const places = await prisma.place.findMany({ where: { code: { in: counties.groups.map((g) => g.key.county!) } }, select: { code: true, name: true } });
  return {
    pairing: { slug: pairing.slug, nameZh: pairing.nameZh, nameEn: pairing.nameEn, summaryZh: pairing.summaryZh, summaryEn: pairing.summaryEn, since: from, east: pairing.eastPlace.name, west: pairing.westPlace.name },
    asOf: to,
    totalFen: all.totalFen,
    years: [...years.entries()].sort().map(([year, amountFen]) => ({ year, amountFen })),
    kindFlow: kindFlow.groups.map((g) => ({ kind: g.key.kind!, flow: g.key.flow!, amountFen: g.amountFen })),
    counties: counties.groups.map((g) => ({ code: g.key.county!, name: places.find((p) => p.code === g.key.county)?.name ?? g.key.county!, amountFen: g.amountFen })).sort((a, b) => b.amountFen - a.amountFen),
    goods: top.goods,
  };
}
