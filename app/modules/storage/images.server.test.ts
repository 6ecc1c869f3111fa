import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageBytes } from '../../../tests/helpers/actors';
import { checkImage, DOCUMENT_IMAGE_RULES, PRODUCT_IMAGE_RULES, storePrivateDocument, storeResponsiveImage } from './images.server';
import { IMAGE_WIDTHS, imageKey, storage } from './storage.server';

const upload = (filename: string, bytes: Buffer | null, size = bytes?.length ?? 0) => ({ filename, bytes, size });

describe('upload checks go by content, not by name or declared type', () => {
  it('accepts a PNG renamed .jpg, and knows it is a PNG', async () => {
    const png = await imageBytes(800, 600, 'png');
    const r = await checkImage(upload('photo.jpg', png), PRODUCT_IMAGE_RULES);
    expect(r).toMatchObject({ ok: true, format: 'png', width: 800, height: 600 });
  });

  it('rejects a text file named .png', async () => {
    const r = await checkImage(upload('evil.png', Buffer.from('<script>alert(1)</script> not an image at all')), PRODUCT_IMAGE_RULES);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/evil\.png.*不是 JPEG、PNG 或 WebP 图片/);
  });

  it('rejects an SVG (text, scriptable) even when called .png', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="900"><rect width="900" height="900"/></svg>');
    const r = await checkImage(upload('logo.png', svg), PRODUCT_IMAGE_RULES);
    expect(r.ok).toBe(false);
  });

  it('rejects a file over the size limit (the reader drops its bytes) and one just over it with bytes', async () => {
    const r1 = await checkImage(upload('huge.jpg', null, 20 * 1024 * 1024), PRODUCT_IMAGE_RULES);
    expect(!r1.ok && r1.message).toMatch(/文件太大.*20 MB/);
    const png = await imageBytes(800, 600, 'png');
    const r2 = await checkImage(upload('big.png', png), { ...PRODUCT_IMAGE_RULES, maxBytes: png.length - 1 });
    expect(r2.ok).toBe(false);
  });

  it('rejects an image that is too small, and one that is too large in pixels', async () => {
    const small = await checkImage(upload('tiny.png', await imageBytes(100, 80)), PRODUCT_IMAGE_RULES);
    expect(!small.ok && small.message).toMatch(/图片太小（100×80）/);
    const wide = await checkImage(upload('wide.png', await imageBytes(2000, 600)), { ...PRODUCT_IMAGE_RULES, maxWidth: 1500 });
    expect(!wide.ok && wide.message).toMatch(/最多 1500×8000/);
  });

  it('rejects a truncated (damaged) JPEG', async () => {
    const jpeg = await imageBytes(800, 600, 'jpeg');
    const r = await checkImage(upload('broken.jpg', jpeg.subarray(0, 40)), PRODUCT_IMAGE_RULES);
    expect(r.ok).toBe(false);
  });

  it('counts EXIF-rotated photos by the size people see', async () => {
    const rotated = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#888' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const r = await checkImage(upload('portrait.jpg', rotated), { ...PRODUCT_IMAGE_RULES, minWidth: 300, minHeight: 500 });
    expect(r).toMatchObject({ ok: true, width: 400, height: 600 });
  });
});

describe('storing', () => {
  it('converts a product image to 4:3 WebP in every IMAGE_WIDTHS width', async () => {
    const checked = await checkImage(upload('a.jpg', await imageBytes(1200, 1200, 'jpeg')), PRODUCT_IMAGE_RULES);
    if (!checked.ok) throw new Error(checked.message);
    const stored = await storeResponsiveImage(checked, 'products/test');
    expect(stored.key).toMatch(/^products\/test\/[0-9a-f]{16}$/);
    for (const w of IMAGE_WIDTHS) {
      const body = await storage().get(imageKey(stored.key, w));
      const meta = await sharp(body!).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: w, height: Math.round((w * 3) / 4) });
    }
  });

  it('keeps documents under private/ as one WebP', async () => {
    const checked = await checkImage(upload('licence.png', await imageBytes(900, 1200)), DOCUMENT_IMAGE_RULES);
    if (!checked.ok) throw new Error(checked.message);
    const { key } = await storePrivateDocument(checked, 'licences');
    expect(key).toMatch(/^private\/licences\/[0-9a-f]{16}\.webp$/);
    expect((await sharp((await storage().get(key))!).metadata()).format).toBe('webp');
  });
});
