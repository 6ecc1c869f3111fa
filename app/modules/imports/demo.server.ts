// Loads the demo import files through the import path itself (stage → check → commit), as their
// officials. Idempotent: a file whose bytes were committed before is skipped.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { demoImports } from '../../../prisma/demo/imports';
import { getUserByEmail } from '~/modules/accounts/session.server';
import { consoleScopeOf } from '~/modules/console/scope.server';
import { prisma } from '~/modules/db/db.server';
import { commitBatch, getBatch, importActor, stageImport } from './imports.server';
import { bufferSource } from './parse.server';

const dir = fileURLToPath(new URL('../../../prisma/demo/imports/', import.meta.url));

export async function seedDemoImports(log: (m: string) => void = () => {}) {
  let created = 0;
  for (const d of demoImports) {
    const body = fs.readFileSync(dir + d.file);
    const sha = crypto.createHash('sha256').update(body).digest('hex');
    if (await prisma.importBatch.findFirst({ where: { fileSha256: sha, status: 'COMMITTED' }, select: { id: true } })) continue;
    const user = await getUserByEmail(d.as);
    if (!user) throw new Error(`demo import ${d.file}: no user ${d.as}`);
    const scope = await consoleScopeOf(user);
    const { batchId } = await stageImport({ actor: importActor(scope), fileName: d.file, source: bufferSource(body) });
    const batch = (await getBatch(batchId))!;
    if (batch.fileError || batch.errorCount) throw new Error(`demo import ${d.file} is not valid: ${batch.fileError ?? `${batch.errorCount} bad rows`}`);
    const r = await commitBatch(scope, batchId);
    log(`demo import ${d.file}: ${r.rows} rows, ${r.entries} ledger entries`);
    created++;
  }
  return created;
}
