import { describe, expect, it } from 'vitest';
import { totals } from '~/modules/attribution/ledger.server';
import { prisma } from '~/modules/db/db.server';
import { formatOfficialTotal } from '~/modules/money/money';
import { seedDemoImports } from './demo.server';

const id = async (slug: string) => (await prisma.pairing.findUniqueOrThrow({ where: { slug } })).id;

describe('demo imports (loaded into the test template by seedDemo)', () => {
  it('makes 中山 ↔ 六盘水 exactly 1.83亿元 in 2021 and 黄埔 ↔ 独山 exactly 4.06亿元 in 2022', async () => {
    const zs = await totals({ pairingId: await id('zhongshan-liupanshui'), from: '2021-01-01', to: '2021-12-31', groupBy: ['kind', 'flow', 'subPairing'] });
    expect(zs.totalFen).toBe(18_300_000_000);
    expect(formatOfficialTotal(zs.totalFen)).toBe('1.83亿元');
    const hp = await totals({ pairingId: await id('huangpu-dushan'), from: '2022-01-01', to: '2022-12-31', groupBy: ['kind', 'flow'] });
    expect(hp.totalFen).toBe(40_600_000_000);
    expect(formatOfficialTotal(hp.totalFen)).toBe('4.06亿元');
    // both kinds and both flows; every group pairing has its own figure, and 钟山 counts only for the city
    for (const t of [zs, hp]) {
      expect(new Set(t.groups.map((g) => g.key.kind))).toEqual(new Set(['AGRI_LIVESTOCK', 'HANDICRAFT']));
      expect(new Set(t.groups.map((g) => g.key.flow))).toEqual(new Set(['PROCUREMENT', 'HELPED_SALES']));
    }
    const subs = new Set(zs.groups.filter((g) => g.amountFen > 0).map((g) => g.key.subPairing));
    expect(subs).toEqual(new Set(['zhongshan-torch-shuicheng', 'zhongshan-dongqu-liuzhi', 'zhongshan-xiaolan-panzhou', '—']));
  });

  it('is idempotent', async () => {
    const before = await prisma.importBatch.count();
    expect(await seedDemoImports()).toBe(0);
    expect(await prisma.importBatch.count()).toBe(before);
  });
});
