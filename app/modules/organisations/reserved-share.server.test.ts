// Reserved share: the figures are the ledger's — platform entries of the organisation (with refunds) plus
// its offline records committed through the officials' import (with reverts) — by month, counted once.
import { describe, expect, it } from 'vitest';
import { postToLedger, reverseLedger } from '~/modules/attribution/ledger.server';
import { prisma } from '~/modules/db/db.server';
import { COLUMNS } from '~/modules/imports/format';
import { commitBatch, getBatch, importActor, revertBatch, stageImport } from '~/modules/imports/imports.server';
import { bufferSource } from '~/modules/imports/parse.server';
import { DEMO, scopeOf } from '../../../tests/helpers/session';
import { uniq } from '../../../tests/helpers/actors';
import { reservedShareReport, setReservedShare } from './reserved-share.server';
import { freshOrganisation } from './test-fixtures';

const HEADER = COLUMNS.map((c) => c.zh).join(',');
const importRow = (date: string, buyer: string, type: string, amount: string) =>
  [date, buyer, type, '442000', '盘州市贾西刺梨种植农民专业合作社', '520281', '刺梨原液 500ml×6', '农畜牧产品', '采购', '10', amount, '食堂采购', `FP${uniq()}${uniq()}`].join(',');

async function importFile(rows: string[]) {
  const scope = await scopeOf(DEMO.zs);
  const file = Buffer.from(`${HEADER}\r\n${rows.join('\r\n')}\r\n`, 'utf8');
  const { batchId } = await stageImport({ actor: importActor(scope), fileName: 'orgs.csv', source: bufferSource(file) });
  const batch = (await getBatch(batchId))!;
  expect(batch.errorCount).toBe(0);
  await commitBatch(scope, batchId);
  return { scope, batchId };
}

const at = (iso: string) => new Date(`${iso}T04:00:00Z`); // noon in China

describe('reserved share', () => {
  it('equals the ledger: platform purchases (less refunds) and offline records (less reverts), by month', async () => {
    const { org, admin } = await freshOrganisation('BUDGET_UNIT');
    await prisma.organisation.update({ where: { id: org.id }, data: { invoiceTitle: `${org.name}抬头` } });
    await setReservedShare(admin, org.id, { year: 2025, amount: 1_000_000 });

    // platform: two paid lines (Feb, May) and a partial refund in May; a line of another organisation
    const base = `t-res-${uniq()}`;
    const line = (id: string, amountFen: number, day: string, buyerOrganisationId: number | null) =>
      prisma.$transaction((tx) => postToLedger(tx, {
        sourceType: 'ORDER_LINE', sourceId: `${base}-${id}`, amountFen, quantity: 1, description: '刺梨原液', statisticsKind: 'AGRI_LIVESTOCK',
        flow: 'PROCUREMENT', originCode: '520281', buyerOrganisationId, buyerPlaceCode: '442000', occurredAt: at(day),
      }));
    expect((await line('a', 120_000, '2025-02-10', org.id)).length).toBe(2); // group + city level
    await line('b', 80_000, '2025-05-03', org.id);
    await line('c', 999_999, '2025-05-03', null);
    await line('d', 50_000, '2024-12-31', org.id); // another year
    await prisma.$transaction((tx) => reverseLedger(tx, { original: { sourceType: 'ORDER_LINE', sourceId: `${base}-b` }, sourceType: 'REFUND_LINE', sourceId: `${base}-rb`, amountFen: 30_000, occurredAt: at('2025-05-20') }));

    // offline: by name, by invoice title (full-width/space variants), not another type, not another buyer; one file reverted
    await importFile([
      importRow('2025-02-15', org.name, '预算单位', '1000.00'),
      importRow('2025-03-01', ` ${org.name}抬头 `.replace('抬头', ' 抬头'), '预算单位', '250.50'),
      importRow('2025-03-02', org.name, '企业', '7777.00'),
      importRow('2025-03-03', '别的单位', '预算单位', '8888.00'),
    ]);
    const reverted = await importFile([importRow('2025-04-01', org.name, '预算单位', '5000.00')]);
    await revertBatch(reverted.scope, reverted.batchId, '重复上报');

    const r = await reservedShareReport(org.id, 2025);
    expect(r.platformFen).toBe(120_000 + 80_000 - 30_000);
    expect(r.offlineFen).toBe(100_000 + 25_050);
    expect(r.totalFen).toBe(295_050);
    expect(r.reservedFen).toBe(1_000_000);
    expect(r.reachedBasisPoints).toBe(2950);
    expect(r.leftFen).toBe(704_950);
    expect(r.months.map((m) => m.totalFen)).toEqual([0, 220_000, 25_050, 0, 50_000, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.months[11]!.cumulativeFen).toBe(r.totalFen);

    // the same figure straight from the ledger: the organisation's TOP entries and those of its matching import rows
    const [fromLedger] = await prisma.$queryRaw<Array<{ s: bigint }>>`
      select sum(e.amount_fen)::bigint as s from ledger_entry e
      where e.pairing_level = 'TOP' and extract(year from e.occurred_at at time zone 'Asia/Shanghai') = 2025
        and (e.buyer_organisation_id = ${org.id}
          or (e.source_type in ('IMPORT_ROW', 'IMPORT_REVERSAL') and e.source_id in (
            select id::text from import_row where buyer_type = 'BUDGET_UNIT' and replace(buyer_name, ' ', '') in (${org.name}, ${org.name + '抬头'}))))`;
    expect(Number(fromLedger!.s)).toBe(r.totalFen);

    const none = await reservedShareReport(org.id, 2026);
    expect(none).toMatchObject({ reservedFen: null, reachedBasisPoints: null, leftFen: null, totalFen: 0 });
  });
});
