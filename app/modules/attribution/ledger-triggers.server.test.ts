// The database rules of the ledger written as triggers (migration 20261124000000_import_speed, ADR 0012):
// the statement-level rollups equal a fresh GROUP BY of the entries after every kind of writer, also when
// writers run concurrently (no deadlock between an import and checkout postings on the same keys), and the
// references that used to be foreign keys are still enforced, now once per statement.
import { describe, expect, it } from 'vitest';
import { prisma } from '~/modules/db/db.server';
import { bufferSource } from '~/modules/imports/parse.server';
import { COLUMNS } from '~/modules/imports/format';
import { commitBatch, getBatch, importActor, revertBatch, stageImport } from '~/modules/imports/imports.server';
import { DEMO, scopeOf } from '../../../tests/helpers/session';
import { ledgerSelfCheck, postManyToLedger, postToLedger, reverseLedger, reverseManyLedger } from './ledger.server';

let seq = 0;
const sourceId = () => `trg-${process.pid}-${Date.now()}-${seq++}`;
const at = (d: number, hourUtc = 4) => new Date(Date.UTC(2025, 2, d, hourUtc));
const sale = (over: Partial<Parameters<typeof postToLedger>[1]> = {}) => ({
  sourceType: 'ORDER_LINE' as const, sourceId: sourceId(), amountFen: 12_300, quantity: 3, description: '盘州刺梨原液',
  statisticsKind: 'AGRI_LIVESTOCK' as const, flow: 'HELPED_SALES' as const, originCode: '520281', occurredAt: at(1), ...over,
});

/** Rollup rows that differ from a GROUP BY of ledger_entry (daily), and from a GROUP BY of the daily rollup (monthly). */
async function rollupDifferences() {
  const daily = await prisma.$queryRaw<Array<{ n: number }>>`
    with fresh as (
      select pairing_id, (occurred_at at time zone 'Asia/Shanghai')::date as day, origin_code, statistics_kind, flow,
             sum(amount_fen) as amount_fen, sum(quantity) as quantity, count(*)::int as entries
      from ledger_entry group by 1, 2, 3, 4, 5)
    select count(*)::int as n from fresh f full join ledger_daily d using (pairing_id, day, origin_code, statistics_kind, flow)
    where f.amount_fen is distinct from d.amount_fen or f.quantity is distinct from d.quantity or f.entries is distinct from d.entries`;
  const monthly = await prisma.$queryRaw<Array<{ n: number }>>`
    with fresh as (
      select pairing_id, date_trunc('month', occurred_at at time zone 'Asia/Shanghai')::date as month, origin_code, statistics_kind, flow,
             sum(amount_fen) as amount_fen, sum(quantity) as quantity, count(*)::int as entries
      from ledger_entry group by 1, 2, 3, 4, 5)
    select count(*)::int as n from fresh f full join ledger_monthly m using (pairing_id, month, origin_code, statistics_kind, flow)
    where f.amount_fen is distinct from m.amount_fen or f.quantity is distinct from m.quantity or f.entries is distinct from m.entries`;
  return { daily: daily[0]!.n, monthly: monthly[0]!.n };
}

function csvOf(rows: Array<{ date: string; origin: string; amount: string; evidence: string }>) {
  const lines = rows.map((r) => [r.date, '中山市总工会', '工会', '442000', '盘州市贾西刺梨种植农民专业合作社', r.origin, '刺梨原液 500ml×6', '农畜牧产品', '采购', '2', r.amount, '工会福利', r.evidence].join(','));
  return Buffer.from(`${COLUMNS.map((c) => c.zh).join(',')}\r\n${lines.join('\r\n')}\r\n`, 'utf8');
}

async function stageFile(file: Buffer) {
  const scope = await scopeOf(DEMO.zs);
  const { batchId } = await stageImport({ actor: importActor(scope), fileName: 'trg.csv', source: bufferSource(file) });
  const batch = (await getBatch(batchId))!;
  expect(batch.errorCount).toBe(0);
  return { scope, batchId };
}

describe('ledger triggers', () => {
  it('keeps the daily and monthly rollups equal to a fresh GROUP BY after single posts, refunds, an import and its revert', async () => {
    expect(await rollupDifferences()).toEqual({ daily: 0, monthly: 0 });
    // single lines: both levels (盘州), city only (钟山), across a month boundary in China time (23:30 on 31 March = 1 April)
    const lines = [sale(), sale({ originCode: '520201', amountFen: 500 }), sale({ occurredAt: new Date(Date.UTC(2025, 2, 31, 16, 30)) }), sale({ flow: 'PROCUREMENT', statisticsKind: 'HANDICRAFT' })];
    for (const l of lines) await prisma.$transaction((tx) => postToLedger(tx, l));
    // a partial refund and a full one
    await prisma.$transaction((tx) => reverseLedger(tx, { original: { sourceType: 'ORDER_LINE', sourceId: lines[0]!.sourceId }, sourceType: 'REFUND_LINE', sourceId: sourceId(), amountFen: 300, quantity: 1, occurredAt: at(2) }));
    await prisma.$transaction((tx) => reverseLedger(tx, { original: { sourceType: 'ORDER_LINE', sourceId: lines[2]!.sourceId }, sourceType: 'REFUND_LINE', sourceId: sourceId(), occurredAt: at(3) }));
    expect(await rollupDifferences()).toEqual({ daily: 0, monthly: 0 });
    // an import on the same days and keys, then its revert
    const { scope, batchId } = await stageFile(csvOf([
      { date: '2025-03-01', origin: '520281', amount: '100.00', evidence: `T${sourceId()}` },
      { date: '2025-03-01', origin: '520201', amount: '7.50', evidence: `T${sourceId()}` },
      { date: '2025-04-01', origin: '520204', amount: '33.33', evidence: `T${sourceId()}` },
    ]));
    expect(await commitBatch(scope, batchId)).toEqual({ rows: 3, entries: 5 });
    expect(await rollupDifferences()).toEqual({ daily: 0, monthly: 0 });
    expect(await revertBatch(scope, batchId, 'test')).toEqual({ rows: 3, reversals: 5 });
    expect(await rollupDifferences()).toEqual({ daily: 0, monthly: 0 });
    expect(await ledgerSelfCheck()).toEqual([]);
  });

  it('lets checkout postings, refunds and an import commit on the same rollup keys run concurrently without deadlock', async () => {
    const days = [5, 6, 7, 8];
    const rows = Array.from({ length: 400 }, (_, i) => ({ date: `2025-03-0${days[i % 4]}`, origin: i % 2 ? '520281' : '520204', amount: `${10 + (i % 7)}.00`, evidence: `C${sourceId()}` }));
    const { scope, batchId } = await stageFile(csvOf(rows));
    // each checkout pays an order whose lines fall on several of those keys, listed in a different order
    // (as payments.server.ts posts them: all lines of the order in one statement)
    const checkout = (k: number) => prisma.$transaction(async (tx) => {
      const order = k % 2 ? [...days].reverse() : days;
      await postManyToLedger(tx, order.map((d) => sale({ occurredAt: at(6), originCode: d % 2 ? '520281' : '520204', flow: d > 6 ? 'PROCUREMENT' : 'HELPED_SALES' })));
    });
    const posted = Array.from({ length: 3 }, () => sale({ occurredAt: at(6) }));
    for (const p of posted) await prisma.$transaction((tx) => postToLedger(tx, p));
    const refund = (p: (typeof posted)[number]) => prisma.$transaction((tx) => reverseLedger(tx, { original: { sourceType: 'ORDER_LINE', sourceId: p.sourceId }, sourceType: 'REFUND_LINE', sourceId: sourceId(), occurredAt: at(7) }));
    // refunds of two-line orders on the checkouts' keys, their lines listed against the keys' order (one statement each)
    const pairs = Array.from({ length: 3 }, () => [sale({ occurredAt: at(6), originCode: '520281', flow: 'PROCUREMENT' }), sale({ occurredAt: at(6), originCode: '520204', flow: 'HELPED_SALES' })]);
    for (const pair of pairs) await prisma.$transaction((tx) => postManyToLedger(tx, pair));
    const refundPair = (pair: (typeof pairs)[number]) => prisma.$transaction((tx) => reverseManyLedger(tx, [...pair].reverse().map((p) => ({ original: { sourceType: 'ORDER_LINE' as const, sourceId: p.sourceId }, sourceType: 'REFUND_LINE' as const, sourceId: sourceId(), occurredAt: at(6) }))));
    // and a second import's revert on the same keys
    const other = await stageFile(csvOf(rows.slice(0, 40).map((r) => ({ ...r, evidence: `V${sourceId()}` }))));
    await commitBatch(other.scope, other.batchId);
    const results = await Promise.allSettled([
      commitBatch(scope, batchId), revertBatch(other.scope, other.batchId, 'test'), ...Array.from({ length: 6 }, (_, k) => checkout(k)), ...posted.map(refund), ...pairs.map(refundPair),
    ]);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason?.message ?? (r as PromiseRejectedResult).reason).slice(0, 400))).toEqual([]);
    expect(await rollupDifferences()).toEqual({ daily: 0, monthly: 0 });
    expect(await ledgerSelfCheck()).toEqual([]);
  });

  it('still refuses references to nothing, and the deletion of what the ledger or an import refers to', async () => {
    const pairing = await prisma.pairing.findUniqueOrThrow({ where: { slug: 'zhongshan-liupanshui' } });
    const insert = (pairingId: number, reversesId: bigint | null, type = 'ORDER_LINE', amount = 100) => prisma.$executeRawUnsafe(
      `insert into ledger_entry (source_type, source_id, pairing_id, pairing_level, amount_fen, quantity, description, statistics_kind, flow, origin_code, occurred_at, reverses_id)
       values ($1::"LedgerSourceType", $2, $3, 'TOP', $4, 1, 'x', 'AGRI_LIVESTOCK', 'PROCUREMENT', '520281', now(), $5)`, type, sourceId(), pairingId, amount, reversesId);
    await expect(insert(999_999, null)).rejects.toThrow(/pairing 999999 does not exist/);
    await expect(insert(pairing.id, 999_999_999n, 'REFUND_LINE', -1)).rejects.toThrow(/reversed entry 999999999 does not exist/);
    await expect(prisma.$executeRawUnsafe(
      `insert into import_row (batch_id, row_no, occurred_on, buyer_name, buyer_type, buyer_place_code, seller_name, origin_code, description, statistics_kind, flow, quantity, amount_fen, channel, evidence_ref)
       values (999999, 2, '2025-03-01', 'b', 'UNION', '442000', 's', '520281', 'd', 'AGRI_LIVESTOCK', 'PROCUREMENT', 1, 100, 'c', 'e')`)).rejects.toThrow(/import batch 999999 does not exist/);
    // nothing half-written
    expect(await prisma.ledgerEntry.count({ where: { pairingId: 999_999 } })).toBe(0);

    await prisma.$transaction((tx) => postToLedger(tx, sale({ occurredAt: at(10) })));
    await expect(prisma.$executeRawUnsafe('delete from pairing where id = $1', pairing.id)).rejects.toThrow(/ledger entries count for it/);
    await expect(prisma.$executeRawUnsafe('update pairing set id = 999998 where id = $1', pairing.id)).rejects.toThrow(/ledger entries count for it/);
    const { scope, batchId } = await stageFile(csvOf([{ date: '2025-03-11', origin: '520281', amount: '1.00', evidence: `R${sourceId()}` }]));
    await commitBatch(scope, batchId);
    await expect(prisma.$executeRawUnsafe('delete from import_batch where id = $1', batchId)).rejects.toThrow(/import rows belong to it/);
    // a pairing nothing refers to may still go; the ledger stays append-only
    const lone = await prisma.pairing.create({ data: {
      slug: `lone-${seq++}`, nameZh: '测试', nameEn: 'test', programme: pairing.programme, eastPlaceCode: pairing.eastPlaceCode,
      westPlaceCode: pairing.westPlaceCode, validFrom: new Date('2099-01-01'), validTo: new Date('2099-01-02'),
    } });
    await prisma.$executeRawUnsafe('delete from pairing where id = $1', lone.id);
    await expect(prisma.$executeRawUnsafe(`update ledger_entry set amount_fen = 0 where pairing_id = $1`, pairing.id)).rejects.toThrow(/append-only/);
    // TRUNCATE skips row triggers: it is refused on its own, as it was while these were foreign keys
    for (const table of ['pairing', 'import_batch', 'import_row', 'ledger_entry']) {
      await expect(prisma.$executeRawUnsafe(`truncate ${table} cascade`), table).rejects.toThrow(/refused|append-only|cannot truncate/i);
      await expect(prisma.$executeRawUnsafe(`truncate ${table}`), table).rejects.toThrow(/refused|append-only|cannot truncate/i);
    }
    expect(await prisma.importRow.count({ where: { batchId } })).toBe(1);
  });
});

