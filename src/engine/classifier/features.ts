import type { Token } from '../normalize/tokenize';

/**
 * How text becomes features. Stored in the model file, because the weights only mean something
 * under the exact extraction they were trained with.
 */
export interface FeatureConfig {
  /** Features are hashed into 2^bits buckets. */
  bits: number;
  /** Adjacent-token pairs: "you idiot" says more than "you" and "idiot" apart. */
  bigrams: boolean;
  /** Character n-grams inside words, charMin..charMax long; charMax 0 turns them off. */
  charMin: number;
  charMax: number;
  /** Also count the tokenizer's alternative readings (sh1t → shit) as words. */
  variants: boolean;
}

export const FEATURE_GROUP_WORD = 0;
export const FEATURE_GROUP_CHAR = 1;

/**
 * A reusable, growable buffer of the features of one text. Scoring runs once per comment on a
 * hot path, so it reuses typed arrays instead of allocating an object per feature.
 */
export class FeatureBuffer {
  count = 0;
  wordCount = 0;
  charCount = 0;
  ids: Uint32Array;
  /** The token the feature came from; a bigram also names its second token in `tokB`. */
  tokA: Int32Array;
  tokB: Int32Array;
  group: Uint8Array;

  constructor(capacity = 2048) {
    this.ids = new Uint32Array(capacity);
    this.tokA = new Int32Array(capacity);
    this.tokB = new Int32Array(capacity);
    this.group = new Uint8Array(capacity);
  }

  reset(): void {
    this.count = 0;
    this.wordCount = 0;
    this.charCount = 0;
  }

  push(id: number, tokA: number, tokB: number, group: number): void {
    if (this.count === this.ids.length) this.grow();
    const i = this.count++;
    this.ids[i] = id;
    this.tokA[i] = tokA;
    this.tokB[i] = tokB;
    this.group[i] = group;
    if (group === FEATURE_GROUP_WORD) this.wordCount++;
    else this.charCount++;
  }

  private grow(): void {
    const n = this.ids.length * 2;
    const ids = new Uint32Array(n);
    ids.set(this.ids);
    const a = new Int32Array(n);
    a.set(this.tokA);
    const b = new Int32Array(n);
    b.set(this.tokB);
    const g = new Uint8Array(n);
    g.set(this.group);
    this.ids = ids;
    this.tokA = a;
    this.tokB = b;
    this.group = g;
  }

  /**
   * The value of one occurrence of a feature of `group`. Dividing by the square root of the
   * group's size keeps a long comment from scoring high just by having many words, and keeps the
   * many character n-grams from drowning out the few word features.
   */
  norm(group: number): number {
    const n = group === FEATURE_GROUP_WORD ? this.wordCount : this.charCount;
    return n > 0 ? 1 / Math.sqrt(n) : 0;
  }
}

// Distinct seeds per namespace, so the word "ab" and the character bigram "ab" never share a
// bucket by construction (only by chance).
const FNV_PRIME = 0x01000193;
const SEED_WORD = 0x811c9dc5;
const SEED_CHAR = 0x050c5d1f;
const NS_UNIGRAM = 0x2f6b1e3d;
const NS_BIGRAM = 0x6a09e667;
const NS_CHAR = 0x3c6ef372;
const PLACEHOLDER_URL = 0x1b873593;
const PLACEHOLDER_MENTION = 0x5be0cd19;
const PLACEHOLDER_EMAIL = 0x510e527f;
// Code units that cannot occur in token text, standing for the start and end of a word.
const WORD_START = 0x02;
const WORD_END = 0x03;

/** murmur3's finaliser: FNV alone leaves the low bits (the bucket) poorly mixed. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(s: string, from: number, seed: number): number {
  let h = seed;
  for (let i = from; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** The hash a token contributes as a word; links and mentions are placeholders, not vocabulary. */
function tokenHash(t: Token): number {
  switch (t.kind) {
    case 'word':
      return hashString(t.text, 0, SEED_WORD);
    // #idiot reads as the word idiot: tags are how tweets say words.
    case 'hashtag':
      return hashString(t.text, 1, SEED_WORD);
    case 'url':
      return PLACEHOLDER_URL;
    case 'mention':
      return PLACEHOLDER_MENTION;
    default:
      return PLACEHOLDER_EMAIL;
  }
}

function charGrams(out: FeatureBuffer, text: string, from: number, tok: number, cfg: FeatureConfig, mask: number): void {
  // Positions 0 and len+1 of the virtual string are the word boundaries, so "^id" and "ot$" are
  // features of their own: prefixes and suffixes carry most of a word's meaning.
  const len = text.length - from + 2;
  const max = cfg.charMax;
  const min = cfg.charMin;
  for (let i = 0; i < len; i++) {
    let h = SEED_CHAR;
    const stop = i + max < len ? i + max : len;
    for (let j = i; j < stop; j++) {
      const c = j === 0 ? WORD_START : j === len - 1 ? WORD_END : text.charCodeAt(from + j - 1);
      h = Math.imul(h ^ c, FNV_PRIME);
      const n = j - i + 1;
      if (n >= min) out.push(mix32(h ^ Math.imul(n, NS_CHAR)) & mask, tok, -1, FEATURE_GROUP_CHAR);
    }
  }
}

/**
 * Fills `out` with the features of `tokens`. Training and scoring both call this, on tokens from
 * the engine's own tokenizer, so a model reads a comment exactly as it was taught to.
 */
export function extractFeatures(tokens: readonly Token[], cfg: FeatureConfig, out: FeatureBuffer): void {
  out.reset();
  const mask = cfg.bits >= 32 ? 0xffffffff : (1 << cfg.bits) - 1;
  let prev = 0;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    const h = tokenHash(tok);
    out.push((mix32(h ^ NS_UNIGRAM) & mask) >>> 0, t, -1, FEATURE_GROUP_WORD);
    if (cfg.variants && tok.kind === 'word') {
      for (let v = 0; v < tok.variants.length; v++) {
        out.push((mix32(hashString(tok.variants[v], 0, SEED_WORD) ^ NS_UNIGRAM) & mask) >>> 0, t, -1, FEATURE_GROUP_WORD);
      }
    }
    if (cfg.bigrams && t > 0) {
      out.push((mix32(Math.imul(prev, 0x9e3779b1) ^ h ^ NS_BIGRAM) & mask) >>> 0, t - 1, t, FEATURE_GROUP_WORD);
    }
    if (cfg.charMax > 0 && (tok.kind === 'word' || tok.kind === 'hashtag')) {
      charGrams(out, tok.text, tok.kind === 'hashtag' ? 1 : 0, t, cfg, mask);
    }
    prev = h;
  }
}
