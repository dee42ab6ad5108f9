import type { Token } from '../normalize/tokenize';
import { bytesToUint32, decodeBase64 } from './codec';
import { extractFeatures, FEATURE_GROUP_WORD, FeatureBuffer } from './features';
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
  /** Per head, the tokens that raised the score most, strongest first; empty if none did. */
  top: Record<Head, ClassifierEvidence[]>;
}

export interface ScoreOptions {
  /** The comment the tokens came from; fills `text` in the evidence. */
  text?: string;
}

export interface Classifier {
  readonly heads: readonly Head[];
  score(tokens: readonly Token[], options?: ScoreOptions): ClassifierScore;
}

export interface ClassifierOptions {
  /** How many tokens `top` names per head. */
  topK?: number;
}

/** An open-addressing table from feature bucket to slot; weights live at the slot, no indirection. */
interface Table {
  mask: number;
  keys: Uint32Array;
  used: Uint8Array;
  /** Quantised weights, slot-major: q[slot * heads + head]. */
  q: Int8Array;
}

function buildTable(keys: Uint32Array, weights: Int8Array, heads: number): Table {
  let size = 1;
  // Half full at most, so a miss (most character n-grams) ends after a probe or two.
  while (size < keys.length * 2) size <<= 1;
  const mask = size - 1;
  const table: Table = { mask, keys: new Uint32Array(size), used: new Uint8Array(size), q: new Int8Array(size * heads) };
  for (let k = 0; k < keys.length; k++) {
    let s = keys[k] & mask;
    while (table.used[s] === 1) s = (s + 1) & mask;
    table.used[s] = 1;
    table.keys[s] = keys[k];
    for (let h = 0; h < heads; h++) table.q[s * heads + h] = weights[k * heads + h];
  }
  return table;
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
  const cfg = model.features;
  // Order the model's heads as HEADS so results are keyed the same whatever the file's order.
  const order = HEADS.map((name) => model.heads.findIndex((h) => h.name === name));
  const bias = new Float64Array(H);
  const scale = new Float64Array(H);
  const calA = new Float64Array(H);
  const calB = new Float64Array(H);
  model.heads.forEach((h, i) => {
    bias[i] = h.bias;
    scale[i] = h.scale;
    calA[i] = h.calibration.a;
    calB[i] = h.calibration.b;
  });

  const features = new FeatureBuffer();
  // Integer sums of quantised weights per head and group; doubled for words so a bigram can give
  // each of its two tokens half without leaving integers.
  let tokWord = new Int32Array(256 * H);
  let tokChar = new Int32Array(256 * H);
  const sumWord = new Int32Array(H);
  const sumChar = new Int32Array(H);

  function score(tokens: readonly Token[], opts: ScoreOptions = {}): ClassifierScore {
    extractFeatures(tokens, cfg, features);
    const T = tokens.length;
    if (tokWord.length < T * H) {
      tokWord = new Int32Array(T * H * 2);
      tokChar = new Int32Array(T * H * 2);
    } else {
      tokWord.fill(0, 0, T * H);
      tokChar.fill(0, 0, T * H);
    }
    sumWord.fill(0);
    sumChar.fill(0);
    const { ids, tokA, tokB, group, count } = features;
    const { mask, keys: tkeys, used, q } = table;
    for (let i = 0; i < count; i++) {
      const id = ids[i];
      let s = id & mask;
      while (used[s] === 1 && tkeys[s] !== id) s = (s + 1) & mask;
      if (used[s] === 0) continue;
      const base = s * H;
      const a = tokA[i] * H;
      if (group[i] === FEATURE_GROUP_WORD) {
        const b = tokB[i];
        for (let h = 0; h < H; h++) {
          const w = q[base + h];
          sumWord[h] += w;
          if (b < 0) tokWord[a + h] += 2 * w;
          else {
            tokWord[a + h] += w;
            tokWord[b * H + h] += w;
          }
        }
      } else {
        for (let h = 0; h < H; h++) {
          const w = q[base + h];
          sumChar[h] += w;
          tokChar[a + h] += w;
        }
      }
    }
    const nw = features.norm(FEATURE_GROUP_WORD);
    const nc = features.norm(1);
    const heads = {} as Record<Head, number>;
    const top = {} as Record<Head, ClassifierEvidence[]>;
    for (let j = 0; j < HEADS.length; j++) {
      const h = order[j];
      const logit = bias[h] + scale[h] * (nw * sumWord[h] + nc * sumChar[h]);
      heads[HEADS[j]] = sigmoid(calA[h] * logit + calB[h]);
      top[HEADS[j]] = topTokens(tokens, h, opts.text);
    }
    return { heads, top };
  }

  function topTokens(tokens: readonly Token[], h: number, text: string | undefined): ClassifierEvidence[] {
    const nw = features.norm(FEATURE_GROUP_WORD) * 0.5 * scale[h];
    const nc = features.norm(1) * scale[h];
    // Insertion into a tiny sorted list: topK is a handful, a sort of all tokens would allocate.
    const best: number[] = [];
    for (let t = 0; t < tokens.length; t++) {
      const c = nw * tokWord[t * H + h] + nc * tokChar[t * H + h];
      if (c <= 0) continue;
      if (best.length === topK && c <= tokenContribution(best[best.length - 1], h, nw, nc)) continue;
      let at = best.length;
      while (at > 0 && tokenContribution(best[at - 1], h, nw, nc) < c) at--;
      best.splice(at, 0, t);
      if (best.length > topK) best.pop();
    }
    return best.map((t) => {
      const tok = tokens[t];
      const e: ClassifierEvidence = { start: tok.start, end: tok.end, weight: tokenContribution(t, h, nw, nc) };
      if (text !== undefined) e.text = text.slice(tok.start, tok.end);
      return e;
    });
  }

  function tokenContribution(t: number, h: number, nw: number, nc: number): number {
    return nw * tokWord[t * H + h] + nc * tokChar[t * H + h];
  }

  return { heads: HEADS, score };
}
