import { describe, it, expect } from 'vitest';
import sharp from 'sharp';
import { demoCategories, demoSellers, demoProducts, type DemoProduct } from './catalog';
import { renderDemoImage } from '../../app/modules/catalog/demo-images.server';

// GB 32100-2015 check character, implemented independently of any app code.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]!);
    if (v < 0) throw new Error(`invalid character ${first17[i]} in ${first17}`);
    sum += v * USCC_WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return USCC_ALPHABET[c === 31 ? 0 : c]!;
}

function isValidUscc(code: string): boolean {
  if (!/^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/.test(code)) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}

const COUNTIES: Record<string, { name: string; min: number }> = {
  '520281': { name: '盘州市', min: 12 },
  '520204': { name: '水城区', min: 5 },
  '520203': { name: '六枝特区', min: 5 },
  '520201': { name: '钟山区', min: 5 },
  '522726': { name: '独山县', min: 10 },
  '522732': { name: '三都水族自治县', min: 10 },
  '520526': { name: '威宁彝族回族苗族自治县', min: 8 },
};

const sellerBySlug = new Map(demoSellers.map((s) => [s.slug, s]));
const originOf = (p: DemoProduct) => p.originCode ?? sellerBySlug.get(p.sellerSlug)!.countyCode;

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const v of values) (seen.has(v) ? dups : seen).add(v);
  return [...dups];
}

describe('GB 32100 check implementation', () => {
  it('accepts a known valid code and rejects a tampered one', () => {
    // widely published sample code (Huawei Technologies Co., Ltd.)
    expect(isValidUscc('914403001922038216')).toBe(true);
    expect(isValidUscc('914403001922038217')).toBe(false);
    expect(isValidUscc('91440300192203821I')).toBe(false);
  });
});

describe('demo sellers', () => {
  it('has about 14–18 sellers with unique slugs and credit codes', () => {
    expect(demoSellers.length).toBeGreaterThanOrEqual(14);
    expect(demoSellers.length).toBeLessThanOrEqual(18);
    expect(duplicates(demoSellers.map((s) => s.slug))).toEqual([]);
    expect(duplicates(demoSellers.map((s) => s.creditCode))).toEqual([]);
  });

  it.each(demoSellers.map((s) => [s.slug, s] as const))('%s has a valid credit code', (_slug, s) => {
    expect(isValidUscc(s.creditCode), s.creditCode).toBe(true);
    expect(s.creditCode.slice(2, 8)).toBe(s.countyCode);
    expect(['9', 'N']).toContain(s.creditCode[0]);
    expect(['1', '3']).toContain(s.creditCode[1]);
    if (s.kind === 'COOPERATIVE') expect(s.creditCode.slice(0, 2)).toBe('N3');
    else expect(s.creditCode[0]).toBe('9');
  });

  it('uses only the seven pilot counties and fake-looking mobile numbers', () => {
    for (const s of demoSellers) {
      expect(Object.keys(COUNTIES)).toContain(s.countyCode);
      expect(s.contactPhone).toMatch(/^1380851\d{4}$/);
      expect(s.descriptionZh).toContain('演示数据');
      expect(s.descriptionEn.toLowerCase()).toContain('demo data');
    }
    expect(duplicates(demoSellers.map((s) => s.contactPhone))).toEqual([]);
  });
});

describe('demo categories', () => {
  const bySlug = new Map(demoCategories.map((c) => [c.slug, c]));

  it('is a two-level tree with unique slugs', () => {
    expect(duplicates(demoCategories.map((c) => c.slug))).toEqual([]);
    const roots = demoCategories.filter((c) => !c.parentSlug);
    expect(roots.length).toBeGreaterThanOrEqual(5);
    for (const c of demoCategories) {
      if (!c.parentSlug) continue;
      const parent = bySlug.get(c.parentSlug);
      expect(parent, `${c.slug} → ${c.parentSlug}`).toBeDefined();
      expect(parent!.parentSlug, `${c.parentSlug} must be a root`).toBeUndefined();
    }
    for (const r of roots) {
      const leaves = demoCategories.filter((c) => c.parentSlug === r.slug);
      expect(leaves.length, r.slug).toBeGreaterThanOrEqual(2);
      expect(leaves.length, r.slug).toBeLessThanOrEqual(4);
    }
  });
});

describe('demo products', () => {
  const leafSlugs = new Set(demoCategories.filter((c) => c.parentSlug).map((c) => c.slug));

  it('has unique slugs (ascii kebab-case) and unique uppercase SKUs', () => {
    expect(duplicates(demoProducts.map((p) => p.slug))).toEqual([]);
    for (const p of demoProducts) expect(p.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const skus = demoProducts.flatMap((p) => p.variants.map((v) => v.sku));
    expect(duplicates(skus)).toEqual([]);
    for (const sku of skus) expect(sku).toMatch(/^[A-Z0-9][A-Z0-9-]*$/);
  });

  it('references existing sellers and leaf categories', () => {
    for (const p of demoProducts) {
      expect(sellerBySlug.has(p.sellerSlug), `${p.slug} seller ${p.sellerSlug}`).toBe(true);
      expect(leafSlugs.has(p.categorySlug), `${p.slug} category ${p.categorySlug}`).toBe(true);
    }
  });

  it('only sets originCode when it differs from the seller county, and to a known county', () => {
    for (const p of demoProducts) {
      if (p.originCode === undefined) continue;
      expect(p.originCode).not.toBe(sellerBySlug.get(p.sellerSlug)!.countyCode);
      expect(Object.keys(COUNTIES)).toContain(p.originCode);
    }
  });

  it('meets the per-county and per-kind minimums', () => {
    expect(demoProducts.length).toBeGreaterThanOrEqual(62);
    for (const [code, { name, min }] of Object.entries(COUNTIES)) {
      const n = demoProducts.filter((p) => originOf(p) === code).length;
      expect(n, `${name} ${code}`).toBeGreaterThanOrEqual(min);
    }
    const handicraft = demoProducts.filter((p) => p.statisticsKind === 'HANDICRAFT').length;
    const agri = demoProducts.filter((p) => p.statisticsKind === 'AGRI_LIVESTOCK').length;
    expect(handicraft).toBeGreaterThanOrEqual(15);
    expect(agri).toBeGreaterThanOrEqual(15);
  });

  it('covers the goods named in the sources', () => {
    const cili = demoProducts.filter((p) => p.nameZh.includes('刺梨'));
    expect(cili.length).toBeGreaterThanOrEqual(6);
    for (const p of cili) expect(p.nameEn, p.slug).toContain('Rosa roxburghii');

    const eggs = demoProducts.filter(
      (p) => p.sellerSlug.includes('baishun') && /鸡蛋/.test(p.nameZh) && /eggs/i.test(p.nameEn),
    );
    expect(eggs.length).toBeGreaterThanOrEqual(2);

    const mawei = demoProducts.filter((p) => p.nameZh.includes('马尾绣'));
    expect(mawei.length).toBeGreaterThanOrEqual(3);
    for (const p of mawei) expect(p.nameEn.toLowerCase(), p.slug).toContain('horsetail embroidery');
  });

  it('has realistic prices, stock and weights', () => {
    for (const p of demoProducts) {
      expect(p.variants.length, p.slug).toBeGreaterThanOrEqual(1);
      expect(p.variants.length, p.slug).toBeLessThanOrEqual(3);
      for (const v of p.variants) {
        expect(Number.isInteger(v.priceFen) && v.priceFen > 0, v.sku).toBe(true);
        expect(Number.isInteger(v.stock), v.sku).toBe(true);
        expect(v.stock, v.sku).toBeGreaterThanOrEqual(20);
        expect(v.stock, v.sku).toBeLessThanOrEqual(2000);
        expect(Number.isInteger(v.weightGrams) && v.weightGrams > 0, v.sku).toBe(true);
        expect(v.unit.length, v.sku).toBeGreaterThan(0);
      }
      expect(Number.isInteger(p.salesCount) && p.salesCount >= 0, p.slug).toBe(true);
      expect(Number.isInteger(p.createdDaysAgo), p.slug).toBe(true);
      expect(p.createdDaysAgo, p.slug).toBeGreaterThanOrEqual(1);
      expect(p.createdDaysAgo, p.slug).toBeLessThanOrEqual(400);
      for (const c of p.palette) expect(c, p.slug).toMatch(/^#[0-9A-Fa-f]{6}$/);
    }
  });

  it('has valid certificates for several products and at least one expired one', () => {
    const certs = demoProducts.flatMap((p) => (p.certificate ? [p.certificate] : []));
    for (const c of certs) {
      expect(c.validUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(c.validUntil))).toBe(false);
      expect(c.no.length).toBeGreaterThan(0);
      expect(c.issuer.length).toBeGreaterThan(0);
    }
    expect(duplicates(certs.map((c) => c.no))).toEqual([]);
    expect(certs.filter((c) => c.validUntil.startsWith('2027')).length).toBeGreaterThanOrEqual(8);
    expect(certs.filter((c) => c.validUntil.startsWith('2025')).length).toBeGreaterThanOrEqual(1);
  });
});

describe('renderDemoImage', () => {
  it('renders a WebP of the requested size', async () => {
    const p = demoProducts[0]!;
    const buf = await renderDemoImage(
      { title: p.nameZh, subtitle: '盘州市 · <Demo & "test">', palette: p.palette, motif: p.motif },
      { width: 320, height: 240 },
    );
    expect(Buffer.isBuffer(buf)).toBe(true);
    expect(buf.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(buf.subarray(8, 12).toString('ascii')).toBe('WEBP');
    const meta = await sharp(buf).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.width).toBe(320);
    expect(meta.height).toBe(240);
  });

  it('renders every motif and is deterministic', async () => {
    const motifs = [...new Set(demoProducts.map((p) => p.motif))];
    expect(motifs.length).toBeGreaterThanOrEqual(10);
    for (const motif of motifs) {
      const input = { title: '测试', subtitle: motif, palette: ['#ffffff', '#000000'] as [string, string], motif };
      const a = await renderDemoImage(input, { width: 64, height: 64 });
      const b = await renderDemoImage(input, { width: 64, height: 64 });
      expect(a.equals(b), motif).toBe(true);
      expect((await sharp(a).metadata()).width).toBe(64);
    }
  });
});
