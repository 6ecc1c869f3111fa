// Express → Remix, as @remix-run/express does it, with one difference: a document that entry.server
// rendered into one Buffer (every page) is compressed in one call and sent with one `res.end(body)`
// instead of being read back chunk by chunk from the Response's web stream through the compression
// middleware's stream wrappers (ADR 0013: together ~12 % of a page's server CPU). Every other response
// (resource routes, exports that stream a million rows, redirects, HEAD) goes the streaming way through
// the `compression` middleware, as before.
import zlib from 'node:zlib';
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixRequestHandler,
  writeReadableStreamToWritable,
} from '@remix-run/node';

/** The property entry.server puts the rendered document's bytes under (a global symbol: the app build is another module graph). */
export const DOCUMENT_BODY = Symbol.for('shanhai.documentBody');

/** Documents smaller than this go uncompressed (the compression middleware's default threshold). */
const THRESHOLD = 1024;
/** Brotli at quality 4, the compression middleware's default: fast, and smaller than gzip. */
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };

/**
 * @param {{ build: any, mode?: string, getLoadContext?: (req: import('express').Request, res: import('express').Response) => any, compress: import('express').RequestHandler }} options
 *   `compress`: the compression middleware, put on the responses that stream
 * @returns {import('express').RequestHandler}
 */
export function createRequestHandler({ build, mode = process.env.NODE_ENV, getLoadContext, compress }) {
  const handle = createRemixRequestHandler(build, mode);
  return async (req, res, next) => {
    let request;
    try {
      request = remixRequest(req, res);
    } catch {
      // a Host header no URL can be made of: the client's error, not a server error
      res.status(400).type('text/plain').send('请求无效 / Bad request');
      return;
    }
    try {
      const response = await handle(request, await getLoadContext?.(req, res));
      await sendResponse(req, res, response, compress);
    } catch (error) {
      next(error);
    }
  };
}

/** @param {import('express').Request} req @param {import('express').Response} res */
export function remixRequest(req, res) {
  // req.hostname follows `trust proxy` but has no port: take it from X-Forwarded-Host or Host
  const port = portOf(req.get('X-Forwarded-Host')) ?? portOf(req.get('host'));
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`;
  let controller = new AbortController();
  // Node's parsed headers (duplicates already joined the way Node joins them: cookies with "; "), as
  // pairs: the Request builds its Headers from them once
  /** @type {Array<[string, string]>} */
  const headers = [];
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.push([key, v]);
    else if (value) headers.push([key, value]);
  }
  /** @type {RequestInit & { duplex?: 'half' }} */
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = 'half';
  }
  // loaders and actions are aborted when the client goes away before the response is finished
  res.on('finish', () => (controller = null));
  res.on('close', () => controller?.abort());
  return new Request(url, init);
}

/** @param {string | undefined} host */
function portOf(host) {
  const i = host?.lastIndexOf(':') ?? -1;
  if (!host || i < 0 || host.endsWith(']')) return undefined;
  const port = Number.parseInt(host.slice(i + 1), 10);
  return Number.isSafeInteger(port) ? port : undefined;
}

/**
 * The content coding a document is sent in: br or gzip as the client accepts them (q > 0; br first on a
 * tie, as the compression middleware prefers it), otherwise identity.
 * @param {string | undefined} header Accept-Encoding
 * @returns {'br' | 'gzip' | 'identity'}
 */
export function documentEncoding(header) {
  if (!header) return 'identity';
  /** @type {Map<string, number>} */
  const q = new Map();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    const weight = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const value = weight === undefined ? 1 : Number(weight.slice(2));
    q.set(coding, Number.isFinite(value) ? value : 0);
  }
  const of = (/** @type {string} */ coding) => q.get(coding) ?? q.get('*') ?? 0;
  const br = of('br');
  const gzip = of('gzip');
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}

/**
 * @param {import('express').Request} req @param {import('express').Response} res @param {Response} response
 * @param {import('express').RequestHandler} compress
 */
export async function sendResponse(req, res, response, compress) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  /** @type {Buffer | undefined} */
  const document = /** @type {any} */ (response)[DOCUMENT_BODY];
  if (document) {
    res.vary('Accept-Encoding');
    const transform = document.length >= THRESHOLD && !res.getHeader('Content-Encoding') && !/\bno-transform\b/i.test(String(res.getHeader('Cache-Control') ?? ''));
    const encoding = transform ? documentEncoding(req.headers['accept-encoding']) : 'identity';
    if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
    res.end(encoding === 'br' ? zlib.brotliCompressSync(document, BROTLI) : encoding === 'gzip' ? zlib.gzipSync(document) : document);
    return;
  }
  // everything else: the compression middleware wraps the response before its first byte
  await new Promise((resolve) => compress(req, res, () => resolve(undefined)));
  if (response.headers.get('Content-Type')?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
