// Display labels of the console (zh, en).
export const KIND = { AGRI_LIVESTOCK: ['农畜牧产品', 'Agricultural & livestock'], HANDICRAFT: ['特色手工艺产品', 'Specialty handicrafts'] } as const;
export const FLOW = { PROCUREMENT: ['采购', 'Procurement'], HELPED_SALES: ['帮助销售', 'Helped sales'] } as const;
export const SOURCE = {
  ORDER_LINE: ['平台订单', 'Platform order'], REFUND_LINE: ['平台退款', 'Platform refund'],
  IMPORT_ROW: ['线下导入', 'Offline import'], IMPORT_REVERSAL: ['导入撤销', 'Import reverted'],
} as const;
export const STATUS = {
  STAGED: ['待确认', 'Awaiting confirmation'], COMMITTED: ['已提交', 'Committed'], REVERTED: ['已撤销', 'Reverted'], DISCARDED: ['已放弃', 'Discarded'],
} as const;
export const BUYER_TYPE = {
  UNION: ['工会', 'Union'], BUDGET_UNIT: ['预算单位', 'Budget unit'], ENTERPRISE: ['企业', 'Enterprise'], SOCIAL_ORG: ['社会组织', 'Social organisation'],
  INDIVIDUAL: ['个人', 'Individual'], OTHER: ['其他', 'Other'],
} as const;
export type Pair = readonly [string, string];
export const label = (locale: string, pair: Pair | undefined, fallback = '') => (pair ? (locale === 'en' ? pair[1] : pair[0]) : fallback);

/** Where a ledger entry came from. Platform order lines link to their order (the orders pages land with checkout). */
export function sourceHref(e: { sourceType: string; sourceId: string; batchId: number | null; rowNo: number | null }) {
  if ((e.sourceType === 'IMPORT_ROW' || e.sourceType === 'IMPORT_REVERSAL') && e.batchId) return `/console/imports/${e.batchId}?row=${e.rowNo}#row-${e.rowNo}`;
  return `/orders/${encodeURIComponent(e.sourceId)}`;
}
