// How the production server (scripts/server.mjs) sends what Remix answers (scripts/lib/remix-handler.mjs):
// pages rendered into one body and compressed in one call (br or gzip as the client accepts, none
// otherwise), everything else through the compression middleware as before, and a Host no URL can be
// made of refused with 400. One real app process on the test database. Bounded in time.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { findFreePort } from '../scripts/lib/embedded-pg.mjs';
import { ensureBuild } from '../scripts/lib/prepare.mjs';
import { documentEncoding } from '../scripts/lib/remix-handler.mjs';
import { rememberTrust, trustProxy } from '../scripts/server.mjs';
import express from 'express';
import { healthy, startInstance, stopInstances, until, type Instance } from './helpers/instances';

let app: Instance;
let productPath: string;

beforeAll(async () => {
  ensureBuild(() => {});
  app = await startInstance('app', await findFreePort(4500 + Math.floor(Math.random() * 400)));
  await until('the app to answer /healthz', () => healthy(app), 60_000);
  const product = await prisma.product.findFirst({ where: { status: 'LISTED' }, select: { slug: true }, orderBy: { id: 'asc' } });
  productPath = `/products/${product!.slug}`;
}, 240_000);

afterAll(stopInstances);

const page = (path: string, acceptEncoding?: string, method = 'GET') =>
  fetch(app.base + path, { method, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }, signal: AbortSignal.timeout(20_000) });
/** The nonce differs per response; everything else of a page is the same for the same visitor. */
const withoutNonce = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');

describe('content coding of a page', () => {
  it('follows Accept-Encoding: br first on a tie, q=0 refuses, nothing means none', () => {
    expect(documentEncoding(undefined)).toBe('identity');
    expect(documentEncoding('')).toBe('identity');
    expect(documentEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(documentEncoding('gzip')).toBe('gzip');
    expect(documentEncoding('GZip;Q=1')).toBe('gzip');
    expect(documentEncoding('br;q=0, gzip')).toBe('gzip');
    expect(documentEncoding('gzip;q=0.8, br;q=0.5')).toBe('gzip');
    expect(documentEncoding('br;q=0.5, gzip;q=0.5')).toBe('br');
    expect(documentEncoding('*')).toBe('br');
    expect(documentEncoding('*;q=0, gzip;q=0')).toBe('identity');
    expect(documentEncoding('identity')).toBe('identity');
    expect(documentEncoding('deflate')).toBe('identity');
    expect(documentEncoding('gzip;q=abc')).toBe('identity');
  });
});

describe('trust proxy answers, remembered', () => {
  it('are the compiled function\'s answers, asked once per (address, hop), and bounded', () => {
    for (const setting of ['loopback', '1', 'false']) {
      const app = express();
      app.set('trust proxy', trustProxy(setting));
      const compiled = app.get('trust proxy fn') as (a: string, i: number) => boolean;
      let asked = 0;
      const remembered = rememberTrust((a, i) => (asked++, compiled(a, i)));
      const cases: Array<[string, number]> = [['127.0.0.1', 0], ['::1', 0], ['10.0.0.7', 0], ['10.0.0.7', 1], ['203.0.113.9', 0], ['::ffff:127.0.0.1', 0], ['not-an-ip', 0]];
      for (const [a, i] of cases) expect(remembered(a, i)).toBe(compiled(a, i));
      for (const [a, i] of cases) expect(remembered(a, i)).toBe(compiled(a, i));
      expect(asked).toBe(cases.length);
      for (let n = 0; n < 2500; n++) expect(remembered(`198.51.${n >> 8}.${n & 255}`, 0)).toBe(compiled(`198.51.${n >> 8}.${n & 255}`, 0));
    }
  });
});

describe('the production server', () => {
  it('sends a page as one document, compressed as the client accepts, the same page every way', async () => {
    const plain = await page(productPath, 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(plain.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(plain.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-/);
    const html = await plain.text();
    expect(Number(plain.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    expect(html.startsWith('<!DOCTYPE html><html lang="zh-CN">')).toBe(true); // standards mode
    expect(html).toContain('application/ld+json');
    for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip']] as const) {
      const r = await page(productPath, accept);
      expect(r.headers.get('content-encoding')).toBe(coding);
      expect(Number(r.headers.get('content-length'))).toBeLessThan(Buffer.byteLength(html) / 2);
      expect(withoutNonce(await r.text())).toBe(withoutNonce(html)); // fetch decodes it
    }
    // HEAD: the headers of the page, no body
    const head = await page(productPath, 'gzip', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('error pages go the same way (404 document, compressed)', async () => {
    const r = await page('/products/no-such-product-here', 'gzip');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-encoding')).toBe('gzip');
    expect(await r.text()).toContain('<!DOCTYPE html>');
  });

  it('resource routes and static files are still compressed by the middleware', async () => {
    const sitemap = await page('/sitemap.xml', 'gzip');
    expect(sitemap.status).toBe(200);
    expect(sitemap.headers.get('content-encoding')).toBe('gzip');
    expect(await sitemap.text()).toContain('<urlset');
    const html = await (await page('/')).text();
    const script = html.match(/\/build\/[^"]+\.js/)![0];
    const js = await page(script, 'gzip, br');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-encoding')).toBe('br');
    expect(js.headers.get('cache-control')).toMatch(/immutable/);
    // a file-like path that is not a file goes on to Remix (and is compressed once)
    const robots = await page('/robots.txt', 'gzip');
    expect(robots.status).toBe(200);
    expect(await robots.text()).toContain('Sitemap:');
  });

  it('refuses a Host header no URL can be made of with 400, not 500', async () => {
    const { port } = new URL(app.base);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host: '[not-an-address' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});
