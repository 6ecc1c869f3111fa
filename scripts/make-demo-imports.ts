// Writes the demo offline-import files in prisma/demo/imports/ (run once; the files are committed):
//   2021 中山 ↔ 六盘水, procurement (UTF-8 with BOM) + helped sales (UTF-8)  = exactly 183,000,000.00 元
//   2022 黄埔 ↔ 独山, procurement and helped sales (GBK)                      = exactly 406,000,000.00 元
// Deterministic (seeded PRNG), so running it again writes the same bytes.
//   npx tsx scripts/make-demo-imports.ts
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { COLUMNS } from '../app/modules/imports/format';

const dir = path.resolve(import.meta.dirname, '..', 'prisma', 'demo', 'imports');

function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Goods = { desc: string; kind: '农畜牧产品' | '特色手工艺产品'; unitYuan: number; seller: string; origin: string };
type Buyer = { name: string; type: string; place: string; channel: string; flow: '采购' | '帮助销售'; weight: number; scale: [number, number]; evidence: string };

function rows(opts: { seed: number; count: number; totalYuan: number; year: number; months: number[]; buyers: Buyer[]; goods: Goods[]; goodsFor?: (b: Buyer) => Goods[] }) {
  const rnd = prng(opts.seed);
  const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const weighted = (bs: Buyer[]) => {
    const total = bs.reduce((s, b) => s + b.weight, 0);
    let x = rnd() * total;
    for (const b of bs) if ((x -= b.weight) <= 0) return b;
    return bs[bs.length - 1]!;
  };
  const raw = Array.from({ length: opts.count }, (_, i) => {
    const b = weighted(opts.buyers);
    const g = pick(opts.goodsFor?.(b) ?? opts.goods);
    const month = pick(opts.months);
    const day = 1 + Math.floor(rnd() * 28);
    const weight = b.scale[0] + rnd() * (b.scale[1] - b.scale[0]);
    return { i, b, g, date: `${opts.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, weight };
  });
  // Whole-yuan amounts scaled to the exact total; the last row takes the rounding remainder.
  const sum = raw.reduce((s, r) => s + r.weight, 0);
  let left = opts.totalYuan;
  const out = raw.map((r, k) => {
    const yuan = k === raw.length - 1 ? left : Math.max(1000, Math.round((r.weight / sum) * opts.totalYuan / 10) * 10);
    left -= yuan;
    const qty = Math.max(1, Math.round(yuan / r.g.unitYuan));
    const serial = String(100000 + Math.floor(rnd() * 899999));
    return [r.date, r.b.name, r.b.type, r.b.place, r.g.seller, r.g.origin, r.g.desc, r.g.kind, r.b.flow, String(qty), `${yuan}.00`, r.b.channel, `${r.b.evidence}${opts.year}${String(r.i + 1).padStart(4, '0')}${serial}`];
  });
  if (left !== 0 || Number(out[out.length - 1]![10]!.split('.')[0]) <= 0) throw new Error('amounts do not add up');
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const toCsv = (data: string[][]) => [COLUMNS.map((c) => c.zh), ...data].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';

// 中山 ↔ 六盘水, 2021 (the pairing began in 2021; the article reports 1.83亿元)
const lps: Goods[] = [
  { desc: '盘州刺梨原液 500ml×6瓶', kind: '农畜牧产品', unitYuan: 158, seller: '盘州市贾西刺梨种植农民专业合作社', origin: '520281' },
  { desc: '刺梨果脯 200g×3袋', kind: '农畜牧产品', unitYuan: 59, seller: '盘州市贾西刺梨种植农民专业合作社', origin: '520281' },
  { desc: '宏财刺梨汁饮料 250ml×24罐', kind: '农畜牧产品', unitYuan: 128, seller: '盘州宏财刺梨产业发展有限公司', origin: '520281' },
  { desc: '刺梨礼盒（原液+果脯）', kind: '农畜牧产品', unitYuan: 168, seller: '盘州宏财刺梨产业发展有限公司', origin: '520281' },
  { desc: '盘县火腿 切片500g', kind: '农畜牧产品', unitYuan: 88, seller: '盘州市山花家庭农场', origin: '520281' },
  { desc: '盘州林下土鸡蛋 30枚', kind: '农畜牧产品', unitYuan: 58, seller: '盘州市山花家庭农场', origin: '520281' },
  { desc: '水城红心猕猴桃 6斤装', kind: '农畜牧产品', unitYuan: 69.8, seller: '水城区红心猕猴桃种植农民专业合作社', origin: '520204' },
  { desc: '水城春 明前绿茶 100g', kind: '农畜牧产品', unitYuan: 128, seller: '水城区红心猕猴桃种植农民专业合作社', origin: '520204' },
  { desc: '水城小黄姜 5斤装', kind: '农畜牧产品', unitYuan: 39.8, seller: '水城区红心猕猴桃种植农民专业合作社', origin: '520204' },
  { desc: '六枝魔芋丝 200g×20袋', kind: '农畜牧产品', unitYuan: 69.9, seller: '六枝特区落别山农特产品开发有限公司', origin: '520203' },
  { desc: '岩脚面 手工挂面 1kg×5袋', kind: '农畜牧产品', unitYuan: 118, seller: '六枝特区落别山农特产品开发有限公司', origin: '520203' },
  { desc: '落别樱桃 3斤装', kind: '农畜牧产品', unitYuan: 98, seller: '六枝特区落别山农特产品开发有限公司', origin: '520203' },
  { desc: '六盘水猕猴桃 绿心 5斤', kind: '农畜牧产品', unitYuan: 49.8, seller: '贵州初好农业发展有限公司', origin: '520201' },
  { desc: '凉都高山洋芋 10斤', kind: '农畜牧产品', unitYuan: 32.9, seller: '贵州初好农业发展有限公司', origin: '520201' },
  { desc: '贵州柴火腊肉 1kg真空装', kind: '农畜牧产品', unitYuan: 118, seller: '贵州初好农业发展有限公司', origin: '520201' },
];
const lpsCrafts: Goods[] = [
  { desc: '彝族刺绣 手工挂件', kind: '特色手工艺产品', unitYuan: 168, seller: '盘州市民族刺绣农民专业合作社', origin: '520281' },
  { desc: '水城农民画 装裱作品', kind: '特色手工艺产品', unitYuan: 680, seller: '水城区农民画专业合作社', origin: '520204' },
  { desc: '长角苗刺绣 手工布包', kind: '特色手工艺产品', unitYuan: 238, seller: '六枝特区梭戛苗族刺绣农民专业合作社', origin: '520203' },
];
const zsProcurement: Buyer[] = [
  { name: '中山市机关事务管理局机关食堂', type: '预算单位', place: '442000', channel: '食堂采购', flow: '采购', weight: 8, scale: [0.6, 1.6], evidence: 'FP4420' },
  { name: '中山市第一中学食堂', type: '预算单位', place: '442000', channel: '食堂采购', flow: '采购', weight: 5, scale: [0.3, 0.9], evidence: 'FP4420' },
  { name: '中山市人民医院职工食堂', type: '预算单位', place: '442000', channel: '食堂采购', flow: '采购', weight: 5, scale: [0.4, 1.1], evidence: 'FP4420' },
  { name: '中山火炬开发区管委会机关食堂', type: '预算单位', place: '442000003', channel: '食堂采购', flow: '采购', weight: 4, scale: [0.3, 0.9], evidence: 'FP4420' },
  { name: '中山市总工会', type: '工会', place: '442000', channel: '工会福利', flow: '采购', weight: 7, scale: [1.2, 3.0], evidence: 'HT-ZSZGH-' },
  { name: '中山市小榄镇总工会', type: '工会', place: '442000118', channel: '工会福利', flow: '采购', weight: 5, scale: [0.8, 2.2], evidence: 'HT-XLZGH-' },
  { name: '中山市东区街道总工会', type: '工会', place: '442000002', channel: '工会福利', flow: '采购', weight: 4, scale: [0.6, 1.8], evidence: 'HT-DQZGH-' },
  { name: '中山市教育系统工会委员会', type: '工会', place: '442000', channel: '工会福利', flow: '采购', weight: 3, scale: [0.8, 2.0], evidence: 'HT-JYGH-' },
  { name: '中山某电器制造有限公司', type: '企业', place: '442000118', channel: '企业采购', flow: '采购', weight: 3, scale: [0.5, 1.5], evidence: 'HT-QY-' },
];
const zsHelped: Buyer[] = [
  { name: '个人消费者（中山黔货出山消费帮扶专柜）', type: '个人', place: '442000', channel: '专柜', flow: '帮助销售', weight: 6, scale: [0.3, 1.0], evidence: 'ZG-' },
  { name: '个人消费者（小榄镇消费帮扶专馆）', type: '个人', place: '442000118', channel: '专柜', flow: '帮助销售', weight: 4, scale: [0.3, 0.9], evidence: 'ZG-' },
  { name: '六盘水市农产品展销会（中山博览中心）', type: '其他', place: '442000', channel: '展销会', flow: '帮助销售', weight: 4, scale: [0.8, 2.5], evidence: 'ZXH-' },
  { name: '中山市粤西农产品批发市场经销商', type: '企业', place: '442000', channel: '批发市场', flow: '帮助销售', weight: 3, scale: [0.8, 2.4], evidence: 'FP4420' },
  { name: '个人消费者（山水协作电商直播）', type: '个人', place: '442000', channel: '电商', flow: '帮助销售', weight: 3, scale: [0.4, 1.2], evidence: 'DS-' },
];
const zsGoods = (b: Buyer) => (b.channel === '食堂采购' ? lps.filter((g) => !/礼盒|茶/.test(g.desc)) : b.channel === '工会福利' || b.flow === '帮助销售' ? [...lps, ...lpsCrafts] : lps);

// Split 183,000,000 元 between the two files of 2021.
const proc = rows({ seed: 2021, count: 96, totalYuan: 128_460_000, year: 2021, months: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11], buyers: zsProcurement, goods: lps, goodsFor: zsGoods });
const helped = rows({ seed: 20211, count: 54, totalYuan: 54_540_000, year: 2021, months: [3, 4, 5, 6, 7, 8, 9, 10, 11], buyers: zsHelped, goods: lps, goodsFor: zsGoods });

// 黄埔 ↔ 独山, 2022: 4.06亿元 through canteens, unions and the 黔品入湾 channel to the Bay Area
const ds: Goods[] = [
  { desc: '百顺鲜鸡蛋 360枚 食堂整箱', kind: '农畜牧产品', unitYuan: 450, seller: '独山百顺蛋鸡养殖场', origin: '522726' },
  { desc: '百顺鲜鸡蛋 30枚', kind: '农畜牧产品', unitYuan: 45, seller: '独山百顺蛋鸡养殖场', origin: '522726' },
  { desc: '独山鲜豇豆 5斤', kind: '农畜牧产品', unitYuan: 29.8, seller: '独山县湾区菜篮子蔬菜产业有限公司', origin: '522726' },
  { desc: '独山长茄子 5斤', kind: '农畜牧产品', unitYuan: 26.8, seller: '独山县湾区菜篮子蔬菜产业有限公司', origin: '522726' },
  { desc: '湾区菜篮子 时令蔬菜箱 8斤', kind: '农畜牧产品', unitYuan: 59, seller: '独山县湾区菜篮子蔬菜产业有限公司', origin: '522726' },
  { desc: '独山盐酸菜 400g×3瓶', kind: '农畜牧产品', unitYuan: 45, seller: '独山县湾区菜篮子蔬菜产业有限公司', origin: '522726' },
  { desc: '鄢家山鲜香菇 3斤', kind: '农畜牧产品', unitYuan: 36, seller: '独山县鄢家山社区香菇种植农民专业合作社', origin: '522726' },
  { desc: '鄢家山干香菇 250g', kind: '农畜牧产品', unitYuan: 42, seller: '独山县鄢家山社区香菇种植农民专业合作社', origin: '522726' },
  { desc: '高山辣椒 干辣椒 1kg', kind: '农畜牧产品', unitYuan: 38, seller: '贵州东磐农业发展有限公司', origin: '522726' },
  { desc: '生态大米 10kg', kind: '农畜牧产品', unitYuan: 89, seller: '黔南兴农农业发展有限公司', origin: '522726' },
  { desc: '霜桑叶茶 100g', kind: '农畜牧产品', unitYuan: 58, seller: '独山县林盘桑蚕农民专业合作社', origin: '522726' },
];
const dsCrafts: Goods[] = [
  { desc: '独山桑蚕丝被 春秋被', kind: '特色手工艺产品', unitYuan: 699, seller: '独山县林盘桑蚕农民专业合作社', origin: '522726' },
  { desc: '桑蚕丝手绘丝巾', kind: '特色手工艺产品', unitYuan: 268, seller: '独山县林盘桑蚕农民专业合作社', origin: '522726' },
  { desc: '手工皮具 托特包', kind: '特色手工艺产品', unitYuan: 329, seller: '独山钧裕皮具有限公司', origin: '522726' },
];
const hpBuyers: Buyer[] = [
  { name: '广州市黄埔区机关事务管理局机关食堂', type: '预算单位', place: '440112', channel: '食堂采购', flow: '采购', weight: 6, scale: [0.6, 1.6], evidence: 'FP4401' },
  { name: '黄埔区教育局（中小学食堂统一采购）', type: '预算单位', place: '440112', channel: '食堂采购', flow: '采购', weight: 6, scale: [0.8, 2.0], evidence: 'FP4401' },
  { name: '黄埔区总工会', type: '工会', place: '440112', channel: '工会福利', flow: '采购', weight: 5, scale: [1.0, 2.6], evidence: 'HT-HPZGH-' },
  { name: '广州开发区国有企业工会联合会', type: '工会', place: '440112', channel: '工会福利', flow: '采购', weight: 4, scale: [0.8, 2.2], evidence: 'HT-KFQGH-' },
  { name: '广州某连锁超市有限公司', type: '企业', place: '440100', channel: '黔品入湾', flow: '采购', weight: 5, scale: [1.2, 3.2], evidence: 'HT-QPRW-' },
  { name: '个人消费者（黔品入湾销售平台）', type: '个人', place: '440100', channel: '黔品入湾', flow: '帮助销售', weight: 8, scale: [1.0, 3.0], evidence: 'QPRW-' },
  { name: '深圳市某农产品批发市场经销商', type: '企业', place: '440300', channel: '黔品入湾', flow: '帮助销售', weight: 5, scale: [1.0, 2.8], evidence: 'FP4403' },
  { name: '个人消费者（黄埔消费帮扶专柜）', type: '个人', place: '440112', channel: '专柜', flow: '帮助销售', weight: 3, scale: [0.3, 0.9], evidence: 'ZG-' },
  { name: '黔南州农特产品展销会（广州）', type: '其他', place: '440100', channel: '展销会', flow: '帮助销售', weight: 2, scale: [0.6, 1.8], evidence: 'ZXH-' },
];
const hpGoods = (b: Buyer) => (b.channel === '食堂采购' ? ds.filter((g) => !/茶/.test(g.desc)) : [...ds, ...dsCrafts]);
const dushan = rows({ seed: 2022, count: 160, totalYuan: 406_000_000, year: 2022, months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], buyers: hpBuyers, goods: ds, goodsFor: hpGoods });

fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, '2021-zhongshan-liupanshui-procurement.csv'), '\uFEFF' + toCsv(proc), 'utf8');
fs.writeFileSync(path.join(dir, '2021-zhongshan-liupanshui-helped-sales.csv'), toCsv(helped), 'utf8');
fs.writeFileSync(path.join(dir, '2022-huangpu-dushan.gbk.csv'), iconv.encode(toCsv(dushan), 'gbk'));
console.log(`wrote ${proc.length + helped.length} rows for 中山 ↔ 六盘水 2021 and ${dushan.length} rows for 黄埔 ↔ 独山 2022 in ${path.relative(process.cwd(), dir)}`);
