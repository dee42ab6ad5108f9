// Experimental, for scripts/train-search.ts only (never shipped): word clusters learned from the
// training texts without their labels, as extra features. Words that occur in the same contexts
// ("you are a ___") share a cluster, so an insult the labelled rows rarely show can borrow what
// its neighbours taught. Distributional vectors: positive PMI with the most frequent words in a
// window of ±2, randomly projected to 64 dimensions (seeded), then spherical k-means at a few
// granularities. Deterministic. The texts read are the TRAIN rows only, as for names.
import type { Token } from '../src/engine/normalize/tokenize';
import { mix32, type NameSet, nameHash } from '../src/engine/classifier/features';
import { mulberry32, type PreparedRow } from '../src/engine/classifier/train';
import type { ExtraFeatures } from './hidden-head';

export interface ClusterOptions {
  minCount: number;
  contexts: number;
  window: number;
  dims: number;
  /** One cluster feature per granularity, e.g. [64, 256, 1024]. */
  ks: number[];
  iterations: number;
  seed: number;
  /** The cluster features' group scale (they are normalised by 1/√(their count), like a group). */
  scale: number;
}

export const CLUSTERS: ClusterOptions = { minCount: 3, contexts: 1000, window: 2, dims: 64, ks: [64, 256, 1024], iterations: 12, seed: 20240601, scale: 1 };

/** The word a token contributes: a word's text, a tag's without its #; null for anything else. */
export function wordOf(t: Token): string | null {
  if (t.kind === 'word') return t.text;
  if (t.kind === 'hashtag') return t.text.slice(1);
  return null;
}

/** word → cluster id per granularity. */
export function learnClusters(prepared: readonly PreparedRow[], o: ClusterOptions): Map<string, Int32Array> {
  const counts = new Map<string, number>();
  for (const p of prepared) for (const t of p.tokens) {
    const w = wordOf(t);
    if (w !== null) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const vocab = [...counts.entries()].filter(([, c]) => c >= o.minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const index = new Map(vocab.map((w, i) => [w, i]));
  const C = Math.min(o.contexts, vocab.length);
  const V = vocab.length;
  const co = new Float32Array(V * C);
  for (const p of prepared) {
    const ids = p.tokens.map((t) => {
      const w = wordOf(t);
      return w === null ? -1 : (index.get(w) ?? -1);
    });
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0) continue;
      for (let j = Math.max(0, i - o.window); j <= Math.min(ids.length - 1, i + o.window); j++) {
        if (j !== i && ids[j] >= 0 && ids[j] < C) co[ids[i] * C + ids[j]]++;
      }
    }
  }
  const rowSum = new Float64Array(V);
  const colSum = new Float64Array(C);
  let total = 0;
  for (let v = 0; v < V; v++) for (let c = 0; c < C; c++) {
    const x = co[v * C + c];
    rowSum[v] += x;
    colSum[c] += x;
    total += x;
  }
  const rand = mulberry32(o.seed);
  const R = new Float32Array(C * o.dims);
  for (let i = 0; i < R.length; i++) R[i] = rand() < 0.5 ? -1 : 1;
  const X = new Float64Array(V * o.dims);
  for (let v = 0; v < V; v++) {
    const x = X.subarray(v * o.dims, (v + 1) * o.dims);
    for (let c = 0; c < C; c++) {
      const n = co[v * C + c];
      if (n === 0) continue;
      const pmi = Math.log((n * total) / (rowSum[v] * colSum[c]));
      if (pmi <= 0) continue;
      for (let d = 0; d < o.dims; d++) x[d] += pmi * R[c * o.dims + d];
    }
    let norm = 0;
    for (let d = 0; d < o.dims; d++) norm += x[d] * x[d];
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < o.dims; d++) x[d] /= norm;
  }
  const out = new Map<string, Int32Array>();
  for (const w of vocab) out.set(w, new Int32Array(o.ks.length));
  o.ks.forEach((k, g) => {
    const K = Math.min(k, V);
    // Initial centres: words spread evenly over the frequency ranking.
    const cen = new Float64Array(K * o.dims);
    for (let j = 0; j < K; j++) cen.set(X.subarray(Math.floor((j * V) / K) * o.dims, (Math.floor((j * V) / K) + 1) * o.dims), j * o.dims);
    const assign = new Int32Array(V);
    for (let it = 0; it < o.iterations; it++) {
      for (let v = 0; v < V; v++) {
        let best = 0;
        let bestS = -Infinity;
        for (let j = 0; j < K; j++) {
          let s = 0;
          for (let d = 0; d < o.dims; d++) s += X[v * o.dims + d] * cen[j * o.dims + d];
          if (s > bestS) {
            bestS = s;
            best = j;
          }
        }
        assign[v] = best;
      }
      cen.fill(0);
      for (let v = 0; v < V; v++) for (let d = 0; d < o.dims; d++) cen[assign[v] * o.dims + d] += X[v * o.dims + d];
      for (let j = 0; j < K; j++) {
        let norm = 0;
        for (let d = 0; d < o.dims; d++) norm += cen[j * o.dims + d] ** 2;
        norm = Math.sqrt(norm) || 1;
        for (let d = 0; d < o.dims; d++) cen[j * o.dims + d] /= norm;
      }
    }
    vocab.forEach((w, v) => {
      out.get(w)![g] = assign[v];
    });
  });
  return out;
}

/** One feature per word and granularity: the word's cluster, normalised like a feature group. */
export function clusterFeatures(clusters: Map<string, Int32Array>, o: ClusterOptions, bits: number): ExtraFeatures {
  const mask = (1 << bits) - 1;
  return (tokens: readonly Token[], names: NameSet) => {
    const ids: number[] = [];
    for (const t of tokens) {
      const w = wordOf(t);
      if (w === null) continue;
      if (t.kind === 'word' && names.has(nameHash(w))) continue;
      const c = clusters.get(w);
      if (c === undefined) continue;
      for (let g = 0; g < c.length; g++) ids.push((mix32(Math.imul(g + 1, 0x27d4eb2d) ^ Math.imul(c[g] + 1, 0x165667b1) ^ 0x7a3c5e91) & mask) >>> 0);
    }
    const v = ids.length > 0 ? o.scale / Math.sqrt(ids.length) : 0;
    return { ids, vals: ids.map(() => v) };
  };
}
