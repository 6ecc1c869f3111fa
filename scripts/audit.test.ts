// The CI dependency audit (scripts/audit.mjs) run for real — `npm audit` on this project's lockfile — against a
// local advisory server standing in for the registry's bulk advisory endpoint (the real one answers 405 here).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Advisory = { severity: 'critical' | 'high' | 'moderate' | 'low'; vulnerable_versions: string; title: string };
let answer: { status: number; advisories: Record<string, Advisory[]> } = { status: 200, advisories: {} };
let asked: Record<string, string[]> = {};
let server: http.Server;
let registry: string;

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
    if (req.method === 'POST' && req.url?.endsWith('/-/npm/v1/security/advisories/bulk')) {
      asked = JSON.parse(body.toString('utf8'));
      res.statusCode = answer.status;
      res.setHeader('content-type', 'application/json');
      const found = Object.fromEntries(
        Object.entries(answer.advisories)
          .filter(([name]) => name in asked)
          .map(([name, list]) => [name, list.map((a, i) => ({ id: 990_000 + i, url: `https://advisories.test/${name}/${i}`, cwe: [], cvss: { score: 9 }, ...a }))]),
      );
      res.end(answer.status === 200 ? JSON.stringify(found) : JSON.stringify({ error: 'Method Not Allowed' }));
      return;
    }
    // packuments: npm asks for them to work out fixes; none here
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function audit(env: Record<string, string> = {}) {
  // a fresh npm cache per run: npm keeps advisory answers in its cache
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-audit-test-'));
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'audit.mjs')],
      { cwd: path.join(__dirname, '..'), env: { ...process.env, npm_config_registry: registry, npm_config_cache: cache, AUDIT_REQUIRED: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        fs.rmSync(cache, { recursive: true, force: true });
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: stdout + stderr });
      },
    );
  });
}

describe('dependency audit', () => {
  it('fails on a critical advisory in a production dependency and names it', async () => {
    answer = { status: 200, advisories: { 'cli-progress': [{ severity: 'critical', vulnerable_versions: '<99.0.0', title: 'remote code execution (test)' }] } };
    const { code, out } = await audit();
    expect(out).toContain('critical 1');
    expect(out).toMatch(/critical: cli-progress at node_modules\/cli-progress: remote code execution \(test\) \(<99\.0\.0\) https:\/\/advisories\.test\/cli-progress\/0/);
    expect(code).toBe(1);
    // only the production tree is asked about: the server's packages, not the test tools
    expect(Object.keys(asked)).toEqual(expect.arrayContaining(['cli-progress', '@remix-run/node', '@prisma/client']));
    expect(asked).not.toHaveProperty('vitest');
    expect(asked).not.toHaveProperty('@playwright/test');
  }, 90_000);

  it('passes when the only critical advisory is in a development tool, and on lower severities', async () => {
    answer = {
      status: 200,
      advisories: {
        vitest: [{ severity: 'critical', vulnerable_versions: '*', title: 'dev only' }],
        'cli-progress': [{ severity: 'high', vulnerable_versions: '<99.0.0', title: 'high only' }],
      },
    };
    const { code, out } = await audit();
    expect(out).toContain('critical 0, high 1');
    expect(code).toBe(0);
  }, 90_000);

  it('says UNAVAILABLE when the registry gives no advisory data, and fails then only when AUDIT_REQUIRED is set', async () => {
    answer = { status: 405, advisories: {} };
    const lenient = await audit();
    expect(lenient.out).toContain('dependency audit: UNAVAILABLE');
    expect(lenient.out).not.toContain('critical 0');
    expect(lenient.code).toBe(0);
    const strict = await audit({ AUDIT_REQUIRED: 'true' });
    expect(strict.out).toContain('AUDIT_REQUIRED is set');
    expect(strict.code).toBe(1);
  }, 120_000);
});
