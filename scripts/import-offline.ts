// npm run import:offline -- --as <official email> <file.csv|file.xlsx> [--commit]
// Offline records of any size through the same path as the web upload (stage → check → commit), with a
// progress line on stderr. Without --commit the batch stays staged: review it in /console/imports/<id>.
import path from 'node:path';
import { getUserByEmail } from '~/modules/accounts/session.server';
import { consoleScopeOf } from '~/modules/console/scope.server';
import { prisma } from '~/modules/db/db.server';
import { describeError } from '~/modules/imports/format';
import { commitBatch, getBatch, importActor, ImportError, listBatchRows, stageImport, type Progress } from '~/modules/imports/imports.server';
import { fileSource } from '~/modules/imports/parse.server';

const args = process.argv.slice(2);
const asIndex = args.indexOf('--as');
const email = asIndex >= 0 ? args[asIndex + 1] : undefined;
const file = args.filter((a, i) => !a.startsWith('--') && i !== asIndex + 1)[0];
const commit = args.includes('--commit');
if (!email || !file) {
  console.error('usage: npm run import:offline -- --as <official email> <file.csv|file.xlsx> [--commit]');
  process.exit(2);
}

const started = Date.now();
const show = (p: Progress) => {
  const mb = (p.bytes / 1048576).toFixed(1);
  process.stderr.write(`\r${p.phase.padEnd(6)} ${mb} MB · ${p.rows.toLocaleString('en')} rows · ${((Date.now() - started) / 1000).toFixed(0)} s   `);
};

try {
  const user = await getUserByEmail(email);
  if (!user) throw new Error(`no user ${email}`);
  const scope = await consoleScopeOf(user);
  if (!scope.can('create:import')) throw new Error(`${email} may not import (needs create:import)`);
  const { batchId } = await stageImport({ actor: importActor(scope), fileName: path.basename(file), source: fileSource(file), onProgress: show });
  const batch = (await getBatch(batchId))!;
  process.stderr.write('\n');
  if (batch.fileError) {
    console.error(`batch #${batchId}: ${describeError(batch.fileError, 'zh-CN')}`);
    process.exitCode = 1;
  } else if (batch.errorCount) {
    console.error(`batch #${batchId}: ${batch.errorCount} of ${batch.rowCount} rows are not valid; nothing was imported. First ones:`);
    const bad = await listBatchRows(batch, { onlyBad: true, take: 20, skip: 0 });
    for (const r of bad.items) console.error(`  row ${r.rowNo}: ${r.errors.map((e) => describeError(e, 'zh-CN')).join('；')}`);
    process.exitCode = 1;
  } else if (!commit) {
    console.log(`batch #${batchId}: ${batch.rowCount} rows, ¥${(batch.totalFen / 100).toFixed(2)}, all valid — staged; confirm in /console/imports/${batchId} or run again with --commit`);
  } else {
    const r = await commitBatch(scope, batchId, undefined, show);
    process.stderr.write('\n');
    console.log(`batch #${batchId}: committed ${r.rows} rows as ${r.entries} ledger entries`);
  }
} catch (error) {
  console.error(error instanceof ImportError ? `refused: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
