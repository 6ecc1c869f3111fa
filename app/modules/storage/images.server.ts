// Uploaded images: checked by their CONTENT (magic bytes via file-type, then decoded by sharp), never
// by file name or declared type; re-encoded with sharp to WebP (which also drops EXIF, e.g. GPS) and
// stored through the storage port. Product images get the IMAGE_WIDTHS sizes served with srcset.
import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import type { UploadedFile } from '~/modules/http/multipart.server';
import { IMAGE_WIDTHS, imageKey, PRIVATE_PREFIX, storage } from './storage.server';

export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export type ImageRules = { maxBytes: number; minWidth: number; minHeight: number; maxWidth: number; maxHeight: number };

/** Goods photos: phones take 3–12 MB pictures of 3000+ px. */
export const PRODUCT_IMAGE_RULES: ImageRules = { maxBytes: 8 * 1024 * 1024, minWidth: 480, minHeight: 360, maxWidth: 8000, maxHeight: 8000 };
/** Scans and photos of documents (licence, certificate, inspection report). */
export const DOCUMENT_IMAGE_RULES: ImageRules = { maxBytes: 8 * 1024 * 1024, minWidth: 400, minHeight: 300, maxWidth: 8000, maxHeight: 8000 };
/** The multipart reader keeps a little more than the biggest allowed file, to tell "too large" apart. */
export const MAX_UPLOAD_BYTES = Math.max(PRODUCT_IMAGE_RULES.maxBytes, DOCUMENT_IMAGE_RULES.maxBytes);

export type CheckedImage = { ok: true; bytes: Buffer; format: 'jpeg' | 'png' | 'webp'; width: number; height: number };
export type RejectedImage = { ok: false; message: string };

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/** Checks one upload against the rules. The message names the file and says what is wrong, in zh and en. */
export async function checkImage(file: Pick<UploadedFile, 'filename' | 'size' | 'bytes'>, rules: ImageRules): Promise<CheckedImage | RejectedImage> {
  const name = file.filename || '文件';
  if (!file.bytes || file.size > rules.maxBytes) {
    return { ok: false, message: `${name}：文件太大（${mb(file.size)}），最大 ${mb(rules.maxBytes)} / ${name}: too large (${mb(file.size)}), at most ${mb(rules.maxBytes)}` };
  }
  if (file.bytes.length === 0) return { ok: false, message: `${name}：文件是空的 / ${name}: the file is empty` };
  const type = await fileTypeFromBuffer(file.bytes);
  if (type?.mime === 'image/heic' || type?.mime === 'image/heif') {
    return { ok: false, message: `${name}：暂不支持 HEIC 照片，请在相机设置中选择“兼容性最佳”或转为 JPEG / ${name}: HEIC photos are not supported yet, please use JPEG` };
  }
  if (!type || !(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(type.mime)) {
    return { ok: false, message: `${name}：不是 JPEG、PNG 或 WebP 图片 / ${name}: not a JPEG, PNG or WebP image` };
  }
  let width: number;
  let height: number;
  try {
    const meta = await sharp(file.bytes, { limitInputPixels: rules.maxWidth * rules.maxHeight, failOn: 'error' }).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions');
    // EXIF orientations 5–8 are rotated by 90°: the picture people see is height × width.
    const swap = (meta.orientation ?? 1) >= 5;
    width = swap ? meta.height : meta.width;
    height = swap ? meta.width : meta.height;
  } catch {
    return { ok: false, message: `${name}：图片已损坏或像素过多，无法读取 / ${name}: the image is damaged or too large to read` };
  }
  if (width < rules.minWidth || height < rules.minHeight) {
    return { ok: false, message: `${name}：图片太小（${width}×${height}），至少 ${rules.minWidth}×${rules.minHeight} 像素 / ${name}: too small (${width}×${height}), at least ${rules.minWidth}×${rules.minHeight} px` };
  }
  if (width > rules.maxWidth || height > rules.maxHeight) {
    return { ok: false, message: `${name}：图片太大（${width}×${height}），最多 ${rules.maxWidth}×${rules.maxHeight} 像素 / ${name}: too large (${width}×${height}), at most ${rules.maxWidth}×${rules.maxHeight} px` };
  }
  const format = type.ext === 'jpg' ? 'jpeg' : (type.ext as 'png' | 'webp');
  return { ok: true, bytes: file.bytes, format, width, height };
}

/** Checks every file; returns the good ones and one message per bad one. */
export async function checkImages(files: UploadedFile[], rules: ImageRules) {
  const good: CheckedImage[] = [];
  const errors: string[] = [];
  for (const f of files) {
    const r = await checkImage(f, rules);
    if (r.ok) good.push(r);
    else errors.push(r.message);
  }
  return { good, errors };
}

const randomId = () => crypto.randomBytes(8).toString('hex');

const decode = (bytes: Buffer, rules: ImageRules) => sharp(bytes, { limitInputPixels: rules.maxWidth * rules.maxHeight }).rotate();

/**
 * Product image: 4:3 WebP in every IMAGE_WIDTHS width (cropped around the most interesting part),
 * stored under `${prefix}/${random}` (see imageKey). Returns the base key and the largest size.
 */
export async function storeResponsiveImage(image: CheckedImage, prefix: string, rules: ImageRules = PRODUCT_IMAGE_RULES) {
  const base = `${prefix}/${randomId()}`;
  const s = storage();
  const largest = IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1]!;
  for (const width of IMAGE_WIDTHS) {
    const height = Math.round((width * 3) / 4);
    const body = await decode(image.bytes, rules).resize({ width, height, fit: 'cover', position: sharp.strategy.attention }).webp({ quality: 80 }).toBuffer();
    await s.put(imageKey(base, width), body, 'image/webp');
  }
  return { key: base, width: largest, height: Math.round((largest * 3) / 4) };
}

/** A document scan kept private (licence, certificate): one WebP, at most 2000 px, under `private/`. */
export async function storePrivateDocument(image: CheckedImage, folder: string) {
  const key = `${PRIVATE_PREFIX}${folder}/${randomId()}.webp`;
  const body = await decode(image.bytes, DOCUMENT_IMAGE_RULES).resize({ width: 2000, height: 2000, fit: 'inside', withoutEnlargement: true }).webp({ quality: 85 }).toBuffer();
  await storage().put(key, body, 'image/webp');
  return { key };
}

/**
 * The images uploaded in one form field, checked. `required`: at least one; `max`: at most this many.
 * Errors are ready to be shown on that field.
 */
export async function checkFieldImages(files: UploadedFile[], field: string, rules: ImageRules, options: { required?: string; max?: number } = {}) {
  const mine = files.filter((f) => f.field === field);
  if (mine.length === 0) return { good: [] as CheckedImage[], errors: options.required ? [options.required] : [] };
  if (options.max && mine.length > options.max) return { good: [] as CheckedImage[], errors: [`最多 ${options.max} 个文件 / At most ${options.max} files`] };
  return checkImages(mine, rules);
}
