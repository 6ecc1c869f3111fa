// Text analysis for catalogue search: jieba words for Chinese, lower-cased latin words, pinyin and
// pinyin initials (index time only). Intl.Segmenter is not used: it splits 盘州刺梨原液 badly.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { pinyin } from 'pinyin-pro';
import { loadDivisions } from '~/modules/places/divisions.server';
import { SYNONYM_GROUPS } from './synonyms';

/** Domain words jieba's dictionary lacks or splits (马尾/绣, 盘/州市 …). */
const DOMAIN_WORDS = [
  '马尾绣', '刺梨', '土鸡蛋', '富硒', '林下', '豇豆', '鲜豇豆', '桑蚕丝', '蚕丝被', '百顺',
  '水族', '彝族', '苗绣', '蜡染', '扎染', '银饰', '猕猴桃', '红心猕猴桃', '大樱桃', '魔芋', '苦荞', '洋芋', '腊肉', '火腿', '香菇',
  '菜篮子', '消费帮扶', '东西部协作', '黔品入湾', '手拿包', '背带', '披毡', '漆器', '酸菜', '盐酸菜', '水书', '凤凰纹',
];

let instance: Jieba | undefined;

/** The segmenter, with the domain words and every GB/T 2260 place name (盘州市, 独山县, 三都水族自治县 …) added. */
export function segmenter(): Jieba {
  if (instance) return instance;
  const j = Jieba.withDict(dict);
  const lines = new Set<string>();
  for (const w of DOMAIN_WORDS) lines.add(`${w} 50000 n`);
  for (const group of SYNONYM_GROUPS) for (const w of group) if (isCjk(w)) lines.add(`${w} 50000 n`);
  for (const p of loadDivisions([])) {
    lines.add(`${p.name} 20000 ns`);
    if (p.shortName.length >= 2 && p.shortName !== p.name) lines.add(`${p.shortName} 3000 ns`);
  }
  j.loadDict(Buffer.from([...lines].join('\n'), 'utf8'));
  instance = j;
  return j;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
export const isCjk = (s: string) => CJK.test(s);
const isLatinWord = (s: string) => /^[a-z]+$/.test(s);

const STOP = new Set(['的', '了', '和', '与', '及', '或', '是', '在', '有', '也', '都', '就', '等', '可', '请', '并', '为', '之', 'and', 'the', 'of', 'a', 'an', 'with', 'for', 'in', 'to', 'from', 'or', 'by', 'on', 'at', 'is']);

/** NFKC (full-width → half-width), lower case, ü → v. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ü/g, 'v');
}

const PURE_CJK = /^[\u3400-\u9fff\uf900-\ufaff]+$/;
const PURE_ALNUM = /^[a-z0-9]+$/;

/** Split a jieba token into searchable words: CJK words as they are, latin/digit runs separately. */
function pushWords(token: string, out: string[]) {
  // fast paths: most tokens are a pure CJK word or a pure latin/digit word
  if (PURE_CJK.test(token) || PURE_ALNUM.test(token)) {
    if (!STOP.has(token)) out.push(token);
    return;
  }
  if (CJK.test(token)) {
    // a token may mix scripts (e.g. "a货"): keep CJK runs and alphanumeric runs
    for (const m of token.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g)) if (!STOP.has(m[0])) out.push(m[0]);
    return;
  }
  for (const m of token.matchAll(/[a-z0-9]+/g)) if (!STOP.has(m[0])) out.push(m[0]);
}

/** Index-time words of a text: jieba search mode (盘州市 → 盘州, 盘州市), latin words, plural-less variants. */
export function indexWords(text: string): string[] {
  if (!text) return [];
  const out: string[] = [];
  const norm = normalize(text);
  // jieba only where there is Chinese: latin text (English names and descriptions) splits on its own
  if (CJK.test(norm)) for (const token of segmenter().cutForSearch(norm, true)) pushWords(token, out);
  else for (const m of norm.matchAll(/[a-z0-9]+/g)) if (!STOP.has(m[0])) out.push(m[0]);
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const w = out[i]!;
    const s = singular(w);
    if (s !== w) out.push(s);
  }
  return out;
}

/** Query-time words: jieba's precise mode, so 刺梨原液 → 刺梨 + 原液 and unknown long words stay whole. */
export function queryWords(text: string): string[] {
  const out: string[] = [];
  for (const token of segmenter().cut(normalize(text), true)) pushWords(token, out);
  return out.slice(0, 10);
}

/** Sub-words of a CJK query word that is not in the index vocabulary (search mode, then single characters). */
export function subWords(word: string): string[] {
  const parts = segmenter().cutForSearch(word, true).filter((w) => w !== word && CJK.test(w));
  return parts.length ? [...new Set(parts)] : [];
}

export function singular(w: string): string {
  if (!isLatinWord(w) || w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ches') || w.endsWith('shes') || w.endsWith('oes')) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

const pinyinCache = new Map<string, { full: string; initials: string }>();

/** 刺梨 → { full: "cili", initials: "cl" } (no tones, ü written v). */
export function pinyinOf(word: string): { full: string; initials: string } {
  let hit = pinyinCache.get(word);
  if (!hit) {
    const syllables = pinyin(word, { toneType: 'none', type: 'array', v: true, nonZh: 'removed' }).filter(Boolean);
    hit = { full: syllables.join('').toLowerCase(), initials: syllables.map((s) => s[0]).join('').toLowerCase() };
    if (pinyinCache.size > 200_000) pinyinCache.clear();
    pinyinCache.set(word, hit);
  }
  return hit;
}

/**
 * Pinyin tokens of a Chinese text, for indexing: each jieba word's full pinyin, and for words of two or
 * more characters its initials (刺梨 → cili, cl); for the whole text (a product name) also the pinyin and
 * initials of each run of Chinese characters (盘州刺梨原液 → panzhouciliyuanye, pzclyy).
 */
export function pinyinTokens(text: string, { whole = false }: { whole?: boolean } = {}): string[] {
  if (!text || !CJK.test(text)) return [];
  const out = new Set<string>();
  for (const w of segmenter().cutForSearch(normalize(text), true)) {
    if (!CJK.test(w)) continue;
    for (const run of w.match(CJK_RUN) ?? []) {
      const p = pinyinOf(run);
      if (p.full) out.add(p.full);
      if (run.length >= 2 && p.initials.length >= 2) out.add(p.initials);
    }
  }
  if (whole) {
    for (const run of normalize(text).match(CJK_RUN) ?? []) {
      if (run.length < 3) continue;
      const p = pinyinOf(run);
      out.add(p.full);
      out.add(p.initials);
    }
  }
  return [...out];
}

/**
 * Bounded Damerau–Levenshtein distance (optimal string alignment) of `a` to `b`, or with `prefix` to the
 * closest prefix of `b` (for the word being typed). Returns max + 1 as soon as it is above `max`.
 */
export function editDistance(a: string, b: string, max: number, prefix = false): number {
  const n = a.length;
  const m = b.length;
  if (!prefix && Math.abs(n - m) > max) return max + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1; // row minima never decrease
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  const d = prefix ? Math.min(...prev) : prev[m]!;
  return d > max ? max + 1 : d;
}

/** Typos allowed for a latin query word (Meilisearch's defaults: 1 from 5 letters, 2 from 9). */
export function typoBudget(word: string): number {
  if (!isLatinWord(word)) return 0; // codes, numbers and Chinese: exact only
  if (word.length >= 9) return 2;
  if (word.length >= 5) return 1;
  return 0;
}

/** HTML-escape text. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Sorts `terms` in place, longest first (a longer Chinese term marks its whole run before a shorter one inside it). */
export const byLengthDesc = (terms: string[]) => terms.sort((a, b) => b.length - a.length);

/**
 * Wrap the parts of `text` that match one of `terms` in <mark>: Chinese terms as substrings (longest
 * first), latin terms as whole words or word prefixes (for prefix-matched query words). Returns escaped HTML.
 * `terms.cjk`, when given, is the Chinese terms of `exact` and `prefixes`, longest first (a caller that
 * highlights many texts for one query prepares it once).
 */
export function highlight(text: string, terms: { exact: Set<string>; prefixes: Set<string>; cjk?: readonly string[] }): string {
  if (!text) return '';
  const norm = normalize(text);
  // NFKC can change lengths (full-width forms keep length 1; ligatures rarely appear in names): fall back to no highlight then
  if (norm.length !== text.length) return escapeHtml(text);
  const marks = new Uint8Array(text.length);
  const cjk = terms.cjk ?? byLengthDesc([...terms.exact, ...terms.prefixes].filter((t) => CJK.test(t)));
  for (const t of cjk) {
    let from = 0;
    for (;;) {
      const at = norm.indexOf(t, from);
      if (at < 0) break;
      marks.fill(1, at, at + t.length);
      from = at + t.length;
    }
  }
  for (const m of norm.matchAll(/[a-z0-9]+/g)) {
    const w = m[0];
    let len = 0;
    if (terms.exact.has(w) || terms.exact.has(singular(w))) len = w.length;
    else for (const p of terms.prefixes) if (!CJK.test(p) && p.length > len && w.startsWith(p)) len = p.length;
    if (len) marks.fill(1, m.index!, m.index! + len);
  }
  let out = '';
  let open = false;
  for (let i = 0; i < text.length; i++) {
    if (marks[i] && !open) {
      out += '<mark>';
      open = true;
    } else if (!marks[i] && open) {
      out += '</mark>';
      open = false;
    }
    out += escapeHtml(text[i]!);
  }
  return open ? `${out}</mark>` : out;
}
