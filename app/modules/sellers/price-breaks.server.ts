// Quantity breaks (阶梯价) in the seller portal: read a product's breaks per variant and replace one
// variant's breaks. The checks (increasing quantities, decreasing prices > 0, below the base price) run
// again here against the stored base price, under a lock on the variant row so a concurrent base-price
// change cannot slip between the check and the write.
import { checkPriceBreaks, type BreakProblem, type PriceBreak } from '~/modules/catalog/price-breaks';
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { assertCanManageProduct, type Actor } from './access.server';

export async function productPriceBreaks(productId: number) {
  return prisma.product.findUniqueOrThrow({
    where: { id: productId },
    select: {
      id: true, nameZh: true, status: true,
      variants: {
        orderBy: { position: 'asc' },
        select: { id: true, sku: true, nameZh: true, unit: true, priceFen: true, priceBreaks: { select: { minQuantity: true, priceFen: true }, orderBy: { minQuantity: 'asc' } } },
      },
    },
  });
}

export type SetBreaksResult = { ok: true } | { ok: false; message: string; problems: BreakProblem[] };

/** Replaces the variant's quantity breaks (an empty list removes them). */
export async function setPriceBreaks(actor: Actor, productId: number, variantId: number, breaks: PriceBreak[]): Promise<SetBreaksResult> {
  const product = await assertCanManageProduct(actor, productId);
  if (product.status === 'IN_REVIEW') return { ok: false, message: '审核中的商品不能修改，请先撤回审核 / A listing in review cannot be changed: withdraw it first', problems: [] };
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ priceFen: number }>>`select price_fen as "priceFen" from variant where id = ${variantId} and product_id = ${productId} for update`;
    const variant = rows[0];
    if (!variant) return { ok: false as const, message: '请选择本商品的规格 / Choose a specification of this product', problems: [] };
    const problems = checkPriceBreaks(variant.priceFen, breaks);
    if (problems.length) return { ok: false as const, message: '阶梯价有误 / The quantity prices are not valid', problems };
    await tx.variantPriceBreak.deleteMany({ where: { variantId } });
    if (breaks.length) await tx.variantPriceBreak.createMany({ data: breaks.map((b) => ({ variantId, minQuantity: b.minQuantity, priceFen: b.priceFen })) });
    await writeAudit(tx, { actorId: actor.id, action: 'variant.price-breaks', entityType: 'variant', entityId: variantId, details: { breaks } });
    return { ok: true as const };
  });
}
