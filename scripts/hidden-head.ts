// Experimental, for scripts/train-search.ts only (never shipped): a wide-and-deep head. Its
// logit is the linear model's plus a small hidden layer over the same hashed features:
//   z = b + Σ v_i w_i + Σ_j u_j tanh(c_j + Σ_i v_i E[i][j])
// fastText's hidden layer is linear (a low-rank linear model); the tanh is what could add. Tried
// on 2026-12-06 for the offensive head: no gain over the same loop without hidden units, and it
// flags news prose (docs/CLASSIFIER.md). Float weights, no pruning: enough to measure, not to ship.
import type { Token } from '../src/engine/normalize/tokenize';
import { extractFeatures, FeatureBuffer, type FeatureConfig, type LexiconHit, type NameSet } from '../src/engine/classifier/features';
import { type Head, HEADS } from '../src/engine/classifier/model';
import { buildMatrix, calibrationRows, findNames, fitPlatt, headData, isHoldout, type Matrix, mulberry32, type PreparedRow, shuffle, type TrainOptions } from '../src/engine/classifier/train';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export interface HiddenOptions {
  width: number;
  epochs: number;
  learningRate: number;
  /** Learning rate of the embeddings and output layer. */
  hiddenRate: number;
  l2: number;
  /** Uniform init range of the embeddings. */
  init: number;
  /** Linear part on (wide and deep) or off (deep only). */
  wide: boolean;
  /**
   * Shuffle with the linear trainer's seed for this head: with width 0 the head is then exactly
   * the shipped linear head before pruning and Int8 quantisation.
   */
  sameOrderAsLinear?: boolean;
  /** More features of a text, beside extractFeatures' (scripts/clusters.ts), bucket ids < 2^bits. */
  extra?: ExtraFeatures;
}

export type ExtraFeatures = (tokens: readonly Token[], names: NameSet) => { ids: number[]; vals: number[] };

/** A matrix with each row's extra features added (duplicates summed), ids ascending. */
function withExtra(prepared: readonly PreparedRow[], m: Matrix, names: NameSet, extra: ExtraFeatures): Matrix {
  const start = new Int32Array(prepared.length + 1);
  const ids: number[] = [];
  const vals: number[] = [];
  for (let r = 0; r < prepared.length; r++) {
    const acc = new Map<number, number>();
    for (let i = m.start[r]; i < m.start[r + 1]; i++) acc.set(m.ids[i], m.vals[i]);
    const x = extra(prepared[r].tokens, names);
    for (let i = 0; i < x.ids.length; i++) acc.set(x.ids[i], (acc.get(x.ids[i]) ?? 0) + x.vals[i]);
    for (const id of [...acc.keys()].sort((a, b) => a - b)) {
      ids.push(id);
      vals.push(acc.get(id)!);
    }
    start[r + 1] = ids.length;
  }
  return { start, ids: Uint32Array.from(ids), vals: Float32Array.from(vals) };
}

export interface HiddenHead {
  cfg: FeatureConfig;
  names: NameSet;
  width: number;
  w: Float64Array;
  b: number;
  E: Float32Array;
  c: Float64Array;
  u: Float64Array;
  cal: { a: number; b: number };
  extra?: ExtraFeatures;
}

/** The raw logit of the hidden head for one row's features (ids and values). */
export function hiddenLogit(model: HiddenHead, ids: ArrayLike<number>, vals: ArrayLike<number>, n: number, e: Float64Array = new Float64Array(model.width)): number {
  const d = model.width;
  let z = model.b;
  for (let j = 0; j < d; j++) e[j] = model.c[j];
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    const v = vals[i];
    z += model.w[id] * v;
    const o = id * d;
    for (let j = 0; j < d; j++) e[j] += v * model.E[o + j];
  }
  for (let j = 0; j < d; j++) z += model.u[j] * Math.tanh(e[j]);
  return z;
}

export function trainHiddenHead(prepared: readonly PreparedRow[], options: TrainOptions, head: Head, ho: HiddenOptions): HiddenHead {
  const cfg = options.features;
  const dim = 2 ** cfg.bits;
  const d = ho.width;
  const names = new Set(findNames(prepared, options.names));
  const m0 = buildMatrix(prepared, cfg, names);
  const m = ho.extra === undefined ? m0 : withExtra(prepared, m0, names, ho.extra);
  const held = prepared.map((p) => isHoldout(p.row.id, options.holdoutFraction, options.seed));
  const data = headData(prepared, head, (r) => !held[r], options.datasetWeights[head]);
  const headSeed = ho.sameOrderAsLinear === true ? options.seed + 7919 * (HEADS.indexOf(head) + 1) : options.seed + 31337;
  const rand = mulberry32(headSeed + (options.shuffleSeed ?? 0));
  const w = new Float64Array(dim);
  const gw = new Float64Array(dim);
  const E = new Float32Array(dim * d);
  for (let i = 0; i < E.length; i++) E[i] = (rand() * 2 - 1) * ho.init;
  const gE = new Float32Array(dim);
  const c = new Float64Array(d);
  const gc = new Float64Array(d);
  const u = new Float64Array(d);
  for (let j = 0; j < d; j++) u[j] = (rand() * 2 - 1) * 0.1;
  const gu = new Float64Array(d);
  let b = 0;
  let gb = 0;
  const e = new Float64Array(d);
  const t = new Float64Array(d);
  const back = new Float64Array(d);
  const order = Int32Array.from(data.rows.keys());
  const model: HiddenHead = { cfg, names, width: d, w, b, E, c, u, cal: { a: 1, b: 0 }, extra: ho.extra };
  for (let epoch = 0; epoch < ho.epochs; epoch++) {
    shuffle(order, rand);
    for (let k = 0; k < order.length; k++) {
      const ex = order[k];
      const r = data.rows[ex];
      const from = m.start[r];
      const to = m.start[r + 1];
      model.b = b;
      let z = b;
      for (let j = 0; j < d; j++) e[j] = c[j];
      for (let i = from; i < to; i++) {
        const id = m.ids[i];
        const v = m.vals[i];
        if (ho.wide) z += w[id] * v;
        const o = id * d;
        for (let j = 0; j < d; j++) e[j] += v * E[o + j];
      }
      for (let j = 0; j < d; j++) {
        t[j] = Math.tanh(e[j]);
        z += u[j] * t[j];
      }
      const g = (sigmoid(z) - data.y[ex]) * data.weight[ex];
      for (let j = 0; j < d; j++) back[j] = g * u[j] * (1 - t[j] * t[j]);
      for (let j = 0; j < d; j++) {
        const gr = g * t[j];
        gu[j] += gr * gr;
        u[j] -= (ho.hiddenRate * gr) / (Math.sqrt(gu[j]) + 1e-12);
        gc[j] += back[j] * back[j];
        c[j] -= (ho.hiddenRate * back[j]) / (Math.sqrt(gc[j]) + 1e-12);
      }
      for (let i = from; i < to; i++) {
        const id = m.ids[i];
        const v = m.vals[i];
        if (ho.wide) {
          const grad = g * v + ho.l2 * w[id];
          gw[id] += grad * grad;
          w[id] -= (ho.learningRate * grad) / (Math.sqrt(gw[id]) + 1e-12);
        }
        const o = id * d;
        let sq = 0;
        for (let j = 0; j < d; j++) {
          const gr = back[j] * v + ho.l2 * E[o + j];
          sq += gr * gr;
        }
        gE[id] += sq / d;
        const step = ho.hiddenRate / (Math.sqrt(gE[id]) + 1e-12);
        for (let j = 0; j < d; j++) E[o + j] -= step * (back[j] * v + ho.l2 * E[o + j]);
      }
      gb += g * g;
      b -= (ho.learningRate * g) / (Math.sqrt(gb) + 1e-12);
    }
  }
  model.b = b;
  // Platt on held-out rows of data sets that say both yes and no.
  const hd = headData(prepared, head, (r) => held[r], options.datasetWeights[head]);
  const zs: number[] = [];
  const ys: number[] = [];
  for (const k of calibrationRows(prepared, hd)) {
    const r = hd.rows[k];
    zs.push(hiddenLogit(model, m.ids.subarray(m.start[r], m.start[r + 1]), m.vals.subarray(m.start[r], m.start[r + 1]), m.start[r + 1] - m.start[r]));
    ys.push(hd.y[k]);
  }
  model.cal = fitPlatt(zs, ys);
  return model;
}

/** Scores a text's features with a hidden head, as buildMatrix would compute them. */
export function hiddenScore(model: HiddenHead, tokens: readonly Token[], hits: readonly LexiconHit[]): number {
  const buf = new FeatureBuffer();
  extractFeatures(tokens, model.cfg, buf, hits, model.names);
  const acc = new Map<number, number>();
  for (let i = 0; i < buf.count; i++) acc.set(buf.ids[i], (acc.get(buf.ids[i]) ?? 0) + buf.norm(buf.group[i]));
  if (model.extra !== undefined) {
    const x = model.extra(tokens, model.names);
    for (let i = 0; i < x.ids.length; i++) acc.set(x.ids[i], (acc.get(x.ids[i]) ?? 0) + x.vals[i]);
  }
  const ids = [...acc.keys()];
  const vals = ids.map((k) => acc.get(k)!);
  const z = hiddenLogit(model, ids, vals, ids.length);
  return sigmoid(model.cal.a * z + model.cal.b);
}
