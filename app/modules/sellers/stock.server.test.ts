import { describe, expect, it } from 'vitest';
import { createProduct, newSku } from '~/modules/catalog/catalog.server';
import { prisma } from '~/modules/db/db.server';
import { actorFor, freshSeller, uniq } from '../../../tests/helpers/actors';
import { adjustStock, lowStockVariants, stockHistory } from './stock.server';

async function productWithStock(stock: number) {
  const { seller, staff } = await freshSeller();
  const category = await prisma.category.findFirstOrThrow({ where: { slug: 'juice' } });
  const product = await createProduct({
    slug: `t-stock-${uniq()}`, sellerId: seller.id, nameZh: '测试刺梨汁', categoryId: category.id, statisticsKind: 'AGRI_LIVESTOCK', status: 'LISTED', createdById: staff.id,
    variants: [{ sku: newSku(), nameZh: '250ml', priceFen: 1000, stock, unit: '瓶', weightGrams: 300 }],
  });
  const variant = await prisma.variant.findFirstOrThrow({ where: { productId: product.id } });
  return { seller, staff, product, variant, actor: await actorFor(staff.email) };
}

describe('stock adjustments', () => {
  it('records the initial stock and every change with its reason', async () => {
    const { actor, variant, product } = await productWithStock(20);
    expect(await adjustStock(actor, { variantId: variant.id, delta: 30, reason: 'RESTOCK', note: '八月新采' })).toMatchObject({ ok: true, stock: 50 });
    expect(await adjustStock(actor, { variantId: variant.id, delta: -5, reason: 'DAMAGE' })).toMatchObject({ ok: true, stock: 45 });
    const history = await stockHistory(product.id);
    expect(history.map((h) => [h.reason, h.delta, h.stockAfter])).toEqual([['DAMAGE', -5, 45], ['RESTOCK', 30, 50], ['INITIAL', 20, 20]]);
    expect(history[1]!.note).toBe('八月新采');
    expect((await prisma.variant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(45);
  });

  it('rejects a change that would make stock negative, with a clear message, and changes nothing', async () => {
    const { actor, variant } = await productWithStock(3);
    const r = await adjustStock(actor, { variantId: variant.id, delta: -4, reason: 'OFFLINE_SALE' });
    expect(r).toEqual({ ok: false, message: expect.stringContaining('库存不足：当前库存 3，不能减少 4') });
    expect((await prisma.variant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(3);
    expect(await prisma.stockAdjustment.count({ where: { variantId: variant.id } })).toBe(1); // only INITIAL
  });

  it('is atomic under concurrency: 12 parallel −1 on stock 5 give exactly 5 successes', async () => {
    const { actor, variant } = await productWithStock(5);
    const results = await Promise.all(Array.from({ length: 12 }, () => adjustStock(actor, { variantId: variant.id, delta: -1, reason: 'OFFLINE_SALE' })));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect((await prisma.variant.findUniqueOrThrow({ where: { id: variant.id } })).stock).toBe(0);
    expect(await prisma.stockAdjustment.count({ where: { variantId: variant.id, reason: 'OFFLINE_SALE' } })).toBe(5);
  });

  it('refuses staff of another seller (403) and a zero change', async () => {
    const { variant, actor } = await productWithStock(5);
    const dushan = await actorFor('coop-dushan@demo.shanhai.cn');
    await expect(adjustStock(dushan, { variantId: variant.id, delta: 1, reason: 'RESTOCK' })).rejects.toMatchObject({ status: 403 });
    expect(await adjustStock(actor, { variantId: variant.id, delta: 0, reason: 'RESTOCK' })).toMatchObject({ ok: false });
  });

  it('lists low-stock variants of the seller', async () => {
    const { seller, variant, actor } = await productWithStock(50);
    expect((await lowStockVariants(seller.id)).map((v) => v.id)).not.toContain(variant.id);
    await adjustStock(actor, { variantId: variant.id, delta: -45, reason: 'OFFLINE_SALE' });
    expect((await lowStockVariants(seller.id)).map((v) => v.id)).toContain(variant.id);
  });
});
