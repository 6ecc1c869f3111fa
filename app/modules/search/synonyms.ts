// The one list of search synonyms, used by both engines: the embedded engine expands query words with
// it, the Meilisearch adapter sends it as the index's `synonyms` setting. Each group is mutual: any
// member finds documents containing any other member. Members are lower-case; a member with spaces is a
// phrase. Pinyin is NOT listed here: it is indexed from the documents (see tokenize.server.ts).
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['刺梨', '刺梨果', '茨梨', 'cili', 'rosa roxburghii', 'chestnut rose'],
  ['鸡蛋', '土鸡蛋', '蛋', '禽蛋', 'egg', 'eggs'],
  ['马尾绣', 'horsetail embroidery', 'mawei embroidery'],
  ['猕猴桃', '奇异果', 'kiwi', 'kiwifruit'],
  ['樱桃', '大樱桃', '车厘子', 'cherry', 'cherries'],
  ['香菇', '冬菇', '花菇', 'shiitake'],
  ['豇豆', '豆角', '长豆角', 'cowpea', 'cowpeas'],
  ['茄子', 'aubergine', 'eggplant'],
  ['蚕丝', '桑蚕丝', '真丝', 'silk'],
  ['蜡染', '扎染', 'batik'],
  ['火腿', 'ham'],
  ['腊肉', '熏肉', 'bacon', 'cured meat'],
  ['苦荞', '荞麦', 'buckwheat'],
  ['土豆', '马铃薯', '洋芋', 'potato', 'potatoes'],
  ['魔芋', 'konjac'],
  ['茶叶', '茶', 'tea'],
  ['核桃', 'walnut', 'walnuts'],
  ['蜂蜜', '蜜', 'honey'],
];

/** Meilisearch's `synonyms` setting: every member maps to the others. */
export function meilisearchSynonyms(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const group of SYNONYM_GROUPS) for (const m of group) out[m] = group.filter((x) => x !== m);
  return out;
}
