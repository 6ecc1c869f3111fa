// Storage port: the app stores and serves files through this interface only.
// Adapter today: local disk (UPLOADS_DIR, served at /uploads). An S3-compatible adapter fits the same shape.
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { env } from '~/modules/env/env.server';

export interface FileStorage {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The stored bytes, or null when there is no such file. */
  get(key: string): Promise<Buffer | null>;
  /** Stores a stream without holding it in memory (large import files). */
  putStream(key: string, body: AsyncIterable<Buffer> | Readable): Promise<void>;
  /** Reads a stored file back as a stream. */
  read(key: string): Readable;
  exists(key: string): Promise<boolean>;
  /** Public URL. Keys under `private/` are not served publicly (see isPrivateKey); routes stream them after a permission check. */
  url(key: string): string;
}

/** Keys under `private/` (business licences, certificate scans) are never served at /uploads. */
export const PRIVATE_PREFIX = 'private/';
export const isPrivateKey = (key: string) => key.startsWith(PRIVATE_PREFIX);

const SAFE_KEY = /^[a-z0-9][a-z0-9/_.-]*$/;

export class LocalDiskStorage implements FileStorage {
  constructor(private readonly dir: string, private readonly publicPrefix = '/uploads') {}
  private file(key: string) {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`Unsafe storage key: ${key}`);
    return path.join(this.dir, key);
  }
  async put(key: string, body: Buffer) {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, body);
    await fs.rename(tmp, file);
  }
  async get(key: string) {
    return fs.readFile(this.file(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
  }
  async putStream(key: string, body: AsyncIterable<Buffer> | Readable) {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await pipeline(body, createWriteStream(tmp));
      await fs.rename(tmp, file);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }
  read(key: string) {
    return createReadStream(this.file(key));
  }
  async exists(key: string) {
    return fs.access(this.file(key)).then(() => true, () => false);
  }
  url(key: string) {
    return `${this.publicPrefix}/${key}`;
  }
}

let instance: FileStorage | undefined;
export function storage(): FileStorage {
  instance ??= new LocalDiskStorage(path.resolve(env().UPLOADS_DIR));
  return instance;
}

let privateInstance: FileStorage | undefined;
/**
 * Files that must never be public (uploaded import files: buyers, invoice numbers). Same adapter, a
 * directory beside UPLOADS_DIR that the server does not serve; routes hand them out after a scope check.
 */
export function privateStorage(): FileStorage {
  privateInstance ??= new LocalDiskStorage(path.resolve(env().UPLOADS_DIR, '..', `${path.basename(path.resolve(env().UPLOADS_DIR))}-private`), '');
  return privateInstance;
}

/** Product images are stored as WebP in these widths; `srcset` lists them. */
export const IMAGE_WIDTHS = [320, 640, 960] as const;
export const imageKey = (base: string, width: number) => `${base}-${width}.webp`;
export function imageSrcSet(base: string) {
  const s = storage();
  return IMAGE_WIDTHS.map((w) => `${s.url(imageKey(base, w))} ${w}w`).join(', ');
}
export const imageSrc = (base: string, width = 640) => storage().url(imageKey(base, width));
