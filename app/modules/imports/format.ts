// The offline import file format (shared by the parser, the template and the UI): Chinese column
// headers with a few accepted aliases, the accepted labels of each coded column, and the bad-row reasons.

export type ColumnKey =
  | 'date' | 'buyerName' | 'buyerType' | 'buyerPlace' | 'seller' | 'origin' | 'description'
  | 'kind' | 'flow' | 'quantity' | 'amount' | 'channel' | 'evidence';

export type ColumnDef = { key: ColumnKey; zh: string; en: string; aliases: string[]; hintZh: string; example: string };

/** In template order. Headers are matched after NFKC normalisation (（）→()) with spaces removed. */
export const COLUMNS: ColumnDef[] = [
  { key: 'date', zh: '日期', en: 'Date', aliases: ['交易日期', '采购日期', '销售日期', 'date'], hintZh: 'YYYY-MM-DD，不晚于今天', example: '2021-03-18' },
  { key: 'buyerName', zh: '采购单位', en: 'Buyer organisation', aliases: ['采购单位名称', '购买单位', '采购方', 'buyer'], hintZh: '单位名称；帮助销售可填销售网点', example: '中山市第一中学食堂' },
  { key: 'buyerType', zh: '单位类型', en: 'Buyer type', aliases: ['采购单位类型', 'buyertype'], hintZh: '工会 / 预算单位 / 企业 / 社会组织 / 个人 / 其他', example: '预算单位' },
  { key: 'buyerPlace', zh: '采购单位所在地代码', en: 'Buyer place code', aliases: ['采购单位所在地', '所在地代码', 'buyerplace'], hintZh: '行政区划代码（GB/T 2260，6位或9位）', example: '442000' },
  { key: 'seller', zh: '销售方', en: 'Seller', aliases: ['销售单位', '供货单位', '供应商', 'seller'], hintZh: '合作社或企业名称', example: '盘州市贾西刺梨种植农民专业合作社' },
  { key: 'origin', zh: '产地县代码', en: 'Origin county code', aliases: ['产地代码', '产地县区代码', '产地区县代码', 'origin'], hintZh: '县级行政区划代码（6位），须在结对范围内', example: '520281' },
  { key: 'description', zh: '商品描述', en: 'Goods', aliases: ['商品', '商品名称', '产品名称', 'description'], hintZh: '品名、规格', example: '刺梨原液 500ml×6' },
  { key: 'kind', zh: '统计类别', en: 'Statistics kind', aliases: ['产品类别', '类别', 'kind'], hintZh: '农畜牧产品 / 特色手工艺产品', example: '农畜牧产品' },
  { key: 'flow', zh: '帮扶方式', en: 'Flow', aliases: ['消费帮扶方式', '方式', '采购或帮助销售', 'flow'], hintZh: '采购 / 帮助销售', example: '采购' },
  { key: 'quantity', zh: '数量', en: 'Quantity', aliases: ['quantity'], hintZh: '正整数', example: '120' },
  { key: 'amount', zh: '金额(元)', en: 'Amount (yuan)', aliases: ['金额', '金额元', 'amount'], hintZh: '元，最多两位小数', example: '15800.00' },
  { key: 'channel', zh: '渠道', en: 'Channel', aliases: ['销售渠道', '采购渠道', 'channel'], hintZh: '食堂采购、工会福利、展销会、专柜、黔品入湾等', example: '食堂采购' },
  { key: 'evidence', zh: '凭证号', en: 'Evidence reference', aliases: ['发票号', '合同号', '发票或合同号', '凭证号(发票或合同号)', 'evidence'], hintZh: '发票号码或合同编号', example: 'FP44200021000123' },
];

export function headerKey(text: string) {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

export const KIND_LABELS = { AGRI_LIVESTOCK: '农畜牧产品', HANDICRAFT: '特色手工艺产品' } as const;
export const FLOW_LABELS = { PROCUREMENT: '采购', HELPED_SALES: '帮助销售' } as const;
export const BUYER_TYPE_LABELS = { UNION: '工会', BUDGET_UNIT: '预算单位', ENTERPRISE: '企业', SOCIAL_ORG: '社会组织', INDIVIDUAL: '个人', OTHER: '其他' } as const;
export const KIND_LABELS_EN = { AGRI_LIVESTOCK: 'Agricultural & livestock', HANDICRAFT: 'Specialty handicraft' } as const;
export const FLOW_LABELS_EN = { PROCUREMENT: 'Procurement', HELPED_SALES: 'Helped sales' } as const;

export type Kind = keyof typeof KIND_LABELS;
export type FlowKind = keyof typeof FLOW_LABELS;
export type BuyerTypeKey = keyof typeof BUYER_TYPE_LABELS;

/** Accepted spellings (after NFKC, trimmed, lower case) of each coded value. */
export const KIND_ALIASES: Record<string, Kind> = {
  农畜牧产品: 'AGRI_LIVESTOCK', 农畜产品: 'AGRI_LIVESTOCK', 农副产品: 'AGRI_LIVESTOCK', 农产品: 'AGRI_LIVESTOCK', agri_livestock: 'AGRI_LIVESTOCK',
  特色手工艺产品: 'HANDICRAFT', 特色手工艺品: 'HANDICRAFT', 手工艺品: 'HANDICRAFT', 手工艺产品: 'HANDICRAFT', handicraft: 'HANDICRAFT',
};
export const FLOW_ALIASES: Record<string, FlowKind> = {
  采购: 'PROCUREMENT', procurement: 'PROCUREMENT',
  帮助销售: 'HELPED_SALES', 帮销: 'HELPED_SALES', 协助销售: 'HELPED_SALES', helped_sales: 'HELPED_SALES',
};
export const BUYER_TYPE_ALIASES: Record<string, BuyerTypeKey> = {
  工会: 'UNION', union: 'UNION',
  预算单位: 'BUDGET_UNIT', 机关事业单位: 'BUDGET_UNIT', 机关单位: 'BUDGET_UNIT', 事业单位: 'BUDGET_UNIT', budget_unit: 'BUDGET_UNIT',
  企业: 'ENTERPRISE', 国有企业: 'ENTERPRISE', 民营企业: 'ENTERPRISE', enterprise: 'ENTERPRISE',
  社会组织: 'SOCIAL_ORG', social_org: 'SOCIAL_ORG',
  个人: 'INDIVIDUAL', 个人消费者: 'INDIVIDUAL', individual: 'INDIVIDUAL',
  其他: 'OTHER', other: 'OTHER',
};

/** Row-level reasons, as stored in import_staging_row.errors ("code" or "code:detail"). */
export const ROW_ERRORS = {
  'date.missing': ['缺少日期', 'date is missing'],
  'date.format': ['日期格式应为 YYYY-MM-DD', 'date must be YYYY-MM-DD'],
  'date.invalid': ['日期不存在', 'no such date'],
  'date.future': ['日期晚于今天', 'date is in the future'],
  'date.tooOld': ['日期早于2000年', 'date is before 2000'],
  'buyerName.missing': ['缺少采购单位', 'buyer organisation is missing'],
  'buyerName.tooLong': ['采购单位超过200字', 'buyer organisation is longer than 200 characters'],
  'buyerType.missing': ['缺少单位类型', 'buyer type is missing'],
  'buyerType.unknown': ['单位类型应为 工会/预算单位/企业/社会组织/个人/其他', 'buyer type must be 工会/预算单位/企业/社会组织/个人/其他'],
  'buyerPlace.missing': ['缺少采购单位所在地代码', 'buyer place code is missing'],
  'buyerPlace.format': ['采购单位所在地代码应为6位或9位数字', 'buyer place code must be 6 or 9 digits'],
  'buyerPlace.unknown': ['采购单位所在地代码不存在', 'unknown buyer place code'],
  'seller.missing': ['缺少销售方', 'seller is missing'],
  'seller.tooLong': ['销售方超过200字', 'seller is longer than 200 characters'],
  'origin.missing': ['缺少产地县代码', 'origin county code is missing'],
  'origin.format': ['产地县代码应为6位数字', 'origin county code must be 6 digits'],
  'origin.unknown': ['产地县代码不是已知的县级行政区', 'origin is not a known county'],
  'origin.noPairing': ['该产地在此日期没有结对关系', 'the origin has no pairing on that date'],
  'origin.outOfScope': ['产地不在您负责的结对范围内', 'the origin is not in your pairings'],
  'description.missing': ['缺少商品描述', 'goods description is missing'],
  'description.tooLong': ['商品描述超过500字', 'goods description is longer than 500 characters'],
  'kind.missing': ['缺少统计类别', 'statistics kind is missing'],
  'kind.unknown': ['统计类别应为 农畜牧产品 或 特色手工艺产品', 'statistics kind must be 农畜牧产品 or 特色手工艺产品'],
  'flow.missing': ['缺少帮扶方式', 'flow is missing'],
  'flow.unknown': ['帮扶方式应为 采购 或 帮助销售', 'flow must be 采购 or 帮助销售'],
  'quantity.missing': ['缺少数量', 'quantity is missing'],
  'quantity.format': ['数量应为正整数', 'quantity must be a positive whole number'],
  'amount.missing': ['缺少金额', 'amount is missing'],
  'amount.format': ['金额应为元，最多两位小数', 'amount must be yuan with at most two decimals'],
  'amount.notPositive': ['金额必须大于0', 'amount must be more than 0'],
  'amount.tooLarge': ['单笔金额超过10亿元', 'amount is over 1 billion yuan'],
  'channel.missing': ['缺少渠道', 'channel is missing'],
  'channel.tooLong': ['渠道超过100字', 'channel is longer than 100 characters'],
  'evidence.missing': ['缺少凭证号（发票号或合同号）', 'evidence reference is missing'],
  'evidence.tooLong': ['凭证号超过100字', 'evidence reference is longer than 100 characters'],
  'row.columns': ['列数与表头不一致', 'the row has a different number of columns than the header'],
  'duplicate.inFile': ['与本文件第{0}行重复（凭证号、销售方、日期、金额相同）', 'repeats row {0} of this file (same evidence, seller, date and amount)'],
  'duplicate.existing': ['与已导入批次#{0}中的记录重复', 'repeats a record already imported in batch #{0}'],
  'duplicate.platformOrder': ['凭证号或商品描述指向平台订单{0}：平台订单已自动计入，不能再导入', 'names platform order {0}: platform orders are counted already'],
} as const satisfies Record<string, readonly [string, string]>;

export type RowErrorCode = keyof typeof ROW_ERRORS;

export const FILE_ERRORS = {
  'file.empty': ['文件为空或没有表头', 'the file is empty or has no header row'],
  'file.columns': ['缺少必需的列：{0}', 'required columns are missing: {0}'],
  'file.duplicateColumn': ['表头中有重复的列：{0}', 'a column appears twice in the header: {0}'],
  'file.encoding': ['无法识别文件编码（请使用 UTF-8 或 GBK）', 'unreadable text encoding (use UTF-8 or GBK)'],
  'file.unreadable': ['无法读取文件：{0}', 'the file cannot be read: {0}'],
  'file.noRows': ['文件中没有数据行', 'the file has no data rows'],
  'file.tooManyRows': ['行数超过上限 {0}', 'more rows than the limit of {0}'],
  'file.type': ['只支持 CSV 或 XLSX 文件', 'only CSV or XLSX files are supported'],
} as const satisfies Record<string, readonly [string, string]>;

export type FileErrorCode = keyof typeof FILE_ERRORS;

type Messages = Record<string, readonly [string, string]>;

/** "code" or "code:detail" → a sentence in the locale, from the first table that has the code (else as stored). */
export function describeCode(tables: readonly Messages[], stored: string, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const i = stored.indexOf(':');
  const code = i < 0 ? stored : stored.slice(0, i);
  const m = tables.find((t) => code in t)?.[code];
  if (!m) return stored;
  return (locale === 'en' ? m[1] : m[0]).replace('{0}', i < 0 ? '' : stored.slice(i + 1));
}

/** An import's row or file error code → a sentence in the locale. */
export const describeError = (stored: string, locale: 'zh-CN' | 'en' = 'zh-CN') => describeCode([ROW_ERRORS, FILE_ERRORS], stored, locale);

/** Why a batch action was refused. */
export const BATCH_ERRORS = {
  'batch.notFound': ['没有这个导入批次', 'no such import batch'],
  'batch.forbidden': ['您不能操作这个导入批次', 'you cannot act on this import batch'],
  'batch.notStaged': ['该批次已提交或已放弃', 'this batch was already committed or discarded'],
  'batch.hasErrors': ['文件中仍有错误行，不能提交', 'the file still has bad rows; nothing was committed'],
  'batch.empty': ['文件中没有数据行', 'the file has no data rows'],
  'batch.stagingLost': ['暂存数据已丢失（服务器重启），请重新上传文件', 'the staged rows are gone (server restart); upload the file again'],
  'batch.duplicate': ['提交时发现与其他批次重复的记录，已重新检查，请查看错误行', 'records of another batch committed meanwhile repeat rows of this file; see the bad rows'],
  'batch.scope': ['文件中有不在您结对范围内的记录', 'rows of the file are outside your pairings'],
  'batch.notCommitted': ['只有已提交的批次可以撤销', 'only a committed batch can be reverted'],
  'batch.reasonMissing': ['请填写撤销原因', 'give a reason for the revert'],
} as const satisfies Record<string, readonly [string, string]>;
export type BatchErrorCode = keyof typeof BATCH_ERRORS;
