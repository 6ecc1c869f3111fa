// A backup restored into a fresh database gives identical rows and identical totals.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { backup, restore } from '../scripts/lib/backup.mjs';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '~/generated/prisma/client';
import { postToLedger } from '~/modules/attribution/ledger.server';

async function fingerprint(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (await c.query(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).rows.map((r) => r.table_name);
    const out: Record<string, string> = {};
    for (const t of tables) {
      if (t === '_prisma_migrations') continue;
      // order-independent digest of every row's text
      out[t] = (await c.query(`select count(*) || ':' || coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') as d from "${t}" x`)).rows[0].d;
    }
    const ledger = (await c.query(`select pairing_id, sum(amount_fen)::text as s from ledger_daily group by 1 order by 1`)).rows;
    return { out, ledger };
  } finally {
    await c.end();
  }
}

it('backs up and restores exactly (rows, sequences, ledger totals)', async () => {
  // The source is a scratch copy of the migrated, seeded template: the ledger is append-only, so the
  // entry written here (a huge amount, quotes and backslashes) must not stay in the worker's database,
  // where it would be an import-row orphan for every later ledger check.
  const base = inject('pgBaseUrl');
  const stamp = `${process.pid}_${Date.now()}`;
  const source = `shanhai_backup_src_${stamp}`;
  const target = `shanhai_restore_${stamp}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`create database "${source}" template "${inject('templateDb')}"`);
  const sourceUrl = `${base}/${source}`;
  const srcPool = new pg.Pool({ connectionString: sourceUrl, max: 2 });
  const src = new PrismaClient({ adapter: new PrismaPg(srcPool) });
  const pairing = await src.pairing.findUniqueOrThrow({ where: { slug: 'huangpu-dushan' } });
  await src.$transaction((tx) =>
    postToLedger(tx, { sourceType: 'IMPORT_ROW', sourceId: `backup-${Date.now()}`, amountFen: 9_007_199_254_740, quantity: 1, description: '大额 "quoted" \\ 记录', statisticsKind: 'AGRI_LIVESTOCK', flow: 'PROCUREMENT', originCode: '522726', occurredAt: new Date('2032-05-01T04:00:00Z') }),
  );
  await src.$disconnect();
  await srcPool.end();
  const file = path.join(os.tmpdir(), `shanhai-${process.pid}.backup.gz`);
  await backup(sourceUrl, file);
  await admin.query(`create database "${target}"`);
  try {
    await restore(`${base}/${target}`, file);
    const [a, b] = await Promise.all([fingerprint(sourceUrl), fingerprint(`${base}/${target}`)]);
    expect(b.out).toEqual(a.out);
    expect(b.ledger).toEqual(a.ledger);
    expect(BigInt(b.ledger.find((r: { pairing_id: number }) => r.pairing_id === pairing.id)?.s ?? 0)).toBeGreaterThanOrEqual(9_007_199_254_740n);
    // sequences continue after the restored rows
    const c = new pg.Client({ connectionString: `${base}/${target}` });
    await c.connect();
    const next = await c.query(`insert into audit_log (action, entity_type, entity_id) values ('t', 't', 't') returning id`);
    const max = await c.query(`select max(id) as m from audit_log where action <> 't'`);
    expect(Number(next.rows[0].id)).toBeGreaterThan(Number(max.rows[0].m ?? 0));
    // restoring into a database that is not empty is refused
    await expect(restore(`${base}/${target}`, file)).rejects.toThrow(/empty database/);
    await c.end();
  } finally {
    await admin.query(`drop database if exists "${target}" with (force)`);
    await admin.query(`drop database if exists "${source}" with (force)`);
    await admin.end();
    fs.rmSync(file, { force: true });
  }
}, 60_000);
