// Demo accounts (demo mode only, never with NODE_ENV=production). Password: shanhai-demo.
export const DEMO_PASSWORD = 'shanhai-demo';

export type DemoAccount = {
  email: string;
  name: string;
  roles: string[];
  description: string;
  organisation?: { name: string; role: 'MEMBER' | 'BUYER' | 'ADMIN' };
  sellerSlug?: string;
  scope?: { pairingSlug: string; side: 'EAST' | 'WEST' };
};

export const demoAccounts: DemoAccount[] = [
  { email: 'consumer@demo.shanhai.cn', name: '李女士', roles: ['consumer'], description: '消费者 consumer' },
  { email: 'union@demo.shanhai.cn', name: '中山工会采购员', roles: ['consumer', 'org_buyer', 'org_admin'], description: '中山市总工会 union buyer/admin', organisation: { name: '中山市总工会（演示）', role: 'ADMIN' } },
  { email: 'agency@demo.shanhai.cn', name: '黄埔区预算单位采购员', roles: ['consumer', 'org_buyer'], description: '预算单位 budget-unit buyer', organisation: { name: '广州市黄埔区机关事务管理局（演示）', role: 'BUYER' } },
  { email: 'coop-panzhou@demo.shanhai.cn', name: '盘州贾西村刺梨合作社', roles: ['seller_staff'], description: '商家员工 seller staff (盘州刺梨)', sellerSlug: 'panzhou-jiaxi-cili-coop' },
  { email: 'coop-dushan@demo.shanhai.cn', name: '独山百顺蛋鸡场', roles: ['seller_staff'], description: '商家员工 seller staff (独山)', sellerSlug: 'dushan-baishun-layer-farm' },
  { email: 'official-zs-lps@demo.shanhai.cn', name: '中山市协作办', roles: ['official'], description: '协作办 official 中山↔六盘水', scope: { pairingSlug: 'zhongshan-liupanshui', side: 'EAST' } },
  { email: 'official-hp-ds@demo.shanhai.cn', name: '黄埔区协作办', roles: ['official'], description: '协作办 official 黄埔↔独山', scope: { pairingSlug: 'huangpu-dushan', side: 'EAST' } },
  { email: 'admin@demo.shanhai.cn', name: '平台管理员', roles: ['admin', 'finance'], description: '平台管理员 admin (+ finance)' },
];

export const demoOrganisations = [
  { name: '中山市总工会（演示）', kind: 'UNION' as const, placeCode: '442000', invoiceTitle: '中山市总工会', taxNumber: '81442000MC0000000X' },
  { name: '广州市黄埔区机关事务管理局（演示）', kind: 'BUDGET_UNIT' as const, placeCode: '440112', invoiceTitle: '广州市黄埔区机关事务管理局', taxNumber: '11440112MB0000000X' },
];
