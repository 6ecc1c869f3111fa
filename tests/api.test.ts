// Partner API and storefront loaders, called as Remix calls them.
import { describe, expect, it } from 'vitest';
import { loader as placesApi } from '~/routes/api.v1.places';
import { loader as pairingsApi } from '~/routes/api.v1.pairings';
import { loader as productApi } from '~/routes/api.v1.products.$slug';
import { loader as placePage } from '~/routes/places.$code';
import { loader as health } from '~/routes/healthz';
import { prisma } from '~/modules/db/db.server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body$ = async (r: Response): Promise<any> => r.json();
const args = (url: string, params: Record<string, string> = {}) => ({ request: new Request(`http://x${url}`), params, context: {} });
const status = async (p: Promise<unknown> | unknown) => {
  try {
    const r = await p;
    return (r as Response).status;
  } catch (e) {
    return (e as Response).status;
  }
};

describe('GET /api/v1/places', () => {
  it('lists counties of a prefecture with their codes', async () => {
    const res = await placesApi(args('/api/v1/places?parent=520200&level=COUNTY'));
    const body = await body$(res);
    expect(body.items.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['520281', '520204', '520203', '520201']));
  });
  it('rejects malformed and unknown parameters with a message', async () => {
    for (const q of ['?parent=52', '?perPage=100000', '?level=CITY', '?page=0', '?colour=red']) {
      const res = await placesApi(args(`/api/v1/places${q}`));
      expect(res.status, q).toBe(400);
      expect((await body$(res)).error.message.length).toBeGreaterThan(3);
    }
  });
});

describe('GET /api/v1/pairings and /api/v1/products/:slug', () => {
  it('lists all pairings with parents', async () => {
    const body = await body$(await pairingsApi(args('/api/v1/pairings')));
    expect(body.items).toHaveLength(9);
    expect(body.items.find((p: { slug: string }) => p.slug === 'zhongshan-dongqu-liuzhi').parent).toBe('zhongshan-liupanshui');
  });
  it('returns a product with origin path, both pairing levels, variants in fen', async () => {
    const p = await prisma.product.findFirstOrThrow({ where: { originCode: '520281', status: 'LISTED' } });
    const body = await body$(await productApi(args(`/api/v1/products/${p.slug}`, { slug: p.slug })));
    expect(body.origin.map((o: { code: string }) => o.code)).toEqual(['520000', '520200', '520281']);
    expect(body.pairings.map((x: { slug: string }) => x.slug).sort()).toEqual(['zhongshan-liupanshui', 'zhongshan-xiaolan-panzhou']);
    expect(Number.isInteger(body.variants[0].priceFen)).toBe(true);
  });
  it('404s unknown and 400s malformed slugs', async () => {
    expect((await productApi(args('/api/v1/products/nope', { slug: 'nope' }))).status).toBe(404);
    expect((await productApi(args('/api/v1/products/%3Cscript%3E', { slug: '<script>' }))).status).toBe(400);
  });
});

describe('storefront loaders', () => {
  it('place page: 404 for an unknown code, 400 for a malformed one or page', async () => {
    expect(await status(placePage(args('/places/999999', { code: '999999' })))).toBe(404);
    expect(await status(placePage(args('/places/abc', { code: 'abc' })))).toBe(400);
    expect(await status(placePage(args('/places/520281?page=x', { code: '520281' })))).toBe(400);
    expect(await status(placePage(args('/places/520281', { code: '520281' })))).toBe(200);
  });
  it('a prefecture page lists the goods of all its counties', async () => {
    const body = await body$(await placePage(args('/places/520200', { code: '520200' })));
    const expected = await prisma.product.count({ where: { status: 'LISTED', originCode: { in: ['520281', '520204', '520203', '520201'] } } });
    expect(body.products.total).toBe(expected);
  });
  it('healthz reports the database', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect((await body$(res)).checks.database.status).toBe('ok');
  });
});
