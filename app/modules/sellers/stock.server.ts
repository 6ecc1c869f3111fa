// Stock adjustments by people (restock, stocktake corrections, damage, offline sales …), each recorded
// with its reason. The change and its record are ONE statement: the UPDATE only happens when the new
// stock stays >= 0, and the INSERT records exactly the row it changed. Orders (a later issue) will take
// stock with the same kind of conditional UPDATE.
import type { StockReason } from '~/generated/prisma/client';
import { prisma } from '~/modules/db/db.server';
import { notFound } from '~/modules/http/http.server';
import { assertCanManageProduct, type Actor } from './access.server';
import { LOW_STOCK_THRESHOLD } from './limits';

export { LOW_STOCK_THRESHOLD };

export const STOCK_REASONS = ['RESTOCK', 'CORRECTION', 'DAMAGE', 'OFFLINE_SALE', 'RETURN', 'OTHER'] as const satisfies readonly StockReason[];

export type StockAdjustmentResult = { ok: true; stock: number; adjustmentId: number } | { ok: false; message: string };

export async function adjustStock(actor: Actor, input: { variantId: number; delta: number; reason: StockReason; note?: string }): Promise<StockAdjustmentResult> {
  const variant = await prisma.variant.findUnique({ where: { id: input.variantId }, select: { productId: true } });
  if (!variant) notFound(`没有这个规格 / No variant ${input.variantId}`);
  await assertCanManageProduct(actor, variant.productId);
  if (!Number.isSafeInteger(input.delta) || input.delta === 0) return { ok: false, message: '变动数量不能为 0 / The change cannot be 0' };
  const rows = await prisma.$queryRaw<Array<{ id: number; stockAfter: number }>>`
    with changed as (
      update variant set stock = stock + ${input.delta}
      where id = ${input.variantId} and product_id = ${variant.productId} and stock + ${input.delta} >= 0
      returning id, stock
    )
    insert into stock_adjustment (variant_id, delta, stock_after, reason, note, user_id)
    select id, ${input.delta}, stock, ${input.reason}::"StockReason", ${(input.note ?? '').slice(0, 200)}, ${actor.id} from changed
    returning id, stock_after as "stockAfter"`;
  const row = rows[0];
  if (!row) {
    const now = await prisma.variant.findUnique({ where: { id: input.variantId }, select: { stock: true } });
    const have = now?.stock ?? 0;
    return { ok: false, message: `库存不足：当前库存 ${have}，不能减少 ${-input.delta} / Not enough stock: ${have} on hand, cannot take away ${-input.delta}` };
  }
  return { ok: true, stock: row.stockAfter, adjustmentId: row.id };
}

export async function stockHistory(productId: number, take = 30) {
  return prisma.stockAdjustment.findMany({
    where: { variant: { productId } },
    select: { id: true, delta: true, stockAfter: true, reason: true, note: true, createdAt: true, variant: { select: { nameZh: true, sku: true } }, user: { select: { name: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take,
  });
}

/** Variants of the seller's listed or in-review goods that are running out. */
export async function lowStockVariants(sellerId: number, threshold = LOW_STOCK_THRESHOLD) {
  return prisma.variant.findMany({
    where: { stock: { lte: threshold }, product: { sellerId, status: { in: ['LISTED', 'IN_REVIEW'] } } },
    select: { id: true, sku: true, nameZh: true, nameEn: true, stock: true, unit: true, product: { select: { id: true, nameZh: true, nameEn: true } } },
    orderBy: [{ stock: 'asc' }, { id: 'asc' }],
    take: 50,
  });
}
