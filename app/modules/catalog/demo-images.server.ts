/**
 * Locally generated placeholder images for the demo catalogue.
 *
 * Builds a small SVG (palette gradient, a vector motif drawn from basic shapes,
 * the Chinese title and a subtitle) and rasterises it to WebP with sharp.
 * Output depends only on the input, so re-running the seed gives identical files.
 */
import sharp from 'sharp';
import type { DemoProduct } from '../../../prisma/demo/catalog';

export type DemoImageInput = {
  title: string;
  subtitle: string;
  palette: [string, string];
  motif: DemoProduct['motif'];
};

const FALLBACK_PALETTE: [string, string] = ['#9ACD32', '#2F6B3A'];

export async function renderDemoImage(
  input: DemoImageInput,
  size: { width: number; height: number },
): Promise<Buffer> {
  const width = clampInt(size.width, 16, 4096);
  const height = clampInt(size.height, 16, 4096);
  const svg = buildDemoSvg(input, { width, height });
  return sharp(Buffer.from(svg, 'utf8')).webp({ quality: 80 }).toBuffer();
}

/** Exposed for tests and debugging; renderDemoImage rasterises exactly this. */
export function buildDemoSvg(input: DemoImageInput, size: { width: number; height: number }): string {
  const { width: W, height: H } = size;
  const c0 = safeColour(input.palette[0], FALLBACK_PALETTE[0]);
  const c1 = safeColour(input.palette[1], FALLBACK_PALETTE[1]);

  // Motif colours: white on dark backgrounds, a darkened palette colour on light ones.
  const light = (luminance(c0) + luminance(c1)) / 2 > 0.62;
  const ink = light ? mix(c1, '#000000', 0.55) : '#ffffff';
  const accent = light ? mix(c1, '#000000', 0.25) : mix(c0, '#ffffff', 0.35);
  const soft = light ? mix(c0, '#ffffff', 0.5) : mix(c1, '#000000', 0.15);

  // Layout: the motif centred, no text. Text would depend on the fonts of the machine that renders it
  // (no CJK font on a fresh machine gives empty boxes); the page shows the name and alt text instead.
  const bandH = 0;
  const motifBox = Math.min(W * 0.62, (H - bandH) * 0.82);
  const motifX = (W - motifBox) / 2;
  const motifY = (H - bandH - motifBox) / 2;
  const scale = motifBox / 100;


  const motif = drawMotif(input.motif, { ink, accent, soft });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    '<defs>',
    `<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">`,
    `<stop offset="0" stop-color="${c0}"/>`,
    `<stop offset="1" stop-color="${c1}"/>`,
    '</linearGradient>',
    '</defs>',
    `<rect width="${W}" height="${H}" fill="url(#bg)"/>`,
    // a couple of soft decorative circles (positions derived from size only)
    `<circle cx="${fmt(W * 0.88)}" cy="${fmt(H * 0.12)}" r="${fmt(Math.min(W, H) * 0.22)}" fill="#ffffff" fill-opacity="0.12"/>`,
    `<circle cx="${fmt(W * 0.08)}" cy="${fmt(H * 0.62)}" r="${fmt(Math.min(W, H) * 0.16)}" fill="#ffffff" fill-opacity="0.08"/>`,
    `<g transform="translate(${fmt(motifX)} ${fmt(motifY)}) scale(${fmt(scale)})">${motif}</g>`,
    `<title>${escapeXml(input.title)} ${escapeXml(input.subtitle)}</title>`,
    '</svg>',
  ].join('');
}

// ---------------------------------------------------------------------------
// Motifs, each drawn in a 100×100 box
// ---------------------------------------------------------------------------

type Inks = { ink: string; accent: string; soft: string };

function drawMotif(motif: DemoProduct['motif'], { ink, accent, soft }: Inks): string {
  const stroke = `stroke="${ink}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"`;
  switch (motif) {
    case 'fruit':
      return [
        `<circle cx="38" cy="60" r="24" fill="${ink}" fill-opacity="0.92"/>`,
        `<circle cx="64" cy="62" r="22" fill="${accent}" fill-opacity="0.95"/>`,
        `<circle cx="31" cy="52" r="6" fill="${soft}" fill-opacity="0.6"/>`,
        `<path d="M50 38 Q52 24 60 16" fill="none" ${stroke}/>`,
        `<ellipse cx="66" cy="22" rx="11" ry="5" transform="rotate(-25 66 22)" fill="${ink}" fill-opacity="0.85"/>`,
      ].join('');
    case 'bottle':
      return [
        `<rect x="44" y="6" width="12" height="8" rx="2" fill="${accent}"/>`,
        `<rect x="42" y="14" width="16" height="16" fill="${ink}" fill-opacity="0.9"/>`,
        `<path d="M42 30 Q30 36 30 48 L30 88 Q30 94 36 94 L64 94 Q70 94 70 88 L70 48 Q70 36 58 30 Z" fill="${ink}" fill-opacity="0.92"/>`,
        `<rect x="34" y="54" width="32" height="24" rx="3" fill="${accent}"/>`,
        `<circle cx="50" cy="66" r="6" fill="${soft}"/>`,
      ].join('');
    case 'egg':
      return [
        `<ellipse cx="50" cy="84" rx="40" ry="8" fill="${accent}" fill-opacity="0.6"/>`,
        egg(30, 48, 0.75, ink),
        egg(68, 50, 0.72, ink),
        egg(50, 40, 0.9, soft),
        `<path d="M44 30 Q46 24 50 22" fill="none" stroke="${ink}" stroke-opacity="0.35" stroke-width="2" stroke-linecap="round"/>`,
      ].join('');
    case 'leaf':
      return [
        `<path d="M20 86 C20 40 50 14 86 14 C86 54 62 84 20 86 Z" fill="${ink}" fill-opacity="0.92"/>`,
        `<path d="M22 84 L78 22" fill="none" stroke="${accent}" stroke-width="3" stroke-linecap="round"/>`,
        `<path d="M40 64 L36 46 M52 52 L50 34 M64 40 L64 26 M40 64 L58 64 M52 52 L68 52" fill="none" stroke="${accent}" stroke-width="2" stroke-linecap="round"/>`,
      ].join('');
    case 'vegetable':
      return [
        `<ellipse cx="48" cy="60" rx="16" ry="36" transform="rotate(30 48 60)" fill="${ink}" fill-opacity="0.92"/>`,
        `<ellipse cx="42" cy="62" rx="4" ry="22" transform="rotate(30 48 60)" fill="${soft}" fill-opacity="0.5"/>`,
        `<path d="M56 30 Q60 20 70 20 Q80 20 80 32 Q72 26 66 36 Q62 28 56 30 Z" fill="${accent}"/>`,
        `<path d="M70 22 L76 8" fill="none" stroke="${accent}" stroke-width="4" stroke-linecap="round"/>`,
      ].join('');
    case 'mushroom':
      return [
        `<path d="M40 52 L36 88 Q50 94 64 88 L60 52 Z" fill="${soft}"/>`,
        `<path d="M10 54 Q12 14 50 12 Q88 14 90 54 Q50 62 10 54 Z" fill="${ink}" fill-opacity="0.92"/>`,
        `<circle cx="32" cy="34" r="5" fill="${accent}"/>`,
        `<circle cx="56" cy="26" r="6" fill="${accent}"/>`,
        `<circle cx="72" cy="42" r="4" fill="${accent}"/>`,
      ].join('');
    case 'grain': {
      const kernels: string[] = [];
      for (let i = 0; i < 5; i++) {
        const y = 22 + i * 13;
        kernels.push(
          `<ellipse cx="42" cy="${y}" rx="6" ry="10" transform="rotate(-30 42 ${y})" fill="${ink}" fill-opacity="0.92"/>`,
          `<ellipse cx="58" cy="${y + 5}" rx="6" ry="10" transform="rotate(30 58 ${y + 5})" fill="${ink}" fill-opacity="0.92"/>`,
        );
      }
      return [
        `<path d="M50 96 L50 14" fill="none" stroke="${accent}" stroke-width="3" stroke-linecap="round"/>`,
        ...kernels,
        `<ellipse cx="50" cy="12" rx="5" ry="9" fill="${ink}"/>`,
      ].join('');
    }
    case 'tea':
      return [
        `<ellipse cx="48" cy="86" rx="38" ry="7" fill="${accent}" fill-opacity="0.8"/>`,
        `<path d="M18 46 L78 46 Q76 82 48 84 Q20 82 18 46 Z" fill="${ink}" fill-opacity="0.92"/>`,
        `<path d="M78 54 Q92 54 90 64 Q88 72 74 70" fill="none" stroke="${ink}" stroke-width="5" stroke-linecap="round"/>`,
        `<path d="M36 38 Q30 30 36 22 Q42 14 36 6 M52 38 Q46 30 52 22 Q58 14 52 6" fill="none" stroke="${ink}" stroke-opacity="0.7" stroke-width="3" stroke-linecap="round"/>`,
        `<path d="M36 62 C40 52 54 50 60 56 C54 66 42 68 36 62 Z" fill="${accent}"/>`,
      ].join('');
    case 'meat':
      return [
        `<path d="M24 30 Q50 6 80 30 Q96 56 72 78 Q50 92 34 74 Q14 54 24 30 Z" fill="${ink}" fill-opacity="0.92"/>`,
        `<path d="M34 40 Q50 26 70 40 Q80 56 66 68" fill="none" stroke="${accent}" stroke-width="4" stroke-linecap="round"/>`,
        `<rect x="12" y="78" width="26" height="8" rx="4" transform="rotate(-40 25 82)" fill="${soft}"/>`,
        `<circle cx="12" cy="90" r="6" fill="${soft}"/>`,
        `<circle cx="20" cy="96" r="5" fill="${soft}"/>`,
      ].join('');
    case 'textile':
      return [
        `<rect x="14" y="60" width="72" height="26" rx="4" fill="${ink}" fill-opacity="0.92"/>`,
        `<rect x="18" y="38" width="64" height="24" rx="4" fill="${accent}"/>`,
        `<rect x="22" y="16" width="56" height="24" rx="4" fill="${ink}" fill-opacity="0.92"/>`,
        `<path d="M22 28 L78 28 M18 50 L82 50 M14 73 L86 73" fill="none" stroke="${soft}" stroke-width="2" stroke-dasharray="4 3"/>`,
      ].join('');
    case 'embroidery': {
      const petals: string[] = [];
      for (let i = 0; i < 8; i++) {
        const a = (i * Math.PI) / 4;
        petals.push(
          `<circle cx="${fmt(50 + Math.cos(a) * 14)}" cy="${fmt(50 + Math.sin(a) * 14)}" r="7" fill="${i % 2 === 0 ? accent : soft}"/>`,
        );
      }
      return [
        `<circle cx="50" cy="50" r="42" fill="${ink}" fill-opacity="0.18" stroke="${ink}" stroke-width="5"/>`,
        `<circle cx="50" cy="50" r="36" fill="none" stroke="${ink}" stroke-opacity="0.6" stroke-width="2"/>`,
        ...petals,
        `<circle cx="50" cy="50" r="7" fill="${ink}"/>`,
        `<path d="M50 50 m-28 -2 q6 -8 12 0 q6 8 12 0" fill="none" stroke="${ink}" stroke-width="1.5"/>`,
        `<rect x="47" y="2" width="6" height="8" rx="1" fill="${accent}"/>`,
        `<path d="M80 12 L62 34" fill="none" stroke="${ink}" stroke-width="2" stroke-linecap="round"/>`,
      ].join('');
    }
    case 'bag':
      return [
        `<path d="M34 38 Q34 12 50 12 Q66 12 66 38" fill="none" stroke="${ink}" stroke-width="5" stroke-linecap="round"/>`,
        `<path d="M18 36 L82 36 L88 88 Q88 92 84 92 L16 92 Q12 92 12 88 Z" fill="${ink}" fill-opacity="0.92"/>`,
        `<rect x="18" y="50" width="64" height="10" fill="${accent}"/>`,
        `<circle cx="50" cy="55" r="4" fill="${soft}"/>`,
      ].join('');
    case 'shoe':
      return [
        `<path d="M10 70 L12 40 Q14 34 22 36 Q34 40 42 50 L70 58 Q88 62 90 72 L90 76 L10 76 Z" fill="${ink}" fill-opacity="0.92"/>`,
        `<rect x="8" y="76" width="84" height="10" rx="4" fill="${accent}"/>`,
        `<path d="M40 48 L46 42 M48 52 L54 46 M56 54 L62 48" fill="none" stroke="${accent}" stroke-width="3" stroke-linecap="round"/>`,
        `<path d="M14 62 L86 68" fill="none" stroke="${soft}" stroke-width="2" stroke-dasharray="3 3"/>`,
      ].join('');
    case 'box':
    default:
      return [
        `<rect x="16" y="40" width="68" height="50" rx="3" fill="${ink}" fill-opacity="0.92"/>`,
        `<rect x="12" y="30" width="76" height="14" rx="3" fill="${ink}"/>`,
        `<rect x="45" y="30" width="10" height="60" fill="${accent}"/>`,
        `<path d="M50 30 Q34 10 28 22 Q26 30 50 30 Q66 10 72 22 Q74 30 50 30 Z" fill="${accent}"/>`,
        `<rect x="16" y="60" width="68" height="6" fill="${soft}" fill-opacity="0.6"/>`,
      ].join('');
  }
}

function egg(cx: number, cy: number, s: number, fill: string): string {
  return `<path transform="translate(${cx} ${cy}) scale(${s})" d="M0 -30 C18 -30 26 4 22 16 C18 30 -18 30 -22 16 C-26 4 -18 -30 0 -30 Z" fill="${fill}" fill-opacity="0.95"/>`;
}

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}


function safeColour(value: string, fallback: string): string {
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value.toLowerCase();
  if (/^#[0-9a-fA-F]{3}$/.test(value)) {
    const [r, g, b] = value.slice(1);
    return `#${r}${r}${g}${g}${b}${b}`.toLowerCase();
  }
  return fallback;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

function mix(a: string, b: string, t: number): string {
  const ca = rgb(a);
  const cb = rgb(b);
  const out = ca.map((v, i) => Math.round(v + (cb[i]! - v) * t));
  return `#${out.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function clampInt(n: number, min: number, max: number): number {
  if (!Number.isFinite(n)) return min;
  return Math.min(max, Math.max(min, Math.round(n)));
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
