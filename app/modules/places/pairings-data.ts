// The pairings named in the sources (shared/DOMAIN.md). Codes are GB/T 2260; the three 组团 group
// pairings of 中山 → 六盘水 have the city pairing as parent, so their sales roll up into it.
export type PairingSeed = {
  slug: string;
  nameZh: string;
  nameEn: string;
  programme: 'EAST_WEST' | 'IN_PROVINCE' | 'GUANGDONG_GUANGXI';
  east: string;
  west: string;
  validFrom: string;
  parentSlug?: string;
  summaryZh: string;
  summaryEn: string;
};

export const pairingSeeds: PairingSeed[] = [
  {
    slug: 'zhongshan-liupanshui', nameZh: '中山市 ↔ 六盘水市', nameEn: 'Zhongshan ↔ Liupanshui', programme: 'EAST_WEST',
    east: '442000', west: '520200', validFrom: '2021-01-01',
    summaryZh: '2021年起中山市结对帮扶六盘水市，镇街分三个组团结对各县区，采购、销售贵州省农畜牧产品和特色手工艺产品1.83亿元。',
    summaryEn: 'Since 2021 Zhongshan has been paired with Liupanshui; its towns pair with the counties in three groups.',
  },
  {
    slug: 'zhongshan-torch-shuicheng', nameZh: '中山火炬开发区组团 ↔ 水城区', nameEn: 'Zhongshan Torch Zone group ↔ Shuicheng', programme: 'EAST_WEST',
    east: '442000003', west: '520204', validFrom: '2021-01-01', parentSlug: 'zhongshan-liupanshui',
    summaryZh: '火炬开发区（中山港街道）牵头的组团结对水城区。', summaryEn: 'The group led by the Torch Development Zone (Zhongshangang) pairs with Shuicheng.',
  },
  {
    slug: 'zhongshan-dongqu-liuzhi', nameZh: '中山东区组团 ↔ 六枝特区', nameEn: 'Zhongshan Dongqu group ↔ Liuzhi', programme: 'EAST_WEST',
    east: '442000002', west: '520203', validFrom: '2021-01-01', parentSlug: 'zhongshan-liupanshui',
    summaryZh: '东区街道牵头的组团结对六枝特区。', summaryEn: 'The group led by Dongqu subdistrict pairs with Liuzhi.',
  },
  {
    slug: 'zhongshan-xiaolan-panzhou', nameZh: '中山小榄组团 ↔ 盘州市', nameEn: 'Zhongshan Xiaolan group ↔ Panzhou', programme: 'EAST_WEST',
    east: '442000118', west: '520281', validFrom: '2021-01-01', parentSlug: 'zhongshan-liupanshui',
    summaryZh: '小榄镇牵头的组团结对盘州市，盘州刺梨每年八月采收。', summaryEn: 'The group led by Xiaolan town pairs with Panzhou, home of the cili (Rosa roxburghii) harvest.',
  },
  {
    slug: 'huangpu-dushan', nameZh: '广州市黄埔区 ↔ 独山县', nameEn: 'Huangpu (Guangzhou) ↔ Dushan', programme: 'EAST_WEST',
    east: '440112', west: '522726', validFrom: '2020-01-01',
    summaryZh: '“黔品入湾”：2022年东部采购和帮助销售独山农副产品及特色手工艺品总额达4.06亿元。',
    summaryEn: '"Guizhou goods into the Bay Area": 406 million yuan of Dushan goods bought and sold in 2022.',
  },
  {
    slug: 'huangpu-sandu', nameZh: '广州市黄埔区 ↔ 三都水族自治县', nameEn: 'Huangpu (Guangzhou) ↔ Sandu', programme: 'EAST_WEST',
    east: '440112', west: '522732', validFrom: '2021-01-01',
    summaryZh: '易地扶贫搬迁城南社区的帮扶车间生产校服、箱包、鞋子和水族马尾绣。', summaryEn: 'Workshops in the Chengnan resettlement community make uniforms, bags, shoes and Shui horsetail embroidery.',
  },
  {
    slug: 'panyu-weining', nameZh: '广州市番禺区 ↔ 威宁彝族回族苗族自治县', nameEn: 'Panyu (Guangzhou) ↔ Weining', programme: 'EAST_WEST',
    east: '440113', west: '520526', validFrom: '2017-01-01',
    summaryZh: '2017年起番禺区8个镇街结对帮扶威宁县4个乡镇8个村。', summaryEn: 'Since 2017 eight towns of Panyu have paired with townships and villages of Weining.',
  },
  {
    slug: 'longjiang-gangping', nameZh: '顺德区龙江镇 ↔ 怀集县岗坪镇', nameEn: 'Longjiang (Shunde) ↔ Gangping (Huaiji)', programme: 'IN_PROVINCE',
    east: '440606104', west: '441224109', validFrom: '2017-01-01',
    summaryZh: '广东省内对口帮扶。', summaryEn: 'Paired assistance within Guangdong.',
  },
  {
    slug: 'dinghu-zhaoping', nameZh: '肇庆市鼎湖区 ↔ 昭平县', nameEn: 'Dinghu (Zhaoqing) ↔ Zhaoping', programme: 'GUANGDONG_GUANGXI',
    east: '441203', west: '451121', validFrom: '2017-01-01',
    summaryZh: '2017年起粤桂协作。', summaryEn: 'Guangdong–Guangxi cooperation since 2017.',
  },
];
