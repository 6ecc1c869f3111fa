// The product page is the busiest page: its loaders (root + product) must stay a fixed, small number of
// SQL statements (no N+1 over variants, images or places), measured at the pg driver. Prisma's
// relationJoins (prisma/schema/schema.prisma) loads the product with its relations in one statement.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { loader as productLoader } from '~/routes/products.$slug';
import { loader as rootLoader } from '~/root';

async function countQueries(run: () => Promise<unknown>) {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
    const q = args[0];
    statements.push(typeof q === 'string' ? q : q?.text ?? '?');
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  try {
    await run();
  } finally {
    pg.Client.prototype.query = original;
  }
  return statements.filter((s) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SET|DEALLOCATE)/i.test(s));
}

describe('product page queries', () => {
  it('root + product loaders for an anonymous visitor run at most 4 statements (product with its relations, place chain, pairings, reviews with their summary), whatever the product has', async () => {
    const products = await prisma.product.findMany({ where: { status: 'LISTED' }, select: { slug: true, _count: { select: { variants: true, images: true } } }, orderBy: { id: 'asc' } });
    const rich = products.sort((x, y) => y._count.variants + y._count.images - (x._count.variants + x._count.images))[0]!;
    const request = new Request(`http://x/products/${rich.slug}`);
    await productLoader({ request, params: { slug: rich.slug }, context: {} }); // warm the connection
    const statements = await countQueries(async () => {
      await Promise.all([rootLoader({ request, params: {}, context: {} }), productLoader({ request, params: { slug: rich.slug }, context: {} })]);
    });
    console.log(`product page: ${statements.length} statement(s) for ${rich.slug} (${rich._count.variants} variants, ${rich._count.images} images)`);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.length).toBeLessThanOrEqual(4);
  });
});
