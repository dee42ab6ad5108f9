import type { Token } from '../normalize/tokenize';
import { bytesToUint32, decodeBase64 } from './codec';
import {
  charFeatures,
  charGramCount,
  charGramsFrom,
  FEATURE_GROUP_CHAR,
  FEATURE_GROUP_LEXICON,
  FEATURE_GROUP_META,
  FEATURE_GROUP_WORD,
  FEATURE_GROUPS,
  FeatureBuffer,
  type LexiconHit,
  NAME_HASH,
  type NameSet,
  textUnigram,
  tokenHash,
  wordFeatures,
} from './features';
import { type ClassifierModel, ClassifierModelSchema, type Head, HEADS } from './model';

/** A word that pushed a head's score up: its span in the original text and its logit share. */
export interface ClassifierEvidence {
  start: number;
  end: number;
  /** The original text of the span, when the caller passed the text to `score`. */
  text?: string;
  /** How much this token added to the head's logit (before calibration). */
  weight: number;
}

export interface ClassifierScore {
  /** Calibrated probabilities: 0.5 means as likely flagged as not, on data like the training data. */
  heads: Record<Head, number>;
  /**
   * Per head, the tokens that raised the score most, strongest first; empty if none did, or if
   * the head scored under its `explainAt`.
   */
  top: Record<Head, ClassifierEvidence[]>;
}

export interface ScoreOptions {
  /** The comment the tokens came from; fills `text` in the evidence. */
  text?: string;
  /**
   * The lexicon hits of the engine's analysis of these tokens. A model trained with lexicon
   * features (`features.lexicon`) expects them; without them its scores run low.
   */
  hits?: readonly LexiconHit[];
  /**
   * Explain only the heads that reach this probability (a head left out is always explained).
   * Naming the words costs a pass over the tokens per head; a caller that acts on a head only
   * above a threshold (the engine's second opinion) need not pay for the others.
   */
  explainAt?: Partial<Record<Head, number>>;
  /**
   * Per token, a slot the caller keeps for that token's text (the same object for every token
   * with the same text, for as long as the caller likes), or undefined. The scorer notes its
   * memo entry for the word there, so the next token with that text skips the memo's hash
   * lookup: the engine already looked the word up in its own memo and hands over that entry.
   */
  slots?: readonly (WordSlot | undefined)[];
}

/** See ScoreOptions.slots. Starts as { memoGen: 0, memoEntry: 0 }; only the scorer writes it. */
export interface WordSlot {
  memoGen: number;
  memoEntry: number;
}

/**
 * Generations of scorer memos, unique across classifiers: a slot's entry is valid only for the
 * memo and generation that wrote it, and a memo starts a new generation when it is cleared.
 */
let memoGenerations = 0;

export interface Classifier {
  readonly heads: readonly Head[];
  score(tokens: readonly Token[], options?: ScoreOptions): ClassifierScore;
}

export interface ClassifierOptions {
  /** How many tokens `top` names per head. */
  topK?: number;
  /** How many words' feature sums to remember; 0 turns the memo off (results are the same). */
  memoWords?: number;
  /**
   * The share of comments a site expects to be flagged, per head. Scores are calibrated to the
   * training data's base rates (model `heads[].baseRate`: a third of OLID tweets are offensive);
   * a site with fewer bad comments can move each head's prior by Bayes' rule instead of
   * retraining: odds are multiplied by (rate / (1 - rate)) / (baseRate / (1 - baseRate)).
   */
  baseRates?: Partial<Record<Head, number>>;
}

// Module-local copies: bundlers compile imported constants to getters, too slow for inner loops.
const WORD = FEATURE_GROUP_WORD;
const CHAR = FEATURE_GROUP_CHAR;
const LEXICON = FEATURE_GROUP_LEXICON;
const META = FEATURE_GROUP_META;
const G = FEATURE_GROUPS;
const NAME = NAME_HASH;

/**
 * An open-addressing table from feature bucket to weights. Each slot is `stride` int32s: the
 * bucket + 1 (0 = empty), then the quantised weights packed four int8s to an int32, so a lookup
 * touches one cache line: on a busy server, memory latency, not arithmetic, is the cost.
 *
 * In front of it, one bit per value of a bucket's low FILTER_BITS bits, set if a bucket of the
 * model has them: a clear bit means the bucket is not in the table. About 70 of a comment's
 * ~100 probes are for features the model does not have, and the first read of the table (1 MB)
 * was over a quarter of the scorer's time; the filter (64 KB) stays in a core's own cache, and
 * with 50,000 features ~9% of its bits are set, so it turns away ~90% of those probes.
 */
interface Table {
  mask: number;
  stride: number;
  cells: Int32Array;
  filter: Int32Array;
}

const FILTER_BITS = 19;
const FILTER_MASK = (1 << (FILTER_BITS - 5)) - 1;

function buildTable(keys: Uint32Array, weights: Int8Array, heads: number): Table {
  let size = 1;
  // At most ~70% full: a miss (most character n-grams) still ends within a probe or two.
  while (size * 0.7 < keys.length) size <<= 1;
  const stride = 1 + Math.ceil(heads / 4);
  const cells = new Int32Array(size * stride);
  const mask = size - 1;
  const filter = new Int32Array(FILTER_MASK + 1);
  for (let k = 0; k < keys.length; k++) {
    let s = keys[k] & mask;
    while (cells[s * stride] !== 0) s = (s + 1) & mask;
    cells[s * stride] = keys[k] + 1;
    for (let h = 0; h < heads; h++) {
      cells[s * stride + 1 + (h >> 2)] |= (weights[k * heads + h] & 0xff) << ((h & 3) * 8);
    }
    filter[(keys[k] >>> 5) & FILTER_MASK] |= 1 << (keys[k] & 31);
  }
  return { mask, stride, cells, filter };
}

/** The cell offset of a feature bucket's slot, or -1 if the model pruned it (or never saw it). */
function find(table: Table, id: number): number {
  if ((table.filter[(id >>> 5) & FILTER_MASK] & (1 << (id & 31))) === 0) return -1;
  const { mask, stride, cells } = table;
  const want = (id + 1) | 0;
  let s = id & mask;
  let at = cells[s * stride];
  while (at !== want) {
    if (at === 0) return -1;
    s = (s + 1) & mask;
    at = cells[s * stride];
  }
  return s * stride;
}

/** Head h's quantised weight in the slot at cell offset c. */
function weightAt(cells: Int32Array, c: number, h: number): number {
  return (cells[c + 1 + (h >> 2)] << (24 - (h & 3) * 8)) >> 24;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Builds a scorer from a parsed (or raw) model. Validates the file and its arrays once, here,
 * so scoring never meets a malformed model. Pure: the caller reads the file.
 */
export function createClassifier(raw: ClassifierModel | unknown, options: ClassifierOptions = {}): Classifier {
  const model = ClassifierModelSchema.parse(raw);
  const topK = options.topK ?? 3;
  const memoCap = options.memoWords ?? 20_000;
  const H = model.heads.length;
  const keys = bytesToUint32(decodeBase64(model.keys));
  const wBytes = decodeBase64(model.weights);
  if (wBytes.length !== keys.length * H) {
    throw new Error(`classifier model: ${wBytes.length} weights for ${keys.length} features x ${H} heads`);
  }
  for (let k = 1; k < keys.length; k++) {
    if (keys[k] <= keys[k - 1]) throw new Error('classifier model: feature keys must be strictly ascending');
  }
  const weights = new Int8Array(wBytes.buffer, wBytes.byteOffset, wBytes.length);
  const table = buildTable(keys, weights, H);
  const names: NameSet = new Set(bytesToUint32(decodeBase64(model.names)));
  const cfg = model.features;
  // Order the model's heads as HEADS so results are keyed the same whatever the file's order.
  const order = HEADS.map((name) => model.heads.findIndex((h) => h.name === name));
  const bias = new Float64Array(H);
  const scale = new Float64Array(H);
  const calA = new Float64Array(H);
  const calB = new Float64Array(H);
  const logOdds = (p: number) => Math.log(p / (1 - p));
  model.heads.forEach((h, i) => {
    bias[i] = h.bias;
    scale[i] = h.scale;
    calA[i] = h.calibration.a;
    calB[i] = h.calibration.b;
    const rate = options.baseRates?.[h.name];
    if (rate !== undefined) {
      if (!(rate > 0 && rate < 1)) throw new Error(`classifier: base rate for ${h.name} must be in (0, 1)`);
      if (!(h.baseRate > 0 && h.baseRate < 1)) throw new Error(`classifier: the model has no base rate for ${h.name}`);
      calB[i] += logOdds(rate) - logOdds(h.baseRate);
    }
  });

  const words = new FeatureBuffer();
  words.setScales(cfg);
  const groupScale = words.scaleOf;
  const grams = new FeatureBuffer(256);
  // Per head, the comment's logit (less the bias) and each token's share of it: every group's
  // normalisation is known before the first lookup, so shares are summed as final numbers.
  const sums = new Float64Array(H);
  let perToken = new Float64Array(256 * H);
  const factor = new Float64Array(G * H);
  const topIdx = new Int32Array(Math.max(1, topK));
  const topW = new Float64Array(Math.max(1, topK));

  // Everything a word or tag contributes by itself is a pure function of its text: its hash
  // (or the name placeholder), its unigram's and character n-grams' weight sums per head, and
  // how many n-grams it has. Most words of a comment are common ones, so remembering this per
  // word skips nearly all hashing and probing. Bounded (cleared when a comment would overflow
  // it), and results never depend on it. Entry layout: hash, isName, n-gram count, H unigram
  // sums, H n-gram sums.
  const STRIDE = 3 + 2 * H;
  const memoIndex = new Map<string, number>();
  let memoGen = ++memoGenerations;
  const memo = new Int32Array(Math.max(1, memoCap) * STRIDE);
  let scratch = new Int32Array(256 * STRIDE);
  let entries = new Int32Array(256);

  /** Computes word or tag `tok`'s entry into store[base..]. */
  function computeEntry(tok: Token, from: number, store: Int32Array, base: number): void {
    const h = tokenHash(tok, names);
    const name = h === NAME;
    store[base] = h | 0;
    store[base + 1] = name ? 1 : 0;
    store[base + 2] = name ? 0 : charGramCount(tok.text.length - from, cfg);
    store.fill(0, base + 3, base + STRIDE);
    if (name) return;
    const cells = table.cells;
    const u = find(table, textUnigram(tok.text, from, cfg));
    if (u >= 0) for (let k = 0; k < H; k++) store[base + 3 + k] = weightAt(cells, u, k);
    if (cfg.charMax === 0) return;
    grams.reset();
    charFeatures(tok.text, from, 0, cfg, grams);
    const { ids, count } = grams;
    for (let i = 0; i < count; i++) {
      const c = find(table, ids[i]);
      if (c < 0) continue;
      for (let k = 0; k < H; k++) store[base + 3 + H + k] += weightAt(cells, c, k);
    }
  }

  function score(tokens: readonly Token[], opts: ScoreOptions = {}): ClassifierScore {
    const T = tokens.length;
    if (perToken.length < T * H) perToken = new Float64Array(T * H * 2);
    else perToken.fill(0, 0, T * H);
    if (entries.length < T) entries = new Int32Array(T * 2);
    sums.fill(0);
    // Entries are read back after the counts are known, so none may be evicted meanwhile: clear
    // the memo up front if this comment could overflow it, or do without for a huge comment.
    const useMemo = memoCap >= T && memoCap > 0;
    if (useMemo && memoIndex.size + T > memoCap) {
      memoIndex.clear();
      memoGen = ++memoGenerations;
    }
    const slots = useMemo ? opts.slots : undefined;
    if (!useMemo && scratch.length < T * STRIDE) scratch = new Int32Array(T * STRIDE * 2);
    const store = useMemo ? memo : scratch;

    // Per token: its hash and name flag (from the memo for words and tags), and the counts that
    // set each group's normalisation.
    words.reset();
    words.ensureTokens(T);
    const { hashes, isName } = words;
    let textWords = 0;
    let charCount = 0;
    for (let t = 0; t < T; t++) {
      const tok = tokens[t];
      const from = charGramsFrom(tok);
      if (from < 0) {
        hashes[t] = tokenHash(tok, names);
        isName[t] = 0;
        entries[t] = -1;
        continue;
      }
      let e: number | undefined;
      const slot = slots?.[t];
      if (slot !== undefined && slot.memoGen === memoGen) {
        e = slot.memoEntry;
      } else if (useMemo) {
        e = memoIndex.get(tok.text);
        if (e === undefined) {
          e = memoIndex.size;
          memoIndex.set(tok.text, e);
          computeEntry(tok, from, store, e * STRIDE);
        }
        if (slot !== undefined) {
          slot.memoGen = memoGen;
          slot.memoEntry = e;
        }
      } else {
        e = t;
        computeEntry(tok, from, store, e * STRIDE);
      }
      entries[t] = e;
      const base = e * STRIDE;
      hashes[t] = store[base] >>> 0;
      isName[t] = store[base + 1];
      if (isName[t] === 0) {
        textWords++;
        charCount += store[base + 2];
      }
    }
    wordFeatures(tokens, cfg, words, opts.hits, true);
    const wordCount = words.groupCount[WORD] + textWords;
    // FeatureBuffer.norm's normalisation, times the head's dequantisation scale.
    for (let h = 0; h < H; h++) {
      factor[WORD * H + h] = wordCount > 0 ? (scale[h] * groupScale[WORD]) / Math.sqrt(wordCount) : 0;
      factor[LEXICON * H + h] = scale[h] * words.norm(LEXICON);
      factor[META * H + h] = scale[h] * words.norm(META);
      factor[CHAR * H + h] = charCount > 0 ? (scale[h] * groupScale[CHAR]) / Math.sqrt(charCount) : 0;
    }

    const { ids, tokA, tokB, group, count } = words;
    const cells = table.cells;
    for (let i = 0; i < count; i++) {
      const c = find(table, ids[i]);
      if (c < 0) continue;
      const f = group[i] * H;
      const a = tokA[i] * H;
      const b = tokB[i];
      if (a < 0) {
        // A feature of the whole comment (register): it moves the score, but names no word.
        for (let h = 0; h < H; h++) sums[h] += weightAt(cells, c, h) * factor[f + h];
      } else if (b < 0) {
        for (let h = 0; h < H; h++) {
          const v = weightAt(cells, c, h) * factor[f + h];
          sums[h] += v;
          perToken[a + h] += v;
        }
      } else {
        // A bigram's weight is shared by its two words.
        const bb = b * H;
        for (let h = 0; h < H; h++) {
          const v = weightAt(cells, c, h) * factor[f + h];
          sums[h] += v;
          perToken[a + h] += 0.5 * v;
          perToken[bb + h] += 0.5 * v;
        }
      }
    }
    // Words' and tags' own unigrams and n-grams, from their entries.
    const fw = WORD * H;
    const fc = CHAR * H;
    for (let t = 0; t < T; t++) {
      if (entries[t] < 0 || isName[t] === 1) continue;
      const base = entries[t] * STRIDE + 3;
      const a = t * H;
      for (let h = 0; h < H; h++) {
        const v = store[base + h] * factor[fw + h] + store[base + H + h] * factor[fc + h];
        sums[h] += v;
        perToken[a + h] += v;
      }
    }

    const heads = {} as Record<Head, number>;
    const top = {} as Record<Head, ClassifierEvidence[]>;
    for (let j = 0; j < HEADS.length; j++) {
      const h = order[j];
      const logit = bias[h] + sums[h];
      const p = sigmoid(calA[h] * logit + calB[h]);
      heads[HEADS[j]] = p;
      const at = opts.explainAt?.[HEADS[j]];
      top[HEADS[j]] = at === undefined || p >= at ? topTokens(tokens, T, h, opts.text) : [];
    }
    return { heads, top };
  }

  function topTokens(tokens: readonly Token[], T: number, h: number, text: string | undefined): ClassifierEvidence[] {
    if (topK <= 0) return [];
    // A handful of slots kept sorted by insertion; sorting every token would allocate.
    let n = 0;
    for (let t = 0; t < T; t++) {
      const c = perToken[t * H + h];
      if (c <= 0 || (n === topK && c <= topW[n - 1])) continue;
      let at = n < topK ? n++ : n - 1;
      while (at > 0 && topW[at - 1] < c) {
        topW[at] = topW[at - 1];
        topIdx[at] = topIdx[at - 1];
        at--;
      }
      topW[at] = c;
      topIdx[at] = t;
    }
    const out: ClassifierEvidence[] = [];
    for (let i = 0; i < n; i++) {
      const tok = tokens[topIdx[i]];
      const e: ClassifierEvidence = { start: tok.start, end: tok.end, weight: topW[i] };
      if (text !== undefined) e.text = text.slice(tok.start, tok.end);
      out.push(e);
    }
    return out;
  }

  return { heads: HEADS, score };
}
