// Bad input on the seller portal's forms: field errors tied to the field (Conform's reply), never a 500.
// The actions are called directly with real sessions and real multipart bodies.
import type { ActionFunctionArgs } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { readMultipartForm } from '~/modules/http/multipart.server';
import * as sellerApply from '~/routes/seller.apply';
import * as productStock from '~/routes/seller.products.$id.stock';
import * as productNew from '~/routes/seller.products.new';
import { creditCodeFor, imageBytes, requestAs } from './helpers/actors';

const COOP = 'coop-panzhou@demo.shanhai.cn';

async function call(fn: (a: ActionFunctionArgs) => Promise<unknown>, request: Request, params: Record<string, string> = {}) {
  try {
    const r = await fn({ request, params, context: {} });
    return r as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function listingForm(files: Array<{ name: string; type: string; body: Buffer | string }>) {
  const category = await prisma.category.findFirstOrThrow({ where: { slug: 'dried-fruit' } });
  const fd = new FormData();
  for (const [k, v] of Object.entries({
    _action: 'save', nameZh: '刺梨果脯（表单测试）', categoryId: String(category.id), statisticsKind: 'AGRI_LIVESTOCK', originCode: '520281',
    'variants[0].nameZh': '200g', 'variants[0].price': '29.9', 'variants[0].unit': '袋', 'variants[0].weightGrams': '220', 'variants[0].stock': '10',
  })) fd.set(k, v);
  for (const f of files) fd.append('images', new File([typeof f.body === 'string' ? f.body : new Uint8Array(f.body)], f.name, { type: f.type }));
  return fd;
}

describe('listing form uploads', () => {
  it('a text file named .png is refused on the images field; nothing is created', async () => {
    const before = await prisma.product.count();
    const res = await call(productNew.action, await requestAs(COOP, '/seller/products/new', { method: 'POST', body: await listingForm([{ name: 'photo.png', type: 'image/png', body: 'just some text, not a picture' }]) }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.images).toEqual([expect.stringContaining('photo.png：不是 JPEG、PNG 或 WebP 图片')]);
    expect(body.initialValue.nameZh).toBe('刺梨果脯（表单测试）'); // the form keeps what was typed
    expect(await prisma.product.count()).toBe(before);
  });

  it('a PNG renamed .jpg (declared image/jpeg) is accepted and stored as WebP sizes', async () => {
    const res = await call(productNew.action, await requestAs(COOP, '/seller/products/new', { method: 'POST', body: await listingForm([{ name: 'photo.jpg', type: 'image/jpeg', body: await imageBytes(900, 700, 'png') }]) }));
    expect(res.status).toBe(302);
    const id = Number(/\/seller\/products\/(\d+)/.exec(res.headers.get('location')!)![1]);
    const images = await prisma.productImage.findMany({ where: { productId: id } });
    expect(images).toHaveLength(1);
    expect(images[0]!.key).toMatch(/^products\/s\d+\/[0-9a-f]{16}$/);
  });

  it('a picture that is too small is refused with its size', async () => {
    const res = await call(productNew.action, await requestAs(COOP, '/seller/products/new', { method: 'POST', body: await listingForm([{ name: 'tiny.webp', type: 'image/webp', body: await imageBytes(120, 90, 'webp') }]) }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.images[0]).toContain('图片太小（120×90）');
  });

  it('a garbled multipart body is a 400, not a 500', async () => {
    const request = await requestAs(COOP, '/seller/products/new', { method: 'POST', body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });
    const res = await call(productNew.action, request);
    expect(res.status).toBe(400);
  });
});

describe('the multipart reader', () => {
  it('drops the bytes of a file over the limit but reports its size, and keeps the text fields', async () => {
    const fd = new FormData();
    fd.set('title', '你好');
    fd.append('images', new File([Buffer.alloc(5000, 1)], 'big.jpg', { type: 'image/jpeg' }));
    fd.append('images', new File([Buffer.alloc(100, 1)], 'small.jpg', { type: 'image/jpeg' }));
    const { formData, files } = await readMultipartForm(new Request('http://x/', { method: 'POST', body: fd }), { maxFileBytes: 1000 });
    expect(formData.get('title')).toBe('你好');
    expect(formData.get('images')).toBeNull();
    expect(files.map((f) => [f.filename, f.size, f.bytes?.length ?? null])).toEqual([['big.jpg', 5000, null], ['small.jpg', 100, 100]]);
  });

  it('refuses too many files with a 400', async () => {
    const fd = new FormData();
    for (let i = 0; i < 3; i++) fd.append('images', new File(['x'], `${i}.jpg`));
    await expect(readMultipartForm(new Request('http://x/', { method: 'POST', body: fd }), { maxFileBytes: 1000, maxFiles: 2 })).rejects.toMatchObject({ status: 400 });
  });
});

describe('other forms', () => {
  it('an application with a wrong check character gets the reason on creditCode', async () => {
    const code = creditCodeFor('520281');
    const fd = new FormData();
    for (const [k, v] of Object.entries({ name: '盘州测试合作社', kind: 'COOPERATIVE', creditCode: code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A'), countyCode: '520281', contactName: '赵六', contactPhone: '13600000000' })) fd.set(k, v);
    const res = await call(sellerApply.action, await requestAs('consumer@demo.shanhai.cn', '/seller/apply', { method: 'POST', body: fd }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.creditCode).toEqual([expect.stringContaining('校验位不正确')]);
    expect(body.error.licence).toEqual([expect.stringContaining('营业执照')]);
  });

  it('a stock change below zero gets the message on the delta field', async () => {
    const product = await prisma.product.findUniqueOrThrow({ where: { slug: 'panzhou-cili-gan-250g' }, include: { variants: true } });
    const v = product.variants[0]!;
    const body = new URLSearchParams({ variantId: String(v.id), delta: String(-(v.stock + 1)), reason: 'OFFLINE_SALE' });
    const res = await call(productStock.action, await requestAs(COOP, `/seller/products/${product.id}/stock`, { method: 'POST', body }), { id: String(product.id) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.delta).toEqual([expect.stringContaining('库存不足')]);
    expect((await prisma.variant.findUniqueOrThrow({ where: { id: v.id } })).stock).toBe(v.stock);
  });

  it('a malformed product id is a 400', async () => {
    const res = await call(productStock.action, await requestAs(COOP, '/seller/products/abc/stock', { method: 'POST', body: new URLSearchParams() }), { id: 'abc' });
    expect(res.status).toBe(400);
  });
});
