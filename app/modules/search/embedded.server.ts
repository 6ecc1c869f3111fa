// The embedded search engine: an in-memory inverted index over jieba words, latin words and index-time
// pinyin, with typed-array postings and facet columns. Chosen by measurement over Orama and Postgres
// (docs/decisions/0006-search.md; bench/search.ts).
//
// Layout
// - Documents get dense internal ids (docId). Facet/sort values live in typed columns indexed by docId;
//   what a hit shows lives in `docs[docId]`.
// - Postings: a compact base segment (CSR: offsets/docIds/fieldMasks per term, built in one pass) plus a
//   delta segment (plain arrays) for documents added later. An update tombstones the old docId and adds
//   a new one; `compact()` folds the delta into the base and drops dead postings.
// - Ranking mirrors the Meilisearch rules the adapter configures: matched query words (dropping words
//   from the end), then the requested sort, then word quality × best field weight, then sales.
import { SYNONYM_GROUPS } from './synonyms';
import type { SearchDocument } from './documents.server';
import type { CatalogSearch, EngineHealth, ReindexProgress, SearchIndexSink } from './port.server';
import { byLengthDesc, editDistance, highlight, indexWords, isCjk, normalize, pinyinOf, queryWords, segmenter, singular, subWords, typoBudget } from './tokenize.server';
import { dayNumber, emptyFacets, FACETS, PRICE_BANDS, STATISTICS_KINDS, type EngineHit, type EngineResult, type FacetCounts, type FacetName, type HitSource, type SearchRequest } from './types';

// ---------- analysis ----------

export const FIELD = { NAME: 1, NAME_PINYIN: 2, CATEGORY: 4, PLACE: 8, OTHER_PINYIN: 16, SELLER: 32, PAIRING: 64, DESCRIPTION: 128, CODE: 256 } as const;
const FIELD_WEIGHTS: Array<[number, number]> = [
  [FIELD.NAME, 10], [FIELD.NAME_PINYIN, 7], [FIELD.CATEGORY, 6], [FIELD.PLACE, 6], [FIELD.CODE, 5],
  [FIELD.OTHER_PINYIN, 4], [FIELD.SELLER, 4], [FIELD.PAIRING, 3], [FIELD.DESCRIPTION, 2],
];
/** weight of a field mask = weight of its best field */
const MASK_WEIGHT = new Float32Array(512).map((_, mask) => Math.max(0, ...FIELD_WEIGHTS.filter(([f]) => mask & f).map(([, w]) => w)));

// Category, place, seller and pairing names repeat across many documents: analyse each once.
const wordCache = new Map<string, string[]>();
function cachedWords(text: string): string[] {
  let w = wordCache.get(text);
  if (!w) {
    w = indexWords(text);
    if (wordCache.size > 50_000) wordCache.clear();
    wordCache.set(text, w);
  }
  return w;
}

/** term → mask of the fields it occurs in */
export function analyzeDocument(doc: SearchDocument): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (words: Iterable<string>, field: number) => {
    for (const w of words) if (w) terms.set(w, (terms.get(w) ?? 0) | field);
  };
  add(indexWords(doc.nameZh), FIELD.NAME);
  add(indexWords(doc.nameEn), FIELD.NAME);
  add(doc.namePinyin.split(' '), FIELD.NAME_PINYIN);
  for (const n of [...doc.categoryNamesZh, ...doc.categoryNamesEn]) add(cachedWords(n), FIELD.CATEGORY);
  for (const n of doc.placeNames) {
    add(cachedWords(n), FIELD.PLACE);
    add([normalize(n)], FIELD.PLACE);
  }
  add(doc.otherPinyin.split(' '), FIELD.OTHER_PINYIN);
  add(cachedWords(doc.sellerName), FIELD.SELLER);
  add(cachedWords(doc.sellerNameEn), FIELD.SELLER);
  for (const n of [...doc.pairingNamesZh, ...doc.pairingNamesEn]) add(cachedWords(n), FIELD.PAIRING);
  add(indexWords(doc.descriptionZh), FIELD.DESCRIPTION);
  add(indexWords(doc.descriptionEn), FIELD.DESCRIPTION);
  add([...doc.skus.map((s) => s.toLowerCase()), ...doc.placeCodes], FIELD.CODE);
  return terms;
}

// ---------- the index data ----------

const PAIR_SLOTS = 4;
const CAT_SLOTS = 2;
const MAX_FACET_VALUES = 100;

type Dict = { ids: Map<string, number>; values: string[] };
const newDict = (): Dict => ({ ids: new Map(), values: [] });
function dictId(d: Dict, v: string): number {
  let id = d.ids.get(v);
  if (id === undefined) {
    id = d.values.length;
    d.values.push(v);
    d.ids.set(v, id);
  }
  return id;
}

type DeltaPosting = { docs: number[]; masks: number[] };

function grow<T extends Int32Array | Uint8Array | Uint16Array | Float64Array | Float32Array>(a: T, size: number, fill?: number): T {
  if (a.length >= size) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  b.set(a);
  if (fill !== undefined) b.fill(fill, a.length);
  return b;
}

class IndexData {
  n = 0; // docIds handed out
  live = 0;
  changes = 0; // documents added or removed (what cached whole-index figures depend on)
  docs: Array<HitSource | null> = [];
  byProduct = new Map<number, number>();
  alive = new Uint8Array(0);
  province = new Int32Array(0);
  prefecture = new Int32Array(0);
  county = new Int32Array(0);
  kind = new Uint8Array(0);
  inStock = new Uint8Array(0);
  certUntil = new Int32Array(0);
  minPrice = new Int32Array(0);
  sales = new Int32Array(0);
  created = new Float64Array(0);
  band = new Uint8Array(0);
  pairs = new Int32Array(0);
  cats = new Int32Array(0);
  dicts = { province: newDict(), prefecture: newDict(), county: newDict(), pairing: newDict(), category: newDict() };

  // vocabulary
  termIds = new Map<string, number>();
  termStr: string[] = [];
  df = new Int32Array(0);
  sorted: string[] = []; // vocabulary sorted at the last build/compaction (prefix search)
  recent: string[] = []; // terms added since
  latin = new Map<string, string[]>(); // first letter → latin terms (typo search)
  vocabVersion = 0;

  // postings: base segment (CSR) + delta
  baseTerms = 0;
  offsets = new Int32Array(1);
  postDocs = new Int32Array(0);
  postMasks = new Uint16Array(0);
  delta = new Map<number, DeltaPosting>();
  deltaPostings = 0;
  dead = 0;

  // bulk build buffers (only while building)
  private bTerm: Int32Array | null = null;
  private bDoc: Int32Array | null = null;
  private bMask: Uint16Array | null = null;
  private bLen = 0;

  private ensureDocCapacity(size: number) {
    if (this.alive.length >= size) return;
    const cap = Math.max(size, this.alive.length * 2, 1024);
    this.alive = grow(this.alive, cap);
    this.province = grow(this.province, cap, -1);
    this.prefecture = grow(this.prefecture, cap, -1);
    this.county = grow(this.county, cap, -1);
    this.kind = grow(this.kind, cap);
    this.inStock = grow(this.inStock, cap);
    this.certUntil = grow(this.certUntil, cap);
    this.minPrice = grow(this.minPrice, cap);
    this.sales = grow(this.sales, cap);
    this.created = grow(this.created, cap);
    this.band = grow(this.band, cap);
    this.pairs = grow(this.pairs, cap * PAIR_SLOTS, -1);
    this.cats = grow(this.cats, cap * CAT_SLOTS, -1);
  }

  private termId(t: string): number {
    let id = this.termIds.get(t);
    if (id === undefined) {
      id = this.termStr.length;
      this.termStr.push(t);
      this.termIds.set(t, id);
      this.df = grow(this.df, id + 1);
      this.recent.push(t);
      if (/^[a-z]+$/.test(t)) {
        const b = this.latin.get(t[0]!) ?? [];
        b.push(t);
        this.latin.set(t[0]!, b);
      }
      this.vocabVersion++;
    }
    return id;
  }

  startBulk(expected: number) {
    const cap = Math.max(1024, expected * 80);
    this.bTerm = new Int32Array(cap);
    this.bDoc = new Int32Array(cap);
    this.bMask = new Uint16Array(cap);
    this.bLen = 0;
  }

  /** Add (or replace) a document. During a bulk build postings go to the build buffers, else to the delta. */
  add(doc: SearchDocument) {
    const old = this.byProduct.get(doc.id);
    if (old !== undefined) this.kill(old);
    const d = this.n++;
    this.ensureDocCapacity(this.n);
    const D = this.dicts;
    this.province[d] = doc.provinceCode ? dictId(D.province, doc.provinceCode) : -1;
    this.prefecture[d] = doc.prefectureCode ? dictId(D.prefecture, doc.prefectureCode) : -1;
    this.county[d] = doc.countyCode ? dictId(D.county, doc.countyCode) : -1;
    this.kind[d] = STATISTICS_KINDS.indexOf(doc.statisticsKind);
    this.inStock[d] = doc.inStock ? 1 : 0;
    this.certUntil[d] = doc.certifiedUntil;
    this.minPrice[d] = doc.minPriceFen;
    this.sales[d] = doc.salesCount;
    this.created[d] = doc.createdAt;
    this.band[d] = Math.max(0, PRICE_BANDS.findIndex((b) => b.key === doc.priceBand));
    for (let s = 0; s < PAIR_SLOTS; s++) this.pairs[d * PAIR_SLOTS + s] = s < doc.pairingSlugs.length ? dictId(D.pairing, doc.pairingSlugs[s]!) : -1;
    for (let s = 0; s < CAT_SLOTS; s++) this.cats[d * CAT_SLOTS + s] = s < doc.categorySlugs.length ? dictId(D.category, doc.categorySlugs[s]!) : -1;

    for (const [term, mask] of analyzeDocument(doc)) {
      const t = this.termId(term);
      this.df[t]!++;
      if (this.bTerm) {
        if (this.bLen === this.bTerm.length) {
          this.bTerm = grow(this.bTerm, this.bLen + 1);
          this.bDoc = grow(this.bDoc!, this.bLen + 1);
          this.bMask = grow(this.bMask!, this.bLen + 1);
        }
        this.bTerm[this.bLen] = t;
        this.bDoc![this.bLen] = d;
        this.bMask![this.bLen] = mask;
        this.bLen++;
      } else {
        let p = this.delta.get(t);
        if (!p) this.delta.set(t, (p = { docs: [], masks: [] }));
        p.docs.push(d);
        p.masks.push(mask);
        this.deltaPostings++;
      }
    }
    this.docs[d] = {
      id: doc.id, slug: doc.slug, nameZh: doc.nameZh, nameEn: doc.nameEn, statisticsKind: doc.statisticsKind, salesCount: doc.salesCount,
      originCode: doc.originCode, originName: doc.originName, originShortName: doc.originShortName, sellerName: doc.sellerName, sellerNameEn: doc.sellerNameEn,
      minPriceFen: doc.minPriceFen, maxPriceFen: doc.maxPriceFen, inStock: doc.inStock, certifiedUntil: doc.certifiedUntil, imageKey: doc.imageKey, createdAt: doc.createdAt,
    };
    this.byProduct.set(doc.id, d);
    this.alive[d] = 1;
    this.live++;
    this.changes++;
  }

  remove(productId: number) {
    const d = this.byProduct.get(productId);
    if (d !== undefined) this.kill(d);
  }

  private kill(d: number) {
    if (!this.alive[d]) return;
    const id = this.docs[d]?.id;
    if (id !== undefined && this.byProduct.get(id) === d) this.byProduct.delete(id);
    this.alive[d] = 0;
    this.docs[d] = null;
    this.live--;
    this.changes++;
    this.dead++;
  }

  /** End a bulk build: counting sort of the (term, doc) pairs into the CSR base segment. */
  finishBulk() {
    if (!this.bTerm) return;
    const terms = this.termStr.length;
    const offsets = new Int32Array(terms + 1);
    for (let i = 0; i < this.bLen; i++) offsets[this.bTerm[i]! + 1]!++;
    for (let t = 0; t < terms; t++) offsets[t + 1]! += offsets[t]!;
    const fill = offsets.slice(0, terms);
    const docs = new Int32Array(this.bLen);
    const masks = new Uint16Array(this.bLen);
    for (let i = 0; i < this.bLen; i++) {
      const at = fill[this.bTerm[i]!]!++;
      docs[at] = this.bDoc![i]!;
      masks[at] = this.bMask![i]!;
    }
    this.offsets = offsets;
    this.postDocs = docs;
    this.postMasks = masks;
    this.baseTerms = terms;
    this.bTerm = this.bDoc = null;
    this.bMask = null;
    this.bLen = 0;
    this.resortVocabulary();
  }

  resortVocabulary() {
    this.sorted = [...this.termStr].sort();
    this.recent = [];
    this.vocabVersion++;
  }

  /** Fold the delta into the base segment, dropping postings of removed documents. */
  compact() {
    const terms = this.termStr.length;
    const offsets = new Int32Array(terms + 1);
    const alive = this.alive;
    for (let t = 0; t < terms; t++) {
      let c = 0;
      if (t < this.baseTerms) for (let i = this.offsets[t]!; i < this.offsets[t + 1]!; i++) c += alive[this.postDocs[i]!]!;
      const p = this.delta.get(t);
      if (p) for (const d of p.docs) c += alive[d]!;
      offsets[t + 1] = offsets[t]! + c;
      this.df[t] = c;
    }
    const docs = new Int32Array(offsets[terms]!);
    const masks = new Uint16Array(offsets[terms]!);
    let at = 0;
    for (let t = 0; t < terms; t++) {
      if (t < this.baseTerms)
        for (let i = this.offsets[t]!; i < this.offsets[t + 1]!; i++) {
          const d = this.postDocs[i]!;
          if (alive[d]) {
            docs[at] = d;
            masks[at++] = this.postMasks[i]!;
          }
        }
      const p = this.delta.get(t);
      if (p)
        for (let i = 0; i < p.docs.length; i++)
          if (alive[p.docs[i]!]) {
            docs[at] = p.docs[i]!;
            masks[at++] = p.masks[i]!;
          }
    }
    this.offsets = offsets;
    this.postDocs = docs;
    this.postMasks = masks;
    this.baseTerms = terms;
    this.delta.clear();
    this.deltaPostings = 0;
    this.dead = 0;
    this.resortVocabulary();
  }

  /** Terms starting with `prefix`, most frequent first. */
  prefixTerms(prefix: string, limit: number): string[] {
    const out: string[] = [];
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.sorted.length && out.length < 2_000 && this.sorted[i]!.startsWith(prefix); i++) out.push(this.sorted[i]!);
    for (const t of this.recent) if (t.startsWith(prefix)) out.push(t);
    return out
      .filter((t) => t !== prefix)
      .sort((a, b) => this.df[this.termIds.get(b)!]! - this.df[this.termIds.get(a)!]!)
      .slice(0, limit);
  }

  approximateBytes() {
    return this.postDocs.byteLength + this.postMasks.byteLength + this.offsets.byteLength + this.alive.length * 60 + this.deltaPostings * 16;
  }
}

// ---------- query planning ----------

type Alternative = { terms: number[]; quality: number };
type Group = { word: string; alternatives: Alternative[]; matchedTerms: string[]; prefix: boolean };

const QUALITY = { exact: 1, synonym: 0.9, parts: 0.8, typo1: 0.6, prefix: 0.5, typo2: 0.4, typoPrefix: 0.35 };

const synonymsOf = new Map<string, string[][]>();
for (const group of SYNONYM_GROUPS) for (const m of group) synonymsOf.set(m, group.filter((x) => x !== m).map((x) => x.split(' ')));
const synonymPhrases = SYNONYM_GROUPS.flat().filter((m) => m.includes(' ')).map((m) => m.split(' '));

function plan(ix: IndexData, q: string, cache: Map<string, Group | null>): Group[] {
  let words = queryWords(q);
  const whole = normalize(q).trim();
  // a code typed whole (a SKU such as DS-BS-EGG-30, a GB/T 2260 code): one exact word
  if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(whole) && ix.termIds.has(whole)) words = [whole];
  // synonym phrases typed in full (rosa roxburghii) become one word
  for (const phrase of synonymPhrases) {
    for (let i = 0; i + phrase.length <= words.length; i++) {
      if (phrase.every((w, k) => words[i + k] === w)) words = [...words.slice(0, i), phrase.join(' '), ...words.slice(i + phrase.length)];
    }
  }
  const groups: Group[] = [];
  words.forEach((word, i) => {
    const last = i === words.length - 1;
    const key = `${ix.vocabVersion}|${last ? 'p' : 'x'}|${word}`;
    let g = cache.get(key);
    if (g === undefined) {
      g = planWord(ix, word, last);
      if (cache.size > 5_000) cache.clear();
      cache.set(key, g);
    }
    if (g) groups.push(g);
  });
  return groups;
}

function planWord(ix: IndexData, word: string, last: boolean): Group | null {
  const alternatives: Alternative[] = [];
  const matched = new Set<string>();
  const seen = new Set<number>();
  const one = (term: string, quality: number) => {
    const id = ix.termIds.get(term);
    if (id === undefined || seen.has(id)) return false;
    seen.add(id);
    alternatives.push({ terms: [id], quality });
    if (quality !== QUALITY.prefix) matched.add(term); // a prefix match highlights the typed part only
    return true;
  };
  const all = (terms: string[], quality: number) => {
    const ids = terms.map((t) => ix.termIds.get(t));
    if (ids.some((id) => id === undefined)) return false;
    alternatives.push({ terms: ids as number[], quality });
    terms.forEach((t) => matched.add(t));
    return true;
  };
  const phrase = word.includes(' ') ? word.split(' ') : null;
  if (phrase) all(phrase, QUALITY.exact);
  else {
    one(word, QUALITY.exact);
    if (singular(word) !== word) one(singular(word), QUALITY.exact);
  }
  for (const syn of synonymsOf.get(word) ?? []) {
    if (syn.length === 1) one(syn[0]!, QUALITY.synonym);
    else all(syn, QUALITY.synonym);
  }
  if (!phrase && !ix.termIds.has(word) && isCjk(word) && word.length >= 3) {
    const parts = subWords(word);
    if (parts.length) all(parts, QUALITY.parts);
  }
  if (!phrase && last && (isCjk(word) || word.length >= 2)) for (const t of ix.prefixTerms(word, 50)) one(t, QUALITY.prefix);
  const budget = phrase ? 0 : typoBudget(word);
  if (budget > 0) {
    // completions of a mistyped last word: like the completions of a correct one (prefixTerms), only the
    // 50 most frequent — a five-letter pinyin word one edit away from a common syllable otherwise
    // completes to thousands of terms
    const completions: number[] = [];
    for (const t of ix.latin.get(word[0]!) ?? []) {
      const id = ix.termIds.get(t)!;
      if (seen.has(id)) continue;
      const d = editDistance(word, t, budget);
      if (d > 0 && d <= budget) one(t, d === 1 ? QUALITY.typo1 : QUALITY.typo2);
      else if (last && t.length > word.length && editDistance(word, t, budget, true) <= budget) completions.push(id);
    }
    completions.sort((a, b) => ix.df[b]! - ix.df[a]! || a - b);
    for (const id of completions.slice(0, 50)) one(ix.termStr[id]!, QUALITY.typoPrefix);
  }
  if (alternatives.length === 0) return null;
  return { word, alternatives, matchedTerms: [...matched], prefix: last };
}

// ---------- facet counts ----------

/** Counts per value id of each facet, and of the yes/no facets, over `docs` documents. */
type Tally = {
  province: Int32Array; prefecture: Int32Array; county: Int32Array; pairing: Int32Array; category: Int32Array; kind: Int32Array; band: Int32Array;
  certified: number; inStock: number; docs: number;
};

const cloneTally = (t: Tally): Tally => ({
  province: t.province.slice(), prefecture: t.prefecture.slice(), county: t.county.slice(), pairing: t.pairing.slice(), category: t.category.slice(),
  kind: t.kind.slice(), band: t.band.slice(), certified: t.certified, inStock: t.inStock, docs: t.docs,
});

// ---------- top-k ----------

/** The best `k` of `items` under `better` (a max-heap on "worse"), returned best first. */
function topK(items: Int32Array, count: number, k: number, better: (a: number, b: number) => boolean): number[] {
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(b, a);
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = 0; i < count; i++) {
    const d = items[i]!;
    if (heap.length < k) {
      heap.push(d);
      up(heap.length - 1);
    } else if (k > 0 && better(d, heap[0]!)) {
      heap[0] = d;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}

// ---------- the engine ----------

export class EmbeddedSearch implements CatalogSearch, SearchIndexSink {
  readonly name = 'embedded' as const;
  private ix = new IndexData();
  private ready = false;
  private planCache = new Map<string, Group | null>();
  // per-query scratch, sized to the index
  private score = new Float64Array(0);
  private best = new Float32Array(0);
  private words = new Uint8Array(0);
  private inCand = new Uint8Array(0);
  private cand = new Int32Array(0);
  private seen = new Uint16Array(0);
  private fields = new Uint16Array(0);
  private list = new Int32Array(0);
  private touched = new Int32Array(0);

  get documentCount() {
    return this.ix.live;
  }
  get isReady() {
    return this.ready;
  }

  async health(): Promise<EngineHealth> {
    return this.ready ? { status: 'ok', documents: this.ix.live } : { status: 'starting', documents: this.ix.live };
  }

  async upsert(documents: SearchDocument[]) {
    for (const d of documents) this.ix.add(d);
    this.maybeCompact();
  }

  async remove(productIds: number[]) {
    for (const id of productIds) this.ix.remove(id);
    this.maybeCompact();
  }

  private maybeCompact() {
    const ix = this.ix;
    if (ix.recent.length > 2_000) ix.resortVocabulary();
    if (ix.deltaPostings > 500_000 || ix.dead > Math.max(1_000, ix.live / 4)) ix.compact();
  }

  /** Whether removed documents make up enough of the index that a rebuild from the database is worthwhile. */
  get wasted() {
    return this.ix.n - this.ix.live;
  }

  async replaceAll(batches: AsyncIterable<SearchDocument[]>, options: { total?: number; onProgress?: ReindexProgress } = {}) {
    const next = new IndexData();
    next.startBulk(options.total ?? 1_000);
    segmenter(); // load the dictionary before timing-sensitive work
    let done = 0;
    for await (const batch of batches) {
      for (const d of batch) next.add(d);
      done += batch.length;
      options.onProgress?.(done, options.total ?? done);
    }
    next.finishBulk();
    this.ix = next;
    this.planCache.clear();
    this.ready = true;
    return { documents: next.live };
  }

  stats() {
    const ix = this.ix;
    return { documents: ix.live, terms: ix.termStr.length, postings: ix.postDocs.length + ix.deltaPostings, approximateBytes: ix.approximateBytes() };
  }

  async search(request: SearchRequest): Promise<EngineResult> {
    return this.searchSync(request);
  }

  searchSync(request: SearchRequest): EngineResult {
    const started = performance.now();
    const ix = this.ix;
    const n = ix.n;
    if (this.score.length < n) {
      const cap = Math.max(n, this.score.length * 2);
      this.score = new Float64Array(cap);
      this.best = new Float32Array(cap);
      this.words = new Uint8Array(cap);
      this.inCand = new Uint8Array(cap);
      this.cand = new Int32Array(cap);
      this.seen = new Uint16Array(cap);
      this.fields = new Uint16Array(cap);
      this.list = new Int32Array(cap);
      this.touched = new Int32Array(cap);
    }
    const { score, best, words, inCand, cand, seen, fields, list, touched } = this;
    const f = request.filters;
    const today = request.today ?? dayNumber(new Date());

    // filters → column predicates (an unknown value matches nothing)
    const lookup = (d: Dict, v: string | undefined) => (v === undefined ? -2 : (d.ids.get(v) ?? -3));
    const fProvince = lookup(ix.dicts.province, f.province);
    const fPrefecture = lookup(ix.dicts.prefecture, f.prefecture);
    const fCounty = lookup(ix.dicts.county, f.county);
    const fPairing = lookup(ix.dicts.pairing, f.pairing);
    const fCategory = lookup(ix.dicts.category, f.category);
    const fKind = f.kind ? STATISTICS_KINDS.indexOf(f.kind) : -1;
    const fMin = f.minPriceFen ?? -1;
    const fMax = f.maxPriceFen ?? Number.MAX_SAFE_INTEGER;
    const fCert = f.certified;
    const fStock = f.inStock;
    const filtered = fProvince !== -2 || fPrefecture !== -2 || fCounty !== -2 || fPairing !== -2 || fCategory !== -2 || fKind >= 0 || fMin >= 0 || fMax < Number.MAX_SAFE_INTEGER || fCert !== undefined || fStock !== undefined;
    const passes = (d: number): boolean => {
      if (!filtered) return true;
      if (fProvince !== -2 && ix.province[d] !== fProvince) return false;
      if (fPrefecture !== -2 && ix.prefecture[d] !== fPrefecture) return false;
      if (fCounty !== -2 && ix.county[d] !== fCounty) return false;
      if (fKind >= 0 && ix.kind[d] !== fKind) return false;
      if (fStock !== undefined && (ix.inStock[d] === 1) !== fStock) return false;
      if (fCert !== undefined && (ix.certUntil[d]! >= today && ix.certUntil[d]! > 0) !== fCert) return false;
      const price = ix.minPrice[d]!;
      if (price < fMin || price > fMax) return false;
      if (fPairing !== -2) {
        let ok = false;
        for (let s = 0; s < PAIR_SLOTS; s++) if (ix.pairs[d * PAIR_SLOTS + s] === fPairing) ok = true;
        if (!ok) return false;
      }
      if (fCategory !== -2 && ix.cats[d * CAT_SLOTS] !== fCategory && ix.cats[d * CAT_SLOTS + 1] !== fCategory) return false;
      return true;
    };

    const groups = request.q.trim() ? plan(ix, request.q, this.planCache) : [];
    let count = 0;
    let excluded = -1; // live documents left out by the filters, when no words were asked (else unknown)
    if (request.q.trim() && groups.length === 0) {
      // words that match nothing: no results
    } else if (groups.length === 0) {
      // no words: the candidates are the documents that pass the filters; those that do not are kept
      // too (in `touched`, unused here), since facets of most documents count faster by what they leave out
      excluded = 0;
      for (let d = 0; d < n; d++) {
        if (!ix.alive[d]) continue;
        if (passes(d)) cand[count++] = d;
        else touched[excluded++] = d;
      }
    } else {
      // the documents the current word's alternatives reached (each once), in a reused scratch array
      let reached = 0;
      let g = 0;
      // a posting of word g: weight w (alternative quality × best field) for document d; a document keeps
      // its best weight for the word. Word 0 applies the filters; later words only keep its candidates.
      const visit = (d: number, w: number) => {
        if (!ix.alive[d] || (g > 0 ? !inCand[d] : !passes(d))) return;
        const b = best[d]!;
        if (b === 0) touched[reached++] = d;
        if (w > b) best[d] = w;
      };
      for (; g < groups.length; g++) {
        reached = 0;
        for (const alt of groups[g]!.alternatives) {
          const q = alt.quality;
          if (alt.terms.length === 1) {
            const t = alt.terms[0]!;
            if (t < ix.baseTerms) for (let i = ix.offsets[t]!, e = ix.offsets[t + 1]!; i < e; i++) visit(ix.postDocs[i]!, q * MASK_WEIGHT[ix.postMasks[i]! & 511]!);
            const p = ix.delta.get(t);
            if (p) for (let i = 0; i < p.docs.length; i++) visit(p.docs[i]!, q * MASK_WEIGHT[p.masks[i]! & 511]!);
          } else {
            // a phrase (or the parts of an unknown word): documents having every term, with the fields of
            // all of them. seen[d] counts the terms found so far in document d (a term's postings hold a
            // document once), so the k-th term keeps only documents that had the k-1 before it.
            const k = alt.terms.length;
            let listed = 0;
            for (let j = 0; j < k; j++) {
              const t = alt.terms[j]!;
              const take = (d: number, mask: number) => {
                if (j === 0) {
                  seen[d] = 1;
                  fields[d] = mask;
                  list[listed++] = d;
                } else if (seen[d] === j) {
                  seen[d] = j + 1;
                  fields[d]! |= mask;
                }
              };
              if (t < ix.baseTerms) for (let i = ix.offsets[t]!, e = ix.offsets[t + 1]!; i < e; i++) take(ix.postDocs[i]!, ix.postMasks[i]!);
              const p = ix.delta.get(t);
              if (p) for (let i = 0; i < p.docs.length; i++) take(p.docs[i]!, p.masks[i]!);
            }
            for (let i = 0; i < listed; i++) {
              const d = list[i]!;
              if (seen[d] === k) visit(d, q * MASK_WEIGHT[fields[d]! & 511]!);
              seen[d] = 0;
              fields[d] = 0;
            }
          }
        }
        // word 0's documents become the candidates, in document order (the order of the facet and sort
        // columns: counting facets over them then reads memory in sequence, not at random)
        if (g === 0) {
          let ordered = true;
          for (let i = 1; i < reached && ordered; i++) if (touched[i]! < touched[i - 1]!) ordered = false;
          if (!ordered && reached > n >> 5) {
            reached = 0;
            for (let d = 0; d < n; d++) if (best[d] !== 0) touched[reached++] = d;
          } else if (!ordered) touched.subarray(0, reached).sort();
        }
        for (let i = 0; i < reached; i++) {
          const d = touched[i]!;
          if (g === 0) {
            cand[count++] = d;
            inCand[d] = 1;
            score[d] = best[d]!;
            words[d] = 1;
          } else {
            score[d] += best[d]!;
            if (words[d] === g) words[d] = g + 1;
          }
          best[d] = 0;
        }
      }
    }

    // facets over every candidate
    const facets = request.facets === false ? emptyFacets() : this.countFacets(cand, count, today, excluded >= 0 ? { docs: touched, count: excluded } : null);

    // order: matched words (from the front), then the sort, then relevance, then sales
    const sales = ix.sales;
    const relevance = (a: number, b: number) => (score[a] !== score[b] ? score[a]! > score[b]! : sales[a] !== sales[b] ? sales[a]! > sales[b]! : a < b);
    const byWords = (a: number, b: number) => words[a] !== words[b];
    let better: (a: number, b: number) => boolean;
    switch (request.sort) {
      case 'price_asc':
        better = (a, b) => (byWords(a, b) ? words[a]! > words[b]! : ix.minPrice[a] !== ix.minPrice[b] ? ix.minPrice[a]! < ix.minPrice[b]! : relevance(a, b));
        break;
      case 'price_desc':
        better = (a, b) => (byWords(a, b) ? words[a]! > words[b]! : ix.minPrice[a] !== ix.minPrice[b] ? ix.minPrice[a]! > ix.minPrice[b]! : relevance(a, b));
        break;
      case 'newest':
        better = (a, b) => (byWords(a, b) ? words[a]! > words[b]! : ix.created[a] !== ix.created[b] ? ix.created[a]! > ix.created[b]! : relevance(a, b));
        break;
      case 'best_selling':
        better = (a, b) => (byWords(a, b) ? words[a]! > words[b]! : sales[a] !== sales[b] ? sales[a]! > sales[b]! : relevance(a, b));
        break;
      default:
        better = (a, b) => (byWords(a, b) ? words[a]! > words[b]! : relevance(a, b));
    }
    const from = (request.page - 1) * request.perPage;
    const ranked = from < count ? topK(cand, count, Math.min(count, from + request.perPage), better).slice(from) : [];

    const hit = this.highlighter(groups);
    const hits: EngineHit[] = ranked.map((d) => hit(ix.docs[d]!));

    // reset scratch
    for (let i = 0; i < count; i++) {
      const d = cand[i]!;
      score[d] = 0;
      words[d] = 0;
      inCand[d] = 0;
    }
    return { hits, total: count, facets, processingTimeMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  /**
   * Facet counts of the candidates. When the candidates are most of the index and the documents left
   * out are known (`excluded`: the live documents the filters refused), they are the counts of the whole
   * index (kept until a document is added or removed) less those of the left-out documents: browsing
   * everything, or everything in stock, then counts a few documents instead of all of them.
   */
  private countFacets(cand: Int32Array, count: number, today: number, excluded: { docs: Int32Array; count: number } | null): FacetCounts {
    let t: Tally;
    if (excluded && excluded.count < count) {
      t = cloneTally(this.wholeIndexTally(today));
      this.tally(t, excluded.docs, excluded.count, today, -1);
    } else {
      t = this.newTally();
      this.tally(t, cand, count, today, 1);
    }
    return this.formatFacets(t);
  }

  private wholeIndex: { ix: IndexData; changes: number; today: number; tally: Tally } | null = null;

  private wholeIndexTally(today: number): Tally {
    const ix = this.ix;
    const w = this.wholeIndex;
    if (w && w.ix === ix && w.changes === ix.changes && w.today === today) return w.tally;
    const live = new Int32Array(ix.live);
    let k = 0;
    for (let d = 0; d < ix.n; d++) if (ix.alive[d]) live[k++] = d;
    const tally = this.newTally();
    this.tally(tally, live, k, today, 1);
    this.wholeIndex = { ix, changes: ix.changes, today, tally };
    return tally;
  }

  private newTally(): Tally {
    const D = this.ix.dicts;
    return {
      province: new Int32Array(D.province.values.length), prefecture: new Int32Array(D.prefecture.values.length), county: new Int32Array(D.county.values.length),
      pairing: new Int32Array(D.pairing.values.length), category: new Int32Array(D.category.values.length),
      kind: new Int32Array(STATISTICS_KINDS.length), band: new Int32Array(PRICE_BANDS.length), certified: 0, inStock: 0, docs: 0,
    };
  }

  /** Adds (sign 1) or takes away (sign -1) the facet values of `count` documents of `docs`. */
  private tally(t: Tally, docs: Int32Array, count: number, today: number, sign: 1 | -1) {
    const ix = this.ix;
    const { province: prov, prefecture: pref, county: cnty, pairing: pair, category: cat, kind, band } = t;
    let certified = 0;
    let inStock = 0;
    const { province, prefecture, county, pairs, cats, kind: kinds, band: bands, certUntil, inStock: stock } = ix;
    for (let i = 0; i < count; i++) {
      const d = docs[i]!;
      const p = province[d]!;
      if (p >= 0) prov[p]! += sign;
      const pf = prefecture[d]!;
      if (pf >= 0) pref[pf]! += sign;
      const c = county[d]!;
      if (c >= 0) cnty[c]! += sign;
      const ps = d * PAIR_SLOTS;
      for (let s = 0; s < PAIR_SLOTS; s++) {
        const v = pairs[ps + s]!;
        if (v < 0) break;
        pair[v]! += sign;
      }
      const cs = d * CAT_SLOTS;
      for (let s = 0; s < CAT_SLOTS; s++) {
        const v = cats[cs + s]!;
        if (v < 0) break;
        cat[v]! += sign;
      }
      kind[kinds[d]!]! += sign;
      band[bands[d]!]! += sign;
      const cu = certUntil[d]!;
      if (cu > 0 && cu >= today) certified++;
      inStock += stock[d]!;
    }
    t.certified += sign * certified;
    t.inStock += sign * inStock;
    t.docs += sign * count;
  }

  private formatFacets(t: Tally): FacetCounts {
    const D = this.ix.dicts;
    const list = (counts: Int32Array, values: readonly string[]) => {
      const out: Array<{ value: string; count: number }> = [];
      for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) out.push({ value: values[i]!, count: counts[i]! });
      return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, MAX_FACET_VALUES);
    };
    const bools = (yes: number) => [{ value: 'true', count: yes }, { value: 'false', count: t.docs - yes }].filter((x) => x.count > 0);
    const facets: FacetCounts = {
      province: list(t.province, D.province.values),
      prefecture: list(t.prefecture, D.prefecture.values),
      county: list(t.county, D.county.values),
      pairing: list(t.pairing, D.pairing.values),
      category: list(t.category, D.category.values),
      kind: list(t.kind, STATISTICS_KINDS),
      certified: bools(t.certified),
      inStock: bools(t.inStock),
      priceBand: PRICE_BANDS.map((b, i) => ({ value: b.key, count: t.band[i]! })).filter((x) => x.count > 0),
    };
    for (const k of FACETS) facets[k as FacetName] ??= [];
    return facets;
  }

  /**
   * The hits' highlighting for one query. The matched terms are gathered once per query, not once per
   * hit: a pinyin or typo query can match thousands of terms.
   */
  private highlighter(groups: Group[]): (doc: HitSource) => EngineHit {
    const exact = new Set<string>();
    const prefixes = new Set<string>();
    for (const g of groups) {
      for (const t of g.matchedTerms) exact.add(t);
      if (g.prefix && !g.word.includes(' ')) prefixes.add(g.word);
    }
    const isLatin = (t: string) => /^[a-z]+$/.test(t);
    const latin = new Set([...exact, ...prefixes].filter(isLatin));
    const latinPrefixes = [...prefixes].filter((t) => t.length >= 2 && isLatin(t));
    const cjk = byLengthDesc([...exact, ...prefixes].filter(isCjk));
    return (doc) => {
      // pinyin and initials matched: mark the Chinese words of the name they come from
      const found: string[] = [];
      if (latin.size) {
        for (const w of segmenter().cutForSearch(normalize(doc.nameZh), true)) {
          if (!isCjk(w)) continue;
          const p = pinyinOf(w);
          if (latin.has(p.full) || (w.length > 1 && latin.has(p.initials)) || latinPrefixes.some((t) => p.full.startsWith(t))) found.push(w);
        }
      }
      const terms = { exact, prefixes, cjk: found.length ? byLengthDesc([...cjk, ...found]) : cjk };
      return { ...doc, highlight: { nameZh: highlight(doc.nameZh, terms), nameEn: highlight(doc.nameEn, terms) } };
    };
  }
}
