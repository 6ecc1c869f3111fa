import { prisma } from '~/modules/db/db.server';

const pairingSelect = {
  id: true, slug: true, nameZh: true, nameEn: true, programme: true, validFrom: true, validTo: true,
  summaryZh: true, summaryEn: true, parentId: true,
  eastPlace: { select: { code: true, name: true, shortName: true } },
  westPlace: { select: { code: true, name: true, shortName: true } },
} as const;

export async function listPairings() {
  return prisma.pairing.findMany({ select: { ...pairingSelect, parent: { select: { slug: true, nameZh: true, nameEn: true } } }, orderBy: [{ parentId: { sort: 'asc', nulls: 'first' } }, { id: 'asc' }] });
}

export async function getPairingBySlug(slug: string) {
  return prisma.pairing.findUnique({
    where: { slug },
    select: { ...pairingSelect, parent: { select: { slug: true, nameZh: true, nameEn: true } }, children: { select: pairingSelect, orderBy: { id: 'asc' } } },
  });
}

/**
 * The pairings a sale from `originCode` counts for on `date`: every pairing whose western place is
 * the origin or one of its ancestors, valid on that date; at most one per level (group, city).
 */
export async function pairingsForOrigin(originCode: string, date: Date = new Date()) {
  return prisma.$queryRaw<Array<{ id: number; slug: string; nameZh: string; parentId: number | null }>>`
    with recursive up as (
      select code, parent_code from place where code = ${originCode}
      union all select p.code, p.parent_code from place p join up on p.code = up.parent_code
    )
    select pr.id, pr.slug, pr.name_zh as "nameZh", pr.parent_id as "parentId"
    from pairing pr join up on up.code = pr.west_place_code
    where pr.valid_from <= ${date}::date and (pr.valid_to is null or pr.valid_to >= ${date}::date)
    order by pr.parent_id nulls last, pr.id`;
}
