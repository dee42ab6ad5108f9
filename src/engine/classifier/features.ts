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
  /**
   * Lexicon hits (category and severity of a policy term found in a word) as features: the
   * lexicons know rare and obfuscated words that a few thousand tweets never show the model.
   */
  lexicon: boolean;
  /**
   * Register features of the whole comment, from its tokens: how long it is, how many sentences,
   * mentions, links and tags it has, how many of its words are capitalised or shouted. A tweet
   * aimed at @someone reads differently from a sentence of reporting full of names; without
   * these the model knows a text only by its words. Absent (older models): off.
   */
  meta?: boolean;
  /**
   * A multiplier per feature group (word, char, lexicon, meta), on top of the 1/√n
   * normalisation: how loudly each kind of evidence speaks before training weighs it. Absent: 1.
   */
  groupScale?: number[];
  /** Three adjacent tokens ("you are pathetic"); absent: off. */
  trigrams?: boolean;
}

/**
 * A policy term found in a token, as the engine's analysis reports it (structurally its
 * `TermHit`), so the engine can hand over `analysis.hits` unchanged.
 */
export interface LexiconHit {
  token: Token;
  term: { category: string; severity: string };
}

/**
 * Hashes (nameHash) of words that are proper names in the training text. A name stands for its
 * topic, not for its tone: OLID's annotators saw many insults aimed at Trump, and a model that
 * learns "Trump" as offensive flags every news sentence about him. Names therefore share one
 * placeholder feature and contribute no character n-grams.
 */
export type NameSet = ReadonlySet<number>;

const NO_NAMES: NameSet = new Set<number>();

export const FEATURE_GROUP_WORD = 0;
export const FEATURE_GROUP_CHAR = 1;
export const FEATURE_GROUP_LEXICON = 2;
export const FEATURE_GROUP_META = 3;
export const FEATURE_GROUPS = 4;

/**
 * A reusable, growable buffer of the features of one text. Scoring runs once per comment on a
 * hot path, so it reuses typed arrays instead of allocating an object per feature.
 */
export class FeatureBuffer {
  count = 0;
  /** Features per group, for the per-group normalisation. */
  readonly groupCount = new Int32Array(FEATURE_GROUPS);
  ids: Uint32Array;
  /** The token the feature came from; a bigram also names its second token in `tokB`. */
  tokA: Int32Array;
  tokB: Int32Array;
  group: Uint8Array;
  /** Per token: its word hash (after name substitution), as readTokens or the scorer set it. */
  hashes = new Uint32Array(256);
  /** Per token: 1 if it was read as a name. */
  isName = new Uint8Array(256);

  constructor(capacity = 2048) {
    this.ids = new Uint32Array(capacity);
    this.tokA = new Int32Array(capacity);
    this.tokB = new Int32Array(capacity);
    this.group = new Uint8Array(capacity);
  }

  reset(): void {
    this.count = 0;
    this.groupCount.fill(0);
  }

  /** Room for the per-token arrays of `n` tokens. */
  ensureTokens(n: number): void {
    if (this.isName.length < n) {
      this.isName = new Uint8Array(n * 2);
      this.hashes = new Uint32Array(n * 2);
    }
  }

  push(id: number, tokA: number, tokB: number, group: number): void {
    if (this.count === this.ids.length) this.grow();
    const i = this.count++;
    this.ids[i] = id;
    this.tokA[i] = tokA;
    this.tokB[i] = tokB;
    this.group[i] = group;
    this.groupCount[group]++;
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
    const n = this.groupCount[group];
    return n > 0 ? this.scaleOf[group] / Math.sqrt(n) : 0;
  }

  /** FeatureConfig.groupScale, as extractFeatures and the scorer set it for `norm`. */
  readonly scaleOf = new Float64Array(FEATURE_GROUPS).fill(1);

  setScales(cfg: FeatureConfig): void {
    for (let g = 0; g < FEATURE_GROUPS; g++) this.scaleOf[g] = cfg.groupScale?.[g] ?? 1;
  }
}

// Distinct seeds per namespace, so the word "ab" and the character bigram "ab" never share a
// bucket by construction (only by chance).
const FNV_PRIME = 0x01000193;
const SEED_WORD = 0x811c9dc5;
const SEED_CHAR = 0x050c5d1f;
const NS_UNIGRAM = 0x2f6b1e3d;
const NS_BIGRAM = 0x6a09e667;
const NS_TRIGRAM = 0x3f84d5b5;
const NS_CHAR = 0x3c6ef372;
const PLACEHOLDER_URL = 0x1b873593;
const PLACEHOLDER_MENTION = 0x5be0cd19;
const PLACEHOLDER_EMAIL = 0x510e527f;
const SEED_LEXICON = 0x1f83d9ab;
const SEED_META = 0x2b3f6c71;
/** The word hash every name is read as. */
export const NAME_HASH = 0x9b05688c;
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
function rawTokenHash(t: Token): number {
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

/** The hash by which a word (from 0) or a tag's body (from 1) is looked up in a NameSet. */
export function nameHash(text: string, from = 0): number {
  return hashString(text, from, SEED_WORD);
}

/**
 * A token's word hash, the name placeholder for a word in `names`. For words and tags a pure
 * function of the token's kind and text, so the scorer may remember it per word.
 */
export function tokenHash(t: Token, names: NameSet): number {
  const h = rawTokenHash(t);
  return t.kind === 'word' && names.size > 0 && names.has(h) ? NAME_HASH : h;
}

/** Fills `out.hashes` and `out.isName` for `tokens`, as wordFeatures expects them. */
export function readTokens(tokens: readonly Token[], names: NameSet, out: FeatureBuffer): void {
  out.ensureTokens(tokens.length);
  for (let t = 0; t < tokens.length; t++) {
    const h = tokenHash(tokens[t], names);
    out.hashes[t] = h;
    out.isName[t] = h === NAME_HASH ? 1 : 0;
  }
}

/**
 * The unigram feature of a word or tag, a pure function of its text (the scorer remembers it
 * per word); `from` as for charGramsFrom.
 */
export function textUnigram(text: string, from: number, cfg: FeatureConfig): number {
  return (mix32(hashString(text, from, SEED_WORD) ^ NS_UNIGRAM) & bucketMask(cfg)) >>> 0;
}

/** Where a token's character n-grams start in its text: after the # of a tag, nowhere for links. */
export function charGramsFrom(tok: Token): number {
  return tok.kind === 'word' ? 0 : tok.kind === 'hashtag' ? 1 : -1;
}

/**
 * The character n-grams of `text` from `from` on, as group-CHAR features of token `tok`. A pure
 * function of the text, so the scorer may remember a word's n-grams instead of rehashing them.
 */
export function charFeatures(text: string, from: number, tok: number, cfg: FeatureConfig, out: FeatureBuffer): void {
  const mask = bucketMask(cfg);
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
      if (n >= min) out.push((mix32(h ^ Math.imul(n, NS_CHAR)) & mask) >>> 0, tok, -1, FEATURE_GROUP_CHAR);
    }
  }
}

/**
 * How many n-grams charFeatures emits for a word of `length` code units: the scorer needs the
 * count before it looks anything up, and gets it without hashing.
 */
export function charGramCount(length: number, cfg: FeatureConfig): number {
  if (cfg.charMax === 0) return 0;
  const len = length + 2;
  let n = 0;
  for (let size = cfg.charMin; size <= cfg.charMax; size++) if (len >= size) n += len - size + 1;
  return n;
}

function bucketMask(cfg: FeatureConfig): number {
  return cfg.bits >= 32 ? 0xffffffff : (1 << cfg.bits) - 1;
}

/** The token a hit belongs to: by identity, else by offset (tokens are in text order). */
function tokenIndex(tokens: readonly Token[], tok: Token): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid];
    if (t === tok || (t.start === tok.start && t.end === tok.end)) return mid;
    if (t.start < tok.start || (t.start === tok.start && t.end < tok.end)) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Appends the word-level features of `tokens` to `out`: unigrams, variants, bigrams and lexicon
 * hits (if the model uses them). Expects `out.hashes` and `out.isName` filled (readTokens).
 * Does not reset `out`. With `skipTextUnigrams`, leaves out the unigrams of words and tags that
 * are not names (see textUnigram), which the scorer remembers per word instead.
 */
export function wordFeatures(
  tokens: readonly Token[],
  cfg: FeatureConfig,
  out: FeatureBuffer,
  hits: readonly LexiconHit[] = [],
  skipTextUnigrams = false,
): void {
  const mask = bucketMask(cfg);
  const { hashes, isName } = out;
  let prev = 0;
  let prev2 = 0;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    const h = hashes[t];
    const name = isName[t] === 1;
    const text = tok.kind === 'word' || tok.kind === 'hashtag';
    if (!skipTextUnigrams || name || !text) out.push((mix32(h ^ NS_UNIGRAM) & mask) >>> 0, t, -1, FEATURE_GROUP_WORD);
    if (cfg.variants && tok.kind === 'word' && !name) {
      for (let v = 0; v < tok.variants.length; v++) {
        out.push((mix32(hashString(tok.variants[v], 0, SEED_WORD) ^ NS_UNIGRAM) & mask) >>> 0, t, -1, FEATURE_GROUP_WORD);
      }
    }
    if (cfg.bigrams && t > 0) {
      out.push((mix32(Math.imul(prev, 0x9e3779b1) ^ h ^ NS_BIGRAM) & mask) >>> 0, t - 1, t, FEATURE_GROUP_WORD);
    }
    // A trigram is credited to its outer two words, half each (as a bigram to its two).
    if (cfg.trigrams === true && t > 1) {
      out.push((mix32(Math.imul(prev2, 0x85ebca6b) ^ Math.imul(prev, 0x9e3779b1) ^ h ^ NS_TRIGRAM) & mask) >>> 0, t - 2, t, FEATURE_GROUP_WORD);
    }
    prev2 = prev;
    prev = h;
  }
  if (cfg.meta === true) metaFeatures(tokens, cfg, out);
  if (!cfg.lexicon) return;
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i];
    const t = tokenIndex(tokens, hit.token);
    if (t < 0) continue;
    const c = hashString(hit.term.category, 0, SEED_LEXICON);
    out.push((mix32(c) & mask) >>> 0, t, -1, FEATURE_GROUP_LEXICON);
    // Severity refines the category: a "high" profanity says more than a "low" one.
    out.push((mix32(hashString(hit.term.severity, 0, c)) & mask) >>> 0, t, -1, FEATURE_GROUP_LEXICON);
  }
}

function bucket(x: number, edges: readonly number[]): number {
  let b = 0;
  while (b < edges.length && x >= edges[b]) b++;
  return b;
}

const LENGTH_EDGES = [2, 4, 7, 11, 16, 24, 36];
const SHARE_EDGES = [0.01, 0.1, 0.2, 0.35, 0.5];

/**
 * The register features of a comment (FeatureConfig.meta): a handful of facts about the whole
 * text, each one bucketed count or share, as group-META features that belong to no token (tokA
 * -1), so they move the score but never appear as evidence.
 */
export function metaFeatures(tokens: readonly Token[], cfg: FeatureConfig, out: FeatureBuffer): void {
  const mask = bucketMask(cfg);
  let words = 0;
  let mentions = 0;
  let links = 0;
  let tags = 0;
  let sentences = 0;
  let mid = 0;
  let capitalised = 0;
  let shouted = 0;
  let letters = 0;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    if (tok.sentenceStart) sentences++;
    switch (tok.kind) {
      case 'word':
        words++;
        letters += tok.letters;
        if (tok.letters >= 2 && tok.upper === tok.letters) shouted++;
        if (!tok.sentenceStart) {
          mid++;
          if (tok.capitalized) capitalised++;
        }
        break;
      case 'mention':
        mentions++;
        break;
      case 'hashtag':
        tags++;
        break;
      default:
        links++;
    }
  }
  const push = (kind: number, value: number) =>
    out.push((mix32(Math.imul(kind + 1, 0x9e3779b1) ^ SEED_META ^ Math.imul(value + 1, 0x85ebca6b)) & mask) >>> 0, -1, -1, FEATURE_GROUP_META);
  push(0, bucket(words, LENGTH_EDGES));
  push(1, Math.min(mentions, 3));
  push(2, Math.min(links, 2));
  push(3, Math.min(tags, 3));
  push(4, Math.min(sentences, 4));
  push(5, mid === 0 ? 9 : bucket(capitalised / mid, SHARE_EDGES));
  push(6, words === 0 ? 9 : bucket(shouted / words, SHARE_EDGES));
  push(7, words === 0 ? 0 : Math.min(9, Math.max(2, Math.round(letters / words))));
}

/**
 * Fills `out` with every feature of `tokens`. Training calls this; the scorer computes the same
 * features in two parts (wordFeatures, and charFeatures remembered per word) and a unit test
 * holds the two to the same result.
 */
export function extractFeatures(
  tokens: readonly Token[],
  cfg: FeatureConfig,
  out: FeatureBuffer,
  hits: readonly LexiconHit[] = [],
  names: NameSet = NO_NAMES,
): void {
  out.reset();
  out.setScales(cfg);
  readTokens(tokens, names, out);
  wordFeatures(tokens, cfg, out, hits);
  if (cfg.charMax === 0) return;
  for (let t = 0; t < tokens.length; t++) {
    const from = charGramsFrom(tokens[t]);
    if (from >= 0 && out.isName[t] === 0) charFeatures(tokens[t].text, from, t, cfg, out);
  }
}
