#!/usr/bin/env node
// A minimal Prisma generator: Prisma's CLI speaks JSON-RPC to generators (requests on stdin, responses on
// stderr). On `generate` it writes the full DMMF (Prisma's own parse of the schema) to the output file,
// which tests/schema-drift.test.ts compares with the migrated database.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const rl = readline.createInterface({ input: process.stdin });
const reply = (id, result) => process.stderr.write(JSON.stringify({ jsonrpc: '2.0', id, result }) + '\n');

rl.on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.method === 'getManifest') {
    reply(msg.id, { manifest: { prettyName: 'DMMF for the schema drift test', defaultOutput: 'dmmf.json', requiresEngines: [] } });
  } else if (msg.method === 'generate') {
    const out = msg.params.generator.output?.value;
    const file = out.endsWith('.json') ? out : path.join(out, 'dmmf.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ datamodel: msg.params.dmmf.datamodel }, null, 1));
    reply(msg.id, null);
  }
});
